//! A screen in a font the app loads (the `app-fonts` compiler fixture: Pacifico from
//! @expo-google-fonts/pacifico, named by its `useFonts` key and by its file name), measured and
//! drawn with that font, and compared with the reviewed render in `tests/references/`.
//!
//! `UPDATE_RENDERS=1` rewrites the reference (look at it before committing).

use std::path::PathBuf;

use hivesync_document::{LayoutDocument, Node};
use hivesync_frames::layout_json::add_frames;
use hivesync_frames::ttf_parser::Face;
use hivesync_frames::{FontFace, FontSet, font_face};
use hivesync_render::Pixmap;
use hivesync_render::layout_json::render_document;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    manifest().join("../layout/tests/fixtures/app-fonts")
}

/// The compiler's document of the fixture's home screen (its insta snapshot).
fn compiled() -> LayoutDocument {
    let path = manifest().join("../layout/tests/snapshots/fixtures__app-fonts__home.snap");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(text.splitn(3, "---\n").nth(2).unwrap()).unwrap()
}

/// The bytes of a font asset of `doc`, from the fixture's files.
fn font_bytes(doc: &LayoutDocument, id: &str) -> Option<Vec<u8>> {
    let font = doc.fonts.iter().find(|f| f.asset_id == id)?;
    std::fs::read(fixture().join(&font.file)).ok()
}

/// `doc` with frames, its text measured in `fonts`.
fn with_frames(mut doc: LayoutDocument, fonts: &FontSet) -> LayoutDocument {
    add_frames(&mut doc, fonts).unwrap();
    doc
}

/// The Text nodes directly under the screen's container, in order.
fn texts(doc: &LayoutDocument) -> Vec<&Node> {
    doc.root.children[0].children.iter().collect()
}

fn width(n: &Node) -> f64 {
    n.frame.as_deref().unwrap().width
}

/// The advance width of `text` at `size` in `face`, in points.
fn advance(face: &Face<'_>, text: &str, size: f64) -> f64 {
    let units: u32 = text
        .chars()
        .map(|c| {
            u32::from(
                face.glyph_hor_advance(face.glyph_index(c).unwrap())
                    .unwrap(),
            )
        })
        .sum();
    f64::from(units) * size / f64::from(face.units_per_em())
}

#[test]
fn a_title_in_a_loaded_font_measures_with_that_fonts_advance_widths() {
    let doc = compiled();
    let (fonts, warnings) = FontSet::of_document(&doc, &|id| font_bytes(&doc, id));
    assert!(warnings.is_empty(), "{warnings:?}");
    let doc = with_frames(doc, &fonts);
    let t = texts(&doc);
    let (title, plain) = (width(t[0]), width(t[1]));
    let bytes = std::fs::read(fixture().join("assets/fonts/Pacifico_400Regular.ttf")).unwrap();
    let pacifico = Face::parse(&bytes, 0).unwrap();
    let want = advance(&pacifico, "Hello Pacifico", 40.0);
    let roboto = advance(font_face(FontFace::Regular), "Hello Pacifico", 40.0);
    // Frames are rounded to the device's pixel grid (@3x): within a pixel of the advances.
    let pixel = 1.0 / doc.device.scale;
    assert!(
        (title - want).abs() <= pixel,
        "Pacifico title {title}, advances {want}"
    );
    assert!(
        (plain - roboto).abs() <= pixel,
        "Roboto line {plain}, advances {roboto}"
    );
    assert!((title - plain).abs() > 4.0, "{title} vs {plain}");
    // The line named by the file stem is in Pacifico too; the unknown family stays Roboto.
    let bundled = with_frames(compiled(), &FontSet::bundled());
    let b = texts(&bundled);
    assert!(
        (width(b[0]) - plain).abs() <= pixel,
        "without the font the title is Roboto"
    );
    assert_ne!(width(t[2]), width(b[2]));
    assert_eq!(width(t[3]), width(b[3]));
}

#[test]
fn a_font_that_does_not_parse_keeps_the_bundled_font_with_a_warning() {
    let doc = compiled();
    let (fonts, warnings) = FontSet::of_document(&doc, &|_| Some(b"\0\x01\0\0not a font".to_vec()));
    assert!(fonts.is_empty());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].code, "font-not-loaded");
    let broken = with_frames(doc, &fonts);
    let bundled = with_frames(compiled(), &FontSet::bundled());
    assert_eq!(texts(&broken)[0].frame, texts(&bundled)[0].frame);
    // And a render asked for with those bytes draws, in Roboto.
    let png = render_document(&broken, &|_| Some(b"\0\x01\0\0not a font".to_vec())).unwrap();
    let with_roboto = render_document(&bundled, &|_| None).unwrap();
    assert_eq!(png, with_roboto);
}

#[test]
fn the_screen_is_drawn_in_the_loaded_font() {
    let doc = compiled();
    let (fonts, _) = FontSet::of_document(&doc, &|id| font_bytes(&doc, id));
    let doc = with_frames(doc, &fonts);
    let png = render_document(&doc, &|id| font_bytes(&doc, id)).unwrap();
    let got = Pixmap::decode_png(&png).unwrap();
    let path = manifest().join("tests/references/app-fonts-home.png");
    if std::env::var_os("UPDATE_RENDERS").is_some() {
        got.save_png(&path).unwrap();
        return;
    }
    let want = Pixmap::load_png(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!((got.width(), got.height()), (want.width(), want.height()));
    let diff = |a: &Pixmap, b: &Pixmap| {
        let sum: u64 = a
            .data()
            .iter()
            .zip(b.data())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        sum as f64 / a.data().len() as f64
    };
    // Anti-aliasing may move a little between tiny-skia versions; other glyphs move far more.
    assert!(diff(&got, &want) < 0.5, "differs from {}", path.display());
    // The same frames drawn without the font's bytes: Roboto glyphs, a different picture.
    let roboto = Pixmap::decode_png(&render_document(&doc, &|_| None).unwrap()).unwrap();
    assert!(diff(&got, &roboto) > 0.2, "{}", diff(&got, &roboto));
}
