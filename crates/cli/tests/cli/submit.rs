//! `hivesync submit` as a terminal, an editor plugin or CI runs it: the real binary against a
//! running `hivesync dev` (its own data folder and port per test), over real HTTP and the
//! event stream. Without flags the client finds the backend, key and project in the dev's
//! `demo.json`; some tests pass them in the environment instead.

use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::procs::*;

/// A running `hivesync dev`, stopped on drop.
struct Dev {
    child: Child,
    data: PathBuf,
    base: String,
    demo: Value,
    _dir: tempfile::TempDir,
}

impl Dev {
    /// Starts `hivesync dev` with extra environment (configuration overrides).
    fn start(env: &[(&str, &str)]) -> Dev {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let listen = format!("127.0.0.1:{}", free_port());
        let mut cmd = dev_command(&listen, &data);
        cmd.envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = cmd.spawn().unwrap();
        let base = format!("http://{listen}");
        let mut dev = Dev {
            child,
            data,
            base,
            demo: Value::Null,
            _dir: dir,
        };
        assert!(
            wait_http(
                &format!("{}/readyz", dev.base),
                200,
                Duration::from_secs(20)
            ),
            "hivesync dev is ready"
        );
        dev.demo =
            serde_json::from_str(&std::fs::read_to_string(dev.data.join("demo.json")).unwrap())
                .unwrap();
        dev
    }

