//! A backend for tests (feature `testing`): the server on port 0 over a fresh database (see
//! `hivesync_store::testing`) and an object store, a seeded user, project and API key, signed
//! worker requests, and the project fixtures of the compiler crate (whole multi-file React Native
//! projects). The backend's own API tests use it, and the end-to-end tests add workers to it.
#![allow(missing_docs)]

use std::path::Path;
use std::time::{Duration, Instant};

use crate::AppState;
use hivesync_core::callback_signature::WorkerKey;
use hivesync_core::clock::now_ms;
use hivesync_core::config::{Config, Secrets, TokenKey};
use hivesync_core::ids::WorkerId;
use hivesync_core::wire::TextFile;
use hivesync_core::{Secret, Tier, WorkerType};
use hivesync_objects::Objects;
use hivesync_store::accounts::{Project, User};
use hivesync_store::testing::TestDb;
use hivesync_store::{Driver, Store};
use serde_json::{Value, json};
use tokio::sync::watch;

pub const CALLBACK_SECRET: &str = "pipeline-test-callback-secret-0123456789";
pub const TOKEN_SECRET: &str = "pipeline-test-token-secret-0123456789abcdef";
pub const ADMIN_KEY: &str = "hsa_test-admin-key-0123456789";
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

pub fn token_key() -> TokenKey {
    TokenKey {
        id: "t1".into(),
        secret: Secret::new(TOKEN_SECRET),
    }
}

pub fn secrets() -> Secrets {
    Secrets {
        worker_callback_secret: Some(Secret::new(CALLBACK_SECRET)),
        preview_token_key: Some(token_key()),
        admin_key: Some(Secret::new(ADMIN_KEY)),
        metrics_token: Some(Secret::new(METRICS_TOKEN)),
        ..Secrets::default()
    }
}

/// The callback key the operator would provision to worker `id`.
pub fn worker_key(id: &WorkerId) -> WorkerKey {
    WorkerKey::derive(&Secret::new(CALLBACK_SECRET), id)
}

/// A running backend.
pub struct App {
    pub db: TestDb,
    pub store: Store,
    pub objects: Objects,
    pub config: Config,
    pub base: String,
    pub http: reqwest::Client,
    pub user: User,
    pub project: Project,
    pub api_key: String,
    stop: watch::Sender<bool>,
}

/// Configuration for tests: short leases and fast polling, everything else default.
pub fn test_config() -> Config {
    let mut c = Config::default();
    c.worker.lease_seconds = 5;
    c.worker.poll_interval_ms = 100;
    c.worker.heartbeat_interval_seconds = 10;
    c
}

pub async fn spawn_app(driver: Driver, objects: Objects, tier: Tier, config: Config) -> App {
    hivesync_objects::install_tls_provider();
    let db = TestDb::new(driver).await;
    spawn_app_on(db, objects, tier, config).await
}

/// Under the suite's log-hygiene check (`HIVESYNC_LOG_CAPTURE`), this test process's logs go
/// to a capture file too (once per process; a no-op otherwise or when a test set its own).
pub fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Some(file) = hivesync_core::log_capture::file("test") {
            let _ = tracing_subscriber::fmt()
                .with_writer(std::sync::Mutex::new(file))
                .with_ansi(false)
                .with_env_filter(tracing_subscriber::EnvFilter::new(
                    hivesync_core::log_capture::FILTER,
                ))
                .try_init();
        }
    });
}

pub async fn spawn_app_on(db: TestDb, objects: Objects, tier: Tier, mut config: Config) -> App {
    hivesync_objects::install_tls_provider();
    capture_logs();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    config.server.public_url = base.clone();
    config.worker.backend_url = base.clone();
    let store = db.store.clone();
    let state = AppState::new(config.clone(), secrets(), store.clone(), objects.clone());
    let (stop, rx) = watch::channel(false);
    let mut wait = rx.clone();
    tokio::spawn(crate::serve(state, listener, async move {
        let _ = wait.wait_for(|s| *s).await;
    }));
    let user = store
        .create_user(&format!("{}@example.com", uuid()), tier, now_ms())
        .await
        .unwrap();
    let project = store
        .create_project(user.id, "Demo", true, now_ms())
        .await
        .unwrap();
    let key = store
        .create_api_key(
            user.id,
            "test",
            hivesync_store::accounts::Scope::Client,
            now_ms(),
        )
        .await
        .unwrap();
    App {
        db,
        store,
        objects,
        config,
        base,
        http: reqwest::Client::new(),
        user,
        project,
        api_key: key.plaintext.expose().to_owned(),
        stop,
    }
}

pub fn uuid() -> String {
    hivesync_core::ids::JobId::new_random().simple()
}

