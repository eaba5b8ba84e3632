//! Running one claimed preview job (spec H.3.3): compile with a time budget, lay out and
//! render snapshots, upload every object (one retry each), then call the backend back with
//! the result or with a reason the user can act on. The lease is extended while it works; a
//! lost lease stops the job without a callback (the backend has already failed it).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hivesync_core::client_events::ClientEvent;
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::wire::{
    CallbackBody, CallbackJob, CallbackScreen, CallbackStatus, MAX_BODY_BYTES,
};
use hivesync_core::{DeviceType, Platform};
use hivesync_layout::{CompileRequest, DeviceKind, Limits, SourceFile, Target, TargetPlatform};
use hivesync_objects::ObjectsError;
use hivesync_store::now_ms;
use hivesync_store::queue::{Claimed, Job, PreviewSpec};
use serde::Deserialize;
use serde_json::json;

use crate::artifacts::{self, ScreenArtifacts};
use crate::backend::BackendError;
use crate::{Ctx, JobOutcome};

/// The worker's view of `preview_jobs.input` (written by the backend).
#[derive(Debug, Deserialize)]
struct JobInput {
    files: Vec<InputFile>,
    #[serde(default)]
    screens: Option<Vec<String>>,
    max_snapshots: u32,
}

#[derive(Debug, Deserialize)]
struct InputFile {
    path: String,
    content: String,
}

fn target(platform: Platform, device: DeviceType) -> Target {
    let platform = match platform {
        Platform::Ios => TargetPlatform::Ios,
        Platform::Android => TargetPlatform::Android,
    };
    let device = match device {
        DeviceType::Iphone => DeviceKind::Iphone,
        DeviceType::Ipad => DeviceKind::Ipad,
        DeviceType::AndroidPhone => DeviceKind::AndroidPhone,
    };
    Target::new(platform, device)
}

/// Compiles and renders every requested device's screens (CPU-bound: run it off the runtime).
fn compile_all(
    job: &Claimed,
    spec: &PreviewSpec,
    input: JobInput,
    budget: Duration,
) -> Result<Vec<ScreenArtifacts>, String> {
    let files: Vec<SourceFile> = input
        .files
        .into_iter()
        .map(|f| SourceFile::new(f.path, f.content))
        .collect();
    let defaults = Limits::default();
    let limits = Limits {
        time_budget: budget,
        max_files: defaults.max_files.max(files.len()),
        max_file_bytes: defaults
            .max_file_bytes
            .max(files.iter().map(|f| f.content.len()).max().unwrap_or(0)),
        max_total_bytes: defaults
            .max_total_bytes
            .max(files.iter().map(|f| f.content.len()).sum()),
        ..defaults
    };
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    for device in &spec.device_types {
        let mut request = CompileRequest::new(files.clone(), target(spec.platform, *device));
        request.screens = input.screens.clone();
        request.limits = Limits {
            time_budget: budget.saturating_sub(started.elapsed()),
            ..limits.clone()
        };
        let compiled = hivesync_layout::compile(&request)
            .map_err(|e| format!("the project could not be compiled: {e}"))?;
        if compiled.screens.is_empty() {
            let why: Vec<String> = compiled
                .failures
                .iter()
                .map(|f| format!("{} ({}): {}", f.name, f.file, f.message))
                .collect();
            return Err(format!("no screen could be compiled: {}", why.join("; ")));
        }
        for screen in &compiled.screens {
            let mut a = artifacts::build(&job.job.id, *device, screen)?;
            for f in &compiled.failures {
                a.warnings.push(json!({"code": "screen-failed", "message": format!("screen {} ({}) was skipped: {}", f.name, f.file, f.message)}));
            }
            out.push(a);
        }
    }
    let snapshots: usize = out.iter().map(|s| s.assets.len()).sum();
    if snapshots > input.max_snapshots as usize {
        return Err(format!(
            "this preview needs {snapshots} snapshots but your tier allows {} per preview; preview fewer screens or upgrade",
            input.max_snapshots
        ));
    }
    Ok(out)
}

