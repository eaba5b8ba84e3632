//! HiveSync's HTTP backend (axum): health and readiness now; the client, device and worker
//! APIs and the event stream build on the same [`AppState`].
//!
//! Errors become HTTP responses in exactly one place ([`api_error`]), with stable
//! machine-readable codes and no secrets. Not here: compiling, object layout decisions, the
//! worker loop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use hivesync_core::config::{Config, Secrets};
use hivesync_objects::Objects;
use hivesync_store::Store;
use tokio::net::TcpListener;

pub mod api_error;
pub mod health;

/// What every request handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    secrets: Secrets,
    store: Store,
    objects: Objects,
}

impl AppState {
    /// Bundles the configuration and the connections.
    pub fn new(config: Config, secrets: Secrets, store: Store, objects: Objects) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                secrets,
                store,
                objects,
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The secrets.
    pub fn secrets(&self) -> &Secrets {
        &self.inner.secrets
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The object store.
    pub fn objects(&self) -> &Objects {
        &self.inner.objects
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.config().server.request_timeout_seconds);
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(api_error::not_found)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves; in-flight requests then get
/// `server.shutdown_grace_seconds` to finish.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let grace = Duration::from_secs(state.config().server.shutdown_grace_seconds);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stopped_tx, stopped_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stopped_tx.send(());
    });
    tokio::select! {
        r = server => r,
        _ = async {
            let _ = stopped_rx.await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(grace_seconds = grace.as_secs(), "requests still running after the grace period; stopping anyway");
            Ok(())
        }
    }
}

/// Logs, until both answer, whether the database and the object store are reachable; never
/// gives up and never panics (readiness stays false meanwhile).
pub async fn wait_for_dependencies(state: AppState) {
    let retry = Duration::from_secs(state.config().database.startup_retry_seconds.max(1));
    let mut attempt = 1u32;
    loop {
        let report = health::check(&state).await;
        if report.ready() {
            if attempt > 1 {
                tracing::info!("database and object store reachable");
            }
            return;
        }
        if let Some(e) = &report.database {
            tracing::warn!(
                attempt,
                "database not reachable yet ({e}); retrying in {}s",
                retry.as_secs()
            );
        }
        if let Some(e) = &report.objects {
            tracing::warn!(
                attempt,
                "object store not reachable yet ({e}); retrying in {}s",
                retry.as_secs()
            );
        }
        attempt += 1;
        tokio::time::sleep(retry).await;
    }
}
