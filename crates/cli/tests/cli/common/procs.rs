//! Helpers for tests that run the `hivesync` binary as separate processes.

use std::io::Read;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_hivesync");
pub const CALLBACK_SECRET: &str = "test-callback-secret-0123456789abcdef";
pub const TOKEN_KEY: &str = "k1:test-token-secret-0123456789abcdefghij";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A command with a clean environment: no HIVESYNC_* or secret leaks in from the caller, except
/// the suite's log capture folder (the log-hygiene check reads what every process logged).
pub fn hivesync(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "info");
    if let Some(dir) = std::env::var_os(hivesync_core::log_capture::ENV) {
        cmd.env(hivesync_core::log_capture::ENV, dir);
    }
    cmd
}

/// `hivesync dev --listen LISTEN --data-dir DATA` with a clean environment.
pub fn dev_command(listen: &str, data: &std::path::Path) -> Command {
    hivesync(&[
        "dev",
        "--listen",
        listen,
        "--data-dir",
        data.to_str().unwrap(),
    ])
}

pub fn wait_http(url: &str, want: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(r) = raw_http::blocking_get(url)
            && r == want
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Tiny blocking GET returning the status (tests run no runtime of their own here).
mod raw_http {
    pub fn blocking_get(url: &str) -> Result<u16, ()> {
        let rest = url.strip_prefix("http://").ok_or(())?;
        let (host, path) = rest
            .split_once('/')
            .map(|(h, p)| (h, format!("/{p}")))
            .unwrap_or((rest, "/".into()));
        let mut s = std::net::TcpStream::connect(host).map_err(|_| ())?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .ok();
        use std::io::{Read, Write};
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .map_err(|_| ())?;
        let mut buf = String::new();
        s.read_to_string(&mut buf).map_err(|_| ())?;
        buf.split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or(())
    }
}

pub fn signal(child: &Child, sig: &str) {
    Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
}

pub fn wait_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "process did not exit in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn stderr_of(child: &mut Child) -> String {
    let mut s = String::new();
    child.stderr.take().unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The key an operator provisions to worker `id`: what `hivesync worker-key ID` prints.
pub fn worker_key_text(id: &str) -> String {
    let out = hivesync(&["worker-key", id])
        .env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

pub fn env_or(k: &str, d: &str) -> String {
    std::env::var(k).unwrap_or_else(|_| d.to_owned())
}

/// A process group that is killed when the test ends, whatever happens.
pub struct Procs(pub Vec<Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The environment every process of the deployment shares (PostgreSQL + s3s-fs).
pub fn deployment_env(
    cmd: &mut std::process::Command,
    db_url: &str,
    base: &str,
    s3_endpoint: &str,
) {
    cmd.env("HIVESYNC_DATABASE_URL", db_url)
        .env("HIVESYNC_OBJECT_STORE__BACKEND", "s3")
        .env("HIVESYNC_OBJECT_STORE__S3_ENDPOINT", s3_endpoint)
        .env(
            "HIVESYNC_OBJECT_STORE__S3_BUCKET",
            env_or("HIVESYNC_TEST_S3_BUCKET", "hivesync-test"),
        )
        .env("HIVESYNC_OBJECT_STORE__S3_ALLOW_HTTP", "true")
        .env("HIVESYNC_OBJECT_STORE__REQUEST_TIMEOUT_SECONDS", "3")
        .env(
            "HIVESYNC_S3_ACCESS_KEY_ID",
            env_or("HIVESYNC_TEST_S3_ACCESS_KEY", "hivesync-test"),
        )
        .env(
            "HIVESYNC_S3_SECRET_ACCESS_KEY",
            env_or("HIVESYNC_TEST_S3_SECRET_KEY", "hivesync-test-secret"),
        )
        .env("HIVESYNC_SERVER__PUBLIC_URL", base)
        .env("HIVESYNC_WORKER__BACKEND_URL", base)
        .env("HIVESYNC_WORKER__LEASE_SECONDS", "5")
        .env("HIVESYNC_WORKER__POLL_INTERVAL_MS", "100")
        .env("HIVESYNC_WORKER__HEARTBEAT_INTERVAL_SECONDS", "10")
        .env("HIVESYNC_ROUTING__HEARTBEAT_TIMEOUT_SECONDS", "12");
}

pub fn s3_endpoint() -> String {
    env_or("HIVESYNC_TEST_S3_ENDPOINT", "http://127.0.0.1:8014")
}
