//! Frames for whole screens on an iPhone (393 x 852 pt at 3x): `feed` (29 nodes, a median
//! screen) and `checkout` (62 nodes, text-heavy). Run: cargo bench -p hivesync-frames

use criterion::{Criterion, criterion_group, criterion_main};
use hivesync_frames::{DeviceProfile, FrameNode, Viewport, compute_frames};
use serde_json::Value;

fn screen(name: &str) -> FrameNode {
    let path = format!("{}/tests/screens/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("screen")).expect("JSON");
    FrameNode::from_json(&v["root"]).expect("tree")
}

fn frames(c: &mut Criterion) {
    let viewport = Viewport::from(&DeviceProfile::IPHONE);
    for name in ["feed", "checkout"] {
        let tree = screen(name);
        c.bench_function(&format!("frames/{name}"), |b| {
            b.iter(|| compute_frames(std::hint::black_box(&tree), viewport).unwrap())
        });
    }
}

criterion_group!(benches, frames);
criterion_main!(benches);
