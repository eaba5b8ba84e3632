//! HiveSync's shared vocabulary: the small, I/O-free types every other crate speaks.
//!
//! - [`ids`]: validated identifiers (`JobId`, `ScreenId`, ...). A value of these types has been
//!   checked, so it can become part of a storage key or a SQL parameter safely.
//! - [`domain`]: `Tier`, `Platform`, `DeviceType`, `WorkerType`, `JobKind`, `JobState` and the
//!   job state machine.
//! - [`storage_keys`]: the exact object-storage layout (`docs/architecture.md`), built only from validated ids.
//! - [`secret`]: a string that never shows itself in `Debug`/`Display`.
//! - [`preview_token`]: the signed, stateless tokens devices present.
//! - [`callback_signature`]: Standard-Webhooks signatures of worker requests.
//! - [`clock`]: the current time in Unix milliseconds.
//! - [`client_events`]: the typed events clients hear about their jobs.
//! - [`media`]: the binary files (images, fonts) a request may carry, sniffed from their bytes.
//! - [`wire`]: the worker <-> backend bodies (callback, heartbeat) and their bounds.
//! - [`config`]: the one typed configuration struct, parsed from TOML text plus `HIVESYNC_*`
//!   environment overrides handed in by the caller (this crate reads no environment itself).
//!
//! Not here: anything that talks to a database, an object store or the network.

pub mod callback_signature;
pub mod client_events;
pub mod clock;
pub mod config;
pub mod domain;
pub mod ids;
pub mod log_capture;
pub mod media;
pub mod preview_token;
pub mod secret;
pub mod storage_keys;
pub mod wire;

pub use domain::{DeviceType, JobKind, JobState, Platform, Tier, WorkerType};
pub use secret::Secret;
