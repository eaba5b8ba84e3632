//! The clock: the current time in Unix milliseconds, the unit of every stored time. Code that
//! decides by time takes "now" as a parameter, so tests control it; only the edges read this.

/// The current time in Unix milliseconds (0 before 1970, saturating far in the future).
pub fn now_ms() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
