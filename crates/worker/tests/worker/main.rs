//! The worker's integration tests, one binary (a module per topic): its life cycle against a real
//! database, and the bounds on what one preview may cost it.

mod lifecycle;
mod preview_bounds;
mod session_cleanup;
