//! The `hivesync` binary as operators run it: real processes, real HTTP, real databases.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hivesync_store::testing::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_hivesync");
const CALLBACK_SECRET: &str = "test-callback-secret-0123456789abcdef";
const TOKEN_KEY: &str = "k1:test-token-secret-0123456789abcdefghij";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A command with a clean environment: no HIVESYNC_* or secret leaks in from the caller.
fn hivesync(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "info");
    cmd
}

fn wait_http(url: &str, want: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::blocking_get(url)
            && r == want
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Tiny blocking GET returning the status (tests run no runtime of their own here).
mod reqwest {
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

fn signal(child: &Child, sig: &str) {
    Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
}

fn wait_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "process did not exit in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stderr_of(child: &mut Child) -> String {
    let mut s = String::new();
    child.stderr.take().unwrap().read_to_string(&mut s).unwrap();
    s
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn dev_starts_with_no_configuration_seeds_a_demo_and_stops_cleanly_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let started = Instant::now();
    let mut child = hivesync(&[
        "dev",
        "--listen",
        &listen,
        "--data-dir",
        data.to_str().unwrap(),
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    assert!(
        wait_http(
            &format!("http://{listen}/healthz"),
            200,
            Duration::from_secs(5)
        ),
        "healthz within 5 s"
    );
    eprintln!("healthz answered after {:?}", started.elapsed());
    assert!(wait_http(
        &format!("http://{listen}/readyz"),
        200,
        Duration::from_secs(5)
    ));

    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("demo.json")).unwrap()).unwrap();
    for key in ["api_key", "admin_key", "user_id", "project_id"] {
        assert!(
            demo[key].as_str().is_some_and(|v| !v.is_empty()),
            "demo.json has {key}"
        );
    }
    assert_eq!(mode(&data.join("demo.json")), 0o600);
    assert_eq!(mode(&data.join("secrets.json")), 0o600);
    assert!(data.join("hivesync.db").exists());
    assert!(data.join("objects").is_dir());

    let mut banner = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..8 {
        stdout.read_line(&mut banner).unwrap();
    }
    assert!(
        banner.contains(demo["api_key"].as_str().unwrap()),
        "banner prints the API key: {banner}"
    );
    assert!(
        banner.contains(&format!("http://{listen}")),
        "banner prints the URL"
    );

    signal(&child, "-INT");
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(status.success(), "clean exit on Ctrl-C: {status:?}");
    let log = stderr_of(&mut child);
    assert!(log.contains("worker stopped"), "{log}");
    assert!(
        !log.contains(demo["api_key"].as_str().unwrap()),
        "the API key is never logged"
    );

    // A restart reuses the same demo account and secrets.
    let mut again = hivesync(&[
        "dev",
        "--listen",
        &listen,
        "--data-dir",
        data.to_str().unwrap(),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    assert!(wait_http(
        &format!("http://{listen}/healthz"),
        200,
        Duration::from_secs(5)
    ));
    let demo2: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("demo.json")).unwrap()).unwrap();
    assert_eq!(demo, demo2);
    signal(&again, "-TERM");
    assert!(wait_exit(&mut again, Duration::from_secs(10)).success());
}

#[test]
fn serve_without_a_required_secret_stops_with_one_line_naming_it() {
    let mut child = hivesync(&["serve", "--listen", "127.0.0.1:0"])
        .env(
            "HIVESYNC_DATABASE_URL",
            "postgres://user:hunter2-password@127.0.0.1:5432/x",
        )
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(!status.success());
    let err = stderr_of(&mut child);
    let last = err.lines().last().unwrap();
    assert!(last.contains("WORKER_CALLBACK_SECRET"), "{err}");
    assert!(!err.contains("hunter2"), "no secret value in errors: {err}");
}

#[test]
fn unknown_configuration_key_stops_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hivesync.toml");
    std::fs::write(
        &file,
        "[server]\nlisten = \"127.0.0.1:0\"\nshutdown_grace = 5\n",
    )
    .unwrap();
    let out = hivesync(&["serve", "--config", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`server.shutdown_grace`"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one clear line: {err}");
}

#[test]
fn wrong_type_in_the_environment_names_the_variable_not_the_value() {
    let out = hivesync(&["worker", "--type", "cpu"])
        .env("HIVESYNC_WORKER__CAPACITY", "lots-s3cret")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HIVESYNC_WORKER__CAPACITY"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn serve_with_the_database_down_stays_alive_retries_and_is_not_ready() {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let objects = tempfile::tempdir().unwrap();
    let mut child = hivesync(&["serve", "--listen", &listen])
        .env(
            "HIVESYNC_DATABASE_URL",
            "postgres://postgres@127.0.0.1:9/none",
        )
        .env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .env("HIVESYNC_PREVIEW_TOKEN_KEY", TOKEN_KEY)
        .env("HIVESYNC_OBJECT_STORE__LOCAL_PATH", objects.path())
        .env("HIVESYNC_DATABASE__STARTUP_RETRY_SECONDS", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(wait_http(
        &format!("http://{listen}/healthz"),
        200,
        Duration::from_secs(5)
    ));
    assert!(wait_http(
        &format!("http://{listen}/readyz"),
        503,
        Duration::from_secs(5)
    ));
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "still running, not panicked"
    );
    signal(&child, "-TERM");
    assert!(wait_exit(&mut child, Duration::from_secs(10)).success());
    let log = stderr_of(&mut child);
    assert!(log.contains("database not reachable yet"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
}

#[tokio::test]
async fn migrate_then_worker_registers_on_postgres_and_serve_is_ready() {
    // A fresh database that the binary migrates itself: TestDb migrates too, so use its URL
    // only after dropping the schema.
    let db = TestDb::postgres().await;
    db.store
        .execute_unchecked_for_tests("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        .await
        .unwrap();
    let out = hivesync(&["migrate"])
        .env("HIVESYNC_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("applied migrations [1, 2]"));
    let out = hivesync(&["migrate"])
        .env("HIVESYNC_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("up to date"));

    let mut worker = hivesync(&["worker", "--type", "gpu", "--id", "gpu-test-1"])
        .env("HIVESYNC_DATABASE_URL", &db.url)
        .env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let id = hivesync_core::ids::WorkerId::parse("gpu-test-1").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while db.store.worker(&id).await.unwrap().is_none() {
        assert!(Instant::now() < deadline, "worker registered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        db.store.worker(&id).await.unwrap().unwrap().worker_type,
        hivesync_core::WorkerType::Gpu
    );
    signal(&worker, "-TERM");
    assert!(wait_exit(&mut worker, Duration::from_secs(10)).success());
    assert!(
        db.store
            .worker(&id)
            .await
            .unwrap()
            .unwrap()
            .stopped_at
            .is_some()
    );

    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let objects = tempfile::tempdir().unwrap();
    let mut serve = hivesync(&["serve", "--listen", &listen])
        .env("HIVESYNC_DATABASE_URL", &db.url)
        .env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .env("HIVESYNC_PREVIEW_TOKEN_KEY", TOKEN_KEY)
        .env("HIVESYNC_OBJECT_STORE__LOCAL_PATH", objects.path())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_http(
        &format!("http://{listen}/readyz"),
        200,
        Duration::from_secs(10)
    ));
    signal(&serve, "-TERM");
    assert!(wait_exit(&mut serve, Duration::from_secs(10)).success());
}
