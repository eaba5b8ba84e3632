//! The device API, authenticated by the preview token in `Authorization: Bearer`
//! and the device's type in `X-HiveSync-Device`; both are checked on every request.
//!
//! - `GET /api/v1/preview/screens`: the job's status and its screens for this device type.
//! - `GET /api/v1/preview/screens/{screen_id}/layout`: a screen's Layout JSON.
//! - `GET /api/v1/preview/screens/{screen_id}/assets/{asset_id}.{ext}`: a snapshot PNG or an
//!   image the request carried (PNG, JPEG, WebP, GIF), streamed, or
//!   a redirect to a short-lived presigned URL when the store is S3/R2.
//! - `POST /api/v1/preview/logs`: preview logs, schema-checked and size-limited, stored at
//!   `logs/preview/{session_id}/{event_timestamp}.json`.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hivesync_core::ids::{AssetId, ScreenId, SessionId};
use hivesync_core::preview_token::PreviewClaims;
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::{DeviceType, JobState};
use hivesync_objects::ObjectsError;
use hivesync_store::preview_logs::{LogLimits, LogRefusal};
use hivesync_store::queue::ScreenRecord;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api_error::ApiError;
use crate::auth;
use crate::previews::{parse_json, read_json_body};
use crate::state::AppState;

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such screen or asset in this preview",
    )
}

fn objects_error(e: ObjectsError) -> ApiError {
    match e {
        ObjectsError::NotFound(_) => not_found(),
        other => {
            tracing::warn!("object store: {other}");
            ApiError::unavailable("the object store")
        }
    }
}

/// The header every device request carries besides its token (described once for the OpenAPI
/// description of each device route).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct DeviceHeader {
    /// The device's type: iphone, ipad or android-phone; must be allowed by the token.
    #[param(rename = "X-HiveSync-Device")]
    pub device: String,
}

/// The screen of the token's job for this device, by id.
async fn screen_of(
    state: &AppState,
    claims: &PreviewClaims,
    device: DeviceType,
    screen_id: &str,
) -> Result<ScreenRecord, ApiError> {
    let id = ScreenId::parse(screen_id).map_err(|_| not_found())?;
    if !id.belongs_to(&claims.job_id) {
        return Err(not_found());
    }
    state
        .store()
        .preview_screens(claims.job_id)
        .await?
        .into_iter()
        .find(|s| s.screen_id == screen_id && s.device_type == device)
        .ok_or_else(not_found)
}

/// One screen as a device lists it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeviceScreen {
    /// The screen's id.
    pub screen_id: String,
    /// Its name.
    pub name: String,
    /// Its Layout JSON.
    pub layout_url: String,
    /// Its snapshot and image assets.
    pub assets: Vec<String>,
    /// What the compiler could not map exactly.
    #[schema(value_type = Vec<Object>)]
    pub warnings: serde_json::Value,
}

/// `GET /api/v1/preview/screens`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeviceScreens {
    /// The token's job.
    pub job_id: hivesync_core::ids::JobId,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: &'static str,
    /// Why it failed, for a person.
    pub failure_reason: Option<String>,
    /// ios or android.
    pub platform: hivesync_core::Platform,
    /// The device type asking.
    pub device_type: DeviceType,
    /// Safe mode: interactions off.
    pub safe_mode: bool,
    /// When the token expires (Unix seconds).
    pub expires_at: i64,
    /// This device type's screens (once succeeded).
    pub screens: Vec<DeviceScreen>,
}

