//! The one typed configuration, loaded once at start-up and passed down.
//!
//! Sources, later wins: built-in defaults, an optional TOML file, `HIVESYNC_<SECTION>__<KEY>`
//! environment overrides (e.g. `HIVESYNC_SERVER__LISTEN`, `HIVESYNC_TIERS__FREE__PREVIEWS_PER_HOUR`).
//! Secrets never live in the TOML file: they come from their own environment variables or from
//! a file named by `<NAME>_FILE` (see [`SECRET_VARS`]). Every key is listed in
//! `docs/configuration.md`.
//!
//! Errors name the key and never the value (a value may be a secret typed in the wrong place).
//! This module reads no environment and no files itself: the caller hands in lookups, so tests
//! and the binary share one code path.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::callback_signature::WorkerKey;
use crate::domain::{Tier, WorkerType};
use crate::secret::Secret;

/// A configuration problem, naming the key and never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration key `{key}`: {problem}")]
pub struct ConfigError {
    /// The dotted key (`server.listen`) or environment variable name.
    pub key: String,
    /// What is wrong with it.
    pub problem: String,
}

impl ConfigError {
    fn new(key: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            problem: problem.into(),
        }
    }
}

/// Everything the processes need to know, except secrets (see [`Secrets`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The HTTP backend.
    pub server: ServerConfig,
    /// The database (its URL is a secret).
    pub database: DatabaseConfig,
    /// Object storage for every artifact.
    pub object_store: ObjectStoreConfig,
    /// The worker loop.
    pub worker: WorkerConfig,
    /// Queue routing between GPU and CPU workers.
    pub routing: RoutingConfig,
    /// Preview tokens given to devices.
    pub preview_token: PreviewTokenConfig,
    /// Worker callbacks.
    pub callback: CallbackConfig,
    /// Per-tier limits.
    pub tiers: TiersConfig,
    /// AI documentation: providers per tier, quality gates, the local model.
    pub ai_docs: AiDocsConfig,
    /// Worker health from the error rate.
    pub health: HealthConfig,
    /// One-time website login tokens.
    pub session_token: SessionTokenConfig,
    /// The Prometheus `/metrics` endpoint.
    pub metrics: MetricsConfig,
}

/// `[health]`: when a worker that is heard from is still unhealthy (silence is
/// `routing.heartbeat_timeout_seconds`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthConfig {
    /// How many of a worker's latest finished jobs the error rate looks at.
    pub error_window_jobs: u32,
    /// Seconds back those jobs may have finished (failures older than this are forgiven).
    pub error_window_seconds: u64,
    /// A worker whose share of worker-caused failures is above this (0-1) is unhealthy.
    pub error_rate_threshold: f64,
    /// Fewer finished jobs than this in the window never make a worker unhealthy.
    pub error_min_jobs: u32,
}

impl Default for HealthConfig {
    fn default() -> Self {
        Self {
            error_window_jobs: 20,
            error_window_seconds: 600,
            error_rate_threshold: 0.5,
            error_min_jobs: 5,
        }
    }
}

/// `[session_token]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionTokenConfig {
    /// Seconds a one-time login token stays valid (60-120).
    pub ttl_seconds: u64,
}

impl Default for SessionTokenConfig {
    fn default() -> Self {
        Self { ttl_seconds: 90 }
    }
}

/// `[metrics]`: who may read `/metrics`. On the main listener it needs the bearer
/// `HIVESYNC_METRICS_TOKEN`, or a loopback peer when `allow_loopback`; `listen` adds a listener
/// of its own (on a private address) that serves only `/metrics`, without a token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Loopback peers read `/metrics` on the main listener without a token (`hivesync dev`).
    pub allow_loopback: bool,
    /// `IP:PORT` of a metrics-only listener, or empty for none.
    pub listen: String,
}

/// `[server]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address the backend listens on.
    pub listen: String,
    /// Base URL clients and workers use to reach the backend (status and events URLs).
    pub public_url: String,
    /// Seconds in-flight requests get to finish on shutdown.
    pub shutdown_grace_seconds: u64,
    /// Seconds a request may take before it is cut off.
    pub request_timeout_seconds: u64,
    /// Seconds a client has to send a request's headers (slow clients are disconnected).
    pub header_read_timeout_seconds: u64,
    /// Most client connections open at once; more are closed at accept.
    pub max_connections: u32,
    /// Seconds client events are kept for reconnecting clients (`Last-Event-ID`).
    pub event_retention_seconds: u64,
    /// Largest preview-log upload from a device, in bytes.
    pub max_preview_log_bytes: u64,
    /// Most preview-log bytes one device session may store.
    pub preview_log_session_bytes: u64,
    /// Most preview-log bytes all sessions of one preview token (job) may store.
    pub preview_log_token_bytes: u64,
    /// Most preview-log batches one preview token (job) may send per minute.
    pub preview_log_batches_per_minute: u32,
    /// Days `security_events` rows are kept.
    pub security_event_retention_days: u64,
    /// Refusals of one kind from one source within this many seconds count as one burst.
    pub security_burst_window_seconds: u64,
    /// Refusals of a burst stored one by one with their detail; the rest of the burst is
    /// counted on one row.
    pub security_burst_detailed: u32,
    /// Hours `worker_heartbeats` rows are kept (a worker's last heartbeat time stays on it).
    pub heartbeat_retention_hours: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            shutdown_grace_seconds: 20,
            request_timeout_seconds: 30,
            header_read_timeout_seconds: 10,
            max_connections: 4096,
            event_retention_seconds: 3600,
            max_preview_log_bytes: 64 * 1024,
            preview_log_session_bytes: 2 * 1024 * 1024,
            preview_log_token_bytes: 8 * 1024 * 1024,
            preview_log_batches_per_minute: 20,
            security_event_retention_days: 30,
            security_burst_window_seconds: 60,
            security_burst_detailed: 10,
            heartbeat_retention_hours: 24,
        }
    }
}

