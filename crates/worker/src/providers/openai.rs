//! Chat Completions with structured output: `response_format: {type: json_schema, strict:
//! true}` carrying [`hivesync_docs::response_schema`], against a configurable base URL (OpenAI,
//! or any compatible server: vLLM, llama.cpp server, Ollama). The worker calls only this URL,
//! never one from user code, and never follows redirects.

use std::time::Duration;

use hivesync_core::Secret;
use hivesync_docs::prompt::Prompt;
use hivesync_docs::{Analysis, Usage, parse_answer, response_schema};
use serde_json::{Value, json};

use super::{Completion, DocsProvider, ProviderError};

/// A Chat Completions endpoint and one model.
#[derive(Clone)]
pub struct OpenAi {
    http: reqwest::Client,
    url: String,
    key: Option<Secret>,
    model: String,
    max_output_tokens: u32,
}

impl OpenAi {
    /// A client for `{base_url}/chat/completions` with `model`; `key` is sent as a bearer token
    /// when set (local servers often need none).
    pub fn new(
        base_url: &str,
        key: Option<Secret>,
        model: &str,
        timeout: Duration,
        max_output_tokens: u32,
    ) -> Self {
        hivesync_objects::install_tls_provider();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .build()
            .expect("HTTP client");
        Self {
            http,
            url: format!("{}/chat/completions", base_url.trim_end_matches('/')),
            key,
            model: model.to_owned(),
            max_output_tokens,
        }
    }

    fn body(&self, prompt: &Prompt) -> Value {
        json!({
            "model": self.model,
            "messages": [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": prompt.user},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "hivesync_docs",
                    "strict": true,
                    "schema": response_schema(),
                },
            },
            "max_completion_tokens": self.max_output_tokens,
        })
    }
}

/// `retry-after-ms` (milliseconds) or `retry-after` (seconds) of a response.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok();
    if let Some(ms) = get("retry-after-ms").filter(|v| v.is_finite() && *v >= 0.0) {
        return Some(Duration::from_millis(ms as u64));
    }
    get("retry-after")
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(Duration::from_secs_f64)
}

/// The provider's error message, shortened, on one line, and without anything shaped like a
/// key (OpenAI quotes a masked part of a wrong key back).
fn error_message(body: &Value) -> String {
    let text = body["error"]["message"].as_str().unwrap_or("no message");
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| {
            if w.starts_with("sk-") || w.len() > 40 {
                "[redacted]"
            } else {
                w
            }
        })
        .collect();
    words.join(" ").chars().take(200).collect()
}

impl DocsProvider for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn model(&self) -> &str {
        &self.model
    }

    async fn complete(
        &self,
        prompt: &Prompt,
        analysis: &Analysis,
        _chunk_text: &str,
    ) -> Result<Completion, ProviderError> {
        let mut request = self.http.post(&self.url).json(&self.body(prompt));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                ProviderError::Timeout
            } else {
                ProviderError::Unreachable
            }
        })?;
        let status = response.status().as_u16();
        let wait = retry_after(response.headers());
        let text = response.text().await.map_err(|e| {
            if e.is_timeout() {
                ProviderError::Timeout
            } else {
                ProviderError::Unreachable
            }
        })?;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        match status {
            200..=299 => {}
            429 => {
                let code = body["error"]["code"]
                    .as_str()
                    .or(body["error"]["type"].as_str());
                return Err(if code == Some("insufficient_quota") {
                    ProviderError::QuotaExhausted
                } else {
                    ProviderError::RateLimited { retry_after: wait }
                });
            }
            500..=599 => return Err(ProviderError::Server(status)),
            _ => {
                return Err(ProviderError::Rejected {
                    status,
                    message: error_message(&body),
                });
            }
        }
        if body.is_null() {
            return Err(ProviderError::Malformed("the response is not JSON".into()));
        }
        let choice = &body["choices"][0];
        let message = &choice["message"];
        if let Some(refusal) = message["refusal"].as_str().filter(|r| !r.trim().is_empty()) {
            return Err(ProviderError::Refused(refusal.chars().take(300).collect()));
        }
        if choice["finish_reason"].as_str() == Some("length") {
            return Err(ProviderError::Truncated);
        }
        let Some(content) = message["content"].as_str() else {
            return Err(ProviderError::Malformed(
                "the response has no message content".into(),
            ));
        };
        let answer = parse_answer(content, analysis, &prompt.symbol_ids)
            .map_err(|e| ProviderError::Malformed(e.to_string()))?;
        let usage = Usage {
            prompt_tokens: body["usage"]["prompt_tokens"].as_u64().unwrap_or(0),
            completion_tokens: body["usage"]["completion_tokens"].as_u64().unwrap_or(0),
        };
        Ok(Completion { answer, usage })
    }
}
