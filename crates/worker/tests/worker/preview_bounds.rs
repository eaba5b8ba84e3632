//! The CPU part of a preview job (`artifacts::build_preview`) on the stack tokio's
//! `spawn_blocking` gives (2 MiB), against the requests that used to abort the worker or
//! exhaust its memory: output trees nested without end, snapshots far larger than the screen,
//! more snapshots or pixels than the tier allows, and a job that must stop.

use std::time::{Duration, Instant};

use hivesync_core::ids::JobId;
use hivesync_core::{DeviceType, Platform};
use hivesync_layout::{Cancel, Limits, SourceFile};
use hivesync_worker::artifacts::{BuildError, ScreenArtifacts, SnapshotBudget, build_preview};

const PRO: SnapshotBudget = SnapshotBudget {
    max_snapshots: 50,
    max_pixels: 4_000_000,
    max_pixels_per_preview: 64_000_000,
};

/// Builds an iPhone preview of `files` on a 2 MiB thread.
fn build(
    files: Vec<(String, String)>,
    budget: SnapshotBudget,
    cancel: Cancel,
) -> Result<Vec<ScreenArtifacts>, BuildError> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let files = files
                .into_iter()
                .map(|(p, c)| SourceFile::new(p, c))
                .collect();
            build_preview(
                &JobId::new_random(),
                Platform::Ios,
                &[DeviceType::Iphone],
                files,
                None,
                &Limits::default(),
                budget,
                &cancel,
            )
        })
        .unwrap()
        .join()
        .unwrap()
}

fn app(body: &str) -> String {
    format!(
        "import React from 'react';\nimport {{ View, Text }} from 'react-native';\nimport MapView from 'react-native-maps';\n{body}"
    )
}

/// A screen component `name` of `levels` nested Views, one shallow line per level.
fn nested_screen(name: &str, levels: usize) -> String {
    let mut body = String::from("const v1 = <View />;\n");
    for i in 2..=levels {
        body.push_str(&format!("const v{i} = <View>{{v{}}}</View>;\n", i - 1));
    }
    body.push_str(&format!(
        "export default function {name}() {{ return v{levels}; }}"
    ));
    app(&body)
}

#[test]
fn a_screen_nested_too_deeply_fails_the_preview_instead_of_aborting_the_worker() {
    // 1,200 levels: frames, render and serde overflowed a 2 MiB stack and aborted the process.
    let files = vec![("App.tsx".into(), nested_screen("App", 1_200))];
    let err = build(files, PRO, Cancel::new()).unwrap_err();
    let BuildError::Failed(reason) = err else {
        panic!("{err:?}")
    };
    assert!(
        reason.starts_with("no screen could be compiled") && reason.contains("nested too deeply"),
        "{reason}"
    );
}

#[test]
fn the_deepest_screens_allowed_are_laid_out_serialized_and_dropped_on_a_blocking_thread_stack() {
    // At the output depth limit, with props nested as deep as values may be (`p63` is 64
    // objects deep, `p64` one more), next to a screen past the limit (skipped with a warning).
    let limit = Limits::default().max_output_depth;
    let mut deepest = String::from("const p0 = { a: 1 };\n");
    for i in 1..=64 {
        deepest.push_str(&format!("const p{i} = {{ a: p{} }};\n", i - 1));
    }
    deepest.push_str("const v1 = <View testID={p64} accessibilityLabel={p63} />;\n");
    for i in 2..limit {
        deepest.push_str(&format!(
            "const v{i} = <View testID={{p63}}>{{v{}}}</View>;\n",
            i - 1
        ));
    }
    deepest.push_str(&format!(
        "export default function Deepest() {{ return v{}; }}",
        limit - 1
    ));
    let files = vec![
        ("app/index.tsx".into(), app(&deepest)),
        ("app/too-deep.tsx".into(), nested_screen("TooDeep", limit)),
    ];
    let out = build(files, PRO, Cancel::new()).unwrap();
    assert_eq!(out.len(), 1);
    let warnings: Vec<&str> = out[0]
        .warnings
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(warnings.contains(&"screen-failed"), "{warnings:?}");
    assert!(
        out[0].warnings.iter().any(|w| w["code"] == "unknown-prop"
            && w["message"].as_str().unwrap().contains("nested too deeply")),
        "p64 is deeper than values may be: {:?}",
        out[0].warnings
    );
    // The document is laid out and serialized: `limit` nodes deep (two JSON levels each: the
    // node and the `children` holding it), the deepest node's props and their 64 levels.
    let layout = std::str::from_utf8(&out[0].layout).unwrap();
    assert!(layout.contains("\"frame\""));
    assert_eq!(json_depth(layout), 2 * limit + 1 + 64);
}

/// The deepest nesting of arrays and objects in JSON text.
fn json_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0, false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (true, ..) => {}
            (false, _, '"') => in_string = true,
            (false, _, '[' | '{') => {
                depth += 1;
                max = max.max(depth);
            }
            (false, _, ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    max
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (be(16), be(20))
}

