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
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::previews::member_job;
use crate::state::AppState;

/// The most batches one page holds.
const MAX_PAGE: usize = 100;

/// Query of the route.
#[derive(Debug, Deserialize)]
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

/// `GET /api/v1/previews/{job_id}/logs`.
pub async fn list(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(job_id): Path<String>,
    Query(q): Query<LogsQuery>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let job = member_job(&state, &headers, peer, &job_id, JobKind::Preview).await?;
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
        batches.push(json!({
            "session_id": session,
            "first_event_at": ts,
            "received_at": doc["received_at"],
            "device_type": doc["device_type"],
            "events": doc["events"],
        }));
    }
    Ok(Json(json!({
        "job_id": job.id,
        "sessions": sessions,
        "batches": batches,
        "next_before": if more { keys.last().map(|k| k.0) } else { None },
    })))
}
