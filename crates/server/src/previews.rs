//! The client API for previews: `POST /api/v1/previews` and
//! `GET /api/v1/previews/{job_id}`.
//!
//! A request is checked in this order, each with its own error code: authentication (401);
//! `Content-Type: application/json` (415); body size before parsing (413 `request_too_large`);
//! JSON shape (400); project permission (404 for strangers, 403 for viewers); project flagged
//! as a mobile app (422); binary files (images, fonts: base64 of a sniffed type that agrees with
//! the name, else 422 `invalid_asset`); per-file size, file count, and the count and bytes of
//! binary files (413); tier limits: previews per hour and
//! jobs in flight (429 with `Retry-After`). The snapshot limit of the tier travels with the job:
//! the worker fails a preview that needs more, and the callback refuses more.

use std::net::SocketAddr;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use hivesync_core::clock::now_ms;
use hivesync_core::config::TierLimits;
use hivesync_core::ids::{JobId, ProjectId};
use hivesync_core::preview_token::{self, PURPOSE, PreviewClaims, PreviewFlags};
use hivesync_core::wire::{PreviewInput, TextFile};
use hivesync_core::{DeviceType, JobKind, Platform};
use hivesync_store::admission::{FileChanges, Quota, Refused};
use hivesync_store::queue::NewPreviewJob;
use serde::Deserialize;

use crate::api_error::{ApiError, ErrorBody};
use crate::auth::{self, Family};
use crate::state::AppState;

/// One file of a request.
pub type FileIn = TextFile;

/// Changes against the project's last accepted file set.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Delta {
    /// Files added or changed.
    #[serde(default)]
    pub changed: Vec<FileIn>,
    /// Paths removed.
    #[serde(default)]
    pub deleted: Vec<String>,
}

/// `POST /api/v1/previews` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// The project.
    pub project_id: ProjectId,
    /// ios or android.
    pub platform: Platform,
    /// Devices that may fetch it (at least one, all of the platform).
    pub device_types: Vec<DeviceType>,
    /// The whole file set, or ...
    #[serde(default)]
    pub files: Option<Vec<FileIn>>,
    /// ... a delta against the project's current set.
    #[serde(default)]
    pub delta: Option<Delta>,
    /// Only these screens (names, ids or files); all when absent.
    #[serde(default)]
    pub screens: Option<Vec<String>>,
    /// Safe-mode preview (interactions off on the device).
    #[serde(default)]
    pub safe_mode: bool,
}

/// Checks the content type and reads the body up to `limit` bytes (413 past it, before any
/// parsing).
pub async fn read_json_body(
    headers: &HeaderMap,
    body: Body,
    limit: u64,
) -> Result<Bytes, ApiError> {
    read_typed_body(headers, body, limit, "application/json").await
}

/// [`read_json_body`] for a body of media type `media` (415 for any other).
pub async fn read_typed_body(
    headers: &HeaderMap,
    body: Body,
    limit: u64,
    media: &str,
) -> Result<Bytes, ApiError> {
    let typed = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(media));
    if !typed {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("Content-Type must be {media}"),
        ));
    }
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
            format!("the request body exceeds {limit} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, usize::try_from(limit).unwrap_or(usize::MAX))
        .await
        .map_err(|_| too_large())
}

/// Parses JSON into `T`, answering 400 with where the problem is (never echoing values).
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "the body is not valid JSON"
            }
            _ => "the body does not match the expected shape",
        };
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("{what} (line {}, column {})", e.line(), e.column()),
        )
    })
}

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// A path the compiler may see: relative, `/`-separated, no `..`, no control characters.
pub(crate) fn check_path(path: &str) -> Result<(), ApiError> {
    let ok = !path.is_empty()
        && path.len() <= 1024
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..");
    if ok {
        Ok(())
    } else {
        Err(unprocessable(
            "invalid_path",
            "file paths must be relative, '/'-separated, without '..'",
        ))
    }
}

