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
use serde_json::json;

use crate::api_error::ApiError;
use crate::auth;
use crate::state::AppState;

/// Largest redeem body.
const MAX_REDEEM_BYTES: u64 = 1024;

/// `POST /api/v1/session-tokens`.
pub async fn issue(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let owner = auth::client(&state, &headers, Some(peer)).await?;
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
        Json(json!({
            "token": token.expose(),
            "expires_at": expires_at,
            "expires_in_seconds": ttl,
        })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Redeem {
    token: String,
}

/// `POST /api/v1/session-tokens/redeem`.
pub async fn redeem(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<serde_json::Value>, ApiError> {
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
        return Ok(Json(json!({
            "user_id": user_id,
            "email": user.as_ref().map(|u| u.email.clone()),
            "tier": user.map(|u| u.tier),
        })));
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
