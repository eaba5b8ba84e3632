//! `GET /healthz` (the process is alive) and `GET /readyz` (the database and the object store
//! answer).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;

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

/// Liveness: answers 200 while the process runs.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// Readiness: 200 when the database and the object store answer, 503 naming the one that
/// does not (no error details: they could carry hosts or paths).
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let report = check(&state).await;
    let status = if report.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if report.ready() { "ready" } else { "not_ready" },
        "database": report.database.as_deref().unwrap_or("ok"),
        "object_store": report.objects.as_deref().unwrap_or("ok"),
    });
    (status, Json(body))
}
