//! Running one claimed preview job: compile with a time budget, lay out and
//! render snapshots, upload every object (one retry each), then call the backend back with
//! the result or with a reason the user can act on. The lease is extended while it works; a
//! lost lease stops the job without a callback (the backend has already failed it).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hivesync_core::JobKind;
use hivesync_core::client_events::ClientEvent;
use hivesync_core::clock::now_ms;
use hivesync_core::config::TierLimits;
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::wire::{
    CallbackBody, CallbackJob, CallbackScreen, CallbackStatus, MAX_BODY_BYTES, PreviewInput,
};
use hivesync_layout::{Cancel, Limits, SourceFile};
use hivesync_objects::ObjectsError;
use hivesync_store::queue::{Claimed, FailureCause, Job, PreviewSpec};

use crate::artifacts::{self, BuildError, ScreenArtifacts, SnapshotBudget};
use crate::backend::BackendError;
use crate::context::{Ctx, JobOutcome};

/// Compiles and renders every requested device's screens within the tier's limits (CPU-bound:
/// run it off the runtime, see [`spawn_cpu`]).
fn compile_all(
    job: &Claimed,
    spec: &PreviewSpec,
    input: PreviewInput,
    tier: &TierLimits,
    cancel: &Cancel,
) -> Result<Vec<ScreenArtifacts>, BuildError> {
    let files: Vec<SourceFile> = input.files;
    let defaults = Limits::default();
    let limits = Limits {
        max_files: defaults.max_files.max(files.len()),
        max_file_bytes: defaults
            .max_file_bytes
            .max(files.iter().map(|f| f.content.len()).max().unwrap_or(0)),
        max_total_bytes: defaults
            .max_total_bytes
            .max(files.iter().map(|f| f.content.len()).sum()),
        ..defaults
    };
    // The pixel budgets come from this worker's own configuration: they bound its memory.
    let budget = SnapshotBudget {
        max_snapshots: input.max_snapshots as usize,
        max_pixels: tier.max_snapshot_pixels,
        max_pixels_per_preview: tier.max_snapshot_pixels_per_preview,
    };
    artifacts::build_preview(
        &job.job.id,
        spec.platform,
        &spec.device_types,
        files,
        input.screens,
        &limits,
        budget,
        cancel,
    )
}

/// Runs `work` on the blocking pool under `cancel`. The handle gives its result; [`CpuStop`]
/// cancels it and waits until the thread has left it, so a job's slot is not given to the next
/// job while its CPU work still runs.
fn spawn_cpu<T: Send + 'static>(
    cancel: Cancel,
    work: impl FnOnce(&Cancel) -> T + Send + 'static,
) -> (tokio::task::JoinHandle<T>, CpuStop) {
    let (ended_tx, ended) = tokio::sync::watch::channel(());
    let signal = cancel.clone();
    let handle = tokio::task::spawn_blocking(move || {
        // Dropped when `work` returns or unwinds: that is the end `CpuStop` waits for.
        let _ended = ended_tx;
        work(&signal)
    });
    (handle, CpuStop { cancel, ended })
}

/// Resolves once the lease is lost (holding no borrow of the flag, so the job can still wait
/// for its CPU work afterwards).
pub(crate) async fn lease_lost_signal(lost: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = lost.wait_for(|lost| *lost).await;
}

/// Stops the work of [`spawn_cpu`].
struct CpuStop {
    cancel: Cancel,
    ended: tokio::sync::watch::Receiver<()>,
}

impl CpuStop {
    /// Cancels the work and waits until it has ended (at once when it already has).
    async fn stop(&self) {
        self.cancel.cancel();
        let mut ended = self.ended.clone();
        let wait = async { while ended.changed().await.is_ok() {} };
        tokio::pin!(wait);
        if tokio::time::timeout(Duration::from_secs(5), &mut wait)
            .await
            .is_err()
        {
            tracing::warn!("a job's CPU work has not stopped 5 s after it was cancelled; waiting");
            wait.await;
        }
    }
}

