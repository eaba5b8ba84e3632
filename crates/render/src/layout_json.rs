//! Layout JSON documents (the `hivesync-document` types, with frames: see
//! `hivesync_frames::layout_json::add_frames`) -> render trees and screen PNGs.
//!
//! Mapping: `type` -> [`RenderNode::component`], `style` -> style, `frame` -> frame; what a
//! core component draws comes from `hivesync_frames::components`, the table its frame was
//! measured from. `Text`
//! draws its spans (nested `Text`/`RawText` children flattened, each with its own `color`);
//! `TextInput` draws its value, or its placeholder in `placeholderTextColor`; `Image` and
//! `ImageBackground` draw their picture when the document's asset table has it (an image file
//! the request carried, from the caller's asset lookup) placed by `resizeMode`/`contentFit`,
//! else a labelled placeholder (remote images are never fetched); `HS_ImageSnapshot`
//! draws its snapshot PNG (from the caller's asset lookup, or freshly rendered from its
//! `snapshot.picture` or as a placeholder when the lookup has none) over the part of its frame
//! the asset covers; `Switch`,
//! `ActivityIndicator` and `Button` get simple native-like drawings.
//!
//! Snapshots are never larger than the device screen: a snapshot covers its frame clipped to
//! the screen, from the frame's top-left corner, and at most [`SnapshotLimits::max_pixels`]
//! (see [`snapshot_area`]). [`prepare_document`] sizes them before any is drawn, so a caller can
//! check a budget over several documents first.

use std::collections::HashMap;

use hivesync_document::{LayoutDocument, Node, Picture, Size, TargetPlatform, Warning};
use hivesync_frames::components::{BUTTON_PADDING, Component, text_spans};
use hivesync_frames::layout_json::add_frames_cancellable;
use hivesync_frames::{Cancel, FontSet, Frame, FramesError, Viewport};
use serde_json::{Map, Value, json};

use crate::bitmap::ResizeMode;
use crate::color::Rgba;
use crate::error::RenderError;
use crate::screen::{Content, RenderNode, Screen, render_screen};
use crate::snapshot::{SnapshotRequest, render_snapshot};
use crate::stack::deep;

/// The asset kind of snapshots (the other kind, `image`, is a file the request carried: it is
/// neither sized nor drawn here).
const SNAPSHOT: &str = "snapshot";

fn frame_of(node: &Node) -> Result<Frame, RenderError> {
    let f = node.frame.as_deref().ok_or_else(|| {
        RenderError::InvalidInput(format!(
            "node `{}` has no frame (compute frames first)",
            node.id
        ))
    })?;
    Ok(Frame {
        x: f.x as f32,
        y: f.y as f32,
        width: f.width as f32,
        height: f.height as f32,
    })
}

/// What drawing a document's nodes needs besides the nodes.
struct Device<'a> {
    scale: f32,
    platform: TargetPlatform,
    /// Screen size in points.
    screen: (f32, f32),
    /// The bytes of an asset id (a snapshot PNG, an image file), if the caller has them.
    asset_bytes: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    /// The part of its node each asset covers (the asset table's `size`).
    covers: HashMap<&'a str, (f32, f32)>,
    /// The document's fonts, loaded.
    fonts: FontSet,
}

