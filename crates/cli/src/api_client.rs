//! The client side of a running backend, shared by `hivesync admin` and `hivesync submit`:
//! where it is and with which key (flags or environment, else `hivesync dev`'s
//! `DATA_DIR/demo.json`), and one JSON call whose refusal keeps the API's status, code and
//! message.

use std::fmt;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::dev::Demo;

/// Where no flag, variable or demo.json says otherwise.
const DEFAULT_URL: &str = "http://127.0.0.1:8080";

/// Which key of demo.json a command falls back to.
#[derive(Debug, Clone, Copy)]
pub enum DemoKey {
    /// `api_key` (client routes).
    Api,
    /// `admin_key` (admin routes).
    Admin,
}

/// A backend to talk to.
pub struct Backend {
    /// Base URL without a trailing `/`.
    pub base: String,
    /// Bearer key.
    pub key: String,
    /// demo.json's project, when the key is demo.json's too.
    pub demo_project: Option<String>,
    /// The HTTP client.
    pub http: reqwest::Client,
}

impl Backend {
    /// Resolves the URL and key: the flag (or its variable) first, then demo.json in
    /// `data_dir`. `missing` is the error when no key is found.
    pub fn resolve(
        url: Option<&str>,
        key: Option<&str>,
        data_dir: &Path,
        which: DemoKey,
        missing: &str,
    ) -> Result<Backend> {
        let demo = Demo::read(data_dir);
        let url = url
            .map(str::to_owned)
            .or_else(|| demo.as_ref().map(|d| d.base_url.clone()))
            .unwrap_or_else(|| DEFAULT_URL.to_owned());
        let demo_key = demo.as_ref().map(|d| match which {
            DemoKey::Api => d.api_key.clone(),
            DemoKey::Admin => d.admin_key.clone(),
        });
        let (key, demo_project) = match (key, demo_key) {
            (Some(k), _) => (k.to_owned(), None),
            (None, Some(k)) => (k, demo.map(|d| d.project_id)),
            (None, None) => bail!("{missing}"),
        };
        Ok(Backend {
            base: url.trim_end_matches('/').to_owned(),
            key,
            demo_project,
            http: reqwest::Client::new(),
        })
    }

    /// `base` + `path` (`/api/v1/...`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// One JSON request to `url`; a non-2xx answer becomes an [`ApiRefusal`].
    pub async fn call(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Value> {
        let mut req = self.http.request(method, url).bearer_auth(&self.key);
        if let Some(b) = body {
            req = req.json(b);
        }
        let r = req
            .send()
            .await
            .with_context(|| format!("cannot reach {url}"))?;
        let status = r.status();
        let retry_after = r
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let text = r.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(ApiRefusal::from_body(status.as_u16(), &text, retry_after).into());
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// `GET url`.
    pub async fn get(&self, url: &str) -> Result<Value> {
        self.call(reqwest::Method::GET, url, None).await
    }
}

/// A request the backend answered with an error: its status and the `error.code` and
/// `error.message` of its body.
#[derive(Debug, Clone)]
pub struct ApiRefusal {
    /// HTTP status.
    pub status: u16,
    /// The API's stable code (`too_many_files`, `unauthorized`, ...), when the body had one.
    pub code: Option<String>,
    /// The API's message, else a generic one.
    pub message: String,
    /// `Retry-After`, in seconds.
    pub retry_after: Option<u64>,
}

impl ApiRefusal {
    /// From an error response's status and body.
    pub fn from_body(status: u16, body: &str, retry_after: Option<u64>) -> Self {
        let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        ApiRefusal {
            status,
            code: v["error"]["code"].as_str().map(str::to_owned),
            message: v["error"]["message"]
                .as_str()
                .unwrap_or("request failed")
                .to_owned(),
            retry_after,
        }
    }
}

impl fmt::Display for ApiRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(s) = self.retry_after {
            write!(f, " (retry after {s} s)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiRefusal {}
