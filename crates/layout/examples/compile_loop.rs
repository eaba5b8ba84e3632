//! Compiles one bench input in a loop, for profilers (`perf`, `valgrind --tool=callgrind`):
//! `cargo run --release -p hivesync-layout --example compile_loop -- medium 2000`; with a third
//! argument `parse`, only parses it with oxc (the baseline of the compile benchmark).

use hivesync_layout::{CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile};

/// The allocator the `hivesync` binary (and so the worker that compiles) runs on; the
/// `bench-system-allocator` feature measures on the system allocator instead.
#[cfg(not(feature = "bench-system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "medium".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let parse_only = args.next().is_some_and(|a| a == "parse");
    let src = match name.as_str() {
        "small" => include_str!("../benches/inputs/small.tsx"),
        "medium" => include_str!("../benches/inputs/medium.tsx"),
        "large" => include_str!("../benches/inputs/large.tsx"),
        other => panic!("unknown input {other}: small, medium or large"),
    };
    if parse_only {
        let mut statements = 0;
        for _ in 0..n {
            let alloc = oxc::allocator::Allocator::default();
            let ret = oxc::parser::Parser::new(&alloc, src, oxc::span::SourceType::tsx()).parse();
            statements += ret.program.body.len();
        }
        println!("{n} parses of {name}, {statements} statements in all");
        return;
    }
    let path = format!("{name}.tsx");
    let mut req = CompileRequest::new(
        vec![SourceFile::new(&path, src)],
        Target::new(TargetPlatform::Ios, DeviceKind::Iphone),
    );
    req.screens = Some(vec![path]);
    let (mut nodes, mut warnings) = (0, 0);
    for _ in 0..n {
        let out = compile(&req).expect("input compiles");
        nodes += out.screens[0].document.root.count();
        warnings += out.screens[0].warnings.len();
    }
    println!("{n} compiles of {name}: {nodes} nodes, {warnings} warnings in all");
}