/// A screen with `n` MapViews of `size` points, each with its own background when `distinct`.
fn maps(n: usize, size: u32, distinct: bool) -> String {
    let views: String = (0..n)
        .map(|i| {
            let bg = if distinct {
                format!("#{:06x}", i * 4099)
            } else {
                "#ccddee".into()
            };
            format!(
                "<MapView style={{{{ width: {size}, height: {size}, backgroundColor: '{bg}' }}}} />"
            )
        })
        .collect();
    app(&format!(
        "export default function App() {{ return <View>{views}</View>; }}"
    ))
}

#[test]
fn snapshots_far_larger_than_the_screen_are_clipped_to_it() {
    // Six 3,800-point MapViews at 3x were 11,400 x 11,400 pixels each (they added 871 MiB
    // to the dev process). Identical, they are drawn once.
    let out = build(
        vec![("App.tsx".into(), maps(6, 3800, false))],
        PRO,
        Cancel::new(),
    )
    .unwrap();
    let assets = &out[0].assets;
    assert_eq!(assets.len(), 1);
    assert_eq!(png_size(&assets[0].1), (393 * 3, 852 * 3));
    let clipped = out[0]
        .warnings
        .iter()
        .filter(|w| w["code"] == "snapshot-clipped")
        .count();
    assert_eq!(clipped, 6);
}

#[test]
fn snapshot_count_and_pixels_are_checked_before_any_snapshot_is_drawn() {
    // 40 different full-screen snapshots: 120 megapixels, seconds of drawing in a debug build.
    let files = || vec![("App.tsx".to_string(), maps(40, 1000, true))];
    let started = Instant::now();
    let err = build(
        files(),
        SnapshotBudget {
            max_snapshots: 10,
            ..PRO
        },
        Cancel::new(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        BuildError::Failed(
            "this preview needs 40 snapshots but your tier allows 10 per preview; preview fewer screens or upgrade".into()
        )
    );
    let err = build(files(), PRO, Cancel::new()).unwrap_err();
    assert_eq!(
        err,
        BuildError::Failed(
            "this preview's snapshots need 120.5 megapixels but your tier allows 64.0 per preview; preview fewer screens or upgrade".into()
        )
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // Identical snapshots are drawn (and counted) once.
    let out = build(
        vec![("App.tsx".into(), maps(40, 1000, false))],
        PRO,
        Cancel::new(),
    )
    .unwrap();
    assert_eq!(out[0].assets.len(), 1);
}

#[test]
fn a_cancelled_build_stops_with_cancelled() {
    let cancel = Cancel::new();
    cancel.cancel();
    let err = build(vec![("App.tsx".into(), maps(2, 100, true))], PRO, cancel).unwrap_err();
    assert_eq!(err, BuildError::Cancelled);
    let past = Cancel::with_deadline(Instant::now());
    let err = build(vec![("App.tsx".into(), maps(2, 100, true))], PRO, past).unwrap_err();
    assert_eq!(err, BuildError::Cancelled);
}

/// The files of a compiler fixture, binary ones (fonts, images) in base64 as a client sends them.
fn fixture_files(name: &str) -> Vec<SourceFile> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layout/tests/fixtures")
        .join(name);
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&p).unwrap();
            out.push(
                if hivesync_core::media::MediaType::sniff(&bytes).is_some() {
                    SourceFile::binary(rel, &bytes)
                } else {
                    SourceFile::new(rel, String::from_utf8(bytes).unwrap())
                },
            );
        }
    }
    out
}

#[test]
fn a_font_the_request_carries_is_stored_and_measures_the_text_that_names_it() {
    let run = |files: Vec<SourceFile>| {
        build_preview(
            &JobId::new_random(),
            Platform::Ios,
            &[DeviceType::Iphone],
            files,
            None,
            &Limits::default(),
            PRO,
            &Cancel::new(),
        )
        .unwrap()
    };
    let title_width = |screens: &[ScreenArtifacts]| {
        let doc: serde_json::Value = serde_json::from_slice(&screens[0].layout).unwrap();
        doc.pointer("/root/children/0/children/0/frame/width")
            .and_then(serde_json::Value::as_f64)
            .unwrap()
    };
    let files = fixture_files("app-fonts");
    let with_font = run(files.clone());
    let font_keys: Vec<String> = with_font[0]
        .assets
        .iter()
        .map(|(k, _)| k.as_path())
        .filter(|k| k.ends_with(".ttf"))
        .collect();
    assert_eq!(font_keys.len(), 1, "{font_keys:?}");
    // The same project without the font file: the title is measured in Roboto.
    let without: Vec<SourceFile> = files
        .into_iter()
        .filter(|f| !f.path.ends_with(".ttf"))
        .collect();
    let roboto = run(without);
    assert!(roboto[0].assets.is_empty());
    assert!(
        (title_width(&with_font) - title_width(&roboto)).abs() > 4.0,
        "{} vs {}",
        title_width(&with_font),
        title_width(&roboto)
    );
}
