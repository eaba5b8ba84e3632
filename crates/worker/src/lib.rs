//! HiveSync's worker: a stateless process that registers in `worker_nodes`, claims jobs from
//! the queue (tier priority, GPU routing), runs them, writes results to object storage with one
//! retry, calls the backend back, sends signed heartbeats, and, inside the same loop, deletes
//! stale session tokens every `worker.session_cleanup_interval_seconds`. Preview jobs compile
//! with `hivesync_layout`; AI documentation jobs ([`ai_docs`]) analyse with `hivesync_docs` and
//! ask the tier's provider ([`providers`]). Its own structured log goes to object storage in
//! batches ([`worker_log`]).
//!
//! The worker connects only to the configured database, object store, backend and AI provider: never to a
//! URL found in user code. Not here: HTTP serving, deciding who may read results.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use hivesync_core::callback_signature::WorkerKey;
use hivesync_core::clock::now_ms;
use hivesync_core::config::Config;
use hivesync_core::ids::WorkerId;
use hivesync_core::{JobKind, WorkerType};
use hivesync_objects::Objects;
use hivesync_store::Store;
use hivesync_store::queue::Routing;
use hivesync_store::workers::Registration;
use tokio::sync::Semaphore;

pub mod ai_docs;
pub mod artifacts;
pub mod backend;
mod context;
pub mod heartbeat;
pub mod providers;
mod runner;
pub mod session_cleanup;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker_log;

use context::Ctx;
pub use context::{JobOutcome, Shutdown};

/// The worker's build version, recorded at registration.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One worker process (or one embedded worker of `hivesync dev`).
pub struct Worker {
    ctx: Arc<Ctx>,
}

impl Worker {
    /// A worker with the given identity; `key` is its own callback key (derived from
    /// `WORKER_CALLBACK_SECRET` and `id` by the operator, see `hivesync worker-key`).
    pub fn new(
        id: WorkerId,
        worker_type: WorkerType,
        config: Config,
        store: Store,
        objects: Objects,
        key: WorkerKey,
    ) -> Self {
        let backend = backend::Backend::new(&config.worker.backend_url, &id, key);
        let log = worker_log::WorkerLog::new(
            id.clone(),
            config.worker.log_batch_bytes,
            config.worker.log_flush_seconds,
        );
        Self {
            ctx: Arc::new(Ctx {
                id,
                worker_type,
                config,
                store,
                objects,
                backend,
                running: AtomicI32::new(0),
                log,
                providers: ai_docs::Providers::default(),
            }),
        }
    }

    /// Gives the worker the AI provider's key (`HIVESYNC_AI_API_KEY`), sent to the configured
    /// `ai_docs.openai_base_url` only.
    pub fn with_ai_api_key(mut self, key: Option<hivesync_core::Secret>) -> Self {
        Arc::get_mut(&mut self.ctx)
            .expect("configured before it runs")
            .providers
            .api_key = key;
        self
    }

    /// This worker's id.
    pub fn id(&self) -> &WorkerId {
        &self.ctx.id
    }

