//! The HTTP API's OpenAPI description, served at `GET /api/v1/openapi.json`.
//!
//! Each route's description is the `#[utoipa::path]` on its handler, collected by the router
//! itself ([`crate::api`]), so a route cannot exist undescribed nor a description without its
//! route (`crates/server/tests/server/openapi.rs` checks both against a running server).

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::Modify;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The parts of the description that no handler carries: title, security schemes, tags, and
/// the viewer's catch-all route.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "HiveSync API",
        description = "React Native sandbox previews and AI documentation. Clients (API keys) \
            submit jobs and follow them; devices (preview tokens) fetch Layout JSON and assets; \
            workers (signed requests) report results. See docs/client-integration.md.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(crate::viewer::file),
    modifiers(&SecuritySchemes),
    tags(
        (name = "previews", description = "Preview jobs (API key: client, ci or admin)"),
        (name = "ai-docs", description = "AI documentation jobs (API key: client, ci or admin)"),
        (name = "events", description = "Job events as Server-Sent Events (API key)"),
        (name = "device", description = "What a device fetches and posts (preview token)"),
        (name = "worker", description = "Worker callbacks and heartbeats (signed with the worker's key)"),
        (name = "session-tokens", description = "One-time website login tokens"),
        (name = "keys", description = "The caller's own API keys (client or admin key)"),
        (name = "admin", description = "Operators: workers, jobs, events, users, projects, keys (admin key)"),
        (name = "health", description = "Liveness, readiness, metrics"),
        (name = "pages", description = "HTML pages: the admin dashboard and the web viewer"),
        (name = "meta", description = "This description"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        let bearer = |description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme(
            "api_key",
            bearer(
                "An API key (`hsk_...`) with the scope `client`, `ci` or `admin`. A `ci` key \
                 submits jobs and reads their results and events only.",
            ),
        );
        components.add_security_scheme(
            "admin_key",
            bearer(
                "The operator's `HIVESYNC_ADMIN_KEY`, or an API key of the `admin` scope (the \
                 dashboard's session cookie works too).",
            ),
        );
        components.add_security_scheme(
            "preview_token",
            bearer(
                "A signed preview token from `POST /api/v1/previews`, with `X-HiveSync-Device`.",
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            bearer("The metrics token (`HIVESYNC_METRICS_TOKEN`)."),
        );
        components.add_security_scheme(
            "worker_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "webhook-signature",
                "Standard Webhooks signature under the worker's own key, with `webhook-id`, \
                 `webhook-timestamp` and `hivesync-worker-id`.",
            ))),
        );
    }
}

/// The whole description (built once). Operation ids are the handler's name under its tag
/// (`previews.create`, `admin.workers`), unique across the API.
pub fn spec() -> &'static utoipa::openapi::OpenApi {
    static SPEC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut api = crate::api().into_openapi();
        for item in api.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                let tag = op.tags.as_ref().and_then(|t| t.first()).cloned();
                if let (Some(tag), Some(id)) = (tag, op.operation_id.as_mut()) {
                    let name = id.strip_prefix("admin_").unwrap_or(id).to_owned();
                    *id = format!("{tag}.{name}");
                }
            }
        }
        api
    })
}

fn spec_json() -> &'static [u8] {
    static JSON: OnceLock<Vec<u8>> = OnceLock::new();
    JSON.get_or_init(|| serde_json::to_vec(spec()).expect("the description serializes"))
}

/// This API's OpenAPI 3.1 description.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI description", body = Object))
)]
pub async fn description() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        spec_json(),
    )
        .into_response()
}
