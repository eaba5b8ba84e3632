//! Frames: where every node of a React Native screen lands on a given device, as React Native's
//! Yoga would put it.
//!
//! The input is a tree of [`FrameNode`]s, each carrying a React Native style map (Yoga vocabulary:
//! `flexDirection`, `flex`, `width: "50%"`, `marginHorizontal`, `position: "absolute"`, ...) and,
//! for Text nodes, the text to measure with the bundled font. [`compute_frames`] lays the tree out
//! with taffy configured with Yoga's defaults and React Native's errata, then rounds every frame to
//! the device's pixel grid exactly as Yoga does. The differences between taffy and Yoga that this
//! crate closes, and those that remain, are listed in `docs/frames.md`.
//!
//! Pure library: no I/O, no async. [`layout_json`] maps a Layout JSON document (the
//! `hivesync-document` types) onto [`FrameNode`]s and writes the frames back into its nodes;
//! [`components`] is the table of what each core component measures and draws as, shared with
//! `hivesync-render`.
//!
//! Any depth of tree is laid out on any thread: the walks recurse once per level (taffy's
//! layout too), and grow the stack onto the heap when it runs low ([`deep`]). A [`Cancel`]
//! stops a layout early ([`compute_frames_cancellable`]).

pub mod components;
mod engine;
pub mod layout_json;
mod rn_style;
pub mod rounding;
pub mod text;

use serde_json::{Map, Value};
use taffy::prelude::*;
use taffy::style::Direction;
use taffy::{Cache, Layout};

use engine::{Engine, EngineNode, Measure};

pub use hivesync_cancel::Cancel;
/// The built-in device profiles (`hivesync_document::DeviceProfile`), for [`Viewport::from`].
pub use hivesync_document::DeviceProfile;

pub use text::{FontFace, TextContent, TextLayout, TextSpan, TextStyle, font_face, layout_text};
/// The font parser the bundled faces are exposed through (for drawing glyph outlines).
pub use ttf_parser;

/// One node of the tree to lay out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameNode {
    /// The node's resolved React Native style (layout keys are read; others are ignored).
    pub style: Map<String, Value>,
    /// Text to measure: makes this node a leaf whose intrinsic size comes from the bundled font.
    pub text: Option<TextContent>,
    /// A fixed intrinsic size (points), as a Yoga measure function that always answers the same
    /// size would give: for content measured elsewhere. Ignored when `text` is set.
    pub measured: Option<(f32, f32)>,
    /// Children in order.
    pub children: Vec<FrameNode>,
}

impl FrameNode {
    /// A node with a style and children.
    pub fn new(style: Map<String, Value>, children: Vec<FrameNode>) -> Self {
        Self {
            style,
            text: None,
            measured: None,
            children,
        }
    }
}

impl FrameNode {
    /// This tree in the Yoga harness's input form (`yoga-harness/harness.mjs`): styles and
    /// children as they are, text replaced by the fixed `measured` size our font gives it at
    /// max-content (the harness has no font). Lay out the same converted tree on both sides.
    pub fn to_harness_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("style".into(), Value::Object(self.style.clone()));
        let measured = match &self.text {
            Some(text) => {
                let l = layout_text(text, None);
                Some((l.width, l.height))
            }
            None => self.measured,
        };
        if let Some((w, h)) = measured {
            obj.insert(
                "measured".into(),
                serde_json::json!({"width": w, "height": h}),
            );
        } else {
            obj.insert(
                "children".into(),
                Value::Array(
                    self.children
                        .iter()
                        .map(FrameNode::to_harness_json)
                        .collect(),
                ),
            );
        }
        Value::Object(obj)
    }

    /// Reads a node tree from the documented JSON form (see `docs/frames.md`):
    /// `{"style": {...}, "children": [...], "measured": {"width": w, "height": h},
    ///   "text": "..." | [{"text": "...", "style": {...}}, ...], "numberOfLines": n}`.
    /// Every key is optional; text spans inherit the node's text style.
    pub fn from_json(value: &Value) -> Result<FrameNode, FramesError> {
        let invalid = |what: &str| FramesError::InvalidInput(what.to_string());
        let obj = value
            .as_object()
            .ok_or_else(|| invalid("a node must be a JSON object"))?;
        let style = match obj.get("style") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => return Err(invalid("`style` must be an object")),
        };
        let measured = match obj.get("measured") {
            None | Some(Value::Null) => None,
            Some(m) => {
                let w = m.get("width").and_then(Value::as_f64);
                let h = m.get("height").and_then(Value::as_f64);
                match (w, h) {
                    (Some(w), Some(h)) => Some((w as f32, h as f32)),
                    _ => return Err(invalid("`measured` needs numeric `width` and `height`")),
                }
            }
        };
        let base = TextStyle::from_style(&style, &TextStyle::default());
        let spans = match obj.get("text") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(vec![TextSpan {
                text: t.clone(),
                style: base,
            }]),
            Some(Value::Array(items)) => {
                let mut spans = Vec::with_capacity(items.len());
                for item in items {
                    let text = item
                        .get("text")
                        .and_then(Value::as_str)
                        .ok_or_else(|| invalid("a text span needs `text`"))?;
                    let span_style = item
                        .get("style")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    spans.push(TextSpan {
                        text: text.to_string(),
                        style: TextStyle::from_style(&span_style, &base),
                    });
                }
                Some(spans)
            }
            Some(_) => return Err(invalid("`text` must be a string or a list of spans")),
        };
        let number_of_lines = obj
            .get("numberOfLines")
            .and_then(Value::as_u64)
            .map(|n| n as u32);
        let text = spans.map(|spans| TextContent {
            spans,
            number_of_lines,
        });
        let children = match obj.get("children") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| deep(|| FrameNode::from_json(item)))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(invalid("`children` must be a list")),
        };
        Ok(FrameNode {
            style,
            text,
            measured,
            children,
        })
    }
}

