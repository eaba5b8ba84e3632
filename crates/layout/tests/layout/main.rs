//! The compiler's integration tests, one binary (a module per topic): fixture projects
//! snapshotted as Layout JSON, limits and behaviour, third-party components, packages evaluated
//! from their code under `node_modules/`, snapshot coverage.
//! (`no_leaks` is its own binary: it installs a counting global allocator.)

#[path = "../common/mod.rs"]
mod common;

mod fixtures;
mod limits_and_behaviour;
mod packages;
mod pictures;
mod selection;
mod snapshot_coverage;
mod third_party;
mod wrappers_and_discovery;
