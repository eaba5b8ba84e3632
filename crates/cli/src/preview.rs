//! `hivesync preview PATH... --platform ios|android --device iphone|ipad|android-phone --out DIR`:
//! the preview compiler offline. Reads a project folder (or the listed files), compiles every
//! screen (or the `--screen`s named) with `hivesync-layout`, lays it out for the device and
//! writes `<out>/<screen_id>/layout.json` (with frames) and its snapshot PNGs under
//! `<out>/<screen_id>/assets/`; `--render` adds `<out>/<screen_id>/screen.png`. Summary on
//! stdout, warnings and progress on stderr. The packages the project imports are read from the
//! folder's `node_modules/` (and the ones they import, in turn), so that their components
//! render from their own code; the rest of `node_modules/` is not read.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use hivesync_core::ids::ScreenId;
use hivesync_layout::{
    Cancel, CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile,
    imported_packages,
};
use hivesync_render::layout_json::{SnapshotLimits, render_document};
use hivesync_worker::artifacts::LaidOutScreen;

/// Arguments of `hivesync preview`.
#[derive(clap::Args, Debug)]
pub struct PreviewArgs {
    /// A project folder, or the files to compile (with what they import).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Target platform: ios or android.
    #[arg(long, default_value = "ios")]
    pub platform: TargetPlatform,
    /// Device profile: iphone (iPhone 15, 393x852 pt @3x), ipad (iPad 10th generation,
    /// 820x1180 pt @2x) or android-phone (Pixel 7, 412x915 dp @2.625); default: iphone for ios,
    /// android-phone for android.
    #[arg(long)]
    pub device: Option<DeviceKind>,
    /// Output folder; one `<screen_id>/layout.json` per screen is written under it.
    #[arg(long, default_value = "hivesync-preview")]
    pub out: PathBuf,
    /// Also render each screen to `<out>/<screen_id>/screen.png` at the device's scale.
    #[arg(long)]
    pub render: bool,
    /// Compile only these screens (screen name, id, component name or file path); repeatable.
    #[arg(long = "screen")]
    pub screens: Vec<String>,
    /// Also print why the preview differs from the app: the warnings of every screen grouped
    /// by kind and cause (largest first), with counts and an example location.
    #[arg(long)]
    pub explain: bool,
}

/// Folders that never hold project source.
pub(crate) const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".expo",
    ".next",
    "build",
    "dist",
    "ios",
    "android",
    "Pods",
    "coverage",
    "vendor",
    "web-build",
    ".turbo",
    ".cache",
];

/// Folders of a package that hold no code its components run (tests, examples, native code).
const SKIPPED_PACKAGE_DIRS: &[&str] = &[
    "node_modules",
    "__tests__",
    "__mocks__",
    "__fixtures__",
    "example",
    "examples",
    "docs",
    "android",
    "ios",
    "windows",
    "macos",
    "typescript",
];

/// Files whose text the compiler reads; images and fonts (sniffed from their bytes) are sent as
/// binary files, other assets (SVG, video, ...) by name only.
const SOURCE_EXTS: &[&str] = &["tsx", "ts", "jsx", "js", "mjs", "cjs", "json"];
const ASSET_EXTS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "ttf", "otf"];
const CONFIG_FILES: &[&str] = &[".babelrc"];

/// Largest file read; bigger ones are skipped with a warning (generated bundles, data dumps).
const MAX_FILE_BYTES: u64 = 1 << 20;
/// Largest image or font read; a bigger one is passed by name only (a placeholder).
const MAX_ASSET_BYTES: u64 = 16 << 20;

