//! The documents are complete for a device's Yoga: every fixture project's screens, compiled for
//! each built-in device and given frames by `hivesync-frames`, are laid out again by stock Yoga
//! (npm `yoga-layout` 3.2.1 configured as React Native configures it, the harness in
//! `crates/frames/yoga-harness/`) from the document's JSON alone: each node's `style`, its
//! children, and for a measured leaf its `measured` size. Every frame must agree with the
//! document's within 0.5 device pixels. The harness needs `node` and
//! `scripts/ci-setup.d/frames-yoga-harness.sh`; without them this test fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use hivesync_frames::FontSet;
use hivesync_frames::layout_json::add_frames;
use hivesync_layout::{DeviceKind, TargetPlatform};
use serde_json::{Value, json};

use crate::fixtures::compile_fixture;

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../frames/yoga-harness")
}

/// A document node as the harness takes it, from the node's JSON only.
fn harness_node(node: &Value) -> Value {
    let mut out = json!({"style": node.get("style").cloned().unwrap_or(json!({}))});
    if let Some(m) = node.get("measured") {
        out["measured"] = m.clone();
        return out;
    }
    let children: Vec<Value> = node
        .get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(harness_node)
        .collect();
    out["children"] = Value::Array(children);
    out
}

/// The document's own frames in the harness's order (pre-order, a measured leaf's children
/// left out), with each node's id and type for the failure message.
fn document_frames(node: &Value, out: &mut Vec<(String, Value)>) {
    let label = format!(
        "{} {}",
        node["type"].as_str().unwrap_or("?"),
        node["id"].as_str().unwrap_or("?")
    );
    out.push((label, node["frame"].clone()));
    if node.get("measured").is_some() {
        return;
    }
    for c in node
        .get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        document_frames(c, out);
    }
}

fn fixture_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn stock_yoga_over_the_document_json_reproduces_every_fixture_frame() {
    assert!(
        harness_dir().join("node_modules/yoga-layout").is_dir(),
        "yoga-layout is not installed: run scripts/ci-setup.d/frames-yoga-harness.sh"
    );
    let targets = [
        (TargetPlatform::Ios, DeviceKind::Iphone),
        (TargetPlatform::Ios, DeviceKind::Ipad),
        (TargetPlatform::Android, DeviceKind::AndroidPhone),
    ];
    let mut cases = Vec::new();
    let mut expected = Vec::new();
    for name in fixture_names() {
        for (platform, device) in targets {
            let out = compile_fixture(&name, platform, device);
            for screen in out.screens {
                let mut doc = screen.document;
                add_frames(&mut doc, &FontSet::bundled()).expect("frames");
                let json = serde_json::to_value(&doc).expect("document JSON");
                let case = format!("{name}/{}@{}", screen.id, device.as_str());
                let mut frames = Vec::new();
                document_frames(&json["root"], &mut frames);
                cases.push(json!({
                    "name": case,
                    "viewport": {
                        "width": json["device"]["width"],
                        "height": json["device"]["height"],
                        "scale": json["device"]["scale"],
                    },
                    "root": harness_node(&json["root"]),
                }));
                expected.push((case, json["device"]["scale"].as_f64().unwrap(), frames));
            }
        }
    }
    assert!(
        cases.len() >= 60,
        "expected the fixtures' screens on three devices"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("cases.json");
    std::fs::write(
        &input,
        serde_json::to_vec(&json!({"cases": cases})).unwrap(),
    )
    .unwrap();
    let output = Command::new("node")
        .arg(harness_dir().join("harness.mjs"))
        .arg(&input)
        .output()
        .expect("`node` must be installed to run the Yoga harness");
    assert!(
        output.status.success(),
        "harness failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let yoga: Value = serde_json::from_slice(&output.stdout).expect("harness prints JSON");

    let (mut compared, mut failures) = (0, Vec::new());
    for ((case, scale, ours), theirs) in expected.iter().zip(yoga["cases"].as_array().unwrap()) {
        let theirs = theirs["frames"].as_array().expect("frames");
        assert_eq!(theirs.len(), ours.len(), "{case}: node count");
        for ((label, a), b) in ours.iter().zip(theirs) {
            compared += 1;
            let worst = ["x", "y", "width", "height"]
                .iter()
                .map(|k| (a[k].as_f64().unwrap() - b[k].as_f64().unwrap()).abs() * scale)
                .fold(0.0, f64::max);
            if worst > 0.5 {
                failures.push(format!("{case} {label}: document {a}, yoga {b}"));
            }
        }
    }
    println!(
        "{} screens, {compared} frames compared with yoga-layout, {} off by more than 0.5 px",
        expected.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {compared} frames disagree with stock Yoga:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
