//! Session tokens, the admin API and dashboard login, and who may read `/metrics`, over real
//! HTTP on both databases where the database decides.

use std::collections::HashMap;

use hivesync_core::Tier;
use hivesync_server::testing::*;
use hivesync_store::Driver;
use serde_json::{Value, json};

async fn redeem(app: &App, token: &str) -> u16 {
    app.http
        .post(format!("{}/api/v1/session-tokens/redeem", app.base))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn session_tokens_are_redeemed_once(driver: Driver) {
    let (_dir, objects) = local();
    let app = spawn_app(driver, objects, Tier::Pro, test_config()).await;
    let url = format!("{}/api/v1/session-tokens", app.base);
    assert_eq!(
        app.http.post(&url).send().await.unwrap().status(),
        401,
        "needs an API key"
    );
    let r = app
        .http
        .post(&url)
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let token = v["token"].as_str().unwrap().to_owned();
    assert_eq!(v["expires_in_seconds"], 90);
    assert!(token.starts_with("hst_"));
    // Twelve redeems at once: exactly one wins.
    let all = futures::future::join_all((0..12).map(|_| redeem(&app, &token))).await;
    let mut counts = HashMap::new();
    for s in &all {
        *counts.entry(*s).or_insert(0) += 1;
    }
    assert_eq!(counts.get(&200), Some(&1), "{all:?}");
    assert_eq!(counts.get(&401), Some(&11), "{all:?}");
    assert_eq!(redeem(&app, &token).await, 401, "and never again");
    assert_eq!(redeem(&app, "hst_unknown").await, 401);
    let kinds = app.security_kinds().await;
    assert!(kinds.iter().any(|k| k == "session_token_used"), "{kinds:?}");
    assert!(
        kinds.iter().any(|k| k == "session_token_unknown"),
        "{kinds:?}"
    );
    // Only the hash is stored.
    let events = app.store.security_events(100).await.unwrap();
    assert!(events.iter().all(|e| !e.detail.contains(&token)));
}

#[tokio::test]
async fn session_tokens_are_redeemed_once_under_concurrent_http_redeems_postgres() {
    session_tokens_are_redeemed_once(Driver::Postgres).await;
}

#[tokio::test]
async fn session_tokens_are_redeemed_once_under_concurrent_http_redeems_sqlite() {
    session_tokens_are_redeemed_once(Driver::Sqlite).await;
}

#[tokio::test]
async fn an_admin_disables_a_worker_which_then_cannot_call_back_and_the_change_is_recorded() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let (_job, claimed) = claimed_job(&app, "cpu-a").await;
    let admin = |path: &str| format!("{}/api/v1/admin{path}", app.base);
    // Without the key, or with a client key: 401 and a security event.
    assert_eq!(
        app.http
            .get(admin("/workers"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let r = app
        .http
        .get(admin("/workers"))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        app.security_kinds()
            .await
            .iter()
            .any(|k| k == "admin_unauthorized")
    );
    let v: Value = app
        .http
        .get(admin("/workers"))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["workers"][0]["id"], "cpu-a");
    assert_eq!(v["workers"][0]["health"], "healthy");
    assert_eq!(v["workers"][0]["running_jobs"], 1);
    let r = app
        .http
        .post(admin("/workers/cpu-a/disable"))
        .bearer_auth(ADMIN_KEY)
        .json(&json!({ "reason": "flaky disk" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["status"].as_str(), v["changed"].as_bool()),
        (Some("disabled"), Some(true))
    );
    let r = app
        .http
        .post(admin("/workers/ghost/disable"))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Its callback is refused now.
    let screen = format!("{}-iphone-home", claimed.job.id.simple());
    let body = callback_body(&claimed, "cpu-a", &screen);
    assert_eq!(
        Signed::new("cpu-a", &body)
            .send(&app, "/api/v1/worker/callback")
            .await,
        401
    );
    assert!(
        app.security_kinds()
            .await
            .iter()
            .any(|k| k == "callback_worker_disabled")
    );
    let v: Value = app
        .http
        .get(admin("/events/workers"))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["events"][0]["change"], "disabled");
    assert_eq!(v["events"][0]["actor"], "admin:key");
    assert_eq!(v["events"][0]["reason"], "flaky disk");
    let v: Value = app
        .http
        .get(admin("/jobs?limit=5"))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["jobs"][0]["id"], json!(claimed.job.id));
    assert_eq!(v["jobs"][0]["state"], "running");
    let v: Value = app
        .http
        .get(admin("/events/security?limit=50"))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "callback_worker_disabled")
    );
    let r = app
        .http
        .post(admin("/workers/cpu-a/enable"))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn the_dashboard_login_sets_a_secure_http_only_cookie_and_the_header_works_for_scripts() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .get(format!("{}/admin", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.text().await.unwrap().contains("name=\"key\""),
        "the login form"
    );
    let login = |key: &str| {
        http.post(format!("{}/admin/login", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("key={key}"))
            .send()
    };
    let r = login("hsa_wrong").await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        app.security_kinds()
            .await
            .iter()
            .any(|k| k == "admin_login_failed")
    );
    let r = login(ADMIN_KEY).await.unwrap();
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/admin"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains(ADMIN_KEY), "the cookie holds no key");
    let session = cookie.split(';').next().unwrap().to_owned();
    let r = http
        .get(format!("{}/admin", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h2>Workers</h2>") && html.contains("http-equiv=\"refresh\""));
    // A forged or expired session is refused.
    let forged = format!("hivesync_admin={}.{}", i64::MAX, "0".repeat(64));
    let r = http
        .get(format!("{}/admin", app.base))
        .header("cookie", forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .get(format!("{}/admin", app.base))
        .bearer_auth(ADMIN_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn metrics_need_the_token_unless_loopback_is_allowed_and_parse_as_prometheus_text() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let (_job, _claimed) = claimed_job(&app, "cpu-a").await;
    let url = format!("{}/metrics", app.base);
    assert_eq!(app.http.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(
        app.http
            .get(&url)
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let r = app
        .http
        .get(&url)
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).unwrap();
    let value = |name: &str, labels: &[(&str, &str)]| {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match s.value {
                // OpenMetrics names a counter's family without `_total`, which this parser
                // then reads as untyped.
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => v,
                _ => f64::NAN,
            })
    };
    assert_eq!(
        value(
            "hivesync_workers",
            &[("type", "cpu"), ("health", "healthy")]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(
            "hivesync_jobs_running",
            &[("kind", "preview"), ("tier", "pro")]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value("hivesync_gpu_fallbacks_total", &[]),
        Some(0.0),
        "{text}"
    );
    assert!(
        value(
            "hivesync_worker_heartbeat_age_seconds",
            &[("worker", "cpu-a")]
        )
        .is_some(),
        "{text}"
    );
    assert!(scrape.docs.contains_key("hivesync_workers"), "{text}");
    let (_dir, objects) = local();
    let mut config = test_config();
    config.metrics.allow_loopback = true;
    let open = spawn_app(Driver::Sqlite, objects, Tier::Pro, config).await;
    assert_eq!(
        open.http
            .get(format!("{}/metrics", open.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