/// Most entries in a request's `screens` filter, and most characters in one entry.
const MAX_SCREEN_FILTERS: usize = 100;
const MAX_SCREEN_FILTER_CHARS: usize = 256;

/// The `screens` filter names screens, ids, components or files: bounded, so that what the
/// worker reports about it (a failure reason quoting it) stays bounded too.
fn check_screen_filter(screens: Option<&[String]>) -> Result<(), ApiError> {
    let Some(screens) = screens else {
        return Ok(());
    };
    let ok = !screens.is_empty()
        && screens.len() <= MAX_SCREEN_FILTERS
        && screens.iter().all(|s| {
            !s.trim().is_empty()
                && s.chars().count() <= MAX_SCREEN_FILTER_CHARS
                && !s.chars().any(char::is_control)
        });
    if ok {
        Ok(())
    } else {
        Err(unprocessable(
            "invalid_screens",
            format!(
                "screens must list 1 to {MAX_SCREEN_FILTERS} names of at most {MAX_SCREEN_FILTER_CHARS} characters each"
            ),
        ))
    }
}

fn too_many_files(count: usize, limits: &TierLimits) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_many_files",
        format!(
            "{count} files exceed your tier's limit of {}",
            limits.max_files
        ),
    )
}

fn too_many_assets(count: usize, limits: &TierLimits) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_many_assets",
        format!(
            "{count} images and fonts exceed your tier's limit of {}",
            limits.max_assets
        ),
    )
}

fn assets_too_large(bytes: u64, limits: &TierLimits) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "assets_too_large",
        format!(
            "images and fonts of {bytes} bytes exceed your tier's {} bytes",
            limits.max_asset_bytes
        ),
    )
}

/// One file's size for the limit checks: bytes (decoded, for a binary file) and whether it is
/// binary.
#[derive(Debug, Clone, Copy)]
struct Sized {
    bytes: u64,
    binary: bool,
}

/// Checks per-file sizes of text files, the file count, and the count and total size of the
/// binary files, of `(path, size)` pairs.
fn check_files<'a>(
    files: impl ExactSizeIterator<Item = (&'a str, Sized)>,
    limits: &TierLimits,
) -> Result<(), ApiError> {
    let count = files.len();
    let (mut assets, mut asset_bytes) = (0usize, 0u64);
    for (path, size) in files {
        if size.binary {
            assets += 1;
            asset_bytes = asset_bytes.saturating_add(size.bytes);
        } else if size.bytes > limits.max_file_bytes {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                format!(
                    "{path} exceeds your tier's {} bytes per file",
                    limits.max_file_bytes
                ),
            ));
        }
    }
    if count as u64 > u64::from(limits.max_files) {
        return Err(too_many_files(count, limits));
    }
    if assets as u64 > u64::from(limits.max_assets) {
        return Err(too_many_assets(assets, limits));
    }
    if asset_bytes > limits.max_asset_bytes {
        return Err(assets_too_large(asset_bytes, limits));
    }
    Ok(())
}

/// A binary file must be base64 of an image or font whose name agrees with its content.
fn check_binary(file: &FileIn) -> Result<(), ApiError> {
    file.media()
        .map(|_| ())
        .map_err(|e| unprocessable("invalid_asset", e.to_string()))
}

/// What `POST /api/v1/previews` answers: the job and how to follow and open it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PreviewAccepted {
    /// The job.
    pub job_id: JobId,
    /// Always `queued`.
    pub status: &'static str,
    /// The signed preview token for devices (and the web viewer).
    pub preview_token: String,
    /// When the token expires (Unix seconds).
    pub token_expires_at: i64,
    /// `GET` for the job's status and screens.
    pub status_url: String,
    /// The event stream (`job.*` events).
    pub events_url: String,
    /// The device's screen list (with the preview token).
    pub screens_url: String,
    /// The web viewer; the token is in the URL fragment, which browsers never send.
    pub viewer_url: String,
}

