//! The client, device and worker APIs over real HTTP, with no worker running: request checks
//! in order, tokens, signed callbacks and heartbeats, preview logs.

use hivesync_core::config::Config;
use hivesync_core::ids::WorkerId;
use hivesync_core::preview_token::{self, PreviewClaims};
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::wire::TextFile;
use hivesync_core::{Secret, Tier, WorkerType};
use hivesync_server::testing::*;
use hivesync_store::Driver;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn requests_are_checked_in_order_with_their_own_codes() {
    let (_dir, objects) = local();
    let mut config = test_config();
    config.tiers.free.max_request_bytes = 64 * 1024;
    config.tiers.free.max_file_bytes = 2_000;
    config.tiers.free.max_files = 3;
    let app = spawn_app(Driver::Sqlite, objects, Tier::Free, config).await;
    let url = format!("{}/api/v1/previews", app.base);
    let small = vec![
        json!({"path": "App.tsx", "content": "export default function App() { return null; }"}),
    ];
    let body = preview_body(&app, small.clone(), &["iphone"]);
    let code = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        (status, v["error"]["code"].as_str().unwrap_or("").to_owned())
    };
    // 401 before anything else, even with a bad content type.
    let r = app
        .http
        .post(&url)
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(code(r).await, (401, "unauthorized".into()));
    let r = app
        .http
        .post(&url)
        .bearer_auth("hsk_forged")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(code(r).await, (401, "unauthorized".into()));
    // 415 before the size check.
    let r = app
        .http
        .post(&url)
        .bearer_auth(&app.api_key)
        .header("content-type", "text/plain")
        .body("x".repeat(100_000))
        .send()
        .await
        .unwrap();
    assert_eq!(code(r).await, (415, "unsupported_media_type".into()));
    // 413 before parsing: the body is not even JSON.
    let r = app
        .http
        .post(&url)
        .bearer_auth(&app.api_key)
        .header("content-type", "application/json")
        .body("x".repeat(100_000))
        .send()
        .await
        .unwrap();
    assert_eq!(code(r).await, (413, "request_too_large".into()));
    let r = app
        .http
        .post(&url)
        .bearer_auth(&app.api_key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(code(r).await, (400, "bad_request".into()));
    // Permission: a stranger's project is not found.
    let other = app
        .store
        .create_user("other@example.com", Tier::Free, 0)
        .await
        .unwrap();
    let theirs = app
        .store
        .create_project(other.id, "Theirs", true, 0)
        .await
        .unwrap();
    let mut b = body.clone();
    b["project_id"] = json!(theirs.id);
    assert_eq!(
        code(app.post_preview(&b).await).await,
        (404, "project_not_found".into())
    );
    // A viewer may not request previews.
    app.store
        .add_member(
            theirs.id,
            app.user.id,
            hivesync_store::accounts::Role::Viewer,
            0,
        )
        .await
        .unwrap();
    assert_eq!(
        code(app.post_preview(&b).await).await,
        (403, "forbidden".into())
    );
    // Not a mobile app.
    let web = app
        .store
        .create_project(app.user.id, "Web", false, 0)
        .await
        .unwrap();
    b["project_id"] = json!(web.id);
    assert_eq!(
        code(app.post_preview(&b).await).await,
        (422, "not_a_mobile_project".into())
    );
    // Per-file size and file count.
    let big = vec![json!({"path": "App.tsx", "content": "x".repeat(3_000)})];
    assert_eq!(
        code(
            app.post_preview(&preview_body(&app, big, &["iphone"]))
                .await
        )
        .await,
        (413, "file_too_large".into())
    );
    let many: Vec<Value> = (0..4)
        .map(|i| json!({"path": format!("f{i}.ts"), "content": "1"}))
        .collect();
    assert_eq!(
        code(
            app.post_preview(&preview_body(&app, many, &["iphone"]))
                .await
        )
        .await,
        (413, "too_many_files".into())
    );
    let traversal = vec![json!({"path": "../etc/passwd", "content": "x"})];
    assert_eq!(
        code(
            app.post_preview(&preview_body(&app, traversal, &["iphone"]))
                .await
        )
        .await,
        (422, "invalid_path".into())
    );
    let mut wrong_device = body.clone();
    wrong_device["device_types"] = json!(["android-phone"]);
    assert_eq!(
        code(app.post_preview(&wrong_device).await).await,
        (422, "invalid_device_types".into())
    );
    // None of the refused requests queued anything.
    assert_eq!(app.store.queue_depth().await.unwrap(), 0);
    assert!(
        app.security_kinds()
            .await
            .contains(&"api_key_invalid".to_string())
    );
}

