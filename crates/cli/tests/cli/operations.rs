//! What an operator sees, end to end with real workers: `/metrics` counters that move when jobs
//! run, the worker's log in object storage read through the admin API, and the admin dashboard
//! in a real headless Chromium (Debian's `chromium`, installed by
//! `scripts/ci-setup.d/chromium.sh`) that logs in through the form and shows the numbers
//! of the data behind it. Its screenshots are kept as CI artifacts under
//! `target/artifacts/` (`admin-dashboard.png`, `admin-dashboard-tablet.png`).

use std::path::PathBuf;
use std::time::Duration;

use crate::common::*;
use hivesync_core::ids::WorkerId;
use hivesync_core::{Tier, WorkerType};
use hivesync_store::Driver;
use hivesync_store::health::HealthPolicy;
use hivesync_store::workers::Registration;
use serde_json::{Value, json};

/// Samples of a scrape: (name, labels) -> value; histograms by their `_count` and `_sum`.
async fn scrape(app: &App) -> prometheus_parse::Scrape {
    let r = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = r.text().await.unwrap();
    assert!(text.ends_with("# EOF\n"), "{text}");
    prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap()
}

fn value(s: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    s.samples
        .iter()
        .find(|x| x.metric == name && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)))
        .map(|x| match x.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => f64::NAN,
        })
        .unwrap_or(0.0)
}

fn ops_config() -> hivesync_core::config::Config {
    let mut c = test_config();
    c.metrics.allow_loopback = true;
    c.worker.log_flush_seconds = 1;
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_counters_move_when_jobs_run_and_the_worker_log_reaches_storage() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, ops_config()).await;
    let _w = app.start_worker("cpu-m", WorkerType::Cpu, objects);
    let pro = [("kind", "preview"), ("tier", "pro")];
    let done = [("kind", "preview"), ("tier", "pro"), ("state", "succeeded")];
    let before = scrape(&app).await;
    assert_eq!(value(&before, "hivesync_jobs_finished_total", &done), 0.0);
    for _ in 0..2 {
        let job = app
            .request_preview(&preview_body(
                &app,
                fixture_files("expo-router-nativewind"),
                &["iphone"],
            ))
            .await;
        let s = app.wait_final(&job, Duration::from_secs(60)).await;
        assert_eq!(s["status"], "succeeded", "{s}");
    }
    // A refusal by a limit is counted too.
    let big = "x".repeat(2 * 1024 * 1024);
    let r = app
        .post_preview(&preview_body(
            &app,
            vec![json!({"path": "App.tsx", "content": big})],
            &["iphone"],
        ))
        .await;
    assert_eq!(r.status(), 413);
    let after = scrape(&app).await;
    assert_eq!(value(&after, "hivesync_jobs_finished_total", &done), 2.0);
    assert_eq!(
        value(
            &after,
            "hivesync_callbacks_total",
            &[("result", "accepted"), ("reason", "ok")]
        ),
        2.0
    );
    assert_eq!(
        value(&after, "hivesync_job_duration_seconds_count", &pro),
        2.0
    );
    assert!(value(&after, "hivesync_job_duration_seconds_sum", &pro) > 0.0);
    assert_eq!(
        value(&after, "hivesync_claim_latency_seconds_count", &pro),
        2.0
    );
    assert_eq!(
        value(
            &after,
            "hivesync_limit_refusals_total",
            &[("code", "file_too_large")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &after,
            "hivesync_workers",
            &[("type", "cpu"), ("health", "healthy")]
        ),
        1.0
    );
    assert!(
        value(
            &after,
            "hivesync_worker_heartbeat_age_seconds",
            &[("worker", "cpu-m")]
        ) < 60.0
    );

    // The worker's log batches reach storage and the admin API reads them back.
    let worker = WorkerId::parse("cpu-m").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut events: Vec<Value> = Vec::new();
    while std::time::Instant::now() < deadline {
        events.clear();
        for l in app.store.worker_logs(&worker, 50).await.unwrap() {
            let ts = l.key.rsplit('/').next().unwrap().trim_end_matches(".json");
            assert!(l.key.starts_with("logs/workers/cpu-m/"), "{}", l.key);
            let r = app
                .http
                .get(format!("{}/api/v1/admin/workers/cpu-m/logs/{ts}", app.base))
                .bearer_auth(ADMIN_KEY)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let text = r.text().await.unwrap();
            for secret in [
                ADMIN_KEY,
                CALLBACK_SECRET,
                app.api_key.as_str(),
                METRICS_TOKEN,
            ] {
                assert!(!text.contains(secret), "a worker log holds a secret");
            }
            let batch: Value = serde_json::from_str(&text).unwrap();
            events.extend(batch["events"].as_array().unwrap().iter().cloned());
        }
        if events
            .iter()
            .filter(|e| e["event"] == "job_finished")
            .count()
            == 2
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(kinds.contains(&"worker_registered"), "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|k| **k == "job_started").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "job_finished").count(),
        2,
        "{kinds:?}"
    );
    let r = app
        .http
        .get(format!("{}/api/v1/admin/workers/cpu-m/logs", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "worker logs are for admins");
}

/// Serves one HTML page on 127.0.0.1 (same site as the backend, another port).
async fn serve_page(html: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{html}",
                html.len()
            );
            let _ = s.write_all(reply.as_bytes()).await;
        }
    });
    format!("http://{addr}/")
}

