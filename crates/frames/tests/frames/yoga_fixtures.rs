//! Replays Yoga's own generated layout cases (answered by React Native's Yoga: yoga-layout 3.2.1,
//! `Errata.All`) through `compute_frames` and compares every node's frame.
//!
//! The fixture file lives in the shared folder beside the repository; a missing file fails the
//! test. The matched counts are a ratchet: they may only go up. Set `FIXTURE_CASE=name` to print
//! the expected and actual frames of one case.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hivesync_frames::{Frame, FrameNode, Viewport, compute_frames};
use serde_json::{Map, Value, json};

/// Comparable LTR cases that must match (taffy with Yoga defaults alone matched 468 of 517).
const LTR_RATCHET: usize = 524;
/// Comparable RTL cases that must match.
const RTL_RATCHET: usize = 524;

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/yoga-fixtures/rn-errata-all.json")
}

fn kebab(v: &str) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn edge_key(prefix: &str, suffix: &str, edge: &str) -> String {
    match edge {
        "All" => format!("{prefix}{suffix}"),
        e => format!("{prefix}{e}{suffix}"),
    }
}

/// Why a case cannot be replayed, or the style map its setter calls describe.
fn style_of(calls: &[Value]) -> Result<Map<String, Value>, String> {
    let mut style = Map::new();
    for call in calls {
        let call = call.as_array().ok_or("call is not an array")?;
        let name = call[0].as_str().ok_or("call name")?;
        let a = call.get(1).cloned().unwrap_or(Value::Null);
        let b = call.get(2).cloned().unwrap_or(Value::Null);
        let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let (key, value) = match name {
            "setWidth" => ("width".into(), a),
            "setHeight" => ("height".into(), a),
            "setMinWidth" => ("minWidth".into(), a),
            "setMinHeight" => ("minHeight".into(), a),
            "setMaxWidth" => ("maxWidth".into(), a),
            "setMaxHeight" => ("maxHeight".into(), a),
            "setFlexBasis" => ("flexBasis".into(), a),
            "setFlexGrow" => ("flexGrow".into(), a),
            "setFlexShrink" => ("flexShrink".into(), a),
            "setAspectRatio" => ("aspectRatio".into(), a),
            "setPositionType" => ("position".into(), json!(kebab(&s(&a)))),
            "setFlexDirection" => ("flexDirection".into(), json!(kebab(&s(&a)))),
            "setFlexWrap" => ("flexWrap".into(), json!(kebab(&s(&a)))),
            "setAlignItems" => ("alignItems".into(), json!(kebab(&s(&a)))),
            "setAlignSelf" => ("alignSelf".into(), json!(kebab(&s(&a)))),
            "setAlignContent" => ("alignContent".into(), json!(kebab(&s(&a)))),
            "setJustifyContent" => ("justifyContent".into(), json!(kebab(&s(&a)))),
            "setOverflow" => ("overflow".into(), json!(kebab(&s(&a)))),
            "setBoxSizing" => ("boxSizing".into(), json!(kebab(&s(&a)))),
            "setDisplay" => ("display".into(), json!(kebab(&s(&a)))),
            "setMargin" => (edge_key("margin", "", &s(&a)), b),
            "setPadding" => (edge_key("padding", "", &s(&a)), b),
            "setBorder" => (edge_key("border", "Width", &s(&a)), b),
            "setPosition" | "setPositionAuto" => {
                let value = if name == "setPositionAuto" {
                    json!("auto")
                } else {
                    b
                };
                let key = match s(&a).as_str() {
                    "All" => "inset".to_string(),
                    "Horizontal" => "insetInline".to_string(),
                    "Vertical" => "insetBlock".to_string(),
                    e => e.to_ascii_lowercase(),
                };
                (key, value)
            }
            "setGap" => {
                let key = match s(&a).as_str() {
                    "All" => "gap",
                    "Column" => "columnGap",
                    "Row" => "rowGap",
                    other => return Err(format!("unknown gutter {other}")),
                };
                (key.into(), b)
            }
            other => return Err(format!("unsupported setter {other}")),
        };
        style.insert(key, value);
    }
    Ok(style)
}