    /// `hivesync submit ARGS... --data-dir DATA` from `cwd` (the dev's demo.json answers the
    /// backend, key and project).
    fn submit(&self, cwd: &Path, args: &[&str]) -> Output {
        let data = self.data.to_str().unwrap().to_owned();
        let mut all: Vec<&str> = vec!["submit"];
        all.extend(args);
        all.extend(["--data-dir", &data, "--timeout", "60"]);
        hivesync(&all)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        signal(&self.child, "-TERM");
        let _ = wait_exit(&mut self.child, Duration::from_secs(10));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The one JSON object `--json` printed (stdout holds nothing else).
fn json_of(out: &Output) -> Value {
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "one JSON object, nothing else: {stdout}"
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The last line of stderr: the one-line reason of a failure.
fn reason(out: &Output) -> String {
    text(&out.stderr)
        .trim()
        .lines()
        .last()
        .unwrap_or("")
        .to_owned()
}

fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// Copies a fixture project of the compiler into `to`.
fn copy_fixture(name: &str, to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../layout/tests/fixtures")
        .join(name);
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    copy(&from, to);
}

/// A stack navigator app with one screen per name, each in `src/screens/NAME.tsx`.
fn app_tsx(screens: &[&str]) -> String {
    let imports: String = screens
        .iter()
        .map(|s| format!("import {s}Screen from './src/screens/{s}';\n"))
        .collect();
    let routes: String = screens
        .iter()
        .map(|s| format!("        <Stack.Screen name=\"{s}\" component={{{s}Screen}} />\n"))
        .collect();
    format!(
        "import React from 'react';\nimport {{ NavigationContainer }} from '@react-navigation/native';\nimport {{ createNativeStackNavigator }} from '@react-navigation/native-stack';\n{imports}\nconst Stack = createNativeStackNavigator();\n\nexport default function App() {{\n  return (\n    <NavigationContainer>\n      <Stack.Navigator>\n{routes}      </Stack.Navigator>\n    </NavigationContainer>\n  );\n}}\n"
    )
}

fn screen_tsx(name: &str, text: &str) -> String {
    format!(
        "import React from 'react';\nimport {{ View, Text }} from 'react-native';\n\nexport default function {name}Screen() {{\n  return (\n    <View style={{{{ flex: 1, padding: 16 }}}}>\n      <Text>{text}</Text>\n    </View>\n  );\n}}\n"
    )
}

fn names(report: &Value) -> Vec<String> {
    let mut n: Vec<String> = report["screens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    n.sort();
    n
}

fn git(repo: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(repo)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

#[test]
fn submit_preview_prints_each_screen_with_its_viewer_link_and_json_for_scripts() {
    let dev = Dev::start(&[]);
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("app");
    copy_fixture("image-assets", &project);
    // What the client must leave out: ignored files, dependencies, hidden folders.
    write(&project, ".gitignore", "src/generated/\n");
    write(&project, "src/generated/Big.tsx", "this is ignored");
    write(
        &project,
        "node_modules/kit/index.js",
        "module.exports = {};",
    );
    write(&project, ".expo/state.json", "{}");

    // Text, from the folder named on the command line; `--open` without an opener is a note.
    let empty_path = work.path().join("no-tools");
    std::fs::create_dir_all(&empty_path).unwrap();
    let data = dev.data.to_str().unwrap().to_owned();
    let out = hivesync(&[
        "submit",
        "preview",
        "app",
        "--open",
        "--data-dir",
        &data,
        "--timeout",
        "60",
    ])
    .current_dir(work.path())
    .env("PATH", &empty_path)
    .output()
    .unwrap();
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(" succeeded: "), "{stdout}");
    assert!(stderr.contains("queued"), "progress lines: {stderr}");
    assert!(
        stderr.contains("cannot open the viewer"),
        "a missing opener is a note: {stderr}"
    );
    let screen_lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(screen_lines.len() >= 2, "{stdout}");
    for line in &screen_lines {
        assert!(
            line.contains(&format!("{}/viewer#token=", dev.base))
                && line.contains("&device=iphone&screen="),
            "each screen with its viewer link: {line}"
        );
    }
    assert!(
        screen_lines
            .iter()
            .any(|l| l.trim_start().starts_with("Welcome ")),
        "{stdout}"
    );

    // JSON, from inside the project; two devices.
    let out = dev.submit(
        &project,
        &[
            "preview", "--json", "--device", "iphone", "--device", "ipad",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json_of(&out);
    assert_eq!(report["kind"], "preview");
    assert_eq!(report["status"], "succeeded", "{report}");
    assert_eq!(report["project_id"], dev.demo["project_id"]);
    let sent: Vec<&str> = report["sent"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        sent.contains(&"App.tsx") && sent.contains(&"assets/images/hero.jpg"),
        "{sent:?}"
    );
    assert!(
        !sent.iter().any(|f| f.starts_with("src/generated/")
            || f.starts_with("node_modules/")
            || f.starts_with(".")),
        "ignored, dependency and hidden files stay home: {sent:?}"
    );
    let screens = report["screens"].as_array().unwrap();
    for device in ["iphone", "ipad"] {
        assert!(
            screens.iter().any(|s| s["device_type"] == device),
            "{report}"
        );
    }
    for s in screens {
        let link = s["viewer_url"].as_str().unwrap();
        assert!(
            link.contains(&format!(
                "&device={}&screen={}",
                s["device_type"].as_str().unwrap(),
                s["screen_id"].as_str().unwrap()
            )),
            "{link}"
        );
    }
    let welcome = screens
        .iter()
        .find(|s| s["name"] == "Welcome" && s["device_type"] == "iphone")
        .unwrap();
    assert!(
        welcome["assets"].as_u64().unwrap() >= 2,
        "the images went in base64 and are stored with the screen: {welcome}"
    );
    assert!(
        report["viewer_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/viewer#token=", dev.base))
    );
}

#[test]
fn submit_preview_of_a_project_the_compiler_rejects_exits_non_zero_with_the_jobs_failure_reason() {
    let dev = Dev::start(&[]);
    let work = tempfile::tempdir().unwrap();
    // No screen anywhere: the worker fails the job.
    write(
        work.path(),
        "src/math.ts",
        "export const add = (a: number, b: number) => a + b;\n",
    );

    let out = dev.submit(work.path(), &["preview"]);
    assert!(!out.status.success());
    let why = reason(&out);
    assert!(
        why.starts_with("hivesync: error: preview ")
            && why.contains(" failed: the project could not be compiled: no screens found"),
        "one line with the reason: {}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).is_empty(), "{}", text(&out.stdout));

    let out = dev.submit(work.path(), &["preview", "--json"]);
    assert!(!out.status.success());
    let report = json_of(&out);
    assert_eq!(report["status"], "failed");
    let failure = report["failure_reason"].as_str().unwrap();
    assert!(!failure.is_empty());
    assert!(reason(&out).ends_with(failure), "{}", reason(&out));
}

#[test]
fn submit_over_a_tier_limit_or_with_a_bad_key_exits_non_zero_with_the_apis_code_and_message() {
    let dev = Dev::start(&[("HIVESYNC_TIERS__PRO__MAX_FILES", "2")]);
    let work = tempfile::tempdir().unwrap();
    write(work.path(), "App.tsx", &app_tsx(&["Home"]));
    write(
        work.path(),
        "src/screens/Home.tsx",
        &screen_tsx("Home", "Hi"),
    );
    write(work.path(), "src/theme.ts", "export const color = 'red';\n");

    let out = dev.submit(work.path(), &["preview"]);
    assert!(!out.status.success());
    assert_eq!(
        reason(&out),
        "hivesync: error: 413 too_many_files: 3 files exceed your tier's limit of 2"
    );
    let out = dev.submit(work.path(), &["preview", "--json"]);
    assert!(!out.status.success());
    let report = json_of(&out);
    assert_eq!(report["error"]["status"], 413);
    assert_eq!(report["error"]["code"], "too_many_files");
    assert_eq!(
        report["error"]["message"],
        "3 files exceed your tier's limit of 2"
    );
    // Within the limit (two files named), it goes through.
    let out = dev.submit(work.path(), &["preview", "App.tsx", "src/screens/Home.tsx"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // A wrong key from the environment: 401, and the key is never echoed.
    let out = hivesync(&["submit", "preview", "--timeout", "10"])
        .current_dir(work.path())
        .env("HIVESYNC_URL", &dev.base)
        .env("HIVESYNC_API_KEY", "hsk_wrong-key-value")
        .env("HIVESYNC_PROJECT", dev.demo["project_id"].as_str().unwrap())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let why = reason(&out);
    assert!(why.starts_with("hivesync: error: 401 "), "{why}");
    assert!(!text(&out.stderr).contains("wrong-key-value"));
}

#[test]
fn submit_preview_changed_since_sends_only_the_delta_and_the_server_applies_it() {
    let dev = Dev::start(&[]);
    let work = tempfile::tempdir().unwrap();
    let repo = work.path();
    write(repo, "App.tsx", &app_tsx(&["Alpha", "Beta"]));
    write(repo, "src/screens/Alpha.tsx", &screen_tsx("Alpha", "First"));
    write(repo, "src/screens/Beta.tsx", &screen_tsx("Beta", "Second"));
    write(repo, ".gitignore", "*.local.ts\n");
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);

    let out = dev.submit(repo, &["preview", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first = json_of(&out);
    assert_eq!(names(&first), ["Alpha", "Beta"]);

    // Beta goes, Gamma comes (untracked), App changes, Alpha stays as it was.
    std::fs::remove_file(repo.join("src/screens/Beta.tsx")).unwrap();
    write(repo, "src/screens/Gamma.tsx", &screen_tsx("Gamma", "Third"));
    write(repo, "App.tsx", &app_tsx(&["Alpha", "Gamma"]));
    write(repo, "src/secrets.local.ts", "ignored by git");
    let out = dev.submit(repo, &["preview", "--changed-since", "HEAD", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let delta = json_of(&out);
    assert_eq!(delta["sent"]["delta"], true);
    assert_eq!(
        delta["sent"]["files"],
        serde_json::json!(["App.tsx", "src/screens/Gamma.tsx"]),
        "only what changed is sent"
    );
    assert_eq!(
        delta["sent"]["deleted"],
        serde_json::json!(["src/screens/Beta.tsx"])
    );
    assert_eq!(delta["status"], "succeeded", "{delta}");
    assert_eq!(
        names(&delta),
        ["Alpha", "Gamma"],
        "the server kept Alpha (not sent) and dropped Beta"
    );

    // A revision git does not know: one clear line before anything is sent.
    let out = dev.submit(repo, &["preview", "--changed-since", "no-such-rev"]);
    assert!(!out.status.success());
    assert!(
        reason(&out).contains("--changed-since no-such-rev"),
        "{}",
        reason(&out)
    );
}

#[test]
fn submit_docs_prints_the_summary_suggestions_and_comments_of_each_file() {
    let dev = Dev::start(&[]);
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "src/math.ts",
        "export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport const half = (x: number): number => x / 2;\n",
    );
    let out = dev.submit(work.path(), &["docs", "src/math.ts", "--mode", "diff"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.starts_with("== src/math.ts (job "), "{stdout}");
    assert!(stdout.contains("\nSummary\n"), "{stdout}");
    assert!(stdout.contains("\nSuggestions"), "{stdout}");
    assert!(
        stdout.contains("\n  +/**\n"),
        "the diff adds doc comments: {stdout}"
    );
    assert!(
        stdout.contains("\nComments\n  src/math.ts:1 add@1: Exported function `add`."),
        "{stdout}"
    );

    let out = dev.submit(work.path(), &["docs", "src", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json_of(&out);
    assert_eq!(report["kind"], "ai_docs");
    let job = &report["jobs"][0];
    assert_eq!(job["status"], "succeeded");
    assert_eq!(job["path"], "src/math.ts");
    assert!(!job["document"]["summary"].as_str().unwrap().is_empty());
}

#[test]
fn submit_preview_follow_logs_prints_the_logs_devices_post_live_until_ctrl_c() {
    use std::io::BufRead;
    let dev = Dev::start(&[]);
    let work = tempfile::tempdir().unwrap();
    write(work.path(), "App.tsx", &app_tsx(&["Home"]));
    write(
        work.path(),
        "src/screens/Home.tsx",
        &screen_tsx("Home", "Hi"),
    );
    let data = dev.data.to_str().unwrap().to_owned();
    let mut child = hivesync(&[
        "submit",
        "preview",
        "--json",
        "--follow-logs",
        "--data-dir",
        &data,
    ])
    .current_dir(work.path())
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a line within 20 s")
    };
    let report: Value = serde_json::from_str(&next()).unwrap();
    assert_eq!(report["status"], "succeeded", "{report}");

    // A device posts a batch with the preview's token (the viewer link's fragment).
    let viewer = report["viewer_url"].as_str().unwrap();
    let token = viewer
        .split("token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let now = hivesync_core::clock::now_ms();
    let batch = serde_json::json!({
        "session_id": "3f2b6c1e-1111-4222-8333-444455556666",
        "events": [
            {"timestamp": now, "type": "navigation", "message": "opened Home"},
            {"timestamp": now + 5, "type": "interaction", "message": "tap-on-button"},
        ],
    });
    hivesync_objects::install_tls_provider();
    let posted = tokio::runtime::Runtime::new().unwrap().block_on(async {
        reqwest::Client::new()
            .post(format!("{}/api/v1/preview/logs", dev.base))
            .bearer_auth(token)
            .header("x-hivesync-device", "iphone")
            .json(&batch)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert!(posted.is_success(), "{posted}");
    let first: Value = serde_json::from_str(&next()).unwrap();
    let second: Value = serde_json::from_str(&next()).unwrap();
    assert_eq!(first["message"], "opened Home", "oldest first: {first}");
    assert_eq!(second["message"], "tap-on-button");
    assert_eq!(second["session_id"], "3f2b6c1e-1111-4222-8333-444455556666");
    assert_eq!(second["device_type"], "iphone");

    signal(&child, "-INT");
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(status.success(), "Ctrl-C ends it cleanly: {status:?}");
}
