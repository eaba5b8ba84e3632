//! HiveSync's HTTP backend (axum).
//!
//! - [`health`]: `/healthz`, `/readyz`.
//! - [`previews`]: the client API (`POST /api/v1/previews`, `GET /api/v1/previews/{job_id}`),
//!   authenticated with API keys.
//! - [`device`]: the device API, authenticated with preview tokens.
//! - [`worker_api`]: signed worker callbacks and heartbeats.
//! - [`events`]: Server-Sent Events for clients, fed by the `events` table (NOTIFY across
//!   replicas).
//! - [`maintenance`]: the background sweep of lost jobs, worker health, and the pruning of what
//!   has a retention.
//! - [`session_tokens`]: one-time website login tokens.
//! - [`admin`]: the admin API; [`dashboard`]: the admin pages at `/admin`.
//! - [`metrics`]: `/metrics` in the Prometheus text format.
//!
//! Errors become HTTP responses in exactly one place ([`api_error`]), with stable
//! machine-readable codes and no secrets. Not here: compiling, the worker loop.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub mod admin;
pub mod ai_docs;
pub mod api_error;
pub mod auth;
pub mod dashboard;
pub mod device;
pub mod events;
pub mod health;
pub mod maintenance;
pub mod metrics;
pub mod preview_logs;
pub mod previews;
pub mod session_tokens;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;
pub mod viewer;
pub mod worker_api;

pub use state::AppState;

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.config().server.request_timeout_seconds);
    let api = Router::new()
        .route("/previews", post(previews::create))
        .route("/previews/{job_id}", get(previews::status))
        .route("/previews/{job_id}/logs", get(preview_logs::list))
        .route("/ai-docs", post(ai_docs::create))
        .route("/ai-docs/{job_id}", get(ai_docs::status))
        .route("/events", get(events::stream))
        .route("/preview/screens", get(device::screens))
        .route("/preview/screens/{screen_id}/layout", get(device::layout))
        .route(
            "/preview/screens/{screen_id}/assets/{asset_id}",
            get(device::asset),
        )
        .route("/preview/logs", post(device::logs))
        .route("/worker/callback", post(worker_api::callback))
        .route("/worker/heartbeat", post(worker_api::heartbeat))
        .route("/session-tokens", post(session_tokens::issue))
        .route("/session-tokens/redeem", post(session_tokens::redeem))
        .nest("/admin", admin_api());
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::scrape))
        .route("/admin", get(dashboard::dashboard))
        .route(
            "/admin/login",
            get(dashboard::login_form).post(dashboard::login),
        )
        .route("/admin/logout", post(dashboard::logout))
        .route("/viewer", get(viewer::page))
        .route("/viewer/{*file}", get(viewer::file))
        .nest("/api/v1", api)
        .fallback(api_error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count_refusals,
        ))
        // Bodies are read by the handlers themselves, after authentication, against the
        // caller's own limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

fn admin_api() -> Router<AppState> {
    Router::new()
        .route("/workers", get(admin::workers))
        .route("/workers/{id}/disable", post(admin::disable))
        .route("/workers/{id}/enable", post(admin::enable))
        .route("/workers/{id}/logs", get(admin::worker_logs))
        .route("/workers/{id}/logs/{timestamp}", get(admin::worker_log))
        .route("/jobs", get(admin::jobs))
        .route("/events/security", get(admin::security_events))
        .route("/events/routing", get(admin::routing_events))
        .route("/events/workers", get(admin::worker_events))
}

/// Serves `router(state)` on `listener` until `shutdown` resolves; in-flight requests then get
/// `server.shutdown_grace_seconds` to finish. Starts the event pump and the job sweep.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let grace = Duration::from_secs(state.config().server.shutdown_grace_seconds);
    let mut background = maintenance::spawn_background(state.clone());
    background.extend(metrics::spawn_listener(state.clone()).await?);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stopped_tx, stopped_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stopped_tx.send(());
    });
    let result = tokio::select! {
        r = server => r,
        _ = async {
            let _ = stopped_rx.await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(grace_seconds = grace.as_secs(), "requests still running after the grace period; stopping anyway");
            Ok(())
        }
    };
    for task in background {
        task.abort();
    }
    result
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
