//! The tree to lay out ([`FrameNode`], with its JSON form), the space it is laid out in
//! ([`Viewport`]) and what comes out ([`Frame`], [`FramesError`]).

use hivesync_document::DeviceProfile;
use serde_json::{Map, Value};

use crate::fonts::FontSet;
use crate::stack::deep;
use crate::text::{TextContent, TextSpan, TextStyle, layout_text};

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
        let base = TextStyle::from_style(&style, &TextStyle::default(), &FontSet::bundled());
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
                        style: TextStyle::from_style(&span_style, &base, &FontSet::bundled()),
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
