//! The client API for AI documentation: `POST /api/v1/ai-docs` and `GET /api/v1/ai-docs/{job_id}`.
//!
//! A request is checked in this order, each with its own error code: authentication (401);
//! `Content-Type: application/json` (415); body size before parsing (413 `request_too_large`);
//! JSON shape (400); project permission (404 for strangers, 403 for viewers); paths (422);
//! the file's size and the context's (413 `file_too_large`, `too_much_context`); the file's
//! tokens as the tier's model counts them (413 `too_many_tokens`: `o200k_base` for OpenAI
//! models, the GGUF's own tokenizer for the local model); then, in one transaction per user,
//! jobs per hour per user and per project and jobs in flight (429 with `Retry-After`).
//!
//! The provider and model of the user's tier are fixed at request time and travel with the
//! job, with the cache key of its input (content hash, options, context, provider, model).

use std::net::SocketAddr;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use hivesync_core::clock::now_ms;
use hivesync_core::config::{AiProvider, TierLimits};
use hivesync_core::ids::ProjectId;
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::wire::{AiDocsInput, ContextFile};
use hivesync_core::{JobKind, JobState, Tier};
use hivesync_docs::{Mode, Style};
use hivesync_store::ai_docs::{AiDocsQuota, AiDocsRefused, NewAiDocsJob};
use serde::Deserialize;
use sha2::Digest;

use crate::api_error::{ApiError, ErrorBody};
use crate::auth::{self, Family};
use crate::previews::{check_path, parse_json, read_json_body};
use crate::state::AppState;

/// Most neighbouring files one request may carry.
pub const MAX_CONTEXT_FILES: usize = 20;

/// `POST /api/v1/ai-docs` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AiDocsRequest {
    /// The project.
    project_id: ProjectId,
    /// The file's project-relative path.
    path: String,
    /// The file's text.
    content: String,
    /// Neighbouring files, as context for the model only (at most 20).
    #[serde(default)]
    context: Vec<ContextFile>,
    /// `short` (the default) or `long` prose.
    #[serde(default)]
    style: Style,
    /// `doc` (a document to read, the default) or `diff` (doc comments to apply).
    #[serde(default)]
    mode: Mode,
}

/// What `POST /api/v1/ai-docs` answers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AiDocsAccepted {
    /// The job.
    pub job_id: hivesync_core::ids::JobId,
    /// Always `queued`.
    pub status: &'static str,
    /// The file's tokens as the tier's model counts them.
    pub tokens: usize,
    /// `openai`, `local` or `static`.
    pub provider: String,
    /// The model.
    pub model: String,
    /// `GET` for the job's status and document.
    pub status_url: String,
    /// The event stream.
    pub events_url: String,
}

/// `GET /api/v1/ai-docs/{job_id}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AiDocsStatus {
    /// The job.
    pub job_id: hivesync_core::ids::JobId,
    /// Its project.
    pub project_id: ProjectId,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: &'static str,
    /// The documented file.
    pub path: String,
    /// The tier it ran under.
    pub tier: Tier,
    /// Submission time (ms since the Unix epoch).
    pub created_at: i64,
    /// When it reached its final state.
    pub finished_at: Option<i64>,
    /// Why it failed, for a person.
    pub failure_reason: Option<String>,
    /// Where the document is stored.
    pub document_key: Option<String>,
    /// The document (summary, explanation, symbols, suggestions as a unified diff, inline
    /// comments; see docs/ai-providers.md), once the job succeeded.
    #[schema(value_type = Option<Object>)]
    pub document: Option<serde_json::Value>,
}

fn too_large(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, code, message)
}

/// Tokens of `text` as the model of `tier` counts them (CPU-bound: off the runtime).
async fn count_tokens(state: &AppState, tier: Tier, text: String) -> Result<usize, ApiError> {
    let provider = state.config().ai_docs.for_tier(tier).provider;
    match provider {
        AiProvider::Openai | AiProvider::Static => {
            tokio::task::spawn_blocking(move || hivesync_docs::tokens::o200k_count(&text))
                .await
                .map_err(|e| ApiError::internal("token count", &e))
        }
        AiProvider::Local => local_tokens(state, text).await,
    }
}

#[cfg(feature = "local-model")]
async fn local_tokens(state: &AppState, text: String) -> Result<usize, ApiError> {
    let tokenizer = state.local_tokenizer().map_err(|e| {
        tracing::error!("the local model's tokenizer cannot be loaded: {e}");
        ApiError::unavailable("the local model")
    })?;
    tokio::task::spawn_blocking(move || tokenizer.count(&text))
        .await
        .map_err(|e| ApiError::internal("token count", &e))?
        .map_err(|e| ApiError::internal("token count", &e))
}