/// One screen of a preview job.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ScreenSummary {
    /// The screen's id.
    pub screen_id: String,
    /// Its name (the component or route name).
    pub name: String,
    /// The device type it was laid out for.
    pub device_type: DeviceType,
    /// Where a device fetches its Layout JSON.
    pub layout_url: String,
    /// How many snapshot and image assets it has.
    pub assets: usize,
    /// What the compiler could not map exactly.
    #[schema(value_type = Vec<Object>)]
    pub warnings: serde_json::Value,
}

/// `GET /api/v1/previews/{job_id}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PreviewStatus {
    /// The job.
    pub job_id: JobId,
    /// Its project.
    pub project_id: ProjectId,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: &'static str,
    /// ios or android.
    pub platform: Platform,
    /// The device types it was compiled for.
    pub device_types: Vec<DeviceType>,
    /// The tier it ran under.
    pub tier: hivesync_core::Tier,
    /// Submission time (ms since the Unix epoch).
    pub created_at: i64,
    /// When it reached its final state.
    pub finished_at: Option<i64>,
    /// Why it failed, for a person.
    pub failure_reason: Option<String>,
    /// The screens (once succeeded).
    pub screens: Vec<ScreenSummary>,
    /// Every screen's warnings together.
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<serde_json::Value>,
}

