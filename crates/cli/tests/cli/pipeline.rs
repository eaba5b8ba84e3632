//! The preview pipeline end to end, in one process but over real HTTP: backend on port 0,
//! workers claiming from a real database, objects in a real store (local folder, or s3s-fs),
//! a client and a device driving the API.

use std::time::Duration;

use crate::common::*;
use hivesync_core::{Tier, WorkerType};
use hivesync_objects::Objects;
use hivesync_store::Driver;
use serde_json::{Value, json};

/// Fetches every screen, layout and asset as a device would and checks what it gets.
async fn fetch_like_a_device(app: &App, job: &Value, device: &str) -> Vec<Value> {
    let token = job["preview_token"].as_str().unwrap();
    let r = app
        .device_get(job["screens_url"].as_str().unwrap(), token, device)
        .await;
    assert_eq!(r.status(), 200);
    let listing: Value = r.json().await.unwrap();
    assert_eq!(listing["status"], "succeeded");
    let screens = listing["screens"].as_array().unwrap().clone();
    let mut layouts = Vec::new();
    for s in &screens {
        let r = app
            .device_get(s["layout_url"].as_str().unwrap(), token, device)
            .await;
        assert_eq!(r.status(), 200);
        let layout: Value = r.json().await.unwrap();
        assert_eq!(layout["schema"], "hivesync.layout/1");
        assert_eq!(layout["screen_id"], s["screen_id"]);
        assert!(
            layout["root"]["frame"]["width"].as_f64().unwrap() > 0.0,
            "frames are computed"
        );
        for asset in s["assets"].as_array().unwrap() {
            let r = app.device_get(asset.as_str().unwrap(), token, device).await;
            assert_eq!(r.status(), 200);
            let png = r.bytes().await.unwrap();
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            // `?stream=1` (the web viewer) gets the bytes from the server, never a redirect
            // to the bucket.
            let r = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .get(format!("{}?stream=1", asset.as_str().unwrap()))
                .bearer_auth(token)
                .header("x-hivesync-device", device)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "image/png");
            assert_eq!(r.bytes().await.unwrap(), png);
        }
        assert_eq!(
            s["assets"].as_array().unwrap().len(),
            layout["assets"].as_array().map_or(0, Vec::len),
            "every snapshot of the layout is listed"
        );
        layouts.push(layout);
    }
    layouts
}

