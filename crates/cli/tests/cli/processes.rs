//! The `hivesync` binary as operators run it: real processes, real HTTP, real databases.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::procs::*;

use hivesync_store::testing::TestDb;

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
    let mut child = dev_command(&listen, &data)
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
    let mut again = dev_command(&listen, &data)
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
fn a_worker_holding_the_root_callback_secret_refuses_to_start() {
    let out = hivesync(&["worker", "--type", "cpu", "--id", "cpu-1"])
        .env("HIVESYNC_DATABASE_URL", "sqlite:///nonexistent/x.db")
        .env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .env("HIVESYNC_WORKER_KEY", worker_key_text("cpu-1"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("must not hold the backend's root callback secret"),
        "{err}"
    );
    assert!(!err.contains(CALLBACK_SECRET), "{err}");
    // Without a key of its own it names the variable to set.
    let out = hivesync(&["worker", "--type", "cpu", "--id", "cpu-1"])
        .env("HIVESYNC_DATABASE_URL", "sqlite:///nonexistent/x.db")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HIVESYNC_WORKER_KEY"));
}

#[test]
fn worker_key_prints_the_key_derived_for_that_worker_only() {
    let key = worker_key_text("cpu-eu-1");
    let root = hivesync_core::Secret::new(CALLBACK_SECRET);
    let id = |s: &str| hivesync_core::ids::WorkerId::parse(s).unwrap();
    use hivesync_core::callback_signature::WorkerKey;
    assert_eq!(
        WorkerKey::parse(&key).unwrap(),
        WorkerKey::derive(&root, &id("cpu-eu-1"))
    );
    assert_ne!(
        WorkerKey::parse(&key).unwrap(),
        WorkerKey::derive(&root, &id("cpu-eu-2"))
    );
    // Without the root secret it says what is missing.
    let out = hivesync(&["worker-key", "cpu-eu-1"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("WORKER_CALLBACK_SECRET"));
    let out = hivesync(&["worker-key", "Not An Id"])
        .env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .output()
        .unwrap();
    assert!(!out.status.success());
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
    let out = hivesync(&["worker", "--type", "cpu", "--id", "cpu-1"])
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
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("applied migrations [1, 2, 3, 4, 5, 6, 7]")
    );
    let out = hivesync(&["migrate"])
        .env("HIVESYNC_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("up to date"));

    let worker_objects = tempfile::tempdir().unwrap();
    let mut worker = hivesync(&["worker", "--type", "gpu", "--id", "gpu-test-1"])
        .env("HIVESYNC_DATABASE_URL", &db.url)
        .env("HIVESYNC_WORKER_KEY", worker_key_text("gpu-test-1"))
        .env("HIVESYNC_OBJECT_STORE__LOCAL_PATH", worker_objects.path())
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
    // Its own log (registered, stopped) reached storage on the way out, and is indexed.
    let logs = worker_objects.path().join("logs/workers/gpu-test-1");
    assert_eq!(std::fs::read_dir(&logs).unwrap().count(), 1);
    assert_eq!(db.store.worker_logs(&id, 10).await.unwrap().len(), 1);

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

#[tokio::test]
async fn account_create_opens_a_migrated_database_with_a_key_that_authenticates() {
    let db = TestDb::postgres().await;
    // The configuration file comes through HIVESYNC_CONFIG, as in a container or a unit.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hivesync.toml");
    std::fs::write(&file, "[database]\nmax_connections = 2\n").unwrap();
    let create = |email: &str| {
        hivesync(&[
            "account",
            "create",
            "--email",
            email,
            "--tier",
            "pro",
            "--project",
            "Shop",
            "--mobile-app",
        ])
        .env("HIVESYNC_DATABASE_URL", &db.url)
        .env("HIVESYNC_CONFIG", &file)
        .output()
        .unwrap()
    };
    let out = create("ops@example.com");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = created["api_key"].as_str().unwrap();
    let owner = db
        .store
        .authenticate_api_key(key, hivesync_core::clock::now_ms())
        .await
        .unwrap()
        .expect("the printed key authenticates");
    assert_eq!(owner.user.id.to_string(), created["user_id"]);
    assert_eq!(owner.user.tier, hivesync_core::Tier::Pro);
    assert_eq!(owner.scope, hivesync_store::accounts::Scope::Client);
    let project =
        hivesync_core::ids::ProjectId::parse(created["project_id"].as_str().unwrap()).unwrap();
    let project = db.store.project(project).await.unwrap().unwrap();
    assert!(project.is_mobile_app);
    assert_eq!(project.owner_id, owner.user.id);

    // The same address again: one clear line, nothing created.
    let out = create("ops@example.com");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot create the user"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!err.contains(&db.url), "{err}");
}

#[test]
fn preview_render_writes_layouts_snapshots_and_screens_for_a_whole_project() {
    let out = tempfile::tempdir().unwrap();
    let project = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layout/tests/fixtures/react-navigation-theme");
    let result = hivesync(&[
        "preview",
        project.to_str().unwrap(),
        "--platform",
        "ios",
        "--device",
        "iphone",
        "--out",
    ])
    .arg(out.path())
    .arg("--render")
    .output()
    .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let summary = String::from_utf8_lossy(&result.stdout);
    assert!(
        summary.contains("screens") && summary.contains("snapshots"),
        "{summary}"
    );
    let mut screens = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let dir = entry.unwrap().path();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("layout.json")).unwrap())
                .unwrap();
        assert_eq!(doc["root"]["frame"]["width"], 393.0);
        let png = std::fs::read(dir.join("screen.png")).unwrap();
        let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
        assert_eq!((be(16), be(20)), (393 * 3, 852 * 3), "full screen at 3x");
        for asset in doc["assets"].as_array().into_iter().flatten() {
            let file = dir
                .join("assets")
                .join(format!("{}.png", asset["id"].as_str().unwrap()));
            assert!(file.exists(), "{} written", file.display());
        }
        screens += 1;
    }
    assert!(screens >= 2, "every screen of the project");
}
