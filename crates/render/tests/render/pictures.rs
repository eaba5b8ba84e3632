//! Snapshot pictures: icon glyphs, SVG documents and gradients drawn for real, placeholders
//! where a picture cannot be drawn, and the screens of the picture fixtures (and of the
//! library-table, pass-through and package-code fixtures) compared with their reference PNGs
//! (`tests/references/`, reviewed by eye; `UPDATE_REFERENCES=1` rewrites them).

use std::path::PathBuf;

use hivesync_document::{LayoutDocument, Picture, Point};
use hivesync_frames::layout_json::add_frames;
use hivesync_render::layout_json::render_document;
use hivesync_render::{Pixmap, SnapshotRequest, check_picture, render_snapshot};

fn snapshot(picture: Option<&Picture>, size: f32) -> Pixmap {
    let png = render_snapshot(&SnapshotRequest {
        component: "Pictured",
        width: size,
        height: size,
        scale: 2.0,
        style: None,
        picture,
        frame: None,
    })
    .expect("renders")
    .png;
    Pixmap::decode_png(&png).unwrap()
}

fn icon(family: &str, codepoint: u32, color: &str) -> Picture {
    Picture::Icon {
        family: family.into(),
        glyph: "test".into(),
        codepoint,
        size: 24.0,
        color: color.into(),
    }
}

fn rgba_at(p: &Pixmap, x: u32, y: u32) -> [u8; 4] {
    let c = p.pixel(x, y).unwrap().demultiply();
    [c.red(), c.green(), c.blue(), c.alpha()]
}

#[test]
fn an_icon_glyph_is_drawn_in_its_colour_on_a_transparent_snapshot() {
    // Ionicons `home` (U+F382), red.
    let p = snapshot(Some(&icon("Ionicons", 0xf382, "#ff0000")), 24.0);
    let inked: Vec<[u8; 4]> = p
        .pixels()
        .iter()
        .map(|c| c.demultiply())
        .filter(|c| c.alpha() == 255)
        .map(|c| [c.red(), c.green(), c.blue(), c.alpha()])
        .collect();
    assert!(inked.len() > 200, "the glyph covers part of the box");
    assert!(
        inked.iter().all(|c| *c == [255, 0, 0, 255]),
        "all ink is red"
    );
    assert_eq!(rgba_at(&p, 0, 0)[3], 0, "the corner is transparent");
    assert!(
        inked.len() < (p.width() * p.height()) as usize * 3 / 4,
        "a glyph, not a filled box"
    );
}

#[test]
fn pictures_that_cannot_be_drawn_fall_back_to_the_placeholder() {
    let placeholder = snapshot(None, 40.0);
    let bad = [
        icon("NoSuchFont", 0xf382, "#ff0000"),
        // Private-use code point that Ionicons has no glyph for.
        icon("Ionicons", 0x10fff0, "#ff0000"),
        icon("Ionicons", 0xf382, "not a colour"),
        Picture::Svg {
            markup: "<svg><path d=".into(),
        },
        Picture::Gradient {
            colors: vec!["#ff0000".into(), "bogus".into()],
            locations: None,
            start: Point { x: 0.5, y: 0.0 },
            end: Point { x: 0.5, y: 1.0 },
        },
        Picture::Gradient {
            colors: vec!["#ff0000".into()],
            locations: None,
            start: Point { x: 0.5, y: 0.0 },
            end: Point { x: 0.5, y: 1.0 },
        },
    ];
    for picture in &bad {
        assert!(
            check_picture(picture).is_err(),
            "{picture:?} is not drawable"
        );
        assert_eq!(
            snapshot(Some(picture), 40.0),
            placeholder,
            "{picture:?} draws the placeholder"
        );
    }
}

#[test]
fn malformed_path_data_draws_up_to_its_first_error() {
    let markup = |d: &str| Picture::Svg {
        markup: format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\" viewBox=\"0 0 20 20\"><path d=\"{d}\" fill=\"#0000ff\"/></svg>"
        ),
    };
    let whole = snapshot(Some(&markup("M0 0 H10 V10 H0 Z")), 20.0);
    let broken = snapshot(Some(&markup("M0 0 H10 V10 H0 Z M 12 oops")), 20.0);
    assert_eq!(whole, broken, "the valid part is drawn, the rest left out");
    assert_eq!(rgba_at(&whole, 5, 5), [0, 0, 255, 255]);
    assert_eq!(rgba_at(&whole, 30, 30)[3], 0);
}