impl App {
    pub async fn post_preview(&self, body: &Value) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/previews", self.base))
            .bearer_auth(&self.api_key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Posts and expects 202; returns the response body.
    pub async fn request_preview(&self, body: &Value) -> Value {
        let r = self.post_preview(body).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(status, 202, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    pub async fn status(&self, job: &Value) -> Value {
        self.http
            .get(job["status_url"].as_str().unwrap())
            .bearer_auth(&self.api_key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Polls the status until the job is final.
    pub async fn wait_final(&self, job: &Value, within: Duration) -> Value {
        poll_final(&self.http, job, &self.api_key, within).await
    }

    /// A GET as a device with the token and device type.
    pub async fn device_get(&self, url: &str, token: &str, device: &str) -> reqwest::Response {
        device_get(&self.http, url, token, device).await
    }

    pub async fn security_kinds(&self) -> Vec<String> {
        self.store
            .security_events(100)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Polls `job`'s status URL with `api_key` until the job is final (panics after `within`).
pub async fn poll_final(
    http: &reqwest::Client,
    job: &Value,
    api_key: &str,
    within: Duration,
) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let s: Value = http
            .get(job["status_url"].as_str().unwrap())
            .bearer_auth(api_key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if s["status"] == "succeeded" || s["status"] == "failed" {
            return s;
        }
        assert!(Instant::now() < deadline, "job not final in time: {s}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A GET as a device (`http` may be a client that does not follow redirects).
pub async fn device_get(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    device: &str,
) -> reqwest::Response {
    http.get(url)
        .bearer_auth(token)
        .header("x-hivesync-device", device)
        .send()
        .await
        .unwrap()
}

/// A local-folder object store in a fresh temporary folder (kept while the guard lives).
pub fn local() -> (tempfile::TempDir, Objects) {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::local(&dir.path().join("objects")).unwrap();
    (dir, objects)
}

/// The files of a fixture project of the compiler crate.
pub fn fixture_files(name: &str) -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layout/tests/fixtures")
        .join(name);
    let mut out = Vec::new();
    collect(&root, &root, &mut out);
    assert!(!out.is_empty(), "fixture {name} has files");
    out
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<Value>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(root, &p, out);
        } else if let Ok(bytes) = std::fs::read(&p) {
            let path = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Images and fonts go in base64, as a client sends them; other binaries not at all.
            if hivesync_core::media::MediaType::sniff(&bytes).is_some() {
                out.push(serde_json::to_value(TextFile::binary(path, &bytes)).unwrap());
            } else if let Ok(content) = String::from_utf8(bytes) {
                out.push(json!({"path": path, "content": content}));
            }
        }
    }
}

/// A preview request body for the app's project.
pub fn preview_body(app: &App, files: Vec<Value>, devices: &[&str]) -> Value {
    let platform = if devices.contains(&"android-phone") {
        "android"
    } else {
        "ios"
    };
    json!({"project_id": app.project.id, "platform": platform, "device_types": devices, "files": files})
}

/// A job claimed by a registered worker that does not run: tests drive its callbacks.
pub async fn claimed_job(app: &App, worker: &str) -> (Value, hivesync_store::queue::Claimed) {
    let id = WorkerId::parse(worker).unwrap();
    app.store
        .register_worker(
            &hivesync_store::workers::Registration {
                id: &id,
                worker_type: WorkerType::Cpu,
                capacity: 1,
                version: "t",
                hostname: "h",
            },
            hivesync_core::clock::now_ms(),
        )
        .await
        .unwrap();
    let job = app
        .request_preview(&preview_body(
            app,
            fixture_files("expo-router-nativewind"),
            &["iphone"],
        ))
        .await;
    let routing = hivesync_store::queue::Routing {
        prefer_gpu_for_premium: true,
        gpu_fallback_wait_ms: 0,
        heartbeat_timeout_ms: 120_000,
    };
    let claimed = app
        .store
        .claim(
            &id,
            WorkerType::Cpu,
            &routing,
            60_000,
            hivesync_core::clock::now_ms(),
        )
        .await
        .unwrap()
        .unwrap();
    (job, claimed)
}

/// A signed worker request, with every part open to tampering.
pub struct Signed {
    pub id: String,
    pub ts: i64,
    pub worker: String,
    pub body: Vec<u8>,
    pub key_root: String,
    pub content_type: String,
}

impl Signed {
    pub fn new(worker: &str, body: &Value) -> Self {
        Self {
            id: hivesync_core::callback_signature::new_message_id(),
            ts: hivesync_core::clock::now_ms() / 1000,
            worker: worker.into(),
            body: serde_json::to_vec(body).unwrap(),
            key_root: CALLBACK_SECRET.into(),
            content_type: "application/json".into(),
        }
    }

    pub async fn send(&self, app: &App, path: &str) -> u16 {
        let key = WorkerKey::derive(
            &Secret::new(self.key_root.clone()),
            &WorkerId::parse(&self.worker).unwrap(),
        );
        app.http
            .post(format!("{}{path}", app.base))
            .header("content-type", &self.content_type)
            .header("webhook-id", &self.id)
            .header("webhook-timestamp", self.ts.to_string())
            .header("webhook-signature", key.sign(&self.id, self.ts, &self.body))
            .header("hivesync-worker-id", &self.worker)
            .body(self.body.clone())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// A two-screen stack project whose screen names differ only in `_` / `-`.
pub fn twin_screens() -> Vec<Value> {
    let app = r#"import React from 'react';
import { NavigationContainer } from '@react-navigation/native';
import { createNativeStackNavigator } from '@react-navigation/native-stack';
import { View, Text } from 'react-native';
const Stack = createNativeStackNavigator();
function A() { return <View><Text>A</Text></View>; }
function B() { return <View><Text>B</Text></View>; }
export default function App() {
  return (
    <NavigationContainer>
      <Stack.Navigator>
        <Stack.Screen name="home_page" component={A} />
        <Stack.Screen name="home-page" component={B} />
      </Stack.Navigator>
    </NavigationContainer>
  );
}
"#;
    vec![json!({"path": "App.tsx", "content": app})]
}

/// The status and the error `code` of a response.
pub async fn error_code(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    (status, v["error"]["code"].as_str().unwrap_or("").to_owned())
}

/// A succeeded callback body for `claimed` naming one screen.
pub fn callback_body(
    claimed: &hivesync_store::queue::Claimed,
    worker: &str,
    screen: &str,
) -> Value {
    json!({
        "job_id": claimed.job.id, "worker_id": worker, "status": "succeeded", "platform": "ios", "tier": claimed.job.tier,
        "screens": [{"screen_id": screen, "name": "Home", "device_type": "iphone",
                     "layout_json_key": format!("previews/{screen}/layout.json"), "asset_keys": []}],
    })
}
