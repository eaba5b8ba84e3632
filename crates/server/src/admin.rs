//! The admin API under `/api/v1/admin` (JSON), for `hivesync admin ...` and scripts:
//!
//! | method | path | what |
//! | --- | --- | --- |
//! | GET | `/workers` | workers with type, status, health, last heartbeat, load, running jobs, error rate |
//! | POST | `/workers/{id}/disable`, `/workers/{id}/enable` | operator action, body `{"reason": "..."}` optional |
//! | GET | `/workers/{id}/logs` | the worker's stored log batches; `/workers/{id}/logs/{timestamp}` one batch |
//! | GET | `/jobs?limit=N` | recent jobs with durations and failures |
//! | GET | `/events/security`, `/events/routing`, `/events/workers` | security events, GPU fallbacks, worker health/status changes |
//!
//! Who is an admin: the bearer `HIVESYNC_ADMIN_KEY` or an admin API key, or the signed
//! `hivesync_admin` cookie that the dashboard's login form sets (see [`crate::dashboard`]).
//! Every refusal is a `security_events` row and a generic 401.

use std::net::SocketAddr;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use hivesync_core::clock::now_ms;
use hivesync_core::ids::WorkerId;
use hivesync_core::storage_keys::StorageKey;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::auth::{self, same_secret};
use crate::state::AppState;

/// The dashboard's session cookie.
pub const COOKIE: &str = "hivesync_admin";
/// How long a dashboard login lasts.
pub const SESSION_MS: i64 = 12 * 3_600_000;

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "missing or invalid credentials",
    )
}

fn session_mac(admin_key: &str, expires_at: i64) -> String {
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(admin_key.as_bytes()).expect("any key length");
    mac.update(b"hivesync-admin-session:");
    mac.update(expires_at.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A cookie value for a login that lasts until `expires_at` (ms): the time and an HMAC of it
/// under the admin key, so it holds no key and changing the key ends every session.
pub fn session_cookie_value(state: &AppState, expires_at: i64) -> Option<String> {
    let key = state.secrets().admin_key.as_ref()?;
    Some(format!(
        "{expires_at}.{}",
        session_mac(key.expose(), expires_at)
    ))
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn valid_session(state: &AppState, value: &str, now: i64) -> bool {
    let Some(key) = state.secrets().admin_key.as_ref() else {
        return false;
    };
    let Some((exp, mac)) = value.split_once('.') else {
        return false;
    };
    let Ok(exp) = exp.parse::<i64>() else {
        return false;
    };
    exp > now && same_secret(mac, &session_mac(key.expose(), exp))
}

/// Whether a presented key opens the admin pages; the actor it acts as.
pub async fn check_key(state: &AppState, key: &str) -> Result<Option<String>, ApiError> {
    if let Some(admin) = &state.secrets().admin_key
        && same_secret(key, admin.expose())
    {
        return Ok(Some("admin:key".to_owned()));
    }
    Ok(state
        .store()
        .authenticate_api_key(key, now_ms())
        .await?
        .filter(|o| o.is_admin())
        .map(|o| format!("admin:{}", o.key_id)))
}

/// The admin behind a request (`admin:key`, `admin:<api key id>`, `admin:session`), or 401
/// and a security event.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<String, ApiError> {
    if let Some(key) = auth::bearer(headers) {
        if let Some(actor) = check_key(state, key).await? {
            return Ok(actor);
        }
    } else if let Some(value) = cookie(headers, COOKIE)
        && valid_session(state, value, now_ms())
    {
        return Ok("admin:session".to_owned());
    }
    auth::record(
        state,
        "admin_unauthorized",
        None,
        None,
        Some(peer),
        "admin request without a valid admin key or session",
    )
    .await;
    Err(unauthorized())
}

/// `?limit=N` (default 50, at most 500).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Limit {
    /// How many (default 50, at most 500).
    limit: Option<u32>,
}

/// A worker and its health.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkerOut {
    /// Its id.
    pub id: WorkerId,
    /// cpu or gpu.
    #[serde(rename = "type")]
    pub worker_type: hivesync_core::WorkerType,
    /// `active` or `disabled`.
    pub status: &'static str,
    /// `healthy`, `unhealthy`, `stopped` or `disabled`.
    pub health: &'static str,
    /// Why it is unhealthy.
    pub health_reason: Option<String>,
    /// When its health last changed (ms since the Unix epoch).
    pub health_changed_at: Option<i64>,
    /// Its last heartbeat.
    pub last_heartbeat_at: Option<i64>,
    /// Seconds since then.
    pub heartbeat_age_seconds: Option<i64>,
    /// CPU load of the last heartbeat (0-1).
    pub cpu_load: Option<f64>,
    /// GPU load of the last heartbeat (0-1).
    pub gpu_load: Option<f64>,
    /// Jobs it may run at once.
    pub capacity: i32,
    /// Jobs it runs now.
    pub running_jobs: i64,
    /// Jobs it finished in the error-rate window.
    pub recent_jobs: i64,
    /// Of those, failures that were its own.
    pub recent_worker_failures: i64,
    /// Their ratio.
    pub error_rate: f64,
    /// Its version.
    pub version: String,
    /// Its host.
    pub hostname: String,
    /// When it stopped cleanly.
    pub stopped_at: Option<i64>,
}

