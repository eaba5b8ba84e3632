//! Scoped API keys over real HTTP: created (shown once, stored hashed), listed and revoked
//! through the API; every route family admits exactly the scopes it should; revoked and unknown
//! keys answer 401 and leave a `security_events` row. Both databases.

use hivesync_core::Tier;
use hivesync_server::testing::*;
use hivesync_store::Driver;
use serde_json::{Value, json};

async fn send(
    app: &App,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.http.request(method, format!("{}{path}", app.base));
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    // An event stream never ends: its headers say enough.
    if r.headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/event-stream"))
    {
        return (status, Value::Null);
    }
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn admin_key_for(app: &App, email: &str, scope: &str) -> String {
    let (status, v) = send(
        app,
        "POST",
        "/api/v1/admin/keys",
        Some(ADMIN_KEY),
        Some(json!({ "user": email, "name": format!("{scope} key"), "scope": scope })),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    v["key"].as_str().unwrap().to_owned()
}

/// Allowed: anything but 401 and 403 (the request may then fail its own checks).
fn allowed(status: u16) -> bool {
    status != 401 && status != 403
}

async fn every_route_family_admits_only_its_scopes(driver: Driver) {
    let (_dir, objects) = local();
    let app = spawn_app(driver, objects, Tier::Pro, test_config()).await;
    let email = app.user.email.clone();
    let client = app.api_key.clone();
    let ci = admin_key_for(&app, &email, "ci").await;
    let admin = admin_key_for(&app, &email, "admin").await;
    // A real job to read, submitted by the CI key.
    let (status, job) = send(
        &app,
        "POST",
        "/api/v1/previews",
        Some(&ci),
        Some(preview_body(
            &app,
            fixture_files("helpers-and-core"),
            &["iphone"],
        )),
    )
    .await;
    assert_eq!(status, 202, "a CI key submits previews: {job}");
    let job_id = job["job_id"].as_str().unwrap().to_owned();
    let docs = json!({
        "project_id": app.project.id, "path": "src/a.ts", "content": "export const a = 1;\n",
    });

    // (family, method, path, body, client, ci, admin)
    type Row = (
        &'static str,
        &'static str,
        String,
        Option<Value>,
        bool,
        bool,
        bool,
    );
    let table: Vec<Row> = vec![
        (
            "jobs",
            "POST",
            "/api/v1/previews".into(),
            Some(json!({})),
            true,
            true,
            true,
        ),
        (
            "jobs",
            "GET",
            format!("/api/v1/previews/{job_id}"),
            None,
            true,
            true,
            true,
        ),
        (
            "jobs",
            "POST",
            "/api/v1/ai-docs".into(),
            Some(docs),
            true,
            true,
            true,
        ),
        (
            "jobs",
            "GET",
            format!("/api/v1/ai-docs/{job_id}"),
            None,
            true,
            true,
            true,
        ),
        (
            "jobs",
            "GET",
            "/api/v1/events".into(),
            None,
            true,
            true,
            true,
        ),
        (
            "developer",
            "GET",
            format!("/api/v1/previews/{job_id}/logs"),
            None,
            true,
            false,
            true,
        ),
        (
            "developer",
            "POST",
            "/api/v1/session-tokens".into(),
            None,
            true,
            false,
            true,
        ),
        (
            "developer",
            "GET",
            "/api/v1/keys".into(),
            None,
            true,
            false,
            true,
        ),
        (
            "developer",
            "POST",
            "/api/v1/keys".into(),
            Some(json!({ "name": "x" })),
            true,
            false,
            true,
        ),
        (
            "admin",
            "GET",
            "/api/v1/admin/workers".into(),
            None,
            false,
            false,
            true,
        ),
        (
            "admin",
            "GET",
            "/api/v1/admin/jobs".into(),
            None,
            false,
            false,
            true,
        ),
        (
            "admin",
            "GET",
            "/api/v1/admin/events/security".into(),
            None,
            false,
            false,
            true,
        ),
        (
            "admin",
            "GET",
            "/api/v1/admin/events/routing".into(),
            None,
            false,
            false,
            true,
        ),
        (
            "admin",
            "GET",
            "/api/v1/admin/events/workers".into(),
            None,
            false,
            false,
            true,
        ),
        (
            "admin",
            "GET",
            "/api/v1/admin/keys".into(),
            None,
            false,
            false,
            true,
        ),
        (
            "admin",
            "POST",
            "/api/v1/admin/users".into(),
            Some(json!({ "email": format!("{}@example.com", uuid()) })),
            false,
            false,
            true,
        ),
        (
            "admin",
            "POST",
            "/api/v1/admin/workers/w-1/disable".into(),
            None,
            false,
            false,
            true,
        ),
        // Devices and workers have credentials of their own: no API key opens them.
        (
            "device",
            "GET",
            "/api/v1/preview/screens".into(),
            None,
            false,
            false,
            false,
        ),
        (
            "device",
            "POST",
            "/api/v1/preview/logs".into(),
            Some(json!({})),
            false,
            false,
            false,
        ),
        (
            "worker",
            "POST",
            "/api/v1/worker/heartbeat".into(),
            Some(json!({})),
            false,
            false,
            false,
        ),
        (
            "worker",
            "POST",
            "/api/v1/worker/callback".into(),
            Some(json!({})),
            false,
            false,
            false,
        ),
    ];
    for (family, method, path, body, by_client, by_ci, by_admin) in &table {
        for (scope, key, expected) in [
            ("client", &client, by_client),
            ("ci", &ci, by_ci),
            ("admin", &admin, by_admin),
        ] {
            let (status, v) = send(&app, method, path, Some(key), body.clone()).await;
            assert_eq!(
                allowed(status),
                *expected,
                "{family}: {method} {path} with a {scope} key answered {status} {v}"
            );
            if !*expected && *family == "developer" {
                assert_eq!(status, 403);
                assert_eq!(v["error"]["code"], "scope_not_allowed", "{v}");
            }
        }
        // And without any key: 401 everywhere.
        let (status, _) = send(&app, method, path, None, body.clone()).await;
        assert_eq!(status, 401, "{method} {path} without a key");
    }
    let kinds = app.security_kinds().await;
    assert!(
        kinds.iter().any(|k| k == "api_key_scope"),
        "scope refusals are recorded: {kinds:?}"
    );
    // A client key cannot mint an admin key; an admin key can.
    let ask = |key: String| {
        let app = &app;
        async move {
            send(
                app,
                "POST",
                "/api/v1/keys",
                Some(&key),
                Some(json!({ "name": "root", "scope": "admin" })),
            )
            .await
        }
    };
    let (status, v) = ask(client.clone()).await;
    assert_eq!(
        (status, v["error"]["code"].clone()),
        (403, json!("scope_not_allowed"))
    );
    assert_eq!(ask(admin.clone()).await.0, 201);
}

#[tokio::test]
async fn every_route_family_admits_only_its_scopes_sqlite() {
    every_route_family_admits_only_its_scopes(Driver::Sqlite).await;
}

#[tokio::test]
async fn every_route_family_admits_only_its_scopes_postgres() {
    every_route_family_admits_only_its_scopes(Driver::Postgres).await;
}

async fn keys_are_shown_once_stored_hashed_listed_and_revoked(driver: Driver) {
    let (_dir, objects) = local();
    let app = spawn_app(driver, objects, Tier::Pro, test_config()).await;
    let (status, created) = send(
        &app,
        "POST",
        "/api/v1/keys",
        Some(&app.api_key),
        Some(json!({ "name": "GitHub Actions", "scope": "ci" })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let key = created["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("hsk_") && key.len() > 40);
    assert_eq!(created["scope"], "ci");
    assert_eq!(created["name"], "GitHub Actions");
    assert!(key.starts_with(created["prefix"].as_str().unwrap()));

    // Stored as SHA-256 only.
    let hash = hivesync_store::sha256_hex(key.as_bytes());
    let stored = app
        .store
        .strings_for_tests(
            "SELECT id || ' ' || name || ' ' || prefix || ' ' || key_hash || ' ' || scopes FROM api_keys",
        )
        .await
        .unwrap()
        .join("\n");
    assert!(stored.contains(&hash), "the hash is stored");
    assert!(!stored.contains(&key), "the key itself is not");

    // Listed without the key.
    let (status, list) = send(&app, "GET", "/api/v1/keys", Some(&app.api_key), None).await;
    assert_eq!(status, 200);
    let keys = list["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2, "{list}");
    assert!(!list.to_string().contains(&key));
    let id = created["id"].as_str().unwrap();
    assert!(keys.iter().any(|k| k["id"] == id && k["scope"] == "ci"));

    // It works, then is revoked by its owner and stops at once.
    assert_eq!(
        send(
            &app,
            "GET",
            &format!("/api/v1/previews/{}", uuid_v7()),
            Some(&key),
            None
        )
        .await
        .0,
        404
    );
    let (status, v) = send(
        &app,
        "DELETE",
        &format!("/api/v1/keys/{id}"),
        Some(&app.api_key),
        None,
    )
    .await;
    assert_eq!(
        (status, v["revoked_now"].clone()),
        (200, json!(true)),
        "{v}"
    );
    let (status, v) = send(
        &app,
        "DELETE",
        &format!("/api/v1/keys/{id}"),
        Some(&app.api_key),
        None,
    )
    .await;
    assert_eq!(
        (status, v["revoked_now"].clone()),
        (200, json!(false)),
        "idempotent"
    );
    let before = app.security_kinds().await.len();
    let (status, v) = send(
        &app,
        "POST",
        "/api/v1/previews",
        Some(&key),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].clone()),
        (401, json!("unauthorized"))
    );
    let kinds = app.security_kinds().await;
    assert_eq!(kinds.len(), before + 1, "{kinds:?}");
    assert_eq!(kinds[0], "api_key_invalid");

    // An unknown key: 401 and a row.
    let (status, _) = send(
        &app,
        "GET",
        "/api/v1/keys",
        Some("hsk_not-a-real-key-000000000000000000000000"),
        None,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(app.security_kinds().await.len(), before + 2);

    // Another user's key is not found (not revoked).
    let other = app
        .store
        .create_user(&format!("{}@example.com", uuid()), Tier::Free, 0)
        .await
        .unwrap();
    let other_key = app
        .store
        .create_api_key(other.id, "o", hivesync_store::accounts::Scope::Client, 0)
        .await
        .unwrap();
    let (status, _) = send(
        &app,
        "DELETE",
        &format!("/api/v1/keys/{}", other_key.id),
        Some(&app.api_key),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        app.store
            .authenticate_api_key(other_key.plaintext.expose(), 0)
            .await
            .unwrap()
            .is_some(),
        "still works"
    );
    // Bad input changes nothing.
    for body in [
        json!({ "name": "" }),
        json!({ "name": "x", "scope": "root" }),
        json!({ "nom": "x" }),
    ] {
        let (status, _) = send(
            &app,
            "POST",
            "/api/v1/keys",
            Some(&app.api_key),
            Some(body.clone()),
        )
        .await;
        assert!(status == 400 || status == 422, "{body}: {status}");
    }
    let (_, list) = send(&app, "GET", "/api/v1/keys", Some(&app.api_key), None).await;
    assert_eq!(list["keys"].as_array().unwrap().len(), 2);
}

fn uuid_v7() -> String {
    hivesync_core::ids::JobId::new_random().to_string()
}

#[tokio::test]
async fn keys_are_shown_once_stored_hashed_listed_and_revoked_sqlite() {
    keys_are_shown_once_stored_hashed_listed_and_revoked(Driver::Sqlite).await;
}

#[tokio::test]
async fn keys_are_shown_once_stored_hashed_listed_and_revoked_postgres() {
    keys_are_shown_once_stored_hashed_listed_and_revoked(Driver::Postgres).await;
}

#[tokio::test]
async fn an_admin_creates_users_projects_and_keys_and_revokes_any_key() {
    let (_dir, objects) = local();
    let app = spawn_app(Driver::Sqlite, objects, Tier::Pro, test_config()).await;
    let email = format!("{}@example.com", uuid());
    let (status, user) = send(
        &app,
        "POST",
        "/api/v1/admin/users",
        Some(ADMIN_KEY),
        Some(json!({ "email": email, "tier": "premium" })),
    )
    .await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["tier"], "premium");
    let (status, v) = send(
        &app,
        "POST",
        "/api/v1/admin/users",
        Some(ADMIN_KEY),
        Some(json!({ "email": email })),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].clone()),
        (409, json!("user_exists"))
    );
    for bad in [
        json!({ "email": "not-an-address" }),
        json!({ "email": "a@b.c", "tier": "gold" }),
    ] {
        assert_eq!(
            send(
                &app,
                "POST",
                "/api/v1/admin/users",
                Some(ADMIN_KEY),
                Some(bad)
            )
            .await
            .0,
            422
        );
    }
    let (status, project) = send(
        &app,
        "POST",
        "/api/v1/admin/projects",
        Some(ADMIN_KEY),
        Some(json!({ "owner": email, "name": "Shop" })),
    )
    .await;
    assert_eq!(status, 201, "{project}");
    assert_eq!(project["is_mobile_app"], true);
    let (status, _) = send(
        &app,
        "POST",
        "/api/v1/admin/projects",
        Some(ADMIN_KEY),
        Some(json!({ "owner": "nobody@example.com", "name": "Shop" })),
    )
    .await;
    assert_eq!(status, 404);

    let key = admin_key_for(&app, &email, "client").await;
    // The new user previews their new project with it.
    let mut body = preview_body(&app, fixture_files("helpers-and-core"), &["iphone"]);
    body["project_id"] = project["id"].clone();
    let (status, v) = send(&app, "POST", "/api/v1/previews", Some(&key), Some(body)).await;
    assert_eq!(status, 202, "{v}");

    let (status, list) = send(
        &app,
        "GET",
        &format!("/api/v1/admin/keys?user={email}"),
        Some(ADMIN_KEY),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let keys = list["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["user"], email.as_str());
    assert!(
        keys[0]["last_used_at"].is_i64(),
        "its use is recorded: {list}"
    );
    let id = keys[0]["id"].as_str().unwrap();
    let (status, _) = send(
        &app,
        "DELETE",
        &format!("/api/v1/admin/keys/{id}"),
        Some(ADMIN_KEY),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        send(&app, "GET", "/api/v1/keys", Some(&key), None).await.0,
        401
    );
    let (status, _) = send(
        &app,
        "DELETE",
        &format!("/api/v1/admin/keys/{}", uuid_v7()),
        Some(ADMIN_KEY),
        None,
    )
    .await;
    assert_eq!(status, 404);
    // All of it is the admin's only.
    assert_eq!(
        send(
            &app,
            "POST",
            "/api/v1/admin/users",
            Some(&app.api_key),
            Some(json!({ "email": "x@y.z" }))
        )
        .await
        .0,
        401
    );
}
