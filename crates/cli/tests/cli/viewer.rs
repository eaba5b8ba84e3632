//! The web preview viewer (`/viewer`) in a real browser: Debian's `chromium`, headless. For
//! fixture projects of the compiler, every screen is opened with its preview token in the
//! fragment; the page lays the document out with stock Yoga in the browser and draws it, and
//! every drawn node's box must equal the document's frame within 1 px. Clicking a node with a
//! navigation action switches screens, and the logs the page posts arrive in storage and
//! are listed by the diagnostics route (`GET /api/v1/previews/{job_id}/logs`).
//! Screenshots are kept under `$CARGO_TARGET_TMPDIR/viewer/` (a CI artifact).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::*;
use hivesync_core::{Tier, WorkerType};
use hivesync_store::Driver;
use serde_json::Value;

fn chromium() -> PathBuf {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("Debian's `chromium` must be installed (scripts/ci-setup.d/chromium.sh, run by scripts/services)")
}

/// Runs headless Chromium on `url`: the DOM after the page's scripts, and a screenshot.
async fn browse(url: String, screenshot: Option<PathBuf>) -> String {
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(chromium());
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--window-size=1280,1000",
            "--virtual-time-budget=15000",
            "--run-all-compositor-stages-before-draw",
        ]);
        match &screenshot {
            Some(p) => cmd.arg(format!("--screenshot={}", p.display())),
            None => cmd.arg("--dump-dom"),
        };
        let out = cmd.arg(&url).output().expect("chromium runs");
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    })
    .await
    .unwrap()
}