/// Writes one object, retrying exactly once (spec H.6.2). Content-addressed assets are written
/// with create-only semantics: finding the same bytes already there is success.
async fn upload(
    ctx: &Ctx,
    key: &StorageKey,
    bytes: Bytes,
    create_only: bool,
) -> Result<(), String> {
    for attempt in 1..=2 {
        let result = if create_only {
            ctx.objects.put_new(key, bytes.clone()).await
        } else {
            ctx.objects.put(key, bytes.clone()).await
        };
        match result {
            Ok(()) | Err(ObjectsError::AlreadyExists(_)) => return Ok(()),
            Err(e) if attempt == 1 => {
                tracing::warn!(worker = %ctx.id, %key, "upload failed, retrying once: {e}")
            }
            Err(e) => {
                tracing::error!(worker = %ctx.id, %key, "upload failed twice: {e}");
                return Err(
                    "the preview could not be stored (object storage unavailable); please retry"
                        .into(),
                );
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
            Err("this worker cannot run this job kind".into()),
        )
        .await;
    };
    let input: JobInput = match serde_json::from_str(&spec.input) {
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

    let work = async {
        let c = claimed.clone();
        let compile = tokio::task::spawn_blocking(move || compile_all(&c, &spec, input, budget));
        // The compiler checks its budget cooperatively; this outer limit catches anything else.
        let screens = match tokio::time::timeout(budget + Duration::from_secs(1), compile).await {
            Ok(Ok(r)) => r?,
            Ok(Err(_)) => {
                return Err("the compiler crashed on this project; please report it".to_owned());
            }
            Err(_) => {
                return Err(format!(
                    "compiling took longer than {} s; preview fewer screens",
                    budget.as_secs()
                ));
            }
        };
        for s in &screens {
            for (key, png) in &s.assets {
                upload(&ctx, key, Bytes::from(png.clone()), true).await?;
            }
            upload(
                &ctx,
                &StorageKey::PreviewLayout(s.screen_id.clone()),
                Bytes::from(s.layout.clone()),
                false,
            )
            .await?;
        }
        Ok(screens)
    };
    let result = tokio::select! {
        r = work => r,
        _ = lease_lost.wait_for(|lost| *lost) => {
            tracing::warn!(worker = %ctx.id, job = %job_id, "lease lost; abandoning the job");
            keeper.abort();
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
async fn keep_lease(ctx: Arc<Ctx>, claimed: Claimed, lost: tokio::sync::watch::Sender<bool>) {
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
    result: Result<Vec<ScreenArtifacts>, String>,
) -> JobOutcome {
    let job = CallbackJob {
        job_id: claimed.job.id,
        worker_id: &ctx.id,
        platform: claimed
            .preview
            .as_ref()
            .map(|p| p.platform)
            .unwrap_or(Platform::Ios),
        tier: claimed.job.tier,
    };
    let mut body = match &result {
        Ok(screens) => CallbackBody::succeeded(job, screens.iter().map(callback_screen).collect()),
        Err(reason) => CallbackBody::failed(job, reason),
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
            match deliver(ctx, claimed, &CallbackBody::failed(job, &reason)).await {
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
    fail_in_store(ctx, &claimed.job, &reason).await;
    JobOutcome::Failed
}

/// Posts one callback, retrying once with the same message id when it was not delivered.
async fn deliver(ctx: &Ctx, claimed: &Claimed, body: &CallbackBody) -> Result<(), BackendError> {
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
pub(crate) async fn fail_in_store(ctx: &Ctx, job: &Job, reason: &str) {
    let event = ClientEvent::failed(
        &ctx.config.server.public_url,
        job.kind,
        job.id,
        job.project_id,
        reason,
    );
    match ctx
        .store
        .fail_job(job, &ctx.id, reason, &event, now_ms())
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
