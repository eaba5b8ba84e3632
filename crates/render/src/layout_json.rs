//! Layout JSON documents (with frames, see `hivesync_frames::layout_json::add_frames`) ->
//! render trees and screen PNGs.
//!
//! Mapping: `type` -> [`RenderNode::component`], `style` -> style, `frame` -> frame. `Text`
//! draws its spans (nested `Text`/`RawText` children flattened, each with its own `color`);
//! `TextInput` draws its value, or its placeholder in `placeholderTextColor`; `Image` and
//! `ImageBackground` draw a labelled placeholder (images are never fetched); `HS_ImageSnapshot`
//! draws its snapshot PNG (from the caller's asset lookup, or a freshly rendered placeholder
//! when the lookup has none) over the part of its frame the asset covers; `Switch`,
//! `ActivityIndicator` and `Button` get simple native-like drawings.
//!
//! Snapshots are never larger than the device screen: a snapshot covers its frame clipped to
//! the screen, from the frame's top-left corner, and at most [`SnapshotLimits::max_pixels`]
//! (see [`snapshot_area`]). [`prepare_document`] sizes them before any is drawn, so a caller can
//! check a budget over several documents first.

use std::collections::HashMap;

use hivesync_frames::layout_json::{add_frames_cancellable, text_spans, viewport};
use hivesync_frames::{Cancel, Frame, FramesError};
use serde_json::{Map, Value, json};

use crate::screen::{Content, RenderNode, Screen, render_screen};
use crate::snapshot::{SnapshotRequest, render_snapshot};
use crate::{RenderError, Rgba, deep};

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

/// What drawing a document's nodes needs besides the nodes.
struct Device<'a> {
    scale: f32,
    ios: bool,
    /// Screen size in points.
    screen: (f32, f32),
    /// The PNG of a snapshot asset id, if the caller has it.
    snapshot_png: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    /// The part of its node each asset covers (the asset table's `size`).
    covers: HashMap<String, (f32, f32)>,
}

/// The render tree of a document's `root` whose nodes carry frames.
fn render_tree(node: &Value, device: &Device<'_>) -> Result<RenderNode, RenderError> {
    let Device {
        scale,
        ios,
        snapshot_png,
        ..
    } = *device;
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
                Some(png) => Content::Snapshot {
                    png,
                    size: asset.and_then(|a| device.covers.get(a).copied()),
                },
                None if frame.width * scale >= 1.0 && frame.height * scale >= 1.0 => {
                    let (width, height) = snapshot_area(
                        (frame.width, frame.height),
                        device.screen,
                        scale,
                        SnapshotLimits::SCREEN.max_pixels,
                    );
                    let req = SnapshotRequest {
                        component: name,
                        width,
                        height,
                        scale,
                        style: Some(&style),
                    };
                    Content::Snapshot {
                        png: render_snapshot(&req)?.png,
                        size: Some((width, height)),
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
            children.push(deep(|| render_tree(child, device))?);
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
    let (width, height) = (
        viewport.width.unwrap_or(0.0),
        viewport.height.unwrap_or(0.0),
    );
    let covers = document
        .get("assets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let id = a.get("id")?.as_str()?;
            let size = a.get("size")?;
            let n = |k: &str| size.get(k).and_then(Value::as_f64).map(|v| v as f32);
            Some((id.to_owned(), (n("width")?, n("height")?)))
        })
        .collect();
    let device = Device {
        scale: viewport.scale,
        ios: document.get("platform").and_then(Value::as_str) != Some("android"),
        screen: (width, height),
        snapshot_png,
        covers,
    };
    let tree = render_tree(root, &device)?;
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
        .find_map(|c| deep(|| find_node_mut(c, id)))
}

/// How large one snapshot may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotLimits {
    /// Most device pixels (width x height) in one snapshot PNG.
    pub max_pixels: u64,
}

impl SnapshotLimits {
    /// No pixel budget: snapshots are clipped to the device screen only.
    pub const SCREEN: SnapshotLimits = SnapshotLimits {
        max_pixels: u64::MAX,
    };
}