/// The space the root is laid out in, and the device's pixels per point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Width in points given to the root (`None`: unconstrained, the root takes its content's width).
    pub width: Option<f32>,
    /// Height in points given to the root (`None`: unconstrained).
    pub height: Option<f32>,
    /// Device pixels per point (Yoga's `pointScaleFactor`); frames are rounded to 1/scale.
    pub scale: f32,
}

impl Viewport {
    /// A fixed-size viewport.
    pub fn new(width: f32, height: f32, scale: f32) -> Self {
        Self {
            width: Some(width),
            height: Some(height),
            scale,
        }
    }
}

/// The full-screen viewport of a device.
impl From<&DeviceProfile> for Viewport {
    fn from(device: &DeviceProfile) -> Self {
        Viewport::new(
            device.width as f32,
            device.height as f32,
            device.scale as f32,
        )
    }
}

/// A node's frame in points, relative to its parent's top-left corner (border box), rounded to
/// the device's pixel grid.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Frame {
    /// Left edge from the parent's left edge.
    pub x: f32,
    /// Top edge from the parent's top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// A frame as a Layout JSON node stores it.
impl From<Frame> for hivesync_document::Frame {
    fn from(f: Frame) -> Self {
        hivesync_document::Frame {
            x: f64::from(f.x),
            y: f64::from(f.y),
            width: f64::from(f.width),
            height: f64::from(f.height),
        }
    }
}

/// Why frames could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum FramesError {
    /// The device scale is not a positive finite number.
    #[error("device scale must be a positive number, got {0}")]
    InvalidScale(f32),
    /// A JSON node tree does not have the documented shape.
    #[error("invalid frame tree: {0}")]
    InvalidInput(String),
    /// The [`Cancel`] given to the layout was cancelled or its deadline passed.
    #[error("layout cancelled")]
    Cancelled,
}

/// Below this much free stack, a walk over the tree continues on a new stack segment of
/// [`STACK_GROW`] bytes (heap memory, freed when the walk returns to the old one).
const STACK_RED_ZONE: usize = 256 * 1024;
const STACK_GROW: usize = 4 * 1024 * 1024;

/// Runs `f`, one level of a recursive walk, with at least [`STACK_RED_ZONE`] of stack.
#[inline]
pub(crate) fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_GROW, f)
}

/// Yoga sizes a flex item with an aspect ratio and a main-axis size through the ratio even
/// when its cross-axis size is set too (CSS ignores the ratio then): drop the cross size.
fn ratio_over_cross_size(style: &mut taffy::Style, parent: &taffy::Style) {
    let row_parent = matches!(
        parent.flex_direction,
        FlexDirection::Row | FlexDirection::RowReverse
    );
    let (main, cross) = if row_parent {
        (style.size.width, &mut style.size.height)
    } else {
        (style.size.height, &mut style.size.width)
    };
    let sized = |d: Dimension| !d.is_auto() && !d.is_sizing_keyword();
    if style.aspect_ratio.is_some()
        && style.position != taffy::style::Position::Absolute
        && sized(main)
        && sized(*cross)
    {
        *cross = Dimension::auto();
    }
}

