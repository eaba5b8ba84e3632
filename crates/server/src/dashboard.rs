//! The admin dashboard at `/admin`: one server-rendered HTML page that refreshes itself every
//! [`REFRESH_SECONDS`], readable on a laptop and a tablet, with no script and no frontend build
//! step. It shows the workers (type, health, last heartbeat, load, running jobs, error rate), the
//! queue by tier and kind, recent jobs with durations and failures, GPU fallbacks, security
//! events, worker changes, and per-tier figures for the last days (jobs per day, p50 / p95 run
//! time, failure rate) with small inline SVG charts.
//!
//! A person logs in with the admin key through the form at `/admin/login`, which sets the signed
//! `hivesync_admin` cookie (HttpOnly, Secure, SameSite=Strict, path `/admin`); scripts may send
//! the key as a bearer header instead.

use std::fmt::Write;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use hivesync_core::Tier;
use hivesync_core::clock::now_ms;

use crate::admin::{self, COOKIE, SESSION_MS};
use crate::api_error::ApiError;
use crate::auth;
use crate::state::AppState;

/// Seconds between the page's own reloads.
pub const REFRESH_SECONDS: u32 = 15;
/// Days of per-tier figures.
const DAYS: u32 = 7;

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `YYYY-MM-DD HH:MM:SS` UTC of Unix ms.
fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `MM-DD` of a day start (ms).
fn day_label(ms: i64) -> String {
    let (_, m, d) = civil(ms.div_euclid(86_400_000));
    format!("{m:02}-{d:02}")
}

/// Days since 1970-01-01 to (year, month, day) (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A duration in ms as `850 ms`, `4.2 s`, `3 min`.
fn dur(ms: i64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{} min", ms / 60_000)
    }
}

