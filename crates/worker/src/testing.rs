//! Test doubles (feature `testing`): a real HTTP server that speaks Chat Completions, scripted
//! per test: each request takes the next scripted reply (the last one repeats), and every
//! request body is recorded, so a test can count the calls a job made and read what was sent.
#![allow(missing_docs)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use serde_json::{Value, json};

/// One scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (a timeout test).
    pub delay: Duration,
}

impl Reply {
    /// 200 with a completion whose message content is `content`.
    pub fn content(content: &str) -> Self {
        Self::completion(
            json!({"role": "assistant", "content": content, "refusal": null}),
            "stop",
        )
    }

    /// 200 with this message and finish reason.
    pub fn completion(message: Value, finish_reason: &str) -> Self {
        Self::json(
            200,
            json!({
                "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "scripted",
                "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
                "usage": {"prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200},
            }),
        )
    }

    /// 200 with a refusal.
    pub fn refusal(why: &str) -> Self {
        Self::completion(
            json!({"role": "assistant", "content": null, "refusal": why}),
            "stop",
        )
    }

    /// An error status with an OpenAI-shaped error body.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self::json(
            status,
            json!({"error": {"message": message, "type": code, "code": code, "param": null}}),
        )
    }

    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    last: Option<Reply>,
    requests: Vec<(HeaderMap, Value)>,
}

/// A running scripted server; stops when dropped.
pub struct ChatServer {
    /// `http://127.0.0.1:PORT/v1`: the base URL to configure.
    pub base_url: String,
    script: Arc<Mutex<Script>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

async fn answer(
    State(script): State<Arc<Mutex<Script>>>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    let reply = {
        let mut s = script.lock().unwrap();
        s.requests
            .push((headers, serde_json::from_str(&body).unwrap_or(Value::Null)));
        let next = s.replies.pop_front().or_else(|| s.last.clone());
        if let Some(r) = &next {
            s.last = Some(r.clone());
        }
        next.unwrap_or_else(|| Reply::error(500, "server_error", "nothing scripted"))
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut out = HeaderMap::new();
    out.insert("content-type", HeaderValue::from_static("application/json"));
    for (k, v) in &reply.headers {
        out.insert(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    (StatusCode::from_u16(reply.status).unwrap(), out, reply.body)
}

impl ChatServer {
    /// Starts a server that answers with `replies` in order (the last repeats).
    pub async fn start(replies: Vec<Reply>) -> Self {
        let script = Arc::new(Mutex::new(Script {
            replies: replies.into(),
            ..Script::default()
        }));
        let app = Router::new()
            .route("/v1/chat/completions", post(answer))
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Self {
            base_url,
            script,
            stop: Some(stop),
        }
    }

    /// Requests received so far.
    pub fn calls(&self) -> usize {
        self.script.lock().unwrap().requests.len()
    }

    /// The JSON bodies received so far.
    pub fn bodies(&self) -> Vec<Value> {
        self.script
            .lock()
            .unwrap()
            .requests
            .iter()
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// The `authorization` header of request `n`.
    pub fn authorization(&self, n: usize) -> Option<String> {
        self.script.lock().unwrap().requests[n]
            .0
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

impl Drop for ChatServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// The answer a good model gives for every symbol of `analysis`: a summary, each parameter,
/// returns and throws where the analysis expects them.
pub fn full_answer(analysis: &hivesync_docs::Analysis) -> String {
    let symbols: Vec<Value> = analysis
        .symbols
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "summary": format!("Handles `{}`.", s.name),
                "params": s.params.iter().map(|p| json!({"name": p.name, "description": format!("The `{}` to use.", p.name)})).collect::<Vec<_>>(),
                "returns": if s.returns_value { "The computed value." } else { "" },
                "throws": if s.throws { "When the input is invalid." } else { "" },
                "example": "",
            })
        })
        .collect();
    json!({
        "summary": format!("Utilities of `{}`.", analysis.path),
        "explanation": "The functions below work on plain values.",
        "symbols": symbols,
    })
    .to_string()
}
