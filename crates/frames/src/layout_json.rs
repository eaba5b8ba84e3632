//! Layout JSON documents (`hivesync.layout/1`, the `hivesync-document` types) -> frame trees,
//! and frames back into the document's nodes.
//!
//! Mapping (also in docs/frames.md): every document node becomes one [`FrameNode`] with the
//! node's `style`; what a core component measures as by itself (a text leaf, a fixed size) is
//! the [`crate::components`] table, which `hivesync-render` draws from too. Nothing else is
//! added: a scroll view's `overflow: scroll` and content container are in the document, as
//! the compiler writes them, so a device's Yoga over the same styles gets the same frames.

use hivesync_document::{LayoutDocument, Node, Size, TargetPlatform};

use crate::components::{Component, Intrinsic};
use crate::fonts::FontSet;
use hivesync_cancel::Cancel;

use crate::layout::{LaidOut, compute_layout};
use crate::tree::{FrameNode, FramesError, Viewport};

/// The frame tree of a document node of `platform`, mirroring it node for node (pre-order),
/// its text measured in `fonts`.
pub fn frame_tree(node: &Node, platform: TargetPlatform, fonts: &FontSet) -> FrameNode {
    let style = node.style.to_json_map();
    let component = Component::of(node, platform);
    let (text, measured) = match component.intrinsic(node, &style, fonts) {
        Intrinsic::None => (None, None),
        Intrinsic::Text(text) => (Some(text), None),
        Intrinsic::Fixed(w, h) => (None, Some((w, h))),
    };
    let children = node
        .children
        .iter()
        .map(|child| crate::stack::deep(|| frame_tree(child, platform, fonts)))
        .collect();
    FrameNode {
        style,
        text,
        measured,
        children,
    }
}

/// Computes every node's frame for the document's device and writes it into the node's
/// `frame` (points, relative to the parent), text measured with `fonts` (the document's font
/// table loaded, [`FontSet::of_document`]; [`FontSet::bundled`] measures all with Roboto).
pub fn add_frames(document: &mut LayoutDocument, fonts: &FontSet) -> Result<(), FramesError> {
    add_frames_cancellable(document, fonts, &Cancel::new())
}

/// [`add_frames`], stopping with [`FramesError::Cancelled`] soon after `cancel` is.
pub fn add_frames_cancellable(
    document: &mut LayoutDocument,
    fonts: &FontSet,
    cancel: &Cancel,
) -> Result<(), FramesError> {
    let viewport = Viewport::from(&document.device);
    let tree = frame_tree(&document.root, document.platform, fonts);
    let frames = compute_layout(&tree, viewport, cancel)?;
    let mut next = 0;
    write_frames(&mut document.root, &frames, &mut next);
    Ok(())
}

/// A measured size as written into a document: points to 1/100000 (Yoga takes a size within
/// 1/10000 of a pixel for a whole pixel, so a coarser step could round a leaf up a pixel).
fn tidy(v: f32) -> f64 {
    (f64::from(v) * 100_000.0).round() / 100_000.0
}

fn write_frames(node: &mut Node, frames: &[LaidOut], next: &mut usize) {
    let (frame, measured) = frames[*next];
    node.frame = Some(Box::new(frame.into()));
    node.measured = measured.map(|(w, h)| Size {
        width: tidy(w),
        height: tidy(h),
    });
    *next += 1;
    for child in &mut node.children {
        crate::stack::deep(|| write_frames(child, frames, next));
    }
}

#[cfg(test)]
mod tests {
    use hivesync_document::{DeviceProfile, DocumentSource, SCHEMA_VERSION};
    use serde_json::{Value, json};

    use super::*;
    use crate::components::text_spans;

    fn node(value: Value) -> Node {
        serde_json::from_value(value).expect("a document node")
    }

    fn doc(root: Value) -> LayoutDocument {
        LayoutDocument {
            schema: SCHEMA_VERSION.into(),
            screen_id: "s".into(),
            screen_name: "S".into(),
            platform: TargetPlatform::Ios,
            device: DeviceProfile::IPHONE,
            source: DocumentSource {
                entry_file: "App.tsx".into(),
                component: "App".into(),
                content_hash: "0".into(),
            },
            root: node(root),
            assets: Vec::new(),
            fonts: Vec::new(),
            warnings: Vec::new(),
        }
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
        add_frames(&mut d, &FontSet::bundled()).unwrap();
        let d = serde_json::to_value(&d).unwrap();
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
        let node = node(
            json!({"id": "t", "type": "Text", "style": {"fontSize": 20, "color": "red"}, "props": {"numberOfLines": 2}, "children": [
                {"id": "r", "type": "RawText", "text": "a"},
                {"id": "b", "type": "Text", "style": {"fontWeight": "700", "color": "blue"}, "text": "b"}
            ]}),
        );
        let (content, styles) = text_spans(&node, &FontSet::bundled()).unwrap();
        assert_eq!(content.number_of_lines, Some(2));
        assert_eq!(content.spans.len(), 2);
        assert_eq!(content.spans[1].style.font_size, 20.0);
        assert_eq!(content.spans[1].style.face, crate::text::FontFace::Bold);
        assert_eq!(styles[0]["color"], json!("red"));
        assert_eq!(styles[1]["color"], json!("blue"));
    }

    #[test]
    fn intrinsic_sizes_of_core_components() {
        let ios = TargetPlatform::Ios;
        let sw = frame_tree(
            &node(json!({"id": "s", "type": "Switch"})),
            ios,
            &FontSet::bundled(),
        );
        assert_eq!(sw.measured, Some((51.0, 31.0)));
        let img = frame_tree(
            &node(
                json!({"id": "i", "type": "Image", "props": {"source": {"uri": "x", "width": 40, "height": 30}}}),
            ),
            ios,
            &FontSet::bundled(),
        );
        assert_eq!(img.measured, Some((40.0, 30.0)));
        let input = frame_tree(
            &node(json!({"id": "t", "type": "TextInput", "props": {"placeholder": "Email"}})),
            ios,
            &FontSet::bundled(),
        );
        assert_eq!(input.text.unwrap().number_of_lines, Some(1));
        // A scroll view is laid out by its style alone: the compiler writes React Native's
        // base style and content container into the document.
        let scroll = frame_tree(
            &node(json!({"id": "s", "type": "ScrollView", "props": {"horizontal": true}})),
            ios,
            &FontSet::bundled(),
        );
        assert!(scroll.style.is_empty());
    }

    #[test]
    fn a_text_input_is_measured_as_it_is_drawn() {
        let ios = TargetPlatform::Ios;
        let measured = |props: Value| {
            let n = node(json!({"id": "t", "type": "TextInput", "props": props}));
            frame_tree(&n, ios, &FontSet::bundled()).text.unwrap().spans[0]
                .text
                .clone()
        };
        // Bullets for a secure value, the placeholder for an empty one, a space for nothing.
        assert_eq!(
            measured(json!({"value": "abc", "secureTextEntry": true})),
            "\u{2022}\u{2022}\u{2022}"
        );
        assert_eq!(
            measured(json!({"value": "", "placeholder": "Email"})),
            "Email"
        );
        assert_eq!(measured(json!({})), " ");
    }
}