pub fn run(args: &PreviewArgs) -> Result<()> {
    let files = collect_files(&args.paths)?;
    if files.is_empty() {
        bail!("no source files found in {}", display_paths(&args.paths));
    }
    eprintln!("preview: compiling {} files", files.len());
    let platform = args.platform;
    let device = match (args.device, platform) {
        (Some(device), _) => device,
        (None, TargetPlatform::Ios) => DeviceKind::Iphone,
        (None, TargetPlatform::Android) => DeviceKind::AndroidPhone,
    };
    let mut req = CompileRequest::new(files, Target::new(platform, device));
    if !args.screens.is_empty() {
        req.screens = Some(args.screens.clone());
    }
    let out = compile(&req).context("compile failed")?;

    for w in &out.warnings {
        eprintln!("warning: {}", w.message);
    }
    let mut totals = (0usize, 0usize, 0usize);
    for s in &out.screens {
        let dir = args.out.join(&s.id);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join("layout.json");
        // Frames for the device and the snapshot PNGs the document asks for, exactly as the
        // worker stores them (under `assets/`, named by content).
        let screen_id = ScreenId::parse(&s.id)
            .with_context(|| format!("screen id {} is not a storage name", s.id))?;
        let cancel = Cancel::new();
        let finished = LaidOutScreen::new(
            s.document.clone(),
            &req.files,
            SnapshotLimits::SCREEN,
            &cancel,
        )
        .and_then(|screen| screen.finish(&screen_id, &req.files, &cancel))
        .with_context(|| format!("cannot lay out screen {}", s.id))?;
        // Snapshots drawn at least 1 point, or clipped to the screen.
        for w in &finished.warnings {
            eprintln!("warning[{}]: {}", s.id, w.message);
        }
        if !finished.assets.is_empty() {
            let asset_dir = dir.join("assets");
            std::fs::create_dir_all(&asset_dir)
                .with_context(|| format!("cannot create {}", asset_dir.display()))?;
            for (id, media, bytes) in &finished.assets {
                let file = asset_dir.join(format!("{id}.{}", media.extension()));
                std::fs::write(&file, bytes)
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
        }
        let json = serde_json::to_string_pretty(&finished.document)
            .context("cannot serialize layout.json")?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
        if args.render {
            let png = render_document(&finished.document, &|asset| {
                let found = finished.assets.iter().find(|(id, ..)| id.as_str() == asset);
                found.map(|(_, _, bytes)| bytes.clone())
            })
            .with_context(|| format!("cannot render screen {}", s.id))?;
            let file = dir.join("screen.png");
            std::fs::write(&file, png)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
        for w in &s.warnings {
            match &w.location {
                Some(l) => eprintln!(
                    "warning[{}]: {}:{}:{}: {}",
                    s.id, l.file, l.line, l.column, w.message
                ),
                None => eprintln!("warning[{}]: {}", s.id, w.message),
            }
        }
        let nodes = s.document.root.count();
        totals = (
            totals.0 + nodes,
            totals.1 + s.snapshots.len(),
            totals.2 + s.warnings.len(),
        );
        println!(
            "{:<24} {:>5} nodes {:>3} snapshots {:>3} warnings  {}",
            s.id,
            nodes,
            s.snapshots.len(),
            s.warnings.len(),
            path.display()
        );
    }
    for f in &out.failures {
        println!("{:<24} FAILED  {}", f.id, f.message);
    }
    println!(
        "{} screens, {} nodes, {} snapshots, {} warnings{}",
        out.screens.len(),
        totals.0,
        totals.1,
        totals.2 + out.warnings.len(),
        if out.failures.is_empty() {
            String::new()
        } else {
            format!(", {} failed", out.failures.len())
        }
    );
    if args.explain {
        let screens = out
            .screens
            .iter()
            .map(|s| (s.id.as_str(), s.warnings.as_slice()))
            .chain((!out.warnings.is_empty()).then_some(("(project)", out.warnings.as_slice())));
        println!("\n{}", crate::explain::report(screens));
    }
    if out.screens.is_empty() {
        bail!("no screen compiled ({} failed)", out.failures.len());
    }
    Ok(())
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the project: a folder is walked (skipping dependency and build folders) with paths
/// relative to it; listed files keep the path as given.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<SourceFile>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("cannot read {}", p.display()))?;
        if meta.is_dir() {
            let start = out.len();
            walk(p, p, SKIPPED_DIRS, &mut out)?;
            add_packages(p, start, &mut out)?;
        } else if let Some(f) = read_file(p, &relative_name(p))? {
            out.push(f);
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// `p` as a `/`-separated path of its normal components.
pub(crate) fn relative_name(p: &Path) -> String {
    p.components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Adds the packages that the files `out[start..]` import, from `root/node_modules/<name>`
/// (hoisted installs: nested `node_modules` folders are not read), and in turn the packages
/// those import.
pub(crate) fn add_packages(root: &Path, start: usize, out: &mut Vec<SourceFile>) -> Result<()> {
    let mut queue: Vec<String> = Vec::new();
    let mut scanned = start;
    let mut read = std::collections::HashSet::new();
    loop {
        for f in &out[scanned..] {
            queue.extend(imported_packages(&f.content));
        }
        scanned = out.len();
        let Some(name) = queue.pop() else {
            return Ok(());
        };
        let dir = root.join("node_modules").join(&name);
        if read.insert(name) && dir.is_dir() {
            walk(root, &dir, SKIPPED_PACKAGE_DIRS, out)?;
        }
    }
}

fn walk(root: &Path, dir: &Path, skipped: &[&str], out: &mut Vec<SourceFile>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if !skipped.contains(&name.as_str()) && !name.starts_with('.') {
                walk(root, &path, skipped, out)?;
            }
        } else if ft.is_file() {
            let rel = path
                .strip_prefix(root)
                .map(relative_name)
                .unwrap_or_else(|_| relative_name(&path));
            if let Some(f) = read_file(&path, &rel)? {
                out.push(f);
            }
        }
    }
    Ok(())
}

/// The file at `path` as the project file `rel`, when it is one the compiler reads: source,
/// configuration, an image or a font (`None` for anything else and for oversized files).
pub(crate) fn read_file(path: &Path, rel: &str) -> Result<Option<SourceFile>> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ASSET_EXTS.contains(&ext.as_str()) {
        return Ok(Some(read_asset(path, rel)));
    }
    if !SOURCE_EXTS.contains(&ext.as_str()) && !CONFIG_FILES.contains(&name.as_str()) {
        return Ok(None);
    }
    if name == "package-lock.json" || name.ends_with(".d.ts") {
        return Ok(None);
    }
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        eprintln!("preview: skipping {rel} ({len} bytes, larger than {MAX_FILE_BYTES})");
        return Ok(None);
    }
    match std::fs::read_to_string(path) {
        Ok(content) => Ok(Some(SourceFile::new(rel, content))),
        Err(e) => {
            eprintln!("preview: skipping {rel}: {e}");
            Ok(None)
        }
    }
}

/// An image or font as a binary file when it is one (its bytes sniffed: see
/// `hivesync_core::media`), else by name only, as the compiler treats assets it cannot show.
fn read_asset(path: &Path, rel: &str) -> SourceFile {
    let by_name = || SourceFile::new(rel, "");
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > MAX_ASSET_BYTES {
        eprintln!("preview: {rel} is {len} bytes, larger than {MAX_ASSET_BYTES}: not shown");
        return by_name();
    }
    let Ok(bytes) = std::fs::read(path) else {
        return by_name();
    };
    if hivesync_core::media::MediaType::sniff(&bytes).is_none() {
        return by_name();
    }
    let file = SourceFile::binary(rel, &bytes);
    if let Err(e) = file.media() {
        eprintln!("preview: {e}: not shown");
        return by_name();
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_project(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("hivesync-preview-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("app")).unwrap();
        std::fs::create_dir_all(dir.join("node_modules/x")).unwrap();
        std::fs::write(
            dir.join("app/index.tsx"),
            "import { View, Text } from 'react-native';\nexport default function Home() { return <View><Text>Hi</Text></View>; }\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("app/about.tsx"),
            "export default function About() { return null; }\n",
        )
        .unwrap();
        std::fs::write(dir.join("node_modules/x/index.js"), "this is not parsed").unwrap();
        std::fs::write(dir.join("logo.png"), [0x89u8, b'P', b'N', b'G']).unwrap();
        dir
    }

    #[test]
    fn imported_packages_are_read_from_node_modules_with_what_they_import_and_nothing_else() {
        let dir = temp_project("packages");
        let write = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "app/kit.tsx",
            "import { Card } from 'some-kit';\nexport default function K() { return <Card/>; }\n",
        );
        write(
            "node_modules/some-kit/package.json",
            r#"{"main": "lib/index.js"}"#,
        );
        write(
            "node_modules/some-kit/lib/index.js",
            "var React = require('react');\nvar b = require('@scope/base/lib/Box');\n",
        );
        write("node_modules/some-kit/lib/index.d.ts", "export {}");
        write("node_modules/some-kit/__tests__/index.test.js", "test()");
        write(
            "node_modules/@scope/base/lib/Box.js",
            "module.exports = {};",
        );
        write("node_modules/unused/index.js", "module.exports = {};");
        write("node_modules/react/index.js", "module.exports = {};");
        let files = collect_files(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "app/about.tsx",
                "app/index.tsx",
                "app/kit.tsx",
                "logo.png",
                "node_modules/@scope/base/lib/Box.js",
                "node_modules/some-kit/lib/index.js",
                "node_modules/some-kit/package.json",
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn preview_writes_one_layout_json_per_screen_and_skips_node_modules() {
        let dir = temp_project("ok");
        let out = dir.join("out");
        let args = PreviewArgs {
            paths: vec![dir.clone()],
            platform: TargetPlatform::Android,
            device: None,
            out: out.clone(),
            render: true,
            screens: vec![],
            explain: false,
        };
        let files = collect_files(&args.paths).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["app/about.tsx", "app/index.tsx", "logo.png"]);
        run(&args).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("index/layout.json")).unwrap())
                .unwrap();
        assert_eq!(doc["schema"], "hivesync.layout/1");
        assert_eq!(doc["platform"], "android");
        assert_eq!(doc["device"]["kind"], "android-phone");
        assert!(out.join("about/layout.json").exists());
        // 412 dp at 2.625 rounds to the pixel grid (1082 px) the way Yoga does.
        let width = doc["root"]["frame"]["width"].as_f64().unwrap();
        assert!(
            (width - 412.0).abs() < 0.5,
            "frames for the Android phone: {width}"
        );
        let png = std::fs::read(out.join("index/screen.png")).unwrap();
        assert_eq!(
            &png[..8],
            b"\x89PNG\r\n\x1a\n",
            "--render writes the screen"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn preview_with_explain_reports_the_causes_of_the_screens_warnings() {
        let dir = temp_project("explain");
        let args = PreviewArgs {
            paths: vec![dir.clone()],
            platform: TargetPlatform::Ios,
            device: None,
            out: dir.join("out"),
            render: false,
            screens: vec![],
            explain: true,
        };
        run(&args).unwrap();
        let req = CompileRequest::new(
            collect_files(&args.paths).unwrap(),
            Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
        );
        let out = compile(&req).unwrap();
        let report = crate::explain::report(
            out.screens
                .iter()
                .map(|s| (s.id.as_str(), s.warnings.as_slice())),
        );
        assert!(
            report.starts_with(&format!(
                "Why the preview differs: {} warnings over {} screens",
                out.screens.iter().map(|s| s.warnings.len()).sum::<usize>(),
                out.screens.len()
            )),
            "{report}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn preview_reads_the_folders_images_in_base64_and_writes_them_with_the_layout() {
        let fixture =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../layout/tests/fixtures/image-assets");
        let out =
            std::env::temp_dir().join(format!("hivesync-preview-images-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let args = PreviewArgs {
            paths: vec![fixture.clone()],
            platform: TargetPlatform::Ios,
            device: None,
            out: out.clone(),
            render: true,
            screens: vec!["Welcome".into()],
            explain: false,
        };
        let files = collect_files(&args.paths).unwrap();
        let hero = files
            .iter()
            .find(|f| f.path == "assets/images/hero.jpg")
            .unwrap();
        assert!(hero.is_binary());
        assert_eq!(
            hero.decoded().unwrap(),
            std::fs::read(fixture.join("assets/images/hero.jpg")).unwrap()
        );
        run(&args).unwrap();
        let doc: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join("welcome/layout.json")).unwrap(),
        )
        .unwrap();
        for asset in doc["assets"].as_array().unwrap() {
            let key = asset["storage_key"].as_str().unwrap();
            let name = key.rsplit('/').next().unwrap();
            let written = std::fs::read(out.join("welcome/assets").join(name)).unwrap();
            let file = asset["file"].as_str().unwrap();
            assert_eq!(
                written,
                std::fs::read(fixture.join(file)).unwrap(),
                "{file}"
            );
        }
        assert_eq!(doc["assets"].as_array().unwrap().len(), 2);
        assert!(out.join("welcome/screen.png").exists());
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn preview_fails_with_one_clear_error_when_nothing_compiles() {
        let dir = temp_project("none");
        let args = PreviewArgs {
            paths: vec![dir.join("app/index.tsx")],
            platform: TargetPlatform::Ios,
            device: Some(DeviceKind::Ipad),
            out: dir.join("out"),
            render: false,
            screens: vec!["Nope".into()],
            explain: false,
        };
        let err = run(&args).unwrap_err();
        assert!(format!("{err:#}").contains("no screens found"), "{err:#}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
