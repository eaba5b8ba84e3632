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
use serde::Deserialize;
use serde_json::{Value, json};

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
        .filter(|o| o.is_admin)
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
#[derive(Deserialize)]
pub struct Limit {
    limit: Option<u32>,
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

/// `GET /api/v1/admin/workers`.
pub async fn workers(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let now = now_ms();
    let list = state
        .store()
        .worker_health(&state.health_policy(), now)
        .await?;
    let workers: Vec<Value> = list
        .iter()
        .map(|w| {
            json!({
                "id": w.node.id,
                "type": w.node.worker_type,
                "status": if w.node.active { "active" } else { "disabled" },
                "health": crate::metrics::worker_health_label(&w.node),
                "health_reason": w.health_reason,
                "health_changed_at": w.health_changed_at,
                "last_heartbeat_at": w.node.last_heartbeat_at,
                "heartbeat_age_seconds": w.node.last_heartbeat_at.map(|t| (now - t) / 1000),
                "cpu_load": w.cpu_load,
                "gpu_load": w.gpu_load,
                "capacity": w.node.capacity,
                "running_jobs": w.running_jobs,
                "recent_jobs": w.window.jobs,
                "recent_worker_failures": w.window.worker_failures,
                "error_rate": w.window.rate(),
                "version": w.node.version,
                "hostname": w.node.hostname,
                "stopped_at": w.node.stopped_at,
            })
        })
        .collect();
    Ok(Json(json!({ "workers": workers })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Reason {
    reason: Option<String>,
}

async fn set_status(
    state: AppState,
    peer: SocketAddr,
    headers: HeaderMap,
    id: String,
    body: Body,
    active: bool,
) -> Result<Json<Value>, ApiError> {
    let actor = authorize(&state, &headers, peer).await?;
    let id = worker_id(&id)?;
    let bytes = axum::body::to_bytes(body, 4096).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
            "the body exceeds 4096 bytes",
        )
    })?;
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
            Ok(Json(
                json!({ "worker_id": id, "status": if active { "active" } else { "disabled" }, "changed": changed }),
            ))
        }
    }
}

/// `POST /api/v1/admin/workers/{id}/disable`.
pub async fn disable(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    set_status(state, peer, headers, id, body, false).await
}

/// `POST /api/v1/admin/workers/{id}/enable`.
pub async fn enable(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    set_status(state, peer, headers, id, body, true).await
}

/// The JSON of recent jobs (the API and the dashboard show the same).
pub fn job_json(j: &hivesync_store::analytics::JobSummary) -> Value {
    json!({
        "id": j.job.id,
        "kind": j.job.kind,
        "tier": j.job.tier,
        "state": j.job.state,
        "worker_id": j.job.worker_id,
        "created_at": j.job.created_at,
        "claimed_at": j.job.claimed_at,
        "finished_at": j.job.finished_at,
        "wait_ms": j.job.claimed_at.map(|c| c - j.job.created_at),
        "run_ms": j.run_ms(),
        "failure_reason": j.job.failure_reason,
        "failure_cause": j.failure_cause,
    })
}

/// `GET /api/v1/admin/jobs`.
pub async fn jobs(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let jobs = state.store().recent_jobs(limit.get()).await?;
    Ok(Json(
        json!({ "jobs": jobs.iter().map(job_json).collect::<Vec<_>>() }),
    ))
}

/// `GET /api/v1/admin/events/security`.
pub async fn security_events(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let events = state.store().security_events(limit.get()).await?;
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({
                "kind": e.kind, "worker_id": e.worker_id, "job_id": e.job_id, "remote_addr": e.remote_addr,
                "detail": e.detail, "created_at": e.created_at, "count": e.count, "last_at": e.last_at,
            })
        })
        .collect();
    Ok(Json(json!({ "events": events })))
}

/// `GET /api/v1/admin/events/routing`.
pub async fn routing_events(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let events = state.store().routing_events(None, limit.get()).await?;
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({
                "job_id": e.job_id, "worker_id": e.worker_id, "tier": e.tier, "reason": e.reason, "created_at": e.created_at,
            })
        })
        .collect();
    Ok(Json(json!({ "events": events })))
}

/// `GET /api/v1/admin/events/workers`.
pub async fn worker_events(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let events = state.store().worker_transitions(None, limit.get()).await?;
    let events: Vec<Value> = events
        .iter()
        .map(|t| {
            json!({
                "worker_id": t.worker_id, "change": t.change.as_str(), "actor": t.actor, "reason": t.reason, "created_at": t.created_at,
            })
        })
        .collect();
    Ok(Json(json!({ "events": events })))
}

/// `GET /api/v1/admin/workers/{id}/logs`.
pub async fn worker_logs(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(limit): Query<Limit>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, peer).await?;
    let id = worker_id(&id)?;
    let logs = state.store().worker_logs(&id, limit.get()).await?;
    let logs: Vec<Value> = logs
        .iter()
        .map(|l| json!({ "key": l.key, "events": l.events, "bytes": l.bytes, "created_at": l.created_at }))
        .collect();
    Ok(Json(json!({ "worker_id": id, "logs": logs })))
}

/// `GET /api/v1/admin/workers/{id}/logs/{timestamp}`: one stored batch, as written.
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