/// What the page wrote into `#hs-boxes`: node id -> [x, y, width, height] on the screen.
fn boxes_of(dom: &str) -> Value {
    let start = dom
        .find(r#"<script id="hs-boxes" type="application/json">"#)
        .expect("boxes element");
    let rest = &dom[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).expect("boxes JSON")
}

/// The document's frames made absolute, for the nodes the page draws (a measured leaf's
/// children are part of it; `display: none` nodes are not drawn).
fn document_boxes(node: &Value, x0: f64, y0: f64, out: &mut Vec<(String, [f64; 4])>) {
    let f = &node["frame"];
    let (x, y) = (x0 + f["x"].as_f64().unwrap(), y0 + f["y"].as_f64().unwrap());
    if node["style"]["display"] == "none" {
        return;
    }
    out.push((
        node["id"].as_str().unwrap().to_owned(),
        [
            x,
            y,
            f["width"].as_f64().unwrap(),
            f["height"].as_f64().unwrap(),
        ],
    ));
    if node.get("measured").is_some() {
        return;
    }
    for c in node["children"].as_array().into_iter().flatten() {
        document_boxes(c, x, y, out);
    }
}

fn find_action(node: &Value) -> Option<&Value> {
    if node["action"]["type"] == "navigate" && node["action"]["screen_id"].is_string() {
        return Some(node);
    }
    node["children"].as_array()?.iter().find_map(find_action)
}

fn preview_logs(objects_dir: &Path) -> Vec<Value> {
    let mut events = Vec::new();
    let Ok(sessions) = std::fs::read_dir(objects_dir.join("logs/preview")) else {
        return events;
    };
    for s in sessions {
        for f in std::fs::read_dir(s.unwrap().path()).unwrap() {
            let doc: Value =
                serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
            events.extend(doc["events"].as_array().unwrap().iter().cloned());
        }
    }
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_viewer_draws_every_node_at_its_frame_follows_navigation_and_posts_logs() {
    let (dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, test_config()).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("viewer");
    std::fs::create_dir_all(&shots).unwrap();
    let mut compared = 0;
    let mut clicked = false;
    for fixture in ["react-navigation-theme", "rn-containers", "rne-contacts"] {
        let job = app
            .request_preview(&preview_body(&app, fixture_files(fixture), &["iphone"]))
            .await;
        let status = app.wait_final(&job, Duration::from_secs(30)).await;
        assert_eq!(status["status"], "succeeded", "{status}");
        let token = job["preview_token"].as_str().unwrap();
        let listing: Value = app
            .device_get(job["screens_url"].as_str().unwrap(), token, "iphone")
            .await
            .json()
            .await
            .unwrap();
        for screen in listing["screens"].as_array().unwrap() {
            let id = screen["screen_id"].as_str().unwrap();
            let doc: Value = app
                .device_get(screen["layout_url"].as_str().unwrap(), token, "iphone")
                .await
                .json()
                .await
                .unwrap();
            let url = format!(
                "{}/viewer#token={token}&device=iphone&screen={id}",
                app.base
            );
            let dom = browse(url.clone(), None).await;
            assert!(
                dom.contains(r#"data-done="1""#),
                "{fixture}/{id}: the page did not finish:\n{dom}"
            );
            assert!(
                dom.contains(&format!(r#"data-screen="{id}""#)),
                "{fixture}/{id}: not shown"
            );
            let drawn = boxes_of(&dom);
            let mut expected = Vec::new();
            document_boxes(&doc["root"], 0.0, 0.0, &mut expected);
            for (node, want) in &expected {
                let got = drawn[node.as_str()]
                    .as_array()
                    .unwrap_or_else(|| panic!("{fixture}/{id}: node {node} is not drawn"));
                for (k, (g, w)) in got.iter().zip(want).enumerate() {
                    let g = g.as_f64().unwrap();
                    assert!(
                        (g - w).abs() <= 1.0,
                        "{fixture}/{id}: node {node} box[{k}] is {g}, the document says {w}"
                    );
                }
                compared += 1;
            }
            let name = id.rsplit("-iphone-").next().unwrap();
            browse(url, Some(shots.join(format!("{fixture}__{name}.png")))).await;

            if !clicked && let Some(node) = find_action(&doc["root"]) {
                // Click it: the page follows the action to its screen and logs both.
                let target = node["action"]["screen_id"].as_str().unwrap();
                let url = format!(
                    "{}/viewer#token={token}&device=iphone&screen={id}&click={}",
                    app.base,
                    node["id"].as_str().unwrap()
                );
                let dom = browse(url, None).await;
                assert!(
                    dom.contains(&format!(r#"-iphone-{target}""#)),
                    "{fixture}/{id}: the click on {} did not open {target}",
                    node["id"]
                );
                let events = preview_logs(&dir.path().join("objects"));
                assert!(
                    events
                        .iter()
                        .any(|e| e["type"] == "interaction" && e["data"]["node_id"] == node["id"]),
                    "the click is logged: {events:#?}"
                );
                assert!(
                    events.iter().any(|e| e["type"] == "navigation"
                        && e["screen_id"].as_str().is_some_and(|s| s.ends_with(target))),
                    "the navigation is logged: {events:#?}"
                );
                // The project's members read the same logs through the diagnostics route.
                let logs: Value = app
                    .http
                    .get(format!(
                        "{}/api/v1/previews/{}/logs",
                        app.base,
                        job["job_id"].as_str().unwrap()
                    ))
                    .bearer_auth(&app.api_key)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let listed: Vec<&Value> = logs["batches"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|b| b["events"].as_array().unwrap())
                    .collect();
                assert!(
                    listed.iter().any(|e| e["data"]["node_id"] == node["id"]),
                    "the diagnostics route lists the click: {logs:#}"
                );
                let stamps: Vec<u64> = logs["batches"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b["first_event_at"].as_u64().unwrap())
                    .collect();
                assert!(
                    stamps.windows(2).all(|w| w[0] >= w[1]),
                    "newest first: {stamps:?}"
                );
                // One batch per page: the next page starts below the first.
                let page = |q: String| {
                    let url = format!(
                        "{}/api/v1/previews/{}/logs?{q}",
                        app.base,
                        job["job_id"].as_str().unwrap()
                    );
                    app.http.get(url).bearer_auth(&app.api_key).send()
                };
                let first: Value = page("limit=1".into()).await.unwrap().json().await.unwrap();
                assert_eq!(first["batches"].as_array().unwrap().len(), 1);
                if stamps.len() > 1 {
                    let next = first["next_before"].as_u64().expect("a next page");
                    let second: Value = page(format!("limit=1&before={next}"))
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    assert!(second["batches"][0]["first_event_at"].as_u64().unwrap() < next);
                }
                assert_eq!(page("limit=0".into()).await.unwrap().status(), 422);
                assert_eq!(page("session=nope".into()).await.unwrap().status(), 422);
                clicked = true;
            }
        }
    }
    assert!(clicked, "a fixture screen has a navigation action");
    assert!(compared > 150, "compared {compared} boxes");
    println!(
        "{compared} drawn boxes equal their frames; screenshots in {}",
        shots.display()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_viewer_page_keeps_the_token_out_of_requests_and_refuses_a_bad_one() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let r = app
        .http
        .get(format!("{}/viewer", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    let r = app
        .http
        .get(format!("{}/viewer/nope.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // A made-up token: the page says so and the server records the refusal.
    let dom = browse(
        format!("{}/viewer#token=v1.bogus&device=iphone", app.base),
        None,
    )
    .await;
    assert!(dom.contains(r#"data-done="error""#), "{dom}");
    assert!(dom.contains("not valid"), "{dom}");
    assert!(!app.security_kinds().await.is_empty());
}