#[cfg(not(feature = "local-model"))]
async fn local_tokens(_state: &AppState, _text: String) -> Result<usize, ApiError> {
    tracing::error!(
        "a tier uses the local model but this backend was built without the `local-model` feature"
    );
    Err(ApiError::unavailable("the local model"))
}

/// The cache key of an input: what the document depends on, hashed.
fn cache_key(req: &AiDocsRequest, provider: &str, model: &str) -> String {
    let mut h = sha2::Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(b"ai-docs-v1");
    field(req.path.as_bytes());
    field(hivesync_docs::content_hash(req.content.as_bytes()).as_bytes());
    field(format!("{:?}/{:?}", req.style, req.mode).as_bytes());
    field(provider.as_bytes());
    field(model.as_bytes());
    for c in &req.context {
        field(c.path.as_bytes());
        field(hivesync_docs::content_hash(c.content.as_bytes()).as_bytes());
    }
    hex::encode(h.finalize())
}

fn check_sizes(req: &AiDocsRequest, limits: &TierLimits) -> Result<(), ApiError> {
    if req.content.len() as u64 > limits.ai_docs_max_file_bytes {
        return Err(too_large(
            "file_too_large",
            format!(
                "{} exceeds your tier's {} bytes for AI documentation",
                req.path, limits.ai_docs_max_file_bytes
            ),
        ));
    }
    let context_bytes: u64 = req.context.iter().map(|c| c.content.len() as u64).sum();
    if req.context.len() > MAX_CONTEXT_FILES || context_bytes > limits.ai_docs_max_file_bytes {
        return Err(too_large(
            "too_much_context",
            format!(
                "context is limited to {MAX_CONTEXT_FILES} files of {} bytes together",
                limits.ai_docs_max_file_bytes
            ),
        ));
    }
    Ok(())
}