/// The part of a `frame` (width, height in points) that its snapshot covers, from the frame's
/// top-left corner: the frame clipped to the `screen` (points), then to `max_pixels` device
/// pixels at `scale` (the clipped width, and as many whole rows as fit).
pub fn snapshot_area(
    frame: (f32, f32),
    screen: (f32, f32),
    scale: f32,
    max_pixels: u64,
) -> (f32, f32) {
    let (w, h) = (frame.0.min(screen.0), frame.1.min(screen.1));
    let px = |v: f32| (v * scale).round().max(1.0) as u64;
    let (w_px, h_px) = (px(w), px(h));
    let max = max_pixels.max(1);
    if w_px.saturating_mul(h_px) <= max {
        return (w, h);
    }
    let width = if w_px > max { max as f32 / scale } else { w };
    let rows = (max / w_px.min(max)).clamp(1, h_px);
    (width, rows as f32 / scale)
}

/// A document laid out for its device whose snapshots are sized but not drawn yet (see
/// [`prepare_document`]).
#[derive(Debug)]
pub struct SnapshotPlan {
    scale: f32,
    /// Per entry of the asset table, in order: its node, the snapshot that draws it and the
    /// part of the node it covers.
    entries: Vec<(String, usize, (f32, f32))>,
    /// The snapshots to draw (entries that would draw the same PNG share one).
    snapshots: Vec<PlannedSnapshot>,
    warnings: Vec<Value>,
}

#[derive(Debug)]
struct PlannedSnapshot {
    component: String,
    width: f32,
    height: f32,
    style: Option<Map<String, Value>>,
}

impl PlannedSnapshot {
    fn request(&self, scale: f32) -> SnapshotRequest<'_> {
        SnapshotRequest {
            component: &self.component,
            width: self.width,
            height: self.height,
            scale,
            style: self.style.as_ref(),
        }
    }
}

impl SnapshotPlan {
    /// How many snapshot PNGs [`SnapshotPlan::render`] draws (at least as many as distinct
    /// PNGs it returns).
    pub fn count(&self) -> usize {
        self.snapshots.len()
    }

    /// Their device pixels together.
    pub fn pixels(&self) -> u64 {
        self.snapshots
            .iter()
            .map(|s| s.request(self.scale).pixels().unwrap_or(0))
            .sum()
    }

    /// Draws the snapshots (checking `cancel` before each) and links them into `document`,
    /// the one [`prepare_document`] planned: each `HS_ImageSnapshot` node's `snapshot.asset_id`
    /// and its asset entry (`id`, `storage_key(asset_id)`, `size`: the part of the frame it
    /// covers) point to the content-addressed PNG. Identical PNGs share one asset. Returns the
    /// assets and the warnings also added to the document.
    pub fn render(
        self,
        document: &mut Value,
        storage_key: &dyn Fn(&str) -> String,
        cancel: &Cancel,
    ) -> Result<(Vec<FinalAsset>, Vec<Value>), RenderError> {
        let mut drawn = Vec::with_capacity(self.snapshots.len());
        for s in &self.snapshots {
            if cancel.is_cancelled() {
                return Err(RenderError::Cancelled);
            }
            drawn.push(render_snapshot(&s.request(self.scale))?);
        }
        let mut table = document
            .get("assets")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (entry, (node_id, i, (w, h))) in table.iter_mut().zip(&self.entries) {
            let asset_id = &drawn[*i].asset_id;
            let node = document
                .get_mut("root")
                .and_then(|root| find_node_mut(root, node_id))
                .ok_or_else(|| {
                    RenderError::InvalidInput(format!("snapshot node `{node_id}` is missing"))
                })?;
            if let Some(info) = node.get_mut("snapshot").and_then(Value::as_object_mut) {
                info.insert("asset_id".into(), json!(asset_id));
            }
            let obj = entry
                .as_object_mut()
                .ok_or_else(|| RenderError::InvalidInput("asset entry is not an object".into()))?;
            obj.insert("id".into(), json!(asset_id));
            obj.insert("storage_key".into(), json!(storage_key(asset_id)));
            obj.insert("size".into(), json!({"width": w, "height": h}));
        }
        if let Some(obj) = document.as_object_mut() {
            if !table.is_empty() {
                obj.insert("assets".into(), Value::Array(table));
            }
            if !self.warnings.is_empty() {
                let all = obj
                    .entry("warnings")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = all.as_array_mut() {
                    list.extend(self.warnings.iter().cloned());
                }
            }
        }
        let mut assets: Vec<FinalAsset> = Vec::with_capacity(drawn.len());
        for snap in drawn {
            if !assets.iter().any(|a| a.asset_id == snap.asset_id) {
                assets.push(FinalAsset {
                    asset_id: snap.asset_id,
                    png: snap.png,
                });
            }
        }
        Ok((assets, self.warnings))
    }
}

