//! Layout JSON (`hivesync.layout/1`, see docs/layout-json.md) -> frame trees, and frames back
//! into the document. Works on `serde_json::Value` so this crate does not depend on the
//! compiler's types.
//!
//! Mapping (also in docs/frames.md): every document node becomes one [`FrameNode`] with the
//! node's `style`; `Text` nodes become text leaves (their `text`, or their nested `Text` /
//! `RawText` children flattened into spans that inherit the parent's text style;
//! `props.numberOfLines`); `TextInput` measures its value or placeholder on one line (unless
//! `multiline`); `Image` without a styled size uses `props.source.width/height`; `Switch`,
//! `ActivityIndicator` and `Button` get their platform's intrinsic sizes; `ScrollView`,
//! `FlatList` and `SectionList` scroll (`overflow: scroll`, `flexDirection: row` when
//! `horizontal`).

use serde_json::{Map, Value, json};

use crate::text::{TextContent, TextSpan, TextStyle};
use crate::{Cancel, FrameNode, FramesError, Viewport, compute_frames_cancellable};

fn style_of(node: &Value) -> Map<String, Value> {
    node.get("style")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn prop<'a>(node: &'a Value, key: &str) -> Option<&'a Value> {
    node.get("props").and_then(|p| p.get(key))
}

fn kind(node: &Value) -> &str {
    node.get("type").and_then(Value::as_str).unwrap_or("View")
}

/// A Text node's spans, with each span's effective style map (the parent Text's style merged
/// under the span's own, as nested Text inherits in React Native), for renderers that need
/// more than typography (colours). `None` for nodes that are not `Text`.
pub fn text_spans(node: &Value) -> Option<(TextContent, Vec<Map<String, Value>>)> {
    if kind(node) != "Text" {
        return None;
    }
    let mut spans = Vec::new();
    let mut styles = Vec::new();
    collect_spans(node, &Map::new(), &mut spans, &mut styles);
    let number_of_lines = prop(node, "numberOfLines")
        .and_then(Value::as_u64)
        .map(|n| n as u32);
    Some((
        TextContent {
            spans,
            number_of_lines,
        },
        styles,
    ))
}

fn collect_spans(
    node: &Value,
    inherited: &Map<String, Value>,
    spans: &mut Vec<TextSpan>,
    styles: &mut Vec<Map<String, Value>>,
) {
    let mut merged = inherited.clone();
    for (k, v) in style_of(node) {
        merged.insert(k, v);
    }
    if let Some(text) = node.get("text").and_then(Value::as_str) {
        spans.push(TextSpan {
            text: text.to_string(),
            style: TextStyle::from_style(&merged, &TextStyle::default()),
        });
        styles.push(merged.clone());
    }
    for child in node
        .get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if matches!(kind(child), "Text" | "RawText") {
            crate::deep(|| collect_spans(child, &merged, spans, styles));
        }
    }
}

fn one_line(text: &str, style: &Map<String, Value>) -> TextContent {
    TextContent {
        spans: vec![TextSpan {
            text: text.to_string(),
            style: TextStyle::from_style(style, &TextStyle::default()),
        }],
        number_of_lines: Some(1),
    }
}

