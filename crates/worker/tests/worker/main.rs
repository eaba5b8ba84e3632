//! The worker's integration tests, one binary (a module per topic): its life cycle against a real
//! database, the bounds on what one preview may cost it, and the AI providers (the local model's
//! tests with the `local-model` feature).

mod lifecycle;
#[cfg(feature = "local-model")]
mod local_model;
mod preview_bounds;
mod providers;
mod session_cleanup;
