//! Layout JSON documents (with frames, see `hivesync_frames::layout_json::add_frames`) ->
//! render trees and screen PNGs.
//!
//! Mapping: `type` -> [`RenderNode::component`], `style` -> style, `frame` -> frame. `Text`
//! draws its spans (nested `Text`/`RawText` children flattened, each with its own `color`);
//! `TextInput` draws its value, or its placeholder in `placeholderTextColor`; `Image` and
//! `ImageBackground` draw a labelled placeholder (images are never fetched); `HS_ImageSnapshot`
//! draws its snapshot PNG (from the caller's asset lookup, or a freshly rendered placeholder
//! when the lookup has none); `Switch`, `ActivityIndicator` and `Button` get simple native-like
//! drawings.

use hivesync_frames::Frame;
use hivesync_frames::layout_json::text_spans;
use serde_json::{Map, Value, json};

use crate::screen::{Content, RenderNode, Screen, render_screen};
use crate::snapshot::{SnapshotRequest, render_snapshot};
use crate::{RenderError, Rgba};

fn prop<'a>(node: &'a Value, key: &str) -> Option<&'a Value> {
    node.get("props").and_then(|p| p.get(key))
}

fn frame_of(node: &Value) -> Result<Frame, RenderError> {
    let f = node.get("frame").ok_or_else(|| {
        let id = node.get("id").and_then(Value::as_str).unwrap_or("?");
        RenderError::InvalidInput(format!("node `{id}` has no frame (compute frames first)"))
    })?;
    let n = |k: &str| f.get(k).and_then(Value::as_f64).unwrap_or(0.0) as f32;
    Ok(Frame {
        x: n("x"),
        y: n("y"),
        width: n("width"),
        height: n("height"),
    })
}

/// The render tree of a document's `root` whose nodes carry frames. `scale` and `ios` are
/// the device's; `snapshot_png` returns the PNG of a snapshot asset id, if the caller has it.
pub fn render_tree(
    node: &Value,
    scale: f32,
    ios: bool,
    snapshot_png: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<RenderNode, RenderError> {
    let component = node
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("View")
        .to_string();
    let mut style = node
        .get("style")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let frame = frame_of(node)?;
    let mut extra_children = Vec::new();
    let mut draw_children = true;
    let content = match component.as_str() {
        "Text" => {
            draw_children = false;
            let (text, styles) = text_spans(node).unwrap_or_default();
            let span_colors = styles
                .iter()
                .map(|s| s.get("color").and_then(Value::as_str).map(str::to_string))
                .collect();
            Content::Text { text, span_colors }
        }
        "TextInput" => text_input(node, &style),
        "Image" | "ImageBackground" => {
            let source = prop(node, "source");
            let name = source
                .and_then(|s| s.get("asset").or_else(|| s.get("uri")))
                .and_then(Value::as_str)
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_string());
            Content::Image {
                label: name.or_else(|| Some(component.clone())),
            }
        }
        "HS_ImageSnapshot" => {
            draw_children = false;
            let snapshot = node.get("snapshot");
            let asset = snapshot
                .and_then(|s| s.get("asset_id"))
                .and_then(Value::as_str);
            let name = snapshot
                .and_then(|s| s.get("component"))
                .and_then(Value::as_str)
                .unwrap_or("Snapshot");
            match asset.and_then(snapshot_png) {
                Some(png) => Content::Snapshot { png },
                None if frame.width * scale >= 1.0 && frame.height * scale >= 1.0 => {
                    let req = SnapshotRequest {
                        component: name,
                        width: frame.width,
                        height: frame.height,
                        scale,
                        style: Some(&style),
                    };
                    Content::Snapshot {
                        png: render_snapshot(&req)?.png,
                    }
                }
                None => Content::None,
            }
        }
        "Switch" => {
            let on = prop(node, "value")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let track = prop(node, "trackColor")
                .and_then(|t| t.get(if on { "true" } else { "false" }))
                .and_then(Value::as_str);
            style
                .entry("backgroundColor")
                .or_insert_with(|| json!(track.unwrap_or(if on { "#34c759" } else { "#e9e9eb" })));
            style
                .entry("borderRadius")
                .or_insert_with(|| json!(frame.height / 2.0));
            let d = (frame.height - 4.0).max(0.0);
            let thumb = prop(node, "thumbColor")
                .and_then(Value::as_str)
                .unwrap_or("#ffffff");
            let mut thumb_style = Map::new();
            thumb_style.insert("backgroundColor".into(), json!(thumb));
            thumb_style.insert("borderRadius".into(), json!(d / 2.0));
            extra_children.push(RenderNode {
                component: "SwitchThumb".into(),
                style: thumb_style,
                frame: Frame {
                    x: if on { frame.width - d - 2.0 } else { 2.0 },
                    y: 2.0,
                    width: d,
                    height: d,
                },
                ..RenderNode::default()
            });
            Content::None
        }
        "ActivityIndicator" => {
            let color = prop(node, "color")
                .and_then(Value::as_str)
                .unwrap_or("#999999");
            style
                .entry("borderWidth")
                .or_insert_with(|| json!((frame.width / 8.0).max(1.5)));
            style.entry("borderColor").or_insert_with(|| json!(color));
            style
                .entry("borderRadius")
                .or_insert_with(|| json!(frame.width / 2.0));
            style.entry("opacity").or_insert_with(|| json!(0.6));
            Content::None
        }
        "Button" => button(node, &mut style, ios),
        _ => Content::None,
    };
    let mut children = Vec::new();
    if draw_children {
        for child in node
            .get("children")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            children.push(render_tree(child, scale, ios, snapshot_png)?);
        }
    }
    children.extend(extra_children);
    Ok(RenderNode {
        component,
        style,
        frame,
        content,
        children,
    })
}

