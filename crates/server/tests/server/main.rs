//! The backend's API tests, one binary (a module per topic), over real HTTP against a backend on
//! port 0 (`hivesync_server::testing`), with no worker: what needs workers runs in the cli
//! crate's end-to-end tests.

mod admin;
mod api;
mod hardening;
mod health;
mod keys;
mod openapi;
mod request_rules;
