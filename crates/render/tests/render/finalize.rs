//! `finalize_document` / `prepare_document`: frames, snapshots sized (clipped to the screen and
//! the pixel budget) before any is drawn, content-addressed PNGs and rewritten asset tables.

use hivesync_document::{DeviceProfile, LayoutDocument, Node, PropertyMap};
use hivesync_frames::Cancel;
use hivesync_render::layout_json::{
    SnapshotLimits, finalize_document, prepare_document, render_document, snapshot_area,
};
use hivesync_render::{Pixmap, RenderError};
use serde_json::{Value, json};

/// An iPhone document from the parts these tests set (`platform`, `root`, `assets`).
fn document(mut parts: Value) -> LayoutDocument {
    parts["screen_id"] = json!("s");
    parts["screen_name"] = json!("S");
    parts["device"] = json!(DeviceProfile::IPHONE);
    parts["source"] = json!({"entry_file": "App.tsx", "component": "App", "content_hash": "0"});
    serde_json::from_value(parts).expect("a Layout JSON document")
}

/// The document as JSON, to read it the way a client does.
fn json_of(d: &LayoutDocument) -> Value {
    serde_json::to_value(d).unwrap()
}

fn doc() -> LayoutDocument {
    document(json!({
        "schema": "hivesync.layout/1",
        "platform": "ios",
        "device": {"width": 393.0, "height": 852.0, "scale": 3.0},
        "root": {"id": "root", "type": "View", "style": {"flex": 1}, "children": [
            {"id": "map", "type": "HS_ImageSnapshot", "style": {"height": 200, "backgroundColor": "#dde"},
             "snapshot": {"asset_id": "a1", "component": "MapView", "reason": "native"}},
            {"id": "map2", "type": "HS_ImageSnapshot", "style": {"height": 200, "backgroundColor": "#dde"},
             "snapshot": {"asset_id": "a2", "component": "MapView", "reason": "native"}},
            {"id": "lottie", "type": "HS_ImageSnapshot", "style": {},
             "snapshot": {"asset_id": "a3", "component": "LottieView", "reason": "native"}}
        ]},
        "assets": [
            {"id": "a1", "kind": "snapshot", "storage_key": "x", "node_id": "map", "component": "MapView", "scale": 3.0},
            {"id": "a2", "kind": "snapshot", "storage_key": "x", "node_id": "map2", "component": "MapView", "scale": 3.0},
            {"id": "a3", "kind": "snapshot", "storage_key": "x", "node_id": "lottie", "component": "LottieView", "scale": 3.0}
        ]
    }))
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (be(16), be(20))
}

#[test]
fn snapshots_are_rendered_at_frame_size_content_addressed_and_relinked() {
    let mut d = doc();
    let (assets, warnings) =
        finalize_document(&mut d, &hivesync_frames::FontSet::bundled(), &|id| {
            format!("previews/s/assets/{id}.png")
        })
        .unwrap();
    let d = json_of(&d);
    // Two identical maps share one asset; the empty Lottie gets its own and a warning.
    assert_eq!(assets.len(), 2);
    assert_eq!(png_size(&assets[0].png), (393 * 3, 200 * 3));
    assert_eq!(
        assets[0].asset_id,
        hivesync_render::asset_id(&assets[0].png)
    );
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "empty-snapshot-frame");
    let table = d["assets"].as_array().unwrap();
    assert_eq!(table[0]["id"], table[1]["id"]);
    assert_eq!(
        table[0]["storage_key"],
        format!("previews/s/assets/{}.png", assets[0].asset_id)
    );
    assert_eq!(
        d["root"]["children"][0]["snapshot"]["asset_id"],
        assets[0].asset_id.as_str()
    );
    assert_eq!(d["root"]["children"][0]["frame"]["height"], 200.0);
    assert!(
        d["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "empty-snapshot-frame")
    );
}

#[test]
fn a_missing_snapshot_node_is_an_error_not_a_guess() {
    let mut d = doc();
    d.assets[0].node_id = "nowhere".into();
    assert!(
        finalize_document(&mut d, &hivesync_frames::FontSet::bundled(), &|id| id
            .to_owned())
        .is_err()
    );
}

/// An iPhone document with a header and a `MapView` styled `width`/`height` points.
fn big_map(width: f64, height: f64) -> LayoutDocument {
    document(json!({
        "schema": "hivesync.layout/1",
        "platform": "ios",
        "device": {"width": 393.0, "height": 852.0, "scale": 3.0},
        "root": {"id": "root", "type": "View", "style": {"width": 393, "height": 852}, "children": [
            {"id": "head", "type": "View", "style": {"height": 100, "backgroundColor": "#223344"}},
            {"id": "map", "type": "HS_ImageSnapshot", "style": {"width": width, "height": height, "backgroundColor": "#ccddee"},
             "snapshot": {"asset_id": "a1", "component": "MapView", "reason": "native"}}
        ]},
        "assets": [
            {"id": "a1", "kind": "snapshot", "storage_key": "x", "node_id": "map", "component": "MapView", "scale": 3.0}
        ]
    }))
}