fn text_input(node: &Value, style: &Map<String, Value>) -> Content {
    let value = prop(node, "value")
        .or_else(|| prop(node, "defaultValue"))
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty());
    let (shown, color) = match value {
        Some(v) => {
            let secure = prop(node, "secureTextEntry").and_then(Value::as_bool) == Some(true);
            (
                if secure {
                    "\u{2022}".repeat(v.chars().count())
                } else {
                    v.to_string()
                },
                None,
            )
        }
        None => (
            prop(node, "placeholder")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            Some(
                prop(node, "placeholderTextColor")
                    .and_then(Value::as_str)
                    .unwrap_or("#9ca3af")
                    .to_string(),
            ),
        ),
    };
    let mut text = hivesync_frames::TextContent::plain(
        shown,
        hivesync_frames::TextStyle::from_style(style, &Default::default()),
    );
    if prop(node, "multiline").and_then(Value::as_bool) != Some(true) {
        text.number_of_lines = Some(1);
    }
    Content::Text {
        text,
        span_colors: vec![color],
    }
}

fn button(node: &Value, style: &mut Map<String, Value>, ios: bool) -> Content {
    let title = prop(node, "title").and_then(Value::as_str).unwrap_or("");
    let color = prop(node, "color").and_then(Value::as_str);
    style.insert("padding".into(), json!(8));
    style.insert("textAlign".into(), json!("center"));
    let (label, size, text_color) = if ios {
        (
            title.to_string(),
            18.0,
            color.unwrap_or("#007aff").to_string(),
        )
    } else {
        style
            .entry("backgroundColor")
            .or_insert_with(|| json!(color.unwrap_or("#2196f3")));
        style.entry("borderRadius").or_insert_with(|| json!(2));
        (title.to_uppercase(), 14.0, "#ffffff".to_string())
    };
    let mut text_style = Map::new();
    text_style.insert("fontSize".into(), json!(size));
    if !ios {
        text_style.insert("fontWeight".into(), json!("500"));
    }
    let text = hivesync_frames::TextContent::plain(
        label,
        hivesync_frames::TextStyle::from_style(&text_style, &Default::default()),
    );
    Content::Text {
        text,
        span_colors: vec![Some(text_color)],
    }
}

