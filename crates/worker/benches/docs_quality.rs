//! Completeness and truthfulness of generated documentation on real public source files: the
//! React Native app templates of `bench/corpus.txt` as npm ships them (`scripts/fetch-corpus`).
//! The `static` provider documents every file; with the `local-model` feature the embedded
//! SmolLM2-135M documents a sample (`HIVESYNC_BENCH_LOCAL_FILES`, default 8) with answers capped
//! at `HIVESYNC_BENCH_LOCAL_TOKENS` (default 24) tokens. Figures go into `docs/benchmarks.md`.
//!
//!   scripts/fetch-corpus && cargo bench -p hivesync-worker --features local-model --bench docs_quality

use std::path::{Path, PathBuf};

use hivesync_docs::{Document, Options, analyze};

fn corpus_files() -> Vec<PathBuf> {
    let root = std::env::var_os("HIVESYNC_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/hivesync-corpus")
        });
    assert!(
        root.is_dir(),
        "{} is missing: run scripts/fetch-corpus",
        root.display()
    );
    let mut out = Vec::new();
    walk(&root, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if name != "node_modules" && !name.starts_with('.') {
                walk(&p, out);
            }
        } else if [".ts", ".tsx", ".js", ".jsx"]
            .iter()
            .any(|x| name.ends_with(x))
            && !name.ends_with(".d.ts")
            && std::fs::metadata(&p).is_ok_and(|m| m.len() <= 64 * 1024)
        {
            out.push(p);
        }
    }
}

#[derive(Default)]
struct Tally {
    files: usize,
    parse_errors: usize,
    failures: usize,
    symbols: usize,
    comments: usize,
    completeness: f64,
    truthfulness: f64,
    named_unknown: usize,
    seconds: f64,
}

impl Tally {
    fn add(&mut self, doc: &Document) {
        self.files += 1;
        self.symbols += doc.symbols.len();
        self.comments += doc.inline_comments.len();
        self.completeness += doc.quality.completeness;
        self.truthfulness += doc.quality.truthfulness;
        self.named_unknown += doc.quality.unknown_identifiers.len();
    }

    fn print(&self, name: &str) {
        let n = self.files.max(1) as f64;
        println!(
            "{name}: {} files ({} did not parse, {} failed), {} symbols, {} comments inserted; mean completeness {:.3}, mean truthfulness {:.3}, {} unknown identifiers named; {:.1} s",
            self.files,
            self.parse_errors,
            self.failures,
            self.symbols,
            self.comments,
            self.completeness / n,
            self.truthfulness / n,
            self.named_unknown,
            self.seconds
        );
    }
}

fn relative(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.split("hivesync-corpus/").nth(1).unwrap_or(&s).to_owned()
}

fn main() {
    let files = corpus_files();
    let mut tally = Tally::default();
    let started = std::time::Instant::now();
    let mut parsed: Vec<(String, String)> = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        let path = relative(f);
        let a = match analyze(&path, &src) {
            Ok(a) => a,
            Err(_) => {
                tally.parse_errors += 1;
                continue;
            }
        };
        match hivesync_worker::ai_docs::static_document(&a, &src, Options::default()) {
            Ok(doc) => tally.add(&doc),
            Err(e) => {
                tally.failures += 1;
                eprintln!("{path}: {e}");
            }
        }
        if !a.symbols.is_empty() {
            parsed.push((path, src));
        }
    }
    tally.seconds = started.elapsed().as_secs_f64();
    tally.print("static");
    local(&parsed);
}

#[cfg(not(feature = "local-model"))]
fn local(_files: &[(String, String)]) {
    println!("local: not measured (build with --features local-model)");
}

#[cfg(feature = "local-model")]
fn local(files: &[(String, String)]) {
    use hivesync_worker::ai_docs::{Gates, Settings, generate};
    use hivesync_worker::providers::local::Local;
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let sample = env("HIVESYNC_BENCH_LOCAL_FILES", 8);
    let tokens = env("HIVESYNC_BENCH_LOCAL_TOKENS", 24);
    let model = Local::load(&hivesync_llm::testing::smollm2_path(), false, tokens as u32).unwrap();
    let settings = Settings {
        chunk_tokens: 1500,
        max_retry_wait: std::time::Duration::from_secs(1),
        timeout: std::time::Duration::from_secs(600),
        gates: Gates {
            min_completeness: 0.0,
            min_truthfulness: 0.0,
        },
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Small files first (the model is slow), spread over the corpus's packages.
    let mut chosen: Vec<&(String, String)> = files.iter().filter(|(_, s)| s.len() < 1500).collect();
    let step = (chosen.len() / sample.max(1)).max(1);
    chosen = chosen.into_iter().step_by(step).take(sample).collect();
    let mut tally = Tally::default();
    let mut generated = 0u64;
    let started = std::time::Instant::now();
    for (path, src) in chosen {
        let a = analyze(path, src).unwrap();
        let count = |t: &str| model.count_tokens(t);
        match rt.block_on(generate(
            &model,
            &a,
            src,
            &[],
            Options::default(),
            &settings,
            &count,
        )) {
            Ok(doc) => {
                generated += doc.provider.usage.completion_tokens;
                println!(
                    "  {path}: completeness {:.3}, truthfulness {:.3}{}",
                    doc.quality.completeness,
                    doc.quality.truthfulness,
                    if doc.quality.unknown_identifiers.is_empty() {
                        String::new()
                    } else {
                        format!(" (unknown: {})", doc.quality.unknown_identifiers.join(", "))
                    }
                );
                tally.add(&doc);
            }
            Err(e) => {
                tally.failures += 1;
                eprintln!("{path}: {e}");
            }
        }
    }
    tally.seconds = started.elapsed().as_secs_f64();
    tally.print(&format!(
        "local (SmolLM2-135M Q4_1, CPU, {tokens} tokens per answer)"
    ));
    println!(
        "local: {generated} tokens generated in {:.1} s overall ({:.1} tokens/s including prompts)",
        tally.seconds,
        generated as f64 / tally.seconds.max(1e-9)
    );
}
