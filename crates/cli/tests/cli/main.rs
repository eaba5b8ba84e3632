//! The `hivesync` system end to end, one test binary (each module a topic): the pipeline in one
//! process over real HTTP, the binary as separate processes, and what an attacker throws at it.

mod common;

mod ai_docs;
mod dev_attacks;
mod egress;
mod hardening;
mod hostile_previews;
mod operations;
mod pipeline;
mod pipeline_processes;
mod processes;
mod submit;
mod viewer;