#[tokio::test]
async fn every_bad_callback_is_rejected_changes_nothing_and_is_logged() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let (_job, claimed) = claimed_job(&app, "cpu-cb").await;
    let screen = format!("{}-iphone-home", claimed.job.id.simple());
    let layout = StorageKey::PreviewLayout(hivesync_core::ids::ScreenId::parse(&screen).unwrap());
    let good = callback_body(&claimed, "cpu-cb", &screen);
    let path = "/api/v1/worker/callback";

    let mut cases: Vec<(&str, Signed, u16, &str)> = Vec::new();
    let mut s = Signed::new("cpu-cb", &good);
    s.key_root = "another-secret-entirely-0123456789abcdef".into();
    cases.push(("forged signature", s, 401, "callback_bad_signature"));
    let mut s = Signed::new("cpu-cb", &good);
    s.ts -= 301;
    cases.push(("stale timestamp", s, 401, "callback_stale_timestamp"));
    let mut s = Signed::new("cpu-cb", &good);
    // Well past the 300 s window: the cases are sent one after another, seconds later on a
    // loaded machine, and a future timestamp comes closer to the clock while it waits.
    s.ts += 600;
    cases.push(("future timestamp", s, 401, "callback_stale_timestamp"));
    cases.push((
        "unknown worker",
        Signed::new(
            "ghost-worker",
            &callback_body(&claimed, "ghost-worker", &screen),
        ),
        401,
        "callback_unknown_worker",
    ));
    // Missing object: the layout was never uploaded.
    cases.push((
        "missing object",
        Signed::new("cpu-cb", &good),
        422,
        "callback_missing_object",
    ));
    let mut tier = good.clone();
    tier["tier"] = json!("premium");
    cases.push((
        "tier differs",
        Signed::new("cpu-cb", &tier),
        422,
        "callback_mismatch",
    ));
    let mut platform = good.clone();
    platform["platform"] = json!("android");
    cases.push((
        "platform differs",
        Signed::new("cpu-cb", &platform),
        422,
        "callback_mismatch",
    ));
    let foreign = format!(
        "{}-iphone-home",
        hivesync_core::ids::JobId::new_random().simple()
    );
    cases.push((
        "foreign screen",
        Signed::new("cpu-cb", &callback_body(&claimed, "cpu-cb", &foreign)),
        422,
        "callback_foreign_screen",
    ));
    let mut unknown_job = good.clone();
    unknown_job["job_id"] = json!(hivesync_core::ids::JobId::new_random());
    cases.push((
        "unknown job",
        Signed::new("cpu-cb", &unknown_job),
        409,
        "callback_unknown_job",
    ));

    for (what, signed, status, kind) in cases {
        assert_eq!(signed.send(&app, path).await, status, "{what}");
        let kinds = app.security_kinds().await;
        assert_eq!(
            kinds.first().map(String::as_str),
            Some(kind),
            "{what}: {kinds:?}"
        );
        let job = app.store.job(claimed.job.id).await.unwrap().unwrap();
        assert_eq!(
            job.state,
            hivesync_core::JobState::Running,
            "{what} changed nothing"
        );
    }

    // Another registered worker cannot complete a job it does not hold.
    let other = claimed_job(&app, "cpu-other").await.1;
    let _ = other;
    assert_eq!(
        Signed::new("cpu-other", &callback_body(&claimed, "cpu-other", &screen))
            .send(&app, path)
            .await,
        409
    );
    assert_eq!(app.security_kinds().await[0], "callback_job_not_active");

    // A disabled worker is refused even with a valid signature.
    app.store
        .set_worker_active(&WorkerId::parse("cpu-cb").unwrap(), false)
        .await
        .unwrap();
    app.objects
        .put(&layout, bytes::Bytes::from_static(b"{}"))
        .await
        .unwrap();
    assert_eq!(Signed::new("cpu-cb", &good).send(&app, path).await, 401);
    assert_eq!(app.security_kinds().await[0], "callback_worker_disabled");
    app.store
        .set_worker_active(&WorkerId::parse("cpu-cb").unwrap(), true)
        .await
        .unwrap();

    // The valid callback is accepted once; its replay is refused.
    let ok = Signed::new("cpu-cb", &good);
    assert_eq!(ok.send(&app, path).await, 200);
    assert_eq!(
        app.store.job(claimed.job.id).await.unwrap().unwrap().state,
        hivesync_core::JobState::Succeeded
    );
    assert_eq!(ok.send(&app, path).await, 409);
    assert_eq!(app.security_kinds().await[0], "callback_replayed");
}

