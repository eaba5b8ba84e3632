//! Any depth of tree is laid out on the stack tokio's `spawn_blocking` gives (2 MiB), and a
//! cancelled layout stops early with `FramesError::Cancelled`.

use std::time::Instant;

use hivesync_frames::layout_json::add_frames;
use hivesync_frames::{
    Cancel, DeviceProfile, FrameNode, FramesError, compute_frames, compute_frames_cancellable,
};
use serde_json::{Value, json};

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
fn nested(levels: usize) -> Value {
    let mut node = json!({"type": "Text", "text": "bottom"});
    for _ in 0..levels {
        // Moved in, not through `json!` (which would copy it recursively).
        let mut parent =
            json!({"type": "View", "style": {"paddingLeft": 1, "flexDirection": "row"}});
        parent["children"] = Value::Array(vec![node]);
        node = parent;
    }
    node
}

/// Drops a nested Layout JSON tree without recursion (serde_json's drop recurses per level).
fn drop_flat(mut node: Value) {
    while let Some(child) = node
        .get_mut("children")
        .and_then(Value::as_array_mut)
        .and_then(|c| c.pop())
    {
        node = child;
    }
}

#[test]
fn a_tree_thousands_of_levels_deep_is_laid_out_on_a_blocking_thread_stack() {
    // Old walks recursed on the thread's stack and aborted past about 600 levels.
    let levels = 5_000;
    let (text_frame, root_frame) = on_blocking_stack(move || {
        let mut doc =
            json!({"platform": "ios", "device": {"width": 393.0, "height": 852.0, "scale": 3.0}});
        doc["root"] = nested(levels);
        add_frames(&mut doc).unwrap();
        let root = doc["root"].take();
        let root_frame = root["frame"].clone();
        let mut node = &root;
        while let Some(child) = node["children"].get(0) {
            node = child;
        }
        let text_frame = node["frame"].clone();
        drop_flat(root);
        (text_frame, root_frame)
    });
    assert_eq!(root_frame["width"], json!(393.0));
    // Each level insets its child by a point.
    assert_eq!(text_frame["x"], json!(1.0));
    assert!(
        text_frame["height"].as_f64().unwrap() > 10.0,
        "{text_frame}"
    );
}

#[test]
fn a_cancelled_layout_stops_early_with_cancelled() {
    let tree = FrameNode::from_json(&json!({"style": {"flexDirection": "row", "flexWrap": "wrap"},
        "children": (0..5_000).map(|i| json!({"style": {"width": 40 + i % 7, "margin": 2}, "text": format!("item {i}")})).collect::<Vec<_>>()}))
    .unwrap();
    let viewport = DeviceProfile::IPHONE.viewport();
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
