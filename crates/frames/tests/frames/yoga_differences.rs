//! One test per place where taffy's CSS behaviour differs from React Native's Yoga and
//! `hivesync-frames` does it Yoga's way (see docs/frames.md). Expected values are Yoga's
//! (yoga-layout 3.2.1 with `Errata.All`), checked with the Node harness in `yoga-harness/`.

use hivesync_frames::{Frame, FrameNode, Viewport, compute_frames};
use serde_json::{Value, json};

fn frames(tree: Value, viewport: Viewport) -> Vec<Frame> {
    compute_frames(&FrameNode::from_json(&tree).expect("valid tree"), viewport).expect("layout")
}

fn unconstrained() -> Viewport {
    Viewport {
        width: None,
        height: None,
        scale: 1.0,
    }
}

fn f(x: f32, y: f32, width: f32, height: f32) -> Frame {
    Frame {
        x,
        y,
        width,
        height,
    }
}

#[test]
fn absolute_child_without_insets_ignores_parent_padding() {
    let out = frames(
        json!({"style": {"width": 200, "height": 200, "padding": 30}, "children": [
            {"style": {"position": "absolute", "width": 50, "height": 50}}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[1], f(0.0, 0.0, 50.0, 50.0));
}

#[test]
fn absolute_child_is_placed_by_its_parents_justify_and_align() {
    let out = frames(
        json!({"style": {"width": 200, "height": 100, "justifyContent": "center", "alignItems": "flex-end"}, "children": [
            {"style": {"position": "absolute", "width": 50, "height": 20}}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[1], f(150.0, 40.0, 50.0, 20.0));
}

#[test]
fn static_parent_is_not_a_containing_block() {
    // Insets resolve against the nearest non-static ancestor; the frame stays parent-relative.
    let out = frames(
        json!({"style": {"width": 200, "height": 200}, "children": [
            {"style": {"position": "static", "marginLeft": 100, "width": 100, "height": 100}, "children": [
                {"style": {"position": "absolute", "left": 50, "top": 50, "width": 50, "height": 50}}
            ]}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[2], f(-50.0, 50.0, 50.0, 50.0));
}

#[test]
fn absolute_percentages_resolve_against_the_inner_size() {
    let out = frames(
        json!({"style": {"width": 200, "height": 100, "padding": 50}, "children": [
            {"style": {"position": "absolute", "width": "50%", "height": "50%", "left": 0, "top": 0}}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[1], f(0.0, 0.0, 50.0, 0.0));
}

#[test]
fn growing_child_fills_an_at_most_container_stretch_flex_basis() {
    let out = frames(
        json!({"style": {"width": 100, "height": 100, "alignItems": "center"}, "children": [
            {"style": {"flexShrink": 1}, "children": [
                {"style": {"flexGrow": 1}, "children": [{"style": {"width": 20, "height": 20}}]}
            ]}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[1], f(40.0, 0.0, 20.0, 100.0));
    assert_eq!(out[2], f(0.0, 0.0, 20.0, 100.0));
}

#[test]
fn flex_n_is_grow_n_with_zero_basis() {
    let out = frames(
        json!({"style": {"flexDirection": "row", "width": 300, "height": 10}, "children": [
            {"style": {"flex": 1}, "children": [{"style": {"width": 80}}]},
            {"style": {"flex": 2}}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[1].width, 100.0);
    assert_eq!(out[3].width, 200.0);
}

#[test]
fn items_do_not_shrink_by_default_and_have_no_automatic_minimum() {
    let out = frames(
        json!({"style": {"width": 100, "height": 50}, "children": [
            {"style": {"height": 40}}, {"style": {"height": 40}},
            {"style": {"height": 40, "flexShrink": 1}, "children": [{"style": {"height": 30}}]}
        ]}),
        unconstrained(),
    );
    assert_eq!((out[1].height, out[2].height), (40.0, 40.0));
    // The shrinking item goes below its content height: Yoga has no automatic min size.
    assert_eq!(out[3].height, 0.0);
}

#[test]
fn aspect_ratio_zero_is_ignored() {
    let out = frames(
        json!({"style": {"width": 100, "height": 100, "alignItems": "flex-start"}, "children": [
            {"style": {"width": 50, "aspectRatio": 0}}, {"style": {"width": 50, "aspectRatio": 2}}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[1], f(0.0, 0.0, 50.0, 0.0));
    assert_eq!(out[2], f(0.0, 0.0, 50.0, 25.0));
}

#[test]
fn root_fills_the_viewport_less_its_margins_and_obeys_min_max() {
    let out = frames(
        json!({"style": {"margin": 10}}),
        Viewport::new(390.0, 844.0, 3.0),
    );
    assert_eq!(out[0], f(10.0, 10.0, 370.0, 824.0));
    let out = frames(
        json!({"style": {"maxHeight": 300}}),
        Viewport::new(390.0, 844.0, 3.0),
    );
    assert_eq!(out[0].height, 0.0);
    let out = frames(
        json!({"style": {"minHeight": 900}}),
        Viewport::new(390.0, 844.0, 3.0),
    );
    assert_eq!(out[0].height, 900.0);
}

#[test]
fn frames_round_to_device_pixels_without_gaps() {
    let out = frames(
        json!({"style": {"flexDirection": "row", "width": 100, "height": 10}, "children": [
            {"style": {"flex": 1}}, {"style": {"flex": 1}}, {"style": {"flex": 1}}
        ]}),
        Viewport {
            width: None,
            height: None,
            scale: 3.0,
        },
    );
    let third = 100.0 / 3.0;
    assert!((out[1].width - third).abs() < 0.01 && (out[2].x - third).abs() < 0.01);
    let right_edge = out[3].x + out[3].width;
    assert!((right_edge - 100.0).abs() < 1e-4);
    // Every edge lands on the 1/3 pt grid.
    for fr in &out {
        for v in [fr.x, fr.y, fr.width, fr.height] {
            assert!(
                ((v * 3.0) - (v * 3.0).round()).abs() < 1e-3,
                "{v} is off the pixel grid"
            );
        }
    }
}

#[test]
fn display_none_takes_no_space_and_display_contents_lifts_children() {
    let out = frames(
        json!({"style": {"width": 100, "height": 100}, "children": [
            {"style": {"display": "none", "height": 30}},
            {"style": {"display": "contents"}, "children": [{"style": {"height": 20}}]},
            {"style": {"height": 10}}
        ]}),
        unconstrained(),
    );
    assert_eq!(out[1], Frame::default());
    assert_eq!(out[2], Frame::default());
    assert_eq!(out[3], f(0.0, 0.0, 100.0, 20.0));
    assert_eq!(out[4], f(0.0, 20.0, 100.0, 10.0));
}

#[test]
fn text_in_a_row_wraps_within_the_row_like_yoga() {
    // Yoga measures a flex basis "at most" the container's width, so long text wraps even
    // though items do not shrink by default.
    let long = "The quick brown fox jumps over the lazy dog and keeps running far away";
    let out = frames(
        json!({"style": {"flexDirection": "row", "width": 200}, "children": [
            {"style": {"fontSize": 16}, "text": long}
        ]}),
        unconstrained(),
    );
    assert!(out[1].width <= 200.0, "{:?}", out[1]);
    assert!(
        out[1].height > 30.0,
        "text should wrap to several lines: {:?}",
        out[1]
    );
    // The container rounds to nearest, the text node rounds up (Yoga never cuts text off).
    assert!((out[0].height - out[1].height).abs() <= 1.0);
}

#[test]
fn text_sizes_round_up_and_number_of_lines_caps_the_height() {
    let tree = |lines: Option<u32>| {
        let mut t = json!({"style": {"width": 120, "alignItems": "flex-start"}, "children": [
            {"style": {"fontSize": 14, "lineHeight": 20}, "text": "one two three four five six seven eight nine ten"}
        ]});
        if let Some(n) = lines {
            t["children"][0]["numberOfLines"] = json!(n);
        }
        t
    };
    let free = frames(tree(None), unconstrained());
    let capped = frames(tree(Some(2)), unconstrained());
    assert!(free[1].height >= 60.0);
    assert_eq!(capped[1].height, 40.0);
    assert_eq!(free[1].width, free[1].width.ceil());
}

#[test]
fn invalid_trees_and_scales_are_rejected() {
    assert!(FrameNode::from_json(&json!({"children": 3})).is_err());
    assert!(FrameNode::from_json(&json!({"measured": {"width": 1}})).is_err());
    let node = FrameNode::from_json(&json!({})).unwrap();
    assert!(
        compute_frames(
            &node,
            Viewport {
                width: None,
                height: None,
                scale: 0.0
            }
        )
        .is_err()
    );
}

#[test]
fn item_bigger_than_its_container_with_cross_auto_margins_sits_at_the_cross_start() {
    let tree = |direction: &str| {
        json!({"style": {"width": 52, "height": 52, "justifyContent": "center", "direction": direction}, "children": [
            {"style": {"width": 72, "height": 72, "marginLeft": "auto", "marginRight": "auto"}}
        ]})
    };
    assert_eq!(
        frames(tree("ltr"), unconstrained())[1],
        f(0.0, -10.0, 72.0, 72.0)
    );
    assert_eq!(
        frames(tree("rtl"), unconstrained())[1],
        f(-20.0, -10.0, 72.0, 72.0)
    );
}

#[test]
fn a_line_with_main_auto_margins_and_negative_free_space_starts_at_main_start() {
    // Values from yoga-layout 3.2.1 (Errata.All) via the harness.
    let col = json!({"style": {"width": 52, "height": 52, "justifyContent": "center"}, "children": [
        {"style": {"width": 20, "height": 72, "marginTop": "auto"}}
    ]});
    assert_eq!(frames(col, unconstrained())[1], f(0.0, 0.0, 20.0, 72.0));
    let row_rtl = json!({"style": {"direction": "rtl", "flexDirection": "row", "width": 52, "height": 52, "justifyContent": "center"}, "children": [
        {"style": {"width": 40, "height": 20}}, {"style": {"width": 40, "height": 20, "marginRight": "auto"}}
    ]});
    let out = frames(row_rtl, unconstrained());
    assert_eq!((out[1].x, out[2].x), (12.0, -28.0));
    let col_rev = json!({"style": {"flexDirection": "column-reverse", "width": 52, "height": 52, "justifyContent": "center"}, "children": [
        {"style": {"width": 20, "height": 72, "marginBottom": "auto"}}
    ]});
    assert_eq!(
        frames(col_rev, unconstrained())[1],
        f(0.0, -20.0, 20.0, 72.0)
    );
}

#[test]
fn aspect_ratio_beats_stretch_and_the_root_ignores_its_own() {
    // Values from yoga-layout 3.2.1 (Errata.All) via the harness.
    let row = json!({"style": {"flexDirection": "row-reverse", "justifyContent": "space-around"}, "children": [
        {"style": {"aspectRatio": 1, "minWidth": 38.5, "width": 10}}
    ]});
    let out = frames(row, Viewport::new(393.0, 852.0, 3.0));
    assert!((out[1].height - 38.666_668).abs() < 0.01, "{:?}", out[1]);
    let root = json!({"style": {"aspectRatio": 1, "height": 87}});
    assert_eq!(
        frames(root, Viewport::new(393.0, 852.0, 3.0))[0],
        f(0.0, 0.0, 393.0, 87.0)
    );
    // A stretched column item with a ratio still takes the stretched width for its height.
    let card = json!({"style": {"width": 180}, "children": [{"style": {"aspectRatio": 1}}]});
    assert_eq!(frames(card, unconstrained())[1], f(0.0, 0.0, 180.0, 180.0));
}

#[test]
fn wrapping_column_items_grow_by_their_horizontal_margins_like_yoga() {
    // Yoga's multi-line stretch pass adds the cross-axis margins to a column item's height.
    let tree = json!({"style": {"flexWrap": "wrap", "alignContent": "space-between", "paddingVertical": 15}, "children": [
        {"style": {"marginStart": 19}, "measured": {"width": 65.25, "height": 25.5}},
        {"style": {"width": 45.5, "height": 118}, "measured": {"width": 73.25, "height": 14.5}}
    ]});
    let out = frames(tree, Viewport::new(393.0, 852.0, 3.0));
    assert!((out[1].height - 44.666_668).abs() < 0.01, "{:?}", out[1]);
    assert!(
        (out[2].y - 40.333_332).abs() < 0.01,
        "siblings do not move: {:?}",
        out[2]
    );
}

#[test]
fn an_overflowing_wrap_container_takes_exactly_its_available_size() {
    // Yoga switches a wrapping container whose items overflow its "at most" size to that size.
    let tree = json!({"style": {"width": 100, "height": 116}, "children": [
        {"style": {"flexWrap": "wrap", "width": 77.5}, "children": [{"style": {"width": 20, "height": 138}}]}
    ]});
    assert_eq!(frames(tree, unconstrained())[1], f(0.0, 0.0, 78.0, 116.0));
}

#[test]
fn percentage_flex_basis_in_a_container_without_a_size_resolves_against_the_available_space() {
    // Ignite's welcome screen: 57% / 43% bases inside an auto-height column (CSS would size
    // both by their content).
    let out = frames(
        json!({"style": {"width": 393, "height": 852}, "children": [
            {"style": {"flex": 1}, "children": [
                {"style": {"justifyContent": "flex-end"}, "children": [
                    {"style": {"flexBasis": "57%", "flexGrow": 1, "flexShrink": 1, "padding": 10},
                     "children": [{"style": {"height": 40}}]},
                    {"style": {"flexBasis": "43%", "flexShrink": 1}}
                ]}
            ]}
        ]}),
        Viewport::new(393.0, 852.0, 3.0),
    );
    assert_eq!(out[2], f(0.0, 0.0, 393.0, 852.0));
    assert!((out[3].height - 485.666_66).abs() < 0.01, "{:?}", out[3]);
    assert!((out[5].y - 485.666_66).abs() < 0.01, "{:?}", out[5]);
    assert!((out[5].height - 366.333_34).abs() < 0.01, "{:?}", out[5]);
    // In a row, against the inner width available to the container, kept when the container
    // then takes its content's width (Yoga computes a basis once); never below the item's
    // padding and border.
    let out = frames(
        json!({"style": {"width": 400, "height": 800, "flexDirection": "row", "alignItems": "flex-start"}, "children": [
            {"style": {"flexDirection": "row", "padding": 5}, "children": [
                {"style": {"flexBasis": "25%", "height": 10}},
                {"style": {"flexBasis": "50%", "height": 10}}
            ]},
            {"style": {"flexDirection": "row"}, "children": [
                {"style": {"flexBasis": "1%", "height": 10, "paddingLeft": 20}}
            ]}
        ]}),
        Viewport::new(400.0, 800.0, 2.0),
    );
    assert_eq!(out[1], f(0.0, 0.0, 302.5, 20.0));
    assert_eq!(out[2], f(5.0, 5.0, 97.5, 10.0));
    assert_eq!(out[3], f(102.5, 5.0, 195.0, 10.0));
    assert_eq!(out[5].width, 20.0);
    // In a column whose height is its content's.
    let out = frames(
        json!({"style": {"width": 400, "height": 800}, "children": [
            {"style": {"justifyContent": "flex-end", "padding": 4}, "children": [
                {"style": {"flexBasis": "30%"}},
                {"style": {"flexBasis": "20%"}}
            ]}
        ]}),
        Viewport::new(400.0, 800.0, 2.0),
    );
    assert_eq!(out[1], f(0.0, 0.0, 400.0, 404.0));
    assert_eq!(out[2], f(4.0, 4.0, 392.0, 237.5));
    assert_eq!(out[3], f(4.0, 241.5, 392.0, 158.5));
}

#[test]
fn a_scroll_view_measured_at_most_the_available_space_is_no_larger_than_it() {
    // react-native-template-redux-typescript: a SafeAreaView without `flex: 1` around a
    // ScrollView with long content takes the screen, not the content (CSS: the content).
    let out = frames(
        json!({"style": {"width": 393, "height": 852}, "children": [
            {"style": {"paddingTop": 59, "paddingBottom": 34}, "children": [
                {"style": {"flexGrow": 1, "flexShrink": 1, "overflow": "scroll"}, "children": [
                    {"children": [{"style": {"height": 1500}}]}
                ]}
            ]}
        ]}),
        Viewport::new(393.0, 852.0, 3.0),
    );
    assert_eq!(out[1], f(0.0, 0.0, 393.0, 852.0));
    assert_eq!(out[2], f(0.0, 59.0, 393.0, 759.0));
    assert_eq!(out[3], f(0.0, 0.0, 393.0, 1500.0));
}

#[test]
fn percentage_heights_in_a_container_without_a_height_resolve_against_the_available_height() {
    // expo's tab template: a `height: "100%"` child of a plain View fills the screen (CSS
    // would make it `auto`: zero here). Yoga measures the container with the percentages of
    // the available height (852 + 85.2), then lays the items out with the percentages of
    // that size.
    let out = frames(
        json!({"style": {"width": 393, "height": 852}, "children": [
            {"children": [
                {"style": {"height": "100%"}},
                {"style": {"height": "10%"}}
            ]}
        ]}),
        Viewport::new(393.0, 852.0, 3.0),
    );
    let near = |a: f32, b: f32| (a - b).abs() < 0.01;
    assert!(near(out[1].height, 937.333_3), "{:?}", out[1]);
    assert!(near(out[2].height, 937.333_3), "{:?}", out[2]);
    assert!(near(out[3].y, 937.333_3), "{:?}", out[3]);
    assert!(near(out[3].height, 93.666_69), "{:?}", out[3]);
}
