//! Random trees in the React Native style vocabulary (fixed seed), laid out by both engines:
//! a broader net than the hand-written screens for taffy-vs-Yoga differences. The number of
//! trees that agree within 0.5 px on every node is a ratchet; disagreements are listed.

use std::path::PathBuf;
use std::process::Command;

use hivesync_frames::{FrameNode, Viewport, compute_frames};
use serde_json::{Map, Value, json};

/// Trees (of `TREES`) that must agree with Yoga on every frame.
const RATCHET: usize = 167;
const TREES: usize = 300;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn length(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0..=5 => json!(rng.below(120) as f64 + if rng.chance(20) { 0.5 } else { 0.0 }),
        6..=8 => json!(format!("{}%", rng.below(100) + 1)),
        _ => json!("auto"),
    }
}

fn style(rng: &mut Rng, depth: u32) -> Map<String, Value> {
    let mut s = Map::new();
    let set = |s: &mut Map<String, Value>, k: &str, v: Value| {
        s.insert(k.to_string(), v);
    };
    if rng.chance(35) {
        set(
            &mut s,
            "flexDirection",
            json!(rng.pick(&["row", "column", "row-reverse", "column-reverse"])),
        );
    }
    if rng.chance(25) {
        set(
            &mut s,
            "justifyContent",
            json!(rng.pick(&[
                "flex-start",
                "center",
                "flex-end",
                "space-between",
                "space-around",
                "space-evenly"
            ])),
        );
    }
    if rng.chance(25) {
        set(
            &mut s,
            "alignItems",
            json!(rng.pick(&["flex-start", "center", "flex-end", "stretch"])),
        );
    }
    if rng.chance(10) {
        set(
            &mut s,
            "alignSelf",
            json!(rng.pick(&["flex-start", "center", "flex-end", "stretch"])),
        );
    }
    if rng.chance(10) {
        set(&mut s, "flexWrap", json!("wrap"));
        if rng.chance(50) {
            set(
                &mut s,
                "alignContent",
                json!(rng.pick(&[
                    "flex-start",
                    "center",
                    "flex-end",
                    "stretch",
                    "space-between",
                    "space-around"
                ])),
            );
        }
    }
    for k in ["width", "height"] {
        if rng.chance(45) {
            set(&mut s, k, length(rng));
        }
    }
    for k in ["minWidth", "minHeight", "maxWidth", "maxHeight"] {
        if rng.chance(6) {
            let v = length(rng);
            // min/max take no `auto`
            set(&mut s, k, if v == "auto" { json!(50) } else { v });
        }
    }
    if rng.chance(20) {
        set(
            &mut s,
            "flex",
            json!(rng.below(3) as f64 + if rng.chance(30) { 0.5 } else { 0.0 }),
        );
    }
    if rng.chance(10) {
        set(&mut s, "flexGrow", json!(rng.below(3)));
    }
    if rng.chance(10) {
        set(&mut s, "flexShrink", json!(rng.below(2)));
    }
    if rng.chance(8) {
        set(&mut s, "flexBasis", length(rng));
    }
    for k in [
        "margin",
        "marginHorizontal",
        "marginTop",
        "marginStart",
        "padding",
        "paddingVertical",
        "paddingLeft",
        "paddingEnd",
    ] {
        if rng.chance(8) {
            set(&mut s, k, json!(rng.below(20)));
        }
    }
    if rng.chance(8) {
        set(&mut s, "borderWidth", json!(rng.below(5)));
    }
    if rng.chance(8) {
        set(&mut s, "gap", json!(rng.below(12)));
    }
    if rng.chance(8) {
        set(
            &mut s,
            "aspectRatio",
            json!(rng.pick(&["1", "1.5", "0.75"]).parse::<f64>().unwrap()),
        );
    }
    if depth > 0 && rng.chance(12) {
        set(&mut s, "position", json!("absolute"));
        for k in ["top", "left", "right", "bottom"] {
            if rng.chance(40) {
                set(&mut s, k, json!(rng.below(30)));
            }
        }
    } else if depth > 0 && rng.chance(5) {
        set(&mut s, "position", json!("static"));
    }
    if depth > 0 && rng.chance(4) {
        set(&mut s, "display", json!("none"));
    }
    s
}

fn tree(rng: &mut Rng, depth: u32) -> Value {
    let s = style(rng, depth);
    if depth >= 3 || rng.chance(30) {
        if rng.chance(40) {
            return json!({"style": s, "measured": {"width": rng.below(80) as f64 + 0.25, "height": rng.below(30) as f64 + 0.5}});
        }
        return json!({"style": s});
    }
    let n = rng.below(4) + 1;
    let children: Vec<Value> = (0..n).map(|_| tree(rng, depth + 1)).collect();
    json!({"style": s, "children": children})
}

#[test]
fn random_trees_agree_with_real_yoga() {
    let harness = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("yoga-harness");
    assert!(
        harness.join("node_modules/yoga-layout").is_dir(),
        "run scripts/ci-setup.d/frames-yoga-harness.sh"
    );
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let viewport = Viewport::new(393.0, 852.0, 3.0);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for i in 0..TREES {
        let root = tree(&mut rng, 0);
        let frames = compute_frames(&FrameNode::from_json(&root).unwrap(), viewport).unwrap();
        ours.push(frames);
        cases.push(json!({"name": format!("random-{i}"), "viewport": {"width": 393, "height": 852, "scale": 3}, "root": root}));
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cases.json");
    std::fs::write(
        &input,
        serde_json::to_vec(&json!({"cases": cases})).unwrap(),
    )
    .unwrap();
    let out = Command::new("node")
        .arg(harness.join("harness.mjs"))
        .arg(&input)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yoga: Value = serde_json::from_slice(&out.stdout).unwrap();

    let mut agree = 0;
    let mut failures = Vec::new();
    for (i, (frames, theirs)) in ours
        .iter()
        .zip(yoga["cases"].as_array().unwrap())
        .enumerate()
    {
        let theirs = theirs["frames"].as_array().unwrap();
        let bad: Vec<String> = frames
            .iter()
            .zip(theirs)
            .enumerate()
            .filter(|(_, (a, b))| {
                let off = |v: f32, k: &str| (f64::from(v) - b[k].as_f64().unwrap()).abs() * 3.0;
                off(a.x, "x")
                    .max(off(a.y, "y"))
                    .max(off(a.width, "width"))
                    .max(off(a.height, "height"))
                    > 0.5
            })
            .map(|(n, (a, b))| format!("node {n}: ours {a:?} yoga {b}"))
            .collect();
        if bad.is_empty() {
            agree += 1;
        } else {
            failures.push(format!(
                "random-{i}: {}\n    tree: {}",
                bad.join("; "),
                cases[i]["root"]
            ));
        }
    }
    println!("random trees agreeing with Yoga on every frame: {agree} of {TREES}");
    for f in &failures {
        println!("  {f}");
    }
    assert!(agree >= RATCHET, "{agree} < ratchet {RATCHET}");
}