/// Queues a preview of a project's files (the whole set, or a delta against the last one).
#[utoipa::path(
    post,
    path = "/previews",
    tag = "previews",
    request_body = PreviewRequest,
    security(("api_key" = [])),
    responses(
        (status = 202, description = "Queued", body = PreviewAccepted),
        (status = 400, description = "The body is not JSON of this shape, or has both or neither of `files` and `delta`", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked API key", body = ErrorBody),
        (status = 403, description = "The caller's role cannot request previews", body = ErrorBody),
        (status = 404, description = "No such project of the caller's", body = ErrorBody),
        (status = 413, description = "A limit of the tier: request, file, file count, images and fonts", body = ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
        (status = 422, description = "Not a mobile project, bad path, asset, device types or screens filter, no files", body = ErrorBody),
        (status = 429, description = "Previews per hour or in flight; see Retry-After", body = ErrorBody),
        (status = 503, description = "A dependency is down; see Retry-After", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<PreviewAccepted>), ApiError> {
    let owner = auth::client(&state, &headers, Some(peer), Family::Jobs).await?;
    let user = owner.user;
    let limits = state.config().tiers.get(user.tier).clone();
    let bytes = read_json_body(&headers, body, limits.max_request_bytes).await?;
    let req: PreviewRequest = parse_json(&bytes)?;

    let store = state.store();
    let role = store.member_role(req.project_id, user.id).await?;
    let project = match (role, store.project(req.project_id).await?) {
        (Some(role), Some(p)) if role.can_write() => p,
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role in this project cannot request previews",
            ));
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "project_not_found",
                "no such project",
            ));
        }
    };
    if !project.is_mobile_app {
        return Err(unprocessable(
            "not_a_mobile_project",
            "device previews need a project flagged as a mobile app",
        ));
    }
    if req.device_types.is_empty()
        || req
            .device_types
            .iter()
            .any(|d| d.platform() != req.platform)
    {
        return Err(unprocessable(
            "invalid_device_types",
            "device_types must be non-empty and match the platform",
        ));
    }
    // A device type named twice compiles once (each type's screens get their own ids).
    let mut device_types: Vec<DeviceType> = Vec::with_capacity(req.device_types.len());
    for d in &req.device_types {
        if !device_types.contains(d) {
            device_types.push(*d);
        }
    }
    let viewer_device = device_types.first().map_or("iphone", |d| d.as_str());
    check_screen_filter(req.screens.as_deref())?;
    let (replace, changed, deleted) = match (req.files, req.delta) {
        (Some(files), None) => (true, files, Vec::new()),
        (None, Some(delta)) => (false, delta.changed, delta.deleted),
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "send exactly one of `files` or `delta`",
            ));
        }
    };
    for f in &changed {
        check_path(&f.path)?;
    }
    for f in &changed {
        check_binary(f)?;
    }
    for p in &deleted {
        check_path(p)?;
    }
    let sizes = |files: &[FileIn]| -> Vec<(String, Sized)> {
        files
            .iter()
            .map(|f| {
                let size = Sized {
                    bytes: f.size(),
                    binary: f.is_binary(),
                };
                (f.path.clone(), size)
            })
            .collect()
    };
    check_files(
        sizes(&changed).iter().map(|(p, n)| (p.as_str(), *n)),
        &limits,
    )?;
    // The delta's result must respect the limits too; it is computed from sizes alone, without
    // writing (the update below enforces the count again inside its transaction).
    let mut set: std::collections::BTreeMap<String, Sized> = if replace {
        Default::default()
    } else {
        store
            .project_file_sizes(project.id)
            .await?
            .into_iter()
            .map(|f| {
                let size = Sized {
                    bytes: f.bytes,
                    binary: f.binary,
                };
                (f.path, size)
            })
            .collect()
    };
    for p in &deleted {
        set.remove(p);
    }
    set.extend(sizes(&changed));
    check_files(set.iter().map(|(p, n)| (p.as_str(), *n)), &limits)?;
    if set.is_empty() {
        return Err(unprocessable(
            "no_files",
            "the project has no files to preview",
        ));
    }

    let now = now_ms();
    let ttl = state.config().preview_token.ttl_seconds as i64;
    let expires_at_secs = now / 1000 + ttl;
    let screens = req.screens;
    let max_snapshots = limits.max_snapshots_per_preview;
    // The worker compiles the set this request produced (a concurrent delta of the same
    // project may have landed since the checks above); quota, file set and job are one step.
    let build_input = |set: Vec<TextFile>| {
        let input = PreviewInput {
            files: set,
            screens: screens.clone(),
            max_snapshots,
        };
        serde_json::to_string(&input).expect("input serializes")
    };
    let admitted = store
        .submit_preview(
            &NewPreviewJob {
                project_id: project.id,
                user_id: user.id,
                tier: user.tier,
                platform: req.platform,
                device_types: device_types.clone(),
                safe_mode: req.safe_mode,
                request_bytes: bytes.len() as i64,
                file_count: 0,
                input: String::new(),
                expires_at: expires_at_secs * 1000,
            },
            &FileChanges {
                replace,
                changed: &changed,
                deleted: &deleted,
                max_files: limits.max_files as usize,
                max_assets: limits.max_assets as usize,
                max_asset_bytes: limits.max_asset_bytes,
            },
            &Quota {
                per_hour: limits.previews_per_hour,
                parallel: limits.max_parallel_previews,
            },
            &build_input,
            now,
        )
        .await?;
    let job_id = match admitted {
        Ok(id) => id,
        Err(Refused::Hourly { retry_after_secs }) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "your tier allows {} previews per hour",
                    limits.previews_per_hour
                ),
            )
            .retry_after(retry_after_secs));
        }
        Err(Refused::Parallel) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_parallel_jobs",
                format!(
                    "your tier allows {} previews in flight at once",
                    limits.max_parallel_previews
                ),
            )
            .retry_after(5));
        }
        Err(Refused::TooManyFiles(count)) => return Err(too_many_files(count, &limits)),
        Err(Refused::TooManyAssets(count)) => return Err(too_many_assets(count, &limits)),
        Err(Refused::AssetsTooLarge(bytes)) => return Err(assets_too_large(bytes, &limits)),
        Err(Refused::NoFiles) => {
            return Err(unprocessable(
                "no_files",
                "the project has no files to preview",
            ));
        }
    };
    let key = state
        .secrets()
        .preview_token_key
        .as_ref()
        .ok_or_else(|| ApiError::unavailable("preview signing"))?;
    let token = preview_token::sign(
        &PreviewClaims {
            purpose: PURPOSE.into(),
            job_id,
            project_id: project.id,
            user_id: user.id,
            platform: req.platform,
            tier: user.tier,
            expires_at: expires_at_secs,
            allowed_device_types: device_types,
            flags: PreviewFlags {
                safe_mode: req.safe_mode,
            },
        },
        key,
    );
    let base = state.config().server.public_url.trim_end_matches('/');
    tracing::info!(job = %job_id, project = %project.id, tier = %user.tier, files = set.len(), "preview queued");
    Ok((
        StatusCode::ACCEPTED,
        Json(PreviewAccepted {
            job_id,
            status: "queued",
            status_url: format!("{base}/api/v1/previews/{job_id}"),
            events_url: format!("{base}/api/v1/events"),
            screens_url: format!("{base}/api/v1/preview/screens"),
            // The web viewer, the token in the fragment (never sent to a server).
            viewer_url: format!("{base}/viewer#token={token}&device={viewer_device}"),
            preview_token: token,
            token_expires_at: expires_at_secs,
        }),
    ))
}

