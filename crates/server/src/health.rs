//! `GET /healthz` (the process is alive) and `GET /readyz` (the database and the object store
//! answer).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// How long one readiness probe may take per dependency.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The outcome of a readiness check: `None` means that dependency answered.
#[derive(Debug, Default)]
pub struct Report {
    /// The database's problem, if any.
    pub database: Option<String>,
    /// The object store's problem, if any.
    pub objects: Option<String>,
}

impl Report {
    /// True when both dependencies answered.
    pub fn ready(&self) -> bool {
        self.database.is_none() && self.objects.is_none()
    }
}

/// Probes both dependencies at once, each with a short timeout.
pub async fn check(state: &AppState) -> Report {
    let db = tokio::time::timeout(PROBE_TIMEOUT, state.store().ping());
    let objects = tokio::time::timeout(PROBE_TIMEOUT, state.objects().ping());
    let (db, objects) = tokio::join!(db, objects);
    Report {
        database: match db {
            Ok(Ok(())) => None,
            Ok(Err(_)) => Some("not reachable".to_owned()),
            Err(_) => Some("timed out".to_owned()),
        },
        objects: match objects {
            Ok(Ok(())) => None,
            Ok(Err(_)) => Some("not reachable".to_owned()),
            Err(_) => Some("timed out".to_owned()),
        },
    }
}

/// Body of `/healthz`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Liveness {
    /// Always `ok`.
    pub status: &'static str,
    /// The server's version.
    pub version: &'static str,
}

/// Body of `/readyz`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    /// `ok`, `not reachable` or `timed out`.
    pub database: String,
    /// `ok`, `not reachable` or `timed out`.
    pub object_store: String,
}

/// Liveness: answers 200 while the process runs.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, description = "The process runs", body = Liveness))
)]
pub async fn healthz() -> Json<Liveness> {
    Json(Liveness {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// Readiness: 200 when the database and the object store answer, 503 naming the one that
/// does not (no error details: they could carry hosts or paths).
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "The database and the object store answer", body = Readiness),
        (status = 503, description = "One of them does not", body = Readiness),
    )
)]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let report = check(&state).await;
    let status = if report.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Readiness {
        status: if report.ready() { "ready" } else { "not_ready" },
        database: report.database.clone().unwrap_or_else(|| "ok".into()),
        object_store: report.objects.clone().unwrap_or_else(|| "ok".into()),
    };
    (status, Json(body))
}