    /// Registers (retrying while the database does not answer, until `shutdown`), then runs
    /// until `shutdown`: claims and runs jobs up to `worker.capacity` at once, heartbeats,
    /// session-token cleanup. On shutdown it stops claiming, lets running jobs finish, and
    /// marks itself stopped.
    pub async fn run(self, mut shutdown: Shutdown) {
        let ctx = self.ctx;
        if !register(&ctx, &mut shutdown).await {
            return;
        }
        let beats = tokio::spawn(heartbeat::run(ctx.clone(), shutdown.clone()));
        let capacity = ctx.config.worker.capacity as usize;
        let slots = Arc::new(Semaphore::new(capacity));
        let mut waiter = ctx.store.job_waiter().await;
        let poll = Duration::from_millis(ctx.config.worker.poll_interval_ms.max(10));
        let cleanup_every =
            Duration::from_secs(ctx.config.worker.session_cleanup_interval_seconds.max(1));
        let mut next_cleanup = tokio::time::Instant::now();
        let routing = Routing {
            prefer_gpu_for_premium: ctx.config.routing.prefer_gpu_for_premium,
            gpu_fallback_wait_ms: ctx.config.routing.gpu_fallback_wait_seconds as i64 * 1000,
            heartbeat_timeout_ms: ctx.config.routing.heartbeat_timeout_seconds as i64 * 1000,
        };
        let lease_ms = ctx.config.worker.lease_seconds as i64 * 1000;
        while !*shutdown.borrow() {
            if tokio::time::Instant::now() >= next_cleanup {
                let deleted = session_cleanup::run_once(
                    &ctx.store,
                    ctx.config.worker.session_cleanup_batch,
                    now_ms(),
                )
                .await;
                if deleted > 0 {
                    ctx.log
                        .event("session_cleanup", serde_json::json!({ "deleted": deleted }));
                }
                next_cleanup = tokio::time::Instant::now() + cleanup_every;
            }
            if ctx.log.due(now_ms()) {
                ctx.log.flush(&ctx.objects, &ctx.store).await;
            }
            let permit = tokio::select! {
                p = slots.clone().acquire_owned() => p.expect("semaphore open"),
                _ = shutdown.changed() => break,
            };
            match ctx
                .store
                .claim(&ctx.id, ctx.worker_type, &routing, lease_ms, now_ms())
                .await
            {
                Ok(Some(claimed)) => {
                    if claimed.gpu_fallback {
                        tracing::warn!(worker = %ctx.id, job = %claimed.job.id, "no healthy GPU worker: premium job runs on this CPU worker (routing event recorded)");
                        ctx.log.event(
                            "gpu_fallback",
                            serde_json::json!({ "job_id": claimed.job.id, "tier": claimed.job.tier }),
                        );
                    }
                    tracing::info!(worker = %ctx.id, job = %claimed.job.id, tier = %claimed.job.tier, "claimed job");
                    ctx.log.event(
                        "job_started",
                        serde_json::json!({
                            "job_id": claimed.job.id, "kind": claimed.job.kind, "tier": claimed.job.tier,
                            "waited_ms": claimed.job.claimed_at.map(|c| c - claimed.job.created_at),
                        }),
                    );
                    let ctx = ctx.clone();
                    tokio::spawn(async move {
                        ctx.running.fetch_add(1, Ordering::SeqCst);
                        let id = claimed.job.id;
                        let started = std::time::Instant::now();
                        let outcome = match claimed.job.kind {
                            JobKind::Preview => runner::run_preview(ctx.clone(), claimed).await,
                            JobKind::AiDocs => ai_docs::run_ai_docs(ctx.clone(), claimed).await,
                        };
                        ctx.running.fetch_sub(1, Ordering::SeqCst);
                        tracing::info!(worker = %ctx.id, job = %id, ?outcome, "job finished");
                        let event = match outcome {
                            JobOutcome::Succeeded => "job_finished",
                            JobOutcome::Failed => "job_failed",
                            JobOutcome::Abandoned => "job_abandoned",
                        };
                        ctx.log.event(
                            event,
                            serde_json::json!({ "job_id": id, "ms": started.elapsed().as_millis() as u64 }),
                        );
                        drop(permit);
                    });
                    continue;
                }
                Ok(None) => drop(permit),
                Err(e) => {
                    drop(permit);
                    tracing::warn!(worker = %ctx.id, "claim failed: {e}");
                }
            }
            let wake = next_cleanup
                .saturating_duration_since(tokio::time::Instant::now())
                .min(poll);
            tokio::select! {
                _ = waiter.wait(wake) => {}
                _ = shutdown.changed() => {}
            }
        }
        // Stop claiming; let running jobs finish (bounded by their own time limits).
        let _ = tokio::time::timeout(Duration::from_secs(60), slots.acquire_many(capacity as u32))
            .await;
        beats.abort();
        ctx.log.event("worker_stopped", serde_json::json!({}));
        ctx.log.flush(&ctx.objects, &ctx.store).await;
        if let Err(e) = ctx.store.mark_worker_stopped(&ctx.id, now_ms()).await {
            tracing::warn!(worker = %ctx.id, "could not record the stop: {e}");
        }
        tracing::info!(worker = %ctx.id, "worker stopped");
    }
}

/// Registers in `worker_nodes`; false when shut down before the database answered.
async fn register(ctx: &Ctx, shutdown: &mut Shutdown) -> bool {
    let hostname = hostname();
    let retry = Duration::from_secs(ctx.config.database.startup_retry_seconds.max(1));
    let mut attempt = 1u32;
    loop {
        let registration = Registration {
            id: &ctx.id,
            worker_type: ctx.worker_type,
            capacity: ctx.config.worker.capacity,
            version: VERSION,
            hostname: &hostname,
        };
        match ctx.store.register_worker(&registration, now_ms()).await {
            Ok(()) => {
                tracing::info!(worker = %ctx.id, worker_type = %ctx.worker_type, capacity = ctx.config.worker.capacity, "worker registered");
                ctx.log.event(
                    "worker_registered",
                    serde_json::json!({ "type": ctx.worker_type, "capacity": ctx.config.worker.capacity, "version": VERSION }),
                );
                return true;
            }
            Err(e) => {
                tracing::warn!(worker = %ctx.id, attempt, "cannot register yet ({e}); retrying in {}s", retry.as_secs());
            }
        }
        attempt += 1;
        tokio::select! {
            _ = shutdown.changed() => return false,
            _ = tokio::time::sleep(retry) => {}
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