/// The workers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkerList {
    /// Every registered worker.
    pub workers: Vec<WorkerOut>,
}

/// Why an operator changes a worker's status.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// Recorded with the change (at most 500 characters).
    reason: Option<String>,
}

/// A worker's status after an operator's action.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusChange {
    /// The worker.
    pub worker_id: WorkerId,
    /// `active` or `disabled`.
    pub status: &'static str,
    /// False when it already had that status.
    pub changed: bool,
}

/// A recent job.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobOut {
    /// The job.
    pub id: hivesync_core::ids::JobId,
    /// preview or ai_docs.
    pub kind: hivesync_core::JobKind,
    /// Its tier.
    pub tier: hivesync_core::Tier,
    /// Its state.
    pub state: hivesync_core::JobState,
    /// The worker that ran it.
    pub worker_id: Option<WorkerId>,
    /// Submission (ms since the Unix epoch).
    pub created_at: i64,
    /// Claim.
    pub claimed_at: Option<i64>,
    /// End.
    pub finished_at: Option<i64>,
    /// Queue wait.
    pub wait_ms: Option<i64>,
    /// Run time.
    pub run_ms: Option<i64>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// `user`, `worker` or `system` for a failed job.
    pub failure_cause: Option<String>,
}

/// Recent jobs, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JobList {
    /// The jobs.
    pub jobs: Vec<JobOut>,
}

/// A security event (a refused request); a burst from one source is one counting row.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SecurityEventOut {
    /// What was refused, e.g. `api_key_invalid`, `callback_replayed`.
    pub kind: String,
    /// The worker, for worker requests.
    pub worker_id: Option<String>,
    /// The job, where one was named.
    pub job_id: Option<String>,
    /// The peer's address.
    pub remote_addr: Option<String>,
    /// What happened (never a secret).
    pub detail: String,
    /// When (ms since the Unix epoch).
    pub created_at: i64,
    /// How many refusals the row stands for.
    pub count: i64,
    /// The last of them.
    pub last_at: Option<i64>,
}

/// Security events, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SecurityEvents {
    /// The events.
    pub events: Vec<SecurityEventOut>,
}

/// A Premium job that ran on a CPU worker because no GPU worker was healthy.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoutingEventOut {
    /// The job.
    pub job_id: String,
    /// The CPU worker.
    pub worker_id: String,
    /// The job's tier.
    pub tier: String,
    /// Why.
    pub reason: String,
    /// When (ms since the Unix epoch).
    pub created_at: i64,
}

/// Routing events, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoutingEvents {
    /// The events.
    pub events: Vec<RoutingEventOut>,
}

/// A worker's health or status change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkerEventOut {
    /// The worker.
    pub worker_id: WorkerId,
    /// `unhealthy`, `healthy`, `disabled`, `enabled`, ...
    pub change: &'static str,
    /// Who: `system`, `admin:key`, ...
    pub actor: String,
    /// Why.
    pub reason: String,
    /// When (ms since the Unix epoch).
    pub created_at: i64,
}

/// Worker events, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkerEvents {
    /// The events.
    pub events: Vec<WorkerEventOut>,
}

/// A stored batch of a worker's logs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkerLogOut {
    /// Its object key.
    pub key: String,
    /// Lines in it.
    pub events: i64,
    /// Its size.
    pub bytes: i64,
    /// When it was stored (ms since the Unix epoch).
    pub created_at: i64,
}

/// A worker's stored log batches, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkerLogs {
    /// The worker.
    pub worker_id: WorkerId,
    /// The batches.
    pub logs: Vec<WorkerLogOut>,
}

impl Limit {
    fn get(&self) -> u32 {
        self.limit.unwrap_or(50).clamp(1, 500)
    }
}

fn worker_id(s: &str) -> Result<WorkerId, ApiError> {
    WorkerId::parse(s)
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such worker"))
}