/// The render tree of a document's `root` whose nodes carry frames.
fn render_tree(node: &Node, device: &Device<'_>) -> Result<RenderNode, RenderError> {
    let scale = device.scale;
    let component = node.kind.to_string();
    let mut style = node.style.to_json_map();
    let frame = frame_of(node)?;
    let mut extra_children = Vec::new();
    let mut draw_children = true;
    let content = match Component::of(node, device.platform) {
        Component::Text => {
            draw_children = false;
            let (text, styles) = text_spans(node, &device.fonts).unwrap_or_default();
            let span_colors = styles
                .iter()
                .map(|s| s.get("color").and_then(Value::as_str).map(str::to_string))
                .collect();
            Content::Text { text, span_colors }
        }
        Component::TextInput(input) => Content::Text {
            text: input.content(&style, &device.fonts),
            span_colors: vec![input.placeholder_color],
        },
        Component::Image {
            label,
            asset_id,
            scale,
            fit,
            ..
        } => match asset_id.and_then(device.asset_bytes) {
            Some(bytes) => Content::Bitmap {
                bytes,
                scale,
                mode: fit.map(ResizeMode::parse).unwrap_or_default(),
                label: Some(label),
            },
            None => Content::Image { label: Some(label) },
        },
        Component::Snapshot {
            asset_id,
            component: name,
        } => {
            draw_children = false;
            match asset_id.and_then(device.asset_bytes) {
                Some(png) => Content::Snapshot {
                    png,
                    size: asset_id.and_then(|a| device.covers.get(a).copied()),
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
                        picture: node.snapshot.as_ref().and_then(|s| s.picture.as_ref()),
                        frame: Some((frame.width, frame.height)),
                    };
                    Content::Snapshot {
                        png: render_snapshot(&req)?.png,
                        size: Some((width, height)),
                    }
                }
                None => Content::None,
            }
        }
        Component::Switch {
            on, track, thumb, ..
        } => {
            style
                .entry("backgroundColor")
                .or_insert_with(|| json!(track));
            style
                .entry("borderRadius")
                .or_insert_with(|| json!(frame.height / 2.0));
            let d = (frame.height - 4.0).max(0.0);
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
        Component::ActivityIndicator { color, .. } => {
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
        Component::Button(look) => {
            style.insert("padding".into(), json!(BUTTON_PADDING));
            style.insert("textAlign".into(), json!("center"));
            if let Some(background) = look.background {
                style
                    .entry("backgroundColor")
                    .or_insert_with(|| json!(background));
                style.entry("borderRadius").or_insert_with(|| json!(2));
            }
            Content::Text {
                text: look.label,
                span_colors: vec![Some(look.text_color.to_string())],
            }
        }
        Component::Scroll { .. } | Component::View => Content::None,
    };
    let mut children = Vec::new();
    if draw_children {
        for child in &node.children {
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

/// Renders a document whose nodes carry frames to a PNG at its device's size and scale;
/// `asset_bytes` gives the bytes of an asset id of its asset table (a snapshot PNG, or an image
/// file the request carried), when the caller has them.
pub fn render_document(
    document: &LayoutDocument,
    asset_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, RenderError> {
    let viewport = Viewport::from(&document.device);
    let (width, height) = (
        viewport.width.unwrap_or(0.0),
        viewport.height.unwrap_or(0.0),
    );
    let covers = document
        .assets
        .iter()
        .filter_map(|a| {
            let size = a.size?;
            Some((a.id.as_str(), (size.width as f32, size.height as f32)))
        })
        .collect();
    let device = Device {
        scale: viewport.scale,
        platform: document.platform,
        screen: (width, height),
        asset_bytes,
        covers,
        fonts: FontSet::of_document(document, asset_bytes).0,
    };
    let tree = render_tree(&document.root, &device)?;
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

fn find_node_mut<'a>(node: &'a mut Node, id: &str) -> Option<&'a mut Node> {
    if node.id == id {
        return Some(node);
    }
    node.children
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
    warnings: Vec<Warning>,
}

#[derive(Debug)]
struct PlannedSnapshot {
    component: String,
    picture: Option<Picture>,
    /// The node's whole frame (the snapshot may cover less).
    frame: (f32, f32),
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
            picture: self.picture.as_ref(),
            frame: Some(self.frame),
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
        document: &mut LayoutDocument,
        storage_key: &dyn Fn(&str) -> String,
        cancel: &Cancel,
    ) -> Result<(Vec<FinalAsset>, Vec<Warning>), RenderError> {
        let mut drawn = Vec::with_capacity(self.snapshots.len());
        for s in &self.snapshots {
            if cancel.is_cancelled() {
                return Err(RenderError::Cancelled);
            }
            drawn.push(render_snapshot(&s.request(self.scale))?);
        }
        let snapshot_entries = document.assets.iter_mut().filter(|a| a.kind == SNAPSHOT);
        for (entry, (node_id, i, (w, h))) in snapshot_entries.zip(&self.entries) {
            let asset_id = &drawn[*i].asset_id;
            let node = find_node_mut(&mut document.root, node_id).ok_or_else(|| {
                RenderError::InvalidInput(format!("snapshot node `{node_id}` is missing"))
            })?;
            if let Some(info) = &mut node.snapshot {
                info.asset_id.clone_from(asset_id);
            }
            entry.id.clone_from(asset_id);
            entry.storage_key = storage_key(asset_id);
            entry.size = Some(Size {
                width: f64::from(*w),
                height: f64::from(*h),
            });
        }
        document.warnings.extend(self.warnings.iter().cloned());
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
    document: &mut LayoutDocument,
    limits: SnapshotLimits,
    fonts: &FontSet,
    cancel: &Cancel,
) -> Result<SnapshotPlan, RenderError> {
    add_frames_cancellable(document, fonts, cancel).map_err(frames_error)?;
    let viewport = Viewport::from(&document.device);
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
    let warning = |code: &str, message: String| Warning {
        code: code.into(),
        message,
        location: None,
    };
    for entry in document.assets.iter().filter(|a| a.kind == SNAPSHOT) {
        let node_id = &entry.node_id;
        let component = &entry.component;
        let node = find_node_mut(&mut document.root, node_id).ok_or_else(|| {
            RenderError::InvalidInput(format!("snapshot node `{node_id}` is missing"))
        })?;
        let (mut w, mut h) = node
            .frame
            .as_deref()
            .map_or((0.0, 0.0), |f| (f.width as f32, f.height as f32));
        if w < 1.0 || h < 1.0 {
            plan.warnings.push(warning(
                "empty-snapshot-frame",
                format!(
                    "{component} (node {node_id}) has an empty frame ({w}x{h}); its snapshot is drawn at least 1x1 point"
                ),
            ));
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
            plan.warnings.push(warning(
                "snapshot-clipped",
                format!(
                    "{component} (node {node_id}) is {w}x{h} points; its snapshot covers its top-left {cw}x{ch} points (a snapshot is at most {bound})"
                ),
            ));
        }
        let planned = PlannedSnapshot {
            component: component.clone(),
            picture: node.snapshot.as_ref().and_then(|s| s.picture.clone()),
            frame: (w, h),
            width: cw,
            height: ch,
            style: (!node.style.is_empty()).then(|| node.style.to_json_map()),
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
        plan.entries.push((node_id.clone(), i, (cw, ch)));
    }
    Ok(plan)
}

/// Makes a compiled Layout JSON document ready for a device: [`prepare_document`] with
/// snapshots clipped to the screen only and text measured in `fonts`, then
/// [`SnapshotPlan::render`], with `storage_key(asset_id)` as each asset's key.
pub fn finalize_document(
    document: &mut LayoutDocument,
    fonts: &FontSet,
    storage_key: &dyn Fn(&str) -> String,
) -> Result<(Vec<FinalAsset>, Vec<Warning>), RenderError> {
    let cancel = Cancel::new();
    prepare_document(document, SnapshotLimits::SCREEN, fonts, &cancel)?.render(
        document,
        storage_key,
        &cancel,
    )
}