/// Why a job failed, and whether that is the worker's fault (storage, a crash, the backend out
/// of reach) rather than the project's: only the worker's count against its health.
#[derive(Debug)]
pub(crate) struct Failure {
    pub reason: String,
    pub worker_fault: bool,
}

impl Failure {
    fn worker(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            worker_fault: true,
        }
    }
}

impl From<&str> for Failure {
    fn from(reason: &str) -> Self {
        reason.to_owned().into()
    }
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Self {
            reason,
            worker_fault: false,
        }
    }
}

/// Writes one object of the job's `what` (`preview`, `documentation`), retrying exactly once.
/// Content-addressed assets are written with create-only semantics: finding the same bytes
/// already there is success.
pub(crate) async fn upload(
    ctx: &Ctx,
    key: &StorageKey,
    bytes: Bytes,
    create_only: bool,
    what: &str,
) -> Result<(), Failure> {
    for attempt in 1..=2 {
        let result = if create_only {
            ctx.objects.put_new(key, bytes.clone()).await
        } else {
            ctx.objects.put(key, bytes.clone()).await
        };
        match result {
            Ok(()) | Err(ObjectsError::AlreadyExists(_)) => return Ok(()),
            Err(e) if attempt == 1 => {
                tracing::warn!(worker = %ctx.id, %key, "upload failed, retrying once: {e}");
                ctx.log.event(
                    "retry",
                    serde_json::json!({ "what": "upload", "key": key.as_path() }),
                );
            }
            Err(e) => {
                tracing::error!(worker = %ctx.id, %key, "upload failed twice: {e}");
                return Err(Failure::worker(format!(
                    "the {what} could not be stored (object storage unavailable); please retry"
                )));
            }
        }
    }
    unreachable!("the loop returns on its second attempt")
}

/// Runs a claimed preview job to its end; returns how it ended.
pub(crate) async fn run_preview(ctx: Arc<Ctx>, claimed: Claimed) -> JobOutcome {
    let job_id = claimed.job.id;
    let Some(spec) = claimed.preview.clone() else {
        return finish(
            &ctx,
            &claimed,
            Err(Failure::worker("this worker cannot run this job kind")),
        )
        .await;
    };
    let input: PreviewInput = match serde_json::from_str(&spec.input) {
        Ok(i) => i,
        Err(_) => {
            return finish(
                &ctx,
                &claimed,
                Err("the job's input is damaged; please retry".into()),
            )
            .await;
        }
    };
    let budget = Duration::from_secs(ctx.config.worker.compile_timeout_seconds);
    let (lease_lost_tx, mut lease_lost) = tokio::sync::watch::channel(false);
    let keeper = tokio::spawn(keep_lease(ctx.clone(), claimed.clone(), lease_lost_tx));

    // Compile, frames and render check the deadline cooperatively; the outer limit below
    // catches anything else, and either way the job waits for its CPU work to end.
    let cancel = Cancel::with_deadline(std::time::Instant::now() + budget);
    let tier = ctx.config.tiers.get(claimed.job.tier).clone();
    let c = claimed.clone();
    let (compile, cpu) = spawn_cpu(cancel, move |cancel| {
        compile_all(&c, &spec, input, &tier, cancel)
    });
    let work = async {
        let too_long = || {
            format!(
                "compiling took longer than {} s; preview fewer screens",
                budget.as_secs()
            )
        };
        let mut screens = match tokio::time::timeout(budget + Duration::from_secs(1), compile).await
        {
            Ok(Ok(Ok(screens))) => screens,
            Ok(Ok(Err(BuildError::Failed(reason)))) => return Err(reason.into()),
            Ok(Ok(Err(BuildError::Cancelled))) => return Err(too_long().into()),
            Ok(Err(_)) => {
                return Err(Failure::worker(
                    "the compiler crashed on this project; please report it",
                ));
            }
            Err(_) => {
                cpu.stop().await;
                return Err(too_long().into());
            }
        };
        // Each object's bytes are handed over and freed once stored (the callback needs keys).
        for s in &mut screens {
            for (key, png) in &mut s.assets {
                upload(&ctx, key, Bytes::from(std::mem::take(png)), true, "preview").await?;
            }
            upload(
                &ctx,
                &StorageKey::PreviewLayout(s.screen_id.clone()),
                Bytes::from(std::mem::take(&mut s.layout)),
                false,
                "preview",
            )
            .await?;
        }
        Ok(screens)
    };
    let result = tokio::select! {
        r = work => r,
        () = lease_lost_signal(&mut lease_lost) => {
            tracing::warn!(worker = %ctx.id, job = %job_id, "lease lost; abandoning the job");
            keeper.abort();
            cpu.stop().await;
            return JobOutcome::Abandoned;
        }
    };
    // The lease is kept until the backend has answered the callback (its delivery may take
    // two attempts of up to 15 s each).
    let outcome = finish(&ctx, &claimed, result).await;
    keeper.abort();
    outcome
}

