//! From a preview's source files to what goes into object storage: every device's screens
//! compiled (`hivesync_layout`), laid out and given their content-addressed snapshot PNGs
//! (`hivesync_render::layout_json`) and the image files they show (the request's bytes) under
//! the job's screen ids and the layout's storage keys.
//!
//! [`LaidOutScreen`] is the one path from a compiled document to a stored one (frames, snapshot
//! PNGs, asset table, storage keys): the worker's jobs and `hivesync preview` both take it.
//!
//! [`build_preview`] is the CPU-bound part of a preview job, bounded in memory and time: the
//! output tree's depth by the compiler's limits, every snapshot by the device screen and the
//! tier's pixel budget, and the job's snapshots by count and pixels, both checked before any
//! snapshot is drawn. One [`Cancel`] stops compile, frames and render alike.

use hivesync_core::ids::{AssetId, JobId, ScreenId};
use hivesync_core::media::MediaType;
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::{DeviceType, Platform};
use hivesync_layout::document::Warning;
use hivesync_layout::{
    Cancel, CompileError, CompileRequest, LayoutDocument, Limits, ScreenOutput, SourceFile, Target,
};
use hivesync_render::layout_json::{SnapshotLimits, SnapshotPlan, prepare_document};
use hivesync_render::{FontSet, RenderError};
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
    /// Snapshot PNGs and the image files the screen shows, by key.
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

/// A compiled screen laid out for its device, its snapshots sized but not drawn yet.
#[derive(Debug)]
pub struct LaidOutScreen {
    document: LayoutDocument,
    plan: SnapshotPlan,
    /// Font files of the document's font table that could not be used.
    font_warnings: Vec<Warning>,
}

/// A screen ready to store: its document, the snapshot PNGs and image files it points to and
/// the warnings laying it out added.
#[derive(Debug)]
pub struct FinishedScreen {
    /// The document with frames, named by its stored screen id, its asset table pointing at
    /// `assets` under their storage keys.
    pub document: LayoutDocument,
    /// The snapshot PNGs (identical ones once) and the image files the screen shows (the
    /// request's bytes as sent), by content address, with their type.
    pub assets: Vec<(AssetId, MediaType, Vec<u8>)>,
    /// Snapshots drawn at least 1 point, or clipped (also in the document's warnings).
    pub warnings: Vec<Warning>,
}

impl LaidOutScreen {
    /// Computes the frames of a compiled `document`, its text in the fonts of its font table
    /// (their bytes from `files`, the compiled request's), and sizes its snapshots, each at most
    /// `limits` (`hivesync_render::layout_json::prepare_document`).
    pub fn new(
        mut document: LayoutDocument,
        files: &[SourceFile],
        limits: SnapshotLimits,
        cancel: &Cancel,
    ) -> Result<LaidOutScreen, RenderError> {
        let (fonts, font_warnings) =
            FontSet::of_document(&document, &|id| font_bytes(&document, id, files));
        let plan = prepare_document(&mut document, limits, &fonts, cancel)?;
        Ok(LaidOutScreen {
            document,
            plan,
            font_warnings,
        })
    }

    /// How many snapshot PNGs [`LaidOutScreen::finish`] draws.
    pub fn snapshot_count(&self) -> usize {
        self.plan.count()
    }

    /// Their device pixels together.
    pub fn snapshot_pixels(&self) -> u64 {
        self.plan.pixels()
    }