fn ago(now: i64, t: i64) -> String {
    let s = (now - t).max(0) / 1000;
    if s < 120 {
        format!("{s} s ago")
    } else if s < 7200 {
        format!("{} min ago", s / 60)
    } else {
        format!("{} h ago", s / 3600)
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

const STYLE: &str = r#"
:root{--bg:#f4f6f8;--card:#fff;--ink:#1d2733;--mute:#5d6b7a;--line:#dde3e9;--ok:#1f8a4c;--bad:#c0392b;--warn:#b7791f;--off:#6b7280;--acc:#2563eb}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;background:var(--bg);color:var(--ink)}
header{display:flex;flex-wrap:wrap;align-items:center;gap:12px;justify-content:space-between;padding:14px 22px;background:#14202e;color:#fff}
header h1{font-size:19px;margin:0}header .meta{color:#b8c4d0;font-size:13px}header form{margin:0}
header button{background:transparent;color:#fff;border:1px solid #6b7c8f;border-radius:6px;padding:5px 10px;font:inherit;font-size:13px;cursor:pointer}
main{padding:18px 22px;max-width:1400px;margin:0 auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .n{font-size:26px;font-weight:650}.card .l{color:var(--mute);font-size:13px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
@media (max-width:700px){.grid{grid-template-columns:1fr}main{padding:12px}}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin-bottom:16px;min-width:0}
section h2{font-size:16px;margin:2px 0 10px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);white-space:nowrap;vertical-align:top}
th{color:var(--mute);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.wrap{white-space:normal;min-width:220px}
.b{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;color:#fff}
.ok{background:var(--ok)}.bad{background:var(--bad)}.warn{background:var(--warn)}.off{background:var(--off)}.acc{background:var(--acc)}
.mute{color:var(--mute)}.empty{color:var(--mute);font-style:italic;padding:6px 0}
.tiers{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:12px}
.tier{border:1px solid var(--line);border-radius:8px;padding:10px}
.tier h3{margin:0 0 6px;font-size:15px;text-transform:capitalize}
.tier .fig{display:flex;gap:14px;flex-wrap:wrap;font-size:13px;color:var(--mute)}.tier .fig b{color:var(--ink);font-size:15px}
code{font-size:13px}
"#;

fn page(title: &str, refresh: bool, body: &str) -> String {
    let refresh = if refresh {
        format!("<meta http-equiv=\"refresh\" content=\"{REFRESH_SECONDS}\">")
    } else {
        String::new()
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{refresh}<title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    )
}

fn login_page(message: Option<&str>) -> String {
    let message = message
        .map(|m| format!("<p style=\"color:var(--bad)\">{}</p>", esc(m)))
        .unwrap_or_default();
    page(
        "HiveSync admin: log in",
        false,
        &format!(
            "<header><h1>HiveSync admin</h1></header><main><section style=\"max-width:420px;margin:40px auto\"><h2>Log in</h2>{message}\
             <form method=\"post\" action=\"/admin/login\"><label for=\"key\">Admin key</label><br>\
             <input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required style=\"width:100%;padding:8px;margin:6px 0 12px;font:inherit\">\
             <button type=\"submit\" style=\"padding:8px 16px;font:inherit\">Log in</button></form></section></main>"
        ),
    )
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The admin dashboard's login form (HTML).
#[utoipa::path(
    get,
    path = "/admin/login",
    tag = "pages",
    responses((status = 200, description = "The login form", content_type = "text/html", body = String))
)]
pub async fn login_form() -> Response {
    no_store(Html(login_page(None)).into_response())
}

/// Decodes `application/x-www-form-urlencoded` text.
fn form_value(body: &str, name: &str) -> Option<String> {
    body.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| {
            let bytes = v.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'+' => out.push(b' '),
                    b'%' if i + 2 < bytes.len() => {
                        let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                            Some(b) => {
                                out.push(b);
                                i += 2;
                            }
                            None => out.push(b'%'),
                        }
                    }
                    b => out.push(b),
                }
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        })
    })
}

/// Logs in to the dashboard (form field `key`): sets the session cookie and goes to `/admin`.
#[utoipa::path(
    post,
    path = "/admin/login",
    tag = "pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "`key=<admin key>`"),
    responses(
        (status = 303, description = "Logged in: to `/admin`, with the session cookie"),
        (status = 401, description = "A wrong key: the form again", content_type = "text/html", body = String),
        (status = 413, description = "The body is too large", body = crate::api_error::ErrorBody),
        (status = 415, description = "Not a form", body = crate::api_error::ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes =
        crate::previews::read_typed_body(&headers, body, 4096, "application/x-www-form-urlencoded")
            .await?;
    let key = form_value(&String::from_utf8_lossy(&bytes), "key").unwrap_or_default();
    let actor = if key.is_empty() {
        None
    } else {
        admin::check_key(&state, key.trim()).await?
    };
    let expires = now_ms() + SESSION_MS;
    let Some(value) = actor.and_then(|_| admin::session_cookie_value(&state, expires)) else {
        auth::record(
            &state,
            "admin_login_failed",
            None,
            None,
            Some(peer),
            "dashboard login with an invalid key",
        )
        .await;
        return Ok(no_store(
            (
                StatusCode::UNAUTHORIZED,
                Html(login_page(Some("That key does not open the admin pages."))),
            )
                .into_response(),
        ));
    };
    tracing::info!(peer = %peer.ip(), "admin logged in to the dashboard");
    let cookie = format!(
        "{COOKIE}={value}; Path=/admin; Max-Age={}; HttpOnly; Secure; SameSite=Strict",
        SESSION_MS / 1000
    );
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, "/admin")]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(no_store(r))
}

/// Logs out of the dashboard (clears the session cookie).
#[utoipa::path(
    post,
    path = "/admin/logout",
    tag = "pages",
    responses((status = 303, description = "To the login form, the cookie cleared"))
)]
pub async fn logout() -> Response {
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, "/admin/login")]).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "hivesync_admin=; Path=/admin; Max-Age=0; HttpOnly; Secure; SameSite=Strict",
        ),
    );
    r
}

/// The admin dashboard (HTML): workers, queue, recent jobs and events; the login form when not
/// logged in.
#[utoipa::path(
    get,
    path = "/admin",
    tag = "pages",
    responses(
        (status = 200, description = "The dashboard", content_type = "text/html", body = String),
        (status = 401, description = "Not logged in: the login form", content_type = "text/html", body = String),
    )
)]
pub async fn dashboard(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // A first visit without credentials just gets the form; presented credentials that do not
    // check out are refused and recorded.
    let presented = auth::bearer(&headers).is_some()
        || headers
            .get_all(header::COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.contains(COOKIE)));
    if !presented || admin::authorize(&state, &headers, peer).await.is_err() {
        return Ok(no_store(
            (StatusCode::UNAUTHORIZED, Html(login_page(None))).into_response(),
        ));
    }
    let html = render(&state).await?;
    Ok(no_store(Html(html).into_response()))
}

