//! The request rules of every endpoint, table-driven from the server's own OpenAPI description:
//! strict `Content-Type` (415), the size checked from `Content-Length` before any byte of the
//! body is read (413), JSON nested past the parser's depth limit refused (400) without harm,
//! slow clients disconnected, slow bodies cut at the request timeout (408), and every error in
//! the one JSON shape with a stable code and nothing of the machine in it.

use std::time::{Duration, Instant};

use hivesync_core::Tier;
use hivesync_server::testing::*;
use hivesync_store::Driver;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn rules_config() -> hivesync_core::config::Config {
    let mut c = test_config();
    c.server.header_read_timeout_seconds = 1;
    c.server.request_timeout_seconds = 2;
    c
}

struct Endpoint {
    method: String,
    path: String,
    /// The request body's media type, when the operation takes one.
    body: Option<String>,
    /// The security scheme it names first (`api_key`, `admin_key`, ...).
    scheme: Option<String>,
}

async fn endpoints(app: &App) -> Vec<Endpoint> {
    let spec = crate::openapi::description(app).await;
    crate::openapi::operations(&spec)
        .into_iter()
        .map(|(method, path, op)| Endpoint {
            method: method.to_uppercase(),
            path: crate::openapi::with_samples(&path),
            body: op["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.keys().next().cloned()),
            scheme: op["security"]
                .as_array()
                .and_then(|s| s.first())
                .and_then(Value::as_object)
                .and_then(|o| o.keys().next().cloned()),
        })
        .collect()
}

/// The credential headers that get a request of `scheme` past authentication.
fn credentials(scheme: Option<&str>, app: &App, token: &str) -> Vec<(String, String)> {
    let bearer = |k: &str| vec![("authorization".to_owned(), format!("Bearer {k}"))];
    match scheme {
        Some("api_key") => bearer(&app.api_key),
        Some("admin_key") => bearer(ADMIN_KEY),
        Some("metrics_token") => bearer(METRICS_TOKEN),
        Some("preview_token") => {
            let mut h = bearer(token);
            h.push(("x-hivesync-device".into(), "iphone".into()));
            h
        }
        // Worker requests are checked for type and size before their signature.
        _ => Vec::new(),
    }
}

/// Sends raw bytes on a new connection and returns what came back within `within` (status
/// line first), and whether the server closed the connection.
async fn raw(app: &App, request: &[u8], within: Duration) -> (String, bool) {
    let addr = app.base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    let deadline = Instant::now() + within;
    let closed = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break false;
        }
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => {
                got.extend_from_slice(&buf[..n]);
                // A whole response with a body we know the end of: enough.
                let text = String::from_utf8_lossy(&got);
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(str::to_owned)
                        })
                        .and_then(|v| v.trim().parse::<usize>().ok());
                    if len.is_some_and(|n| body.len() >= n) {
                        break false;
                    }
                }
            }
            Err(_) => break false,
        }
    };
    (String::from_utf8_lossy(&got).into_owned(), closed)
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// What no error body may hold: machine paths, stack traces, SQL, environment values.
fn assert_clean_error(what: &str, status: u16, body: &str) {
    let v: Value = serde_json::from_str(body)
        .unwrap_or_else(|_| panic!("{what}: {status} is not JSON: {body:?}"));
    let code = v["error"]["code"].as_str().unwrap_or("");
    assert!(
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "{what}: {status} has no stable code: {body}"
    );
    let message = v["error"]["message"].as_str().unwrap_or("");
    assert!(message.len() >= 8, "{what}: {status} says nothing: {body}");
    let lower = body.to_lowercase();
    for bad in [
        "/root",
        "/home/",
        "/tmp/",
        "/work/",
        ".rs:",
        "panicked",
        "backtrace",
        "select ",
        "insert into",
        "update ",
        "sqlx",
        "postgres://",
        "sqlite:",
        "pg_",
        "stack",
    ] {
        assert!(
            !lower.contains(bad),
            "{what}: {status} body holds `{bad}`: {body}"
        );
    }
    for (k, v) in std::env::vars() {
        if v.len() >= 8 && !["1", "true", "false"].contains(&v.as_str()) {
            assert!(
                !body.contains(&v),
                "{what}: {status} body holds the value of {k}"
            );
        }
    }
}

