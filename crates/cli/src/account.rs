//! `hivesync account create`: the first user, project and API key of a `serve` deployment,
//! written straight into the configured database (like `migrate`, no running backend needed).
//! `hivesync dev` seeds its own demo account; a PostgreSQL deployment starts empty, and this is
//! how an operator opens it. The key is printed once, on stdout, as JSON; only its hash is kept.

use anyhow::{Context, Result};
use hivesync_core::Tier;
use hivesync_core::clock::now_ms;
use hivesync_core::config::SecretVar;
use serde_json::json;

use crate::runtime::{self, ConfigArg};

/// Arguments of `hivesync account`.
#[derive(clap::Args, Debug)]
pub struct AccountArgs {
    #[command(subcommand)]
    pub action: AccountAction,
}

/// What to do.
#[derive(clap::Subcommand, Debug)]
pub enum AccountAction {
    /// Create a user, a project they own and an API key; print them as JSON.
    Create(CreateArgs),
}

/// Arguments of `hivesync account create`.
#[derive(clap::Args, Debug)]
pub struct CreateArgs {
    /// The user's e-mail address (unique).
    #[arg(long)]
    pub email: String,
    /// Subscription tier: free, pro or premium.
    #[arg(long, default_value = "free", value_parser = parse_tier)]
    pub tier: Tier,
    /// The project's name.
    #[arg(long, default_value = "App")]
    pub project: String,
    /// Flag the project as a mobile app (devices may fetch its previews).
    #[arg(long)]
    pub mobile_app: bool,
    /// The API key's name.
    #[arg(long, default_value = "first key")]
    pub key_name: String,
    /// The API key's scope: client, ci or admin (an admin key reaches the admin API).
    #[arg(long, default_value = "client", value_parser = parse_scope)]
    pub scope: hivesync_store::accounts::Scope,
    #[command(flatten)]
    pub config: ConfigArg,
}

fn parse_tier(s: &str) -> Result<Tier, String> {
    s.parse()
        .map_err(|_| "expected free, pro or premium".to_owned())
}

/// `hivesync account ...`.
pub async fn run(args: AccountArgs) -> Result<()> {
    match args.action {
        AccountAction::Create(args) => create(args).await,
    }
}

async fn create(args: CreateArgs) -> Result<()> {
    let (config, secrets) = runtime::load_config(&args.config)?;
    secrets.require(&[SecretVar::DatabaseUrl])?;
    let store = runtime::open_store(&config, &secrets)?;
    let now = now_ms();
    let user = store
        .create_user(&args.email, args.tier, now)
        .await
        .context(
            "cannot create the user (is the e-mail address taken? has `hivesync migrate` run?)",
        )?;
    let project = store
        .create_project(user.id, &args.project, args.mobile_app, now)
        .await
        .context("cannot create the project")?;
    let key = store
        .create_api_key(user.id, &args.key_name, args.scope, now)
        .await
        .context("cannot create the API key")?;
    store.close().await;
    let out = json!({
        "user_id": user.id.to_string(),
        "project_id": project.id.to_string(),
        "tier": args.tier.as_str(),
        "api_key": key.plaintext.expose(),
    });
    println!("{out}");
    Ok(())
}

fn parse_scope(s: &str) -> Result<hivesync_store::accounts::Scope, String> {
    s.parse()
}
