//! The worker API: `POST /api/v1/worker/callback` and `POST /api/v1/worker/heartbeat`, signed
//! the Standard Webhooks way with each worker's own key (see
//! `hivesync_core::callback_signature`).
//!
//! A callback is accepted only if: the signature is valid; the timestamp is within the
//! tolerance; its `webhook-id` was never seen; the worker is registered and active; the job is
//! active and claimed by that worker; the job has not expired; platform and tier equal the
//! original request; every referenced object exists in storage (and belongs to the job). Then
//! the job and its screens are updated in one transaction and clients are notified. Any
//! failure answers a generic 401/409/422, changes nothing, and writes a `security_events` row.

use std::net::SocketAddr;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use futures::{StreamExt, TryStreamExt};
use hivesync_core::callback_signature::{
    self, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, HEADER_WORKER, WorkerKey,
};
use hivesync_core::client_events::{ClientEvent, EventScreen};
use hivesync_core::clock::now_ms;
use hivesync_core::ids::{JobId, WorkerId};
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::wire::{
    CallbackBody, CallbackScreen, CallbackStatus, HeartbeatBody, MAX_BODY_BYTES, MAX_REASON_BYTES,
    MAX_SCREEN_NAME_CHARS, MAX_WARNINGS_PER_SCREEN,
};
use hivesync_core::{DeviceType, JobKind, JobState};
use hivesync_store::queue::{CallbackRefusal, Outcome, ScreenRecord};
use hivesync_store::workers::Heartbeat;

use crate::api_error::ApiError;
use crate::auth;
use crate::state::AppState;

/// Object-existence checks of one callback in flight at once.
const OBJECT_CHECKS_AT_ONCE: usize = 16;

fn rejected(status: StatusCode) -> ApiError {
    ApiError::new(status, "callback_rejected", "request rejected")
}

/// A request whose signature, timestamp and worker checked out.
struct Verified {
    worker: WorkerId,
    webhook_id: String,
    body: Bytes,
}

/// Checks signature headers, timestamp and the worker's registration.
async fn verify(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    peer: SocketAddr,
    what: &str,
) -> Result<Verified, ApiError> {
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let body = crate::previews::read_json_body(headers, body, MAX_BODY_BYTES as u64).await?;
    let worker = match WorkerId::parse(&h(HEADER_WORKER)) {
        Ok(w) => w,
        Err(_) => {
            auth::record(
                state,
                &format!("{what}_malformed"),
                None,
                None,
                Some(peer),
                "missing or invalid worker id header",
            )
            .await;
            return Err(rejected(StatusCode::UNAUTHORIZED));
        }
    };
    let secrets = state.secrets();
    let root = secrets
        .worker_callback_secret
        .as_ref()
        .ok_or_else(|| ApiError::unavailable("worker callbacks"))?;
    let tolerance = state.config().callback.tolerance_seconds as i64;
    let webhook_id = h(HEADER_ID);
    let check = |root| {
        callback_signature::check(
            &WorkerKey::derive(root, &worker),
            &webhook_id,
            &h(HEADER_TIMESTAMP),
            &h(HEADER_SIGNATURE),
            &body,
            crate::state::now_secs(),
            tolerance,
        )
    };
    // During a rotation of the root secret, keys derived from the previous root still verify.
    let checked = match (check(root), &secrets.worker_callback_previous_secret) {
        (Err(callback_signature::SignatureError::BadSignature), Some(previous)) => check(previous),
        (result, _) => result,
    };
    if let Err(e) = checked {
        let kind = match e {
            callback_signature::SignatureError::Malformed => "malformed",
            callback_signature::SignatureError::Stale => "stale_timestamp",
            callback_signature::SignatureError::BadSignature => "bad_signature",
        };
        auth::record(
            state,
            &format!("{what}_{kind}"),
            Some(worker.to_string()),
            None,
            Some(peer),
            e.to_string(),
        )
        .await;
        return Err(rejected(StatusCode::UNAUTHORIZED));
    }
    match state.store().worker(&worker).await? {
        Some(node) if node.active => {}
        Some(_) => {
            auth::record(
                state,
                &format!("{what}_worker_disabled"),
                Some(worker.to_string()),
                None,
                Some(peer),
                "worker is disabled",
            )
            .await;
            return Err(rejected(StatusCode::UNAUTHORIZED));
        }
        None => {
            auth::record(
                state,
                &format!("{what}_unknown_worker"),
                Some(worker.to_string()),
                None,
                Some(peer),
                "worker is not registered",
            )
            .await;
            return Err(rejected(StatusCode::UNAUTHORIZED));
        }
    }
    Ok(Verified {
        worker,
        webhook_id,
        body,
    })
}