fn chromium() -> PathBuf {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = std::process::Command::new("which").arg(c).output()
            && out.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        }
    }
    panic!("chromium is missing: run scripts/ci-setup.d/chromium.sh (or source scripts/services)");
}

/// Runs headless Chromium on `url` with a fresh profile; `extra` adds `--dump-dom` or
/// `--screenshot=...`. Returns stdout.
async fn headless(url: &str, size: &str, extra: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = tokio::time::timeout(
        Duration::from_secs(90),
        tokio::process::Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--force-device-scale-factor=1",
                &format!("--user-data-dir={}", profile.path().display()),
                &format!("--window-size={size}"),
                "--virtual-time-budget=8000",
                extra,
                url,
            ])
            .output(),
    )
    .await
    .expect("chromium finished in time")
    .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of the summary card labelled `label`.
fn card(dom: &str, label: &str) -> String {
    let end = dom
        .find(&format!("<div class=\"l\">{label}</div>"))
        .unwrap_or_else(|| panic!("no card {label}"));
    let start = dom[..end].rfind("<div class=\"n\">").unwrap() + "<div class=\"n\">".len();
    dom[start..end].trim_end_matches("</div>").to_owned()
}

/// The figure `k` of tier `tier`'s analytics box.
fn tier_figure(dom: &str, tier: &str, k: &str) -> String {
    let at = dom.find(&format!("data-tier=\"{tier}\"")).unwrap();
    let rest = &dom[at..];
    let marker = format!("data-k=\"{k}\">");
    let start = rest.find(&marker).unwrap() + marker.len();
    rest[start..start + rest[start..].find('<').unwrap()].to_owned()
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_headless_chromium_logs_in_and_shows_the_real_numbers() {
    let (_dir, objects) = local();
    let mut config = ops_config();
    // The worker's own log is not written during the test (it would take an injected failure).
    config.worker.log_flush_seconds = 600;
    let app = spawn_app(Driver::Postgres, objects.clone(), Tier::Pro, config).await;
    let store = &app.store;
    let now = hivesync_core::clock::now_ms();
    // A GPU worker silent for 3 minutes (unhealthy, so Premium work falls back to the CPU worker)
    // and a CPU worker an operator disabled.
    for (id, t, at) in [
        ("gpu-sick", WorkerType::Gpu, now - 180_000),
        ("cpu-off", WorkerType::Cpu, now),
    ] {
        let id = WorkerId::parse(id).unwrap();
        store
            .register_worker(
                &Registration {
                    id: &id,
                    worker_type: t,
                    capacity: 2,
                    version: "t",
                    hostname: "rack-2",
                },
                at,
            )
            .await
            .unwrap();
    }
    let policy = HealthPolicy {
        heartbeat_timeout_ms: 120_000,
        error_window_jobs: 20,
        error_window_ms: 600_000,
        error_rate_threshold: 0.5,
        error_min_jobs: 5,
    };
    store.evaluate_worker_health(&policy, now).await.unwrap();
    let r = app
        .http
        .post(format!("{}/api/v1/admin/workers/cpu-off/disable", app.base))
        .bearer_auth(ADMIN_KEY)
        .json(&json!({ "reason": "kernel upgrade" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let _w = app.start_worker("cpu-live", WorkerType::Cpu, objects.clone());
    // One preview the worker fails through its own fault: storage refuses both attempts of its
    // first upload.
    objects.fail_next_puts(2);
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("expo-router-nativewind"),
            &["iphone"],
        ))
        .await;
    let s = app.wait_final(&job, Duration::from_secs(60)).await;
    assert_eq!(s["status"], "failed", "{s}");
    // Two Pro previews and one Premium one (from a Premium user), all on the CPU worker.
    for _ in 0..2 {
        let job = app
            .request_preview(&preview_body(
                &app,
                fixture_files("expo-router-nativewind"),
                &["iphone"],
            ))
            .await;
        assert_eq!(
            app.wait_final(&job, Duration::from_secs(60)).await["status"],
            "succeeded"
        );
    }
    let premium = store
        .create_user("premium@example.com", Tier::Premium, now)
        .await
        .unwrap();
    let project = store
        .create_project(premium.id, "Premium app", true, now)
        .await
        .unwrap();
    let key = store
        .create_api_key(
            premium.id,
            "ci",
            hivesync_store::accounts::Scope::Client,
            now,
        )
        .await
        .unwrap();
    let mut body = preview_body(&app, fixture_files("react-navigation-theme"), &["iphone"]);
    body["project_id"] = json!(project.id);
    let r = app
        .http
        .post(format!("{}/api/v1/previews", app.base))
        .bearer_auth(key.plaintext.expose())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    let job: Value = r.json().await.unwrap();
    let s = poll_final(
        &app.http,
        &job,
        key.plaintext.expose(),
        Duration::from_secs(60),
    )
    .await;
    assert_eq!(s["status"], "succeeded", "{s}");
    // Two refused requests: a bad API key and a spent session token.
    let r = app
        .http
        .get(format!("{}/api/v1/previews/x", app.base))
        .bearer_auth("hsk_nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .http
        .post(format!("{}/api/v1/session-tokens/redeem", app.base))
        .json(&json!({"token": "hst_never-issued"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // What the page must show, from the database behind it.
    let jobs_today = store
        .recent_jobs(100)
        .await
        .unwrap()
        .iter()
        .filter(|j| j.job.finished_at.is_some())
        .count();
    assert_eq!(jobs_today, 4);
    assert_eq!(store.gpu_fallback_count().await.unwrap(), 1);

    // Log in through the form (a page on the same site posts it), then the dashboard loads.
    let login = serve_page(format!(
        "<!doctype html><form id=\"f\" method=\"post\" action=\"{}/admin/login\"><input name=\"key\" value=\"{ADMIN_KEY}\"></form><script>document.getElementById('f').submit()</script>",
        app.base
    ))
    .await;
    let dom = headless(&login, "1280,1800", "--dump-dom").await;
    assert!(
        dom.contains("<h1>HiveSync admin</h1>") && dom.contains("<h2>Workers</h2>"),
        "not logged in: {}",
        &dom[..dom.len().min(2000)]
    );
    assert_eq!(card(&dom, "healthy workers"), "1 / 3");
    assert_eq!(card(&dom, "jobs finished today"), "4");
    assert_eq!(card(&dom, "failure rate today"), "25%");
    assert_eq!(card(&dom, "GPU fallbacks"), "1");
    assert_eq!(card(&dom, "jobs queued"), "0");
    let security: i64 = store
        .security_events(12)
        .await
        .unwrap()
        .iter()
        .map(|e| e.count)
        .sum();
    assert!(security >= 2);
    assert_eq!(card(&dom, "recent security events"), security.to_string());
    assert_eq!(
        tier_figure(&dom, "pro", "jobs-per-day"),
        format!("{:.1}", 3.0 / 7.0)
    );
    assert_eq!(
        tier_figure(&dom, "premium", "jobs-per-day"),
        format!("{:.1}", 1.0 / 7.0)
    );
    assert_eq!(tier_figure(&dom, "pro", "failure-rate"), "33%");
    assert_eq!(tier_figure(&dom, "premium", "failure-rate"), "0%");
    assert!(tier_figure(&dom, "pro", "p95").ends_with('s'), "a duration");
    for text in [
        "gpu-sick",
        "no heartbeat for 180 s",
        "cpu-off",
        "kernel upgrade",
        "admin:key",
        "api_key_invalid",
        "session_token_unknown",
        "no healthy GPU worker",
        "worker:</span> the preview could not be stored",
        "25% <span class=\"mute\">(1 of 4)</span>",
    ] {
        assert!(dom.contains(text), "the page shows {text}");
    }
    // Screenshots for people (laptop and tablet widths), kept as CI artifacts.
    let dir = artifacts();
    for (name, size) in [
        ("admin-dashboard.png", "1280,1800"),
        ("admin-dashboard-tablet.png", "820,1400"),
    ] {
        let path = dir.join(name);
        let _ = std::fs::remove_file(&path);
        headless(&login, size, &format!("--screenshot={}", path.display())).await;
        let png = std::fs::read(&path).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(
            png.len() > 20_000,
            "a real page, not a blank one ({} bytes)",
            png.len()
        );
        eprintln!("screenshot: {}", path.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hivesync_admin_lists_disables_and_enables_workers_and_shows_jobs_and_events() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, ops_config()).await;
    let (_job, _claimed) = claimed_job(&app, "cpu-x").await;
    let run = |args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            procs::hivesync(&args).output().unwrap()
        })
    };
    let admin = |rest: &[&str]| {
        let mut a: Vec<String> = ["admin", "--url", &app.base, "--key", ADMIN_KEY]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(rest.iter().map(|s| s.to_string()));
        a
    };
    let out = run(admin(&["workers"])).await.unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.starts_with("ID") && text.contains("cpu-x") && text.contains("healthy"),
        "{text}"
    );
    let out = run(admin(&[
        "workers", "disable", "cpu-x", "--reason", "bad RAM",
    ]))
    .await
    .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "cpu-x: disabled"
    );
    let out = run(admin(&["--json", "events", "workers"])).await.unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["events"][0]["reason"], "bad RAM");
    let out = run(admin(&["jobs", "--limit", "5"])).await.unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("running") && text.contains("cpu-x"), "{text}");
    let out = run(admin(&["events", "security"])).await.unwrap();
    assert!(out.status.success());
    let out = run(admin(&["workers", "enable", "cpu-x"])).await.unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "cpu-x: active");
    // A wrong key: one clear line and a non-zero status.
    let out = run(vec![
        "admin".into(),
        "--url".into(),
        app.base.clone(),
        "--key".into(),
        "hsa_wrong".into(),
        "workers".into(),
    ])
    .await
    .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hivesync: error: 401"), "{err}");
    assert!(!err.contains("hsa_wrong"));
}

