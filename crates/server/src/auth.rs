//! Who is calling: API keys for clients, preview tokens for devices. Every refusal is recorded
//! in `security_events` (a burst from one source as a few detailed rows and one counting row)
//! and answers a generic 401.

use std::net::SocketAddr;

use axum::http::{HeaderMap, StatusCode, header};
use hivesync_core::DeviceType;
use hivesync_core::clock::now_ms;
use hivesync_core::preview_token::{self, PreviewClaims};
use hivesync_store::accounts::{ApiKeyOwner, Scope};
use hivesync_store::audit::{Burst, SecurityEvent};

use crate::api_error::ApiError;
use crate::state::AppState;

/// The header in which a device names its type.
pub const DEVICE_HEADER: &str = "x-hivesync-device";

/// The bearer credential of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// True when `presented` equals `expected`, in time independent of where they differ.
pub fn same_secret(presented: &str, expected: &str) -> bool {
    let (a, b) = (presented.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Records a security event; a failure to record is logged, never hidden from operators.
pub async fn record(
    state: &AppState,
    kind: &str,
    worker: Option<String>,
    job: Option<String>,
    peer: Option<SocketAddr>,
    detail: impl Into<String>,
) {
    if let Some(reason) = kind.strip_prefix("callback_") {
        state.metrics().callback(false, reason);
    }
    let event = SecurityEvent::new(
        kind,
        worker,
        job,
        peer.map(|p| p.ip().to_string()),
        detail,
        now_ms(),
    );
    let cfg = &state.config().server;
    let burst = Burst {
        window_ms: cfg.security_burst_window_seconds as i64 * 1000,
        detailed: cfg.security_burst_detailed,
    };
    match state.store().record_security_event(&event, &burst).await {
        // A refusal with a row of its own is logged with its detail; the rest of a burst is
        // counted in the database and logged at debug level, so a flood cannot flood the log.
        Ok(true) => {
            tracing::warn!(kind, worker = ?event.worker_id, job = ?event.job_id, peer = ?event.remote_addr, "rejected: {}", event.detail)
        }
        Ok(false) => {
            tracing::debug!(kind, peer = ?event.remote_addr, "rejected (counted in a burst): {}", event.detail)
        }
        Err(e) => {
            tracing::warn!(kind, worker = ?event.worker_id, job = ?event.job_id, peer = ?event.remote_addr, "rejected: {}", event.detail);
            tracing::error!("cannot record security event {kind}: {e}");
        }
    }
}

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "missing or invalid credentials",
    )
}

/// A family of client routes and the key scopes that reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Submitting preview and AI-docs jobs, reading their results and their progress events:
    /// every scope.
    Jobs,
    /// A developer's own things: device diagnostics, website login tokens, the user's keys:
    /// `client` and `admin` keys.
    Developer,
}

impl Family {
    /// Whether a key of `scope` reaches this family.
    pub fn allows(self, scope: Scope) -> bool {
        match self {
            Family::Jobs => true,
            Family::Developer => matches!(scope, Scope::Client | Scope::Admin),
        }
    }

    fn what(self) -> &'static str {
        match self {
            Family::Jobs => "jobs",
            Family::Developer => "developer routes (diagnostics, login tokens, keys)",
        }
    }
}

/// Authenticates a client by its API key and checks that the key's scope reaches `family`.
/// An unknown or revoked key is a 401, a key of the wrong scope a 403; both are recorded.
pub async fn client(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    family: Family,
) -> Result<ApiKeyOwner, ApiError> {
    let Some(key) = bearer(headers) else {
        record(
            state,
            "api_key_missing",
            None,
            None,
            peer,
            "client request without an API key",
        )
        .await;
        return Err(unauthorized());
    };
    match state.store().authenticate_api_key(key, now_ms()).await? {
        Some(owner) if family.allows(owner.scope) => Ok(owner),
        Some(owner) => {
            record(
                state,
                "api_key_scope",
                None,
                None,
                peer,
                format!(
                    "API key {} (scope {}) used for {}",
                    owner.key_id,
                    owner.scope,
                    family.what()
                ),
            )
            .await;
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "scope_not_allowed",
                format!(
                    "this API key has the `{}` scope, which does not reach {}; use a `client` key",
                    owner.scope,
                    family.what()
                ),
            ))
        }
        None => {
            record(
                state,
                "api_key_invalid",
                None,
                None,
                peer,
                "unknown or revoked API key",
            )
            .await;
            Err(unauthorized())
        }
    }
}

/// Authenticates a device by its preview token and checks that its declared device type is
/// allowed by the token (on every request).
pub async fn device(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Result<(PreviewClaims, DeviceType), ApiError> {
    let Some(token) = bearer(headers) else {
        record(
            state,
            "token_missing",
            None,
            None,
            peer,
            "device request without a preview token",
        )
        .await;
        return Err(unauthorized());
    };
    let claims = match preview_token::verify(token, &state.token_keys(), crate::state::now_secs()) {
        Ok(c) => c,
        Err(e) => {
            record(
                state,
                e.kind(),
                None,
                None,
                peer,
                format!("preview token refused: {e}"),
            )
            .await;
            return Err(unauthorized());
        }
    };
    let device = headers
        .get(DEVICE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<DeviceType>().ok());
    match device {
        Some(d) if claims.allowed_device_types.contains(&d) => Ok((claims, d)),
        _ => {
            record(
                state,
                "token_device_not_allowed",
                None,
                Some(claims.job_id.to_string()),
                peer,
                "device type missing or not allowed by the token",
            )
            .await;
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "device_not_allowed",
                "this token does not allow this device type",
            ))
        }
    }
}
