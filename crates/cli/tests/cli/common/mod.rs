//! The end-to-end tests' harness: the backend of `hivesync_server::testing`, plus workers
//! started in-process and helpers for running the `hivesync` binary (`procs`).
#![allow(dead_code)]

pub mod procs;

pub use hivesync_server::testing::*;

use hivesync_core::WorkerType;
use hivesync_core::ids::WorkerId;
use hivesync_objects::Objects;
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