#[tokio::test]
async fn a_callback_for_an_expired_job_is_rejected() {
    let (_dir, objects) = local();
    let mut config = test_config();
    config.preview_token.ttl_seconds = 2;
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, config).await;
    let (_job, claimed) = claimed_job(&app, "cpu-exp").await;
    let screen = format!("{}-iphone-home", claimed.job.id.simple());
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let status = Signed::new("cpu-exp", &callback_body(&claimed, "cpu-exp", &screen))
        .send(&app, "/api/v1/worker/callback")
        .await;
    assert_eq!(status, 409);
    let kinds = app.security_kinds().await;
    assert!(
        kinds[0] == "callback_job_expired" || kinds[0] == "callback_job_not_active",
        "{kinds:?}"
    );
}

#[tokio::test]
async fn forged_expired_and_misused_tokens_get_401_and_are_logged() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("expo-router-nativewind"),
            &["iphone"],
        ))
        .await;
    let url = job["screens_url"].as_str().unwrap();
    let token = job["preview_token"].as_str().unwrap();
    assert_eq!(app.device_get(url, token, "iphone").await.status(), 200);
    let claims = preview_token::verify(
        token,
        &[&token_key()],
        hivesync_core::clock::now_ms() / 1000,
    )
    .unwrap();

    let resign =
        |c: &PreviewClaims, key: &hivesync_core::config::TokenKey| preview_token::sign(c, key);
    let mut expired = claims.clone();
    expired.expires_at = hivesync_core::clock::now_ms() / 1000 - 1;
    let mut purpose = claims.clone();
    purpose.purpose = "login".into();
    let other_key = hivesync_core::config::TokenKey {
        id: "t1".into(),
        secret: Secret::new("x".repeat(40)),
    };
    let unknown_kid = hivesync_core::config::TokenKey {
        id: "zz".into(),
        secret: Secret::new(TOKEN_SECRET),
    };
    let (head, tag) = token.rsplit_once('.').unwrap();
    let tampered = format!("{}.{}", head.replacen("eyJ", "eyK", 1), tag);
    let cases = [
        ("expired", resign(&expired, &token_key()), "token_expired"),
        (
            "wrong purpose",
            resign(&purpose, &token_key()),
            "token_wrong_purpose",
        ),
        (
            "wrong secret",
            resign(&claims, &other_key),
            "token_bad_signature",
        ),
        (
            "unknown key id",
            resign(&claims, &unknown_kid),
            "token_unknown_key",
        ),
        ("tampered", tampered, "token_bad_signature"),
        ("malformed", "not-a-token".to_string(), "token_malformed"),
    ];
    for (what, t, kind) in cases {
        let r = app.device_get(url, &t, "iphone").await;
        assert_eq!(r.status(), 401, "{what}");
        let body = r.text().await.unwrap();
        assert!(
            !body.contains(TOKEN_SECRET) && !body.contains(&t),
            "{what}: no token or secret in the body"
        );
        assert_eq!(app.security_kinds().await[0], kind, "{what}");
    }
    assert_eq!(app.http.get(url).send().await.unwrap().status(), 401);
    assert_eq!(app.security_kinds().await[0], "token_missing");
    assert_eq!(app.device_get(url, token, "ipad").await.status(), 403);
    assert_eq!(app.security_kinds().await[0], "token_device_not_allowed");
}

