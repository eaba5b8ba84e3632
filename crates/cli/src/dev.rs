//! `hivesync dev`: the whole system on one machine with no configuration. Creates the data
//! folder (SQLite file, object-store folder, generated secrets with mode 0600), migrates, seeds
//! a demo user (Pro), a mobile-app project and an API key, writes them to `DATA_DIR/demo.json`
//! (mode 0600), prints them with the URLs, and serves with two embedded workers until Ctrl-C.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine;
use hivesync_core::callback_signature::WorkerKey;
use hivesync_core::clock::now_ms;
use hivesync_core::config::{Config, ObjectStoreBackend, Secrets, TokenKey};
use hivesync_core::ids::WorkerId;
use hivesync_core::{Secret, Tier, WorkerType};
use hivesync_server::AppState;
use hivesync_store::{PoolSettings, Store};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::runtime::{self, ConfigArg};

/// Arguments of `hivesync dev`.
#[derive(clap::Args, Debug)]
pub struct DevArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Folder for the database, objects, secrets and demo credentials.
    #[arg(long, default_value = "./.hivesync")]
    pub data_dir: PathBuf,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Secrets generated on first start and kept in `DATA_DIR/secrets.json` (mode 0600).
#[derive(Serialize, Deserialize)]
struct DevSecrets {
    worker_callback_secret: String,
    preview_token_key_id: String,
    preview_token_secret: String,
    admin_key: String,
}

/// What `DATA_DIR/demo.json` holds for scripts (and for `hivesync admin` and `hivesync submit`
/// with no flags).
#[derive(Serialize, Deserialize)]
pub(crate) struct Demo {
    pub(crate) api_key: String,
    pub(crate) admin_key: String,
    pub(crate) user_id: String,
    pub(crate) project_id: String,
    pub(crate) base_url: String,
}

impl Demo {
    /// The demo account of `hivesync dev --data-dir DIR`, when `DIR/demo.json` can be read.
    pub(crate) fn read(dir: &Path) -> Option<Demo> {
        let text = std::fs::read_to_string(dir.join("demo.json")).ok()?;
        serde_json::from_str(&text).ok()
    }
}

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Writes `contents` to `path` readable by the owner only.
fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(contents)?;
    Ok(())
}

fn load_or_create_secrets(dir: &Path) -> Result<DevSecrets> {
    let path = dir.join("secrets.json");
    if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return serde_json::from_str(&text)
            .with_context(|| format!("{} is damaged; delete it to regenerate", path.display()));
    }
    let s = DevSecrets {
        worker_callback_secret: random_secret(),
        preview_token_key_id: "dev1".into(),
        preview_token_secret: random_secret(),
        admin_key: format!("hsa_{}", random_secret()),
    };
    write_private(&path, serde_json::to_string_pretty(&s)?.as_bytes())?;
    Ok(s)
}

/// `hivesync dev`.
pub async fn run(args: DevArgs) -> Result<()> {
    let dir = &args.data_dir;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let (mut config, mut secrets) = runtime::load_config(&args.config)?;
    let dev = load_or_create_secrets(dir)?;
    apply_dev_defaults(&mut config, &mut secrets, &dev, &args)?;

    let db_url = secrets.database_url.clone().expect("set above");
    let store = Store::open_lazy(db_url.expose(), &PoolSettings::default())?;
    store
        .migrate()
        .await
        .context("cannot migrate the dev database")?;
    let objects = runtime::open_objects(&config, &secrets)?;
    let demo = seed(&store, &config, &dev, dir).await?;

    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.listen))?;
    print_banner(&demo, dir);

    let shutdown = runtime::shutdown_signal();
    let callback_secret = secrets.worker_callback_secret.clone().expect("set above");
    let ai_api_key = secrets.ai_api_key.clone();
    let state = AppState::new(config.clone(), secrets, store.clone(), objects.clone());
    let mut workers = Vec::new();
    for n in 1..=2 {
        let id = WorkerId::parse(&format!("dev-cpu-{n}")).expect("valid id");
        // The dev process is the backend too, so it derives its embedded workers' keys.
        let key = WorkerKey::derive(&callback_secret, &id);
        let worker = hivesync_worker::Worker::new(
            id,
            WorkerType::Cpu,
            config.clone(),
            store.clone(),
            objects.clone(),
            key,
        )
        .with_ai_api_key(ai_api_key.clone());
        workers.push(tokio::spawn(worker.run(shutdown.clone())));
    }
    hivesync_server::serve(state, listener, runtime::wait_for(shutdown)).await?;
    for w in workers {
        let _ = w.await;
    }
    store.close().await;
    Ok(())
}