/// The token's preview: its status and this device type's screens.
#[utoipa::path(
    get,
    path = "/preview/screens",
    tag = "device",
    params(DeviceHeader),
    security(("preview_token" = [])),
    responses(
        (status = 200, description = "The preview", body = DeviceScreens),
        (status = 401, description = "Missing, expired, forged or revoked preview token", body = crate::api_error::ErrorBody),
        (status = 403, description = "The device type is missing or not allowed by the token", body = crate::api_error::ErrorBody),
        (status = 404, description = "The token's job no longer exists", body = crate::api_error::ErrorBody),
    )
)]
pub async fn screens(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<DeviceScreens>, ApiError> {
    let (claims, device) = auth::device(&state, &headers, Some(peer)).await?;
    let job = state
        .store()
        .job(claims.job_id)
        .await?
        .ok_or_else(not_found)?;
    let screens = if job.state == JobState::Succeeded {
        state.store().preview_screens(claims.job_id).await?
    } else {
        Vec::new()
    };
    let base = state.config().server.public_url.trim_end_matches('/');
    let list: Vec<DeviceScreen> = screens
        .iter()
        .filter(|s| s.device_type == device)
        .map(|s| {
            let assets: Vec<String> = s
                .asset_keys
                .iter()
                .filter_map(|k| match StorageKey::parse(k) {
                    Ok(StorageKey::PreviewAsset(_, asset, media)) => Some(format!(
                        "{base}/api/v1/preview/screens/{}/assets/{asset}.{}",
                        s.screen_id,
                        media.extension()
                    )),
                    _ => None,
                })
                .collect();
            DeviceScreen {
                screen_id: s.screen_id.clone(),
                name: s.name.clone(),
                layout_url: format!("{base}/api/v1/preview/screens/{}/layout", s.screen_id),
                assets,
                warnings: s.warnings.clone(),
            }
        })
        .collect();
    Ok(Json(DeviceScreens {
        job_id: claims.job_id,
        status: job.state.as_str(),
        failure_reason: job.failure_reason,
        platform: claims.platform,
        device_type: device,
        safe_mode: claims.flags.safe_mode,
        expires_at: claims.expires_at,
        screens: list,
    }))
}

/// A screen's Layout JSON (the schema is docs/layout-json.md).
#[utoipa::path(
    get,
    path = "/preview/screens/{screen_id}/layout",
    tag = "device",
    params(
        ("screen_id" = String, Path, description = "The screen's id"),
        DeviceHeader,
    ),
    security(("preview_token" = [])),
    responses(
        (status = 200, description = "The Layout JSON document", body = Object),
        (status = 401, description = "Missing, expired, forged or revoked preview token", body = crate::api_error::ErrorBody),
        (status = 403, description = "The device type is missing or not allowed by the token", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such screen in this preview for this device type", body = crate::api_error::ErrorBody),
        (status = 503, description = "The object store is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn layout(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(screen_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (claims, device) = auth::device(&state, &headers, Some(peer)).await?;
    let screen = screen_of(&state, &claims, device, &screen_id).await?;
    let key = StorageKey::parse(&screen.layout_key).map_err(|_| not_found())?;
    let bytes = state.objects().get(&key).await.map_err(objects_error)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=60"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A snapshot PNG or an image of a screen: the bytes, or a redirect to a short-lived
/// presigned URL when the store is S3/R2 (unless `?stream=1`).
#[utoipa::path(
    get,
    path = "/preview/screens/{screen_id}/assets/{asset_id}",
    tag = "device",
    params(
        ("screen_id" = String, Path, description = "The screen's id"),
        ("asset_id" = String, Path, description = "`{asset id}.{ext}` as the screen list names it"),
        ("stream" = Option<String>, Query, description = "`1`: the bytes from this server, never a redirect"),
        DeviceHeader,
    ),
    security(("preview_token" = [])),
    responses(
        (status = 200, description = "The image (PNG, JPEG, WebP or GIF)", content_type = "image/png", body = Vec<u8>),
        (status = 302, description = "A presigned URL of the bucket (Location)"),
        (status = 401, description = "Missing, expired, forged or revoked preview token", body = crate::api_error::ErrorBody),
        (status = 403, description = "The device type is missing or not allowed by the token", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such asset of this screen", body = crate::api_error::ErrorBody),
        (status = 503, description = "The object store is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn asset(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((screen_id, asset_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (claims, device) = auth::device(&state, &headers, Some(peer)).await?;
    let screen = screen_of(&state, &claims, device, &screen_id).await?;
    // `?stream=1`: the bytes from this server even where a presigned URL could serve them
    // (the web viewer fetches with the token and may not follow a redirect to the bucket).
    let stream_here = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "stream=1"));
    // `{asset_id}.{ext}` as listed, or the bare id (older devices asked for snapshots so).
    let (asset_id, ext) = match asset_id.rsplit_once('.') {
        Some((id, ext)) => (id, Some(ext)),
        None => (asset_id.as_str(), None),
    };
    let asset = AssetId::parse(asset_id).map_err(|_| not_found())?;
    let screen_key = ScreenId::parse(&screen.screen_id).map_err(|_| not_found())?;
    let key = screen
        .asset_keys
        .iter()
        .filter_map(|k| StorageKey::parse(k).ok())
        .find(|k| {
            matches!(k, StorageKey::PreviewAsset(s, a, media)
                if *s == screen_key && *a == asset && ext.is_none_or(|e| e == media.extension()))
        })
        .ok_or_else(not_found)?;
    let StorageKey::PreviewAsset(_, _, media) = key else {
        return Err(not_found());
    };
    let ttl = Duration::from_secs(state.config().object_store.presign_ttl_seconds);
    let presigned = if stream_here {
        None
    } else {
        state
            .objects()
            .presigned_get(&key, ttl)
            .await
            .map_err(objects_error)?
    };
    if let Some(url) = presigned {
        let mut r = StatusCode::FOUND.into_response();
        r.headers_mut().insert(
            header::LOCATION,
            HeaderValue::from_str(&url).map_err(|e| ApiError::internal("presigned url", &e))?,
        );
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(r);
    }
    let (size, stream) = state
        .objects()
        .get_stream(&key)
        .await
        .map_err(objects_error)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(media.content_type()),
            ),
            (header::CONTENT_LENGTH, HeaderValue::from(size)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600, immutable"),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// One preview-log entry from a device.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogEvent {
    /// When it happened on the device (Unix ms).
    pub timestamp: u64,
    /// `interaction`, `navigation` or `warning`.
    #[serde(rename = "type")]
    pub kind: LogKind,
    /// The screen it happened on.
    #[serde(default)]
    pub screen_id: Option<String>,
    /// Free text (bounded).
    #[serde(default)]
    pub message: Option<String>,
    /// Extra structured data (bounded by the body limit).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
}

/// The kinds of preview logs.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogKind {
    /// A tap, scroll or input.
    Interaction,
    /// A screen change.
    Navigation,
    /// Something the device could not render.
    Warning,
}

/// `POST /api/v1/preview/logs` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogBatch {
    /// The device's preview session.
    pub session_id: SessionId,
    /// 1 to 200 events.
    pub events: Vec<LogEvent>,
}

const MAX_LOG_EVENTS: usize = 200;
const MAX_MESSAGE_CHARS: usize = 2000;
/// 9999-12-31T23:59:59.999Z in Unix ms: later timestamps are refused.
const MAX_LOG_TIMESTAMP: u64 = 253_402_300_799_999;

/// What storing a log batch answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogsStored {
    /// The object the batch was stored as.
    pub stored: String,
    /// How many events it held.
    pub events: usize,
}

/// Stores a batch of preview logs (interactions, navigation, warnings) from a device.
#[utoipa::path(
    post,
    path = "/preview/logs",
    tag = "device",
    params(DeviceHeader),
    request_body = LogBatch,
    security(("preview_token" = [])),
    responses(
        (status = 202, description = "Stored", body = LogsStored),
        (status = 400, description = "The body is not JSON of this shape", body = crate::api_error::ErrorBody),
        (status = 401, description = "Missing, expired, forged or revoked preview token", body = crate::api_error::ErrorBody),
        (status = 403, description = "The device type is not allowed, or the session is another preview's", body = crate::api_error::ErrorBody),
        (status = 409, description = "Too many batches in one millisecond; retry", body = crate::api_error::ErrorBody),
        (status = 413, description = "The body, or the logs stored for this session or token, exceed the limits", body = crate::api_error::ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = crate::api_error::ErrorBody),
        (status = 422, description = "Bad events: count, message length, screen id or timestamp", body = crate::api_error::ErrorBody),
        (status = 429, description = "Too many batches per minute; see Retry-After", body = crate::api_error::ErrorBody),
        (status = 503, description = "A dependency is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn logs(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<LogsStored>), ApiError> {
    let (claims, device) = auth::device(&state, &headers, Some(peer)).await?;
    let bytes: Bytes =
        read_json_body(&headers, body, state.config().server.max_preview_log_bytes).await?;
    let batch: LogBatch = parse_json(&bytes)?;
    let bad = |m: &str| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_logs",
            m.to_owned(),
        )
    };
    if batch.events.is_empty() || batch.events.len() > MAX_LOG_EVENTS {
        return Err(bad("send between 1 and 200 events"));
    }
    if batch.events.iter().any(|e| {
        e.message
            .as_ref()
            .is_some_and(|m| m.chars().count() > MAX_MESSAGE_CHARS)
    }) {
        return Err(bad("a message is longer than 2000 characters"));
    }
    if batch.events.iter().any(|e| {
        e.screen_id
            .as_ref()
            .is_some_and(|s| ScreenId::parse(s).is_err())
    }) {
        return Err(bad("screen_id is not a valid screen id"));
    }
    if batch.events.iter().any(|e| e.timestamp > MAX_LOG_TIMESTAMP) {
        return Err(bad(
            "timestamp must be Unix milliseconds before the year 10000",
        ));
    }
    let first = batch.events.iter().map(|e| e.timestamp).min().unwrap_or(0);
    let now = hivesync_core::clock::now_ms();
    let doc = json!({
        "job_id": claims.job_id,
        "project_id": claims.project_id,
        "device_type": device,
        "received_at": now,
        "events": batch.events,
    });
    let payload = Bytes::from(serde_json::to_vec(&doc).expect("logs serialize"));
    let cfg = &state.config().server;
    let limits = LogLimits {
        session_bytes: cfg.preview_log_session_bytes,
        token_bytes: cfg.preview_log_token_bytes,
        batches_per_minute: cfg.preview_log_batches_per_minute,
    };
    let admitted = state
        .store()
        .admit_preview_log(
            batch.session_id,
            claims.job_id,
            payload.len() as u64,
            &limits,
            now,
        )
        .await?;
    match admitted {
        Ok(()) => {}
        Err(LogRefusal::ForeignSession) => {
            auth::record(
                &state,
                "preview_log_foreign_session",
                None,
                Some(claims.job_id.to_string()),
                Some(peer),
                "preview logs for a session opened by another preview's token",
            )
            .await;
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "session_not_allowed",
                "this session belongs to another preview; start a new session",
            ));
        }
        Err(LogRefusal::SessionFull | LogRefusal::TokenFull) => {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "log_volume_exceeded",
                "this preview has stored as many logs as it may; start a new preview",
            ));
        }
        Err(LogRefusal::TooFast { retry_after_secs }) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "a preview may send {} log batches per minute",
                    limits.batches_per_minute
                ),
            )
            .retry_after(retry_after_secs));
        }
    }
    // One object per batch, named by its first event; a batch starting in the same
    // millisecond as an earlier one takes the next free millisecond, never overwriting it.
    for offset in 0..16u64 {
        let Some(at) = first.checked_add(offset) else {
            break;
        };
        let key = StorageKey::PreviewLog(batch.session_id, at);
        match state.objects().put_new(&key, payload.clone()).await {
            Ok(()) => {
                return Ok((
                    StatusCode::ACCEPTED,
                    Json(LogsStored {
                        stored: key.as_path(),
                        events: batch.events.len(),
                    }),
                ));
            }
            Err(ObjectsError::AlreadyExists(_)) => continue,
            Err(e) => return Err(objects_error(e)),
        }
    }
    Err(ApiError::new(
        StatusCode::CONFLICT,
        "log_conflict",
        "too many log batches for one millisecond; retry",
    ))
}