/// `[database]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Pool size per process.
    pub max_connections: u32,
    /// Seconds to wait for a connection from the pool.
    pub acquire_timeout_seconds: u64,
    /// Seconds between start-up attempts while the database does not answer.
    pub startup_retry_seconds: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout_seconds: 5,
            startup_retry_seconds: 2,
        }
    }
}

/// Which object store backs the artifacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectStoreBackend {
    /// A folder on local disk (the `hivesync dev` default).
    Local,
    /// Process memory (unit tests only; lost at exit).
    Memory,
    /// An S3-compatible service (Cloudflare R2 in production).
    S3,
}

/// `[object_store]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ObjectStoreConfig {
    /// `local`, `memory` or `s3`.
    pub backend: ObjectStoreBackend,
    /// Root folder for `local`.
    pub local_path: String,
    /// Bucket for `s3`.
    pub s3_bucket: String,
    /// Endpoint URL for `s3` (R2: `https://<account>.r2.cloudflarestorage.com`).
    pub s3_endpoint: String,
    /// Region for `s3` (`auto` for R2).
    pub s3_region: String,
    /// Path-style addressing (`endpoint/bucket/key`), as R2 and local servers want.
    pub s3_path_style: bool,
    /// Allow plain `http://` endpoints: only for local test servers.
    pub s3_allow_http: bool,
    /// Seconds a single object-store request may take.
    pub request_timeout_seconds: u64,
    /// Lifetime of presigned asset URLs handed to devices.
    pub presign_ttl_seconds: u64,
}

impl Default for ObjectStoreConfig {
    fn default() -> Self {
        Self {
            backend: ObjectStoreBackend::Local,
            local_path: "./.hivesync/objects".into(),
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: "auto".into(),
            s3_path_style: true,
            s3_allow_http: false,
            request_timeout_seconds: 30,
            presign_ttl_seconds: 60,
        }
    }
}

/// `[worker]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerConfig {
    /// `cpu` or `gpu` (the command line's `--type` wins).
    #[serde(rename = "type")]
    pub worker_type: WorkerType,
    /// Jobs one worker process runs at once.
    pub capacity: u32,
    /// The backend the worker calls back (the only URL it ever POSTs to).
    pub backend_url: String,
    /// Seconds between heartbeats (10-30).
    pub heartbeat_interval_seconds: u64,
    /// Seconds a claim lasts before the worker must extend it.
    pub lease_seconds: u64,
    /// Milliseconds between queue polls when no notification arrives.
    pub poll_interval_ms: u64,
    /// Seconds between session-token cleanups.
    pub session_cleanup_interval_seconds: u64,
    /// Rows deleted per cleanup statement.
    pub session_cleanup_batch: u32,
    /// Seconds a preview compile may take.
    pub compile_timeout_seconds: u64,
    /// Largest batch of the worker's own log written to `logs/workers/...`, bytes.
    pub log_batch_bytes: u64,
    /// Seconds at most between writes of a non-empty log batch.
    pub log_flush_seconds: u64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            worker_type: WorkerType::Cpu,
            capacity: 2,
            backend_url: "http://127.0.0.1:8080".into(),
            heartbeat_interval_seconds: 15,
            lease_seconds: 30,
            poll_interval_ms: 1000,
            session_cleanup_interval_seconds: 600,
            session_cleanup_batch: 500,
            compile_timeout_seconds: 15,
            log_batch_bytes: 64 * 1024,
            log_flush_seconds: 30,
        }
    }
}

/// `[routing]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoutingConfig {
    /// Send Premium jobs to GPU workers when a healthy one exists.
    pub prefer_gpu_for_premium: bool,
    /// Seconds a Premium job waits for a GPU worker before a CPU worker may take it.
    pub gpu_fallback_wait_seconds: u64,
    /// A worker is unhealthy after this many seconds without a heartbeat.
    pub heartbeat_timeout_seconds: u64,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        Self {
            prefer_gpu_for_premium: true,
            gpu_fallback_wait_seconds: 0,
            heartbeat_timeout_seconds: 120,
        }
    }
}

/// `[preview_token]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PreviewTokenConfig {
    /// Seconds a preview token stays valid.
    pub ttl_seconds: u64,
}

impl Default for PreviewTokenConfig {
    fn default() -> Self {
        Self { ttl_seconds: 3600 }
    }
}

/// `[callback]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallbackConfig {
    /// Accepted clock difference for `webhook-timestamp`, in seconds.
    pub tolerance_seconds: u64,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        Self {
            tolerance_seconds: 300,
        }
    }
}

/// Which provider writes a tier's AI documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AiProvider {
    /// An OpenAI-compatible Chat Completions API (OpenAI, vLLM, llama.cpp server, Ollama).
    Openai,
    /// The GGUF model embedded in the worker (`ai_docs.local_model_path`).
    Local,
    /// No model: a labelled document from static analysis alone.
    Static,
}

impl AiProvider {
    /// Its name in configuration and documents.
    pub fn as_str(self) -> &'static str {
        match self {
            AiProvider::Openai => "openai",
            AiProvider::Local => "local",
            AiProvider::Static => "static",
        }
    }
}

/// One tier's provider and model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiModelChoice {
    /// `openai`, `local` or `static`.
    pub provider: AiProvider,
    /// The model name sent to an `openai` provider (ignored by the others).
    pub model: String,
}

/// `[ai_docs]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiDocsConfig {
    /// `[ai_docs.free]`
    pub free: AiModelChoice,
    /// `[ai_docs.pro]`
    pub pro: AiModelChoice,
    /// `[ai_docs.premium]`
    pub premium: AiModelChoice,
    /// Base URL of the Chat Completions API (`{base}/chat/completions`); the key is the secret
    /// `HIVESYNC_AI_API_KEY` (optional for local servers).
    pub openai_base_url: String,
    /// Seconds one provider request may take (a timeout is retried once).
    pub request_timeout_seconds: u64,
    /// Longest `Retry-After` honoured before the one retry of a 429, in seconds.
    pub max_retry_after_seconds: u64,
    /// Most tokens one answer (one request) may generate.
    pub max_output_tokens: u32,
    /// Most tokens of file text per request; a larger file is split by top-level declaration.
    pub chunk_tokens: u32,
    /// A document with less completeness (0..1) counts as malformed output (retried once).
    pub min_completeness: f64,
    /// A document with less truthfulness (0..1) counts as malformed output (retried once).
    pub min_truthfulness: f64,
    /// The GGUF file of the `local` provider (read by workers, and by the backend to count tokens).
    pub local_model_path: String,
    /// Most tokens the local model generates per prose field.
    pub local_max_new_tokens: u32,
}