/// Every refusal of the worker API answers the generic `callback_rejected` and is recorded:
/// those that were not yet (content type, size, a failure of ours) are recorded here.
async fn guarded(
    state: &AppState,
    peer: SocketAddr,
    what: &str,
    result: Result<Json<Accepted>, ApiError>,
) -> Result<Json<Accepted>, ApiError> {
    match result {
        Err(e) if e.code != "callback_rejected" => {
            auth::record(
                state,
                &format!("{what}_refused"),
                None,
                None,
                Some(peer),
                format!("{} ({})", e.code, e.status.as_u16()),
            )
            .await;
            Err(rejected(e.status))
        }
        other => other,
    }
}

/// The headers that sign every worker request (see `hivesync_core::callback_signature`),
/// described once for the OpenAPI description of both routes.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct SignatureHeaders {
    /// A unique id of this delivery (replays are refused).
    #[param(rename = "webhook-id")]
    pub id: String,
    /// Unix seconds; within the tolerance of the server's clock.
    #[param(rename = "webhook-timestamp")]
    pub timestamp: i64,
    /// `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the worker's key.
    #[param(rename = "webhook-signature")]
    pub signature: String,
    /// The signing worker's id.
    #[param(rename = "hivesync-worker-id")]
    pub worker: String,
}

/// What the worker API answers when it accepts a request.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// Always true.
    pub accepted: bool,
}

/// A worker reports a job's result (signed with the worker's own key).
#[utoipa::path(
    post,
    path = "/worker/callback",
    tag = "worker",
    request_body = CallbackBody,
    params(SignatureHeaders),
    security(("worker_signature" = [])),
    responses(
        (status = 200, description = "Applied", body = Accepted),
        (status = 401, description = "Bad signature, stale timestamp, unknown or disabled worker", body = crate::api_error::ErrorBody),
        (status = 409, description = "Replayed, or the job is not this worker's active job", body = crate::api_error::ErrorBody),
        (status = 413, description = "The body is too large", body = crate::api_error::ErrorBody),
        (status = 422, description = "The body does not match the job, or a referenced object is missing", body = crate::api_error::ErrorBody),
        (status = 503, description = "A dependency is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn callback(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Accepted>, ApiError> {
    let result = apply_callback(&state, &headers, body, peer).await;
    guarded(&state, peer, "callback", result).await
}

async fn apply_callback(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    peer: SocketAddr,
) -> Result<Json<Accepted>, ApiError> {
    let v = verify(state, headers, body, peer, "callback").await?;
    let worker_s = Some(v.worker.to_string());
    let refuse = |kind: &'static str, status: StatusCode, job: Option<String>, detail: String| {
        let state = state.clone();
        let worker_s = worker_s.clone();
        async move {
            auth::record(&state, kind, worker_s, job, Some(peer), detail).await;
            rejected(status)
        }
    };
    let body: CallbackBody = match serde_json::from_slice(&v.body) {
        Ok(b) => b,
        Err(e) => {
            return Err(refuse(
                "callback_bad_body",
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                format!("body does not parse: {}", e.classify() as u8),
            )
            .await);
        }
    };
    let job_s = Some(body.job_id.to_string());
    // Replays are named as such, whatever state the job has reached since; the id is recorded
    // only when a callback is applied (in its transaction).
    if state.store().receipt_seen(&v.webhook_id).await? {
        return Err(refuse(
            "callback_replayed",
            StatusCode::CONFLICT,
            job_s,
            "webhook-id seen before".into(),
        )
        .await);
    }
    if body.worker_id != v.worker {
        return Err(refuse(
            "callback_worker_mismatch",
            StatusCode::UNAUTHORIZED,
            job_s,
            "body names another worker".into(),
        )
        .await);
    }
    let store = state.store();
    let Some(job) = store
        .job(body.job_id)
        .await?
        .filter(|j| j.kind == body.kind)
    else {
        return Err(refuse(
            "callback_unknown_job",
            StatusCode::CONFLICT,
            job_s,
            format!("no such {} job", body.kind),
        )
        .await);
    };
    if job.state != JobState::Running || job.worker_id.as_ref() != Some(&v.worker) {
        return Err(refuse(
            "callback_job_not_active",
            StatusCode::CONFLICT,
            job_s,
            format!("job is {} and not claimed by this worker", job.state),
        )
        .await);
    }
    let now = now_ms();
    if job.expires_at <= now {
        return Err(refuse(
            "callback_job_expired",
            StatusCode::CONFLICT,
            job_s,
            "job expired".into(),
        )
        .await);
    }
    if job.kind == JobKind::AiDocs {
        return apply_docs_callback(state, &v, body, job, now, refuse).await;
    }
    let spec = store
        .preview_spec(job.id)
        .await?
        .ok_or_else(|| ApiError::internal("callback", &"preview job without spec"))?;
    if body.platform != Some(spec.platform) || body.tier != job.tier || body.r2_key.is_some() {
        return Err(refuse(
            "callback_mismatch",
            StatusCode::UNPROCESSABLE_ENTITY,
            job_s,
            "platform or tier differ from the request".into(),
        )
        .await);
    }
    let outcome = match body.status {
        CallbackStatus::Failed => match failed_outcome(&body) {
            Some(o) => o,
            None => {
                return Err(refuse(
                    "callback_bad_body",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    job_s,
                    "failed callback needs a reason and no screens".into(),
                )
                .await);
            }
        },
        CallbackStatus::Succeeded => {
            // Snapshots are counted per preview; each screen may also show every image of the
            // file set (at most the tier's `max_assets`).
            let limits = state.config().tiers.get(job.tier);
            let max_assets = (limits.max_snapshots_per_preview as usize)
                .saturating_add((limits.max_assets as usize).saturating_mul(body.screens.len()));
            match check_screens(
                state,
                &job.id,
                &spec.device_types,
                &body.screens,
                max_assets,
            )
            .await
            {
                Ok(records) => Outcome::Succeeded(records),
                Err((kind, detail)) => {
                    return Err(
                        refuse(kind, StatusCode::UNPROCESSABLE_ENTITY, job_s, detail).await,
                    );
                }
            }
        }
    };
    let public_url = &state.config().server.public_url;
    let event = match &outcome {
        Outcome::Succeeded(screens) => ClientEvent::preview_ready(
            public_url,
            job.id,
            job.project_id,
            screens
                .iter()
                .map(|s| EventScreen {
                    screen_id: s.screen_id.clone(),
                    name: s.name.clone(),
                    device_type: s.device_type,
                })
                .collect(),
        ),
        Outcome::Failed(reason) | Outcome::WorkerFailed(reason) => {
            ClientEvent::failed(public_url, JobKind::Preview, job.id, job.project_id, reason)
        }
        Outcome::DocsStored(_) => unreachable!("AI documentation callbacks end above"),
    };
    commit_callback(
        state,
        &v,
        &job,
        (&outcome, &event),
        now,
        &body.status,
        &refuse,
        job_s,
    )
    .await
}