fn badge(class: &str, text: &str) -> String {
    format!("<span class=\"b {class}\">{}</span>", esc(text))
}

fn state_badge(state: &str) -> String {
    let class = match state {
        "succeeded" => "ok",
        "failed" => "bad",
        "running" => "acc",
        _ => "off",
    };
    badge(class, state)
}

/// A small bar chart of jobs per day, failures stacked in red.
fn bars(days: &[(i64, i64, i64)]) -> String {
    let (w, h, pad) = (260.0, 70.0, 14.0);
    let max = days.iter().map(|d| d.1).max().unwrap_or(0).max(1) as f64;
    let slot = w / days.len().max(1) as f64;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {}\" width=\"100%\" height=\"{}\" role=\"img\" aria-label=\"jobs per day\">",
        h + pad,
        h + pad
    );
    for (i, (day, jobs, failed)) in days.iter().enumerate() {
        let x = i as f64 * slot + 3.0;
        let bw = slot - 6.0;
        let total = *jobs as f64 / max * (h - 12.0);
        let bad = *failed as f64 / max * (h - 12.0);
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{total:.1}\" fill=\"#2563eb\" rx=\"2\"><title>{} jobs, {} failed</title></rect>",
            h - total,
            jobs,
            failed
        );
        if *failed > 0 {
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{bad:.1}\" fill=\"#c0392b\" rx=\"2\"/>",
                h - bad
            );
        }
        if *jobs > 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1d2733\">{jobs}</text>",
                x + bw / 2.0,
                (h - total - 2.0).max(9.0)
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#5d6b7a\">{}</text>",
            x + bw / 2.0,
            h + pad - 2.0,
            day_label(*day)
        );
    }
    svg.push_str("</svg>");
    svg
}

