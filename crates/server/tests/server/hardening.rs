//! Attacks on the backend alone: concurrent requests past the tier limits, preview-log abuse,
//! refusal floods, oversized filters, malformed worker requests, overflowing timestamps.

use hivesync_core::Tier;
use hivesync_core::ids::{SessionId, WorkerId};
use hivesync_server::testing::*;
use hivesync_store::Driver;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_concurrent_previews_of_a_pro_user_admit_exactly_four() {
    for driver in [Driver::Sqlite, Driver::Postgres] {
        let (_dir, objects) = local();
        let app = spawn_app(driver, objects, Tier::Pro, test_config()).await;
        let body = preview_body(&app, fixture_files("expo-router-nativewind"), &["iphone"]);
        let answers = futures::future::join_all(
            (0..12).map(|_| async { error_code(app.post_preview(&body).await).await }),
        )
        .await;
        let accepted = answers.iter().filter(|(s, _)| *s == 202).count();
        assert_eq!(accepted, 4, "{driver:?}: {answers:?}");
        assert!(
            answers
                .iter()
                .all(|(s, c)| *s == 202 || (*s == 429 && c == "too_many_parallel_jobs")),
            "{answers:?}"
        );
    }
}

#[tokio::test]
async fn preview_logs_are_bound_to_the_tokens_job_and_limited_in_volume_and_rate() {
    let (_dir, objects) = local();
    let mut config = test_config();
    config.server.preview_log_session_bytes = 200_000;
    config.server.preview_log_token_bytes = 300_000;
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, config).await;
    let body = preview_body(&app, fixture_files("expo-router-nativewind"), &["iphone"]);
    let a = app.request_preview(&body).await;
    let b = app.request_preview(&body).await;
    let url = format!("{}/api/v1/preview/logs", app.base);
    let post = |token: &Value, session: SessionId, bytes: usize| {
        let body = json!({"session_id": session, "events": [
            {"timestamp": 1_700_000_000_000u64, "type": "warning", "data": "x".repeat(bytes)}]});
        app.http
            .post(&url)
            .bearer_auth(token.as_str().unwrap())
            .header("x-hivesync-device", "iphone")
            .json(&body)
            .send()
    };
    let (ta, tb) = (&a["preview_token"], &b["preview_token"]);
    let s1 = SessionId::new_random();
    assert_eq!(post(ta, s1, 10).await.unwrap().status(), 202);
    // Another preview's token cannot write into that session.
    let (status, code) = error_code(post(tb, s1, 10).await.unwrap()).await;
    assert_eq!((status, code.as_str()), (403, "session_not_allowed"));
    assert!(
        app.security_kinds()
            .await
            .contains(&"preview_log_foreign_session".to_owned())
    );
    // 60 KB batches: the session's volume ends at the fourth, the token's on a second session.
    for _ in 0..3 {
        assert_eq!(post(ta, s1, 60_000).await.unwrap().status(), 202);
    }
    let (status, code) = error_code(post(ta, s1, 60_000).await.unwrap()).await;
    assert_eq!((status, code.as_str()), (413, "log_volume_exceeded"));
    let s2 = SessionId::new_random();
    assert_eq!(post(ta, s2, 60_000).await.unwrap().status(), 202);
    let (status, code) = error_code(post(ta, s2, 60_000).await.unwrap()).await;
    assert_eq!((status, code.as_str()), (413, "log_volume_exceeded"));
    // The rate: 20 batches a minute per token (5 taken so far; refusals do not count).
    let s3 = SessionId::new_random();
    for _ in 0..15 {
        assert_eq!(post(ta, s3, 10).await.unwrap().status(), 202);
    }
    let r = post(ta, s3, 10).await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    // Token B is not slowed by token A.
    assert_eq!(
        post(tb, SessionId::new_random(), 10)
            .await
            .unwrap()
            .status(),
        202
    );
}

