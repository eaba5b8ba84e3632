//! The end-to-end tests' harness: the backend of `hivesync_server::testing`, plus workers
//! started in-process and helpers for running the `hivesync` binary (`procs`).
#![allow(dead_code)]

pub mod procs;

pub use hivesync_server::testing::*;

use hivesync_core::WorkerType;
use hivesync_core::ids::WorkerId;
use hivesync_objects::{Objects, S3Settings};
use tokio::sync::watch;

/// Workers for a test backend.
pub trait StartWorker {
    /// Starts an in-process worker; it stops when the returned sender says so (or on drop of
    /// the app's runtime).
    fn start_worker(
        &self,
        id: &str,
        worker_type: WorkerType,
        objects: Objects,
    ) -> watch::Sender<bool>;
}

impl StartWorker for App {
    fn start_worker(
        &self,
        id: &str,
        worker_type: WorkerType,
        objects: Objects,
    ) -> watch::Sender<bool> {
        let (tx, rx) = watch::channel(false);
        let id = WorkerId::parse(id).unwrap();
        let worker = hivesync_worker::Worker::new(
            id.clone(),
            worker_type,
            self.config.clone(),
            self.store.clone(),
            objects,
            worker_key(&id),
        );
        tokio::spawn(worker.run(rx));
        tx
    }
}

/// The test S3 server (s3s-fs, started by scripts/services) as an object store.
pub fn s3_objects() -> Objects {
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_owned());
    Objects::s3(&S3Settings {
        endpoint: env("HIVESYNC_TEST_S3_ENDPOINT", "http://127.0.0.1:8014"),
        region: "auto".into(),
        bucket: env("HIVESYNC_TEST_S3_BUCKET", "hivesync-test"),
        access_key_id: hivesync_core::Secret::new(env(
            "HIVESYNC_TEST_S3_ACCESS_KEY",
            "hivesync-test",
        )),
        secret_access_key: hivesync_core::Secret::new(env(
            "HIVESYNC_TEST_S3_SECRET_KEY",
            "hivesync-test-secret",
        )),
        path_style: true,
        allow_http: true,
        timeout: std::time::Duration::from_secs(10),
    })
    .unwrap()
}
