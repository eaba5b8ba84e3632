//! The preview pipeline with every part a real process: `hivesync serve`, `hivesync worker`
//! processes (one typed GPU, one CPU), PostgreSQL and s3s-fs; and the same flow on
//! `hivesync dev`.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::procs::*;
use hivesync_core::clock::now_ms;
use hivesync_core::ids::{JobId, WorkerId};
use hivesync_core::{JobState, Tier};
use hivesync_store::Store;
use hivesync_store::testing::TestDb;
use serde_json::{Value, json};

fn start_serve(db: &TestDb, s3: &str) -> (Child, String) {
    let listen = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{listen}");
    let mut cmd = hivesync(&["serve", "--listen", &listen]);
    deployment_env(&mut cmd, &db.url, &base, s3);
    // Only the backend holds the root secret; each worker gets its own key.
    cmd.env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .env("HIVESYNC_PREVIEW_TOKEN_KEY", TOKEN_KEY);
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Generous: on a loaded 2-core machine a debug `serve` migrating a fresh database can
    // take over 15 s to answer. A `serve` that never answers is stopped, not left running.
    if !wait_http(&format!("{base}/readyz"), 200, Duration::from_secs(45)) {
        let _ = child.kill();
        let _ = child.wait();
        panic!("serve did not become ready within 45 s");
    }
    (child, base)
}

