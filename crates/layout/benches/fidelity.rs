//! Fidelity on real public code: how the compiler does on the apps of `bench/corpus.txt`
//! (templates and boilerplates from the npm registry, fetched by `scripts/fetch-corpus` into
//! `$HIVESYNC_CORPUS`, default `~/.cache/hivesync-corpus`), previewed as a developer would.
//!
//! For each app: the screens discovery lists (no `--screen`), then every component file
//! previewed on its own (`--screen FILE`). For every compiled screen, laid out for an iPhone:
//! whether it is mostly snapshot (`HS_ImageSnapshot` nodes cover >= 50% of the window),
//! whether it shows native text, the share of its nodes that are native, and how many guesses
//! about unknown values (`unknown-condition`, `unknown-child`, `unknown-style-value` warnings)
//! it made per screen. Prints a table
//! per app and the totals (`cargo bench -p hivesync-layout --bench fidelity`; one app:
//! `-- ignite`). With `HIVESYNC_FIDELITY_DOCS=DIR` every laid-out document is written to DIR,
//! for `node crates/frames/yoga-harness/agreement.mjs DIR` (stock Yoga over the documents).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hivesync_layout::document::{LayoutDocument, Node};
use hivesync_layout::{
    CompileOutput, CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile,
};

const SKIPPED_DIRS: [&str; 8] = [
    "node_modules",
    "ios",
    "android",
    "build",
    "dist",
    "__tests__",
    "test",
    "e2e",
];

/// The app's text files, paths relative to its folder.
fn read_app(root: &Path) -> Vec<SourceFile> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !SKIPPED_DIRS.contains(&name.as_str()) && !name.starts_with('.') {
                    walk(root, &path, out);
                }
                continue;
            }
            let text = [".tsx", ".ts", ".jsx", ".js", ".json"]
                .iter()
                .any(|x| name.ends_with(x))
                && !name.ends_with(".d.ts")
                && name != "package-lock.json";
            if !text {
                continue;
            }
            if let Ok(content) = std::fs::read_to_string(&path) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(SourceFile::new(rel, content));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

/// A file a developer would preview: a script outside tests, stories and config that renders
/// JSX.
fn is_component_file(f: &SourceFile) -> bool {
    let p = &f.path;
    let script = [".tsx", ".jsx", ".js"].iter().any(|x| p.ends_with(x));
    let skipped = [
        ".test.",
        ".spec.",
        ".stories.",
        ".config.",
        "babel.",
        "metro.",
        "jest.",
    ]
    .iter()
    .any(|x| p.contains(x))
        || p.contains("+html")
        || p.starts_with("scripts/");
    script && !skipped && (f.content.contains("/>") || f.content.contains("</"))
}

#[derive(Default, Clone, Copy)]
struct Tally {
    screens: usize,
    failed: usize,
    mostly_snapshot: usize,
    native_text: usize,
    nodes: usize,
    native_nodes: usize,
    /// Warnings of the kinds that are guesses about unknown values, by [`GUESS_CODES`].
    guesses: [usize; 3],
}

/// The warning codes counted per screen: a guessed branch, a left-out child, a missing style.
const GUESS_CODES: [&str; 3] = ["unknown-condition", "unknown-child", "unknown-style-value"];

impl Tally {
    fn add(&mut self, o: Tally) {
        self.screens += o.screens;
        self.failed += o.failed;
        self.mostly_snapshot += o.mostly_snapshot;
        self.native_text += o.native_text;
        self.nodes += o.nodes;
        self.native_nodes += o.native_nodes;
        for (a, b) in self.guesses.iter_mut().zip(o.guesses) {
            *a += b;
        }
    }
}

/// Share of the window (0..1) covered by snapshot nodes, on a 1-point grid.
fn snapshot_share(doc: &LayoutDocument) -> f64 {
    let (cols, rows) = (
        doc.device.width.ceil() as usize,
        doc.device.height.ceil() as usize,
    );
    let mut grid = vec![false; cols * rows];
    fn walk(n: &Node, x0: f64, y0: f64, grid: &mut [bool], cols: usize, rows: usize) {
        let Some(f) = n.frame.as_deref() else { return };
        let (x, y) = (x0 + f.x, y0 + f.y);
        if n.kind == "HS_ImageSnapshot" {
            let clamp = |v: f64, max: usize| v.round().clamp(0.0, max as f64) as usize;
            for r in clamp(y, rows)..clamp(y + f.height, rows) {
                for c in clamp(x, cols)..clamp(x + f.width, cols) {
                    grid[r * cols + c] = true;
                }
            }
            return;
        }
        for c in &n.children {
            walk(c, x, y, grid, cols, rows);
        }
    }
    walk(&doc.root, 0.0, 0.0, &mut grid, cols, rows);
    grid.iter().filter(|c| **c).count() as f64 / grid.len().max(1) as f64
}

fn has_native_text(n: &Node) -> bool {
    (matches!(&*n.kind, "Text" | "RawText" | "Button" | "TextInput")
        && n.text.as_deref().is_some_and(|t| !t.trim().is_empty()))
        || n.children.iter().any(has_native_text)
}

fn count_nodes(n: &Node, all: &mut usize, native: &mut usize) {
    *all += 1;
    if n.kind != "HS_ImageSnapshot" {
        *native += 1;
    }
    for c in &n.children {
        count_nodes(c, all, native);
    }
}