async fn render(state: &AppState) -> Result<String, ApiError> {
    let store = state.store();
    let now = now_ms();
    let policy = state.health_policy();
    let workers = store.worker_health(&policy, now).await?;
    let depths = store.queue_depths().await?;
    let jobs = store.recent_jobs(25).await?;
    let routing = store.routing_events(None, 10).await?;
    let security = store.security_events(12).await?;
    let changes = store.worker_transitions(None, 10).await?;
    let days = store.tier_analytics(DAYS, now).await?;
    let fallbacks = store.gpu_fallback_count().await?;

    let mut b = String::new();
    let _ = write!(
        b,
        "<header><div><h1>HiveSync admin</h1><div class=\"meta\">updated {} UTC · refreshes every {REFRESH_SECONDS} s</div></div>\
         <form method=\"post\" action=\"/admin/logout\"><button type=\"submit\">Log out</button></form></header><main>",
        utc(now)
    );

    // Summary cards.
    let live: Vec<_> = workers
        .iter()
        .filter(|w| w.node.stopped_at.is_none())
        .collect();
    let healthy = live
        .iter()
        .filter(|w| w.node.active && w.node.healthy)
        .count();
    let queued: i64 = depths.iter().map(|d| d.queued).sum();
    let running: i64 = depths.iter().map(|d| d.running).sum();
    let today_start = now / 86_400_000 * 86_400_000;
    let today: Vec<_> = days.iter().filter(|d| d.day_start == today_start).collect();
    let today_jobs: i64 = today.iter().map(|d| d.jobs).sum();
    let today_failed: i64 = today.iter().map(|d| d.failed).sum();
    let rate = if today_jobs > 0 {
        today_failed as f64 / today_jobs as f64
    } else {
        0.0
    };
    let security_total: i64 = security.iter().map(|e| e.count).sum();
    b.push_str("<div class=\"cards\">");
    for (n, l) in [
        (format!("{healthy} / {}", live.len()), "healthy workers"),
        (queued.to_string(), "jobs queued"),
        (running.to_string(), "jobs running"),
        (today_jobs.to_string(), "jobs finished today"),
        (pct(rate), "failure rate today"),
        (fallbacks.to_string(), "GPU fallbacks"),
        (security_total.to_string(), "recent security events"),
    ] {
        let _ = write!(
            b,
            "<div class=\"card\"><div class=\"n\">{}</div><div class=\"l\">{l}</div></div>",
            esc(&n)
        );
    }
    b.push_str("</div>");

    // Workers.
    b.push_str("<section><h2>Workers</h2><div class=\"scroll\"><table><tr><th>Worker</th><th>Type</th><th>Health</th><th>Last heartbeat</th><th class=\"num\">CPU</th><th class=\"num\">GPU</th><th class=\"num\">Running</th><th class=\"num\">Error rate</th><th>Why</th></tr>");
    if workers.is_empty() {
        b.push_str("<tr><td colspan=\"9\" class=\"empty\">no workers registered</td></tr>");
    }
    for w in &workers {
        let label = crate::metrics::worker_health_label(&w.node);
        let class = match label {
            "healthy" => "ok",
            "unhealthy" => "bad",
            "disabled" => "warn",
            _ => "off",
        };
        let _ = write!(
            b,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} <span class=\"mute\">({} of {})</span></td><td class=\"wrap mute\">{}</td></tr>",
            esc(w.node.id.as_str()),
            w.node.worker_type.as_str(),
            badge(class, label),
            w.node
                .last_heartbeat_at
                .map(|t| ago(now, t))
                .unwrap_or_else(|| "never".into()),
            w.cpu_load.map(pct).unwrap_or_else(|| "–".into()),
            w.gpu_load.map(pct).unwrap_or_else(|| "–".into()),
            w.running_jobs,
            w.node.capacity,
            pct(w.window.rate()),
            w.window.worker_failures,
            w.window.jobs,
            esc(w.health_reason.as_deref().unwrap_or(""))
        );
    }
    b.push_str("</table></div></section>");

    // Queue and per-tier figures.
    b.push_str("<div class=\"grid\"><section><h2>Queue by tier and kind</h2><div class=\"scroll\"><table><tr><th>Kind</th><th>Tier</th><th class=\"num\">Queued</th><th class=\"num\">Running</th></tr>");
    if depths.is_empty() {
        b.push_str("<tr><td colspan=\"4\" class=\"empty\">the queue is empty</td></tr>");
    }
    for d in &depths {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            d.kind.as_str(),
            d.tier.as_str(),
            d.queued,
            d.running
        );
    }
    b.push_str("</table></div></section>");

    let _ = write!(
        b,
        "<section><h2>Per tier, last {DAYS} days</h2><div class=\"tiers\">"
    );
    for tier in [Tier::Premium, Tier::Pro, Tier::Free] {
        let mine: Vec<_> = days.iter().filter(|d| d.tier == tier).collect();
        let series: Vec<(i64, i64, i64)> = (0..DAYS as i64)
            .rev()
            .map(|i| {
                let day = today_start - i * 86_400_000;
                mine.iter()
                    .find(|d| d.day_start == day)
                    .map(|d| (day, d.jobs, d.failed))
                    .unwrap_or((day, 0, 0))
            })
            .collect();
        let jobs: i64 = mine.iter().map(|d| d.jobs).sum();
        let failed: i64 = mine.iter().map(|d| d.failed).sum();
        let today = mine.iter().find(|d| d.day_start == today_start);
        let _ = write!(
            b,
            "<div class=\"tier\" data-tier=\"{t}\"><h3>{t}</h3><div class=\"fig\"><span><b data-k=\"jobs-per-day\">{:.1}</b> jobs/day</span><span>p50 <b data-k=\"p50\">{}</b></span><span>p95 <b data-k=\"p95\">{}</b></span><span>failed <b data-k=\"failure-rate\">{}</b></span></div>{}</div>",
            jobs as f64 / DAYS as f64,
            today
                .and_then(|d| d.p50_ms)
                .map(dur)
                .unwrap_or_else(|| "–".into()),
            today
                .and_then(|d| d.p95_ms)
                .map(dur)
                .unwrap_or_else(|| "–".into()),
            if jobs > 0 {
                pct(failed as f64 / jobs as f64)
            } else {
                "–".into()
            },
            bars(&series),
            t = tier.as_str()
        );
    }
    let _ = write!(
        b,
        "</div><p class=\"mute\" style=\"font-size:12px;margin:8px 0 0\">jobs/day: average over the {DAYS} days. p50 / p95: today's run times (claim to end). Bars: jobs per day, failed in red.</p></section></div>"
    );

    // Recent jobs.
    b.push_str("<section><h2>Recent jobs</h2><div class=\"scroll\"><table><tr><th>Job</th><th>Kind</th><th>Tier</th><th>State</th><th>Worker</th><th>Created</th><th class=\"num\">Wait</th><th class=\"num\">Run</th><th>Failure</th></tr>");
    if jobs.is_empty() {
        b.push_str("<tr><td colspan=\"9\" class=\"empty\">no jobs yet</td></tr>");
    }
    for j in &jobs {
        let id = j.job.id.to_string();
        let failure = match (&j.job.failure_reason, &j.failure_cause) {
            (Some(r), cause) => format!(
                "<span class=\"mute\">{}:</span> {}",
                esc(cause.as_deref().unwrap_or("?")),
                esc(r)
            ),
            _ => String::new(),
        };
        let _ = write!(
            b,
            "<tr><td><code title=\"{id}\">…{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"wrap\">{failure}</td></tr>",
            &id[id.len().saturating_sub(8)..],
            j.job.kind.as_str(),
            j.job.tier.as_str(),
            state_badge(j.job.state.as_str()),
            esc(j.job.worker_id.as_ref().map(|w| w.as_str()).unwrap_or("–")),
            ago(now, j.job.created_at),
            j.job
                .claimed_at
                .map(|c| dur(c - j.job.created_at))
                .unwrap_or_else(|| "–".into()),
            j.run_ms().map(dur).unwrap_or_else(|| "–".into()),
        );
    }
    b.push_str("</table></div></section>");

    // Events.
    b.push_str("<div class=\"grid\"><section><h2>GPU fallbacks</h2><div class=\"scroll\"><table><tr><th>When</th><th>Job</th><th>CPU worker</th><th>Why</th></tr>");
    if routing.is_empty() {
        b.push_str("<tr><td colspan=\"4\" class=\"empty\">no fallbacks</td></tr>");
    }
    for e in &routing {
        let _ = write!(
            b,
            "<tr><td>{}</td><td><code title=\"{}\">…{}</code></td><td><code>{}</code></td><td class=\"wrap\">{}</td></tr>",
            ago(now, e.created_at),
            esc(&e.job_id),
            esc(&e.job_id[e.job_id.len().saturating_sub(8)..]),
            esc(&e.worker_id),
            esc(&e.reason)
        );
    }
    b.push_str("</table></div></section><section><h2>Security events</h2><div class=\"scroll\"><table><tr><th>When</th><th>Kind</th><th class=\"num\">Count</th><th>From</th><th>Detail</th></tr>");
    if security.is_empty() {
        b.push_str("<tr><td colspan=\"5\" class=\"empty\">no security events</td></tr>");
    }
    for e in &security {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>",
            ago(now, e.last_at.unwrap_or(e.created_at)),
            badge("bad", &e.kind),
            e.count,
            esc(e.remote_addr.as_deref().unwrap_or("–")),
            esc(&e.detail)
        );
    }
    b.push_str("</table></div></section></div>");

    b.push_str("<section><h2>Worker changes</h2><div class=\"scroll\"><table><tr><th>When</th><th>Worker</th><th>Change</th><th>By</th><th>Why</th></tr>");
    if changes.is_empty() {
        b.push_str("<tr><td colspan=\"5\" class=\"empty\">no changes recorded</td></tr>");
    }
    for t in &changes {
        let class = match t.change.as_str() {
            "healthy" | "enabled" => "ok",
            "unhealthy" => "bad",
            _ => "warn",
        };
        let _ = write!(
            b,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>",
            ago(now, t.created_at),
            esc(t.worker_id.as_str()),
            badge(class, t.change.as_str()),
            esc(&t.actor),
            esc(&t.reason)
        );
    }
    b.push_str("</table></div></section></main>");
    Ok(page("HiveSync admin", true, &b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_forms_decode() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_700_000_000_000), "2023-11-14 22:13:20");
        assert_eq!(
            form_value("a=1&key=hsa_x%2By+z", "key").as_deref(),
            Some("hsa_x+y z")
        );
        assert_eq!(form_value("key=%", "key").as_deref(), Some("%"));
        assert_eq!(
            esc("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
