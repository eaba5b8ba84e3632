//! End-to-end preview latency: from the moment a client sends `POST /api/v1/previews` to the
//! moment a device has fetched the last screen's Layout JSON, for a median screen, at 1, 8 and
//! 32 concurrent clients; on `hivesync dev` (SQLite + local files, 2 embedded workers) and on
//! `hivesync serve` + 2 `hivesync worker` processes over PostgreSQL + s3s-fs.
//!
//! Run with `scripts/bench-e2e` (starts PostgreSQL and s3s-fs like the tests do). Prints one
//! table row per mode and concurrency. Each client waits for its job on its own SSE stream,
//! then fetches the layout with the preview token, as a device would.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use hivesync_core::Tier;
use hivesync_core::clock::now_ms;
use hivesync_store::testing::TestDb;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_hivesync");
const CALLBACK_SECRET: &str = "bench-callback-secret-0123456789abcdefgh";
const TOKEN_KEY: &str = "b1:bench-token-secret-0123456789abcdefghij";

/// A median screen (63 lines, 5+ elements, a theme module and a StyleSheet), the shape
/// rn-usage-stats.md measures.
fn median_project() -> Value {
    json!([
        {"path": "src/theme.ts", "content": "export const colors = { primary: '#3366ff', text: '#1a1a1a', muted: '#6b7280', card: '#ffffff', bg: '#f3f4f6' };\nexport const spacing = { sm: 8, md: 16, lg: 24 };\n"},
        {"path": "App.tsx", "content": r#"import React, { useState } from 'react';
import { View, Text, Image, Pressable, StyleSheet, ScrollView } from 'react-native';
import { colors, spacing } from './src/theme';

type Props = { title?: string };

function Badge({ label }: { label: string }) {
  return (
    <View style={styles.badge}>
      <Text style={styles.badgeText}>{label}</Text>
    </View>
  );
}

export default function ProfileScreen({ title = 'Profile' }: Props) {
  const [following, setFollowing] = useState(false);
  return (
    <ScrollView style={styles.container} contentContainerStyle={{ padding: spacing.md }}>
      <View style={styles.header}>
        <Image source={{ uri: 'https://example.com/a.png', width: 64, height: 64 }} style={styles.avatar} />
        <View style={{ flex: 1, marginLeft: spacing.md }}>
          <Text style={styles.title}>{title}</Text>
          <Text style={styles.subtitle}>Joined in 2021</Text>
        </View>
      </View>
      <View style={styles.row}>
        <Badge label="Pro" />
        <Badge label="Mentor" />
      </View>
      <Pressable style={[styles.button, following && styles.buttonActive]} onPress={() => setFollowing(!following)}>
        <Text style={styles.buttonText}>{following ? 'Following' : 'Follow'}</Text>
      </Pressable>
      <Text style={styles.body}>
        Building apps with React Native. Loves <Text style={{ fontWeight: 'bold' }}>flexbox</Text>.
      </Text>
    </ScrollView>
  );
}

const styles = StyleSheet.create({
  container: { flex: 1, backgroundColor: colors.bg },
  header: { flexDirection: 'row', alignItems: 'center', marginBottom: spacing.lg },
  avatar: { width: 64, height: 64, borderRadius: 32 },
  title: { fontSize: 22, fontWeight: '700', color: colors.text },
  subtitle: { fontSize: 14, color: colors.muted, marginTop: 4 },
  row: { flexDirection: 'row', gap: spacing.sm, marginBottom: spacing.md },
  badge: { paddingHorizontal: 10, paddingVertical: 4, borderRadius: 12, backgroundColor: colors.card },
  badgeText: { fontSize: 12, color: colors.primary },
  button: { backgroundColor: colors.primary, padding: spacing.md, borderRadius: 8, alignItems: 'center' },
  buttonActive: { backgroundColor: colors.muted },
  buttonText: { color: '#fff', fontSize: 16, fontWeight: '600' },
  body: { marginTop: spacing.lg, fontSize: 15, lineHeight: 22, color: colors.text },
});
"#}
    ])
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Procs(Vec<Child>);
impl Drop for Procs {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn base_cmd(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .env("HIVESYNC_TIERS__PRO__PREVIEWS_PER_HOUR", "1000000")
        .env("HIVESYNC_TIERS__PRO__MAX_PARALLEL_PREVIEWS", "1000")
        .env("HIVESYNC_WORKER__CAPACITY", "4")
        .stdout(Stdio::null())
        // Warnings and errors of the processes under test go to the bench's stderr.
        .stderr(Stdio::inherit());
    c
}

async fn wait_ready(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{base} did not become ready");
}

/// One client: `n` previews in a row; returns each latency.
async fn client(base: String, key: String, project: String, n: usize) -> Vec<Duration> {
    let http = reqwest::Client::new();
    let sse = http
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    let mut events = sse.bytes_stream();
    let mut buffer = String::new();
    let mut out = Vec::new();
    let body = json!({"project_id": project, "platform": "ios", "device_types": ["iphone"], "files": median_project()});
    for _ in 0..n {
        let start = Instant::now();
        let r = http
            .post(format!("{base}/api/v1/previews"))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        let job: Value = r.json().await.unwrap();
        let id = job["job_id"].as_str().unwrap().to_owned();
        // Wait for this job's event (other clients' events on the same project pass by).
        loop {
            if let Some(pos) = buffer.find(&id) {
                let end = buffer[pos..]
                    .find("\n\n")
                    .map(|e| pos + e)
                    .unwrap_or(buffer.len());
                let ok = buffer[..end]
                    .rfind("event: ")
                    .map(|e| buffer[e..].starts_with("event: preview.ready"))
                    .unwrap_or(false);
                assert!(ok, "job failed: {}", &buffer[..end]);
                buffer.drain(..end);
                break;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(60), events.next())
                .await
                .expect("event")
                .unwrap()
                .unwrap();
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
        let token = job["preview_token"].as_str().unwrap();
        let listing: Value = http
            .get(job["screens_url"].as_str().unwrap())
            .bearer_auth(token)
            .header("x-hivesync-device", "iphone")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for s in listing["screens"].as_array().unwrap() {
            let r = http
                .get(s["layout_url"].as_str().unwrap())
                .bearer_auth(token)
                .header("x-hivesync-device", "iphone")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let _ = r.bytes().await.unwrap();
        }
        out.push(start.elapsed());
    }
    out
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn run_levels(mode: &str, base: &str, users: &[(String, String)]) {
    for (clients, per_client) in [(1usize, 30usize), (8, 15), (32, 6)] {
        // Warm-up: one preview per level so connection set-up is not measured.
        client(base.to_owned(), users[0].0.clone(), users[0].1.clone(), 1).await;
        let started = Instant::now();
        let tasks: Vec<_> = (0..clients)
            .map(|i| {
                let (key, project) = users[i % users.len()].clone();
                tokio::spawn(client(base.to_owned(), key, project, per_client))
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let wall = started.elapsed().as_secs_f64();
        all.sort();
        println!(
            "| {mode} | {clients} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            all.len(),
            pct(&all, 0.5),
            pct(&all, 0.99),
            all.last().unwrap().as_secs_f64() * 1000.0,
            all.len() as f64 / wall
        );
    }
}

async fn bench_dev() {
    let dir = tempfile::tempdir().unwrap();
    let listen = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{listen}");
    let _p = Procs(vec![
        base_cmd(&[
            "dev",
            "--listen",
            &listen,
            "--data-dir",
            dir.path().to_str().unwrap(),
        ])
        .spawn()
        .unwrap(),
    ]);
    wait_ready(&base).await;
    let demo: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("demo.json")).unwrap())
            .unwrap();
    let users = vec![(
        demo["api_key"].as_str().unwrap().to_owned(),
        demo["project_id"].as_str().unwrap().to_owned(),
    )];
    run_levels("dev (SQLite + local)", &base, &users).await;
}

async fn bench_postgres() {
    let db = TestDb::postgres().await;
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_owned());
    let listen = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{listen}");
    let with_env = |mut c: Command| {
        c.env("HIVESYNC_DATABASE_URL", &db.url)
            .env("HIVESYNC_OBJECT_STORE__BACKEND", "s3")
            .env(
                "HIVESYNC_OBJECT_STORE__S3_ENDPOINT",
                env("HIVESYNC_TEST_S3_ENDPOINT", "http://127.0.0.1:8014"),
            )
            .env(
                "HIVESYNC_OBJECT_STORE__S3_BUCKET",
                env("HIVESYNC_TEST_S3_BUCKET", "hivesync-test"),
            )
            .env("HIVESYNC_OBJECT_STORE__S3_ALLOW_HTTP", "true")
            .env(
                "HIVESYNC_S3_ACCESS_KEY_ID",
                env("HIVESYNC_TEST_S3_ACCESS_KEY", "hivesync-test"),
            )
            .env(
                "HIVESYNC_S3_SECRET_ACCESS_KEY",
                env("HIVESYNC_TEST_S3_SECRET_KEY", "hivesync-test-secret"),
            )
            .env("HIVESYNC_SERVER__PUBLIC_URL", &base)
            .env("HIVESYNC_WORKER__BACKEND_URL", &base);
        c
    };
    let serve = with_env(base_cmd(&["serve", "--listen", &listen]))
        .env("WORKER_CALLBACK_SECRET", CALLBACK_SECRET)
        .env("HIVESYNC_PREVIEW_TOKEN_KEY", TOKEN_KEY)
        .spawn()
        .unwrap();
    // Each worker holds only its own key, as an operator provisions it.
    let worker = |id: &str| {
        let key = hivesync_core::callback_signature::WorkerKey::derive(
            &hivesync_core::Secret::new(CALLBACK_SECRET),
            &hivesync_core::ids::WorkerId::parse(id).unwrap(),
        );
        with_env(base_cmd(&["worker", "--type", "cpu", "--id", id]))
            .env("HIVESYNC_WORKER_KEY", key.to_text().expose())
            .spawn()
            .unwrap()
    };
    let w1 = worker("bench-cpu-1");
    let w2 = worker("bench-cpu-2");
    let _p = Procs(vec![serve, w1, w2]);
    wait_ready(&base).await;
    let mut users = Vec::new();
    let user = db
        .store
        .create_user("bench@example.com", Tier::Pro, now_ms())
        .await
        .unwrap();
    let project = db
        .store
        .create_project(user.id, "Bench", true, now_ms())
        .await
        .unwrap();
    let key = db
        .store
        .create_api_key(
            user.id,
            "bench",
            hivesync_store::accounts::Scope::Client,
            now_ms(),
        )
        .await
        .unwrap();
    users.push((key.plaintext.expose().to_owned(), project.id.to_string()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    run_levels("serve + 2 workers (PostgreSQL + s3s-fs)", &base, &users).await;
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks one mode.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let want = |m: &str| filter.is_empty() || filter.iter().any(|f| m.contains(f.as_str()));
    hivesync_objects::install_tls_provider();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("| mode | clients | previews | p50 ms | p99 ms | max ms | previews/s |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    rt.block_on(async {
        if want("dev") {
            bench_dev().await;
        }
        if want("postgres") {
            bench_postgres().await;
        }
    });
}