impl AiDocsConfig {
    /// The provider and model of `tier`.
    pub fn for_tier(&self, tier: Tier) -> &AiModelChoice {
        match tier {
            Tier::Free => &self.free,
            Tier::Pro => &self.pro,
            Tier::Premium => &self.premium,
        }
    }

    /// Whether any tier uses `provider`.
    pub fn uses(&self, provider: AiProvider) -> bool {
        [&self.free, &self.pro, &self.premium]
            .iter()
            .any(|c| c.provider == provider)
    }
}

impl Default for AiDocsConfig {
    fn default() -> Self {
        // With no provider configured every tier gets the analysis-only document; switching a
        // tier to `openai` uses these models.
        let choice = |model: &str| AiModelChoice {
            provider: AiProvider::Static,
            model: model.into(),
        };
        Self {
            free: choice("gpt-4.1-nano"),
            pro: choice("gpt-4.1-mini"),
            premium: choice("gpt-4.1"),
            openai_base_url: "https://api.openai.com/v1".into(),
            request_timeout_seconds: 60,
            max_retry_after_seconds: 30,
            max_output_tokens: 4096,
            chunk_tokens: 6000,
            min_completeness: 0.6,
            min_truthfulness: 0.8,
            local_model_path: String::new(),
            local_max_new_tokens: 48,
        }
    }
}

/// `[tiers]`: one table per tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TiersConfig {
    /// `[tiers.free]`
    pub free: TierLimits,
    /// `[tiers.pro]`
    pub pro: TierLimits,
    /// `[tiers.premium]`
    pub premium: TierLimits,
}

impl TiersConfig {
    /// The limits of one tier.
    pub fn get(&self, tier: Tier) -> &TierLimits {
        match tier {
            Tier::Free => &self.free,
            Tier::Pro => &self.pro,
            Tier::Premium => &self.premium,
        }
    }
}

impl Default for TiersConfig {
    fn default() -> Self {
        const KIB: u64 = 1024;
        const MIB: u64 = 1024 * KIB;
        Self {
            free: TierLimits {
                previews_per_hour: 30,
                max_request_bytes: 2 * MIB,
                max_file_bytes: 256 * KIB,
                max_files: 200,
                max_snapshots_per_preview: 10,
                max_assets: 20,
                max_asset_bytes: 5 * MIB,
                max_snapshot_pixels: 4_000_000,
                max_snapshot_pixels_per_preview: 16_000_000,
                max_parallel_previews: 1,
                ai_docs_max_file_bytes: 32 * KIB,
                ai_docs_max_tokens: 2_000,
                ai_docs_max_parallel_jobs: 1,
                ai_docs_per_hour_per_user: 10,
                ai_docs_per_hour_per_project: 20,
            },
            pro: TierLimits {
                previews_per_hour: 300,
                max_request_bytes: 8 * MIB,
                max_file_bytes: 512 * KIB,
                max_files: 1_000,
                max_snapshots_per_preview: 50,
                max_assets: 100,
                max_asset_bytes: 20 * MIB,
                max_snapshot_pixels: 4_000_000,
                max_snapshot_pixels_per_preview: 64_000_000,
                max_parallel_previews: 4,
                ai_docs_max_file_bytes: 128 * KIB,
                ai_docs_max_tokens: 8_000,
                ai_docs_max_parallel_jobs: 4,
                ai_docs_per_hour_per_user: 100,
                ai_docs_per_hour_per_project: 200,
            },
            premium: TierLimits {
                previews_per_hour: 1_200,
                max_request_bytes: 16 * MIB,
                max_file_bytes: MIB,
                max_files: 3_000,
                max_snapshots_per_preview: 200,
                max_assets: 300,
                max_asset_bytes: 50 * MIB,
                max_snapshot_pixels: 4_000_000,
                max_snapshot_pixels_per_preview: 128_000_000,
                max_parallel_previews: 16,
                ai_docs_max_file_bytes: 512 * KIB,
                ai_docs_max_tokens: 32_000,
                ai_docs_max_parallel_jobs: 16,
                ai_docs_per_hour_per_user: 500,
                ai_docs_per_hour_per_project: 1_000,
            },
        }
    }
}

/// Limits of one tier. Requests over a limit get 413 or 429 with a JSON error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierLimits {
    /// Preview requests per user per rolling hour.
    pub previews_per_hour: u32,
    /// Largest preview request body, in bytes (checked before parsing).
    pub max_request_bytes: u64,
    /// Largest single source file, in bytes.
    pub max_file_bytes: u64,
    /// Most files in one preview request (or in a project's file set after a delta).
    pub max_files: u32,
    /// Most snapshot assets one preview may produce.
    pub max_snapshots_per_preview: u32,
    /// Most binary files (images, fonts) in a project's file set.
    pub max_assets: u32,
    /// Most bytes of all the binary files of a project's file set together (decoded).
    pub max_asset_bytes: u64,
    /// Most device pixels in one snapshot PNG; a bigger snapshot covers only the top-left part
    /// of its node (after the clip to the device screen). The worker reads it from its own
    /// configuration: it bounds the worker's memory.
    pub max_snapshot_pixels: u64,
    /// Most device pixels of all the snapshots of one preview together (checked before any is
    /// drawn; the job fails past it): bounds a job's drawing time and PNG bytes.
    pub max_snapshot_pixels_per_preview: u64,
    /// Preview jobs of one user queued or running at once.
    pub max_parallel_previews: u32,
    /// Largest source file for AI documentation, in bytes.
    pub ai_docs_max_file_bytes: u64,
    /// Most tokens an AI documentation job may use.
    pub ai_docs_max_tokens: u32,
    /// AI documentation jobs of one user queued or running at once.
    pub ai_docs_max_parallel_jobs: u32,
    /// AI documentation requests per user per rolling hour.
    pub ai_docs_per_hour_per_user: u32,
    /// AI documentation requests per project per rolling hour.
    pub ai_docs_per_hour_per_project: u32,
}