/// Extends the lease every third of its length; flips `lost` when the job is no longer ours.
pub(crate) async fn keep_lease(
    ctx: Arc<Ctx>,
    claimed: Claimed,
    lost: tokio::sync::watch::Sender<bool>,
) {
    let lease_ms = ctx.config.worker.lease_seconds as i64 * 1000;
    let every = Duration::from_millis((lease_ms / 3).max(500) as u64);
    loop {
        tokio::time::sleep(every).await;
        let now = now_ms();
        match ctx
            .store
            .extend_lease(claimed.job.id, &ctx.id, now + lease_ms, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                let _ = lost.send(true);
                return;
            }
            Err(e) => {
                tracing::warn!(worker = %ctx.id, job = %claimed.job.id, "cannot extend the lease: {e}")
            }
        }
    }
}

/// What the backend is told about one stored screen.
fn callback_screen(s: &ScreenArtifacts) -> CallbackScreen {
    CallbackScreen {
        screen_id: s.screen_id.clone(),
        name: s.name.clone(),
        device_type: s.device_type,
        layout_json_key: StorageKey::PreviewLayout(s.screen_id.clone()).as_path(),
        asset_keys: s.assets.iter().map(|(k, _)| k.as_path()).collect(),
        warnings: s.warnings.clone(),
    }
}

/// Calls the backend back with the result. A result the backend refuses, or cannot be told,
/// still reaches the user within seconds: the worker then reports a failure with the reason
/// (by callback, or in the database when even that is refused), never leaving the job to the
/// lease sweep's "worker lost".
pub(crate) async fn finish(
    ctx: &Ctx,
    claimed: &Claimed,
    result: Result<Vec<ScreenArtifacts>, Failure>,
) -> JobOutcome {
    let job = CallbackJob {
        job_id: claimed.job.id,
        worker_id: &ctx.id,
        kind: JobKind::Preview,
        platform: claimed.preview.as_ref().map(|p| p.platform),
        tier: claimed.job.tier,
    };
    let mut body = match &result {
        Ok(screens) => CallbackBody::succeeded(job, screens.iter().map(callback_screen).collect()),
        Err(f) if f.worker_fault => CallbackBody::failed_by_worker(job, &f.reason),
        Err(f) => CallbackBody::failed(job, &f.reason),
    };
    if serde_json::to_vec(&body).map_or(true, |b| b.len() > MAX_BODY_BYTES) {
        body = CallbackBody::failed(
            job,
            &format!(
                "this preview has too many screens to report at once ({}); preview fewer screens",
                body.screens.len()
            ),
        );
    }
    let reason = match deliver(ctx, claimed, &body).await {
        Ok(()) if body.status == CallbackStatus::Succeeded => return JobOutcome::Succeeded,
        Ok(()) => return JobOutcome::Failed,
        Err(BackendError::Refused(status)) if body.status == CallbackStatus::Succeeded => {
            let reason = format!(
                "the preview was compiled but the backend refused its result (HTTP {status}); please report this"
            );
            match deliver(ctx, claimed, &CallbackBody::failed_by_worker(job, &reason)).await {
                Ok(()) => return JobOutcome::Failed,
                Err(_) => reason,
            }
        }
        Err(BackendError::Refused(status)) => format!(
            "{} (the backend refused the worker's report, HTTP {status})",
            body.failure_reason
                .as_deref()
                .unwrap_or("the preview failed")
        ),
        Err(BackendError::Unreachable(_)) => {
            "the worker could not reach the backend to deliver the result; please retry".to_owned()
        }
    };
    fail_in_store(ctx, &claimed.job, &reason, FailureCause::Worker).await;
    JobOutcome::Failed
}

