//! Peak resident memory and time of the worst preview a tier allows, through the worker's CPU
//! path (`artifacts::build_preview` on a 2 MiB-stack thread, as a job runs it on tokio's
//! blocking pool), on the allocator the `hivesync` binary uses (mimalloc).
//!
//! `cargo bench -p hivesync-worker --bench worst_preview` prints one row per scenario: time,
//! resident memory before, peak (VmHWM, reset through `/proc/self/clear_refs` before each
//! scenario) and after, and what was produced. Scenarios:
//!
//! - the probe's six `MapView`s of 3,800 x 3,800 points on an iPhone (pro tier);
//! - the worst premium preview: iPhone and iPad, a screen at the output depth limit with
//!   about 10,000 nodes, and a screen of full-screen snapshots, all different, as many as the
//!   per-preview pixel budget allows, plus small ones up to the snapshot count limit;
//! - that preview run 5 times in a row (does memory come back?), by 2 jobs at once (a worker's
//!   default `capacity`) and by 4 (`hivesync dev`: two embedded workers);
//! - that preview with one more screen whose evaluation fills most of the compiler's own
//!   memory bound (256 MiB per compile);
//! - that preview with a deadline 300 ms away (how soon after it does the work stop?).

use std::time::{Duration, Instant};

use hivesync_core::config::{Config, TierLimits};
use hivesync_core::ids::JobId;
use hivesync_core::{DeviceType, Platform};
use hivesync_layout::{Cancel, Limits, SourceFile};
use hivesync_worker::artifacts::{BuildError, ScreenArtifacts, SnapshotBudget, build_preview};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A `/proc/self/status` field in MiB.
fn status_mib(field: &str) -> f64 {
    let text = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("field");
    kib / 1024.0
}

/// Resets VmHWM to the current resident size.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
}

struct Request {
    devices: Vec<DeviceType>,
    files: Vec<SourceFile>,
    budget: SnapshotBudget,
}

fn budget(t: &TierLimits) -> SnapshotBudget {
    SnapshotBudget {
        max_snapshots: t.max_snapshots_per_preview as usize,
        max_pixels: t.max_snapshot_pixels,
        max_pixels_per_preview: t.max_snapshot_pixels_per_preview,
    }
}

fn header() -> String {
    "import React from 'react';\nimport { View, Text } from 'react-native';\nimport MapView from 'react-native-maps';\nimport Icon from 'react-native-vector-icons/Ionicons';\n".into()
}

fn six_maps(config: &Config) -> Request {
    let maps = "<MapView style={{ width: 3800, height: 3800 }} />".repeat(6);
    Request {
        devices: vec![DeviceType::Iphone],
        files: vec![SourceFile::new(
            "App.tsx",
            format!(
                "{}export default function App() {{ return <View>{maps}</View>; }}",
                header()
            ),
        )],
        budget: budget(&config.tiers.pro),
    }
}

/// The worst premium preview (see the module docs).
fn worst_premium(config: &Config) -> Request {
    let tier = &config.tiers.premium;
    let limits = Limits::default();
    // A chain at the depth limit; every level also holds Texts, up to about the node limit.
    let levels = limits.max_output_depth - 1;
    let texts = (limits.max_nodes - 20) / levels - 1;
    let mut deep = header();
    deep.push_str("const v1 = <View />;\n");
    for i in 2..=levels {
        let row: String = (0..texts)
            .map(|j| format!("<Text>row {i}.{j}</Text>"))
            .collect();
        deep.push_str(&format!(
            "const v{i} = <View style={{{{ padding: 1 }}}}>{row}{{v{}}}</View>;\n",
            i - 1
        ));
    }
    deep.push_str(&format!(
        "export default function Deep() {{ return v{levels}; }}\n"
    ));
    // Full-screen snapshots, each different, on both devices, within the pixel budget.
    let per_device = 393 * 3 * 852 * 3 + 820 * 2 * 1180 * 2;
    let maps = (tier.max_snapshot_pixels_per_preview * 97 / 100 / per_device) as usize;
    let icons = (tier.max_snapshots_per_preview as usize / 2).saturating_sub(maps);
    let mut shots = String::new();
    for i in 0..maps {
        shots.push_str(&format!(
            "<MapView style={{{{ position: 'absolute', top: 0, left: 0, width: 5000, height: 5000, backgroundColor: '#{:06x}' }}}} />",
            i * 40_009 % 0xffffff
        ));
    }
    for i in 0..icons {
        shots.push_str(&format!(
            "<Icon size={{24}} style={{{{ backgroundColor: '#{:06x}' }}}} />",
            i * 7_919 % 0xffffff
        ));
    }
    let snaps = format!(
        "{}export default function Snaps() {{ return <View style={{{{ flex: 1 }}}}>{shots}</View>; }}\n",
        header()
    );
    Request {
        devices: vec![DeviceType::Iphone, DeviceType::Ipad],
        files: vec![
            SourceFile::new("app/index.tsx", deep),
            SourceFile::new("app/snaps.tsx", snaps),
        ],
        budget: budget(tier),
    }
}

