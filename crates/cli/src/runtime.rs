//! Shared start-up of the long-running commands: logging, configuration, connections,
//! shutdown signals; and the `serve`, `worker` and `migrate` commands themselves.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use hivesync_core::WorkerType;
use hivesync_core::config::{Config, SecretVar, Secrets};
use hivesync_core::ids::WorkerId;
use hivesync_objects::Objects;
use hivesync_server::AppState;
use hivesync_store::{PoolSettings, Store};
use tokio::sync::watch;

/// Logs to stderr, filtered by `RUST_LOG` (default `info`).
pub fn init_logging() {
    use std::io::IsTerminal;
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(filter);
    // The log-hygiene check of the test suite (HIVESYNC_LOG_CAPTURE); off otherwise.
    let command = std::env::args().nth(1).unwrap_or_default();
    let name: String = command
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(20)
        .collect();
    let capture = hivesync_core::log_capture::file(&format!("hivesync-{name}")).map(|file| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .with_filter(tracing_subscriber::EnvFilter::new(
                hivesync_core::log_capture::FILTER,
            ))
    });
    tracing_subscriber::registry()
        .with(stderr)
        .with(capture)
        .init();
}

/// Runs a future on a multi-threaded runtime.
pub fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) -> Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(f)
}

/// `--config FILE`, shared by serve/worker/migrate.
#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArg {
    /// TOML configuration file (every key is optional; see docs/configuration.md).
    #[arg(long, env = "HIVESYNC_CONFIG")]
    pub config: Option<PathBuf>,
}

/// Arguments of `hivesync serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (overrides server.listen).
    #[arg(long)]
    pub listen: Option<String>,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Arguments of `hivesync worker`.
#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    /// Worker type (overrides worker.type).
    #[arg(long = "type", value_parser = parse_worker_type)]
    pub worker_type: Option<WorkerType>,
    /// Worker id: the id its key was made for (`hivesync worker-key WORKER_ID`).
    #[arg(long, env = "HIVESYNC_WORKER_ID")]
    pub id: String,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Arguments of `hivesync worker-key`.
#[derive(clap::Args, Debug)]
pub struct WorkerKeyArgs {
    /// The worker's id (what it will pass as `--id`).
    pub worker_id: String,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Arguments of `hivesync migrate`.
#[derive(clap::Args, Debug)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub config: ConfigArg,
}

fn parse_worker_type(s: &str) -> Result<WorkerType, String> {
    s.parse().map_err(|_| "expected cpu or gpu".to_owned())
}

/// Reads the configuration file (if any), the environment overrides and the secrets.
pub fn load_config(arg: &ConfigArg) -> Result<(Config, Secrets)> {
    let text = match &arg.config {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read configuration file {}", path.display()))?,
        ),
        None => None,
    };
    let vars: Vec<(String, String)> = std::env::vars().collect();
    let config = Config::load(text.as_deref(), &vars)?;
    if config
        .ai_docs
        .uses(hivesync_core::config::AiProvider::Local)
        && !cfg!(feature = "local-model")
    {
        bail!(
            "ai_docs: a tier's provider is \"local\" but this binary was built without the \
             `local-model` feature (cargo build -p hivesync-cli --features local-model)"
        );
    }
    let secrets = Secrets::load(&|name| std::env::var(name).ok(), &|path| {
        std::fs::read_to_string(path)
    })?;
    Ok((config, secrets))
}

/// Opens the database pool lazily (start-up goes on while it is down).
pub fn open_store(config: &Config, secrets: &Secrets) -> Result<Store> {
    let url = secrets
        .database_url
        .as_ref()
        .context("HIVESYNC_DATABASE_URL is not set")?;
    let settings = PoolSettings {
        max_connections: config.database.max_connections,
        acquire_timeout: Duration::from_secs(config.database.acquire_timeout_seconds),
    };
    Ok(Store::open_lazy(url.expose(), &settings)?)
}

/// Builds the object store of the configuration.
pub fn open_objects(config: &Config, secrets: &Secrets) -> Result<Objects> {
    Ok(Objects::from_config(
        &config.object_store,
        secrets.s3_access_key_id.as_ref(),
        secrets.s3_secret_access_key.as_ref(),
    )?)
}

