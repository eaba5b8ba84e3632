//! Compile time per screen for small (~60 lines), medium (~200 lines, the p90 of real files)
//! and large (500+ lines) screens, next to oxc's parse-only time on the same source.
//!
//! `cargo bench -p hivesync-layout --bench compile` runs criterion, then prints median and p90
//! per size from plain timing loops, compile and parse in alternating warmed-up blocks
//! (criterion reports means and medians, not p90s, and times the two minutes apart).
//! `benches/babel/bench.js` times the Babel transform of the same files.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use hivesync_layout::{CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile};
use oxc::allocator::Allocator;
use oxc::parser::Parser;
use oxc::span::SourceType;

/// The allocator the `hivesync` binary (and so the worker that compiles) runs on; the
/// `bench-system-allocator` feature measures on the system allocator instead.
#[cfg(not(feature = "bench-system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INPUTS: [(&str, &str); 3] = [
    ("small", include_str!("inputs/small.tsx")),
    ("medium", include_str!("inputs/medium.tsx")),
    ("large", include_str!("inputs/large.tsx")),
];

fn request(name: &str, src: &str) -> CompileRequest {
    let path = format!("{name}.tsx");
    let mut req = CompileRequest::new(
        vec![SourceFile::new(&path, src)],
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(vec![path]);
    req
}

fn parse_only(src: &str) -> usize {
    let alloc = Allocator::default();
    let ret = Parser::new(&alloc, src, SourceType::tsx()).parse();
    assert!(ret.diagnostics.is_empty());
    ret.program.body.len()
}

fn compile_once(req: &CompileRequest) -> usize {
    let out = compile(req).expect("bench input compiles");
    assert_eq!(out.screens.len(), 1);
    out.screens[0].document.root.count()
}

fn benches(c: &mut Criterion) {
    for (name, src) in INPUTS {
        let req = request(name, src);
        let mut g = c.benchmark_group(name);
        g.bench_function("compile", |b| b.iter(|| compile_once(black_box(&req))));
        g.bench_function("oxc_parse", |b| b.iter(|| parse_only(black_box(src))));
        g.finish();
    }
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
    (at(0.5), at(0.9))
}

/// Median and p90 (microseconds) of `a` and of `b`, timed in alternating blocks of `n / 10`
/// (each block warmed up, then timed one call at a time): both see the same share of a shared
/// machine's load, and each runs with its own data hot in the caches, as in a plain loop.
fn alternating_blocks(a: impl Fn() -> usize, b: impl Fn() -> usize, n: usize) -> [(f64, f64); 2] {
    let block = (n / 10).max(1);
    let (mut sa, mut sb) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let run = |f: &dyn Fn() -> usize, samples: &mut Vec<Duration>| {
        for _ in 0..block / 10 + 1 {
            black_box(f());
        }
        for _ in 0..block {
            let t = Instant::now();
            black_box(f());
            samples.push(t.elapsed());
        }
    };
    for _ in 0..10 {
        run(&a, &mut sa);
        run(&b, &mut sb);
    }
    [percentiles(sa), percentiles(sb)]
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    println!(
        "\nsize    lines  compile median/p90 (us)   oxc parse median/p90 (us)   compile/parse (median)"
    );
    for (name, src) in INPUTS {
        let req = request(name, src);
        let [(cm, cp), (pm, pp)] =
            alternating_blocks(|| compile_once(&req), || parse_only(src), 3000);
        println!(
            "{name:<7} {:>5}  {cm:>9.1} / {cp:>7.1}          {pm:>9.1} / {pp:>7.1}            {:>5.2}x",
            src.lines().count(),
            cm / pm
        );
    }
}
