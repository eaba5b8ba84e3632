//! PNG sizes and sampled pixels of snapshots and screen renders.

use std::path::PathBuf;

use hivesync_frames::{DeviceProfile, Frame, TextContent, TextStyle, Viewport};
use hivesync_render::{
    Content, Pixmap, RenderNode, Rgba, Screen, SnapshotRequest, asset_id, parse_color,
    render_screen, render_screen_pixmap, render_snapshot,
};
use serde_json::{Map, Value, json};

fn style(v: Value) -> Map<String, Value> {
    v.as_object().expect("object").clone()
}

fn node(
    frame: (f32, f32, f32, f32),
    st: Value,
    content: Content,
    children: Vec<RenderNode>,
) -> RenderNode {
    RenderNode {
        component: "View".into(),
        style: style(st),
        frame: Frame {
            x: frame.0,
            y: frame.1,
            width: frame.2,
            height: frame.3,
        },
        content,
        children,
    }
}

/// The straight RGBA colour of the pixel at (x, y) in points.
fn sample(p: &Pixmap, scale: f32, x: f32, y: f32) -> Rgba {
    let c = p
        .pixel((x * scale) as u32, (y * scale) as u32)
        .expect("inside")
        .demultiply();
    Rgba {
        r: c.red(),
        g: c.green(),
        b: c.blue(),
        a: c.alpha(),
    }
}

fn close(a: Rgba, b: Rgba) -> bool {
    let d = |x: u8, y: u8| (i16::from(x) - i16::from(y)).abs() <= 3;
    d(a.r, b.r) && d(a.g, b.g) && d(a.b, b.b) && d(a.a, b.a)
}

