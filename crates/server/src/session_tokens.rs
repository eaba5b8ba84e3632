//! One-time session tokens for a secure auto-login from a client to the website.
//!
//! - `POST /api/v1/session-tokens` (client API key): a random token valid for
//!   `session_token.ttl_seconds` (60-120); only its SHA-256 is stored.
//! - `POST /api/v1/session-tokens/redeem` with `{"token": "..."}`: accepted exactly once (one
//!   guarded `UPDATE ... WHERE used = false`, so concurrent redeems have one winner). A second
//!   redeem, an expired or unknown token answers 401 and writes a `security_events` row.
//!
//! Spent and expired rows are deleted by the workers' session-token cleanup.

use std::net::SocketAddr;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use hivesync_core::clock::now_ms;
use serde::Deserialize;

use crate::api_error::ApiError;
use crate::auth::{self, Family};
use crate::state::AppState;

/// Largest redeem body.
const MAX_REDEEM_BYTES: u64 = 1024;

/// A one-time login token.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SessionToken {
    /// The token (`hst_...`), to hand to the website once.
    pub token: String,
    /// When it expires (ms since the Unix epoch).
    pub expires_at: i64,
    /// Its lifetime in seconds.
    pub expires_in_seconds: i64,
}

/// Body of a redeem.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    /// The token.
    token: String,
}

/// Who a redeemed token logs in.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Redeemed {
    /// The user.
    pub user_id: hivesync_core::ids::UserId,
    /// Their e-mail address.
    pub email: Option<String>,
    /// Their tier.
    pub tier: Option<hivesync_core::Tier>,
}

/// Issues a one-time token for a secure auto-login from a client to the website.
#[utoipa::path(
    post,
    path = "/session-tokens",
    tag = "session-tokens",
    security(("api_key" = [])),
    responses(
        (status = 201, description = "The token", body = SessionToken),
        (status = 401, description = "Missing, unknown or revoked API key", body = crate::api_error::ErrorBody),
        (status = 403, description = "A `ci` key", body = crate::api_error::ErrorBody),
    )
)]
pub async fn issue(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<SessionToken>), ApiError> {
    let owner = auth::client(&state, &headers, Some(peer), Family::Developer).await?;
    let now = now_ms();
    let ttl = state.config().session_token.ttl_seconds as i64;
    let expires_at = now + ttl * 1000;
    let token = state
        .store()
        .issue_session_token(owner.user.id, now, expires_at)
        .await?;
    tracing::info!(user = %owner.user.id, ttl_seconds = ttl, "session token issued");
    Ok((
        StatusCode::CREATED,
        Json(SessionToken {
            token: token.expose().to_owned(),
            expires_at,
            expires_in_seconds: ttl,
        }),
    ))
}

/// Redeems a one-time login token (the website's side): accepted exactly once.
#[utoipa::path(
    post,
    path = "/session-tokens/redeem",
    tag = "session-tokens",
    request_body = Redeem,
    responses(
        (status = 200, description = "The token was valid; who it logs in", body = Redeemed),
        (status = 401, description = "Unknown, expired or already used", body = crate::api_error::ErrorBody),
        (status = 413, description = "The body is too large", body = crate::api_error::ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = crate::api_error::ErrorBody),
    )
)]
pub async fn redeem(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Redeemed>, ApiError> {
    let bytes = crate::previews::read_json_body(&headers, body, MAX_REDEEM_BYTES).await?;
    let token = serde_json::from_slice::<Redeem>(&bytes)
        .map(|r| r.token)
        .unwrap_or_default();
    let now = now_ms();
    let store = state.store();
    let redeemed = if token.is_empty() || token.len() > 128 {
        None
    } else {
        store.use_session_token(&token, now).await?
    };
    if let Some(user_id) = redeemed {
        state.metrics().session_token("redeemed");
        let user = store.user(user_id).await?;
        tracing::info!(user = %user_id, "session token redeemed");
        return Ok(Json(Redeemed {
            user_id,
            email: user.as_ref().map(|u| u.email.clone()),
            tier: user.map(|u| u.tier),
        }));
    }
    let why = if token.is_empty() {
        "unknown"
    } else {
        match store.session_token_refusal(&token, now).await? {
            // Unused and unexpired a moment ago: another redeem was just faster.
            "unused" => "used",
            other => other,
        }
    };
    state.metrics().session_token(why);
    auth::record(
        &state,
        &format!("session_token_{why}"),
        None,
        None,
        Some(peer),
        format!("session token redeem refused: {why}"),
    )
    .await;
    Err(ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "missing or invalid credentials",
    ))
}
