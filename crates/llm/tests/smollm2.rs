//! The real SmolLM2-135M GGUF: its tokenizer from the metadata, and a short greedy generation.

use hivesync_llm::testing::smollm2_path;
use hivesync_llm::{Finish, GgufTokenizer, LocalModel, Placement, chatml};

#[test]
fn the_gguf_tokenizer_counts_tokens_without_loading_weights() {
    let t = GgufTokenizer::load(&smollm2_path()).unwrap();
    let n = t.count("function add(a, b) { return a + b; }").unwrap();
    assert!((8..30).contains(&n), "{n}");
    // ChatML markers are single special tokens.
    assert_eq!(t.count("<|im_start|>").unwrap(), 1);
}

#[test]
fn the_model_generates_a_short_answer_on_the_cpu() {
    let model = LocalModel::load(&smollm2_path(), Placement::Cpu).unwrap();
    assert!(!model.on_gpu());
    assert!(model.context_tokens() >= 2048);
    let prompt = chatml(
        "You are a helpful assistant.",
        "Describe in one sentence: function add(a, b) { return a + b; }",
        "",
    );
    let g = model.generate(&prompt, 16, "\n", &|| false).unwrap();
    assert!(g.completion_tokens > 0 && g.completion_tokens <= 16);
    assert!(!g.text.trim().is_empty(), "{g:?}");
    assert!(matches!(g.finish, Finish::Stop | Finish::Length));
    // Greedy: the same prompt gives the same text.
    let again = model.generate(&prompt, 16, "\n", &|| false).unwrap();
    assert_eq!(again.text, g.text);
    // The stop signal ends a generation.
    let stopped = model.generate(&prompt, 16, "", &|| true);
    assert!(matches!(stopped, Err(hivesync_llm::LlmError::Stopped)));
}
