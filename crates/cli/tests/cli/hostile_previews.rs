//! Previews built to hurt the worker, run through the whole pipeline in one process, as
//! `hivesync dev` runs it (backend, embedded worker, SQLite, local files): each fails or is
//! bounded with a clear reason, and the same worker goes on to serve the next preview.

use std::time::Duration;

use crate::common::*;
use hivesync_core::{Tier, WorkerType};
use hivesync_objects::Objects;
use hivesync_store::Driver;
use serde_json::{Value, json};

fn app_file(body: &str) -> Value {
    json!({"path": "App.tsx", "content": format!(
        "import React from 'react';\nimport {{ View, Text }} from 'react-native';\nimport MapView from 'react-native-maps';\n{body}"
    )})
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (be(16), be(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_previews_fail_or_are_bounded_and_the_worker_serves_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let objects = Objects::local(&dir.path().join("objects")).unwrap();
    let mut config = test_config();
    config.worker.capacity = 1;
    // Case 2 draws one clipped full-screen snapshot (a second or more in a debug build on a
    // loaded machine), case 3 twenty-one of them: the limit sits between the two.
    config.worker.compile_timeout_seconds = 6;
    // Room for case 3 to ask for far more drawing than any machine does in that time.
    config.tiers.pro.max_snapshots_per_preview = 200;
    config.tiers.pro.max_snapshot_pixels_per_preview = 400_000_000;
    let app = spawn_app(Driver::Sqlite, objects.clone(), Tier::Pro, config).await;
    let _w = app.start_worker("cpu-1", WorkerType::Cpu, objects);
    let preview = |files: Vec<Value>| preview_body(&app, files, &["iphone"]);

    // 1. An output tree 1,200 levels deep from shallow lines: it aborted the process.
    let mut body = String::from("const v1 = <View />;\n");
    for i in 2..=1_200 {
        body.push_str(&format!("const v{i} = <View>{{v{}}}</View>;\n", i - 1));
    }
    body.push_str("export default function App() { return v1200; }");
    let job = app.request_preview(&preview(vec![app_file(&body)])).await;
    let s = app.wait_final(&job, Duration::from_secs(30)).await;
    assert_eq!(s["status"], "failed");
    assert!(
        s["failure_reason"]
            .as_str()
            .unwrap()
            .contains("nested too deeply"),
        "{s}"
    );

    // 2. Six MapViews of 3,800 points: clipped to the screen, not hundreds of MiB each.
    let maps = "<MapView style={{ width: 3800, height: 3800 }} />".repeat(6);
    let job = app
        .request_preview(&preview(vec![app_file(&format!(
            "export default function App() {{ return <View>{maps}</View>; }}"
        ))]))
        .await;
    let s = app.wait_final(&job, Duration::from_secs(30)).await;
    assert_eq!(s["status"], "succeeded", "{s}");
    let token = job["preview_token"].as_str().unwrap();
    let listing: Value = app
        .device_get(job["screens_url"].as_str().unwrap(), token, "iphone")
        .await
        .json()
        .await
        .unwrap();
    let asset = listing["screens"][0]["assets"][0].as_str().unwrap();
    let png = app
        .device_get(asset, token, "iphone")
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(png_size(&png), (393 * 3, 852 * 3));

    // 3. Drawing that outlasts the job's time limit (120 different full-screen snapshots, under
    // this test's raised pixel budget, take half a minute or more in a debug build): the job
    // fails in time and its drawing stops.
    let snaps: String = (0..120)
        .map(|i| {
            format!(
                "<MapView style={{{{ width: 393, height: 852, backgroundColor: '#{:06x}' }}}} />",
                i * 4099
            )
        })
        .collect();
    let job = app
        .request_preview(&preview(vec![app_file(&format!(
            "export default function App() {{ return <View>{snaps}</View>; }}"
        ))]))
        .await;
    let s = app.wait_final(&job, Duration::from_secs(30)).await;
    assert_eq!(s["status"], "failed", "{s}");
    assert_eq!(
        s["failure_reason"],
        "compiling took longer than 6 s; preview fewer screens"
    );

    // 4. The same worker still serves an ordinary preview.
    let job = app
        .request_preview(&preview(fixture_files("react-navigation-theme")))
        .await;
    let s = app.wait_final(&job, Duration::from_secs(30)).await;
    assert_eq!(s["status"], "succeeded", "{s}");
}