impl TierLimits {
    /// Range checks of the tier called `name`.
    fn validate(&self, name: &str) -> Result<(), ConfigError> {
        for (key, value) in [
            ("max_snapshot_pixels", self.max_snapshot_pixels),
            (
                "max_snapshot_pixels_per_preview",
                self.max_snapshot_pixels_per_preview,
            ),
        ] {
            if value == 0 {
                return Err(ConfigError::new(
                    format!("tiers.{name}.{key}"),
                    "must be at least 1",
                ));
            }
        }
        Ok(())
    }
}

/// One secret's environment variable (its `_FILE` twin names a file holding the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretVar {
    /// `HIVESYNC_DATABASE_URL`: `postgres://...` or `sqlite://...`.
    DatabaseUrl,
    /// `WORKER_CALLBACK_SECRET`: the root of every worker's callback key (the backend's alone).
    WorkerCallbackSecret,
    /// `WORKER_CALLBACK_PREVIOUS_SECRET`: the previous root, still accepted during rotation.
    WorkerCallbackPreviousSecret,
    /// `HIVESYNC_WORKER_KEY`: one worker's own key (`hivesync worker-key WORKER_ID`).
    WorkerKey,
    /// `HIVESYNC_PREVIEW_TOKEN_KEY`: `KEY_ID:SECRET` used to sign new preview tokens.
    PreviewTokenKey,
    /// `HIVESYNC_PREVIEW_TOKEN_PREVIOUS_KEY`: `KEY_ID:SECRET` still accepted during rotation.
    PreviewTokenPreviousKey,
    /// `HIVESYNC_S3_ACCESS_KEY_ID`
    S3AccessKeyId,
    /// `HIVESYNC_S3_SECRET_ACCESS_KEY`
    S3SecretAccessKey,
    /// `HIVESYNC_AI_API_KEY`: the AI provider's key.
    AiApiKey,
    /// `HIVESYNC_ADMIN_KEY`: bearer key of the admin pages and API.
    AdminKey,
    /// `HIVESYNC_METRICS_TOKEN`: bearer token of `/metrics`.
    MetricsToken,
}

/// Every secret variable, in the order of [`SecretVar`].
pub const SECRET_VARS: &[SecretVar] = &[
    SecretVar::DatabaseUrl,
    SecretVar::WorkerCallbackSecret,
    SecretVar::WorkerCallbackPreviousSecret,
    SecretVar::WorkerKey,
    SecretVar::PreviewTokenKey,
    SecretVar::PreviewTokenPreviousKey,
    SecretVar::S3AccessKeyId,
    SecretVar::S3SecretAccessKey,
    SecretVar::AiApiKey,
    SecretVar::AdminKey,
    SecretVar::MetricsToken,
];

impl SecretVar {
    /// The environment variable's name.
    pub fn env_name(self) -> &'static str {
        match self {
            SecretVar::DatabaseUrl => "HIVESYNC_DATABASE_URL",
            SecretVar::WorkerCallbackSecret => "WORKER_CALLBACK_SECRET",
            SecretVar::WorkerCallbackPreviousSecret => "WORKER_CALLBACK_PREVIOUS_SECRET",
            SecretVar::WorkerKey => "HIVESYNC_WORKER_KEY",
            SecretVar::PreviewTokenKey => "HIVESYNC_PREVIEW_TOKEN_KEY",
            SecretVar::PreviewTokenPreviousKey => "HIVESYNC_PREVIEW_TOKEN_PREVIOUS_KEY",
            SecretVar::S3AccessKeyId => "HIVESYNC_S3_ACCESS_KEY_ID",
            SecretVar::S3SecretAccessKey => "HIVESYNC_S3_SECRET_ACCESS_KEY",
            SecretVar::AiApiKey => "HIVESYNC_AI_API_KEY",
            SecretVar::AdminKey => "HIVESYNC_ADMIN_KEY",
            SecretVar::MetricsToken => "HIVESYNC_METRICS_TOKEN",
        }
    }
}

/// A preview-token signing key with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenKey {
    /// Key id carried in every token, so two keys can be valid during rotation.
    pub id: String,
    /// The HMAC key.
    pub secret: Secret,
}

/// The secrets, each optional here; [`Secrets::require`] checks what a process needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    /// `HIVESYNC_DATABASE_URL`
    pub database_url: Option<Secret>,
    /// `WORKER_CALLBACK_SECRET`
    pub worker_callback_secret: Option<Secret>,
    /// `WORKER_CALLBACK_PREVIOUS_SECRET`
    pub worker_callback_previous_secret: Option<Secret>,
    /// `HIVESYNC_WORKER_KEY`
    pub worker_key: Option<WorkerKey>,
    /// `HIVESYNC_PREVIEW_TOKEN_KEY`
    pub preview_token_key: Option<TokenKey>,
    /// `HIVESYNC_PREVIEW_TOKEN_PREVIOUS_KEY`
    pub preview_token_previous_key: Option<TokenKey>,
    /// `HIVESYNC_S3_ACCESS_KEY_ID`
    pub s3_access_key_id: Option<Secret>,
    /// `HIVESYNC_S3_SECRET_ACCESS_KEY`
    pub s3_secret_access_key: Option<Secret>,
    /// `HIVESYNC_AI_API_KEY`
    pub ai_api_key: Option<Secret>,
    /// `HIVESYNC_ADMIN_KEY`
    pub admin_key: Option<Secret>,
    /// `HIVESYNC_METRICS_TOKEN`
    pub metrics_token: Option<Secret>,
}