fn apply_dev_defaults(
    config: &mut Config,
    secrets: &mut Secrets,
    dev: &DevSecrets,
    args: &DevArgs,
) -> Result<()> {
    let dir = &args.data_dir;
    config.server.listen = args.listen.clone();
    let base = format!("http://{}", args.listen);
    config.server.public_url = base.clone();
    config.worker.backend_url = base;
    // One machine, one person: `/metrics` is open to loopback peers.
    config.metrics.allow_loopback = true;
    if config.object_store.backend == ObjectStoreBackend::Local {
        config.object_store.local_path = dir.join("objects").display().to_string();
    }
    config.validate()?;
    // Secrets from the environment win; the generated ones fill the gaps.
    if secrets.database_url.is_none() {
        secrets.database_url = Some(Secret::new(format!(
            "sqlite://{}",
            dir.join("hivesync.db").display()
        )));
    }
    secrets
        .worker_callback_secret
        .get_or_insert_with(|| Secret::new(dev.worker_callback_secret.clone()));
    secrets.preview_token_key.get_or_insert_with(|| TokenKey {
        id: dev.preview_token_key_id.clone(),
        secret: Secret::new(dev.preview_token_secret.clone()),
    });
    secrets
        .admin_key
        .get_or_insert_with(|| Secret::new(dev.admin_key.clone()));
    Ok(())
}

/// Reuses the demo account of `demo.json` when it still works, else creates a new one.
async fn seed(store: &Store, config: &Config, dev: &DevSecrets, dir: &Path) -> Result<Demo> {
    let path = dir.join("demo.json");
    let base_url = config.server.public_url.clone();
    if let Some(mut demo) = Demo::read(dir)
        && store
            .authenticate_api_key(&demo.api_key, now_ms())
            .await?
            .is_some()
    {
        if demo.base_url != base_url || demo.admin_key != dev.admin_key {
            demo.base_url = base_url;
            demo.admin_key = dev.admin_key.clone();
            write_private(&path, serde_json::to_string_pretty(&demo)?.as_bytes())?;
        }
        return Ok(demo);
    }
    let now = now_ms();
    let email = format!(
        "demo-{}@hivesync.local",
        &hivesync_core::ids::UserId::new_random().to_string()[..8]
    );
    let user = store.create_user(&email, Tier::Pro, now).await?;
    let project = store.create_project(user.id, "Demo App", true, now).await?;
    let key = store
        .create_api_key(
            user.id,
            "hivesync dev",
            hivesync_store::accounts::Scope::Client,
            now,
        )
        .await?;
    let demo = Demo {
        api_key: key.plaintext.expose().to_owned(),
        admin_key: dev.admin_key.clone(),
        user_id: user.id.to_string(),
        project_id: project.id.to_string(),
        base_url,
    };
    write_private(&path, serde_json::to_string_pretty(&demo)?.as_bytes())?;
    Ok(demo)
}

fn print_banner(demo: &Demo, dir: &Path) {
    let base = &demo.base_url;
    println!(
        "HiveSync dev is running (SQLite + local object store in {})",
        dir.display()
    );
    println!();
    println!("  API          {base}/api/v1");
    println!("  health       {base}/healthz   ready: {base}/readyz");
    println!("  demo user    {} (Pro tier)", demo.user_id);
    println!("  demo project {} (mobile app)", demo.project_id);
    println!("  API key      {}", demo.api_key);
    println!("  admin key    {}", demo.admin_key);
    println!("  credentials  {}", dir.join("demo.json").display());
    println!("  admin        {base}/admin   (log in with the admin key)");
    println!("  metrics      {base}/metrics");
    println!();
    println!("Press Ctrl-C to stop.");
}