#[test]
fn a_snapshot_larger_than_the_screen_is_clipped_to_it_not_refused() {
    // 3,800 points square at 3x was a 11,400 x 11,400 pixel image (about 500 MiB to draw).
    let mut d = big_map(3800.0, 3800.0);
    let (assets, warnings) =
        finalize_document(&mut d, &hivesync_frames::FontSet::bundled(), &|id| {
            id.to_owned()
        })
        .unwrap();
    let d = json_of(&d);
    assert_eq!(png_size(&assets[0].png), (393 * 3, 852 * 3));
    assert_eq!(
        d["assets"][0]["size"],
        json!({"width": 393.0, "height": 852.0})
    );
    assert_eq!(d["root"]["children"][1]["frame"]["width"], 3800.0);
    assert_eq!(warnings[0].code, "snapshot-clipped");
    assert!(
        warnings[0]
            .message
            .contains("3800x3800 points; its snapshot covers its top-left 393x852 points"),
        "{:?}",
        warnings[0]
    );

    // A snapshot within the screen is drawn whole, as before.
    let mut d = big_map(200.0, 100.0);
    let (assets, warnings) =
        finalize_document(&mut d, &hivesync_frames::FontSet::bundled(), &|id| {
            id.to_owned()
        })
        .unwrap();
    assert_eq!(png_size(&assets[0].png), (600, 300));
    assert!(warnings.is_empty());
}

#[test]
fn a_snapshot_over_its_pixel_budget_keeps_its_width_and_loses_rows() {
    let mut d = big_map(393.0, 700.0);
    let limits = SnapshotLimits {
        max_pixels: 1179 * 1000,
    };
    let plan = prepare_document(
        &mut d,
        limits,
        &hivesync_frames::FontSet::bundled(),
        &Cancel::new(),
    )
    .unwrap();
    assert_eq!((plan.count(), plan.pixels()), (1, 1179 * 1000));
    let (assets, warnings) = plan
        .render(&mut d, &|id| id.to_owned(), &Cancel::new())
        .unwrap();
    assert_eq!(png_size(&assets[0].png), (1179, 1000));
    let d = json_of(&d);
    let size = &d["assets"][0]["size"];
    assert_eq!(size["width"], 393.0);
    assert!(
        (size["height"].as_f64().unwrap() - 1000.0 / 3.0).abs() < 1e-3,
        "{size}"
    );
    assert!(
        warnings[0].message.contains("at most 1179000 pixels"),
        "{:?}",
        warnings[0]
    );
    assert_eq!(
        snapshot_area((393.0, 700.0), (393.0, 852.0), 3.0, 1179 * 1000),
        (393.0, 1000.0 / 3.0)
    );
    // Narrower than one row of the budget: whole rows, at least one.
    assert_eq!(
        snapshot_area((393.0, 700.0), (393.0, 852.0), 3.0, 10).0,
        10.0 / 3.0
    );
}

#[test]
fn snapshots_are_counted_and_sized_before_any_is_drawn_and_drawing_stops_when_cancelled() {
    // The two identical maps are drawn once; the empty Lottie once.
    let mut d = doc();
    let plan = prepare_document(
        &mut d,
        SnapshotLimits::SCREEN,
        &hivesync_frames::FontSet::bundled(),
        &Cancel::new(),
    )
    .unwrap();
    assert_eq!(plan.count(), 2);
    // The Lottie's empty frame (393 x 0) is drawn 393 x 1.
    assert_eq!(plan.pixels(), 393 * 3 * 200 * 3 + 393 * 3 * 3);
    let cancel = Cancel::new();
    cancel.cancel();
    assert!(matches!(
        plan.render(&mut d, &|id| id.to_owned(), &cancel),
        Err(RenderError::Cancelled)
    ));
}

#[test]
fn a_clipped_snapshot_is_drawn_over_the_part_of_its_frame_it_covers() {
    let mut d = big_map(393.0, 3000.0);
    let (assets, _) = finalize_document(&mut d, &hivesync_frames::FontSet::bundled(), &|id| {
        id.to_owned()
    })
    .unwrap();
    let png = render_document(&d, &|id| {
        assets
            .iter()
            .find(|a| a.asset_id == id)
            .map(|a| a.png.clone())
    })
    .unwrap();
    if let Some(dir) = std::env::var_os("RENDER_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("clipped-map.png"), &png).unwrap();
    }
    let p = Pixmap::decode_png(&png).unwrap();
    // The map starts under the header and runs past the screen: its background shows
    // between the hatch lines (a pixel just right of a line's top end).
    let at = |x: u32, y: u32| p.pixel(x, y).unwrap();
    let head = at(10, 10);
    assert_eq!((head.red(), head.green(), head.blue()), (0x22, 0x33, 0x44));
    let map = (0..40)
        .map(|dx| at(600 + dx, 1500))
        .filter(|c| (c.red(), c.green(), c.blue()) == (0xcc, 0xdd, 0xee))
        .count();
    assert!(map > 20, "map background shown: {map}");
}

/// Drops a node tree of single children without recursion (a node's drop recurses once per
/// level).
fn drop_flat(mut node: Node) {
    while let Some(child) = node.children.pop() {
        node = child;
    }
}

fn style(value: Value) -> PropertyMap {
    PropertyMap::from(value.as_object().cloned().unwrap())
}

#[test]
fn a_document_thousands_of_levels_deep_renders_on_a_blocking_thread_stack() {
    let levels = 3_000;
    let png = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut node = Node::new("View");
            node.id = "leaf".into();
            node.style = style(json!({"flex": 1, "backgroundColor": "#00ff00"}));
            let level = style(json!({"flex": 1, "paddingTop": 0.1}));
            for i in 0..levels {
                let mut parent = Node::new("View");
                parent.id = format!("n{i}");
                parent.style = level.clone();
                parent.children.push(node);
                node = parent;
            }
            let mut d = big_map(10.0, 10.0);
            d.root.children[0].children.push(node);
            let (assets, _) =
                finalize_document(&mut d, &hivesync_frames::FontSet::bundled(), &|id| {
                    id.to_owned()
                })
                .unwrap();
            let png = render_document(&d, &|_| None).unwrap();
            drop_flat(d.root.children.swap_remove(0));
            assert_eq!(assets.len(), 1);
            png
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(Pixmap::decode_png(&png).is_ok());
}
