//! The compiler's fixture documents (crates/layout insta snapshots of Layout JSON), given
//! frames and rendered at their device size: the path `hivesync preview --render` takes.

use std::path::PathBuf;

use hivesync_document::{LayoutDocument, Node};
use hivesync_frames::layout_json::add_frames;
use hivesync_render::layout_json::render_document;
use hivesync_render::{Pixmap, SnapshotRequest, render_snapshot};
use serde_json::Value;

fn documents() -> Vec<(String, LayoutDocument)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../layout/tests/snapshots");
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
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
fn compiler_documents_render_at_their_device_size() {
    let docs = documents();
    assert!(!docs.is_empty(), "no compiler fixture documents found");
    let out_dir = std::env::var_os("RENDER_OUT").map(PathBuf::from);
    for (name, mut doc) in docs {
        add_frames(&mut doc, &hivesync_frames::FontSet::bundled()).expect("frames");
        let png = render_document(&doc, &|_| None).expect("renders");
        let p = Pixmap::decode_png(&png).unwrap();
        let px = |v: f64| (v * doc.device.scale).round() as u32;
        assert_eq!(
            (p.width(), p.height()),
            (px(doc.device.width), px(doc.device.height)),
            "{name}"
        );
        let inked = p
            .pixels()
            .iter()
            .step_by(7)
            .filter(|c| c.red() < 250 || c.green() < 250 || c.blue() < 250)
            .count();
        assert!(inked > 500, "{name} looks blank");
        if let Some(dir) = &out_dir {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        }
    }
}

fn has_visible_snapshot(node: &Node) -> bool {
    let visible = node.kind == "HS_ImageSnapshot"
        && node
            .frame
            .as_ref()
            .is_some_and(|f| f.width >= 1.0 && f.height >= 1.0);
    visible || node.children.iter().any(has_visible_snapshot)
}

#[test]
fn snapshot_assets_from_the_caller_are_drawn_in_place() {
    let reddish = |p: &Pixmap| {
        p.pixels()
            .iter()
            .filter(|c| c.red() > 200 && c.green() < 80 && c.blue() < 80)
            .count()
    };
    // A document with a visible snapshot and nothing red of its own.
    let doc = documents()
        .into_iter()
        .filter_map(|(_, mut d)| {
            add_frames(&mut d, &hivesync_frames::FontSet::bundled()).unwrap();
            if !has_visible_snapshot(&d.root) {
                return None;
            }
            let without = Pixmap::decode_png(&render_document(&d, &|_| None).unwrap()).unwrap();
            (reddish(&without) == 0).then_some(d)
        })
        .next()
        .expect("a document with a visible snapshot");
    let red = serde_json::json!({"backgroundColor": "#ff0000"});
    let png = render_snapshot(&SnapshotRequest {
        component: "Given",
        width: 10.0,
        height: 10.0,
        scale: 1.0,
        style: red.as_object(),
        picture: None,
        frame: None,
    })
    .unwrap()
    .png;
    let with = Pixmap::decode_png(&render_document(&doc, &|_| Some(png.clone())).unwrap()).unwrap();
    assert!(reddish(&with) > 1000, "the caller's snapshot PNG is drawn");
}

#[test]
fn finalized_documents_round_trip_byte_for_byte() {
    for (name, mut doc) in documents() {
        hivesync_render::layout_json::finalize_document(
            &mut doc,
            &hivesync_frames::FontSet::bundled(),
            &|id| format!("previews/{name}/assets/{id}.png"),
        )
        .expect("finalizes");
        let written = serde_json::to_string(&doc).unwrap();
        let read: LayoutDocument =
            serde_json::from_str(&written).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(read, doc, "{name}: read differently than written");
        assert_eq!(serde_json::to_string(&read).unwrap(), written, "{name}");
    }
}
