//! From compiled screens to what goes into object storage: frames for the device, snapshot
//! PNGs rendered at each node's frame size (content-addressed: same bytes, same id), and the
//! Layout JSON rewritten to the job's screen id and the assets' storage keys.

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
    /// Warnings (JSON).
    pub warnings: Vec<Value>,
}

fn find_node_mut<'a>(node: &'a mut Value, id: &str) -> Option<&'a mut Value> {
    if node.get("id").and_then(Value::as_str) == Some(id) {
        return Some(node);
    }
    node.get_mut("children")?
        .as_array_mut()?
        .iter_mut()
        .find_map(|c| find_node_mut(c, id))
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
    hivesync_frames::layout_json::add_frames(&mut doc)
        .map_err(|e| format!("layout of screen {} failed: {e}", screen.name))?;
    let scale = doc
        .pointer("/device/scale")
        .and_then(Value::as_f64)
        .unwrap_or(1.0) as f32;
    let mut warnings: Vec<Value> = screen
        .warnings
        .iter()
        .filter_map(|w| serde_json::to_value(w).ok())
        .collect();
    let mut assets = Vec::new();
    let mut table = doc
        .get("assets")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for entry in &mut table {
        let node_id = entry
            .get("node_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let component = entry
            .get("component")
            .and_then(Value::as_str)
            .unwrap_or("Component")
            .to_owned();
        let root = doc.get_mut("root").ok_or("layout has no root")?;
        let node = find_node_mut(root, &node_id)
            .ok_or_else(|| format!("snapshot node {node_id} is missing"))?;
        let frame = |k: &str| {
            node.pointer(&format!("/frame/{k}"))
                .and_then(Value::as_f64)
                .unwrap_or(0.0) as f32
        };
        let (mut w, mut h) = (frame("width"), frame("height"));
        if w < 1.0 || h < 1.0 {
            warnings.push(json!({
                "code": "empty-snapshot-frame",
                "message": format!("{component} (node {node_id}) has an empty frame ({w}x{h}); its snapshot is at least 1x1 point"),
            }));
            w = w.max(1.0);
            h = h.max(1.0);
        }
        let style = node.get("style").and_then(Value::as_object).cloned();
        let snap = hivesync_render::render_snapshot(&hivesync_render::SnapshotRequest {
            component: &component,
            width: w,
            height: h,
            scale,
            style: style.as_ref(),
        })
        .map_err(|e| format!("snapshot of {component} failed: {e}"))?;
        let asset = AssetId::parse(&snap.asset_id).map_err(|e| format!("snapshot id: {e}"))?;
        let key = StorageKey::PreviewAsset(screen_id.clone(), asset.clone());
        if let Some(info) = node.get_mut("snapshot").and_then(Value::as_object_mut) {
            info.insert("asset_id".into(), json!(asset.as_str()));
        }
        let obj = entry
            .as_object_mut()
            .ok_or("asset entry is not an object")?;
        obj.insert("id".into(), json!(asset.as_str()));
        obj.insert("storage_key".into(), json!(key.as_path()));
        obj.insert("size".into(), json!({"width": w, "height": h}));
        if !assets.iter().any(|(k, _)| *k == key) {
            assets.push((key, snap.png));
        }
    }
    let obj = doc.as_object_mut().ok_or("layout is not an object")?;
    if !table.is_empty() {
        obj.insert("assets".into(), Value::Array(table));
    }
    obj.insert("screen_id".into(), json!(screen_id.as_str()));
    if !warnings.is_empty() {
        obj.insert("warnings".into(), Value::Array(warnings.clone()));
    }
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