/// Renders a document whose nodes carry frames to a PNG at its device's size and scale.
pub fn render_document(
    document: &Value,
    snapshot_png: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, RenderError> {
    let viewport = hivesync_frames::layout_json::viewport(document)
        .map_err(|e| RenderError::InvalidInput(e.to_string()))?;
    let root = document
        .get("root")
        .ok_or_else(|| RenderError::InvalidInput("document has no `root`".into()))?;
    let ios = document.get("platform").and_then(Value::as_str) != Some("android");
    let tree = render_tree(root, viewport.scale, ios, snapshot_png)?;
    let (width, height) = (
        viewport.width.unwrap_or(0.0),
        viewport.height.unwrap_or(0.0),
    );
    render_screen(
        &tree,
        Screen {
            width,
            height,
            scale: viewport.scale,
            background: Rgba::rgb(255, 255, 255),
        },
    )
}

/// A snapshot asset produced by [`finalize_document`].
#[derive(Debug, Clone, PartialEq)]
pub struct FinalAsset {
    /// Content address of the PNG (see [`crate::asset_id`]).
    pub asset_id: String,
    /// PNG bytes.
    pub png: Vec<u8>,
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

/// Makes a compiled Layout JSON document ready for a device: computes every node's frame
/// (`hivesync_frames::layout_json::add_frames`), renders each `HS_ImageSnapshot` at its
/// frame size times the device scale, and rewrites the asset table and the snapshot nodes to
/// the content-addressed asset ids, with `storage_key(asset_id)` as each asset's key. Assets
/// whose frame is empty are drawn at 1x1 point and reported in the returned warnings (in the
/// document's warning shape). Identical snapshots share one asset.
pub fn finalize_document(
    document: &mut Value,
    storage_key: &dyn Fn(&str) -> String,
) -> Result<(Vec<FinalAsset>, Vec<Value>), RenderError> {
    hivesync_frames::layout_json::add_frames(document)
        .map_err(|e| RenderError::InvalidInput(e.to_string()))?;
    let scale = document
        .pointer("/device/scale")
        .and_then(Value::as_f64)
        .unwrap_or(1.0) as f32;
    let mut warnings = Vec::new();
    let mut assets: Vec<FinalAsset> = Vec::new();
    let mut table = document
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
        let root = document
            .get_mut("root")
            .ok_or_else(|| RenderError::InvalidInput("document has no `root`".into()))?;
        let node = find_node_mut(root, &node_id).ok_or_else(|| {
            RenderError::InvalidInput(format!("snapshot node `{node_id}` is missing"))
        })?;
        let frame = |k: &str| {
            node.pointer(&format!("/frame/{k}"))
                .and_then(Value::as_f64)
                .unwrap_or(0.0) as f32
        };
        let (mut w, mut h) = (frame("width"), frame("height"));
        if w < 1.0 || h < 1.0 {
            warnings.push(json!({
                "code": "empty-snapshot-frame",
                "message": format!(
                    "{component} (node {node_id}) has an empty frame ({w}x{h}); its snapshot is drawn at least 1x1 point"
                ),
            }));
            w = w.max(1.0);
            h = h.max(1.0);
        }
        let style = node.get("style").and_then(Value::as_object).cloned();
        let snap = render_snapshot(&SnapshotRequest {
            component: &component,
            width: w,
            height: h,
            scale,
            style: style.as_ref(),
        })?;
        if let Some(info) = node.get_mut("snapshot").and_then(Value::as_object_mut) {
            info.insert("asset_id".into(), json!(snap.asset_id));
        }
        let obj = entry
            .as_object_mut()
            .ok_or_else(|| RenderError::InvalidInput("asset entry is not an object".into()))?;
        obj.insert("id".into(), json!(snap.asset_id));
        obj.insert("storage_key".into(), json!(storage_key(&snap.asset_id)));
        obj.insert("size".into(), json!({"width": w, "height": h}));
        if !assets.iter().any(|a| a.asset_id == snap.asset_id) {
            assets.push(FinalAsset {
                asset_id: snap.asset_id,
                png: snap.png,
            });
        }
    }
    if let Some(obj) = document.as_object_mut() {
        if !table.is_empty() {
            obj.insert("assets".into(), Value::Array(table));
        }
        if !warnings.is_empty() {
            let all = obj
                .entry("warnings")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(list) = all.as_array_mut() {
                list.extend(warnings.iter().cloned());
            }
        }
    }
    Ok((assets, warnings))
}
