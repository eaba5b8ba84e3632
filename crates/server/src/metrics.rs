//! `GET /metrics` in the Prometheus (OpenMetrics) text format, with `prometheus-client`.
//!
//! Counted as they happen in this replica: finished jobs, job run time and queue wait (claim
//! latency) by kind and tier, callbacks accepted and rejected by reason, limit refusals (413 /
//! 429) by code, session-token redeems. Read from the database at each scrape (the same on every
//! replica): queue depth by kind and tier, workers by type and health, each worker's heartbeat
//! age, GPU fallbacks.
//!
//! Who may read it (`[metrics]`): on the main listener, the bearer `HIVESYNC_METRICS_TOKEN`, or
//! a loopback peer when `metrics.allow_loopback` (as in `hivesync dev`); `metrics.listen` opens
//! a listener of its own that serves only this page.

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hivesync_core::clock::now_ms;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::api_error::{ApiError, ErrorCode};
use crate::state::AppState;

type Labels = Vec<(&'static str, String)>;
type Histograms = Family<Labels, Histogram, fn() -> Histogram>;

/// This replica's metrics.
pub struct Metrics {
    registry: Registry,
    jobs_finished: Family<Labels, Counter>,
    job_duration: Histograms,
    claim_latency: Histograms,
    callbacks: Family<Labels, Counter>,
    limit_refusals: Family<Labels, Counter>,
    session_tokens: Family<Labels, Counter>,
    gpu_fallbacks: Counter,
    queue_depth: Family<Labels, Gauge>,
    jobs_running: Family<Labels, Gauge>,
    workers: Family<Labels, Gauge>,
    heartbeat_age: Family<Labels, Gauge<f64, AtomicU64>>,
}

fn seconds_buckets() -> Histogram {
    // 10 ms to about 10 min.
    Histogram::new(exponential_buckets(0.01, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("hivesync");
        let m = Metrics {
            jobs_finished: Family::default(),
            job_duration: Family::new_with_constructor(seconds_buckets),
            claim_latency: Family::new_with_constructor(seconds_buckets),
            callbacks: Family::default(),
            limit_refusals: Family::default(),
            session_tokens: Family::default(),
            gpu_fallbacks: Counter::default(),
            queue_depth: Family::default(),
            jobs_running: Family::default(),
            workers: Family::default(),
            heartbeat_age: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "jobs_finished",
            "Jobs that reached a final state, by kind, tier and state",
            m.jobs_finished.clone(),
        );
        registry.register(
            "job_duration_seconds",
            "Run time of finished jobs (claim to end), by kind and tier",
            m.job_duration.clone(),
        );
        registry.register(
            "claim_latency_seconds",
            "Time jobs waited in the queue before a worker claimed them, by kind and tier",
            m.claim_latency.clone(),
        );
        registry.register(
            "callbacks",
            "Worker callbacks, by result (accepted, rejected) and reason",
            m.callbacks.clone(),
        );
        registry.register(
            "limit_refusals",
            "Requests refused by a limit (413, 429), by error code",
            m.limit_refusals.clone(),
        );
        registry.register(
            "session_token_redeems",
            "One-time session token redeems, by result",
            m.session_tokens.clone(),
        );
        registry.register(
            "gpu_fallbacks",
            "Premium jobs that ran on a CPU worker because no healthy GPU worker was available",
            m.gpu_fallbacks.clone(),
        );
        registry.register(
            "queue_depth",
            "Queued jobs, by kind and tier",
            m.queue_depth.clone(),
        );
        registry.register(
            "jobs_running",
            "Running jobs, by kind and tier",
            m.jobs_running.clone(),
        );
        registry.register(
            "workers",
            "Registered workers, by type and health (healthy, unhealthy, disabled, stopped)",
            m.workers.clone(),
        );
        registry.register(
            "worker_heartbeat_age_seconds",
            "Seconds since each worker was last heard from",
            m.heartbeat_age.clone(),
        );
        Metrics { registry, ..m }
    }
}

impl Metrics {
    /// A job reached a final state after running `run_ms` and waiting `wait_ms` in the queue.
    pub fn job_finished(
        &self,
        kind: &str,
        tier: &str,
        state: &str,
        wait_ms: Option<i64>,
        run_ms: Option<i64>,
    ) {
        let kt: Labels = vec![("kind", kind.to_owned()), ("tier", tier.to_owned())];
        let mut kts = kt.clone();
        kts.push(("state", state.to_owned()));
        self.jobs_finished.get_or_create(&kts).inc();
        if let Some(ms) = run_ms {
            self.job_duration
                .get_or_create(&kt)
                .observe(ms.max(0) as f64 / 1000.0);
        }
        if let Some(ms) = wait_ms {
            self.claim_latency
                .get_or_create(&kt)
                .observe(ms.max(0) as f64 / 1000.0);
        }
    }

    /// A callback was accepted (`reason` "ok") or rejected for `reason`.
    pub fn callback(&self, accepted: bool, reason: &str) {
        let result = if accepted { "accepted" } else { "rejected" };
        self.callbacks
            .get_or_create(&vec![
                ("result", result.to_owned()),
                ("reason", reason.to_owned()),
            ])
            .inc();
    }

    /// A session-token redeem ended with `result` (`redeemed`, `used`, `expired`, `unknown`).
    pub fn session_token(&self, result: &str) {
        self.session_tokens
            .get_or_create(&vec![("result", result.to_owned())])
            .inc();
    }

    /// Reads the database-backed gauges and renders the page.
    async fn render(&self, state: &AppState) -> Result<String, ApiError> {
        let store = state.store();
        let now = now_ms();
        self.queue_depth.clear();
        self.jobs_running.clear();
        for d in store.queue_depths().await? {
            let l: Labels = vec![
                ("kind", d.kind.as_str().to_owned()),
                ("tier", d.tier.as_str().to_owned()),
            ];
            self.queue_depth.get_or_create(&l).set(d.queued);
            self.jobs_running.get_or_create(&l).set(d.running);
        }
        self.workers.clear();
        self.heartbeat_age.clear();
        for w in store.workers().await? {
            let health = worker_health_label(&w);
            self.workers
                .get_or_create(&vec![
                    ("type", w.worker_type.as_str().to_owned()),
                    ("health", health.to_owned()),
                ])
                .inc();
            if let Some(at) = w.last_heartbeat_at {
                self.heartbeat_age
                    .get_or_create(&vec![("worker", w.id.as_str().to_owned())])
                    .set((now - at).max(0) as f64 / 1000.0);
            }
        }
        let fallbacks = store.gpu_fallback_count().await?.max(0) as u64;
        let seen = self.gpu_fallbacks.get();
        if fallbacks > seen {
            self.gpu_fallbacks.inc_by(fallbacks - seen);
        }
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .map_err(|e| ApiError::internal("metrics", &e))?;
        Ok(out)
    }
}

/// `stopped`, `disabled`, `healthy` or `unhealthy`.
pub fn worker_health_label(w: &hivesync_store::workers::WorkerNode) -> &'static str {
    if w.stopped_at.is_some() {
        "stopped"
    } else if !w.active {
        "disabled"
    } else if w.healthy {
        "healthy"
    } else {
        "unhealthy"
    }
}

fn page(text: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// Prometheus metrics (OpenMetrics text): with the metrics token, or from loopback when
/// `metrics.allow_loopback`.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "health",
    security(("metrics_token" = []), ()),
    responses(
        (status = 200, description = "The metrics", content_type = "application/openmetrics-text", body = String),
        (status = 401, description = "Neither the token nor loopback", body = crate::api_error::ErrorBody),
        (status = 503, description = "The database is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn scrape(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let cfg = &state.config().metrics;
    let by_token = match (
        crate::auth::bearer(&headers),
        &state.secrets().metrics_token,
    ) {
        (Some(p), Some(t)) => crate::auth::same_secret(p, t.expose()),
        _ => false,
    };
    let by_loopback = cfg.allow_loopback && peer.ip().is_loopback();
    if !(by_token || by_loopback) {
        crate::auth::record(
            &state,
            "metrics_unauthorized",
            None,
            None,
            Some(peer),
            "metrics read without the metrics token",
        )
        .await;
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing or invalid credentials",
        ));
    }
    Ok(page(state.metrics().render(&state).await?))
}

/// `GET /metrics` on the metrics-only listener (`metrics.listen`): no token, the address is
/// the protection.
pub async fn scrape_open(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(page(state.metrics().render(&state).await?))
}

/// The router of the metrics-only listener.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(scrape_open))
        .fallback(crate::api_error::not_found)
        .with_state(state)
}

/// Starts the metrics-only listener when `metrics.listen` is set.
pub async fn spawn_listener(
    state: AppState,
) -> std::io::Result<Option<tokio::task::JoinHandle<()>>> {
    let listen = state.config().metrics.listen.clone();
    if listen.is_empty() {
        return Ok(None);
    }
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    tracing::info!(listen, "metrics listener");
    let app = router(state);
    Ok(Some(tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("metrics listener stopped: {e}");
        }
    })))
}

/// Counts responses refused by a limit (413, 429) by their error code.
pub async fn count_refusals(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE || status == StatusCode::TOO_MANY_REQUESTS {
        let code = response
            .extensions()
            .get::<ErrorCode>()
            .map(|c| c.0)
            .unwrap_or("other");
        state
            .metrics()
            .limit_refusals
            .get_or_create(&vec![("code", code.to_owned())])
            .inc();
    }
    response
}