#[test]
fn a_gradient_runs_from_its_first_colour_to_its_last() {
    let p = snapshot(
        Some(&Picture::Gradient {
            colors: vec!["#ff0000".into(), "#0000ff".into()],
            locations: Some(vec![0.0, 1.0]),
            start: Point { x: 0.0, y: 0.0 },
            end: Point { x: 1.0, y: 0.0 },
        }),
        50.0,
    );
    let left = rgba_at(&p, 0, 50);
    let right = rgba_at(&p, 99, 50);
    assert!(left[0] > 240 && left[2] < 15, "{left:?}");
    assert!(right[2] > 240 && right[0] < 15, "{right:?}");
    let mid = rgba_at(&p, 50, 50);
    assert!(
        (100..160).contains(&mid[0]) && (100..160).contains(&mid[2]),
        "{mid:?}"
    );
}

/// The screens of the picture fixtures (`crates/layout/tests/fixtures/`).
const REFERENCE_SCREENS: &[&str] = &[
    "fixtures__expo-icons-tabs__home",
    "fixtures__expo-icons-tabs__settings",
    "fixtures__ui-kit-icons__favourites",
    "fixtures__ui-kit-icons__profile",
    "fixtures__svg-welcome__app",
    "fixtures__gradient-header__app",
    // Library-table rows, pass-through wrappers and package code evaluated from node_modules.
    "fixtures__ui-kitten-auth__sign-in",
    "fixtures__ui-kitten-auth__settings",
    "fixtures__rne-contacts__contacts",
    "fixtures__keyboard-aware-form__checkout",
    "fixtures__gesture-handler-rows__inbox",
    "fixtures__elements-settings__settings",
    "fixtures__elements-v7-inbox__thread",
];

fn fixture_document(name: &str) -> LayoutDocument {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../layout/tests/snapshots")
        .join(format!("{name}.snap"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn picture_fixture_screens_match_their_reference_pngs() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/references");
    let update = std::env::var_os("UPDATE_REFERENCES").is_some();
    for name in REFERENCE_SCREENS {
        let mut doc = fixture_document(name);
        add_frames(&mut doc, &hivesync_frames::FontSet::bundled()).expect("frames");
        let png = render_document(&doc, &|_| None).expect("renders");
        let path = dir.join(format!("{name}.png"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &png).unwrap();
            continue;
        }
        let reference = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_REFERENCES=1 writes it)", path.display()));
        let (got, want) = (
            Pixmap::decode_png(&png).unwrap(),
            Pixmap::decode_png(&reference).unwrap(),
        );
        assert_eq!(
            (got.width(), got.height()),
            (want.width(), want.height()),
            "{name}"
        );
        let differing = got
            .pixels()
            .iter()
            .zip(want.pixels())
            .filter(|(a, b)| {
                let d = |x: u8, y: u8| x.abs_diff(y) > 24;
                d(a.red(), b.red()) || d(a.green(), b.green()) || d(a.blue(), b.blue())
            })
            .count();
        let total = (got.width() * got.height()) as usize;
        assert!(
            differing * 1000 <= total,
            "{name}: {differing} of {total} pixels differ from {} (more than 0.1%)",
            path.display()
        );
    }
}

#[test]
fn a_clipped_picture_is_cropped_not_squeezed() {
    let gradient = Picture::Gradient {
        colors: vec!["#ff0000".into(), "#0000ff".into()],
        locations: None,
        start: Point { x: 0.5, y: 0.0 },
        end: Point { x: 0.5, y: 1.0 },
    };
    // The top half of a 10 x 100 point gradient.
    let png = render_snapshot(&SnapshotRequest {
        component: "LinearGradient",
        width: 10.0,
        height: 50.0,
        scale: 1.0,
        style: None,
        picture: Some(&gradient),
        frame: Some((10.0, 100.0)),
    })
    .unwrap()
    .png;
    let p = Pixmap::decode_png(&png).unwrap();
    let bottom = rgba_at(&p, 5, 49);
    assert!(
        (100..160).contains(&bottom[0]) && (100..160).contains(&bottom[2]),
        "the bottom row is the gradient's middle: {bottom:?}"
    );
}
