//! The OpenAPI description at `/api/v1/openapi.json`: every described route exists on a running
//! server, every route the server has is described, each operation says what it does, and the
//! document validates as OpenAPI (openapi-spec-validator, installed by
//! scripts/ci-setup.d/python-tools.sh).

use std::path::{Path, PathBuf};

use hivesync_core::Tier;
use hivesync_server::testing::*;
use hivesync_store::Driver;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

pub async fn description(app: &App) -> Value {
    let r = app
        .http
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    r.json().await.unwrap()
}

/// A value for a path parameter that reaches the handler (which may then answer 404 for a
/// missing thing, with its own code).
pub fn sample(param: &str) -> &'static str {
    match param {
        "job_id" | "key_id" => "0190a3b2-0000-7000-8000-000000000000",
        "file" => "viewer.js",
        "asset_id" => "a.png",
        "timestamp" => "1",
        "id" => "worker-1",
        "screen_id" => "screen",
        other => panic!("no sample value for the path parameter `{other}`: add one"),
    }
}

/// `path` with each `{param}` replaced by its [`sample`].
pub fn with_samples(path: &str) -> String {
    let mut out = path.to_owned();
    for param in path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}'))
        .map(|(p, _)| p)
    {
        out = out.replace(&format!("{{{param}}}"), sample(param));
    }
    out
}

/// `(method, path, operation)` of every operation described.
pub fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((method.to_owned(), path.clone(), op.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn every_described_route_exists_and_says_what_it_does_and_answers() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let spec = description(&app).await;
    assert!(
        spec["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        spec["openapi"]
    );
    let ops = operations(&spec);
    assert!(ops.len() >= 40, "only {} operations described", ops.len());
    for (method, path, op) in &ops {
        let what = format!("{} {path}", method.to_uppercase());
        let said = op["summary"].as_str().or(op["description"].as_str());
        assert!(
            said.is_some_and(|s| s.len() > 10),
            "{what} says nothing of what it does"
        );
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{what} has no tag"
        );
        let responses = op["responses"].as_object().expect("responses");
        assert!(!responses.is_empty(), "{what} describes no response");
        for (status, response) in responses {
            assert!(
                response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{what} {status} has no description"
            );
        }
        // The server routes it: anything but the fallback's "no such endpoint" or a 405.
        let url = format!("{}{}", app.base, with_samples(path));
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let r = app
            .http
            .request(method, &url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert_ne!(status, 405, "{what}: the server has no such method");
        let body = r.text().await.unwrap_or_default();
        assert!(
            !(status == 404 && body.contains("no such endpoint")),
            "{what}: the server has no such route ({url})"
        );
        assert!(status < 500, "{what}: {status} {body}");
    }
}

/// Where a route is added outside `routes!` (which adds its description with it): only these
/// lines may do so, each for a reason.
const ROUTES_OUTSIDE_THE_DESCRIPTION: &[(&str, &str)] = &[
    // A catch-all path, which OpenAPI cannot name: described as `/viewer/{file}` in ApiDoc.
    ("lib.rs", r#".route("/viewer/{*file}", get(viewer::file))"#),
    // The metrics-only listener (`metrics.listen`), another port with the same `/metrics`.
    (
        "metrics.rs",
        r#".route("/metrics", axum::routing::get(scrape_open))"#,
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[tokio::test]
async fn every_route_of_the_server_is_described() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for line in text.lines() {
            let line = line.trim();
            let adds_route = [".route(", ".route_service(", ".nest_service(", ".merge("]
                .iter()
                .any(|m| line.starts_with(m));
            if adds_route {
                found.push((name.clone(), line.to_owned()));
            }
        }
    }
    for (file, line) in &found {
        assert!(
            ROUTES_OUTSIDE_THE_DESCRIPTION
                .iter()
                .any(|(f, l)| f == file && l == line),
            "{file}: `{line}` adds a route without its OpenAPI description; use routes!() with a #[utoipa::path]"
        );
    }
    assert_eq!(
        found.len(),
        ROUTES_OUTSIDE_THE_DESCRIPTION.len(),
        "an allowed exception is gone: update the list"
    );
    // The exception is described under its OpenAPI name.
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let spec = description(&app).await;
    assert!(spec["paths"]["/viewer/{file}"]["get"].is_object());
    let r = app
        .http
        .get(format!("{}/viewer/yoga-layout/src/index.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "nested viewer files are served");
}

#[tokio::test]
async fn the_description_validates_as_openapi() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let spec = description(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
    let venv = std::env::var("HIVESYNC_PY_VENV")
        .unwrap_or_else(|_| format!("{}/.cache/hivesync-py", std::env::var("HOME").unwrap()));
    let python = Path::new(&venv).join("bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/ci-setup.d/python-tools.sh (scripts/test does)",
        python.display()
    );
    let out = std::process::Command::new(&python)
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the description does not validate:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Every referenced schema is defined.
    let text = serde_json::to_string(&spec).unwrap();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(
            schemas.contains_key(name),
            "{name} is referenced, not defined"
        );
    }
}