/// Workers with type, status, health, last heartbeat, load, running jobs and error rate.
#[utoipa::path(
    get,
    path = "/workers",
    tag = "admin",
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The workers", body = WorkerList),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
    )
)]
pub async fn workers(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<WorkerList>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let now = now_ms();
    let list = state
        .store()
        .worker_health(&state.health_policy(), now)
        .await?;
    let workers = list
        .iter()
        .map(|w| WorkerOut {
            id: w.node.id.clone(),
            worker_type: w.node.worker_type,
            status: if w.node.active { "active" } else { "disabled" },
            health: crate::metrics::worker_health_label(&w.node),
            health_reason: w.health_reason.clone(),
            health_changed_at: w.health_changed_at,
            last_heartbeat_at: w.node.last_heartbeat_at,
            heartbeat_age_seconds: w.node.last_heartbeat_at.map(|t| (now - t) / 1000),
            cpu_load: w.cpu_load,
            gpu_load: w.gpu_load,
            capacity: w.node.capacity,
            running_jobs: w.running_jobs,
            recent_jobs: w.window.jobs,
            recent_worker_failures: w.window.worker_failures,
            error_rate: w.window.rate(),
            version: w.node.version.clone(),
            hostname: w.node.hostname.clone(),
            stopped_at: w.node.stopped_at,
        })
        .collect();
    Ok(Json(WorkerList { workers }))
}

async fn set_status(
    state: AppState,
    peer: SocketAddr,
    headers: HeaderMap,
    id: String,
    body: Body,
    active: bool,
) -> Result<Json<StatusChange>, ApiError> {
    let actor = authorize(&state, &headers, peer).await?;
    let id = worker_id(&id)?;
    // The body is optional; when there is one it is JSON, like every body of the API.
    let bytes = if headers.contains_key(header::CONTENT_TYPE) {
        crate::previews::read_json_body(&headers, body, 4096).await?
    } else {
        let bytes = axum::body::to_bytes(body, 4096).await.map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request_too_large",
                "the request body exceeds 4096 bytes",
            )
        })?;
        if !bytes.is_empty() {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Content-Type must be application/json",
            ));
        }
        bytes
    };
    let reason = if bytes.is_empty() {
        Reason::default()
    } else {
        serde_json::from_slice::<Reason>(&bytes).map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request",
                "expected {\"reason\": \"...\"}",
            )
        })?
    };
    let what = if active { "enabled" } else { "disabled" };
    let reason: String = reason
        .reason
        .map(|r| r.trim().chars().take(500).collect())
        .filter(|r: &String| !r.is_empty())
        .unwrap_or_else(|| format!("{what} by an operator"));
    match state
        .store()
        .set_worker_status(&id, active, &actor, &reason, now_ms())
        .await?
    {
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such worker",
        )),
        Some(changed) => {
            if changed {
                tracing::warn!(worker = %id, actor, reason, "worker {what}");
            }
            Ok(Json(StatusChange {
                worker_id: id,
                status: if active { "active" } else { "disabled" },
                changed,
            }))
        }
    }
}

/// Disables a worker: it claims nothing and its callbacks are refused.
#[utoipa::path(
    post,
    path = "/workers/{id}/disable",
    tag = "admin",
    params(("id" = String, Path, description = "The worker's id")),
    request_body(content = Option<Reason>, description = "Optional: why (recorded with the change)"),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The worker's status", body = StatusChange),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such worker", body = crate::api_error::ErrorBody),
        (status = 413, description = "The body is too large", body = crate::api_error::ErrorBody),
        (status = 422, description = "The body is not `{\"reason\": \"...\"}`", body = crate::api_error::ErrorBody),
    )
)]
pub async fn disable(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<StatusChange>, ApiError> {
    set_status(state, peer, headers, id, body, false).await
}

/// Enables a worker again.
#[utoipa::path(
    post,
    path = "/workers/{id}/enable",
    tag = "admin",
    params(("id" = String, Path, description = "The worker's id")),
    request_body(content = Option<Reason>, description = "Optional: why (recorded with the change)"),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The worker's status", body = StatusChange),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such worker", body = crate::api_error::ErrorBody),
        (status = 413, description = "The body is too large", body = crate::api_error::ErrorBody),
        (status = 422, description = "The body is not `{\"reason\": \"...\"}`", body = crate::api_error::ErrorBody),
    )
)]
pub async fn enable(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<StatusChange>, ApiError> {
    set_status(state, peer, headers, id, body, true).await
}

impl From<&hivesync_store::analytics::JobSummary> for JobOut {
    fn from(j: &hivesync_store::analytics::JobSummary) -> Self {
        Self {
            id: j.job.id,
            kind: j.job.kind,
            tier: j.job.tier,
            state: j.job.state,
            worker_id: j.job.worker_id.clone(),
            created_at: j.job.created_at,
            claimed_at: j.job.claimed_at,
            finished_at: j.job.finished_at,
            wait_ms: j.job.claimed_at.map(|c| c - j.job.created_at),
            run_ms: j.run_ms(),
            failure_reason: j.job.failure_reason.clone(),
            failure_cause: j.failure_cause.clone(),
        }
    }
}

/// Recent jobs with durations and failures.
#[utoipa::path(
    get,
    path = "/jobs",
    tag = "admin",
    params(Limit),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "Recent jobs", body = JobList),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
    )
)]
pub async fn jobs(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<JobList>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let jobs = state.store().recent_jobs(limit.get()).await?;
    Ok(Json(JobList {
        jobs: jobs.iter().map(JobOut::from).collect(),
    }))
}

