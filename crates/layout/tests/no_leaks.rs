//! The compiler frees everything it allocates, or a long-running worker would grow with every
//! preview: the evaluator's values live in the compile's arena (closures stored in the scopes
//! they close over once formed reference cycles that leaked), and nothing in the output may
//! outlive it unfreed. Live heap bytes are counted by a wrapping global allocator; each fixture
//! project (and each bench input) is compiled, and the heap must be back where it was once the
//! output is dropped.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicIsize, Ordering};

use hivesync_layout::{CompileRequest, DeviceKind, SourceFile, Target, TargetPlatform, compile};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap bytes still allocated after compiling `req` and dropping the output (the request
/// itself is allocated before counting starts).
fn leaked_by(req: &CompileRequest) -> isize {
    // A first compile warms lazily built statics, so they do not count as leaks.
    drop(compile(req));
    let before = LIVE.load(Ordering::SeqCst);
    let out = compile(req).expect("compiles");
    assert!(!out.screens.is_empty());
    drop(out);
    LIVE.load(Ordering::SeqCst) - before
}

#[test]
fn compiling_frees_everything_it_allocates() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut requests = Vec::new();
    for dir in names {
        let mut files = Vec::new();
        common::load(&dir, &dir, &mut files);
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        requests.push((
            name,
            CompileRequest::new(files, Target::new(TargetPlatform::Ios, DeviceKind::Iphone)),
        ));
    }
    for (name, src) in [
        ("small", include_str!("../benches/inputs/small.tsx")),
        ("medium", include_str!("../benches/inputs/medium.tsx")),
        ("large", include_str!("../benches/inputs/large.tsx")),
    ] {
        let path = format!("{name}.tsx");
        let mut req = CompileRequest::new(
            vec![SourceFile::new(&path, src)],
            Target::new(TargetPlatform::Android, DeviceKind::AndroidPhone),
        );
        req.screens = Some(vec![path]);
        requests.push((name.to_string(), req));
    }
    assert!(requests.len() >= 7);
    // Other tests of this binary may allocate concurrently: run alone.
    for (name, req) in &requests {
        assert_eq!(leaked_by(req), 0, "{name} leaks");
    }
}