fn start_worker(db: &TestDb, base: &str, s3: &str, kind: &str, id: &str) -> Child {
    let mut cmd = hivesync(&["worker", "--type", kind, "--id", id]);
    deployment_env(&mut cmd, &db.url, base, s3);
    cmd.env("HIVESYNC_WORKER_KEY", worker_key_text(id));
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_registered(store: &Store, id: &str) {
    let id = WorkerId::parse(id).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while store
        .worker(&id)
        .await
        .unwrap()
        .is_none_or(|w| w.stopped_at.is_some())
    {
        assert!(Instant::now() < deadline, "worker {id} registered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

struct Client {
    http: reqwest::Client,
    base: String,
    key: String,
    project: String,
}

impl Client {
    async fn new(store: &Store, base: &str, tier: Tier) -> Self {
        let user = store
            .create_user(
                &format!("{}@example.com", JobId::new_random().simple()),
                tier,
                now_ms(),
            )
            .await
            .unwrap();
        let project = store
            .create_project(user.id, "App", true, now_ms())
            .await
            .unwrap();
        let key = store
            .create_api_key(
                user.id,
                "ci",
                hivesync_store::accounts::Scope::Client,
                now_ms(),
            )
            .await
            .unwrap();
        Self {
            http: reqwest::Client::new(),
            base: base.into(),
            key: key.plaintext.expose().into(),
            project: project.id.to_string(),
        }
    }

    async fn preview(&self, fixture: &str) -> Value {
        let body = json!({"project_id": self.project, "platform": "ios", "device_types": ["iphone"], "files": crate::common::fixture_files(fixture)});
        let r = self
            .http
            .post(format!("{}/api/v1/previews", self.base))
            .bearer_auth(&self.key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        r.json().await.unwrap()
    }

    async fn wait_final(&self, job: &Value, within: Duration) -> Value {
        crate::common::poll_final(&self.http, job, &self.key, within).await
    }
}

async fn worker_of(store: &Store, job: &Value) -> String {
    let id = JobId::parse(job["job_id"].as_str().unwrap()).unwrap();
    store
        .job(id)
        .await
        .unwrap()
        .unwrap()
        .worker_id
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn premium_goes_to_the_gpu_worker_and_falls_back_to_cpu_with_a_routing_event_when_it_dies() {
    hivesync_objects::install_tls_provider();
    let db = TestDb::postgres().await;
    let s3 = s3_endpoint();
    let (serve, base) = start_serve(&db, &s3);
    let gpu = start_worker(&db, &base, &s3, "gpu", "gpu-1");
    let cpu = start_worker(&db, &base, &s3, "cpu", "cpu-1");
    let mut procs = Procs(vec![serve, gpu, cpu]);
    wait_registered(&db.store, "gpu-1").await;
    wait_registered(&db.store, "cpu-1").await;

    let premium = Client::new(&db.store, &base, Tier::Premium).await;
    let pro = Client::new(&db.store, &base, Tier::Pro).await;
    let p1 = premium.preview("react-navigation-theme").await;
    let s = premium.wait_final(&p1, Duration::from_secs(30)).await;
    assert_eq!(s["status"], "succeeded", "{s}");
    assert_eq!(
        worker_of(&db.store, &p1).await,
        "gpu-1",
        "premium runs on the GPU worker"
    );
    let q = pro.preview("expo-router-nativewind").await;
    assert_eq!(
        pro.wait_final(&q, Duration::from_secs(30)).await["status"],
        "succeeded"
    );
    assert_eq!(
        worker_of(&db.store, &q).await,
        "cpu-1",
        "GPU workers take only premium jobs"
    );
    assert!(db.store.routing_events(None, 10).await.unwrap().is_empty());

    // A device fetches the premium preview from S3 through presigned redirects.
    let token = p1["preview_token"].as_str().unwrap();
    let listing: Value = crate::common::device_get(
        &premium.http,
        p1["screens_url"].as_str().unwrap(),
        token,
        "iphone",
    )
    .await
    .json()
    .await
    .unwrap();
    let asset = listing["screens"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["assets"].as_array().unwrap().clone())
        .next()
        .expect("a snapshot");
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = crate::common::device_get(&no_redirect, asset.as_str().unwrap(), token, "iphone").await;
    assert_eq!(r.status(), 302);
    let png = reqwest::get(r.headers()["location"].to_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&png[..4], b"\x89PNG");

    // The GPU worker dies: after the heartbeat timeout, premium work falls back to the CPU.
    let _ = procs.0[1].kill();
    let _ = procs.0[1].wait();
    let p2 = premium.preview("expo-router-nativewind").await;
    let s = premium.wait_final(&p2, Duration::from_secs(40)).await;
    assert_eq!(s["status"], "succeeded", "{s}");
    assert_eq!(worker_of(&db.store, &p2).await, "cpu-1");
    let id = JobId::parse(p2["job_id"].as_str().unwrap()).unwrap();
    let events = db.store.routing_events(Some(id), 10).await.unwrap();
    assert_eq!(events.len(), 1, "one routing event for the fallback");
    assert_eq!(events[0].worker_id, "cpu-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_job_leaves_the_job_failed_with_worker_lost_within_the_lease() {
    hivesync_objects::install_tls_provider();
    let db = TestDb::postgres().await;
    let (serve, base) = start_serve(&db, &s3_endpoint());
    // This worker's object store accepts connections and never answers: it hangs mid-upload.
    let blackhole = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hole = format!("http://{}", blackhole.local_addr().unwrap());
    let _keep = std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in blackhole.incoming().take(64) {
            held.push(conn);
        }
    });
    let mut cmd = hivesync(&["worker", "--type", "cpu", "--id", "cpu-doomed"]);
    deployment_env(&mut cmd, &db.url, &base, &hole);
    cmd.env("HIVESYNC_WORKER_KEY", worker_key_text("cpu-doomed"));
    cmd.env("HIVESYNC_OBJECT_STORE__REQUEST_TIMEOUT_SECONDS", "60");
    let worker = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut procs = Procs(vec![serve, worker]);
    wait_registered(&db.store, "cpu-doomed").await;

    let client = Client::new(&db.store, &base, Tier::Pro).await;
    let job = client.preview("expo-router-nativewind").await;
    let id = JobId::parse(job["job_id"].as_str().unwrap()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while db.store.job(id).await.unwrap().unwrap().state != JobState::Running {
        assert!(Instant::now() < deadline, "the worker claims the job");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let killed_at = Instant::now();
    let _ = procs.0[1].kill();
    let _ = procs.0[1].wait();
    let s = client.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(s["status"], "failed");
    assert_eq!(s["failure_reason"], "worker lost, please retry");
    // Lease (5 s) plus one sweep period (2 s), with slack for a loaded machine.
    assert!(
        killed_at.elapsed() < Duration::from_secs(12),
        "failed within the lease: {:?}",
        killed_at.elapsed()
    );
    let events = db
        .store
        .events_after(
            &[hivesync_core::ids::ProjectId::parse(&client.project).unwrap()],
            0,
            10,
        )
        .await
        .unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind == "preview.failed" && e.job_id == id.to_string()),
        "clients are told"
    );
}

#[test]
fn the_same_flow_works_on_hivesync_dev() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let listen = format!("127.0.0.1:{}", free_port());
    let dev = dev_command(&listen, &data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _procs = Procs(vec![dev]);
    assert!(wait_http(
        &format!("http://{listen}/readyz"),
        200,
        Duration::from_secs(10)
    ));
    let demo: Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("demo.json")).unwrap()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        hivesync_objects::install_tls_provider();
        let client = Client {
            http: reqwest::Client::new(),
            base: format!("http://{listen}"),
            key: demo["api_key"].as_str().unwrap().into(),
            project: demo["project_id"].as_str().unwrap().into(),
        };
        let job = client.preview("react-navigation-theme").await;
        let s = client.wait_final(&job, Duration::from_secs(30)).await;
        assert_eq!(s["status"], "succeeded", "{s}");
        let token = job["preview_token"].as_str().unwrap();
        let listing: Value = crate::common::device_get(
            &client.http,
            job["screens_url"].as_str().unwrap(),
            token,
            "iphone",
        )
        .await
        .json()
        .await
        .unwrap();
        for screen in listing["screens"].as_array().unwrap() {
            let r = crate::common::device_get(
                &client.http,
                screen["layout_url"].as_str().unwrap(),
                token,
                "iphone",
            )
            .await;
            assert_eq!(r.status(), 200);
            for a in screen["assets"].as_array().unwrap() {
                let r =
                    crate::common::device_get(&client.http, a.as_str().unwrap(), token, "iphone")
                        .await;
                assert_eq!(r.status(), 200, "local store: streamed, not redirected");
                assert_eq!(r.headers()["content-type"], "image/png");
            }
        }
        assert!(!listing["screens"].as_array().unwrap().is_empty());
    });
}
