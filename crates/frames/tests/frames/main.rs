//! The frames crate's integration tests, one binary (a module per topic): Yoga's own cases and
//! React Native's errata, the yoga-layout cross-check, randomized trees, deep trees and
//! cancellation.

mod deep_trees_and_cancel;
mod yoga_differences;
mod yoga_fixtures;
mod yoga_harness;
mod yoga_random;
