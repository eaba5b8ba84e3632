//! Screens that show the app's own images (the `image-assets` compiler fixture: a JPEG
//! `ImageBackground` with text over it, `@2x`/`@3x` PNG variants, WebP, GIF, expo-image
//! `contentFit`, `resizeMode` cover/contain/stretch/center/repeat), rendered with the fixture's
//! image files and compared with the reviewed renders in `tests/references/`.
//!
//! `UPDATE_RENDERS=1` rewrites the references (look at them before committing).

use std::path::PathBuf;

use hivesync_document::LayoutDocument;
use hivesync_frames::layout_json::add_frames;
use hivesync_render::Pixmap;
use hivesync_render::layout_json::render_document;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The compiler's document of `screen` (its insta snapshot) with frames.
fn document(screen: &str) -> LayoutDocument {
    let path = manifest().join(format!(
        "../layout/tests/snapshots/fixtures__image-assets__{screen}.snap"
    ));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    let mut doc: LayoutDocument = serde_json::from_str(body).unwrap();
    add_frames(&mut doc, &hivesync_frames::FontSet::bundled()).unwrap();
    doc
}

/// Renders `doc` with the fixture's files for its image assets.
fn render_with_images(doc: &LayoutDocument) -> Pixmap {
    let root = manifest().join("../layout/tests/fixtures/image-assets");
    let png = render_document(doc, &|id| {
        let asset = doc
            .assets
            .iter()
            .find(|a| a.id == id && a.kind == "image")?;
        std::fs::read(root.join(asset.file.as_deref()?)).ok()
    })
    .unwrap();
    Pixmap::decode_png(&png).unwrap()
}

/// Mean absolute difference per channel (0-255) of two same-sized pixmaps.
fn mean_difference(a: &Pixmap, b: &Pixmap) -> f64 {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()));
    let sum: u64 = a
        .data()
        .iter()
        .zip(b.data())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.data().len() as f64
}

fn compare_with_reference(name: &str, got: &Pixmap) {
    let path = manifest()
        .join("tests/references")
        .join(format!("{name}.png"));
    if std::env::var_os("UPDATE_RENDERS").is_some() {
        got.save_png(&path).unwrap();
        return;
    }
    let want = Pixmap::load_png(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let diff = mean_difference(got, &want);
    // Anti-aliasing and filtering may move a little between tiny-skia versions; a picture
    // missing, misplaced or scaled differently moves far more than this.
    assert!(diff < 0.5, "{name} differs from {}: {diff}", path.display());
}

/// The pixel at point (x, y) of a render at `scale`, unpremultiplied.
fn at(p: &Pixmap, scale: f64, x: f64, y: f64) -> (u8, u8, u8) {
    let c = p
        .pixel((x * scale) as u32, (y * scale) as u32)
        .unwrap()
        .demultiply();
    (c.red(), c.green(), c.blue())
}

#[test]
fn an_image_background_shows_its_jpeg_under_the_text_and_the_logo_its_3x_variant() {
    let doc = document("welcome");
    let p = render_with_images(&doc);
    let s = doc.device.scale;
    // The sky of the sunset (orange, darkened by the overlay) fills the top: `cover`.
    let (r, g, b) = at(&p, s, 20.0, 20.0);
    assert!(
        r > 140 && g > 80 && b < 90,
        "sky at the top: {:?}",
        (r, g, b)
    );
    // The dark hills at the bottom.
    let (r, g, b) = at(&p, s, 20.0, 840.0);
    assert!(
        r < 40 && g < 40 && b < 70,
        "hills at the bottom: {:?}",
        (r, g, b)
    );
    compare_with_reference("image-assets-welcome", &p);
}

#[test]
fn resize_modes_and_the_other_formats_draw_where_react_native_puts_them() {
    let doc = document("profile");
    let p = render_with_images(&doc);
    compare_with_reference("image-assets-profile", &p);
    // Without the files every image is a placeholder: the pictures come from the assets.
    let without = Pixmap::decode_png(&render_document(&doc, &|_| None).unwrap()).unwrap();
    assert!(mean_difference(&p, &without) > 5.0);
}

#[test]
fn an_image_that_does_not_decode_is_a_labelled_placeholder_not_a_failure() {
    let doc = document("welcome");
    let png = render_document(&doc, &|_| Some(b"\x89PNG\r\n\x1a\nbroken".to_vec())).unwrap();
    let p = Pixmap::decode_png(&png).unwrap();
    // The placeholder's grey instead of the sky.
    let (r, g, b) = at(&p, doc.device.scale, 20.0, 20.0);
    assert!(r.abs_diff(g) < 20 && g.abs_diff(b) < 20, "{:?}", (r, g, b));
}
