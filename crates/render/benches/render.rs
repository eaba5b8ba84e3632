//! Full-screen renders at 3x (1179 x 2556 px) of laid-out screens, with and without PNG
//! encoding, and one placeholder snapshot. Run: cargo bench -p hivesync-render

use criterion::{Criterion, criterion_group, criterion_main};
use hivesync_frames::{DeviceProfile, Viewport};
use hivesync_render::{
    RenderNode, Screen, SnapshotRequest, render_screen, render_screen_pixmap, render_snapshot,
};
use serde_json::Value;

fn screen(name: &str) -> RenderNode {
    let path = format!(
        "{}/../frames/tests/screens/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("screen")).expect("JSON");
    RenderNode::from_json_laid_out(&v["root"], Viewport::from(&DeviceProfile::IPHONE))
        .expect("tree")
}

fn render(c: &mut Criterion) {
    let d = DeviceProfile::IPHONE;
    let target = Screen::new(d.width as f32, d.height as f32, d.scale as f32);
    for name in ["feed", "checkout"] {
        let tree = screen(name);
        c.bench_function(&format!("render_pixels/{name}@3x"), |b| {
            b.iter(|| render_screen_pixmap(std::hint::black_box(&tree), target).unwrap())
        });
        c.bench_function(&format!("render_png/{name}@3x"), |b| {
            b.iter(|| render_screen(std::hint::black_box(&tree), target).unwrap())
        });
    }
    let request = SnapshotRequest {
        component: "MapView",
        width: 361.0,
        height: 200.0,
        scale: 3.0,
        style: None,
        picture: None,
        frame: None,
    };
    c.bench_function("snapshot/MapView_361x200@3x", |b| {
        b.iter(|| render_snapshot(std::hint::black_box(&request)).unwrap())
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
