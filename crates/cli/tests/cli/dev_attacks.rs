//! `hivesync dev` as a user runs it, driven over HTTP by an attacker holding the demo's Pro API
//! key: every attack that used to kill the process or pass a limit, one after the
//! other against one process, which must stay up, keep its memory bounded and still preview.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::procs::*;
use serde_json::{Value, json};

/// The dev process's resident memory, in KiB (`VmRSS`, `VmHWM` for the peak).
fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

struct Dev {
    base: String,
    key: String,
    project: String,
    http: reqwest::Client,
}

impl Dev {
    async fn preview(&self, files: Vec<Value>, devices: &[&str]) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/previews", self.base))
            .bearer_auth(&self.key)
            .json(&json!({"project_id": self.project, "platform": "ios", "device_types": devices, "files": files}))
            .send()
            .await
            .unwrap()
    }

    /// Posts a preview and waits for its final status.
    async fn run(&self, files: Vec<Value>, devices: &[&str]) -> Value {
        let r = self.preview(files, devices).await;
        assert_eq!(r.status(), 202);
        let job: Value = r.json().await.unwrap();
        crate::common::poll_final(&self.http, &job, &self.key, Duration::from_secs(40)).await
    }

    async fn healthy(&self) -> bool {
        self.http
            .get(format!("{}/healthz", self.base))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
    }
}

fn app(body: &str) -> Vec<Value> {
    let src = format!(
        "import React from 'react';\nimport {{ View, Text }} from 'react-native';\n\
         import MapView from 'react-native-maps';\n{body}"
    );
    vec![json!({"path": "App.tsx", "content": src})]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_stays_up_through_every_attack_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let listen = format!("127.0.0.1:{}", free_port());
    let mut child = dev_command(&listen, &data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_http(
        &format!("http://{listen}/readyz"),
        200,
        Duration::from_secs(10)
    ));
    let demo: Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("demo.json")).unwrap()).unwrap();
    hivesync_objects::install_tls_provider();
    let dev = Dev {
        base: format!("http://{listen}"),
        key: demo["api_key"].as_str().unwrap().to_owned(),
        project: demo["project_id"].as_str().unwrap().to_owned(),
        http: reqwest::Client::new(),
    };
    let pid = child.id();
    let baseline = memory_kib(pid, "VmRSS:");

    // 1. An output tree 1,200 levels deep, built from shallow lines.
    let mut chain = String::from("const v0 = <Text>leaf</Text>;\n");
    for i in 1..=1_200 {
        chain.push_str(&format!("const v{i} = <View>{{v{}}}</View>;\n", i - 1));
    }
    chain.push_str("export default function App() { return v1200; }\n");
    let s = dev.run(app(&chain), &["iphone"]).await;
    assert_eq!(s["status"], "failed", "{s}");
    assert!(
        s["failure_reason"]
            .as_str()
            .unwrap()
            .contains("nested too deeply"),
        "{s}"
    );
    assert!(dev.healthy().await);

    // 2. Six 3,800 x 3,800 pt maps at 3x: clipped to the screen, within the pixel budget.
    let maps: String = (0..6)
        .map(|_| "<MapView style={{width: 3800, height: 3800}} />".to_owned())
        .collect();
    let s = dev
        .run(
            app(&format!(
                "export default function App() {{ return <View>{maps}</View>; }}\n"
            )),
            &["iphone"],
        )
        .await;
    assert!(s["status"] == "succeeded" || s["status"] == "failed", "{s}");
    assert!(dev.healthy().await);

    // 3. Twelve concurrent previews: the tier's four in flight, and more only as the dev
    // workers finish them (the exact count is proven without workers in `hardening`).
    let small = app("export default function App() { return <View><Text>hi</Text></View>; }\n");
    let answers =
        futures::future::join_all((0..12).map(|_| dev.preview(small.clone(), &["iphone"]))).await;
    let accepted = answers.iter().filter(|r| r.status() == 202).count();
    assert!(accepted >= 4, "{accepted}");
    assert!(
        answers
            .iter()
            .all(|r| r.status() == 202 || r.status() == 429)
    );
    // 4. A callback with a timestamp at the end of i64.
    let r = dev
        .http
        .post(format!("{}/api/v1/worker/callback", dev.base))
        .header("content-type", "application/json")
        .header("webhook-id", "msg_x")
        .header("webhook-timestamp", "-9223372036854775000")
        .header("webhook-signature", "v1,AAAA")
        .header("hivesync-worker-id", "dev-cpu-1")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // 5. A flood of unauthenticated requests.
    for _ in 0..100 {
        let r = dev
            .http
            .get(format!(
                "{}/api/v1/previews/{}",
                dev.base,
                hivesync_core::ids::JobId::new_random()
            ))
            .bearer_auth("hs_bogus-key-0123456789")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // 6. Duplicate device types.
    let deadline = Instant::now() + Duration::from_secs(30);
    let s = loop {
        let r = dev.preview(small.clone(), &["iphone", "iphone"]).await;
        if r.status() == 202 {
            let job: Value = r.json().await.unwrap();
            break job;
        }
        assert!(Instant::now() < deadline, "a slot frees");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(s["job_id"].is_string());

    // Still up, still previewing, memory bounded.
    assert!(child.try_wait().unwrap().is_none(), "the process is alive");
    assert!(dev.healthy().await);
    let deadline = Instant::now() + Duration::from_secs(30);
    let s = loop {
        let r = dev.preview(small.clone(), &["iphone"]).await;
        if r.status() == 202 {
            break true;
        }
        assert!(Instant::now() < deadline, "a slot frees");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(s);
    let peak = memory_kib(pid, "VmHWM:");
    eprintln!("dev RSS: baseline {baseline} KiB, peak {peak} KiB");
    assert!(
        peak < baseline + 768 * 1024,
        "peak RSS {peak} KiB stays within 768 MiB of the baseline {baseline} KiB"
    );
    signal(&child, "-TERM");
    assert!(wait_exit(&mut child, Duration::from_secs(20)).success());
}
