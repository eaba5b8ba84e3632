//! The worker registers, cleans session tokens inside its loop, and stops cleanly.

use std::time::Duration;

use hivesync_core::clock::now_ms;
use hivesync_core::config::Config;
use hivesync_core::{Tier, WorkerType};
use hivesync_objects::Objects;
use hivesync_store::Driver;
use hivesync_store::testing::TestDb;
use hivesync_worker::{Worker, generate_worker_id};

async fn registers_cleans_and_stops(driver: Driver) {
    let db = TestDb::new(driver).await;
    let store = db.store.clone();
    let user = store
        .create_user("u@example.com", Tier::Free, now_ms())
        .await
        .unwrap();
    store
        .create_session_token(user.id, "expired", now_ms() - 10_000, now_ms() - 1)
        .await
        .unwrap();
    store
        .create_session_token(user.id, "fresh", now_ms(), now_ms() + 120_000)
        .await
        .unwrap();

    let id = generate_worker_id(WorkerType::Gpu);
    assert!(id.as_str().starts_with("gpu-"));
    let secret = hivesync_core::Secret::new("s".repeat(40));
    let worker = Worker::new(
        id.clone(),
        WorkerType::Gpu,
        Config::default(),
        store.clone(),
        Objects::memory(),
        hivesync_core::callback_signature::WorkerKey::derive(&secret, &id),
    );
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(worker.run(shutdown));

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let registered = store.worker(&id).await.unwrap();
        if registered.is_some() && store.count_session_tokens().await.unwrap() == 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "worker did not register and clean up in time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let node = store.worker(&id).await.unwrap().unwrap();
    assert_eq!(node.worker_type, WorkerType::Gpu);
    assert!(node.active && node.stopped_at.is_none());

    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stops promptly")
        .unwrap();
    assert!(
        store
            .worker(&id)
            .await
            .unwrap()
            .unwrap()
            .stopped_at
            .is_some()
    );
}

#[tokio::test]
async fn worker_registers_cleans_and_stops_on_postgres() {
    registers_cleans_and_stops(Driver::Postgres).await;
}

#[tokio::test]
async fn worker_registers_cleans_and_stops_on_sqlite() {
    registers_cleans_and_stops(Driver::Sqlite).await;
}
