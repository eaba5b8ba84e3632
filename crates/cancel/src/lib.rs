//! # hivesync-cancel: the stop signal of a preview's CPU work
//!
//! A [`Cancel`] is shared between the thread that compiles, lays out and renders a preview and
//! the task that supervises it: a flag the supervisor sets (its time limit fired, the job's
//! lease was lost) and an optional deadline. The compiler, frames and render check it at their
//! loops and recursion points and stop with their own `Cancelled` error, so the thread ends soon
//! after the job does and the supervisor can wait for it before taking the next job.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use hivesync_cancel::Cancel;
//! let cancel = Cancel::with_deadline(Instant::now() + Duration::from_secs(15));
//! let seen_by_the_worker_thread = cancel.clone();
//! assert!(!seen_by_the_worker_thread.is_cancelled());
//! cancel.cancel();
//! assert!(seen_by_the_worker_thread.is_cancelled());
//! ```
//!
//! Not here: threads, timers, async. Checking is a relaxed atomic load, plus a clock read when
//! a deadline is set.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A stop signal: cancelled once [`Cancel::cancel`] was called on any clone, or once its
/// deadline has passed.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Cancel {
    /// A signal that stops only when cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// A signal that also stops at `deadline`.
    pub fn with_deadline(deadline: Instant) -> Self {
        Cancel {
            flag: Arc::default(),
            deadline: Some(deadline),
        }
    }

    /// The deadline, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Stops every holder of a clone of this signal.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether the work should stop: cancelled, or past the deadline.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_signal_stops_when_cancelled_or_past_its_deadline() {
        let never = Cancel::new();
        assert!(!never.is_cancelled());
        let other = never.clone();
        never.cancel();
        assert!(other.is_cancelled(), "clones share the flag");

        let past = Cancel::with_deadline(Instant::now() - Duration::from_millis(1));
        assert!(past.is_cancelled());
        let later = Cancel::with_deadline(Instant::now() + Duration::from_secs(60));
        assert!(!later.is_cancelled());
    }
}
