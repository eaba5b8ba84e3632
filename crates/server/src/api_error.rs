//! The one place where failures become HTTP responses: a status, a stable machine-readable
//! `code`, a human message, and `Retry-After` where waiting helps. No secrets, tokens,
//! environment values or internal error texts reach a response body.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An API error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code clients can match on, e.g. `rate_limited`.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// Seconds to wait before retrying, when that helps.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Adds `Retry-After`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// 500 for a failure of ours; the details go to the log only.
    pub fn internal(context: &str, err: &dyn std::fmt::Display) -> Self {
        tracing::error!("{context}: {err}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; please retry",
        )
    }

    /// 503 when a dependency is down.
    pub fn unavailable(what: &str) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!("{what} is not available; please retry"),
        )
        .retry_after(5)
    }
}

impl From<hivesync_store::StoreError> for ApiError {
    fn from(e: hivesync_store::StoreError) -> Self {
        match e {
            hivesync_store::StoreError::Unavailable(why) => {
                tracing::warn!("database unavailable: {why}");
                Self::unavailable("the database")
            }
            other => Self::internal("database", &other),
        }
    }
}

/// Every error response's body: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// An error's stable code and its message.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `rate_limited`, `unauthorized`, `request_too_large`.
    pub code: String,
    /// What happened and what to do, for a person.
    pub message: String,
}

/// The `code` of an error response, as a response extension (for the metrics).
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        });
        let mut response = (self.status, body).into_response();
        response.extensions_mut().insert(ErrorCode(self.code));
        if let Some(seconds) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// Every error answer in the one JSON shape. axum's own refusals (a path or query that does not
/// parse, a method the route does not take) and the timeout's 408 come as plain text or an
/// empty body; they are replaced here, keeping their status (and `Allow`). JSON answers and
/// HTML pages (the dashboard's login form) are left as they are.
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<ErrorCode>().is_some()
    {
        return response;
    }
    // Our own answers (JSON, like readiness's 503, or HTML pages) stay as they are.
    let ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if ours {
        return response;
    }
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => (
            "bad_request",
            "the request's path or query does not have the expected form",
        ),
        StatusCode::NOT_FOUND => ("not_found", "no such endpoint"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this endpoint does not take this method (see Allow)",
        ),
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "the request took too long; retry"),
        StatusCode::PAYLOAD_TOO_LARGE => ("request_too_large", "the request is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Content-Type must be application/json",
        ),
        s if s.is_server_error() => ("internal", "internal error; please retry"),
        _ => ("refused", "the request was refused"),
    };
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut replaced = ApiError::new(status, code, message).into_response();
    if let Some(allow) = allow {
        replaced.headers_mut().insert(header::ALLOW, allow);
    }
    replaced
}

/// 404 for every unknown path, in the same JSON shape.
pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}