/// Adds `node` and its subtree to the engine in pre-order and appends the engine nodes that its
/// parent lays out to `attach` (the node itself, or its children when it is `display: contents`).
fn build(
    node: &FrameNode,
    parent: Option<usize>,
    parent_direction: Direction,
    engine: &mut Engine,
    attach: &mut Vec<usize>,
) {
    let direction = rn_style::resolve_direction(&node.style, parent_direction);
    let index = engine.nodes.len();
    let measure = match (&node.text, node.measured) {
        (Some(text), _) => Some(Measure::Text(text.clone())),
        (None, Some((w, h))) => Some(Measure::Fixed(Size {
            width: w,
            height: h,
        })),
        (None, None) => None,
    };
    let is_leaf = measure.is_some();
    // A `display: contents` node has no box: its children are laid out as its parent's, and
    // its own frame stays zero, as in Yoga.
    let contents = !is_leaf && parent.is_some() && rn_style::is_display_contents(&node.style);
    let mut style = rn_style::to_taffy(&node.style, direction);
    if contents {
        style.display = Display::None;
    }
    if let Some(parent) = parent {
        ratio_over_cross_size(&mut style, &engine.nodes[parent].style);
    }

    engine.nodes.push(EngineNode {
        style,
        measure,
        children: Vec::new(),
        parent,
        cache: Cache::new(),
        layout: Layout::with_order(0),
        inner_main: None,
    });
    engine.auto_insets.push(rn_style::auto_insets(&node.style));
    let child_parent = if contents { parent } else { Some(index) };
    let mut children = Vec::with_capacity(node.children.len());
    for child in &node.children {
        deep(|| build(child, child_parent, direction, engine, &mut children));
    }
    if contents {
        attach.extend(children);
    } else {
        if !is_leaf {
            engine.nodes[index].children = children;
        }
        attach.push(index);
    }
}

/// Lays out `root` in `viewport` and returns every node's frame in pre-order (the root first,
/// then each child's subtree in order), rounded as Yoga rounds at `viewport.scale`.
///
/// Children of a Text node (`text` set) and of a `measured` node are not laid out: their frames
/// are zero, as nested Text spans have no frames of their own in React Native.
pub fn compute_frames(root: &FrameNode, viewport: Viewport) -> Result<Vec<Frame>, FramesError> {
    compute_frames_cancellable(root, viewport, &Cancel::new())
}

/// [`compute_frames`], stopping with [`FramesError::Cancelled`] soon after `cancel` is.
pub fn compute_frames_cancellable(
    root: &FrameNode,
    viewport: Viewport,
    cancel: &Cancel,
) -> Result<Vec<Frame>, FramesError> {
    if !(viewport.scale.is_finite() && viewport.scale > 0.0) {
        return Err(FramesError::InvalidScale(viewport.scale));
    }
    let mut engine = Engine {
        nodes: Vec::new(),
        root_width_max_content: false,
        root_avail_inner: Size::NONE,
        auto_insets: Vec::new(),
        cancel: cancel.clone(),
        layout_calls: 0,
        cancelled: false,
    };
    build(root, None, Direction::Ltr, &mut engine, &mut Vec::new());
    engine::layout_root(&mut engine, viewport);
    if engine.cancelled {
        return Err(FramesError::Cancelled);
    }
    let mut frames = Vec::with_capacity(engine.nodes.len());
    collect(
        root,
        &engine,
        &mut 0,
        (0.0, 0.0),
        f64::from(viewport.scale),
        true,
        &mut frames,
    );
    Ok(frames)
}

fn collect(
    node: &FrameNode,
    engine: &Engine,
    next: &mut usize,
    parent_abs: (f64, f64),
    scale: f64,
    laid_out: bool,
    out: &mut Vec<Frame>,
) {
    let id = *next;
    *next += 1;
    let is_leaf = node.text.is_some() || node.measured.is_some();
    let (frame, abs) = if laid_out {
        let l = &engine.nodes[id].layout;
        let raw = rounding::RawBox {
            left: f64::from(l.location.x),
            top: f64::from(l.location.y),
            width: f64::from(l.size.width),
            height: f64::from(l.size.height),
        };
        let (r, abs) = rounding::round_box(raw, parent_abs, scale, is_leaf);
        (
            Frame {
                x: r.left as f32,
                y: r.top as f32,
                width: r.width as f32,
                height: r.height as f32,
            },
            abs,
        )
    } else {
        (Frame::default(), parent_abs)
    };
    out.push(frame);
    for child in &node.children {
        deep(|| collect(child, engine, next, abs, scale, laid_out && !is_leaf, out));
    }
}
