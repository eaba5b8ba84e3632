//! Tokens per second of the embedded model on the CPU (and on a GPU when built with `cuda` and
//! one is present): `cargo bench -p hivesync-llm --bench tokens_per_second`. Prints one line per
//! device with the prompt time and the generation speed; `HIVESYNC_BENCH_TOKENS` sets how many
//! tokens to generate (default 64).

use hivesync_llm::testing::smollm2_path;
use hivesync_llm::{LocalModel, Placement, chatml};

fn main() {
    let tokens: usize = std::env::var("HIVESYNC_BENCH_TOKENS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let path = smollm2_path();
    let prompt = chatml(
        "You document source code. Answer in plain sentences.",
        "Explain what this function does and when it throws:\n```\nexport function parse(text: string, radix?: number): number {\n  const n = parseInt(text, radix ?? 10);\n  if (Number.isNaN(n)) throw new RangeError(`not a number: ${text}`);\n  return n;\n}\n```",
        "",
    );
    let mut placements = vec![Placement::Cpu];
    if cfg!(feature = "cuda") {
        placements.push(Placement::Cuda);
    }
    for placement in placements {
        let started = std::time::Instant::now();
        let model = match LocalModel::load(&path, placement) {
            Ok(m) => m,
            Err(e) => {
                println!("{placement:?}: not available ({e})");
                continue;
            }
        };
        let load = started.elapsed();
        // One warm-up, then the measured run (greedy, no stop string).
        let _ = model.generate(&prompt, 4, "", &|| false);
        let g = model.generate(&prompt, tokens, "", &|| false).unwrap();
        println!(
            "{placement:?}: load {:.2} s, prompt {} tokens in {:.2} s, generated {} tokens at {:.1} tokens/s",
            load.as_secs_f64(),
            g.prompt_tokens,
            g.prompt_time.as_secs_f64(),
            g.completion_tokens,
            g.tokens_per_second()
        );
    }
}
