//! How much of each screen is native: for every fixture screen and bench input, the share of
//! the window that `HS_ImageSnapshot` nodes cover (with frames from `hivesync-frames`) and
//! whether the screen shows native text. Prints one line per screen and the totals
//! (`cargo nextest run -p hivesync-layout --test snapshot_coverage --no-capture`), and holds
//! that no screen is mostly snapshot (a wrapper never hides a screen) and every one shows text.

use std::path::Path;

use hivesync_layout::{CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile};
use serde_json::Value;

/// Share of the window (0..1) covered by visible snapshot nodes, on a 1-point grid.
fn snapshot_share(doc: &Value) -> f64 {
    let (w, h) = (
        doc["device"]["width"].as_f64().unwrap(),
        doc["device"]["height"].as_f64().unwrap(),
    );
    let (cols, rows) = (w.ceil() as usize, h.ceil() as usize);
    let mut grid = vec![false; cols * rows];
    fn walk(n: &Value, x0: f64, y0: f64, grid: &mut [bool], cols: usize, rows: usize) {
        let f = &n["frame"];
        let (x, y) = (
            x0 + f["x"].as_f64().unwrap_or(0.0),
            y0 + f["y"].as_f64().unwrap_or(0.0),
        );
        if n["type"] == "HS_ImageSnapshot" {
            let (fw, fh) = (
                f["width"].as_f64().unwrap_or(0.0),
                f["height"].as_f64().unwrap_or(0.0),
            );
            let clamp = |v: f64, max: usize| v.round().clamp(0.0, max as f64) as usize;
            for r in clamp(y, rows)..clamp(y + fh, rows) {
                for c in clamp(x, cols)..clamp(x + fw, cols) {
                    grid[r * cols + c] = true;
                }
            }
            return;
        }
        for c in n["children"].as_array().into_iter().flatten() {
            walk(c, x, y, grid, cols, rows);
        }
    }
    walk(&doc["root"], 0.0, 0.0, &mut grid, cols, rows);
    grid.iter().filter(|c| **c).count() as f64 / grid.len() as f64
}

fn has_native_text(n: &Value) -> bool {
    let text = matches!(n["type"].as_str(), Some("Text" | "RawText" | "Button"))
        && n["text"].as_str().is_some_and(|t| !t.trim().is_empty());
    text || n["children"]
        .as_array()
        .is_some_and(|c| c.iter().any(has_native_text))
}

/// (screen, snapshot share, native text, snapshot count) of every screen of a request.
fn measure(label: &str, req: CompileRequest) -> Vec<(String, f64, bool, usize)> {
    let out = compile(&req).expect("compiles");
    out.screens
        .iter()
        .map(|s| {
            let mut document = s.document.clone();
            hivesync_frames::layout_json::add_frames(
                &mut document,
                &hivesync_frames::FontSet::bundled(),
            )
            .expect("frames");
            let doc = serde_json::to_value(&document).unwrap();
            (
                format!("{label}/{}", s.id),
                snapshot_share(&doc),
                has_native_text(&doc["root"]),
                s.snapshots.len(),
            )
        })
        .collect()
}

/// Every fixture screen and bench input, measured.
fn all_screens() -> Vec<(String, f64, bool, usize)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let iphone = Target::new(TargetPlatform::Ios, DeviceKind::Iphone);
    let mut rows = Vec::new();
    let mut fixtures: Vec<_> = std::fs::read_dir(dir.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    for root in fixtures {
        let mut files = Vec::new();
        crate::common::load(&root, &root, &mut files);
        let name = root.file_name().unwrap().to_string_lossy().to_string();
        rows.extend(measure(&name, CompileRequest::new(files, iphone)));
    }
    let mut inputs: Vec<_> = std::fs::read_dir(dir.join("benches/inputs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    for p in inputs {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let files = vec![SourceFile::new(&name, std::fs::read_to_string(&p).unwrap())];
        // As the compile bench asks for them: the file is the screen.
        let mut req = CompileRequest::new(files, iphone);
        req.screens = Some(vec![name]);
        rows.extend(measure("bench", req));
    }
    rows
}

#[test]
fn no_screen_is_mostly_snapshot_and_every_screen_shows_native_text() {
    let rows = all_screens();
    for (screen, share, text, snapshots) in &rows {
        println!(
            "{screen:<40} snapshot {:>5.1}% of the window ({snapshots} nodes)  native text: {}",
            share * 100.0,
            if *text { "yes" } else { "no" }
        );
    }
    let mostly: Vec<&str> = rows
        .iter()
        .filter(|r| r.1 >= 0.5)
        .map(|r| r.0.as_str())
        .collect();
    let text = rows.iter().filter(|r| r.2).count();
    println!(
        "{} screens: {} mostly (>= 50% of the window) snapshot, {text} with native text",
        rows.len(),
        mostly.len()
    );
    assert!(mostly.is_empty(), "mostly snapshot: {mostly:?}");
    assert_eq!(text, rows.len(), "screens without native text");
}
