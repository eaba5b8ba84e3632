//! The worker's only outbound HTTP: signed POSTs to the configured backend (callbacks and
//! heartbeats). It never follows redirects and never calls a URL from user code.

use std::time::Duration;

use hivesync_core::callback_signature::{
    HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, HEADER_WORKER, WorkerKey, new_message_id,
};
use hivesync_core::ids::WorkerId;
use serde::Serialize;

/// A delivery failure.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The backend could not be reached (retrying may help).
    #[error("backend unreachable: {0}")]
    Unreachable(String),
    /// The backend refused the request.
    #[error("backend refused the request with status {0}")]
    Refused(u16),
}

/// A client for the backend, signing as one worker.
#[derive(Clone)]
pub struct Backend {
    http: reqwest::Client,
    base: String,
    worker: WorkerId,
    key: WorkerKey,
}

impl Backend {
    /// A client for `base_url` signing as `worker` with its own key.
    pub fn new(base_url: &str, worker: &WorkerId, key: WorkerKey) -> Self {
        hivesync_objects::install_tls_provider();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("HTTP client");
        Self {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            worker: worker.clone(),
            key,
        }
    }

    /// POSTs `body` to `path` with a fresh message id, signed.
    pub async fn post<T: Serialize>(&self, path: &str, body: &T) -> Result<(), BackendError> {
        self.post_with_id(path, &new_message_id(), body).await
    }

    /// POSTs `body` to `path` under message id `id` (a retry reuses its id, so a delivery
    /// that did arrive is refused as a replay instead of applied twice).
    pub async fn post_with_id<T: Serialize>(
        &self,
        path: &str,
        id: &str,
        body: &T,
    ) -> Result<(), BackendError> {
        let bytes = serde_json::to_vec(body).expect("body serializes");
        let ts = hivesync_core::clock::now_ms() / 1000;
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .header(HEADER_ID, id)
            .header(HEADER_TIMESTAMP, ts.to_string())
            .header(HEADER_SIGNATURE, self.key.sign(id, ts, &bytes))
            .header(HEADER_WORKER, self.worker.as_str())
            .body(bytes)
            .send()
            .await
            .map_err(|e| BackendError::Unreachable(e.without_url().to_string()))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(BackendError::Refused(response.status().as_u16()))
        }
    }
}
