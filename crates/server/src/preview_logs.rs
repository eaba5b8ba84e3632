//! `GET /api/v1/previews/{job_id}/logs`: the preview logs devices posted for a job, for the
//! members of its project (the data behind the desktop and iPad diagnostics panel): newest
//! batch first, optionally one session's, paged by the batches' first-event timestamps.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use hivesync_core::JobKind;
use hivesync_core::ids::SessionId;
use hivesync_core::storage_keys::StorageKey;
use serde::Deserialize;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::auth::Family;
use crate::previews::member_job;
use crate::state::AppState;

/// The most batches one page holds.
const MAX_PAGE: usize = 100;

/// Query of the route.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogsQuery {
    /// Only this session's batches.
    pub session: Option<String>,
    /// Only batches whose first event is older than this (Unix ms): the `next_before` of the
    /// previous page.
    pub before: Option<u64>,
    /// Batches per page, 1-100 (default 20).
    pub limit: Option<usize>,
}

fn bad(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_query",
        message.to_owned(),
    )
}

/// One stored batch of a device's preview logs.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LogBatchOut {
    /// The device's preview session.
    pub session_id: SessionId,
    /// The batch's first event (Unix ms).
    pub first_event_at: u64,
    /// When the server stored it (Unix ms).
    #[schema(value_type = Option<i64>)]
    pub received_at: Value,
    /// The device type that sent it.
    #[schema(value_type = Option<String>)]
    pub device_type: Value,
    /// Its events, as the device sent them.
    #[schema(value_type = Vec<crate::device::LogEvent>)]
    pub events: Value,
}

/// A page of a preview's logs.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LogPage {
    /// The job.
    pub job_id: hivesync_core::ids::JobId,
    /// Every session that posted logs for it.
    pub sessions: Vec<SessionId>,
    /// This page's batches, newest first.
    pub batches: Vec<LogBatchOut>,
    /// `before` of the next page, when there is one.
    pub next_before: Option<u64>,
}

/// The preview logs devices posted for a job (the desktop and iPad diagnostics panel): newest
/// batch first, optionally one session's, paged.
#[utoipa::path(
    get,
    path = "/previews/{job_id}/logs",
    tag = "previews",
    params(("job_id" = String, Path, description = "The preview job's id"), LogsQuery),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "A page of batches", body = LogPage),
        (status = 401, description = "Missing, unknown or revoked API key", body = crate::api_error::ErrorBody),
        (status = 403, description = "A `ci` key", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such preview job of the caller's projects", body = crate::api_error::ErrorBody),
        (status = 422, description = "A bad `limit` or `session`", body = crate::api_error::ErrorBody),
        (status = 503, description = "The object store is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(job_id): Path<String>,
    Query(q): Query<LogsQuery>,
    headers: HeaderMap,
) -> Result<Json<LogPage>, ApiError> {
    let job = member_job(
        &state,
        &headers,
        peer,
        &job_id,
        JobKind::Preview,
        Family::Developer,
    )
    .await?;
    let limit = q.limit.unwrap_or(20);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(bad("limit must be between 1 and 100"));
    }
    let only = match q.session.as_deref() {
        Some(s) => Some(SessionId::parse(s).map_err(|_| bad("session is not a session id"))?),
        None => None,
    };
    let sessions: Vec<SessionId> = state
        .store()
        .preview_log_sessions(job.id)
        .await?
        .into_iter()
        .filter(|s| only.is_none_or(|o| o == *s))
        .collect();
    let mut keys: Vec<(u64, SessionId, StorageKey)> = Vec::new();
    for session in &sessions {
        let listed = state
            .objects()
            .list(&format!("logs/preview/{session}/"))
            .await
            .map_err(|e| {
                tracing::warn!("object store: {e}");
                ApiError::unavailable("the object store")
            })?;
        for key in listed {
            if let StorageKey::PreviewLog(s, ts) = key
                && q.before.is_none_or(|b| ts < b)
            {
                keys.push((ts, s, key));
            }
        }
    }
    keys.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let more = keys.len() > limit;
    keys.truncate(limit);
    let mut batches = Vec::with_capacity(keys.len());
    for (ts, session, key) in &keys {
        let doc: Value = match state.objects().get(key).await {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            // A batch pruned between the listing and the read is skipped.
            Err(hivesync_objects::ObjectsError::NotFound(_)) => continue,
            Err(e) => {
                tracing::warn!("object store: {e}");
                return Err(ApiError::unavailable("the object store"));
            }
        };
        batches.push(LogBatchOut {
            session_id: *session,
            first_event_at: *ts,
            received_at: doc["received_at"].clone(),
            device_type: doc["device_type"].clone(),
            events: doc["events"].clone(),
        });
    }
    Ok(Json(LogPage {
        job_id: job.id,
        sessions,
        batches,
        next_before: if more { keys.last().map(|k| k.0) } else { None },
    }))
}
