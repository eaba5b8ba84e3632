//! What broke when the running system was driven as an attacker would, each attack
//! reproduced over real HTTP against a backend on port 0 with real workers and databases.

use std::time::Duration;

use crate::common::*;
use futures::StreamExt;
use hivesync_core::ids::WorkerId;
use hivesync_core::{Tier, WorkerType};
use hivesync_objects::Objects;
use hivesync_store::Driver;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_device_types_and_twin_screen_names_preview_fine() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let mut body = preview_body(&app, twin_screens(), &["iphone"]);
    body["device_types"] = json!(["iphone", "iphone"]);
    let job = app.request_preview(&body).await;
    let s = app.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(s["status"], "succeeded", "{s}");
    assert_eq!(s["device_types"], json!(["iphone"]));
    let ids: Vec<&str> = s["screens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["screen_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{s}");
    assert_ne!(ids[0], ids[1]);
    let screens = app
        .device_get(
            &format!("{}/api/v1/preview/screens", app.base),
            job["preview_token"].as_str().unwrap(),
            "iphone",
        )
        .await;
    assert_eq!(screens.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_reason_longer_than_the_backend_takes_reaches_the_user_cut() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    // 30 names that match nothing: the compiler's message lists them all (about 6 KB).
    let mut body = preview_body(&app, twin_screens(), &["iphone"]);
    body["screens"] = json!(
        (0..30)
            .map(|i| format!("{i}{}", "n".repeat(200)))
            .collect::<Vec<_>>()
    );
    let started = std::time::Instant::now();
    let job = app.request_preview(&body).await;
    let s = app.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(s["status"], "failed");
    let reason = s["failure_reason"].as_str().unwrap();
    assert!(reason.contains("no screens found"), "{reason}");
    assert!(reason.len() <= 1000);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "told at once, not by the lease sweep"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screen_names_too_long_for_a_callback_are_cut_and_the_preview_succeeds() {
    let (_dir, objects) = local();
    let app = spawn_app(
        Driver::Sqlite,
        objects.clone(),
        Tier::Premium,
        test_config(),
    )
    .await;
    let _w = app.start_worker("gpu-1", WorkerType::Gpu, objects);
    // Four screens named with 250,000 characters each: over 1 MiB of names.
    let screens: String = (0..4)
        .map(|i| {
            format!(
                "<Stack.Screen name=\"{i}{}\" component={{A}} />\n",
                "n".repeat(250_000)
            )
        })
        .collect();
    let app_tsx = format!(
        "import React from 'react';\nimport {{ NavigationContainer }} from '@react-navigation/native';\n\
         import {{ createNativeStackNavigator }} from '@react-navigation/native-stack';\n\
         import {{ View, Text }} from 'react-native';\nconst Stack = createNativeStackNavigator();\n\
         function A() {{ return <View><Text>A</Text></View>; }}\n\
         export default function App() {{ return (<NavigationContainer><Stack.Navigator>\n{screens}</Stack.Navigator></NavigationContainer>); }}\n"
    );
    let body = preview_body(
        &app,
        vec![json!({"path": "App.tsx", "content": app_tsx})],
        &["iphone"],
    );
    let job = app.request_preview(&body).await;
    let s = app.wait_final(&job, Duration::from_secs(30)).await;
    assert_eq!(
        s["status"],
        "succeeded",
        "{}",
        &s.to_string()[..500.min(s.to_string().len())]
    );
    let list = s["screens"].as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert!(
        list.iter()
            .all(|x| x["name"].as_str().unwrap().chars().count() <= 200)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_the_backend_refuses_fails_the_job_with_the_reason_within_seconds() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    // The worker writes to a store the backend does not read: every object check fails.
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, Objects::memory());
    let started = std::time::Instant::now();
    let job = app
        .request_preview(&preview_body(&app, twin_screens(), &["iphone"]))
        .await;
    let s = app.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(s["status"], "failed");
    let reason = s["failure_reason"].as_str().unwrap();
    assert!(reason.contains("backend refused its result"), "{reason}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "not the lease sweep's 'worker lost'"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_worker_claims_nothing() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let id = WorkerId::parse("cpu-1").unwrap();
    while app.store.worker(&id).await.unwrap().is_none() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(app.store.set_worker_active(&id, false).await.unwrap());
    let job = app
        .request_preview(&preview_body(&app, twin_screens(), &["iphone"]))
        .await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(app.status(&job).await["status"], "queued");
    assert!(app.store.set_worker_active(&id, true).await.unwrap());
    let s = app.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(s["status"], "succeeded");
}

/// Reads an SSE stream until it ends or `within` passes; returns what arrived and whether it
/// ended.
async fn read_stream(r: reqwest::Response, within: Duration) -> (String, bool) {
    let mut stream = r.bytes_stream();
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(_) => return (text, true),
            Err(_) => return (text, false),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_stream_ends_when_its_key_is_revoked_or_its_user_leaves_the_project() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let now = hivesync_core::clock::now_ms();
    // A second member with their own key; the owner keeps working with a second key.
    let member = app
        .store
        .create_user(&format!("{}@example.com", uuid()), Tier::Pro, now)
        .await
        .unwrap();
    app.store
        .add_member(
            app.project.id,
            member.id,
            hivesync_store::accounts::Role::Viewer,
            now,
        )
        .await
        .unwrap();
    let member_key = app
        .store
        .create_api_key(member.id, "m", hivesync_store::accounts::Scope::Client, now)
        .await
        .unwrap();
    let open = |key: String| {
        let http = app.http.clone();
        let url = format!("{}/api/v1/events", app.base);
        async move { http.get(url).bearer_auth(key).send().await.unwrap() }
    };
    let owner_stream = open(app.api_key.clone()).await;
    let member_stream = open(member_key.plaintext.expose().to_owned()).await;
    assert_eq!(owner_stream.status(), 200);
    assert_eq!(member_stream.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let owner = app
        .store
        .authenticate_api_key(&app.api_key, now)
        .await
        .unwrap()
        .unwrap();
    assert!(app.store.revoke_api_key(owner.key_id, now).await.unwrap());
    assert!(
        app.store
            .remove_member(app.project.id, member.id)
            .await
            .unwrap()
    );
    // An event of the project is raised after both changes.
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let job = app
        .store
        .enqueue_preview(
            &hivesync_store::queue::NewPreviewJob {
                project_id: app.project.id,
                user_id: app.user.id,
                tier: Tier::Pro,
                platform: hivesync_core::Platform::Ios,
                device_types: vec![hivesync_core::DeviceType::Iphone],
                safe_mode: false,
                request_bytes: 1,
                file_count: 1,
                input: json!({"files": twin_screens(), "max_snapshots": 10}).to_string(),
                expires_at: now + 600_000,
            },
            now,
        )
        .await
        .unwrap();
    let (owner_text, member_text) = tokio::join!(
        read_stream(owner_stream, Duration::from_secs(15)),
        read_stream(member_stream, Duration::from_secs(15)),
    );
    let final_job = app.store.job(job).await.unwrap().unwrap();
    assert_eq!(final_job.state, hivesync_core::JobState::Succeeded);
    for (who, (text, ended)) in [("revoked key", owner_text), ("removed member", member_text)] {
        assert!(!text.contains("preview."), "{who} heard an event: {text}");
        assert!(ended, "{who}: the stream is closed");
    }
}

/// A TCP proxy to `upstream` that holds every worker callback for `delay` before passing it
/// on (other requests pass at once).
async fn slow_callback_proxy(upstream: String, delay: Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let out = tokio::net::TcpStream::connect(&upstream).await.unwrap();
                let (mut in_r, mut in_w) = inbound.into_split();
                let (mut out_r, mut out_w) = out.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut out_r, &mut in_w).await;
                });
                let mut buf = vec![0u8; 64 * 1024];
                while let Ok(n) = in_r.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    if buf[..n]
                        .windows(24)
                        .any(|w| w == b"POST /api/v1/worker/call")
                    {
                        tokio::time::sleep(delay).await;
                    }
                    if out_w.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lease_is_kept_while_a_slow_callback_is_delivered() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    // The lease is 5 s; the callback takes 8 s to arrive.
    let upstream = app.base.trim_start_matches("http://").to_owned();
    let mut config = app.config.clone();
    config.worker.backend_url = slow_callback_proxy(upstream, Duration::from_secs(8)).await;
    let id = WorkerId::parse("cpu-slow").unwrap();
    let worker = hivesync_worker::Worker::new(
        id.clone(),
        WorkerType::Cpu,
        config,
        app.store.clone(),
        objects,
        worker_key(&id),
    );
    let (_stop, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(worker.run(rx));
    let job = app
        .request_preview(&preview_body(&app, twin_screens(), &["iphone"]))
        .await;
    let s = app.wait_final(&job, Duration::from_secs(25)).await;
    assert_eq!(s["status"], "succeeded", "{s}");
}