/// Pixels in a region (points) that differ from `background`.
fn ink(p: &Pixmap, scale: f32, area: (f32, f32, f32, f32), background: Rgba) -> usize {
    let mut n = 0;
    for y in (area.1 * scale) as u32..((area.1 + area.3) * scale) as u32 {
        for x in (area.0 * scale) as u32..((area.0 + area.2) * scale) as u32 {
            let c = p.pixel(x, y).expect("inside").demultiply();
            if !close(
                Rgba {
                    r: c.red(),
                    g: c.green(),
                    b: c.blue(),
                    a: c.alpha(),
                },
                background,
            ) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn snapshot_has_the_device_pixel_size_and_shows_its_name() {
    let st = style(json!({"backgroundColor": "#ffe4e6", "borderRadius": 12}));
    let req = SnapshotRequest {
        component: "MapView",
        width: 200.0,
        height: 120.5,
        scale: 3.0,
        style: Some(&st),
        picture: None,
        frame: None,
    };
    let snap = render_snapshot(&req).expect("snapshot");
    if let Some(dir) = std::env::var_os("RENDER_OUT").map(PathBuf::from) {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("snapshot-MapView.png"), &snap.png).unwrap();
    }
    assert_eq!((snap.width_px, snap.height_px), (600, 362));
    let png = Pixmap::decode_png(&snap.png).expect("valid PNG");
    assert_eq!((png.width(), png.height()), (600, 362));
    // Own background between the hatch lines, transparent outside the rounded corner.
    assert!(close(
        sample(&png, 3.0, 30.0, 96.0),
        parse_color("#ffe4e6").unwrap()
    ));
    assert_eq!(sample(&png, 3.0, 0.3, 0.3).a, 0);
    // The component name is drawn across the middle.
    let text_row = ink(
        &png,
        3.0,
        (40.0, 42.0, 120.0, 18.0),
        parse_color("#ffe4e6").unwrap(),
    );
    assert!(
        text_row > 500,
        "name should be drawn, {text_row} ink pixels"
    );
}

#[test]
fn snapshots_are_content_addressed() {
    let a = render_snapshot(&SnapshotRequest {
        component: "Video",
        width: 100.0,
        height: 60.0,
        scale: 2.0,
        style: None,
        picture: None,
        frame: None,
    })
    .unwrap();
    let b = render_snapshot(&SnapshotRequest {
        component: "Video",
        width: 100.0,
        height: 60.0,
        scale: 2.0,
        style: None,
        picture: None,
        frame: None,
    })
    .unwrap();
    let c = render_snapshot(&SnapshotRequest {
        component: "WebView",
        width: 100.0,
        height: 60.0,
        scale: 2.0,
        style: None,
        picture: None,
        frame: None,
    })
    .unwrap();
    assert_eq!(a.png, b.png);
    assert_eq!(a.asset_id, b.asset_id);
    assert_ne!(a.asset_id, c.asset_id);
    assert_eq!(a.asset_id, asset_id(&a.png));
    assert_eq!(a.asset_id.len(), 32);
    assert!(a.asset_id.chars().all(|ch| ch.is_ascii_hexdigit()));
}

#[test]
fn empty_or_huge_sizes_are_rejected() {
    assert!(
        render_snapshot(&SnapshotRequest {
            component: "X",
            width: 0.0,
            height: 10.0,
            scale: 3.0,
            style: None,
            picture: None,
            frame: None
        })
        .is_err()
    );
    assert!(
        render_snapshot(&SnapshotRequest {
            component: "X",
            width: 10.0,
            height: 10.0,
            scale: f32::NAN,
            style: None,
            picture: None,
            frame: None
        })
        .is_err()
    );
    assert!(render_screen(&RenderNode::default(), Screen::new(100_000.0, 10.0, 3.0)).is_err());
}

#[test]
fn screen_paints_backgrounds_borders_radii_opacity_and_clipping() {
    let scale = 2.0;
    let root = node(
        (0.0, 0.0, 200.0, 300.0),
        json!({"backgroundColor": "#f3f4f6"}),
        Content::None,
        vec![
            // A red card with a 4pt blue left border and big radius.
            node(
                (10.0, 10.0, 100.0, 60.0),
                json!({"backgroundColor": "red", "borderLeftWidth": 4, "borderLeftColor": "blue", "borderRadius": 20}),
                Content::None,
                vec![],
            ),
            // 50% opaque black square on the grey background.
            node(
                (120.0, 10.0, 40.0, 40.0),
                json!({"backgroundColor": "black", "opacity": 0.5}),
                Content::None,
                vec![],
            ),
            // A clipping parent: its green child overflows to the right and must be cut.
            node(
                (10.0, 100.0, 50.0, 50.0),
                json!({"overflow": "hidden", "backgroundColor": "white"}),
                Content::None,
                vec![node(
                    (0.0, 0.0, 100.0, 20.0),
                    json!({"backgroundColor": "#00ff00"}),
                    Content::None,
                    vec![],
                )],
            ),
            // Per-side borders with different colours.
            node(
                (100.0, 100.0, 60.0, 60.0),
                json!({"borderTopWidth": 6, "borderTopColor": "#ff00ff", "borderBottomWidth": 2, "borderBottomColor": "#00ffff"}),
                Content::None,
                vec![],
            ),
        ],
    );
    let p = render_screen_pixmap(&root, Screen::new(200.0, 300.0, scale)).unwrap();
    assert_eq!((p.width(), p.height()), (400, 600));
    let grey = parse_color("#f3f4f6").unwrap();
    assert!(close(sample(&p, scale, 190.0, 290.0), grey));
    assert!(close(sample(&p, scale, 60.0, 40.0), Rgba::rgb(255, 0, 0)));
    assert!(
        close(sample(&p, scale, 12.0, 40.0), Rgba::rgb(0, 0, 255)),
        "left border"
    );
    assert!(
        close(sample(&p, scale, 11.0, 11.0), grey),
        "rounded corner is not painted"
    );
    let half = sample(&p, scale, 140.0, 30.0);
    assert!(
        (115..=128).contains(&half.r),
        "opacity 0.5 over light grey: {half:?}"
    );
    assert!(close(sample(&p, scale, 30.0, 110.0), Rgba::rgb(0, 255, 0)));
    assert!(
        close(sample(&p, scale, 80.0, 110.0), grey),
        "overflow: hidden clips the child"
    );
    assert!(close(
        sample(&p, scale, 130.0, 102.0),
        Rgba::rgb(255, 0, 255)
    ));
    assert!(close(
        sample(&p, scale, 130.0, 159.5),
        Rgba::rgb(0, 255, 255)
    ));
    assert!(
        close(sample(&p, scale, 130.0, 130.0), grey),
        "no left/right borders, no background"
    );
}

#[test]
fn text_is_drawn_inside_its_frame_with_alignment() {
    let scale = 3.0;
    let text = |align: &str, y: f32| {
        let mut n = node(
            (0.0, y, 300.0, 20.0),
            json!({"color": "#111111", "textAlign": align}),
            Content::Text {
                text: TextContent::plain("Hello", TextStyle::default()),
                span_colors: vec![None],
            },
            vec![],
        );
        n.component = "Text".into();
        n
    };
    let root = node(
        (0.0, 0.0, 300.0, 100.0),
        json!({}),
        Content::None,
        vec![text("left", 0.0), text("right", 40.0)],
    );
    let p = render_screen_pixmap(&root, Screen::new(300.0, 100.0, scale)).unwrap();
    let white = Rgba::rgb(255, 255, 255);
    assert!(
        ink(&p, scale, (0.0, 0.0, 60.0, 20.0), white) > 100,
        "left-aligned text at the left"
    );
    assert_eq!(ink(&p, scale, (100.0, 0.0, 200.0, 20.0), white), 0);
    assert!(
        ink(&p, scale, (240.0, 40.0, 60.0, 20.0), white) > 100,
        "right-aligned text at the right"
    );
    assert_eq!(ink(&p, scale, (0.0, 40.0, 200.0, 20.0), white), 0);
}

#[test]
fn snapshots_and_image_placeholders_fill_their_frames() {
    let scale = 2.0;
    let red = style(json!({"backgroundColor": "#dd0000"}));
    let snap = render_snapshot(&SnapshotRequest {
        component: "MapView",
        width: 100.0,
        height: 80.0,
        scale,
        style: Some(&red),
        picture: None,
        frame: None,
    })
    .unwrap();
    let root = node(
        (0.0, 0.0, 250.0, 100.0),
        json!({}),
        Content::None,
        vec![
            node(
                (10.0, 10.0, 100.0, 80.0),
                json!({}),
                Content::Snapshot {
                    png: snap.png.clone(),
                    size: None,
                },
                vec![],
            ),
            node(
                (140.0, 10.0, 100.0, 80.0),
                json!({}),
                Content::Image {
                    label: Some("hero.png".into()),
                },
                vec![],
            ),
        ],
    );
    let p = render_screen_pixmap(&root, Screen::new(250.0, 100.0, scale)).unwrap();
    // Between hatch lines of the snapshot: its red background, placed at its frame.
    assert!(close(
        sample(&p, scale, 10.0 + 3.0, 10.0 + 3.0),
        Rgba::rgb(0xdd, 0, 0)
    ));
    assert!(close(sample(&p, scale, 5.0, 5.0), Rgba::rgb(255, 255, 255)));
    // Image placeholder: grey fill, label ink in the middle.
    assert!(close(
        sample(&p, scale, 145.0, 50.0),
        Rgba::rgb(0xe5, 0xe7, 0xeb)
    ));
    assert!(
        ink(
            &p,
            scale,
            (150.0, 42.0, 80.0, 16.0),
            Rgba::rgb(0xe5, 0xe7, 0xeb)
        ) > 100
    );
}

fn screens_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frames/tests/screens")
}

#[test]
fn every_fixture_screen_renders_at_device_size() {
    let out_dir = std::env::var_os("RENDER_OUT").map(PathBuf::from);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(screens_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 6);
    for path in paths {
        let screen: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let device = DeviceProfile::IPHONE;
        let tree = RenderNode::from_json_laid_out(&screen["root"], Viewport::from(&device))
            .expect("lays out");
        let png = render_screen(
            &tree,
            Screen::new(
                device.width as f32,
                device.height as f32,
                device.scale as f32,
            ),
        )
        .expect("renders");
        let p = Pixmap::decode_png(&png).unwrap();
        assert_eq!((p.width(), p.height()), (1179, 2556), "{}", path.display());
        // Something besides the window background is drawn (every 4th pixel checked).
        let white = Rgba::rgb(255, 255, 255);
        let inked = p.pixels().iter().step_by(4).filter(|c| {
            let c = c.demultiply();
            !close(
                Rgba {
                    r: c.red(),
                    g: c.green(),
                    b: c.blue(),
                    a: c.alpha(),
                },
                white,
            )
        });
        assert!(inked.count() > 10_000, "{} looks blank", path.display());
        if let Some(dir) = &out_dir {
            std::fs::create_dir_all(dir).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        }
    }
}

#[test]
fn shadows_darken_below_the_card_and_fade_out() {
    let scale = 2.0;
    let root = node(
        (0.0, 0.0, 200.0, 200.0),
        json!({}),
        Content::None,
        vec![node(
            (50.0, 50.0, 100.0, 60.0),
            json!({"backgroundColor": "white", "borderRadius": 8, "shadowColor": "#000", "shadowOpacity": 0.3, "shadowRadius": 8, "shadowOffset": {"width": 0, "height": 4}}),
            Content::None,
            vec![],
        )],
    );
    let p = render_screen_pixmap(&root, Screen::new(200.0, 200.0, scale)).unwrap();
    let just_below = sample(&p, scale, 100.0, 112.0);
    let far = sample(&p, scale, 100.0, 150.0);
    assert!(just_below.r < 235, "shadow under the card: {just_below:?}");
    assert!(
        close(far, Rgba::rgb(255, 255, 255)),
        "shadow fades out: {far:?}"
    );
    assert!(
        close(sample(&p, scale, 100.0, 80.0), Rgba::rgb(255, 255, 255)),
        "card on top of its shadow"
    );
}

#[test]
fn transforms_move_rotate_and_scale_about_the_centre() {
    let scale = 2.0;
    let square = |t: Value| {
        node(
            (40.0, 40.0, 20.0, 20.0),
            json!({"backgroundColor": "red", "transform": t}),
            Content::None,
            vec![],
        )
    };
    let render = |t: Value| {
        let root = node(
            (0.0, 0.0, 100.0, 100.0),
            json!({}),
            Content::None,
            vec![square(t)],
        );
        render_screen_pixmap(&root, Screen::new(100.0, 100.0, scale)).unwrap()
    };
    let red = Rgba::rgb(255, 0, 0);
    let white = Rgba::rgb(255, 255, 255);
    // translateX moves by points, not pixels.
    let moved = render(json!([{"translateX": 30}]));
    assert!(close(sample(&moved, scale, 80.0, 50.0), red));
    assert!(close(sample(&moved, scale, 50.0, 50.0), white));
    // Scale about the centre: 2x covers 30..70.
    let scaled = render(json!([{"scale": 2}]));
    assert!(close(sample(&scaled, scale, 32.0, 32.0), red));
    assert!(close(sample(&scaled, scale, 28.0, 28.0), white));
    // 45 degrees: the corners move in, the middle of each side moves out.
    let rotated = render(json!([{"rotate": "45deg"}]));
    assert!(close(sample(&rotated, scale, 41.0, 41.0), white));
    assert!(close(sample(&rotated, scale, 50.0, 37.0), red));
}

#[test]
fn dashed_borders_leave_gaps() {
    let scale = 2.0;
    let root = node(
        (0.0, 0.0, 100.0, 40.0),
        json!({}),
        Content::None,
        vec![node(
            (10.0, 10.0, 80.0, 20.0),
            json!({"borderWidth": 2, "borderColor": "#0000ff", "borderStyle": "dashed"}),
            Content::None,
            vec![],
        )],
    );
    let p = render_screen_pixmap(&root, Screen::new(100.0, 40.0, scale)).unwrap();
    // Along the top edge, both dash and gap pixels occur.
    let row: Vec<Rgba> = (12..88)
        .map(|x| sample(&p, scale, x as f32, 11.0))
        .collect();
    assert!(row.iter().any(|c| close(*c, Rgba::rgb(0, 0, 255))));
    assert!(row.iter().any(|c| close(*c, Rgba::rgb(255, 255, 255))));
}