#[tokio::test]
async fn rotated_token_keys_are_accepted_during_rotation() {
    let (_dir, objects) = local();
    let db = hivesync_store::testing::TestDb::sqlite().await;
    let app = spawn_app_on(db, objects, Tier::Pro, test_config()).await;
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("expo-router-nativewind"),
            &["iphone"],
        ))
        .await;
    let token = job["preview_token"].as_str().unwrap().to_owned();
    // A second backend holding a new key and the old one as previous accepts the old token.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut secrets = secrets();
    secrets.preview_token_previous_key = secrets.preview_token_key.take();
    secrets.preview_token_key = Some(hivesync_core::config::TokenKey {
        id: "t2".into(),
        secret: Secret::new("n".repeat(40)),
    });
    let state = hivesync_server::AppState::new(
        app.config.clone(),
        secrets,
        app.store.clone(),
        app.objects.clone(),
    );
    tokio::spawn(hivesync_server::serve(
        state,
        listener,
        std::future::pending(),
    ));
    let r = app
        .device_get(&format!("{base}/api/v1/preview/screens"), &token, "iphone")
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn preview_logs_are_schema_checked_and_stored_under_the_session() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("expo-router-nativewind"),
            &["iphone"],
        ))
        .await;
    let token = job["preview_token"].as_str().unwrap();
    let url = format!("{}/api/v1/preview/logs", app.base);
    let session = hivesync_core::ids::SessionId::new_random();
    let post = |body: Value| {
        app.http
            .post(&url)
            .bearer_auth(token)
            .header("x-hivesync-device", "iphone")
            .json(&body)
            .send()
    };
    let good = json!({"session_id": session, "events": [
        {"timestamp": 1_700_000_000_000u64, "type": "navigation", "message": "Home -> Details"},
        {"timestamp": 1_700_000_000_500u64, "type": "interaction", "data": {"node": "n1"}}]});
    let r = post(good.clone()).await.unwrap();
    assert_eq!(r.status(), 202);
    let key = StorageKey::PreviewLog(session, 1_700_000_000_000);
    let stored: Value = serde_json::from_slice(&objects.get(&key).await.unwrap()).unwrap();
    assert_eq!(stored["events"].as_array().unwrap().len(), 2);
    // A second batch in the same millisecond does not overwrite the first.
    assert_eq!(post(good).await.unwrap().status(), 202);
    assert!(
        objects
            .exists(&StorageKey::PreviewLog(session, 1_700_000_000_001))
            .await
            .unwrap()
    );
    for bad in [
        json!({"session_id": session, "events": []}),
        json!({"session_id": session, "events": [{"timestamp": 1, "type": "telemetry"}]}),
        json!({"session_id": "../../x", "events": [{"timestamp": 1, "type": "warning"}]}),
        json!({"session_id": session, "events": [{"timestamp": 1, "type": "warning", "message": "x".repeat(2001)}]}),
    ] {
        let s = post(bad).await.unwrap().status().as_u16();
        assert!(s == 400 || s == 422, "{s}");
    }
    let huge = json!({"session_id": session, "events": [{"timestamp": 1, "type": "warning", "data": "x".repeat(70_000)}]});
    assert_eq!(post(huge).await.unwrap().status(), 413);
}

#[tokio::test]
async fn heartbeats_are_signed_stored_and_replays_refused() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let id = WorkerId::parse("gpu-hb").unwrap();
    app.store
        .register_worker(
            &hivesync_store::workers::Registration {
                id: &id,
                worker_type: WorkerType::Gpu,
                capacity: 1,
                version: "t",
                hostname: "h",
            },
            0,
        )
        .await
        .unwrap();
    let body = json!({"worker_id": "gpu-hb", "sent_at": 1, "cpu_load": 0.5, "gpu_load": 0.25, "memory_used_bytes": 10,
                      "memory_total_bytes": 20, "running_jobs": 1, "queue_depth": 0});
    let hb = Signed::new("gpu-hb", &body);
    assert_eq!(hb.send(&app, "/api/v1/worker/heartbeat").await, 200);
    assert_eq!(
        hb.send(&app, "/api/v1/worker/heartbeat").await,
        409,
        "replay"
    );
    let mut forged = Signed::new("gpu-hb", &body);
    forged.key_root = "z".repeat(40);
    assert_eq!(forged.send(&app, "/api/v1/worker/heartbeat").await, 401);
    let mut lying = body.clone();
    lying["cpu_load"] = json!(-1.0);
    assert_eq!(
        Signed::new("gpu-hb", &lying)
            .send(&app, "/api/v1/worker/heartbeat")
            .await,
        422
    );
    assert_eq!(app.security_kinds().await[0], "heartbeat_bad_body");
    let stored = app.store.recent_heartbeats(&id, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].gpu_load, Some(0.25));
    assert!(
        app.store
            .worker(&id)
            .await
            .unwrap()
            .unwrap()
            .last_heartbeat_at
            .unwrap()
            > 0
    );
}

#[tokio::test]
async fn status_of_another_users_job_is_not_found() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("expo-router-nativewind"),
            &["iphone"],
        ))
        .await;
    let other = app
        .store
        .create_user("nosy@example.com", Tier::Pro, 0)
        .await
        .unwrap();
    let key = app
        .store
        .create_api_key(other.id, "k", hivesync_store::accounts::Scope::Client, 0)
        .await
        .unwrap();
    let r = app
        .http
        .get(job["status_url"].as_str().unwrap())
        .bearer_auth(key.plaintext.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let _ = Config::default();
}