fn build(
    id: u64,
    by_id: &BTreeMap<u64, &Value>,
    order: &mut Vec<u64>,
) -> Result<FrameNode, String> {
    let node = by_id.get(&id).ok_or("missing node")?;
    order.push(id);
    let style = style_of(node["calls"].as_array().ok_or("calls")?)?;
    let mut children = Vec::new();
    for child in node["children"].as_array().ok_or("children")? {
        children.push(build(child.as_u64().ok_or("child id")?, by_id, order)?);
    }
    Ok(FrameNode::new(style, children))
}

fn frame_matches(actual: &Frame, expected: &Value) -> bool {
    let close = |a: f32, key: &str| {
        expected[key]
            .as_f64()
            .is_some_and(|e| (f64::from(a) - e).abs() < 0.01)
    };
    close(actual.x, "left")
        && close(actual.y, "top")
        && close(actual.width, "width")
        && close(actual.height, "height")
}

#[derive(Default)]
struct Tally {
    comparable: usize,
    matched: usize,
    failures: Vec<String>,
}

#[test]
fn yoga_generated_cases_match_react_natives_yoga() {
    let path = fixture_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "Yoga fixture file {} must exist (committed with this crate): {e}",
            path.display()
        )
    });
    let cases: Vec<Value> = serde_json::from_str(&text).expect("fixture JSON parses");
    assert!(
        cases.len() >= 500,
        "expected the full Yoga case set, got {}",
        cases.len()
    );
    let only = std::env::var("FIXTURE_CASE").ok();

    let mut ltr = Tally::default();
    let mut rtl = Tally::default();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let skip = if case["disabled"].as_bool() == Some(true) {
            Some("disabled in Yoga".to_string())
        } else if case["measure"].as_bool() == Some(true) {
            Some("needs a measure function".to_string())
        } else if case["config"].as_array().is_some_and(|c| !c.is_empty()) {
            Some("experimental Yoga feature".to_string())
        } else {
            None
        };
        if let Some(reason) = skip {
            *skipped.entry(reason).or_default() += 1;
            continue;
        }
        let nodes = case["nodes"].as_array().expect("nodes");
        let by_id: BTreeMap<u64, &Value> = nodes
            .iter()
            .map(|n| (n["id"].as_u64().unwrap(), n))
            .collect();
        let root_id = nodes[0]["id"].as_u64().unwrap();
        let mut order = Vec::new();
        let root = match build(root_id, &by_id, &mut order) {
            Ok(root) => root,
            Err(reason) => {
                *skipped.entry(reason).or_default() += 1;
                continue;
            }
        };
        for pass in case["passes"].as_array().expect("passes") {
            let direction = pass["direction"].as_str().unwrap_or("LTR");
            let mut root = root.clone();
            root.style
                .insert("direction".into(), json!(direction.to_ascii_lowercase()));
            let viewport = Viewport {
                width: pass["width"].as_f64().map(|v| v as f32),
                height: pass["height"].as_f64().map(|v| v as f32),
                scale: 1.0,
            };
            let frames = compute_frames(&root, viewport).expect("layout");
            let expected = &pass["expected"];
            let ok = order
                .iter()
                .zip(&frames)
                .all(|(id, f)| frame_matches(f, &expected[id.to_string()]));
            let tally = if direction == "RTL" {
                &mut rtl
            } else {
                &mut ltr
            };
            tally.comparable += 1;
            if ok {
                tally.matched += 1;
            } else {
                tally
                    .failures
                    .push(format!("{}::{name}", case["file"].as_str().unwrap_or("?")));
            }
            if only.is_some() {
                for (id, f) in order.iter().zip(&frames) {
                    println!(
                        "{direction} node {id}: expected {} got {f:?}",
                        expected[id.to_string()]
                    );
                }
            }
        }
    }

    println!("skipped cases: {skipped:?}");
    for (label, t) in [("LTR", &ltr), ("RTL", &rtl)] {
        println!(
            "{label}: matched {} of {} comparable passes",
            t.matched, t.comparable
        );
        for f in &t.failures {
            println!("  {label} mismatch: {f}");
        }
    }
    if only.is_none() {
        assert!(
            ltr.matched >= LTR_RATCHET,
            "LTR matched {} < ratchet {LTR_RATCHET}",
            ltr.matched
        );
        assert!(
            rtl.matched >= RTL_RATCHET,
            "RTL matched {} < ratchet {RTL_RATCHET}",
            rtl.matched
        );
    }
}
