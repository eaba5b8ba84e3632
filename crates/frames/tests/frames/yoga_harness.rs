//! Cross-check with the real Yoga: every screen in `tests/screens/` is laid out on every built-in
//! device both by `compute_frames` and by npm `yoga-layout` 3.2.1 configured as React Native
//! configures it (`yoga-harness/harness.mjs`), and every node's frame must agree within 0.5
//! device pixels.
//!
//! Text cannot be measured inside Yoga's harness (it has no font), so each text node is first
//! given a fixed `measured` size from our own font measurement; both engines then lay out the
//! same tree. The harness needs `node` and `npm ci` in `yoga-harness/` (see
//! `scripts/ci-setup.d/frames-yoga-harness.sh`); without them this test fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use hivesync_document::LayoutDocument;
use hivesync_frames::{
    DeviceProfile, FrameNode, Viewport, compute_frames, layout_json, layout_text,
};
use serde_json::{Value, json};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Replaces every text node's text by the size our font gives it at max-content.
fn text_to_measured(node: &mut Value) {
    if node.get("text").is_some() {
        let parsed = FrameNode::from_json(node).expect("valid node");
        let layout = layout_text(parsed.text.as_ref().expect("text"), None);
        let obj = node.as_object_mut().expect("object");
        obj.remove("text");
        obj.remove("numberOfLines");
        obj.insert(
            "measured".into(),
            json!({"width": layout.width, "height": layout.height}),
        );
        return;
    }
    if let Some(children) = node.get_mut("children").and_then(Value::as_array_mut) {
        children.iter_mut().for_each(text_to_measured);
    }
}

fn screens() -> Vec<(String, Value)> {
    let dir = manifest_dir().join("tests/screens");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("screens folder")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).expect("read screen"))
                .expect("screen JSON");
            (
                v["name"].as_str().expect("name").to_string(),
                v["root"].clone(),
            )
        })
        .collect()
}

fn run_harness(input: &Path) -> Value {
    let harness = manifest_dir().join("yoga-harness");
    assert!(
        harness.join("node_modules/yoga-layout").is_dir(),
        "yoga-layout is not installed: run scripts/ci-setup.d/frames-yoga-harness.sh (npm ci in {})",
        harness.display()
    );
    let output = Command::new("node")
        .arg(harness.join("harness.mjs"))
        .arg(input)
        .output()
        .expect("`node` must be installed to run the Yoga harness");
    assert!(
        output.status.success(),
        "harness failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("harness prints JSON")
}

/// Lays every case out with both engines and returns the disagreements (over 0.5 px) and the
/// number of frames compared. Each case: name, the harness-form tree, its viewport.
fn compare_with_yoga(cases: Vec<(String, Value, Viewport)>) -> (usize, Vec<String>) {
    let mut ours = Vec::new();
    let mut inputs = Vec::new();
    for (name, root, viewport) in cases {
        let tree = FrameNode::from_json(&root).expect("valid tree");
        ours.push((
            name.clone(),
            viewport.scale,
            compute_frames(&tree, viewport).expect("layout"),
        ));
        inputs.push(json!({
            "name": name,
            "viewport": {"width": viewport.width, "height": viewport.height, "scale": viewport.scale},
            "root": root,
        }));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("cases.json");
    std::fs::write(
        &input,
        serde_json::to_vec(&json!({"cases": inputs})).unwrap(),
    )
    .unwrap();
    let yoga = run_harness(&input);

    let mut compared = 0;
    let mut failures = Vec::new();
    for ((name, scale, frames), theirs) in ours.iter().zip(yoga["cases"].as_array().expect("cases"))
    {
        assert_eq!(theirs["name"].as_str(), Some(name.as_str()));
        let theirs = theirs["frames"].as_array().expect("frames");
        assert_eq!(theirs.len(), frames.len(), "{name}: node count");
        for (i, (a, b)) in frames.iter().zip(theirs).enumerate() {
            compared += 1;
            let off = |ours: f32, key: &str| {
                (f64::from(ours) - b[key].as_f64().unwrap()).abs() * f64::from(*scale)
            };
            let worst = off(a.x, "x")
                .max(off(a.y, "y"))
                .max(off(a.width, "width"))
                .max(off(a.height, "height"));
            if worst > 0.5 {
                failures.push(format!("{name} node {i}: ours {a:?}, yoga {b}"));
            }
        }
    }
    (compared, failures)
}

#[test]
fn every_screen_frame_agrees_with_real_yoga_within_half_a_pixel() {
    let devices = [
        DeviceProfile::IPHONE,
        DeviceProfile::ANDROID_PHONE,
        DeviceProfile::IPAD,
    ];
    let mut cases = Vec::new();
    for (name, mut root) in screens() {
        text_to_measured(&mut root);
        for device in &devices {
            cases.push((
                format!("{name}@{}", device.kind.as_str()),
                root.clone(),
                Viewport::from(device),
            ));
        }
    }
    assert!(
        cases.len() >= 18,
        "expected at least six screens on three devices"
    );
    let (compared, failures) = compare_with_yoga(cases);
    println!(
        "compared {compared} frames with yoga-layout, {} off by more than 0.5 px",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "frames that disagree with Yoga:\n{}",
        failures.join("\n")
    );
}

/// The compiler's fixture projects (crates/layout, insta snapshots of their Layout JSON).
fn compiler_documents() -> Vec<(String, LayoutDocument)> {
    let dir = manifest_dir().join("../layout/tests/snapshots");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "compiler fixture snapshots must exist at {}: {e}",
            dir.display()
        )
    });
    let mut docs = Vec::new();
    for entry in entries {
        let path = entry.expect("entry").path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // An insta snapshot: a `---` header block, then the value.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
        if let Ok(doc) = serde_json::from_str::<Value>(body)
            && doc["schema"] == "hivesync.layout/1"
        {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let doc = serde_json::from_value::<LayoutDocument>(doc)
                .unwrap_or_else(|e| panic!("{name} is not a Layout JSON document: {e}"));
            docs.push((name, doc));
        }
    }
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    docs
}

#[test]
fn compiler_fixture_documents_agree_with_real_yoga_within_half_a_pixel() {
    let docs = compiler_documents();
    assert!(
        !docs.is_empty(),
        "no Layout JSON documents among the compiler's fixture snapshots"
    );
    let cases = docs
        .into_iter()
        .map(|(name, doc)| {
            let tree = layout_json::frame_tree(
                &doc.root,
                doc.platform,
                &hivesync_frames::FontSet::bundled(),
            );
            (name, tree.to_harness_json(), Viewport::from(&doc.device))
        })
        .collect();
    let (compared, failures) = compare_with_yoga(cases);
    println!(
        "compared {compared} compiler-fixture frames with yoga-layout, {} off by more than 0.5 px",
        failures.len()
    );
    assert!(compared > 0);
    assert!(
        failures.is_empty(),
        "frames that disagree with Yoga:\n{}",
        failures.join("\n")
    );
}
