//! The `local` provider over the real SmolLM2-135M GGUF (installed by
//! `scripts/ci-setup.d/local-model-smollm2.sh`): the whole path from analysis to a document with
//! prose the model wrote, generated tokens capped to tens. Quality is not the point; the path is.

use std::time::Duration;

use hivesync_docs::{Options, analyze};
use hivesync_worker::ai_docs::{Gates, Settings, generate};
use hivesync_worker::providers::DocsProvider;
use hivesync_worker::providers::local::Local;

#[tokio::test]
async fn the_local_model_documents_a_file_from_the_real_gguf() {
    let local = Local::load(&hivesync_llm::testing::smollm2_path(), false, 16).unwrap();
    assert_eq!(local.model(), "SmolLM2-135M-Instruct.Q4_1.gguf");
    let src = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
    let a = analyze("src/add.ts", src).unwrap();
    let settings = Settings {
        chunk_tokens: 1500,
        max_retry_wait: Duration::from_secs(1),
        timeout: Duration::from_secs(60),
        gates: Gates {
            min_completeness: 0.0,
            min_truthfulness: 0.0,
        },
    };
    let count = |t: &str| local.count_tokens(t);
    let doc = generate(&local, &a, src, &[], Options::default(), &settings, &count)
        .await
        .unwrap();
    assert_eq!(doc.provider.name, "local");
    assert_eq!(doc.provider.attempts, 1);
    assert!(!doc.provider.analysis_only);
    // Two answers (the file, `add`) of at most 16 tokens each.
    let generated = doc.provider.usage.completion_tokens;
    assert!((1..=32).contains(&generated), "{generated}");
    assert!(doc.provider.usage.prompt_tokens > 20);
    assert_eq!(doc.symbols.len(), 1);
    assert!(
        !doc.summary.is_empty() || !doc.symbols[0].summary.is_empty(),
        "the model wrote something: {doc:?}"
    );
    assert!((0.0..=1.0).contains(&doc.quality.completeness));
    assert!((0.0..=1.0).contains(&doc.quality.truthfulness));
}