#[tokio::test]
async fn every_endpoint_checks_type_and_size_before_reading_and_survives_deep_json() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, rules_config()).await;
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("helpers-and-core"),
            &["iphone"],
        ))
        .await;
    let token = job["preview_token"].as_str().unwrap().to_owned();
    let eps = endpoints(&app).await;
    let with_bodies: Vec<&Endpoint> = eps.iter().filter(|e| e.body.is_some()).collect();
    assert!(
        with_bodies.len() >= 12,
        "{} endpoints take a body",
        with_bodies.len()
    );
    let host = app.base.trim_start_matches("http://").to_owned();
    for ep in &with_bodies {
        let what = format!("{} {}", ep.method, ep.path);
        let creds = credentials(ep.scheme.as_deref(), &app, &token);
        let head = |content_type: &str, length: u64| {
            let mut h = format!(
                "{} {} HTTP/1.1\r\nhost: {host}\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\n",
                ep.method, ep.path
            );
            for (k, v) in &creds {
                h.push_str(&format!("{k}: {v}\r\n"));
            }
            h.push_str("connection: close\r\n\r\n");
            h
        };

        // 415: a body of another type is refused.
        let mut req = head("text/plain", 2).into_bytes();
        req.extend_from_slice(b"{}");
        let (resp, _) = raw(&app, &req, Duration::from_secs(5)).await;
        assert_eq!(status_of(&resp), 415, "{what}: {resp}");
        let body = resp.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        assert_clean_error(&what, 415, body);

        // 413 from the declared length alone: no byte of the body is ever sent.
        let declared = ep.body.as_deref().unwrap_or("application/json");
        let (resp, _) = raw(
            &app,
            head(declared, 4_000_000_000).as_bytes(),
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(
            status_of(&resp),
            413,
            "{what}: the size must be refused before the body is read: {resp}"
        );
        let body = resp.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        assert_clean_error(&what, 413, body);

        // JSON nested far past the parser's limit (128), small enough for every size limit (1 KiB).
        if declared == "application/json" {
            let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
            let mut req = head("application/json", deep.len() as u64).into_bytes();
            req.extend_from_slice(deep.as_bytes());
            let (resp, _) = raw(&app, &req, Duration::from_secs(5)).await;
            let status = status_of(&resp);
            assert!(
                [400, 401, 422].contains(&status),
                "{what}: deep JSON answered {resp}"
            );
            let body = resp.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
            assert_clean_error(&what, status, body);
        }
    }
    // Still serving.
    let r = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn every_error_of_every_endpoint_is_json_with_a_stable_code_and_nothing_of_the_machine() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, rules_config()).await;
    let eps = endpoints(&app).await;
    let mut seen = 0;
    for ep in &eps {
        let what = format!("{} {}", ep.method, ep.path);
        let method = reqwest::Method::from_bytes(ep.method.as_bytes()).unwrap();
        // Without credentials, with a wrong one, with a malformed query, and with a method the
        // route does not take.
        let wrong = reqwest::Method::from_bytes(if ep.method == "GET" { b"PUT" } else { b"PATCH" })
            .unwrap();
        let requests = [
            app.http
                .request(method.clone(), format!("{}{}", app.base, ep.path)),
            app.http
                .request(method.clone(), format!("{}{}", app.base, ep.path))
                .bearer_auth("hsk_wrong-wrong-wrong-wrong-wrong-wrong-wrong"),
            app.http
                .request(
                    method.clone(),
                    format!("{}{}?limit=x&last_event_id=x&before=x", app.base, ep.path),
                )
                .bearer_auth(&app.api_key),
            app.http
                .request(method, format!("{}{}%ZZ", app.base, ep.path))
                .bearer_auth(ADMIN_KEY),
            app.http.request(wrong, format!("{}{}", app.base, ep.path)),
        ];
        for req in requests {
            let r = req
                .header("content-type", "application/json")
                .body("{\"x\":")
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let html = r
                .headers()
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
            let stream = r
                .headers()
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/event-stream"));
            if status < 400 || html || stream {
                continue;
            }
            let body = r.text().await.unwrap();
            assert_clean_error(&what, status, &body);
            seen += 1;
        }
    }
    assert!(seen > 150, "only {seen} error answers checked");
    // The fallback and the database-down path answer the same way.
    let r = app
        .http
        .get(format!("{}/nope/../../etc/passwd", app.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert_clean_error("unknown path", status, &r.text().await.unwrap());
}

#[tokio::test]
async fn a_client_slow_to_send_its_headers_is_disconnected() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, rules_config()).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    // Slowloris: a header line, then nothing.
    let mut s = TcpStream::connect(&addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(5), async {
        s.read(&mut buf).await.unwrap_or(0)
    })
    .await
    .expect("the server closes a connection whose headers do not come");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(800) && waited < Duration::from_secs(4),
        "closed after {waited:?} ({n} bytes)"
    );
    // A hundred such connections do not stop the server from answering others.
    let mut idle = Vec::new();
    for _ in 0..100 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"POST /api/v1/previews HTTP/1.1\r\n")
            .await
            .unwrap();
        idle.push(s);
    }
    let r = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_body_trickling_in_is_cut_at_the_request_timeout_with_408() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, rules_config()).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/previews HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n",
        app.api_key
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    // One byte every 300 ms: never done within the 2 s request timeout.
    loop {
        let _ = s.write_all(b" ").await;
        match tokio::time::timeout(Duration::from_millis(300), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => {
                got.extend_from_slice(&buf[..n]);
                if String::from_utf8_lossy(&got).contains("\r\n\r\n{") {
                    break;
                }
            }
            Err(_) => {}
        }
        assert!(started.elapsed() < Duration::from_secs(8), "never cut off");
    }
    let text = String::from_utf8_lossy(&got).into_owned();
    assert_eq!(status_of(&text), 408, "{text}");
    assert!(started.elapsed() >= Duration::from_millis(1800));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let body = body.rfind('}').map(|i| &body[..=i]).unwrap_or(body);
    assert_clean_error("trickled body", 408, body);
}