impl Secrets {
    /// Loads every secret from `NAME` or the file named by `NAME_FILE` (trailing newline
    /// trimmed). Setting both is an error, so nobody wonders which one won.
    pub fn load(
        env: &dyn Fn(&str) -> Option<String>,
        read_file: &dyn Fn(&str) -> std::io::Result<String>,
    ) -> Result<Self, ConfigError> {
        let mut s = Secrets::default();
        for var in SECRET_VARS {
            let name = var.env_name();
            let file_name = format!("{name}_FILE");
            let value = match (env(name), env(&file_name)) {
                (Some(_), Some(_)) => {
                    return Err(ConfigError::new(
                        name,
                        format!("set either {name} or {file_name}, not both"),
                    ));
                }
                (Some(v), None) => Some(v),
                (None, Some(path)) => {
                    let text = read_file(&path).map_err(|e| {
                        ConfigError::new(
                            &file_name,
                            format!("cannot read the file it names ({})", e.kind()),
                        )
                    })?;
                    Some(text.trim_end_matches(['\n', '\r']).to_owned())
                }
                (None, None) => None,
            };
            let Some(value) = value else { continue };
            if value.is_empty() {
                return Err(ConfigError::new(name, "is set but empty"));
            }
            match var {
                SecretVar::DatabaseUrl => s.database_url = Some(Secret::new(value)),
                SecretVar::WorkerCallbackSecret => {
                    if value.len() < 32 {
                        return Err(ConfigError::new(name, "must be at least 32 characters"));
                    }
                    s.worker_callback_secret = Some(Secret::new(value));
                }
                SecretVar::WorkerCallbackPreviousSecret => {
                    if value.len() < 32 {
                        return Err(ConfigError::new(name, "must be at least 32 characters"));
                    }
                    s.worker_callback_previous_secret = Some(Secret::new(value));
                }
                SecretVar::WorkerKey => {
                    let key = WorkerKey::parse(&value)
                        .map_err(|e| ConfigError::new(name, e.to_string()))?;
                    s.worker_key = Some(key);
                }
                SecretVar::PreviewTokenKey => {
                    s.preview_token_key = Some(parse_token_key(name, &value)?)
                }
                SecretVar::PreviewTokenPreviousKey => {
                    s.preview_token_previous_key = Some(parse_token_key(name, &value)?)
                }
                SecretVar::S3AccessKeyId => s.s3_access_key_id = Some(Secret::new(value)),
                SecretVar::S3SecretAccessKey => s.s3_secret_access_key = Some(Secret::new(value)),
                SecretVar::AiApiKey => s.ai_api_key = Some(Secret::new(value)),
                SecretVar::AdminKey => s.admin_key = Some(Secret::new(value)),
                SecretVar::MetricsToken => s.metrics_token = Some(Secret::new(value)),
            }
        }
        if let (Some(a), Some(b)) = (&s.preview_token_key, &s.preview_token_previous_key)
            && a.id == b.id
        {
            return Err(ConfigError::new(
                SecretVar::PreviewTokenPreviousKey.env_name(),
                "must have a different key id than HIVESYNC_PREVIEW_TOKEN_KEY",
            ));
        }
        Ok(s)
    }

    /// Fails with the first of `vars` that is not set.
    pub fn require(&self, vars: &[SecretVar]) -> Result<(), ConfigError> {
        for var in vars {
            let present = match var {
                SecretVar::DatabaseUrl => self.database_url.is_some(),
                SecretVar::WorkerCallbackSecret => self.worker_callback_secret.is_some(),
                SecretVar::WorkerCallbackPreviousSecret => {
                    self.worker_callback_previous_secret.is_some()
                }
                SecretVar::WorkerKey => self.worker_key.is_some(),
                SecretVar::PreviewTokenKey => self.preview_token_key.is_some(),
                SecretVar::PreviewTokenPreviousKey => self.preview_token_previous_key.is_some(),
                SecretVar::S3AccessKeyId => self.s3_access_key_id.is_some(),
                SecretVar::S3SecretAccessKey => self.s3_secret_access_key.is_some(),
                SecretVar::AiApiKey => self.ai_api_key.is_some(),
                SecretVar::AdminKey => self.admin_key.is_some(),
                SecretVar::MetricsToken => self.metrics_token.is_some(),
            };
            if !present {
                let name = var.env_name();
                return Err(ConfigError::new(
                    name,
                    format!("missing secret: set {name} or {name}_FILE"),
                ));
            }
        }
        Ok(())
    }
}

fn parse_token_key(name: &str, value: &str) -> Result<TokenKey, ConfigError> {
    let (id, secret) = value
        .split_once(':')
        .ok_or_else(|| ConfigError::new(name, "expected KEY_ID:SECRET"))?;
    let id_ok = !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !id_ok {
        return Err(ConfigError::new(
            name,
            "key id must be 1-32 characters of A-Z, a-z, 0-9, '-', '_'",
        ));
    }
    if secret.len() < 32 {
        return Err(ConfigError::new(
            name,
            "secret part must be at least 32 characters",
        ));
    }
    Ok(TokenKey {
        id: id.to_owned(),
        secret: Secret::new(secret),
    })
}

/// The prefix of environment overrides of non-secret keys.
pub const ENV_PREFIX: &str = "HIVESYNC_";

/// `HIVESYNC_` variables that the binary's command line reads as its flags (`--config`, a
/// worker's `--id`, `hivesync admin --url`): not configuration keys, so never "unknown".
pub const COMMAND_LINE_VARS: &[&str] = &[
    "HIVESYNC_CONFIG",
    "HIVESYNC_WORKER_ID",
    "HIVESYNC_URL",
    "HIVESYNC_API_KEY",
    "HIVESYNC_PROJECT",
    // The test suite's log capture folder (crate::log_capture).
    crate::log_capture::ENV,
];

