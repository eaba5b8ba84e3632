//! From a preview's source files to what goes into object storage: every device's screens
//! compiled (`hivesync_layout`), laid out and given their content-addressed snapshot PNGs
//! (`hivesync_render::layout_json`) under the job's screen ids and the layout's storage keys.
//!
//! [`build_preview`] is the CPU-bound part of a preview job, bounded in memory and time: the
//! output tree's depth by the compiler's limits, every snapshot by the device screen and the
//! tier's pixel budget, and the job's snapshots by count and pixels, both checked before any
//! snapshot is drawn. One [`Cancel`] stops compile, frames and render alike.

use hivesync_core::ids::{AssetId, JobId, ScreenId};
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::{DeviceType, Platform};
use hivesync_layout::{
    Cancel, CompileError, CompileRequest, DeviceKind, LayoutDocument, Limits, ScreenOutput,
    SourceFile, Target, TargetPlatform,
};
use hivesync_render::RenderError;
use hivesync_render::layout_json::{SnapshotLimits, SnapshotPlan, prepare_document};
use serde_json::{Value, json};

/// One screen ready to upload.
#[derive(Debug, Clone)]
pub struct ScreenArtifacts {
    /// Global screen id (`{job}-{device}-{screen}`).
    pub screen_id: ScreenId,
    /// Screen name.
    pub name: String,
    /// Device type compiled for.
    pub device_type: DeviceType,
    /// Layout JSON bytes.
    pub layout: Vec<u8>,
    /// Snapshot PNGs, by key.
    pub assets: Vec<(StorageKey, Vec<u8>)>,
    /// Warnings (JSON, the document's warning shape).
    pub warnings: Vec<Value>,
}

/// What the snapshots of one preview may take (the tier's limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotBudget {
    /// Most snapshot PNGs in the whole preview (all devices and screens).
    pub max_snapshots: usize,
    /// Most device pixels in one snapshot (bigger ones are clipped).
    pub max_pixels: u64,
    /// Most device pixels of all the preview's snapshots together.
    pub max_pixels_per_preview: u64,
}

/// Why a preview could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A reason the user can act on.
    #[error("{0}")]
    Failed(String),
    /// The stop signal was cancelled or its deadline passed.
    #[error("stopped: the job was cancelled or ran out of time")]
    Cancelled,
}

/// A failure to lay out or draw the screen called `name`.
fn layout_failed(e: RenderError, name: &str) -> BuildError {
    match e {
        RenderError::Cancelled => BuildError::Cancelled,
        e => BuildError::Failed(format!("screen {name} could not be laid out: {e}")),
    }
}

