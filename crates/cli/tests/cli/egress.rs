//! Egress: a worker process connects to nothing but its backend, the database, the object store
//! and the AI provider. The worker runs under `strace -f -e trace=connect`, which records every
//! connection any of its threads opens; a project whose code names URLs (an image, `fetch` at
//! module level and in an effect, an import of an http module, a remote font) and an AI-docs file
//! that does the same are previewed and documented; a listener at those URLs counts who came.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::common::procs::*;
use crate::common::*;
use hivesync_core::Tier;
use hivesync_core::config::{AiModelChoice, AiProvider};
use hivesync_store::Driver;
use hivesync_worker::testing::{ChatServer, Reply};
use serde_json::{Value, json};

/// A listener that only counts connections (and answers nothing).
async fn trap() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(s);
        }
    });
    (port, hits)
}

fn project(trap: u16) -> Vec<Value> {
    let screen = format!(
        r#"import React, {{ useEffect, useState }} from 'react';
import {{ View, Text, Image, ScrollView }} from 'react-native';
import * as Font from 'expo-font';
import remote from 'http://127.0.0.1:{trap}/remote-module.js';

const config = fetch('http://127.0.0.1:{trap}/config.json');
const beacon = new Image();

export default function Home() {{
  const [items, setItems] = useState([]);
  useEffect(() => {{
    fetch('http://127.0.0.1:{trap}/api/items').then((r) => r.json()).then(setItems);
    Font.loadAsync({{ Brand: 'http://127.0.0.1:{trap}/brand.ttf' }});
  }}, []);
  return (
    <ScrollView style={{{{ flex: 1 }}}}>
      <Image source={{{{ uri: 'http://127.0.0.1:{trap}/hero.png' }}}} style={{{{ width: 320, height: 160 }}}} />
      <Image source={{{{ uri: 'https://example.com/logo.png' }}}} style={{{{ width: 48, height: 48 }}}} />
      <Text style={{{{ fontFamily: 'Brand', fontSize: 24 }}}}>Shop</Text>
      {{items.map((i) => <Text key={{i.id}}>{{i.name}}</Text>)}}
    </ScrollView>
  );
}}
"#
    );
    vec![json!({ "path": "App.tsx", "content": screen })]
}

/// `(address, port)` of every IP connection in an strace log.
fn connections(log: &str) -> Vec<(String, u16)> {
    let mut out = Vec::new();
    for line in log.lines() {
        if !line.contains("connect(") {
            continue;
        }
        let port = line
            .split("port=htons(")
            .nth(1)
            .and_then(|r| r.split(')').next())
            .and_then(|p| p.parse::<u16>().ok());
        let addr = if line.contains("AF_INET6") {
            line.split("inet_pton(AF_INET6, \"")
                .nth(1)
                .and_then(|r| r.split('"').next())
        } else if line.contains("AF_INET") {
            line.split("inet_addr(\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
        } else {
            None
        };
        if let (Some(addr), Some(port)) = (addr, port) {
            out.push((addr.to_owned(), port));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_connects_only_to_its_backend_database_object_store_and_ai_provider() {
    let (trap_port, hits) = trap().await;
    let chat = ChatServer::start(vec![Reply::content("{}")]).await;
    let chat_port: u16 = chat
        .base_url
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut config = test_config();
    config.ai_docs.pro = AiModelChoice {
        provider: AiProvider::Openai,
        model: "gpt-4.1-mini".into(),
    };
    config.ai_docs.openai_base_url = chat.base_url.clone();
    let app = spawn_app(Driver::Postgres, s3_objects(), Tier::Pro, config).await;
    let backend_port: u16 = app.base.rsplit(':').next().unwrap().parse().unwrap();
    let s3 = s3_endpoint();
    let s3_port: u16 = s3.rsplit(':').next().unwrap().parse().unwrap();
    let db_port: u16 = app
        .db
        .url
        .split('@')
        .nth(1)
        .and_then(|h| h.split('/').next())
        .and_then(|h| h.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or(5432);

    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("connect.strace");
    let worker = hivesync(&[]);
    let mut cmd = std::process::Command::new("strace");
    cmd.args(["-f", "-qq", "-e", "trace=connect", "-o"])
        .arg(&trace)
        .arg(worker.get_program())
        .args(["worker", "--type", "cpu", "--id", "egress-w"])
        .env_clear()
        .envs(worker.get_envs().filter_map(|(k, v)| Some((k, v?))));
    deployment_env(&mut cmd, &app.db.url, &app.base, &s3);
    // The in-process backend holds the testing root secret: the worker's key derives from it.
    let key = worker_key(&hivesync_core::ids::WorkerId::parse("egress-w").unwrap()).to_text();
    cmd.env("HIVESYNC_WORKER_KEY", key.expose())
        .env("HIVESYNC_AI_DOCS__PRO__PROVIDER", "openai")
        .env("HIVESYNC_AI_DOCS__PRO__MODEL", "gpt-4.1-mini")
        .env("HIVESYNC_AI_DOCS__OPENAI_BASE_URL", &chat.base_url)
        .env("HIVESYNC_AI_API_KEY", "sk-test-egress")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let _procs = Procs(vec![cmd.spawn().expect("strace is installed")]);

    // A preview of code full of URLs.
    let job = app
        .request_preview(&json!({
            "project_id": app.project.id, "platform": "ios", "device_types": ["iphone"],
            "files": project(trap_port),
        }))
        .await;
    let done = app.wait_final(&job, Duration::from_secs(60)).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    // AI documentation of a file naming URLs: only the provider is called.
    let docs = app
        .http
        .post(format!("{}/api/v1/ai-docs", app.base))
        .bearer_auth(&app.api_key)
        .json(&json!({
            "project_id": app.project.id, "path": "src/api.ts",
            "content": format!("import x from 'http://127.0.0.1:{trap_port}/lib.js';\nexport const load = () => fetch('http://127.0.0.1:{trap_port}/v1');\n"),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), 202);
    let docs: Value = docs.json().await.unwrap();
    let done = app.wait_final(&docs, Duration::from_secs(60)).await;
    assert!(chat.calls() >= 1, "the provider was called: {done}");
    drop(_procs);

    let log = std::fs::read_to_string(&trace).unwrap();
    let seen = connections(&log);
    assert!(!seen.is_empty(), "strace recorded connections:\n{log}");
    let allowed = [backend_port, db_port, s3_port, chat_port];
    for (addr, port) in &seen {
        assert!(
            (addr == "127.0.0.1" || addr == "::1") && allowed.contains(port),
            "the worker connected to {addr}:{port} (allowed: backend {backend_port}, database {db_port}, object store {s3_port}, AI provider {chat_port})"
        );
    }
    for (what, port) in [
        ("backend", backend_port),
        ("database", db_port),
        ("object store", s3_port),
        ("AI provider", chat_port),
    ] {
        assert!(
            seen.iter().any(|(_, p)| *p == port),
            "no connection to the {what} recorded: the trace is incomplete"
        );
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a URL in user code was fetched"
    );
}