/// Posts one callback, retrying once with the same message id when it was not delivered.
pub(crate) async fn deliver(
    ctx: &Ctx,
    claimed: &Claimed,
    body: &CallbackBody,
) -> Result<(), BackendError> {
    let id = hivesync_core::callback_signature::new_message_id();
    let mut attempt = 1;
    loop {
        match ctx
            .backend
            .post_with_id("/api/v1/worker/callback", &id, body)
            .await
        {
            Ok(()) => return Ok(()),
            Err(BackendError::Unreachable(e)) if attempt == 1 => {
                tracing::warn!(worker = %ctx.id, job = %claimed.job.id, "callback not delivered, retrying once: {e}");
                ctx.log.event(
                    "retry",
                    serde_json::json!({ "what": "callback", "job_id": claimed.job.id }),
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
                attempt += 1;
            }
            Err(e) => {
                tracing::error!(worker = %ctx.id, job = %claimed.job.id, "callback failed: {e}");
                return Err(e);
            }
        }
    }
}

/// Fails the job directly in the database (it is still running under this worker) and raises
/// its failure event, so the user learns why at once.
pub(crate) async fn fail_in_store(ctx: &Ctx, job: &Job, reason: &str, cause: FailureCause) {
    let event = ClientEvent::failed(
        &ctx.config.server.public_url,
        job.kind,
        job.id,
        job.project_id,
        reason,
    );
    match ctx
        .store
        .fail_job_with_cause(job, &ctx.id, reason, cause, &event, now_ms())
        .await
    {
        Ok(true) => {
            tracing::warn!(worker = %ctx.id, job = %job.id, "job failed by the worker: {reason}")
        }
        Ok(false) => {
            tracing::warn!(worker = %ctx.id, job = %job.id, "job already left the running state")
        }
        Err(e) => {
            tracing::error!(worker = %ctx.id, job = %job.id, "cannot fail the job: {e}; the lease sweep will")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::{Cancel, spawn_cpu};

    #[tokio::test]
    async fn stopping_cpu_work_waits_until_its_thread_has_left_it() {
        let ended = Arc::new(AtomicBool::new(false));
        let seen = ended.clone();
        let (handle, cpu) = spawn_cpu(Cancel::new(), move |cancel| {
            while !cancel.is_cancelled() {
                std::thread::sleep(Duration::from_millis(5));
            }
            // Winding down after the signal (a snapshot being finished, memory being freed).
            std::thread::sleep(Duration::from_millis(200));
            seen.store(true, Ordering::SeqCst);
        });
        // As when a lost lease drops the job's future: the handle goes, the thread does not.
        drop(handle);
        tokio::time::sleep(Duration::from_millis(20)).await;
        cpu.stop().await;
        assert!(
            ended.load(Ordering::SeqCst),
            "stop returned before the work ended"
        );
        // Once ended, stopping again returns at once.
        tokio::time::timeout(Duration::from_millis(100), cpu.stop())
            .await
            .expect("immediate");
    }

    #[tokio::test]
    async fn cpu_work_that_panics_counts_as_ended() {
        let (handle, cpu) = spawn_cpu(Cancel::new(), |_| panic!("a bug in the compiler"));
        assert!(handle.await.is_err());
        tokio::time::timeout(Duration::from_millis(100), cpu.stop())
            .await
            .expect("immediate");
    }
}