/// A real PNG of `n` bytes or more (a 1x1 image padded with an ignored ancillary chunk).
fn png_bytes(n: usize) -> Vec<u8> {
    let mut png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    png.resize(n.max(png.len()), 0);
    png
}

fn binary(path: &str, bytes: &[u8]) -> Value {
    serde_json::to_value(TextFile::binary(path, bytes)).unwrap()
}

#[tokio::test]
async fn binary_files_are_sniffed_and_limited_per_tier_before_anything_is_stored() {
    let (_dir, objects) = local();
    let mut config = test_config();
    config.tiers.free.max_assets = 2;
    config.tiers.free.max_asset_bytes = 1_000;
    let app = spawn_app(Driver::Sqlite, objects, Tier::Free, config).await;
    let app_tsx =
        json!({"path": "App.tsx", "content": "export default function App() { return null; }"});
    let send = |files: Vec<Value>| {
        let body = preview_body(&app, files, &["iphone"]);
        let app = &app;
        async move { error_code(app.post_preview(&body).await).await }
    };
    let refused = [
        // Not base64.
        (
            vec![
                app_tsx.clone(),
                json!({"path": "a.png", "encoding": "base64", "content": "no!"}),
            ],
            (422, "invalid_asset"),
        ),
        // PNG bytes named as a JPEG: the content decides, and they disagree.
        (
            vec![app_tsx.clone(), binary("photo.jpg", &png_bytes(100))],
            (422, "invalid_asset"),
        ),
        // Bytes of no accepted type.
        (
            vec![app_tsx.clone(), binary("data.png", b"GIF8 not quite")],
            (422, "invalid_asset"),
        ),
        // Three images where the tier allows two.
        (
            vec![
                app_tsx.clone(),
                binary("a.png", &png_bytes(100)),
                binary("b.png", &png_bytes(100)),
                binary("c.png", &png_bytes(100)),
            ],
            (413, "too_many_assets"),
        ),
        // 1,200 bytes of images where the tier allows 1,000 (each under max_file_bytes).
        (
            vec![
                app_tsx.clone(),
                binary("a.png", &png_bytes(600)),
                binary("b.png", &png_bytes(600)),
            ],
            (413, "assets_too_large"),
        ),
    ];
    for (files, (status, code)) in refused {
        assert_eq!(send(files).await, (status, code.to_owned()));
    }
    // An unknown encoding is a shape error.
    let hex = json!({"path": "a.png", "encoding": "hex", "content": "00"});
    assert_eq!(send(vec![app_tsx.clone(), hex]).await.0, 400);
    assert_eq!(app.store.queue_depth().await.unwrap(), 0);
    assert!(
        app.store
            .project_files(app.project.id)
            .await
            .unwrap()
            .is_empty()
    );

    // Two images at the limits are accepted and stored in base64.
    let job = app
        .request_preview(&preview_body(
            &app,
            vec![
                app_tsx.clone(),
                binary("a.png", &png_bytes(500)),
                binary("b.png", &png_bytes(500)),
            ],
            &["iphone"],
        ))
        .await;
    assert_eq!(job["status"], "queued");
    let stored = app.store.project_files(app.project.id).await.unwrap();
    assert_eq!(stored.iter().filter(|f| f.is_binary()).count(), 2);
    assert_eq!(
        stored.iter().find(|f| f.path == "a.png").unwrap().size(),
        500
    );
    // A delta adding a third is counted against the stored set, and changes nothing.
    let delta = json!({"project_id": app.project.id, "platform": "ios", "device_types": ["iphone"],
                       "delta": {"changed": [binary("c.png", &png_bytes(10))]}});
    assert_eq!(
        error_code(app.post_preview(&delta).await).await,
        (413, "too_many_assets".to_owned())
    );
    // ... and so is one that would grow the stored images past the bytes.
    let delta = json!({"project_id": app.project.id, "platform": "ios", "device_types": ["iphone"],
                       "delta": {"changed": [binary("b.png", &png_bytes(501))]}});
    assert_eq!(
        error_code(app.post_preview(&delta).await).await,
        (413, "assets_too_large".to_owned())
    );
    assert_eq!(
        app.store.project_files(app.project.id).await.unwrap(),
        stored
    );
    assert_eq!(app.store.queue_depth().await.unwrap(), 1);
}
