//! Running one claimed preview job (spec H.3.3): compile with a time budget, lay out and
//! render snapshots, upload every object (one retry each), then call the backend back with
//! the result or with a reason the user can act on. The lease is extended while it works; a
//! lost lease stops the job without a callback (the backend has already failed it).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::{DeviceType, Platform};
use hivesync_layout::{CompileRequest, DeviceKind, Limits, SourceFile, Target, TargetPlatform};
use hivesync_objects::ObjectsError;
use hivesync_store::now_ms;
use hivesync_store::queue::{Claimed, PreviewSpec};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::artifacts::{self, ScreenArtifacts};
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

/// The callback body (mirrors the backend's `CallbackBody`).
#[derive(Debug, Serialize)]
pub(crate) struct CallbackBody<'a> {
    pub job_id: String,
    pub worker_id: &'a str,
    pub status: &'static str,
    pub platform: Platform,
    pub tier: hivesync_core::Tier,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub screens: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
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
    keeper.abort();
    finish(&ctx, &claimed, result).await
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

/// Calls the backend back (one retry with the same message id).
async fn finish(
    ctx: &Ctx,
    claimed: &Claimed,
    result: Result<Vec<ScreenArtifacts>, String>,
) -> JobOutcome {
    let platform = claimed
        .preview
        .as_ref()
        .map(|p| p.platform)
        .unwrap_or(Platform::Ios);
    let (body, outcome) = match result {
        Ok(screens) => (
            CallbackBody {
                job_id: claimed.job.id.to_string(),
                worker_id: ctx.id.as_str(),
                status: "succeeded",
                platform,
                tier: claimed.job.tier,
                screens: screens
                    .iter()
                    .map(|s| {
                        json!({
                            "screen_id": s.screen_id,
                            "name": s.name,
                            "device_type": s.device_type,
                            "layout_json_key": StorageKey::PreviewLayout(s.screen_id.clone()).as_path(),
                            "asset_keys": s.assets.iter().map(|(k, _)| k.as_path()).collect::<Vec<_>>(),
                            "warnings": s.warnings,
                        })
                    })
                    .collect(),
                failure_reason: None,
            },
            JobOutcome::Succeeded,
        ),
        Err(reason) => (
            CallbackBody {
                job_id: claimed.job.id.to_string(),
                worker_id: ctx.id.as_str(),
                status: "failed",
                platform,
                tier: claimed.job.tier,
                screens: Vec::new(),
                failure_reason: Some(reason),
            },
            JobOutcome::Failed,
        ),
    };
    let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
    for attempt in 1..=2 {
        match ctx
            .backend
            .post_with_id("/api/v1/worker/callback", &id, &body)
            .await
        {
            Ok(()) => return outcome,
            Err(crate::backend::BackendError::Unreachable(e)) if attempt == 1 => {
                tracing::warn!(worker = %ctx.id, job = %claimed.job.id, "callback not delivered, retrying once: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => {
                tracing::error!(worker = %ctx.id, job = %claimed.job.id, "callback failed: {e}; the lease sweep will fail the job");
                return JobOutcome::Failed;
            }
        }
    }
    JobOutcome::Failed
}