fn tally(out: &CompileOutput) -> Tally {
    let mut t = Tally {
        failed: out.failures.len(),
        ..Tally::default()
    };
    for s in &out.screens {
        let mut doc = s.document.clone();
        if hivesync_frames::layout_json::add_frames(&mut doc, &hivesync_frames::FontSet::bundled())
            .is_err()
        {
            t.failed += 1;
            continue;
        }
        t.screens += 1;
        if let Some(dir) = std::env::var_os("HIVESYNC_FIDELITY_DOCS") {
            // Every laid-out document, for the stock-Yoga check
            // (crates/frames/yoga-harness/agreement.mjs DIR).
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("documents folder");
            let n = std::fs::read_dir(&dir).map_or(0, |rd| rd.count());
            let json = serde_json::to_vec(&doc).expect("document JSON");
            std::fs::write(dir.join(format!("{n:05}-{}.json", s.id)), json)
                .expect("write document");
        }
        for w in &s.warnings {
            if let Some(i) = GUESS_CODES.iter().position(|c| *c == w.code) {
                t.guesses[i] += 1;
            }
        }
        if snapshot_share(&doc) >= 0.5 {
            t.mostly_snapshot += 1;
        }
        if has_native_text(&doc.root) {
            t.native_text += 1;
        }
        count_nodes(&doc.root, &mut t.nodes, &mut t.native_nodes);
    }
    t
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

fn row(label: &str, t: &Tally) -> String {
    let total = t.screens + t.failed;
    let per_screen = |n: usize| {
        if t.screens == 0 {
            "-".to_string()
        } else {
            format!("{:.2}", n as f64 / t.screens as f64)
        }
    };
    format!(
        "| {label} | {total} | {} | {} | {} | {} | {} | {} | {} |",
        pct(t.screens, total),
        pct(t.mostly_snapshot, t.screens),
        pct(t.native_text, t.screens),
        pct(t.native_nodes, t.nodes),
        per_screen(t.guesses[0]),
        per_screen(t.guesses[1]),
        per_screen(t.guesses[2]),
    )
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let corpus = std::env::var_os("HIVESYNC_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/hivesync-corpus")
        });
    let Ok(rd) = std::fs::read_dir(&corpus) else {
        eprintln!(
            "no corpus at {} (run scripts/fetch-corpus first)",
            corpus.display()
        );
        return;
    };
    let mut apps: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .filter(|p| {
            filter.is_empty()
                || filter
                    .iter()
                    .any(|f| p.to_string_lossy().contains(f.as_str()))
        })
        .collect();
    apps.sort();
    let target = Target::new(TargetPlatform::Ios, DeviceKind::Iphone);
    let (mut nav_all, mut files_all) = (Tally::default(), Tally::default());
    let mut times: Vec<Duration> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut not_components = 0usize;
    let mut lines = vec![
        "| app: discovered screens / component files | screens | compile | mostly snapshot | native text | native nodes | unknown-condition / screen | unknown-child / screen | unknown-style-value / screen |".to_string(),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |".to_string(),
    ];
    for app in &apps {
        let name = app.file_name().unwrap().to_string_lossy().into_owned();
        let files = read_app(app);
        let nav = match compile(&CompileRequest::new(files.clone(), target)) {
            Ok(out) => {
                for f in &out.failures {
                    failures.push(format!(
                        "{name}: screen {} ({}): {}",
                        f.name, f.file, f.message
                    ));
                }
                tally(&out)
            }
            Err(e) => {
                failures.push(format!("{name}: discovery: {e}"));
                Tally::default()
            }
        };
        let mut per_file = Tally::default();
        for f in files.iter().filter(|f| is_component_file(f)) {
            let mut req = CompileRequest::new(files.clone(), target);
            req.screens = Some(vec![f.path.clone()]);
            let started = Instant::now();
            let result = compile(&req);
            times.push(started.elapsed());
            match result {
                // Files that hold JSX but no component (data objects of JSX, hooks) say so;
                // they are counted apart, not as failures.
                Ok(out)
                    if out.screens.is_empty()
                        && out
                            .failures
                            .iter()
                            .all(|x| x.message.contains("has no component to preview")) =>
                {
                    not_components += 1;
                }
                Ok(out) => {
                    for x in &out.failures {
                        failures.push(format!("{name}: {}: {}", f.path, x.message));
                    }
                    per_file.add(tally(&out));
                }
                Err(e) => {
                    failures.push(format!("{name}: {}: {e}", f.path));
                    per_file.failed += 1;
                }
            }
        }
        lines.push(row(&format!("{name} (discovered)"), &nav));
        lines.push(row(&format!("{name} (files)"), &per_file));
        nav_all.add(nav);
        files_all.add(per_file);
    }
    lines.push(row("**all (discovered)**", &nav_all));
    lines.push(row("**all (files)**", &files_all));
    for l in &lines {
        println!("{l}");
    }
    println!(
        "\n{not_components} files with JSX but no component (data objects, hooks) are not counted"
    );
    times.sort();
    if !times.is_empty() {
        println!(
            "\nper-file preview compile (whole app sent): median {:.2} ms, p90 {:.2} ms over {} files",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[times.len() * 9 / 10].as_secs_f64() * 1e3,
            times.len()
        );
    }
    if !failures.is_empty() {
        println!("\nfailures ({}):", failures.len());
        for f in &failures {
            println!("  {f}");
        }
    }
}