/// 404 `job_not_found` for a job of `kind` that does not exist or is not the caller's.
pub(crate) fn job_not_found(kind: JobKind) -> ApiError {
    let what = match kind {
        JobKind::Preview => "no such preview job",
        JobKind::AiDocs => "no such AI documentation job",
    };
    ApiError::new(StatusCode::NOT_FOUND, "job_not_found", what)
}

/// The job `job_id` of `kind`, for a client of one of its project's members (else
/// [`job_not_found`], whether the job is missing or someone else's).
pub(crate) async fn member_job(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    job_id: &str,
    kind: JobKind,
    family: Family,
) -> Result<hivesync_store::queue::Job, ApiError> {
    let owner = auth::client(state, headers, Some(peer), family).await?;
    let job_id = JobId::parse(job_id).map_err(|_| job_not_found(kind))?;
    let store = state.store();
    let job = store
        .job(job_id)
        .await?
        .filter(|j| j.kind == kind)
        .ok_or_else(|| job_not_found(kind))?;
    if store
        .member_role(job.project_id, owner.user.id)
        .await?
        .is_none()
    {
        return Err(job_not_found(kind));
    }
    Ok(job)
}

/// A preview job's status, screens, warnings and failure reason.
#[utoipa::path(
    get,
    path = "/previews/{job_id}",
    tag = "previews",
    params(("job_id" = String, Path, description = "The job's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The job", body = PreviewStatus),
        (status = 401, description = "Missing, unknown or revoked API key", body = ErrorBody),
        (status = 404, description = "No such preview job of the caller's projects", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(job_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<PreviewStatus>, ApiError> {
    let job = member_job(
        &state,
        &headers,
        peer,
        &job_id,
        JobKind::Preview,
        Family::Jobs,
    )
    .await?;
    let job_id = job.id;
    let store = state.store();
    let spec = store
        .preview_spec(job_id)
        .await?
        .ok_or_else(|| job_not_found(JobKind::Preview))?;
    let screens = store.preview_screens(job_id).await?;
    let base = state.config().server.public_url.trim_end_matches('/');
    let warnings: Vec<serde_json::Value> = screens
        .iter()
        .flat_map(|s| s.warnings.as_array().cloned().unwrap_or_default())
        .collect();
    Ok(Json(PreviewStatus {
        job_id: job.id,
        project_id: job.project_id,
        status: job.state.as_str(),
        platform: spec.platform,
        device_types: spec.device_types,
        tier: job.tier,
        created_at: job.created_at,
        finished_at: job.finished_at,
        failure_reason: job.failure_reason,
        screens: screens
            .iter()
            .map(|s| ScreenSummary {
                screen_id: s.screen_id.to_string(),
                name: s.name.clone(),
                device_type: s.device_type,
                layout_url: format!("{base}/api/v1/preview/screens/{}/layout", s.screen_id),
                assets: s.asset_keys.len(),
                warnings: s.warnings.clone(),
            })
            .collect(),
        warnings,
    }))
}
