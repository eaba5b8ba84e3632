//! HiveSync's worker: a stateless process that registers in `worker_nodes`, claims jobs from
//! the queue, runs them, writes results to object storage and calls the backend back; and,
//! inside the same loop, deletes stale session tokens every `worker.session_cleanup_interval_seconds`.
//!
//! The worker connects only to the configured database, object store and backend: never to a
//! URL found in user code. Not here: HTTP serving, deciding who may read results.

use std::time::Duration;

use hivesync_core::WorkerType;
use hivesync_core::config::Config;
use hivesync_core::ids::WorkerId;
use hivesync_objects::Objects;
use hivesync_store::workers::Registration;
use hivesync_store::{Store, now_ms};
use tokio::sync::watch;

pub mod session_cleanup;

/// The worker's build version, recorded at registration.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A stop signal shared by every loop of a process: `true` means stop claiming and return.
pub type Shutdown = watch::Receiver<bool>;

/// One worker process (or one embedded worker of `hivesync dev`).
pub struct Worker {
    id: WorkerId,
    worker_type: WorkerType,
    config: Config,
    store: Store,
    #[allow(dead_code)] // used by the job runner
    objects: Objects,
}

impl Worker {
    /// A worker with the given identity.
    pub fn new(
        id: WorkerId,
        worker_type: WorkerType,
        config: Config,
        store: Store,
        objects: Objects,
    ) -> Self {
        Self {
            id,
            worker_type,
            config,
            store,
            objects,
        }
    }

    /// This worker's id.
    pub fn id(&self) -> &WorkerId {
        &self.id
    }

    /// Registers (retrying while the database does not answer, until `shutdown`), then loops
    /// until `shutdown`: session-token cleanup on its interval, idle waits between. Marks the
    /// worker stopped on the way out.
    pub async fn run(self, mut shutdown: Shutdown) {
        if !self.register(&mut shutdown).await {
            return;
        }
        let cleanup_every =
            Duration::from_secs(self.config.worker.session_cleanup_interval_seconds.max(1));
        let mut next_cleanup = tokio::time::Instant::now();
        loop {
            if *shutdown.borrow() {
                break;
            }
            if tokio::time::Instant::now() >= next_cleanup {
                session_cleanup::run_once(
                    &self.store,
                    self.config.worker.session_cleanup_batch,
                    now_ms(),
                )
                .await;
                next_cleanup = tokio::time::Instant::now() + cleanup_every;
            }
            tokio::select! {
                _ = shutdown.changed() => {}
                _ = tokio::time::sleep_until(next_cleanup) => {}
            }
        }
        if let Err(e) = self.store.mark_worker_stopped(&self.id, now_ms()).await {
            tracing::warn!(worker = %self.id, "could not record the stop: {e}");
        }
        tracing::info!(worker = %self.id, "worker stopped");
    }

    /// Registers in `worker_nodes`; false when shut down before the database answered.
    async fn register(&self, shutdown: &mut Shutdown) -> bool {
        let hostname = hostname();
        let retry = Duration::from_secs(self.config.database.startup_retry_seconds.max(1));
        let mut attempt = 1u32;
        loop {
            let registration = Registration {
                id: &self.id,
                worker_type: self.worker_type,
                capacity: self.config.worker.capacity,
                version: VERSION,
                hostname: &hostname,
            };
            match self.store.register_worker(&registration, now_ms()).await {
                Ok(()) => {
                    tracing::info!(worker = %self.id, worker_type = %self.worker_type, capacity = self.config.worker.capacity, "worker registered");
                    return true;
                }
                Err(e) => {
                    tracing::warn!(worker = %self.id, attempt, "cannot register yet ({e}); retrying in {}s", retry.as_secs());
                }
            }
            attempt += 1;
            tokio::select! {
                _ = shutdown.changed() => return false,
                _ = tokio::time::sleep(retry) => {}
            }
        }
    }
}

/// This machine's host name, or `localhost` when it cannot be read.
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_owned())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// A fresh worker id: `{type}-{host}-{random}`, reduced to the id alphabet.
pub fn generate_worker_id(worker_type: WorkerType) -> WorkerId {
    let host: String = hostname()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(32)
        .collect();
    let suffix = hivesync_core::ids::JobId::new_random().to_string();
    let id = format!(
        "{}-{}-{}",
        worker_type,
        host.trim_matches('-'),
        &suffix[suffix.len() - 8..]
    );
    WorkerId::parse(&id).unwrap_or_else(|_| {
        WorkerId::parse(&format!("{}-{}", worker_type, &suffix[suffix.len() - 12..]))
            .expect("valid id")
    })
}