/// `req` with one more screen whose evaluation holds about 220 MiB of the compiler's arena
/// (its bound is 256 MiB per compile): a 2^20-element array and 7 copies of it.
fn with_evaluation_hog(mut req: Request) -> Request {
    let mut body = header();
    body.push_str("const a0 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];\n");
    for i in 1..=16 {
        body.push_str(&format!("const a{i} = [...a{}, ...a{}];\n", i - 1, i - 1));
    }
    for i in 0..7 {
        body.push_str(&format!("const b{i} = [...a16];\n"));
    }
    body.push_str("export default function Hog() { return <Text>{b6.length}</Text>; }\n");
    req.files.push(SourceFile::new("app/hog.tsx", body));
    req
}

/// Runs one preview on a 2 MiB-stack thread; returns its result and duration.
fn run(
    req: &Request,
    cancel: Cancel,
) -> std::thread::JoinHandle<(Result<Vec<ScreenArtifacts>, BuildError>, Duration)> {
    let (devices, files, budget) = (req.devices.clone(), req.files.clone(), req.budget);
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let started = Instant::now();
            let out = build_preview(
                &JobId::new_random(),
                Platform::Ios,
                &devices,
                files,
                None,
                &Limits::default(),
                budget,
                &cancel,
            );
            (out, started.elapsed())
        })
        .expect("thread")
}

fn describe(out: &Result<Vec<ScreenArtifacts>, BuildError>) -> String {
    match out {
        Ok(screens) => {
            let pngs: usize = screens.iter().map(|s| s.assets.len()).sum();
            let png_bytes: usize = screens
                .iter()
                .flat_map(|s| &s.assets)
                .map(|(_, b)| b.len())
                .sum();
            let layout: usize = screens.iter().map(|s| s.layout.len()).sum();
            format!(
                "{} screens, {pngs} PNGs ({:.1} MiB), layouts {:.1} MiB",
                screens.len(),
                png_bytes as f64 / (1 << 20) as f64,
                layout as f64 / (1 << 20) as f64
            )
        }
        Err(e) => format!("failed: {e}"),
    }
}

/// Runs `jobs` copies of `req` at once and prints one row.
fn scenario(name: &str, req: &Request, jobs: usize) {
    let before = status_mib("VmRSS:");
    reset_peak();
    let started = Instant::now();
    let handles: Vec<_> = (0..jobs)
        .map(|_| {
            run(
                req,
                Cancel::with_deadline(Instant::now() + Duration::from_secs(15)),
            )
        })
        .collect();
    let results: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("job"))
        .collect();
    let wall = started.elapsed();
    let peak = status_mib("VmHWM:");
    let what = describe(&results[0].0);
    drop(results);
    let after = status_mib("VmRSS:");
    println!(
        "| {name} | {jobs} | {:.2} s | {before:.0} MiB | {peak:.0} MiB (+{:.0}) | {after:.0} MiB | {what} |",
        wall.as_secs_f64(),
        peak - before
    );
}

fn main() {
    // Each scenario runs in a process of its own, so that one's peak (and what the allocator
    // keeps of it) does not hide the next one's. `cargo bench` passes `--bench`: ignored.
    let config = Config::default();
    let arg = std::env::args().find_map(|a| a.strip_prefix("scenario=").map(str::to_owned));
    let Some(name) = arg else {
        println!(
            "| scenario | jobs at once | wall time | RSS before | peak RSS (above before) | RSS after | output |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- |");
        for name in [
            "six-maps",
            "worst",
            "worst-x5",
            "worst-2",
            "worst-4",
            "worst-hog",
            "deadline",
        ] {
            let out = std::process::Command::new(std::env::current_exe().expect("exe"))
                .arg(format!("scenario={name}"))
                .output()
                .expect("scenario");
            print!("{}", String::from_utf8_lossy(&out.stdout));
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
        }
        return;
    };
    let worst = || worst_premium(&config);
    match name.as_str() {
        "six-maps" => scenario("six 3,800-pt MapViews, iPhone, pro", &six_maps(&config), 1),
        "worst" => scenario("worst premium preview", &worst(), 1),
        "worst-x5" => {
            let req = worst();
            for i in 1..=5 {
                scenario(&format!("worst premium preview, run {i} of 5"), &req, 1);
            }
        }
        "worst-2" => scenario("worst premium preview", &worst(), 2),
        "worst-4" => scenario("worst premium preview", &worst(), 4),
        "worst-hog" => scenario(
            "worst premium preview + a 220 MiB evaluation",
            &with_evaluation_hog(worst()),
            1,
        ),
        "deadline" => {
            // How soon after its deadline does a job stop?
            let deadline = Instant::now() + Duration::from_millis(300);
            let (out, _) = run(&worst(), Cancel::with_deadline(deadline))
                .join()
                .expect("job");
            let late = Instant::now().saturating_duration_since(deadline);
            println!(
                "\nworst premium preview with a deadline 300 ms after its start: {} ({:.0} ms after the deadline)",
                describe(&out),
                late.as_secs_f64() * 1000.0
            );
        }
        other => panic!("unknown scenario {other}"),
    }
}