#[tokio::test]
async fn a_flood_of_refused_requests_is_counted_without_a_row_each() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let url = format!("{}/api/v1/previews/{}", app.base, uuid());
    for _ in 0..200 {
        let r = app
            .http
            .get(&url)
            .bearer_auth("hs_not-a-real-key-0123456789")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let rows: Vec<_> = app
        .store
        .security_events(1_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "api_key_invalid")
        .collect();
    let detailed = app.config.server.security_burst_detailed as usize;
    assert_eq!(rows.len(), detailed + 1, "{rows:?}");
    assert_eq!(
        rows.iter().map(|e| e.count).sum::<i64>(),
        200,
        "every refusal counted"
    );
    // The backend still answers.
    let r = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn an_oversized_screens_filter_is_refused_at_request_time() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let mut body = preview_body(&app, twin_screens(), &["iphone"]);
    body["screens"] = json!(["x".repeat(1_500)]);
    let (status, code) = error_code(app.post_preview(&body).await).await;
    assert_eq!((status, code.as_str()), (422, "invalid_screens"));
    body["screens"] = json!([]);
    assert_eq!(error_code(app.post_preview(&body).await).await.0, 422);
    assert_eq!(
        app.store.queue_depth().await.unwrap(),
        0,
        "nothing was queued"
    );
}

#[tokio::test]
async fn every_refusal_of_the_worker_api_is_generic_and_recorded() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let (_job, claimed) = claimed_job(&app, "cpu-cb").await;
    let body = json!({"job_id": claimed.job.id, "worker_id": "cpu-cb", "status": "failed",
                      "platform": "ios", "tier": "pro", "failure_reason": "x"});
    let path = format!("{}/api/v1/worker/callback", app.base);
    // Wrong content type.
    let mut s = Signed::new("cpu-cb", &body);
    s.content_type = "text/plain".into();
    assert_eq!(s.send(&app, "/api/v1/worker/callback").await, 415);
    // Oversized body (declared and streamed).
    let big = app
        .http
        .post(&path)
        .header("content-type", "application/json")
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    let (status, code) = error_code(big).await;
    assert_eq!((status, code.as_str()), (413, "callback_rejected"));
    let events = app.store.security_events(100).await.unwrap();
    let refused: Vec<_> = events
        .iter()
        .filter(|e| e.kind == "callback_refused")
        .collect();
    assert_eq!(refused.len(), 2, "{events:?}");
    assert!(refused.iter().any(|e| e.detail.contains("415")));
    assert!(refused.iter().any(|e| e.detail.contains("413")));
    // A timestamp at the end of i64 is stale, not an arithmetic overflow.
    let mut s = Signed::new("cpu-cb", &body);
    s.ts = -9_223_372_036_854_775_000;
    assert_eq!(s.send(&app, "/api/v1/worker/callback").await, 401);
    assert!(
        app.security_kinds()
            .await
            .contains(&"callback_stale_timestamp".to_owned())
    );
    // A failure of ours (the database is gone) is generic too.
    app.store.close().await;
    let s = Signed::new("cpu-cb", &body);
    let r = app
        .http
        .post(&path)
        .header("content-type", "application/json")
        .header("webhook-id", &s.id)
        .header("webhook-timestamp", s.ts.to_string())
        .header(
            "webhook-signature",
            worker_key(&WorkerId::parse("cpu-cb").unwrap()).sign(&s.id, s.ts, &s.body),
        )
        .header("hivesync-worker-id", "cpu-cb")
        .body(s.body.clone())
        .send()
        .await
        .unwrap();
    let (status, code) = error_code(r).await;
    assert!(status == 503 || status == 500, "{status}");
    assert_eq!(code, "callback_rejected");
}

#[tokio::test]
async fn a_preview_log_timestamp_near_the_end_of_u64_is_refused_not_overflowed() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let job = app
        .request_preview(&preview_body(&app, twin_screens(), &["iphone"]))
        .await;
    let r = app
        .http
        .post(format!("{}/api/v1/preview/logs", app.base))
        .bearer_auth(job["preview_token"].as_str().unwrap())
        .header("x-hivesync-device", "iphone")
        .json(&json!({"session_id": SessionId::new_random(), "events": [
            {"timestamp": u64::MAX - 5, "type": "warning"}]}))
        .send()
        .await
        .unwrap();
    let (status, code) = error_code(r).await;
    assert_eq!((status, code.as_str()), (422, "invalid_logs"));
}
