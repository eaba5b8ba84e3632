//! Session-token cleanup: delete tokens that expired or were used, in small
//! batches so each statement stays short, logging only when rows were deleted.

use hivesync_store::Store;

/// Upper bound of batches per run, so one run cannot monopolise the loop.
const MAX_BATCHES: u32 = 100;

/// Deletes stale session tokens in batches of `batch`; returns how many were deleted.
pub async fn run_once(store: &Store, batch: u32, now: i64) -> u64 {
    let mut total = 0;
    for _ in 0..MAX_BATCHES {
        match store.delete_stale_session_tokens(now, batch).await {
            Ok(n) => {
                total += n;
                if n < u64::from(batch) {
                    break;
                }
            }
            Err(e) => {
                tracing::warn!("session-token cleanup failed: {e}");
                break;
            }
        }
    }
    if total > 0 {
        tracing::info!(deleted = total, "deleted stale session tokens");
    }
    total
}