/// A shutdown signal: flips to `true` on Ctrl-C or SIGTERM.
pub fn shutdown_signal() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("install SIGTERM handler");
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down: finishing in-flight requests, workers stop claiming");
        let _ = tx.send(true);
    });
    rx
}

/// A future that resolves when `rx` turns `true`.
pub async fn wait_for(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

async fn bind(listen: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))
}

/// `hivesync serve`.
pub async fn serve(args: ServeArgs) -> Result<()> {
    let (mut config, secrets) = load_config(&args.config)?;
    if let Some(listen) = args.listen {
        config.server.listen = listen;
        config.validate()?;
    }
    secrets.require(&[
        SecretVar::DatabaseUrl,
        SecretVar::WorkerCallbackSecret,
        SecretVar::PreviewTokenKey,
    ])?;
    let store = open_store(&config, &secrets)?;
    let objects = open_objects(&config, &secrets)?;
    let listener = bind(&config.server.listen).await?;
    tracing::info!(listen = %config.server.listen, "backend listening");
    let state = AppState::new(config, secrets, store, objects);
    tokio::spawn(hivesync_server::wait_for_dependencies(state.clone()));
    let shutdown = shutdown_signal();
    hivesync_server::serve(state.clone(), listener, wait_for(shutdown)).await?;
    state.store().close().await;
    Ok(())
}

/// `hivesync worker`.
pub async fn worker(args: WorkerArgs) -> Result<()> {
    let (config, secrets) = load_config(&args.config)?;
    if secrets.worker_callback_secret.is_some() || secrets.worker_callback_previous_secret.is_some()
    {
        bail!(
            "WORKER_CALLBACK_SECRET: a worker must not hold the backend's root callback secret; \
             give it HIVESYNC_WORKER_KEY (printed by `hivesync worker-key WORKER_ID`) instead"
        );
    }
    secrets.require(&[SecretVar::DatabaseUrl, SecretVar::WorkerKey])?;
    let worker_type = args.worker_type.unwrap_or(config.worker.worker_type);
    let id = WorkerId::parse(&args.id).context("--id")?;
    let store = open_store(&config, &secrets)?;
    let objects = open_objects(&config, &secrets)?;
    let key = secrets.worker_key.clone().expect("required above");
    let shutdown = shutdown_signal();
    hivesync_worker::Worker::new(id, worker_type, config, store.clone(), objects, key)
        .with_ai_api_key(secrets.ai_api_key.clone())
        .run(shutdown)
        .await;
    store.close().await;
    Ok(())
}

/// `hivesync worker-key WORKER_ID`: prints the callback key of one worker, derived from
/// `WORKER_CALLBACK_SECRET`, for the operator to provision as its `HIVESYNC_WORKER_KEY`.
pub fn worker_key(args: &WorkerKeyArgs) -> Result<()> {
    let (_, secrets) = load_config(&args.config)?;
    secrets.require(&[SecretVar::WorkerCallbackSecret])?;
    let id = WorkerId::parse(&args.worker_id).context("WORKER_ID")?;
    let root = secrets.worker_callback_secret.expect("required above");
    let key = hivesync_core::callback_signature::WorkerKey::derive(&root, &id);
    println!("{}", key.to_text().expose());
    Ok(())
}

/// `hivesync migrate`.
pub async fn migrate(args: MigrateArgs) -> Result<()> {
    let (config, secrets) = load_config(&args.config)?;
    secrets.require(&[SecretVar::DatabaseUrl])?;
    let store = open_store(&config, &secrets)?;
    let applied = store.migrate().await.context("migration failed")?;
    if applied.is_empty() {
        eprintln!(
            "database schema is up to date (version {})",
            Store::latest_schema_version()
        );
    } else {
        eprintln!("applied migrations {applied:?}");
    }
    store.close().await;
    if Store::latest_schema_version() == 0 {
        bail!("this build knows no migrations");
    }
    Ok(())
}