async fn happy_path(driver: Driver, objects: Objects) {
    let app = spawn_app(driver, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("react-navigation-theme"),
            &["iphone", "ipad"],
        ))
        .await;
    assert_eq!(job["status"], "queued");
    let status = app.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(status["status"], "succeeded", "{status}");
    let names: Vec<&str> = status["screens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.len() >= 4,
        "several screens on two devices: {names:?}"
    );
    let iphone = fetch_like_a_device(&app, &job, "iphone").await;
    let ipad = fetch_like_a_device(&app, &job, "ipad").await;
    assert_eq!(iphone.len(), ipad.len());
    assert_eq!(iphone[0]["device"]["width"], 393.0);
    assert_ne!(
        ipad[0]["device"]["width"], 393.0,
        "iPad layouts are laid out for the iPad"
    );
    let snapshots: usize = iphone
        .iter()
        .map(|l| l["assets"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(snapshots >= 1, "the MapView becomes a snapshot asset");
    // An Android device cannot use an iOS preview's token.
    let r = app
        .device_get(
            job["screens_url"].as_str().unwrap(),
            job["preview_token"].as_str().unwrap(),
            "android-phone",
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_screen_preview_on_sqlite_and_local_files_is_fetched_like_a_device() {
    let (_dir, objects) = local();
    happy_path(Driver::Sqlite, objects).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_screen_preview_on_postgres_and_s3_is_fetched_like_a_device() {
    happy_path(Driver::Postgres, s3_objects()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delta_request_compiles_against_the_last_accepted_file_set() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let files = fixture_files("expo-router-nativewind");
    let first = app
        .request_preview(&preview_body(&app, files.clone(), &["iphone"]))
        .await;
    let s1 = app.wait_final(&first, Duration::from_secs(20)).await;
    assert_eq!(s1["status"], "succeeded", "{s1}");
    // Change one screen's text, delete another screen's file: only the delta is sent.
    let settings = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().contains("settings"))
        .unwrap();
    let index = files
        .iter()
        .find(|f| f["path"] == "app/(tabs)/index.tsx")
        .expect("fixture has app/(tabs)/index.tsx");
    let changed = index["content"]
        .as_str()
        .unwrap()
        .replacen("<Text", "<Text testID=\"delta\"", 1);
    let body = json!({
        "project_id": app.project.id, "platform": "ios", "device_types": ["iphone"],
        "delta": {"changed": [{"path": "app/(tabs)/index.tsx", "content": changed}], "deleted": [settings["path"]]},
    });
    let second = app.request_preview(&body).await;
    let s2 = app.wait_final(&second, Duration::from_secs(20)).await;
    assert_eq!(s2["status"], "succeeded", "{s2}");
    let names = |s: &Value| {
        s["screens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(names(&s1).iter().any(|n| n.contains("settings")));
    assert!(
        !names(&s2).iter().any(|n| n.contains("settings")),
        "the deleted screen is gone: {:?}",
        names(&s2)
    );
    assert_eq!(names(&s2).len(), names(&s1).len() - 1);
    let stored = app.store.project_files(app.project.id).await.unwrap();
    assert_eq!(stored.len(), files.len() - 1);
    assert!(
        stored
            .iter()
            .any(|f| f.content.contains("testID=\"delta\""))
    );
    // A delta that deletes everything is refused and changes nothing.
    let all: Vec<Value> = stored.iter().map(|f| json!(f.path)).collect();
    let r = app.post_preview(&json!({"project_id": app.project.id, "platform": "ios", "device_types": ["iphone"], "delta": {"deleted": all}})).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.store.project_files(app.project.id).await.unwrap().len(),
        files.len() - 1
    );
}

#[tokio::test]
async fn tier_limits_answer_429_with_retry_after() {
    let (_dir, objects) = local();
    let mut config = test_config();
    config.tiers.free.max_parallel_previews = 2;
    config.tiers.free.previews_per_hour = 3;
    let app = spawn_app(Driver::Sqlite, objects, Tier::Free, config).await;
    let body = preview_body(&app, fixture_files("expo-router-nativewind"), &["iphone"]);
    // No worker runs: jobs stay queued, so the parallel limit bites first.
    app.request_preview(&body).await;
    app.request_preview(&body).await;
    let r = app.post_preview(&body).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "too_many_parallel_jobs");
    // Finish the queued jobs (a worker drains them), then the hourly rate bites.
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, app.objects.clone());
    for _ in 0..200 {
        if app.store.queue_depth().await.unwrap() == 0
            && app
                .store
                .count_active_jobs(app.user.id, hivesync_core::JobKind::Preview)
                .await
                .unwrap()
                == 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let third = app.request_preview(&body).await;
    app.wait_final(&third, Duration::from_secs(20)).await;
    // Nothing is in flight now, but a fourth request within the hour is over the rate.
    let r = app.post_preview(&body).await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        wait > 3_000 && wait <= 3_600,
        "retry when the oldest request leaves the hour: {wait}"
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "rate_limited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_needing_more_snapshots_than_the_tier_allows_fails_with_a_clear_reason() {
    let (_dir, objects) = local();
    let mut config = test_config();
    config.tiers.pro.max_snapshots_per_preview = 0;
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, config).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("react-navigation-theme"),
            &["iphone"],
        ))
        .await;
    let s = app.wait_final(&job, Duration::from_secs(20)).await;
    assert_eq!(s["status"], "failed");
    assert!(
        s["failure_reason"].as_str().unwrap().contains("snapshots"),
        "{s}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_failing_once_is_retried_and_twice_fails_the_job_with_a_clear_reason() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects.clone());
    let body = preview_body(&app, fixture_files("expo-router-nativewind"), &["iphone"]);
    objects.fail_next_puts(1);
    let s = app
        .wait_final(&app.request_preview(&body).await, Duration::from_secs(20))
        .await;
    assert_eq!(s["status"], "succeeded", "one failure is retried: {s}");
    objects.fail_next_puts(2);
    let s = app
        .wait_final(&app.request_preview(&body).await, Duration::from_secs(20))
        .await;
    assert_eq!(s["status"], "failed");
    assert_eq!(
        s["failure_reason"],
        "the preview could not be stored (object storage unavailable); please retry"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_raised_on_one_replica_reaches_an_sse_client_of_the_other_and_reconnects_lose_nothing()
 {
    use futures::StreamExt;
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Postgres, objects.clone(), Tier::Pro, test_config()).await;
    // Replica B: its own pool over the same PostgreSQL database, its own port.
    let store_b =
        hivesync_store::Store::open_lazy(&app.db.url, &hivesync_store::PoolSettings::default())
            .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_b = format!("http://{}", listener.local_addr().unwrap());
    let state_b =
        hivesync_server::AppState::new(app.config.clone(), secrets(), store_b, objects.clone());
    tokio::spawn(hivesync_server::serve(
        state_b,
        listener,
        std::future::pending(),
    ));

    let sse = app
        .http
        .get(format!("{base_b}/api/v1/events"))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(sse.status(), 200);
    let mut stream = sse.bytes_stream();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The job's callback lands on replica A (the worker's backend URL).
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let job = app
        .request_preview(&preview_body(
            &app,
            fixture_files("expo-router-nativewind"),
            &["iphone"],
        ))
        .await;
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !text.contains("event: preview.ready") {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("event within 20 s")
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.contains(job["job_id"].as_str().unwrap()), "{text}");
    let first_id: i64 = text
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    drop(stream);

    // Two more jobs finish while the client is away; it reconnects with Last-Event-ID.
    let body = preview_body(&app, fixture_files("expo-router-nativewind"), &["iphone"]);
    let j2 = app.request_preview(&body).await;
    app.wait_final(&j2, Duration::from_secs(20)).await;
    let j3 = app.request_preview(&body).await;
    app.wait_final(&j3, Duration::from_secs(20)).await;
    let sse = app
        .http
        .get(format!("{base_b}/api/v1/events"))
        .bearer_auth(&app.api_key)
        .header("last-event-id", first_id.to_string())
        .send()
        .await
        .unwrap();
    let mut stream = sse.bytes_stream();
    let mut text = String::new();
    while !(text.contains(j2["job_id"].as_str().unwrap())
        && text.contains(j3["job_id"].as_str().unwrap()))
    {
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("replayed events")
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        !text.contains(&format!("id: {first_id}\n")),
        "already-seen events are not repeated"
    );
}

/// The bytes of a file of the `image-assets` fixture.
fn fixture_bytes(path: &str) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layout/tests/fixtures/image-assets");
    std::fs::read(root.join(path)).unwrap()
}

/// The welcome screen's image assets as a device gets them: `(file, content type, bytes)`.
async fn fetch_welcome_images(app: &App, job: &Value) -> Vec<(String, String, Vec<u8>)> {
    let token = job["preview_token"].as_str().unwrap();
    let r = app
        .device_get(job["screens_url"].as_str().unwrap(), token, "iphone")
        .await;
    let listing: Value = r.json().await.unwrap();
    let screen = listing["screens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Welcome")
        .unwrap()
        .clone();
    let layout: Value = app
        .device_get(screen["layout_url"].as_str().unwrap(), token, "iphone")
        .await
        .json()
        .await
        .unwrap();
    let urls = screen["assets"].as_array().unwrap();
    let mut out = Vec::new();
    for asset in layout["assets"].as_array().unwrap() {
        assert_eq!(asset["kind"], "image");
        let key = asset["storage_key"].as_str().unwrap();
        assert!(key.starts_with(&format!(
            "previews/{}/assets/",
            screen["screen_id"].as_str().unwrap()
        )));
        let ext = key.rsplit('.').next().unwrap();
        let url = urls
            .iter()
            .map(|u| u.as_str().unwrap())
            .find(|u| u.ends_with(&format!("/{}.{ext}", asset["id"].as_str().unwrap())))
            .unwrap_or_else(|| panic!("{key} is listed for the device: {urls:?}"));
        let r = app.device_get(url, token, "iphone").await;
        assert_eq!(r.status(), 200);
        let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
        // Without the token, nothing.
        let anonymous = reqwest::Client::new().get(url).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        out.push((
            asset["file"].as_str().unwrap().to_owned(),
            kind,
            r.bytes().await.unwrap().to_vec(),
        ));
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_images_are_stored_with_the_layout_and_fetched_by_the_device_with_its_token() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let files = fixture_files("image-assets");
    assert!(files.iter().any(|f| f["encoding"] == "base64"));
    let job = app
        .request_preview(&preview_body(&app, files, &["iphone"]))
        .await;
    let status = app.wait_final(&job, Duration::from_secs(30)).await;
    assert_eq!(status["status"], "succeeded", "{status}");
    let images = fetch_welcome_images(&app, &job).await;
    let logo = fixture_bytes("assets/images/logo@3x.png");
    assert_eq!(
        images,
        vec![
            (
                "assets/images/hero.jpg".to_owned(),
                "image/jpeg".to_owned(),
                fixture_bytes("assets/images/hero.jpg")
            ),
            (
                "assets/images/logo@3x.png".to_owned(),
                "image/png".to_owned(),
                logo.clone()
            ),
        ],
        "the device gets the very bytes sent, the @3x logo for the iPhone"
    );

    // A delta replacing the @3x logo: the next preview shows (and serves) the new picture.
    let avatar = fixture_bytes("assets/images/avatar@2x.png");
    let changed = hivesync_core::wire::TextFile::binary("assets/images/logo@3x.png", &avatar);
    let body = json!({
        "project_id": app.project.id, "platform": "ios", "device_types": ["iphone"],
        "delta": {"changed": [changed]},
    });
    let second = app.request_preview(&body).await;
    let s2 = app.wait_final(&second, Duration::from_secs(30)).await;
    assert_eq!(s2["status"], "succeeded", "{s2}");
    let images = fetch_welcome_images(&app, &second).await;
    assert_eq!(images[1].0, "assets/images/logo@3x.png");
    assert_eq!(images[1].2, avatar, "the delta's image is the one served");
    assert_ne!(images[1].2, logo);
}
