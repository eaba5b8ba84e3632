//! What React Native adds around components is in the document (docs/layout-json.md, "What
//! React Native adds around components"): scroll views' base style and content container,
//! `VirtualizedList` cells, `numColumns` rows, header and footer wrappers, safe-area insets of
//! both `SafeAreaView`s, and an `Image`'s natural size as its style. Fixture `rn-containers`.

use hivesync_layout::{DeviceKind, TargetPlatform};
use serde_json::{Value, json};

use crate::fixtures::{compile_fixture, snapshot_all};
use crate::texts_of;

fn screen(platform: TargetPlatform, device: DeviceKind, id: &str) -> Value {
    let out = compile_fixture("rn-containers", platform, device);
    if (platform, device) == (TargetPlatform::Ios, DeviceKind::Iphone) {
        snapshot_all("rn-containers", &out);
    }
    let s = out.screens.iter().find(|s| s.id == id).expect("screen");
    serde_json::to_value(&s.document.root).unwrap()
}

/// The first node of `kind` in pre-order.
fn find<'v>(n: &'v Value, kind: &str) -> Option<&'v Value> {
    if n["type"] == kind {
        return Some(n);
    }
    n["children"].as_array()?.iter().find_map(|c| find(c, kind))
}

fn kids(n: &Value) -> &Vec<Value> {
    n["children"].as_array().expect("children")
}

#[test]
fn a_grid_list_has_its_content_container_header_cells_rows_separators_and_footer() {
    let root = screen(TargetPlatform::Ios, DeviceKind::Iphone, "catalog");
    // safe-area-context's SafeAreaView with edges={['top']}: the top inset, nothing else.
    let safe = find(&root, "SafeAreaView").expect("safe area view");
    assert_eq!(safe["style"]["paddingTop"], 59);
    assert!(safe["style"].get("paddingBottom").is_none());
    assert_eq!(safe["props"]["safeAreaInsets"], json!({"top": 59}));

    let list = &kids(safe)[0];
    assert_eq!(list["type"], "FlatList");
    for (k, v) in [
        ("flexGrow", json!(1)),
        ("flexShrink", json!(1)),
        ("flexDirection", json!("column")),
        ("overflow", json!("scroll")),
    ] {
        assert_eq!(list["style"][k], v, "{k}");
    }
    // One child: the content container, styled by contentContainerStyle.
    assert_eq!(kids(list).len(), 1);
    let content = &kids(list)[0];
    assert_eq!(content["props"]["contentContainer"], true);
    assert_eq!(content["style"]["paddingTop"], 16);
    assert_eq!(content["style"]["paddingLeft"], 16);
    assert!(list["props"].get("contentContainerStyle").is_none());

    // Header wrapper, three rows of two (the last has one), footer wrapper.
    let cells = kids(content);
    assert_eq!(cells.len(), 5, "header, 3 rows, footer");
    assert_eq!(cells[0]["style"], json!({"marginBottom": 12}));
    assert_eq!(texts_of_json(&cells[0])[0], "Catalog");
    for (i, cell) in cells[1..4].iter().enumerate() {
        let row = &kids(cell)[0];
        assert_eq!(
            row["style"],
            json!({"columnGap": 12, "flexDirection": "row", "rowGap": 12})
        );
        assert_eq!(kids(row).len(), if i < 2 { 2 } else { 1 });
        // A separator after every row but the last, inside the row's cell.
        assert_eq!(kids(cell).len(), if i < 2 { 2 } else { 1 }, "row {i}");
        if i < 2 {
            assert_eq!(kids(cell)[1]["style"], json!({"height": 12}));
        }
    }
    assert_eq!(texts_of_json(&cells[4]), vec!["5 products"]);

    // The horizontal category list in the header: row base style, row content container,
    // row cells, a separator after each chip but the last.
    let chips = find(&cells[0], "FlatList").expect("chips");
    assert_eq!(chips["style"]["flexDirection"], "row");
    let chip_content = &kids(chips)[0];
    assert_eq!(chip_content["style"]["flexDirection"], "row");
    assert_eq!(chip_content["style"]["paddingTop"], 4);
    let chip_cells = kids(chip_content);
    assert_eq!(chip_cells.len(), 4);
    for (i, cell) in chip_cells.iter().enumerate() {
        assert_eq!(cell["style"], json!({"flexDirection": "row"}));
        assert_eq!(kids(cell).len(), if i < 3 { 2 } else { 1 });
    }
}

/// The texts below a JSON node, in order.
fn texts_of_json(n: &Value) -> Vec<String> {
    let node: hivesync_layout::document::Node = serde_json::from_value(n.clone()).unwrap();
    texts_of(&node)
}

#[test]
fn a_section_list_puts_headers_and_items_in_cells_and_separators_within_sections() {
    let root = screen(TargetPlatform::Ios, DeviceKind::Iphone, "settings");
    // React Native's own SafeAreaView on iOS: every edge is its inset, in place of the
    // style's padding (paddingTop: 100 is replaced).
    let safe = find(&root, "SafeAreaView").unwrap();
    assert_eq!(safe["style"]["paddingTop"], 59);
    assert_eq!(safe["style"]["paddingBottom"], 34);
    assert_eq!(safe["style"]["paddingLeft"], 0);
    let list = &kids(safe)[0];
    let cells = kids(&kids(list)[0]);
    // Account header, 2 items, Notifications header, 3 items.
    assert_eq!(cells.len(), 7);
    let texts: Vec<Vec<String>> = cells.iter().map(texts_of_json).collect();
    assert_eq!(texts[0], vec!["Account"]);
    assert_eq!(texts[3], vec!["Notifications"]);
    // Separators between items of a section: after Profile, Push, Email; not after the
    // last item of a section.
    let separated: Vec<bool> = cells.iter().map(|c| kids(c).len() == 2).collect();
    assert_eq!(
        separated,
        vec![false, true, false, false, true, true, false]
    );
}

#[test]
fn android_has_no_core_safe_area_and_the_insets_of_its_profile() {
    let settings = screen(
        TargetPlatform::Android,
        DeviceKind::AndroidPhone,
        "settings",
    );
    let safe = find(&settings, "SafeAreaView").unwrap();
    // React Native's SafeAreaView is a plain View on Android: its own padding stays.
    assert_eq!(safe["style"]["paddingTop"], 100);
    assert!(safe["props"].get("safeAreaInsets").is_none());
    let catalog = screen(TargetPlatform::Android, DeviceKind::AndroidPhone, "catalog");
    let safe = find(&catalog, "SafeAreaView").unwrap();
    assert_eq!(safe["style"]["paddingTop"], 24);
}

#[test]
fn an_image_without_a_style_size_takes_its_natural_size_as_style() {
    let out = compile_fixture("image-assets", TargetPlatform::Ios, DeviceKind::Iphone);
    let s = out.screens.iter().find(|s| s.id == "profile").unwrap();
    let root = serde_json::to_value(&s.document.root).unwrap();
    let photo = find(&root, "ScrollView")
        .and_then(|sv| {
            kids(&kids(sv)[0])
                .iter()
                .find(|n| n["type"] == "Image" && n["style"]["height"] == 200)
        })
        .expect("the trips photo");
    // `photo` sets only a height: the width is the picture's natural width in points.
    assert_eq!(photo["style"]["width"], photo["props"]["source"]["width"]);
    assert_eq!(photo["style"]["height"], 200);
}
