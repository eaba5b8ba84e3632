//! Any depth of tree is laid out on the stack tokio's `spawn_blocking` gives (2 MiB), and a
//! cancelled layout stops early with `FramesError::Cancelled`.

use std::time::Instant;

use hivesync_document::{LayoutDocument, Node, PropertyMap};
use hivesync_frames::layout_json::add_frames;
use hivesync_frames::{
    Cancel, DeviceProfile, FrameNode, FramesError, Viewport, compute_frames,
    compute_frames_cancellable,
};
use serde_json::json;

/// Runs `f` on a thread with a 2 MiB stack.
fn on_blocking_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// A Layout JSON node with `levels` nested Views, built without recursion; the innermost one
/// holds a text (so the frames at the bottom depend on the font).
fn nested(levels: usize) -> Node {
    let mut node = Node::new("Text");
    node.text = Some("bottom".into());
    let style = PropertyMap::from(
        json!({"paddingLeft": 1, "flexDirection": "row"})
            .as_object()
            .cloned()
            .unwrap(),
    );
    for _ in 0..levels {
        let mut parent = Node::new("View");
        parent.style = style.clone();
        parent.children.push(node);
        node = parent;
    }
    node
}

/// Drops a nested node tree without recursion (a node's drop recurses once per level).
fn drop_flat(mut node: Node) {
    while let Some(child) = node.children.pop() {
        node = child;
    }
}

#[test]
fn a_tree_thousands_of_levels_deep_is_laid_out_on_a_blocking_thread_stack() {
    // Old walks recursed on the thread's stack and aborted past about 600 levels.
    let levels = 5_000;
    let (text_frame, root_frame) = on_blocking_stack(move || {
        let mut doc: LayoutDocument = serde_json::from_value(json!({
            "schema": "hivesync.layout/1", "screen_id": "deep", "screen_name": "Deep",
            "platform": "ios", "device": DeviceProfile::IPHONE,
            "source": {"entry_file": "App.tsx", "component": "App", "content_hash": "0"},
            "root": {"id": "root", "type": "View"}
        }))
        .unwrap();
        doc.root = nested(levels);
        add_frames(&mut doc, &hivesync_frames::FontSet::bundled()).unwrap();
        let root = std::mem::replace(&mut doc.root, Node::new("View"));
        let root_frame = root.frame.as_deref().copied().unwrap();
        let mut node = &root;
        while let Some(child) = node.children.first() {
            node = child;
        }
        let text_frame = node.frame.as_deref().copied().unwrap();
        drop_flat(root);
        (text_frame, root_frame)
    });
    assert_eq!(root_frame.width, 393.0);
    // Each level insets its child by a point.
    assert_eq!(text_frame.x, 1.0);
    assert!(text_frame.height > 10.0, "{text_frame:?}");
}

#[test]
fn a_cancelled_layout_stops_early_with_cancelled() {
    let tree = FrameNode::from_json(&json!({"style": {"flexDirection": "row", "flexWrap": "wrap"},
        "children": (0..5_000).map(|i| json!({"style": {"width": 40 + i % 7, "margin": 2}, "text": format!("item {i}")})).collect::<Vec<_>>()}))
    .unwrap();
    let viewport = Viewport::from(&DeviceProfile::IPHONE);
    let started = Instant::now();
    let frames = compute_frames(&tree, viewport).unwrap();
    let full = started.elapsed();
    assert_eq!(frames.len(), 5_001);

    let cancel = Cancel::new();
    cancel.cancel();
    let started = Instant::now();
    let r = compute_frames_cancellable(&tree, viewport, &cancel);
    assert!(matches!(r, Err(FramesError::Cancelled)), "{r:?}");
    assert!(
        started.elapsed() < full / 2,
        "stopped early: {:?} of {full:?}",
        started.elapsed()
    );
    let past = Cancel::with_deadline(Instant::now());
    assert!(matches!(
        compute_frames_cancellable(&tree, viewport, &past),
        Err(FramesError::Cancelled)
    ));
}