    /// Draws the snapshots (stopping when `cancel` is), takes the image files the document
    /// shows from `files` (the compiled request's) and names the screen `screen_id`: the
    /// document's `screen_id`, and each asset's storage key under it
    /// ([`StorageKey::PreviewAsset`]).
    pub fn finish(
        self,
        screen_id: &ScreenId,
        files: &[SourceFile],
        cancel: &Cancel,
    ) -> Result<FinishedScreen, RenderError> {
        let LaidOutScreen {
            mut document,
            plan,
            font_warnings,
        } = self;
        let key_of = |asset: &str| match AssetId::parse(asset) {
            Ok(a) => StorageKey::PreviewAsset(screen_id.clone(), a, MediaType::Png).as_path(),
            Err(_) => String::new(),
        };
        let (snapshots, mut warnings) = plan.render(&mut document, &key_of, cancel)?;
        warnings.extend(font_warnings);
        document.screen_id = screen_id.as_str().to_owned();
        let mut assets = snapshots
            .into_iter()
            .map(|a| match AssetId::parse(&a.asset_id) {
                Ok(id) => Ok((id, MediaType::Png, a.png)),
                Err(e) => Err(RenderError::InvalidInput(format!("snapshot id: {e}"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        for entry in document.assets.iter_mut().filter(|a| a.kind == "image") {
            let (id, media, bytes) = image_asset(entry.id.as_str(), entry.file.as_deref(), files)?;
            entry.storage_key =
                StorageKey::PreviewAsset(screen_id.clone(), id.clone(), media).as_path();
            assets.push((id, media, bytes));
        }
        // The font files text is drawn with, once each (a device loads them like the app does).
        for font in &document.fonts {
            if assets.iter().any(|(id, ..)| id.as_str() == font.asset_id) {
                continue;
            }
            let Some(bytes) = font_bytes(&document, &font.asset_id, files) else {
                continue;
            };
            let Some(media) = hivesync_core::media::MediaType::sniff(&bytes) else {
                continue;
            };
            if let Ok(id) = AssetId::parse(&font.asset_id) {
                assets.push((id, media, bytes));
            }
        }
        Ok(FinishedScreen {
            document,
            assets,
            warnings,
        })
    }
}

/// The image asset `id` of a document, showing project file `file`: its bytes from `files`,
/// which must be an image of that content address.
fn image_asset(
    id: &str,
    file: Option<&str>,
    files: &[SourceFile],
) -> Result<(AssetId, MediaType, Vec<u8>), RenderError> {
    let invalid = |why: &str| RenderError::InvalidInput(format!("image asset {id}: {why}"));
    let file = file.ok_or_else(|| invalid("names no file"))?;
    let source = files
        .iter()
        .find(|f| f.path == file)
        .ok_or_else(|| invalid("its file is not in the request"))?;
    let (media, bytes) = match source.media() {
        Ok(Some((media, bytes))) if media.is_image() => (media, bytes),
        _ => return Err(invalid("its file is not an image")),
    };
    let asset = AssetId::parse(id).map_err(|e| invalid(&e.to_string()))?;
    if hivesync_render::asset_id(&bytes)[..] != *id {
        return Err(invalid("its file's content address differs"));
    }
    Ok((asset, media, bytes))
}

/// The bytes of the font asset `id` of `document`'s font table: its file from `files`, when it
/// is a font of that content address.
fn font_bytes(document: &LayoutDocument, id: &str, files: &[SourceFile]) -> Option<Vec<u8>> {
    let font = document.fonts.iter().find(|f| f.asset_id == id)?;
    let source = files.iter().find(|f| f.path == font.file)?;
    match source.media() {
        Ok(Some((media, bytes)))
            if !media.is_image() && hivesync_render::asset_id(&bytes)[..] == *id =>
        {
            Some(bytes)
        }
        _ => None,
    }
}

/// A screen of the job laid out for its device whose snapshots are sized but not drawn.
struct PreparedScreen {
    screen_id: ScreenId,
    name: String,
    device_type: DeviceType,
    screen: LaidOutScreen,
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
        let mut request = CompileRequest::new(files.clone(), Target::new(platform, *device));
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
            let mut p = prepare(job, *device, screen, &files, snapshot_limits, cancel)?;
            for f in &compiled.failures {
                p.skipped.push(json!({"code": "screen-failed", "message": format!("screen {} ({}) was skipped: {}", f.name, f.file, f.message)}));
            }
            prepared.push(p);
        }
    }
    let snapshots: usize = prepared.iter().map(|p| p.screen.snapshot_count()).sum();
    if snapshots > budget.max_snapshots {
        return Err(BuildError::Failed(format!(
            "this preview needs {snapshots} snapshots but your tier allows {} per preview; preview fewer screens or upgrade",
            budget.max_snapshots
        )));
    }
    let pixels: u64 = prepared.iter().map(|p| p.screen.snapshot_pixels()).sum();
    if pixels > budget.max_pixels_per_preview {
        return Err(BuildError::Failed(format!(
            "this preview's snapshots need {:.1} megapixels but your tier allows {:.1} per preview; preview fewer screens or upgrade",
            pixels as f64 / 1e6,
            budget.max_pixels_per_preview as f64 / 1e6
        )));
    }
    prepared
        .into_iter()
        .map(|p| finish(p, &files, cancel))
        .collect()
}

/// Lays out one compiled screen and sizes its snapshots.
fn prepare(
    job: &JobId,
    device: DeviceType,
    screen: &ScreenOutput,
    files: &[SourceFile],
    limits: SnapshotLimits,
    cancel: &Cancel,
) -> Result<PreparedScreen, BuildError> {
    Ok(PreparedScreen {
        screen_id: ScreenId::for_job(job, device, &screen.id),
        name: screen.name.clone(),
        device_type: device,
        screen: LaidOutScreen::new(screen.document.clone(), files, limits, cancel)
            .map_err(|e| layout_failed(e, &screen.name))?,
        warnings: screen.warnings.iter().filter_map(wire_warning).collect(),
        skipped: Vec::new(),
    })
}

/// A warning in the wire's shape (`hivesync_core::wire`).
fn wire_warning(w: &Warning) -> Option<Value> {
    serde_json::to_value(w).ok()
}

/// Draws a prepared screen's snapshots and serializes its document.
fn finish(
    p: PreparedScreen,
    files: &[SourceFile],
    cancel: &Cancel,
) -> Result<ScreenArtifacts, BuildError> {
    let PreparedScreen {
        screen_id,
        name,
        device_type,
        screen,
        mut warnings,
        skipped,
    } = p;
    let finished = screen
        .finish(&screen_id, files, cancel)
        .map_err(|e| layout_failed(e, &name))?;
    warnings.extend(finished.warnings.iter().filter_map(wire_warning));
    warnings.extend(skipped);
    let layout = serde_json::to_vec(&finished.document)
        .map_err(|e| BuildError::Failed(format!("layout did not serialize: {e}")))?;
    let assets = finished
        .assets
        .into_iter()
        .map(|(id, media, bytes)| {
            (
                StorageKey::PreviewAsset(screen_id.clone(), id, media),
                bytes,
            )
        })
        .collect();
    Ok(ScreenArtifacts {
        screen_id,
        name,
        device_type,
        layout,
        assets,
        warnings,
    })
}
