//! Lays out harness-format cases (see `yoga-harness/harness.mjs`) with hivesync-frames and
//! prints frames in the harness's output format, so the two can be diffed:
//! `cargo run -p hivesync-frames --example frames_json -- cases.json`

use hivesync_frames::{FrameNode, Viewport, compute_frames};
use serde_json::{Value, json};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: frames_json CASES.json");
    let input: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read input"))
        .expect("JSON input");
    let cases = match input.get("cases").and_then(Value::as_array) {
        Some(cases) => cases.clone(),
        None => vec![input],
    };
    let mut out = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let v = &case["viewport"];
        let viewport = Viewport {
            width: v["width"].as_f64().map(|x| x as f32),
            height: v["height"].as_f64().map(|x| x as f32),
            scale: v["scale"].as_f64().unwrap_or(1.0) as f32,
        };
        let tree = FrameNode::from_json(&case["root"]).expect("valid tree");
        let frames = compute_frames(&tree, viewport).expect("layout");
        let frames: Vec<Value> = frames
            .iter()
            .map(|f| json!({"x": f.x, "y": f.y, "width": f.width, "height": f.height}))
            .collect();
        out.push(json!({"name": case.get("name").cloned().unwrap_or(json!(format!("case {i}"))), "frames": frames}));
    }
    println!("{}", json!({ "cases": out }));
}