/// Security events: refused requests, newest first.
#[utoipa::path(
    get,
    path = "/events/security",
    tag = "admin",
    params(Limit),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The events", body = SecurityEvents),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
    )
)]
pub async fn security_events(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<SecurityEvents>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let events = state.store().security_events(limit.get()).await?;
    let events = events
        .into_iter()
        .map(|e| SecurityEventOut {
            kind: e.kind,
            worker_id: e.worker_id,
            job_id: e.job_id,
            remote_addr: e.remote_addr,
            detail: e.detail,
            created_at: e.created_at,
            count: e.count,
            last_at: e.last_at,
        })
        .collect();
    Ok(Json(SecurityEvents { events }))
}

/// GPU fallbacks: Premium jobs that ran on a CPU worker, newest first.
#[utoipa::path(
    get,
    path = "/events/routing",
    tag = "admin",
    params(Limit),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The events", body = RoutingEvents),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
    )
)]
pub async fn routing_events(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<RoutingEvents>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let events = state.store().routing_events(None, limit.get()).await?;
    let events = events
        .into_iter()
        .map(|e| RoutingEventOut {
            job_id: e.job_id,
            worker_id: e.worker_id,
            tier: e.tier,
            reason: e.reason,
            created_at: e.created_at,
        })
        .collect();
    Ok(Json(RoutingEvents { events }))
}

/// Worker health and status changes, newest first.
#[utoipa::path(
    get,
    path = "/events/workers",
    tag = "admin",
    params(Limit),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The events", body = WorkerEvents),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
    )
)]
pub async fn worker_events(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<WorkerEvents>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let events = state.store().worker_transitions(None, limit.get()).await?;
    let events = events
        .into_iter()
        .map(|t| WorkerEventOut {
            worker_id: t.worker_id,
            change: t.change.as_str(),
            actor: t.actor,
            reason: t.reason,
            created_at: t.created_at,
        })
        .collect();
    Ok(Json(WorkerEvents { events }))
}

/// A worker's stored log batches, newest first.
#[utoipa::path(
    get,
    path = "/workers/{id}/logs",
    tag = "admin",
    params(("id" = String, Path, description = "The worker's id"), Limit),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The batches", body = WorkerLogs),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such worker", body = crate::api_error::ErrorBody),
    )
)]
pub async fn worker_logs(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<WorkerLogs>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let id = worker_id(&id)?;
    let logs = state.store().worker_logs(&id, limit.get()).await?;
    let logs = logs
        .into_iter()
        .map(|l| WorkerLogOut {
            key: l.key,
            events: l.events,
            bytes: l.bytes,
            created_at: l.created_at,
        })
        .collect();
    Ok(Json(WorkerLogs {
        worker_id: id,
        logs,
    }))
}

/// One stored batch of a worker's logs, as the worker wrote it.
#[utoipa::path(
    get,
    path = "/workers/{id}/logs/{timestamp}",
    tag = "admin",
    params(
        ("id" = String, Path, description = "The worker's id"),
        ("timestamp" = String, Path, description = "The batch's timestamp (Unix ms), optionally with `.json`"),
    ),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The batch", body = Object),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such worker or batch", body = crate::api_error::ErrorBody),
    )
)]
pub async fn worker_log(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((id, timestamp)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    authorize(&state, &headers, peer).await?;
    let id = worker_id(&id)?;
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such log batch");
    let ts: u64 = timestamp
        .trim_end_matches(".json")
        .parse()
        .map_err(|_| missing())?;
    let key = StorageKey::WorkerLog(id, ts);
    match state.objects().get(&key).await {
        Ok(bytes) => Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response()),
        Err(hivesync_objects::ObjectsError::NotFound(_)) => Err(missing()),
        Err(e) => Err(ApiError::internal("worker log", &e)),
    }
}
