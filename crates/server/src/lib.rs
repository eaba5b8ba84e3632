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
//! - [`keys`]: scoped API keys, users and projects; [`openapi`]: the API's description at
//!   `/api/v1/openapi.json`.
//!
//! Errors become HTTP responses in exactly one place ([`api_error`]), with stable
//! machine-readable codes and no secrets. Not here: compiling, the worker loop.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub mod admin;
pub mod ai_docs;
pub mod api_error;
pub mod auth;
pub mod dashboard;
pub mod device;
pub mod events;
pub mod health;
pub mod keys;
pub mod maintenance;
pub mod metrics;
pub mod openapi;
pub mod preview_logs;
pub mod previews;
pub mod session_tokens;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;
pub mod viewer;
pub mod worker_api;

pub use state::AppState;

/// Every route of the HTTP API with its description: a route is added here, through
/// `routes!`, together with its `#[utoipa::path]`, or it does not exist. The one exception is
/// the viewer's files (a catch-all path, which OpenAPI cannot name), added in [`router`] and
/// described through [`openapi::ApiDoc`].
pub fn api() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(previews::create))
        .routes(routes!(previews::status))
        .routes(routes!(preview_logs::list))
        .routes(routes!(ai_docs::create))
        .routes(routes!(ai_docs::status))
        .routes(routes!(events::stream))
        .routes(routes!(device::screens))
        .routes(routes!(device::layout))
        .routes(routes!(device::asset))
        .routes(routes!(device::logs))
        .routes(routes!(worker_api::callback))
        .routes(routes!(worker_api::heartbeat))
        .routes(routes!(session_tokens::issue))
        .routes(routes!(session_tokens::redeem))
        .routes(routes!(keys::create, keys::list))
        .routes(routes!(keys::revoke))
        .routes(routes!(openapi::description))
        .nest("/admin", admin_api());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(metrics::scrape))
        .routes(routes!(dashboard::dashboard))
        .routes(routes!(dashboard::login_form, dashboard::login))
        .routes(routes!(dashboard::logout))
        .routes(routes!(viewer::page))
        .nest("/api/v1", v1)
}

fn admin_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(admin::workers))
        .routes(routes!(admin::disable))
        .routes(routes!(admin::enable))
        .routes(routes!(admin::worker_logs))
        .routes(routes!(admin::worker_log))
        .routes(routes!(admin::jobs))
        .routes(routes!(admin::security_events))
        .routes(routes!(admin::routing_events))
        .routes(routes!(admin::worker_events))
        .routes(routes!(keys::admin_create_user))
        .routes(routes!(keys::admin_create_project))
        .routes(routes!(keys::admin_create, keys::admin_list))
        .routes(routes!(keys::admin_revoke))
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.config().server.request_timeout_seconds);
    let (routes, _) = api().split_for_parts();
    routes
        .route("/viewer/{*file}", get(viewer::file))
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
        .layer(axum::middleware::from_fn(api_error::json_errors))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` resolves; in-flight requests then get
/// `server.shutdown_grace_seconds` to finish. Starts the event pump and the job sweep.
///
/// Its own accept loop over hyper (axum's `serve` has neither): a client that does not send a
/// request's headers within `server.header_read_timeout_seconds` is disconnected, and at most
/// `server.max_connections` connections are open at once.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cfg = state.config().server.clone();
    let grace = Duration::from_secs(cfg.shutdown_grace_seconds);
    let header_timeout = Duration::from_secs(cfg.header_read_timeout_seconds.max(1));
    let mut background = maintenance::spawn_background(state.clone());
    background.extend(metrics::spawn_listener(state.clone()).await?);
    let app = router(state);
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(
        cfg.max_connections.max(1) as usize
    ));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut refused_since_log = 0u64;
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            refused_since_log += 1;
            if refused_since_log.is_power_of_two() {
                tracing::warn!(
                    max_connections = cfg.max_connections,
                    refused = refused_since_log,
                    "connection limit reached; closing new connections"
                );
            }
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = tower::ServiceExt::map_request(
            app.clone(),
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req
            },
        );
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(header_timeout)
            .keep_alive(true)
            .serve_connection(
                hyper_util::rt::TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(service),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are the client's (a reset, a header timeout): nothing to report.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(grace) => {
            tracing::warn!(grace_seconds = grace.as_secs(), "requests still running after the grace period; stopping anyway");
        }
    }
    for task in background {
        task.abort();
    }
    Ok(())
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
