//! Where the tests and the bench find the SmolLM2 GGUF that `scripts/ci-setup.d/local-model-smollm2.sh`
//! installs: `$HIVESYNC_TEST_GGUF`, else `$HIVESYNC_MODEL_CACHE` (default `~/.cache/hivesync-models`).

use std::path::PathBuf;

/// The file name of the test model.
pub const SMOLLM2: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

/// The test model's path; panics with how to install it when it is missing (a missing model is
/// an error, never a skipped test).
pub fn smollm2_path() -> PathBuf {
    let path = match std::env::var_os("HIVESYNC_TEST_GGUF") {
        Some(p) => PathBuf::from(p),
        None => {
            let cache = std::env::var_os("HIVESYNC_MODEL_CACHE")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                        .join(".cache/hivesync-models")
                });
            cache.join(SMOLLM2)
        }
    };
    assert!(
        path.is_file(),
        "{} is missing: run scripts/ci-setup.d/local-model-smollm2.sh (scripts/test does)",
        path.display()
    );
    path
}