/// The outcome of a failed callback: its reason, when it has one and no results.
fn failed_outcome(body: &CallbackBody) -> Option<Outcome> {
    let reason = body.failure_reason.as_deref().map(str::trim).unwrap_or("");
    (!reason.is_empty()
        && reason.len() <= MAX_REASON_BYTES
        && body.screens.is_empty()
        && body.r2_key.is_none())
    .then(|| {
        if body.worker_fault {
            Outcome::WorkerFailed(reason.to_owned())
        } else {
            Outcome::Failed(reason.to_owned())
        }
    })
}

/// Applies the callback of an AI documentation job (checked up to the job's state and expiry):
/// its tier equals the request's, it names no platform or screens, and a success names the
/// job's own `ai-docs/{job_id}.json`, which must exist in storage.
async fn apply_docs_callback<F, Fut>(
    state: &AppState,
    v: &Verified,
    body: CallbackBody,
    job: hivesync_store::queue::Job,
    now: i64,
    refuse: F,
) -> Result<Json<Accepted>, ApiError>
where
    F: Fn(&'static str, StatusCode, Option<String>, String) -> Fut,
    Fut: std::future::Future<Output = ApiError>,
{
    let job_s = Some(job.id.to_string());
    if body.tier != job.tier || body.platform.is_some() || !body.screens.is_empty() {
        return Err(refuse(
            "callback_mismatch",
            StatusCode::UNPROCESSABLE_ENTITY,
            job_s,
            "tier, platform or screens do not fit the AI documentation request".into(),
        )
        .await);
    }
    let store = state.store();
    let spec = store
        .ai_docs_spec(job.id)
        .await?
        .ok_or_else(|| ApiError::internal("callback", &"AI documentation job without spec"))?;
    let public_url = &state.config().server.public_url;
    let (outcome, event) = match body.status {
        CallbackStatus::Failed => {
            let Some(outcome) = failed_outcome(&body) else {
                return Err(refuse(
                    "callback_bad_body",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    job_s,
                    "failed callback needs a reason and no results".into(),
                )
                .await);
            };
            let (Outcome::Failed(reason) | Outcome::WorkerFailed(reason)) = &outcome else {
                unreachable!("failed_outcome fails")
            };
            let event =
                ClientEvent::failed(public_url, JobKind::AiDocs, job.id, job.project_id, reason);
            (outcome, event)
        }
        CallbackStatus::Succeeded => {
            let key = StorageKey::AiDoc(job.id);
            if body.r2_key.as_deref() != Some(key.as_path().as_str()) {
                return Err(refuse(
                    "callback_bad_key",
                    StatusCode::UNPROCESSABLE_ENTITY,
                    job_s,
                    "the document key is not this job's".into(),
                )
                .await);
            }
            match state.objects().exists(&key).await {
                Ok(true) => {}
                Ok(false) => {
                    return Err(refuse(
                        "callback_missing_object",
                        StatusCode::UNPROCESSABLE_ENTITY,
                        job_s,
                        format!("{key} is not in storage"),
                    )
                    .await);
                }
                Err(e) => {
                    return Err(refuse(
                        "callback_storage_unavailable",
                        StatusCode::UNPROCESSABLE_ENTITY,
                        job_s,
                        e.to_string(),
                    )
                    .await);
                }
            }
            let event =
                ClientEvent::ai_docs_ready(public_url, job.id, job.project_id, &spec.file_path);
            (Outcome::DocsStored(key.as_path()), event)
        }
    };
    commit_callback(
        state,
        v,
        &job,
        (&outcome, &event),
        now,
        &body.status,
        &refuse,
        job_s,
    )
    .await
}

/// Applies an accepted callback's outcome and its client event in one transaction, counts
/// it in the metrics and answers; a replayed callback, or one for a job no longer running,
/// is refused.
#[allow(clippy::too_many_arguments)]
async fn commit_callback<F, Fut>(
    state: &AppState,
    v: &Verified,
    job: &hivesync_store::queue::Job,
    (outcome, event): (&Outcome, &ClientEvent),
    now: i64,
    status: &(dyn std::fmt::Debug + Sync),
    refuse: &F,
    job_s: Option<String>,
) -> Result<Json<Accepted>, ApiError>
where
    F: Fn(&'static str, StatusCode, Option<String>, String) -> Fut,
    Fut: std::future::Future<Output = ApiError>,
{
    match state
        .store()
        .apply_callback(job, &v.worker, &v.webhook_id, outcome, event, now)
        .await?
    {
        Ok(event_id) => {
            tracing::info!(job = %job.id, worker = %v.worker, kind = job.kind.as_str(), ?status, event_id, "callback accepted");
            let m = state.metrics();
            m.callback(true, "ok");
            let final_state = match outcome {
                Outcome::Succeeded(_) | Outcome::DocsStored(_) => "succeeded",
                _ => "failed",
            };
            m.job_finished(
                job.kind.as_str(),
                job.tier.as_str(),
                final_state,
                job.claimed_at.map(|c| c - job.created_at),
                job.claimed_at.map(|c| now - c),
            );
            Ok(Json(Accepted { accepted: true }))
        }
        Err(CallbackRefusal::Replayed) => Err(refuse(
            "callback_replayed",
            StatusCode::CONFLICT,
            job_s,
            "webhook-id seen before".into(),
        )
        .await),
        Err(CallbackRefusal::NotRunning) => Err(refuse(
            "callback_job_not_active",
            StatusCode::CONFLICT,
            job_s,
            "job left the running state".into(),
        )
        .await),
    }
}

/// Validates the screens of a successful callback against the job and the object store.
async fn check_screens(
    state: &AppState,
    job: &JobId,
    devices: &[DeviceType],
    screens: &[CallbackScreen],
    max_assets: usize,
) -> Result<Vec<ScreenRecord>, (&'static str, String)> {
    if screens.is_empty() {
        return Err((
            "callback_bad_body",
            "a succeeded callback needs screens".into(),
        ));
    }
    let total_assets: usize = screens.iter().map(|s| s.asset_keys.len()).sum();
    if total_assets > max_assets {
        return Err((
            "callback_too_many_snapshots",
            format!("{total_assets} assets exceed the tier's {max_assets} for these screens"),
        ));
    }
    let mut records = Vec::new();
    let mut objects = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in screens {
        if !s.screen_id.belongs_to(job)
            || !devices.contains(&s.device_type)
            || !seen.insert(s.screen_id.clone())
        {
            return Err((
                "callback_foreign_screen",
                "a screen does not belong to this job or device types".into(),
            ));
        }
        let layout = StorageKey::PreviewLayout(s.screen_id.clone());
        if s.layout_json_key != layout.as_path() {
            return Err(("callback_bad_key", "layout key is not this screen's".into()));
        }
        let mut keys = vec![layout];
        for k in &s.asset_keys {
            let key = StorageKey::parse(k).ok();
            match key {
                Some(StorageKey::PreviewAsset(ref screen, _, _)) if *screen == s.screen_id => {
                    keys.extend(key)
                }
                _ => {
                    return Err((
                        "callback_bad_key",
                        "an asset key is not this screen's".into(),
                    ));
                }
            }
        }
        objects.extend(keys);
        records.push(ScreenRecord {
            screen_id: s.screen_id.to_string(),
            device_type: s.device_type,
            name: s.name.chars().take(MAX_SCREEN_NAME_CHARS).collect(),
            layout_key: s.layout_json_key.clone(),
            asset_keys: s.asset_keys.clone(),
            warnings: serde_json::Value::Array(
                s.warnings
                    .iter()
                    .take(MAX_WARNINGS_PER_SCREEN)
                    .cloned()
                    .collect(),
            ),
        });
    }
    // Every referenced object must exist; checked a few at a time, not one by one.
    futures::stream::iter(objects)
        .map(|key| async move {
            match state.objects().exists(&key).await {
                Ok(true) => Ok(()),
                Ok(false) => Err((
                    "callback_missing_object",
                    format!("{key} is not in storage"),
                )),
                Err(e) => Err(("callback_storage_unavailable", e.to_string())),
            }
        })
        .buffer_unordered(OBJECT_CHECKS_AT_ONCE)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(records)
}

/// A worker's heartbeat: its load and memory (signed with the worker's own key).
#[utoipa::path(
    post,
    path = "/worker/heartbeat",
    tag = "worker",
    request_body = HeartbeatBody,
    params(SignatureHeaders),
    security(("worker_signature" = [])),
    responses(
        (status = 200, description = "Recorded", body = Accepted),
        (status = 401, description = "Bad signature, stale timestamp, unknown or disabled worker", body = crate::api_error::ErrorBody),
        (status = 409, description = "Replayed", body = crate::api_error::ErrorBody),
        (status = 413, description = "The body is too large", body = crate::api_error::ErrorBody),
        (status = 422, description = "The body does not match the signing worker", body = crate::api_error::ErrorBody),
        (status = 503, description = "A dependency is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn heartbeat(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Accepted>, ApiError> {
    let result = record_heartbeat(&state, &headers, body, peer).await;
    guarded(&state, peer, "heartbeat", result).await
}

async fn record_heartbeat(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    peer: SocketAddr,
) -> Result<Json<Accepted>, ApiError> {
    let v = verify(state, headers, body, peer, "heartbeat").await?;
    let sane = |hb: &HeartbeatBody| {
        hb.worker_id == v.worker
            && hb.cpu_load.is_finite()
            && hb.cpu_load >= 0.0
            && hb.gpu_load.is_none_or(|g| g.is_finite() && g >= 0.0)
            && hb.memory_used_bytes >= 0
            && hb.memory_total_bytes >= 0
            && hb.running_jobs >= 0
            && hb.queue_depth >= 0
    };
    let parsed = serde_json::from_slice::<HeartbeatBody>(&v.body)
        .ok()
        .filter(sane);
    let Some(hb) = parsed else {
        auth::record(
            state,
            "heartbeat_bad_body",
            Some(v.worker.to_string()),
            None,
            Some(peer),
            "body does not parse, names another worker, or has implausible values",
        )
        .await;
        return Err(rejected(StatusCode::UNPROCESSABLE_ENTITY));
    };
    let now = now_ms();
    if !state
        .store()
        .record_receipt(&v.webhook_id, v.worker.as_str(), now)
        .await?
    {
        auth::record(
            state,
            "heartbeat_replayed",
            Some(v.worker.to_string()),
            None,
            Some(peer),
            "webhook-id seen before",
        )
        .await;
        return Err(rejected(StatusCode::CONFLICT));
    }
    let stored = Heartbeat {
        sent_at: hb.sent_at,
        cpu_load: hb.cpu_load,
        gpu_load: hb.gpu_load,
        memory_used_bytes: hb.memory_used_bytes,
        memory_total_bytes: hb.memory_total_bytes,
        running_jobs: hb.running_jobs,
        queue_depth: hb.queue_depth,
    };
    state
        .store()
        .record_heartbeat(&v.worker, &stored, now)
        .await?;
    Ok(Json(Accepted { accepted: true }))
}