/// Queues AI documentation of one source file.
#[utoipa::path(
    post,
    path = "/ai-docs",
    tag = "ai-docs",
    request_body = AiDocsRequest,
    security(("api_key" = [])),
    responses(
        (status = 202, description = "Queued", body = AiDocsAccepted),
        (status = 400, description = "The body is not JSON of this shape", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked API key", body = ErrorBody),
        (status = 403, description = "The caller's role cannot request AI documentation", body = ErrorBody),
        (status = 404, description = "No such project of the caller's", body = ErrorBody),
        (status = 413, description = "The request, file, context or tokens exceed the tier's limits", body = ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
        (status = 422, description = "A bad path", body = ErrorBody),
        (status = 429, description = "Jobs per hour (user or project) or in flight; see Retry-After", body = ErrorBody),
        (status = 503, description = "A dependency is down; see Retry-After", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<AiDocsAccepted>), ApiError> {
    let owner = auth::client(&state, &headers, Some(peer), Family::Jobs).await?;
    let user = owner.user;
    let limits = state.config().tiers.get(user.tier).clone();
    // The file and as much context, base64-free JSON: twice that plus room for the envelope.
    let body_limit = limits
        .ai_docs_max_file_bytes
        .saturating_mul(2)
        .saturating_add(64 * 1024);
    let bytes = read_json_body(&headers, body, body_limit).await?;
    let req: AiDocsRequest = parse_json(&bytes)?;

    let store = state.store();
    let role = store.member_role(req.project_id, user.id).await?;
    let project = match (role, store.project(req.project_id).await?) {
        (Some(role), Some(p)) if role.can_write() => p,
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role in this project cannot request AI documentation",
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
    check_path(&req.path)?;
    for c in &req.context {
        check_path(&c.path)?;
    }
    check_sizes(&req, &limits)?;
    let tokens = count_tokens(&state, user.tier, req.content.clone()).await?;
    if tokens as u64 > u64::from(limits.ai_docs_max_tokens) {
        return Err(too_large(
            "too_many_tokens",
            format!(
                "{} is {tokens} tokens; your tier allows {} per AI documentation job",
                req.path, limits.ai_docs_max_tokens
            ),
        ));
    }
    let choice = state.config().ai_docs.for_tier(user.tier).clone();
    let provider = choice.provider.as_str();
    let model = match choice.provider {
        AiProvider::Openai => choice.model.clone(),
        AiProvider::Local => std::path::Path::new(&state.config().ai_docs.local_model_path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "local".into()),
        AiProvider::Static => "analysis".to_owned(),
    };
    let key = cache_key(&req, provider, &model);
    let style = match req.style {
        Style::Short => "short",
        Style::Long => "long",
    };
    let mode = match req.mode {
        Mode::Doc => "doc",
        Mode::Diff => "diff",
    };
    let now = now_ms();
    let input = AiDocsInput {
        path: req.path.clone(),
        content: req.content,
        context: req.context,
        style: style.into(),
        mode: mode.into(),
        provider: provider.into(),
        model: model.clone(),
        tokens: tokens as u32,
        max_tokens: limits.ai_docs_max_tokens,
    };
    let job = NewAiDocsJob {
        project_id: project.id,
        user_id: user.id,
        tier: user.tier,
        file_path: req.path.clone(),
        style: style.into(),
        mode: mode.into(),
        tokens: tokens as u32,
        cache_key: key,
        input: serde_json::to_string(&input).expect("input serializes"),
        expires_at: now + state.config().preview_token.ttl_seconds as i64 * 1000,
    };
    let quota = AiDocsQuota {
        per_hour_per_user: limits.ai_docs_per_hour_per_user,
        per_hour_per_project: limits.ai_docs_per_hour_per_project,
        parallel: limits.ai_docs_max_parallel_jobs,
    };
    let job_id = match store.submit_ai_docs(&job, &quota, now).await? {
        Ok(id) => id,
        Err(AiDocsRefused::UserHourly { retry_after_secs }) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "your tier allows {} AI documentation requests per hour",
                    limits.ai_docs_per_hour_per_user
                ),
            )
            .retry_after(retry_after_secs));
        }
        Err(AiDocsRefused::ProjectHourly { retry_after_secs }) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "project_rate_limited",
                format!(
                    "this project allows {} AI documentation requests per hour on your tier",
                    limits.ai_docs_per_hour_per_project
                ),
            )
            .retry_after(retry_after_secs));
        }
        Err(AiDocsRefused::Parallel) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_parallel_jobs",
                format!(
                    "your tier allows {} AI documentation jobs in flight at once",
                    limits.ai_docs_max_parallel_jobs
                ),
            )
            .retry_after(5));
        }
    };
    let base = state.config().server.public_url.trim_end_matches('/');
    tracing::info!(job = %job_id, project = %project.id, tier = %user.tier, tokens, provider, "AI documentation queued");
    Ok((
        StatusCode::ACCEPTED,
        Json(AiDocsAccepted {
            job_id,
            status: "queued",
            tokens,
            provider: provider.to_owned(),
            model,
            status_url: format!("{base}/api/v1/ai-docs/{job_id}"),
            events_url: format!("{base}/api/v1/events"),
        }),
    ))
}

/// An AI documentation job's status, failure reason, and the document once stored.
#[utoipa::path(
    get,
    path = "/ai-docs/{job_id}",
    tag = "ai-docs",
    params(("job_id" = String, Path, description = "The job's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The job", body = AiDocsStatus),
        (status = 401, description = "Missing, unknown or revoked API key", body = ErrorBody),
        (status = 404, description = "No such AI documentation job of the caller's projects", body = ErrorBody),
        (status = 503, description = "The stored document cannot be read now; see Retry-After", body = ErrorBody),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(job_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<AiDocsStatus>, ApiError> {
    let job = crate::previews::member_job(
        &state,
        &headers,
        peer,
        &job_id,
        JobKind::AiDocs,
        Family::Jobs,
    )
    .await?;
    let job_id = job.id;
    let store = state.store();
    let spec = store
        .ai_docs_spec(job_id)
        .await?
        .ok_or_else(|| crate::previews::job_not_found(JobKind::AiDocs))?;
    let document = match (&spec.result_key, job.state) {
        (Some(_), JobState::Succeeded) => {
            let bytes = state
                .objects()
                .get(&StorageKey::AiDoc(job_id))
                .await
                .map_err(|e| {
                    tracing::error!(job = %job_id, "the stored document cannot be read: {e}");
                    ApiError::unavailable("object storage")
                })?;
            Some(
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .map_err(|e| ApiError::internal("stored document", &e))?,
            )
        }
        _ => None,
    };
    Ok(Json(AiDocsStatus {
        job_id: job.id,
        project_id: job.project_id,
        status: job.state.as_str(),
        path: spec.file_path,
        tier: job.tier,
        created_at: job.created_at,
        finished_at: job.finished_at,
        failure_reason: job.failure_reason,
        document_key: spec.result_key,
        document,
    }))
}
