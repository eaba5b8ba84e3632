//! Liveness and readiness over real HTTP, with the dependencies up and down.

use std::time::Duration;

use hivesync_core::Secret;
use hivesync_core::config::{Config, Secrets};
use hivesync_objects::{Objects, S3Settings};
use hivesync_server::AppState;
use hivesync_store::testing::TestDb;
use hivesync_store::{PoolSettings, Store};

async fn spawn(store: Store, objects: Objects) -> String {
    hivesync_objects::install_tls_provider();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(Config::default(), Secrets::default(), store, objects);
    tokio::spawn(hivesync_server::serve(
        state,
        listener,
        std::future::pending(),
    ));
    format!("http://{addr}")
}

#[tokio::test]
async fn healthz_and_readyz_answer_when_everything_is_up() {
    let db = TestDb::sqlite().await;
    let base = spawn(db.store.clone(), Objects::memory()).await;
    let r = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(r.status(), 200);
    let r = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn readyz_fails_while_the_database_is_down_but_healthz_answers() {
    let settings = PoolSettings {
        max_connections: 1,
        acquire_timeout: Duration::from_millis(500),
    };
    let store = Store::open_lazy("postgres://postgres@127.0.0.1:9/nowhere", &settings).unwrap();
    let base = spawn(store, Objects::memory()).await;
    assert_eq!(
        reqwest::get(format!("{base}/healthz"))
            .await
            .unwrap()
            .status(),
        200
    );
    let r = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["database"], "not reachable");
    assert_eq!(body["object_store"], "ok");
}

#[tokio::test]
async fn readyz_fails_while_the_object_store_is_down() {
    let db = TestDb::sqlite().await;
    let objects = Objects::s3(&S3Settings {
        endpoint: "http://127.0.0.1:9".into(),
        region: "auto".into(),
        bucket: "b".into(),
        access_key_id: Secret::new("a"),
        secret_access_key: Secret::new("s"),
        path_style: true,
        allow_http: true,
        timeout: Duration::from_secs(1),
    })
    .unwrap();
    let base = spawn(db.store.clone(), objects).await;
    let r = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["object_store"], "not reachable");
}

#[tokio::test]
async fn unknown_paths_get_a_json_404() {
    let db = TestDb::sqlite().await;
    let base = spawn(db.store.clone(), Objects::memory()).await;
    let r = reqwest::get(format!("{base}/nope")).await.unwrap();
    assert_eq!(r.status(), 404);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}