fn frames_error(e: FramesError) -> RenderError {
    match e {
        FramesError::Cancelled => RenderError::Cancelled,
        other => RenderError::InvalidInput(other.to_string()),
    }
}

/// Computes every node's frame (`hivesync_frames::layout_json::add_frames`) and sizes the
/// snapshot of each entry of the asset table: its node's frame, at least 1x1 point (empty
/// frames are reported in the warnings, in the document's warning shape), clipped as
/// [`snapshot_area`] says (reported too). Nothing is drawn yet: [`SnapshotPlan::render`] does.
pub fn prepare_document(
    document: &mut Value,
    limits: SnapshotLimits,
    cancel: &Cancel,
) -> Result<SnapshotPlan, RenderError> {
    add_frames_cancellable(document, cancel).map_err(frames_error)?;
    let viewport = viewport(document).map_err(frames_error)?;
    let scale = viewport.scale;
    let screen = (
        viewport.width.unwrap_or(f32::INFINITY),
        viewport.height.unwrap_or(f32::INFINITY),
    );
    let mut plan = SnapshotPlan {
        scale,
        entries: Vec::new(),
        snapshots: Vec::new(),
        warnings: Vec::new(),
    };
    let table = document
        .get("assets")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let root = document
        .get_mut("root")
        .ok_or_else(|| RenderError::InvalidInput("document has no `root`".into()))?;
    for entry in &table {
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
            plan.warnings.push(json!({
                "code": "empty-snapshot-frame",
                "message": format!(
                    "{component} (node {node_id}) has an empty frame ({w}x{h}); its snapshot is drawn at least 1x1 point"
                ),
            }));
            w = w.max(1.0);
            h = h.max(1.0);
        }
        let (cw, ch) = snapshot_area((w, h), screen, scale, limits.max_pixels);
        if (cw, ch) != (w, h) {
            let bound = if (cw, ch) == (w.min(screen.0), h.min(screen.1)) {
                "the device screen".to_owned()
            } else {
                format!("{} pixels", limits.max_pixels)
            };
            plan.warnings.push(json!({
                "code": "snapshot-clipped",
                "message": format!(
                    "{component} (node {node_id}) is {w}x{h} points; its snapshot covers its top-left {cw}x{ch} points (a snapshot is at most {bound})"
                ),
            }));
        }
        let planned = PlannedSnapshot {
            component,
            width: cw,
            height: ch,
            style: node.get("style").and_then(Value::as_object).cloned(),
        };
        let request = planned.request(scale);
        let i = match plan
            .snapshots
            .iter()
            .position(|s| s.request(scale).draws_like(&request))
        {
            Some(i) => i,
            None => {
                plan.snapshots.push(planned);
                plan.snapshots.len() - 1
            }
        };
        plan.entries.push((node_id, i, (cw, ch)));
    }
    Ok(plan)
}

/// Makes a compiled Layout JSON document ready for a device: [`prepare_document`] with
/// snapshots clipped to the screen only, then [`SnapshotPlan::render`], with
/// `storage_key(asset_id)` as each asset's key.
pub fn finalize_document(
    document: &mut Value,
    storage_key: &dyn Fn(&str) -> String,
) -> Result<(Vec<FinalAsset>, Vec<Value>), RenderError> {
    let cancel = Cancel::new();
    prepare_document(document, SnapshotLimits::SCREEN, &cancel)?.render(
        document,
        storage_key,
        &cancel,
    )
}
