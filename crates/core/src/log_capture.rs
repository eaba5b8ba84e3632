//! Capturing every log line of a test run for the log-hygiene check (`scripts/check-logs`):
//! when `HIVESYNC_LOG_CAPTURE` names a folder, each process (the `hivesync` binary, and each
//! in-process test backend) also writes its logs, at debug level, to a file of its own there.
//! Nothing is captured when the variable is unset, which is how operators run it.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

/// The environment variable naming the capture folder.
pub const ENV: &str = "HIVESYNC_LOG_CAPTURE";

/// The level filter of captured logs: everything of ours, and what libraries say at info.
pub const FILTER: &str = "debug,sqlx=info,hyper=info,hyper_util=info,h2=info,rustls=info,\
    reqwest=info,tower=info,tokio=info,runtime=info,object_store=info,candle_core=info,\
    tokenizers=info,oxc=info";

/// A fresh capture file for this process (`{name}-{pid}-{n}.log`), when capturing is on.
pub fn file(name: &str) -> Option<File> {
    let dir = PathBuf::from(std::env::var_os(ENV)?);
    std::fs::create_dir_all(&dir).ok()?;
    let pid = std::process::id();
    (0..1000).find_map(|n| {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(format!("{name}-{pid}-{n}.log")))
            .ok()
    })
}
