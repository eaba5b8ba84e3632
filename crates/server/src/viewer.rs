//! The web preview viewer (`/viewer`): a page where a preview token opens the screens in a
//! browser, laid out by stock Yoga in the page (see `crates/server/viewer/viewer.js`). Its
//! files are compiled into the binary: nothing is fetched at build or run time, and there is
//! no frontend build step. The token travels in the URL fragment only (`/viewer#token=...`),
//! never in a path or query, so it stays out of server logs and `Referer`.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// (path under `/viewer/`, content type, body)
const FILES: &[(&str, &str, &[u8])] = &[
    ("viewer.js", JS, include_bytes!("../viewer/viewer.js")),
    (
        "viewer.css",
        "text/css; charset=utf-8",
        include_bytes!("../viewer/viewer.css"),
    ),
    // Shared with the Node harness that checks hivesync-frames against Yoga.
    (
        "style.mjs",
        JS,
        include_bytes!("../../frames/yoga-harness/style.mjs"),
    ),
    (
        "yoga-layout/src/index.js",
        JS,
        include_bytes!("../viewer/yoga-layout/src/index.js"),
    ),
    (
        "yoga-layout/src/wrapAssembly.js",
        JS,
        include_bytes!("../viewer/yoga-layout/src/wrapAssembly.js"),
    ),
    (
        "yoga-layout/src/generated/YGEnums.js",
        JS,
        include_bytes!("../viewer/yoga-layout/src/generated/YGEnums.js"),
    ),
    (
        "yoga-layout/binaries/yoga-wasm-base64-esm.js",
        JS,
        include_bytes!("../viewer/yoga-layout/binaries/yoga-wasm-base64-esm.js"),
    ),
    // The compiler's text font, so text wraps in the page where the document measured it.
    (
        "fonts/Roboto-Regular.ttf",
        "font/ttf",
        include_bytes!("../../frames/fonts/Roboto-Regular.ttf"),
    ),
    (
        "fonts/Roboto-Bold.ttf",
        "font/ttf",
        include_bytes!("../../frames/fonts/Roboto-Bold.ttf"),
    ),
    (
        "fonts/LICENSE-Roboto-Apache-2.0.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../frames/fonts/LICENSE-Roboto-Apache-2.0.txt"),
    ),
    (
        "yoga-layout/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../viewer/yoga-layout/LICENSE"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";

/// Scripts from this server only (WebAssembly for Yoga), data from this server only, images
/// also from `blob:` (assets fetched with the token), no framing, no forms.
const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self' data:; \
    font-src 'self'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn respond(content_type: &'static str, body: &'static [u8], cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

/// The web preview viewer (HTML): open `/viewer#token=<preview token>&device=<type>`; the
/// token stays in the fragment, which browsers never send.
#[utoipa::path(
    get,
    path = "/viewer",
    tag = "pages",
    responses((status = 200, description = "The viewer page", content_type = "text/html", body = String))
)]
pub async fn page() -> Response {
    respond(
        "text/html; charset=utf-8",
        include_bytes!("../viewer/index.html"),
        "no-cache",
    )
}

/// A file of the viewer (scripts, styles, fonts, licences), compiled into the binary.
/// `file` may hold `/` (e.g. `yoga-layout/src/index.js`).
#[utoipa::path(
    get,
    path = "/viewer/{file}",
    tag = "pages",
    params(("file" = String, Path, description = "The file's path under /viewer/, e.g. viewer.js")),
    responses(
        (status = 200, description = "The file", content_type = "text/javascript", body = String),
        (status = 404, description = "No such file", body = crate::api_error::ErrorBody),
    )
)]
pub async fn file(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(p, _, _)| *p == path) {
        Some((_, content_type, body)) => respond(content_type, body, "public, max-age=300"),
        None => crate::api_error::not_found().await.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `spec` imported by the file at `from`, as a path under `/viewer/`.
    fn resolve(from: &str, spec: &str) -> String {
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for seg in spec.split('/') {
            match seg {
                "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        parts.join("/")
    }

    #[test]
    fn every_module_the_page_imports_is_served() {
        for (path, _, body) in FILES.iter().filter(|(p, _, _)| p.ends_with("js")) {
            let body = std::str::from_utf8(body).expect("scripts are UTF-8");
            for line in body
                .lines()
                .filter(|l| l.trim_start().starts_with("import "))
            {
                let Some(spec) = line.split(['\'', '"']).nth(1) else {
                    continue;
                };
                assert!(
                    spec.starts_with('.'),
                    "{path}: a bare import the browser cannot resolve: {line}"
                );
                let target = resolve(path, spec);
                assert!(
                    FILES.iter().any(|(p, _, _)| *p == target),
                    "{path} imports {target}, which is not served"
                );
            }
        }
        let page = include_str!("../viewer/index.html");
        for asset in ["/viewer/viewer.js", "/viewer/viewer.css"] {
            assert!(page.contains(asset));
        }
    }
}