#[tokio::test]
async fn hivesync_admin_creates_a_user_a_project_and_scoped_keys_lists_and_revokes_them() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, ops_config()).await;
    let run = |rest: &[&str]| {
        let mut args: Vec<String> = ["admin", "--url", &app.base, "--key", ADMIN_KEY]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(rest.iter().map(|s| s.to_string()));
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = procs::hivesync(&args).output().unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
    };
    let email = format!("{}@example.com", uuid());
    let (ok, out, err) = run(&["users", "create", &email, "--tier", "premium"])
        .await
        .unwrap();
    assert!(ok, "{err}");
    assert!(out.contains(&email) && out.contains("premium"), "{out}");
    let (ok, out, err) = run(&["--json", "projects", "create", "Shop", "--owner", &email])
        .await
        .unwrap();
    assert!(ok, "{err}");
    let project: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(project["name"], "Shop");
    let (ok, out, err) = run(&[
        "--json", "keys", "create", "--user", &email, "--scope", "ci", "--name", "GitHub",
    ])
    .await
    .unwrap();
    assert!(ok, "{err}");
    let key: Value = serde_json::from_str(&out).unwrap();
    let plaintext = key["key"].as_str().unwrap().to_owned();
    assert_eq!(key["scope"], "ci");
    // The CI key submits a preview of the new project, and cannot reach developer routes.
    let mut body = preview_body(&app, fixture_files("helpers-and-core"), &["iphone"]);
    body["project_id"] = project["id"].clone();
    let r = app
        .http
        .post(format!("{}/api/v1/previews", app.base))
        .bearer_auth(&plaintext)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let r = app
        .http
        .post(format!("{}/api/v1/session-tokens", app.base))
        .bearer_auth(&plaintext)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (ok, out, _) = run(&["keys", "list", "--user", &email]).await.unwrap();
    assert!(ok);
    assert!(
        out.starts_with("ID") && out.contains("GitHub") && out.contains("ci"),
        "{out}"
    );
    assert!(!out.contains(&plaintext), "a listing never shows a key");
    let id = key["id"].as_str().unwrap();
    let (ok, out, _) = run(&["keys", "revoke", id]).await.unwrap();
    assert!(ok);
    assert_eq!(out.trim(), format!("{id}: revoked"));
    let r = app
        .http
        .get(format!("{}/api/v1/previews/{}", app.base, uuid()))
        .bearer_auth(&plaintext)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "a revoked key stops at once");
    // A user that does not exist: one clear line, non-zero.
    let (ok, _, err) = run(&[
        "keys",
        "create",
        "--user",
        "nobody@example.com",
        "--name",
        "x",
    ])
    .await
    .unwrap();
    assert!(!ok);
    assert!(
        err.contains("404") && err.contains("no user has this e-mail address"),
        "{err}"
    );
}