/// The compiler's target for a platform and device.
pub fn target(platform: Platform, device: DeviceType) -> Target {
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

/// A screen laid out for its device whose snapshots are sized but not drawn.
struct PreparedScreen {
    screen_id: ScreenId,
    name: String,
    device_type: DeviceType,
    document: LayoutDocument,
    plan: SnapshotPlan,
    warnings: Vec<Value>,
    /// The screens of the same compile that failed (warnings after the document's own).
    skipped: Vec<Value>,
}

/// Compiles `files` for every device in `devices` (the screens named in `screens`, or all),
/// lays the screens out and draws their snapshots within `budget`. `limits.time_budget` is
/// replaced by what is left before `cancel`'s deadline, if it has one.
#[allow(clippy::too_many_arguments)]
pub fn build_preview(
    job: &JobId,
    platform: Platform,
    devices: &[DeviceType],
    files: Vec<SourceFile>,
    screens: Option<Vec<String>>,
    limits: &Limits,
    budget: SnapshotBudget,
    cancel: &Cancel,
) -> Result<Vec<ScreenArtifacts>, BuildError> {
    let snapshot_limits = SnapshotLimits {
        max_pixels: budget.max_pixels,
    };
    let mut prepared = Vec::new();
    for device in devices {
        let mut request = CompileRequest::new(files.clone(), target(platform, *device));
        request.screens = screens.clone();
        request.limits = limits.clone();
        if let Some(deadline) = cancel.deadline() {
            request.limits.time_budget =
                deadline.saturating_duration_since(std::time::Instant::now());
        }
        request.cancel = cancel.clone();
        let compiled = match hivesync_layout::compile(&request) {
            Ok(c) => c,
            Err(CompileError::Cancelled) => return Err(BuildError::Cancelled),
            Err(e) => {
                return Err(BuildError::Failed(format!(
                    "the project could not be compiled: {e}"
                )));
            }
        };
        if compiled.screens.is_empty() {
            let why: Vec<String> = compiled
                .failures
                .iter()
                .map(|f| format!("{} ({}): {}", f.name, f.file, f.message))
                .collect();
            return Err(BuildError::Failed(format!(
                "no screen could be compiled: {}",
                why.join("; ")
            )));
        }
        for screen in &compiled.screens {
            let mut p = prepare(job, *device, screen, snapshot_limits, cancel)?;
            for f in &compiled.failures {
                p.skipped.push(json!({"code": "screen-failed", "message": format!("screen {} ({}) was skipped: {}", f.name, f.file, f.message)}));
            }
            prepared.push(p);
        }
    }
    let snapshots: usize = prepared.iter().map(|p| p.plan.count()).sum();
    if snapshots > budget.max_snapshots {
        return Err(BuildError::Failed(format!(
            "this preview needs {snapshots} snapshots but your tier allows {} per preview; preview fewer screens or upgrade",
            budget.max_snapshots
        )));
    }
    let pixels: u64 = prepared.iter().map(|p| p.plan.pixels()).sum();
    if pixels > budget.max_pixels_per_preview {
        return Err(BuildError::Failed(format!(
            "this preview's snapshots need {:.1} megapixels but your tier allows {:.1} per preview; preview fewer screens or upgrade",
            pixels as f64 / 1e6,
            budget.max_pixels_per_preview as f64 / 1e6
        )));
    }
    prepared.into_iter().map(|p| finish(p, cancel)).collect()
}

/// Lays out one compiled screen and sizes its snapshots.
fn prepare(
    job: &JobId,
    device: DeviceType,
    screen: &ScreenOutput,
    limits: SnapshotLimits,
    cancel: &Cancel,
) -> Result<PreparedScreen, BuildError> {
    let screen_id = ScreenId::for_job(job, device, &screen.id);
    let mut document = screen.document.clone();
    let plan = prepare_document(&mut document, limits, cancel)
        .map_err(|e| layout_failed(e, &screen.name))?;
    Ok(PreparedScreen {
        screen_id,
        name: screen.name.clone(),
        device_type: device,
        document,
        plan,
        warnings: screen
            .warnings
            .iter()
            .filter_map(|w| serde_json::to_value(w).ok())
            .collect(),
        skipped: Vec::new(),
    })
}

/// Draws a prepared screen's snapshots and serializes its document.
fn finish(p: PreparedScreen, cancel: &Cancel) -> Result<ScreenArtifacts, BuildError> {
    let PreparedScreen {
        screen_id,
        name,
        device_type,
        mut document,
        plan,
        mut warnings,
        skipped,
    } = p;
    let key_of = |asset: &str| match AssetId::parse(asset) {
        Ok(a) => StorageKey::PreviewAsset(screen_id.clone(), a).as_path(),
        Err(_) => String::new(),
    };
    let (assets, extra) = plan
        .render(&mut document, &key_of, cancel)
        .map_err(|e| layout_failed(e, &name))?;
    document.screen_id = screen_id.as_str().to_owned();
    warnings.extend(extra.iter().filter_map(|w| serde_json::to_value(w).ok()));
    warnings.extend(skipped);
    let assets = assets
        .into_iter()
        .map(|a| {
            let id = AssetId::parse(&a.asset_id)
                .map_err(|e| BuildError::Failed(format!("snapshot id: {e}")))?;
            Ok((StorageKey::PreviewAsset(screen_id.clone(), id), a.png))
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let layout = serde_json::to_vec(&document)
        .map_err(|e| BuildError::Failed(format!("layout did not serialize: {e}")))?;
    Ok(ScreenArtifacts {
        screen_id,
        name,
        device_type,
        layout,
        assets,
        warnings,
    })
}
