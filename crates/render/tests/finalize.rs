//! `finalize_document`: frames, content-addressed snapshots and rewritten asset tables.

use hivesync_render::layout_json::finalize_document;
use serde_json::{Value, json};

fn doc() -> Value {
    json!({
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
    })
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (be(16), be(20))
}

#[test]
fn snapshots_are_rendered_at_frame_size_content_addressed_and_relinked() {
    let mut d = doc();
    let (assets, warnings) =
        finalize_document(&mut d, &|id| format!("previews/s/assets/{id}.png")).unwrap();
    // Two identical maps share one asset; the empty Lottie gets its own and a warning.
    assert_eq!(assets.len(), 2);
    assert_eq!(png_size(&assets[0].png), (393 * 3, 200 * 3));
    assert_eq!(
        assets[0].asset_id,
        hivesync_render::asset_id(&assets[0].png)
    );
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["code"], "empty-snapshot-frame");
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
    d["assets"][0]["node_id"] = json!("nowhere");
    assert!(finalize_document(&mut d, &|id| id.to_owned()).is_err());
}