impl Config {
    /// Builds the configuration from an optional TOML text and the environment's
    /// `HIVESYNC_<SECTION>__<KEY>` variables (`vars` lists them all, e.g. `std::env::vars()`).
    pub fn load(toml_text: Option<&str>, vars: &[(String, String)]) -> Result<Self, ConfigError> {
        let mut table = match toml_text {
            Some(text) => text.parse::<toml::Table>().map_err(|e| {
                // toml's message quotes the offending line, which may hold a secret: keep only
                // the position.
                let at = e
                    .span()
                    .map(|s| format!(" at byte {}", s.start))
                    .unwrap_or_default();
                ConfigError::new("(file)", format!("not valid TOML{at}"))
            })?,
            None => toml::Table::new(),
        };
        let defaults = toml::Table::try_from(Config::default()).expect("defaults serialize");
        for (name, value) in vars {
            let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            if SECRET_VARS.iter().any(|v| {
                let n = v.env_name();
                name == n || name.strip_suffix("_FILE") == Some(n)
            }) || COMMAND_LINE_VARS.contains(&name.as_str())
            {
                continue;
            }
            let path: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
            let Some(default) = lookup(&defaults, &path) else {
                return Err(ConfigError::new(name, "unknown configuration variable"));
            };
            let typed = typed_like(default, value).ok_or_else(|| {
                ConfigError::new(
                    name,
                    format!("wrong type (expected {})", default.type_str()),
                )
            })?;
            insert(&mut table, &defaults, &path, typed).map_err(|p| ConfigError::new(name, p))?;
        }
        let config: Config =
            serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
                let key = e.path().to_string();
                let inner = e.inner().to_string();
                // serde's own text may quote the value; keep only the shape of the problem.
                let problem = if inner.contains("unknown field") {
                    "unknown key".to_owned()
                } else if let Some((_, rest)) = inner.split_once("missing field ") {
                    // The field name is ours, not the user's value.
                    let field = rest.split('`').nth(1).unwrap_or("?");
                    format!("missing key `{field}` (a tier table must set every key)")
                } else if let Some(expected) = inner.split(", expected ").nth(1) {
                    format!("wrong type or value (expected {expected})")
                } else {
                    "invalid value".to_owned()
                };
                ConfigError::new(key, problem)
            })?;
        config.validate()?;
        Ok(config)
    }

    /// Range checks that types alone cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.server.listen.parse::<SocketAddr>().map_err(|_| {
            ConfigError::new("server.listen", "expected IP:PORT, e.g. 127.0.0.1:8080")
        })?;
        for (key, url) in [
            ("server.public_url", &self.server.public_url),
            ("worker.backend_url", &self.worker.backend_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::new(key, "expected an http:// or https:// URL"));
            }
        }
        if !(10..=30).contains(&self.worker.heartbeat_interval_seconds) {
            return Err(ConfigError::new(
                "worker.heartbeat_interval_seconds",
                "must be between 10 and 30",
            ));
        }
        if self.worker.capacity == 0 {
            return Err(ConfigError::new("worker.capacity", "must be at least 1"));
        }
        if self.worker.lease_seconds < 5 {
            return Err(ConfigError::new(
                "worker.lease_seconds",
                "must be at least 5",
            ));
        }
        if self.worker.session_cleanup_batch == 0 {
            return Err(ConfigError::new(
                "worker.session_cleanup_batch",
                "must be at least 1",
            ));
        }
        if !(1..=15).contains(&self.worker.compile_timeout_seconds) {
            return Err(ConfigError::new(
                "worker.compile_timeout_seconds",
                "must be between 1 and 15",
            ));
        }
        for (name, tier) in [
            ("free", &self.tiers.free),
            ("pro", &self.tiers.pro),
            ("premium", &self.tiers.premium),
        ] {
            tier.validate(name)?;
        }
        if self.worker.log_batch_bytes < 1024 || self.worker.log_flush_seconds == 0 {
            return Err(ConfigError::new(
                "worker.log_batch_bytes",
                "must be at least 1024 (and worker.log_flush_seconds at least 1)",
            ));
        }
        if !(60..=120).contains(&self.session_token.ttl_seconds) {
            return Err(ConfigError::new(
                "session_token.ttl_seconds",
                "must be between 60 and 120",
            ));
        }
        let h = &self.health;
        if !(0.0..=1.0).contains(&h.error_rate_threshold) {
            return Err(ConfigError::new(
                "health.error_rate_threshold",
                "must be between 0 and 1",
            ));
        }
        if h.error_window_jobs == 0 || h.error_window_seconds == 0 {
            return Err(ConfigError::new(
                "health.error_window_jobs",
                "the window (jobs and seconds) must be at least 1",
            ));
        }
        if !self.metrics.listen.is_empty() && self.metrics.listen.parse::<SocketAddr>().is_err() {
            return Err(ConfigError::new(
                "metrics.listen",
                "expected IP:PORT or empty",
            ));
        }
        let ai = &self.ai_docs;
        if !(ai.openai_base_url.starts_with("http://")
            || ai.openai_base_url.starts_with("https://"))
        {
            return Err(ConfigError::new(
                "ai_docs.openai_base_url",
                "expected an http:// or https:// URL",
            ));
        }
        for (key, v) in [
            ("ai_docs.min_completeness", ai.min_completeness),
            ("ai_docs.min_truthfulness", ai.min_truthfulness),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(ConfigError::new(key, "must be between 0 and 1"));
            }
        }
        for (key, v) in [
            (
                "ai_docs.request_timeout_seconds",
                ai.request_timeout_seconds,
            ),
            ("ai_docs.max_output_tokens", u64::from(ai.max_output_tokens)),
            ("ai_docs.chunk_tokens", u64::from(ai.chunk_tokens)),
            (
                "ai_docs.local_max_new_tokens",
                u64::from(ai.local_max_new_tokens),
            ),
        ] {
            if v == 0 {
                return Err(ConfigError::new(key, "must be at least 1"));
            }
        }
        if ai.uses(AiProvider::Local) && ai.local_model_path.is_empty() {
            return Err(ConfigError::new(
                "ai_docs.local_model_path",
                "required when a tier's provider is \"local\"",
            ));
        }
        if self.preview_token.ttl_seconds == 0 {
            return Err(ConfigError::new(
                "preview_token.ttl_seconds",
                "must be at least 1",
            ));
        }
        if self.object_store.backend == ObjectStoreBackend::S3 {
            if self.object_store.s3_bucket.is_empty() {
                return Err(ConfigError::new(
                    "object_store.s3_bucket",
                    "required when backend = \"s3\"",
                ));
            }
            let ep = &self.object_store.s3_endpoint;
            if ep.starts_with("http://") && !self.object_store.s3_allow_http {
                return Err(ConfigError::new(
                    "object_store.s3_endpoint",
                    "is plain http:// but object_store.s3_allow_http is false",
                ));
            }
        }
        Ok(())
    }
}

