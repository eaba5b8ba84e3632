//! From compiled screens to what goes into object storage: the document finalised for the
//! device by `hivesync_render::layout_json::finalize_document` (frames, content-addressed
//! snapshot PNGs) under the job's screen id and the layout's storage keys.

use hivesync_core::DeviceType;
use hivesync_core::ids::{AssetId, JobId, ScreenId};
use hivesync_core::storage_keys::StorageKey;
use hivesync_layout::ScreenOutput;
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

/// Builds the artifacts of one compiled screen for `job` and `device`.
pub fn build(
    job: &JobId,
    device: DeviceType,
    screen: &ScreenOutput,
) -> Result<ScreenArtifacts, String> {
    let screen_id = ScreenId::for_job(job, device, &screen.id);
    let mut doc = serde_json::to_value(&screen.document)
        .map_err(|e| format!("layout did not serialize: {e}"))?;
    let key_of = |asset: &str| match AssetId::parse(asset) {
        Ok(a) => StorageKey::PreviewAsset(screen_id.clone(), a).as_path(),
        Err(_) => String::new(),
    };
    let (assets, extra) = hivesync_render::layout_json::finalize_document(&mut doc, &key_of)
        .map_err(|e| format!("screen {} could not be laid out: {e}", screen.name))?;
    doc["screen_id"] = json!(screen_id.as_str());
    let mut warnings: Vec<Value> = screen
        .warnings
        .iter()
        .filter_map(|w| serde_json::to_value(w).ok())
        .collect();
    warnings.extend(extra);
    let assets = assets
        .into_iter()
        .map(|a| {
            let id = AssetId::parse(&a.asset_id).map_err(|e| format!("snapshot id: {e}"))?;
            Ok((StorageKey::PreviewAsset(screen_id.clone(), id), a.png))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let layout = serde_json::to_vec(&doc).map_err(|e| format!("layout did not serialize: {e}"))?;
    Ok(ScreenArtifacts {
        screen_id,
        name: screen.name.clone(),
        device_type: device,
        layout,
        assets,
        warnings,
    })
}
