//! Token counts the way OpenAI's current models see text: the `o200k_base` encoding, bundled in
//! `tiktoken-rs` (nothing is downloaded). The local model counts with its own tokenizer
//! (`hivesync-llm`).

/// Tokens of `text` in `o200k_base` (special-token text counts as ordinary text, as the API
/// treats user content).
pub fn o200k_count(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton()
        .encode_ordinary(text)
        .len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn o200k_counts_match_the_reference_encoding() {
        // "hello world" is two tokens in o200k_base.
        assert_eq!(super::o200k_count("hello world"), 2);
        assert_eq!(super::o200k_count(""), 0);
    }
}