fn lookup<'a>(table: &'a toml::Table, path: &[String]) -> Option<&'a toml::Value> {
    let (first, rest) = path.split_first()?;
    let value = table.get(first)?;
    if rest.is_empty() {
        return (!value.is_table()).then_some(value);
    }
    lookup(value.as_table()?, rest)
}

/// Sets `value` at `path`, creating missing tables as copies of the defaults' tables (so an
/// environment override of one tier key does not leave that tier half-written).
fn insert(
    table: &mut toml::Table,
    defaults: &toml::Table,
    path: &[String],
    value: toml::Value,
) -> Result<(), &'static str> {
    let (first, rest) = path.split_first().expect("non-empty path");
    if rest.is_empty() {
        table.insert(first.clone(), value);
        return Ok(());
    }
    let default_inner = defaults
        .get(first)
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let entry = table
        .entry(first.clone())
        .or_insert_with(|| toml::Value::Table(default_inner.clone()));
    let inner = entry
        .as_table_mut()
        .ok_or("the file sets this section to a non-table value")?;
    insert(inner, &default_inner, rest, value)
}

/// Parses an environment string as the same TOML type as the default at that key.
fn typed_like(default: &toml::Value, text: &str) -> Option<toml::Value> {
    Some(match default {
        toml::Value::String(_) => toml::Value::String(text.to_owned()),
        toml::Value::Integer(_) => toml::Value::Integer(text.trim().parse().ok()?),
        toml::Value::Float(_) => toml::Value::Float(text.trim().parse().ok()?),
        toml::Value::Boolean(_) => toml::Value::Boolean(match text.trim() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return None,
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_valid() {
        let c = Config::load(None, &[]).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.worker.heartbeat_interval_seconds, 15);
        assert!(c.tiers.premium.previews_per_hour > c.tiers.pro.previews_per_hour);
    }

    #[test]
    fn file_then_environment_override() {
        let text = "[server]\nlisten = \"0.0.0.0:9000\"\n[tiers.free]\npreviews_per_hour = 5\nmax_request_bytes = 1\nmax_file_bytes = 1\nmax_files = 1\nmax_snapshots_per_preview = 1\nmax_assets = 1\nmax_asset_bytes = 1\nmax_snapshot_pixels = 1\nmax_snapshot_pixels_per_preview = 1\nmax_parallel_previews = 1\nai_docs_max_file_bytes = 1\nai_docs_max_tokens = 1\nai_docs_max_parallel_jobs = 1\nai_docs_per_hour_per_user = 1\nai_docs_per_hour_per_project = 1\n";
        let c = Config::load(
            Some(text),
            &vars(&[
                ("HIVESYNC_TIERS__FREE__PREVIEWS_PER_HOUR", "7"),
                ("HIVESYNC_ROUTING__PREFER_GPU_FOR_PREMIUM", "false"),
            ]),
        )
        .unwrap();
        assert_eq!(c.server.listen, "0.0.0.0:9000");
        assert_eq!(c.tiers.free.previews_per_hour, 7);
        assert!(!c.routing.prefer_gpu_for_premium);
        assert_eq!(c.tiers.pro, TiersConfig::default().pro);
    }

    #[test]
    fn snapshot_pixel_budgets_are_per_tier_and_at_least_one() {
        let c = Config::default();
        for t in [&c.tiers.free, &c.tiers.pro, &c.tiers.premium] {
            // A whole iPad screen at 2x (1640 x 2360) fits one snapshot's budget.
            assert!(t.max_snapshot_pixels >= 1640 * 2360);
            assert!(t.max_snapshot_pixels_per_preview >= t.max_snapshot_pixels);
        }
        assert!(
            c.tiers.premium.max_snapshot_pixels_per_preview
                > c.tiers.free.max_snapshot_pixels_per_preview
        );
        let e = Config::load(
            None,
            &vars(&[("HIVESYNC_TIERS__PRO__MAX_SNAPSHOT_PIXELS_PER_PREVIEW", "0")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "tiers.pro.max_snapshot_pixels_per_preview");
    }

    #[test]
    fn unknown_key_in_file_is_named() {
        let e = Config::load(Some("[server]\nlisen = \"x\"\n"), &[]).unwrap_err();
        assert_eq!(e.key, "server.lisen");
        assert_eq!(
            e.to_string(),
            "configuration key `server.lisen`: unknown key"
        );
    }

    #[test]
    fn wrong_type_names_key_but_never_value() {
        let e = Config::load(Some("[worker]\ncapacity = \"s3cr3t-value\"\n"), &[]).unwrap_err();
        assert_eq!(e.key, "worker.capacity");
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
        let e = Config::load(None, &vars(&[("HIVESYNC_WORKER__CAPACITY", "s3cr3t")])).unwrap_err();
        assert_eq!(e.key, "HIVESYNC_WORKER__CAPACITY");
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
    }

    #[test]
    fn broken_toml_does_not_echo_the_line() {
        let e = Config::load(Some("password = s3cr3t-value oops"), &[]).unwrap_err();
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
    }

    #[test]
    fn unknown_environment_variable_is_named() {
        let e = Config::load(None, &vars(&[("HIVESYNC_SERVER__PORT", "1")])).unwrap_err();
        assert_eq!(e.key, "HIVESYNC_SERVER__PORT");
        // Secret variables are not configuration keys and are left alone here.
        assert!(
            Config::load(
                None,
                &vars(&[
                    ("HIVESYNC_DATABASE_URL", "x"),
                    ("HIVESYNC_ADMIN_KEY_FILE", "/x")
                ])
            )
            .is_ok()
        );
    }

    #[test]
    fn command_line_variables_are_not_configuration_keys() {
        // `HIVESYNC_CONFIG=FILE` and a worker's `HIVESYNC_WORKER_ID` are flags given through
        // the environment (containers, systemd units): loading must not refuse them.
        let c = Config::load(
            None,
            &vars(&[
                ("HIVESYNC_CONFIG", "/etc/hivesync/hivesync.toml"),
                ("HIVESYNC_WORKER_ID", "cpu-1"),
                ("HIVESYNC_URL", "http://127.0.0.1:8080"),
            ]),
        );
        assert!(c.is_ok(), "{c:?}");
        // A near miss is still an unknown key.
        let e = Config::load(None, &vars(&[("HIVESYNC_WORKER__ID", "x")])).unwrap_err();
        assert_eq!(e.key, "HIVESYNC_WORKER__ID");
    }

    #[test]
    fn one_tier_key_from_the_environment_keeps_the_rest_of_the_tier() {
        let c = Config::load(
            None,
            &vars(&[("HIVESYNC_TIERS__PRO__PREVIEWS_PER_HOUR", "9")]),
        )
        .unwrap();
        assert_eq!(c.tiers.pro.previews_per_hour, 9);
        assert_eq!(
            c.tiers.pro.max_request_bytes,
            TiersConfig::default().pro.max_request_bytes
        );
    }

    #[test]
    fn half_written_tier_table_is_refused() {
        let e = Config::load(Some("[tiers.pro]\npreviews_per_hour = 5\n"), &[]).unwrap_err();
        assert!(e.key.starts_with("tiers.pro"), "{e}");
        assert!(
            e.problem.starts_with("missing key `max_request_bytes`"),
            "{e}"
        );
    }

    #[test]
    fn ranges_are_checked() {
        let e = Config::load(
            None,
            &vars(&[("HIVESYNC_WORKER__HEARTBEAT_INTERVAL_SECONDS", "5")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "worker.heartbeat_interval_seconds");
        let e = Config::load(None, &vars(&[("HIVESYNC_SERVER__LISTEN", "nope")])).unwrap_err();
        assert_eq!(e.key, "server.listen");
        let e = Config::load(Some("[object_store]\nbackend = \"s3\"\n"), &[]).unwrap_err();
        assert_eq!(e.key, "object_store.s3_bucket");
    }

    #[test]
    fn secrets_come_from_env_or_file_and_are_redacted() {
        let long = "x".repeat(40);
        let env = |name: &str| match name {
            "WORKER_CALLBACK_SECRET" => Some(long.clone()),
            "HIVESYNC_PREVIEW_TOKEN_KEY_FILE" => Some("/run/secrets/token".to_string()),
            _ => None,
        };
        let read = |path: &str| {
            assert_eq!(path, "/run/secrets/token");
            Ok(format!("k1:{}\n", "y".repeat(40)))
        };
        let s = Secrets::load(&env, &read).unwrap();
        assert_eq!(s.preview_token_key.as_ref().unwrap().id, "k1");
        assert_eq!(
            s.preview_token_key.as_ref().unwrap().secret.expose(),
            "y".repeat(40)
        );
        let debug = format!("{s:?}");
        assert!(!debug.contains(&long) && !debug.contains("yyyy"), "{debug}");
        let e = s
            .require(&[SecretVar::WorkerCallbackSecret, SecretVar::DatabaseUrl])
            .unwrap_err();
        assert_eq!(e.key, "HIVESYNC_DATABASE_URL");
    }

    #[test]
    fn bad_secrets_are_refused_without_echo() {
        let env =
            |name: &str| (name == "WORKER_CALLBACK_SECRET").then(|| "short-s3cr3t".to_string());
        let e = Secrets::load(&env, &|_| unreachable!()).unwrap_err();
        assert_eq!(e.key, "WORKER_CALLBACK_SECRET");
        assert!(!e.to_string().contains("s3cr3t"));
        let env = |name: &str| match name {
            "HIVESYNC_ADMIN_KEY" | "HIVESYNC_ADMIN_KEY_FILE" => Some("v".into()),
            _ => None,
        };
        assert!(Secrets::load(&env, &|_| unreachable!()).is_err());
        let env = |name: &str| (name == "HIVESYNC_ADMIN_KEY_FILE").then(|| "/missing".to_string());
        let e = Secrets::load(&env, &|_| {
            Err(std::io::Error::from(std::io::ErrorKind::NotFound))
        })
        .unwrap_err();
        assert_eq!(e.key, "HIVESYNC_ADMIN_KEY_FILE");
    }
}

#[cfg(test)]
mod docs_tests {
    use super::*;

    fn keys(prefix: &str, table: &toml::Table, out: &mut Vec<String>) {
        for (k, v) in table {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(t) => keys(&key, t, out),
                _ => out.push(key),
            }
        }
    }

    #[test]
    fn every_key_is_documented() {
        let doc = include_str!("../../../docs/configuration.md");
        let mut all = Vec::new();
        keys(
            "",
            &toml::Table::try_from(Config::default()).unwrap(),
            &mut all,
        );
        for key in all {
            // Tier keys are documented once in a table for all three tiers.
            let documented = match key.strip_prefix("tiers.") {
                Some(rest) => doc.contains(&format!("`{}`", rest.split_once('.').unwrap().1)),
                None => doc.contains(&format!("`{key}`")),
            };
            assert!(
                documented,
                "docs/configuration.md does not describe `{key}`"
            );
        }
        for var in SECRET_VARS {
            assert!(
                doc.contains(var.env_name()),
                "docs/configuration.md does not list {}",
                var.env_name()
            );
        }
    }
}