/// The frame tree of a Layout JSON node, mirroring it node for node (pre-order).
pub fn frame_tree(node: &Value, platform_ios: bool) -> FrameNode {
    let mut style = style_of(node);
    let mut text = None;
    let mut measured = None;
    match kind(node) {
        "Text" => text = text_spans(node).map(|(content, _)| content),
        "TextInput" => {
            let shown = prop(node, "value")
                .or_else(|| prop(node, "defaultValue"))
                .or_else(|| prop(node, "placeholder"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let mut content = one_line(if shown.is_empty() { " " } else { shown }, &style);
            if prop(node, "multiline").and_then(Value::as_bool) == Some(true) {
                content.number_of_lines = None;
            }
            text = Some(content);
        }
        "Image" => {
            let source = prop(node, "source");
            let dim = |k: &str| {
                source
                    .and_then(|s| s.get(k))
                    .and_then(Value::as_f64)
                    .map(|v| v as f32)
            };
            if let (Some(w), Some(h)) = (dim("width"), dim("height")) {
                measured = Some((w, h));
            }
        }
        "Switch" => {
            measured = Some(if platform_ios {
                (51.0, 31.0)
            } else {
                (36.0, 20.0)
            })
        }
        "ActivityIndicator" => {
            let size = match prop(node, "size") {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(20.0) as f32,
                Some(Value::String(s)) if s == "large" => 36.0,
                _ => 20.0,
            };
            measured = Some((size, size));
        }
        "Button" => {
            let title = prop(node, "title").and_then(Value::as_str).unwrap_or("");
            let (label, size) = if platform_ios {
                (title.to_string(), 18.0)
            } else {
                (title.to_uppercase(), 14.0)
            };
            let mut label_style = Map::new();
            label_style.insert("fontSize".into(), json!(size));
            let laid = crate::text::layout_text(&one_line(&label, &label_style), None);
            measured = Some((laid.width + 16.0, laid.height + 16.0));
        }
        "ScrollView" | "FlatList" | "SectionList" => {
            style.entry("overflow").or_insert_with(|| json!("scroll"));
            if prop(node, "horizontal").and_then(Value::as_bool) == Some(true) {
                style.entry("flexDirection").or_insert_with(|| json!("row"));
            }
        }
        _ => {}
    }
    let children = node
        .get("children")
        .and_then(Value::as_array)
        .map(|c| {
            c.iter()
                .map(|child| crate::deep(|| frame_tree(child, platform_ios)))
                .collect()
        })
        .unwrap_or_default();
    FrameNode {
        style,
        text,
        measured,
        children,
    }
}

/// The viewport of a document's `device`.
pub fn viewport(document: &Value) -> Result<Viewport, FramesError> {
    let device = document
        .get("device")
        .ok_or_else(|| FramesError::InvalidInput("document has no `device`".into()))?;
    let number = |k: &str| {
        device
            .get(k)
            .and_then(Value::as_f64)
            .map(|v| v as f32)
            .ok_or_else(|| FramesError::InvalidInput(format!("`device.{k}` must be a number")))
    };
    Ok(Viewport::new(
        number("width")?,
        number("height")?,
        number("scale")?,
    ))
}

/// Computes every node's frame for the document's device and writes it into the document as
/// `frame: {x, y, width, height}` (points, relative to the parent).
pub fn add_frames(document: &mut Value) -> Result<(), FramesError> {
    add_frames_cancellable(document, &Cancel::new())
}

/// [`add_frames`], stopping with [`FramesError::Cancelled`] soon after `cancel` is.
pub fn add_frames_cancellable(document: &mut Value, cancel: &Cancel) -> Result<(), FramesError> {
    let viewport = viewport(document)?;
    let ios = document.get("platform").and_then(Value::as_str) != Some("android");
    let root = document
        .get_mut("root")
        .ok_or_else(|| FramesError::InvalidInput("document has no `root`".into()))?;
    let frames = compute_frames_cancellable(&frame_tree(root, ios), viewport, cancel)?;
    let mut next = 0;
    write_frames(root, &frames, &mut next);
    Ok(())
}

fn write_frames(node: &mut Value, frames: &[crate::Frame], next: &mut usize) {
    let f = frames[*next];
    *next += 1;
    if let Some(obj) = node.as_object_mut() {
        obj.insert(
            "frame".into(),
            json!({"x": f.x, "y": f.y, "width": f.width, "height": f.height}),
        );
    }
    if let Some(children) = node.get_mut("children").and_then(Value::as_array_mut) {
        for child in children {
            crate::deep(|| write_frames(child, frames, next));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(root: Value) -> Value {
        json!({"schema": "hivesync.layout/1", "platform": "ios",
               "device": {"width": 393.0, "height": 852.0, "scale": 3.0}, "root": root})
    }

    #[test]
    fn frames_are_written_into_every_node() {
        let mut d = doc(
            json!({"id": "root", "type": "View", "style": {"width": 393, "height": 852}, "children": [
                {"id": "a", "type": "View", "style": {"height": 100, "marginTop": 10}},
                {"id": "t", "type": "Text", "style": {"fontSize": 20}, "children": [
                    {"id": "r", "type": "RawText", "text": "Hello "},
                    {"id": "b", "type": "Text", "style": {"fontWeight": "bold"}, "text": "world"}
                ]}
            ]}),
        );
        add_frames(&mut d).unwrap();
        let f = |p: &str| d.pointer(p).unwrap().clone();
        assert_eq!(
            f("/root/frame"),
            json!({"x": 0.0, "y": 0.0, "width": 393.0, "height": 852.0})
        );
        assert_eq!(
            f("/root/children/0/frame"),
            json!({"x": 0.0, "y": 10.0, "width": 393.0, "height": 100.0})
        );
        let text = f("/root/children/1/frame");
        assert_eq!(text["y"], json!(110.0));
        assert!(text["height"].as_f64().unwrap() > 20.0);
        // Nested spans have no frames of their own.
        assert_eq!(
            f("/root/children/1/children/1/frame"),
            json!({"x": 0.0, "y": 0.0, "width": 0.0, "height": 0.0})
        );
    }

    #[test]
    fn nested_text_inherits_and_spans_keep_their_styles() {
        let node = json!({"type": "Text", "style": {"fontSize": 20, "color": "red"}, "props": {"numberOfLines": 2}, "children": [
            {"type": "RawText", "text": "a"},
            {"type": "Text", "style": {"fontWeight": "700", "color": "blue"}, "text": "b"}
        ]});
        let (content, styles) = text_spans(&node).unwrap();
        assert_eq!(content.number_of_lines, Some(2));
        assert_eq!(content.spans.len(), 2);
        assert_eq!(content.spans[1].style.font_size, 20.0);
        assert_eq!(content.spans[1].style.face, crate::FontFace::Bold);
        assert_eq!(styles[0]["color"], json!("red"));
        assert_eq!(styles[1]["color"], json!("blue"));
    }

    #[test]
    fn intrinsic_sizes_of_core_components() {
        let sw = frame_tree(&json!({"type": "Switch"}), true);
        assert_eq!(sw.measured, Some((51.0, 31.0)));
        let img = frame_tree(
            &json!({"type": "Image", "props": {"source": {"uri": "x", "width": 40, "height": 30}}}),
            true,
        );
        assert_eq!(img.measured, Some((40.0, 30.0)));
        let input = frame_tree(
            &json!({"type": "TextInput", "props": {"placeholder": "Email"}}),
            true,
        );
        assert_eq!(input.text.unwrap().number_of_lines, Some(1));
        let scroll = frame_tree(
            &json!({"type": "ScrollView", "props": {"horizontal": true}}),
            true,
        );
        assert_eq!(
            (
                scroll.style["overflow"].clone(),
                scroll.style["flexDirection"].clone()
            ),
            (json!("scroll"), json!("row"))
        );
    }

    #[test]
    fn documents_without_a_device_are_rejected() {
        assert!(add_frames(&mut json!({"root": {}})).is_err());
    }
}
