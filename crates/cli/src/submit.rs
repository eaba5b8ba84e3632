//! `hivesync submit preview|docs`: the client for terminals, editor plugins and CI. Sends a
//! project's files (`file_set`) to a running backend, waits for the job on the event stream
//! (`event_stream`; a spinner on a terminal, plain lines otherwise, both on stderr), then
//! reads the result once and prints it: each screen with its viewer link, or the AI
//! documentation. A failed job, a refused request (the API's status, code and message) or a
//! wait past `--timeout` ends with one line on stderr and a non-zero status. `--json` prints
//! one JSON object on stdout instead, also on failure (`--follow-logs` adds one line per
//! device log event after it).
//!
//! The backend and key come from `--url`/`HIVESYNC_URL` and `--key`/`HIVESYNC_API_KEY`, else
//! from `hivesync dev`'s `DATA_DIR/demo.json`, which also names the project (`--project`).

mod event_stream;
mod file_set;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use hivesync_core::ids::ProjectId;
use hivesync_core::wire::{ContextFile, TextFile};
use hivesync_core::{DeviceType, Platform};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::api_client::{ApiRefusal, Backend, DemoKey};
use event_stream::EventStream;
use file_set::FileSet;

/// Arguments of `hivesync submit`.
#[derive(clap::Args, Debug)]
pub struct SubmitArgs {
    #[command(subcommand)]
    pub what: What,
}

/// What to submit.
#[derive(clap::Subcommand, Debug)]
pub enum What {
    /// A device preview of a project: prints each screen with its web viewer link.
    Preview(PreviewArgs),
    /// AI documentation of source files: prints each file's summary, suggested doc comments
    /// (a diff) and inline comments.
    Docs(DocsArgs),
}

/// Where to submit, and how to report.
#[derive(clap::Args, Debug)]
pub struct Connection {
    /// The backend, e.g. https://hivesync.example.com (default: demo.json's, else
    /// http://127.0.0.1:8080).
    #[arg(long, env = "HIVESYNC_URL")]
    pub url: Option<String>,
    /// A client API key (default: demo.json's).
    #[arg(long, env = "HIVESYNC_API_KEY", hide_env_values = true)]
    pub key: Option<String>,
    /// The project (default: demo.json's, when its key is used).
    #[arg(long, env = "HIVESYNC_PROJECT")]
    pub project: Option<String>,
    /// `hivesync dev`'s data folder, for demo.json.
    #[arg(long, default_value = ".hivesync")]
    pub data_dir: PathBuf,
    /// Print one JSON object on stdout (also on failure) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Give up waiting for the job after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
}

/// Arguments of `hivesync submit preview`.
#[derive(clap::Args, Debug)]
pub struct PreviewArgs {
    /// A project folder, or files and folders inside the project root (default: the root).
    pub paths: Vec<PathBuf>,
    /// The project root that sent paths are relative to (default: the one folder given,
    /// else the current folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Target platform: ios or android.
    #[arg(long, default_value = "ios")]
    pub platform: Platform,
    /// Device types that may open the preview (repeatable; default: iphone for ios,
    /// android-phone for android).
    #[arg(long = "device")]
    pub devices: Vec<DeviceType>,
    /// Preview only these screens (name, id, component or file; repeatable).
    #[arg(long = "screen")]
    pub screens: Vec<String>,
    /// Safe mode: interactions off on the device.
    #[arg(long)]
    pub safe_mode: bool,
    /// Send only what changed since this git revision (a delta against the project's files on
    /// the server): changed, added and untracked files, and the deleted paths.
    #[arg(long, value_name = "GIT_REV")]
    pub changed_since: Option<String>,
    /// Also send the packages the project imports, from ROOT/node_modules.
    #[arg(long)]
    pub include_node_modules: bool,
    /// Open the web viewer once the preview is ready.
    #[arg(long)]
    pub open: bool,
    /// Once the preview is ready, print the logs its devices post, live, until Ctrl-C.
    #[arg(long)]
    pub follow_logs: bool,
    #[command(flatten)]
    pub connection: Connection,
}

/// Arguments of `hivesync submit docs`.
#[derive(clap::Args, Debug)]
pub struct DocsArgs {
    /// The files to document (folders: their JavaScript and TypeScript files), one job each.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The project root that sent paths are relative to (default: the current folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Neighbouring files sent as context for the model (repeatable).
    #[arg(long = "context")]
    pub context: Vec<PathBuf>,
    /// short or long.
    #[arg(long, default_value = "short", value_parser = ["short", "long"])]
    pub style: String,
    /// doc (summary and comments) or diff (doc comments as a diff).
    #[arg(long, default_value = "doc", value_parser = ["doc", "diff"])]
    pub mode: String,
    #[command(flatten)]
    pub connection: Connection,
}

/// Runs `hivesync submit`.
pub async fn run(args: SubmitArgs) -> Result<()> {
    let (connection, kind) = match &args.what {
        What::Preview(a) => (&a.connection, "preview"),
        What::Docs(a) => (&a.connection, "ai_docs"),
    };
    let json_out = connection.json;
    let result = match args.what {
        What::Preview(a) => preview(a).await,
        What::Docs(a) => docs(a).await,
    };
    match result {
        Ok(Outcome { report, failure }) => {
            if let Some(report) = report.filter(|_| json_out) {
                println!("{}", serde_json::to_string(&report)?);
            }
            match failure {
                Some(why) => Err(anyhow!(why)),
                None => Ok(()),
            }
        }
        Err(e) => {
            if json_out {
                let error = match e.downcast_ref::<ApiRefusal>() {
                    Some(r) => json!({
                        "status": r.status,
                        "code": r.code,
                        "message": r.message,
                        "retry_after": r.retry_after,
                    }),
                    None => json!({ "message": one_line(&e) }),
                };
                println!("{}", json!({ "kind": kind, "error": error }));
            }
            Err(e)
        }
    }
}

fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

/// What a finished command reports: the JSON object (`None`: printed already), and why it
/// failed when it did.
struct Outcome {
    report: Option<Value>,
    failure: Option<String>,
}

/// The backend and project of a connection.
fn connect(c: &Connection) -> Result<(Backend, ProjectId)> {
    let backend = Backend::resolve(
        c.url.as_deref(),
        c.key.as_deref(),
        &c.data_dir,
        DemoKey::Api,
        "no API key: pass --key or set HIVESYNC_API_KEY (or run `hivesync dev`, whose demo.json has one)",
    )?;
    let Some(project) = c.project.clone().or_else(|| backend.demo_project.clone()) else {
        bail!("no project: pass --project or set HIVESYNC_PROJECT");
    };
    let project = ProjectId::parse(&project)
        .map_err(|_| anyhow!("--project {project:?} is not a project id"))?;
    Ok((backend, project))
}

/// Progress while waiting, on stderr: a spinner on a terminal, else plain lines.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("a valid template"),
            );
            bar.set_message("submitting");
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Progress { bar }
    }

    /// A line that stays.
    fn note(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// What is being waited for (the spinner's text; a line without a terminal).
    fn waiting(&self, what: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(what.to_owned()),
            None => eprintln!("{what}"),
        }
    }

    /// Runs `f` (which prints) with the spinner out of the way.
    fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done();
    }
}

/// Whether the backend refused the request for good (a 4xx: waiting will not change it).
fn refused(e: &anyhow::Error) -> bool {
    e.downcast_ref::<ApiRefusal>()
        .is_some_and(|r| (400..500).contains(&r.status))
}

/// Waits on the event stream for the end of job `job_id` of `kind` (`preview`, `ai_docs`),
/// then reads its status from `status_url` once. When the stream drops, the status is read
/// and the stream reopened from the last event seen, until the job ends or `deadline`.
async fn wait_for_job(
    backend: &Backend,
    stream: &mut Option<EventStream>,
    kind: &str,
    job_id: &str,
    status_url: &str,
    deadline: Instant,
    progress: &Progress,
) -> Result<Value> {
    let ended = |v: &Value| matches!(v["status"].as_str(), Some("succeeded" | "failed"));
    let timed_out = || anyhow!("gave up waiting for {kind} {job_id} (see --timeout)");
    let (ready, failed) = (format!("{kind}.ready"), format!("{kind}.failed"));
    let mut last_id = None;
    loop {
        if let Some(s) = stream.as_mut() {
            let next = tokio::time::timeout_at(deadline, s.next())
                .await
                .map_err(|_| timed_out())?;
            match next {
                Ok(Some(e)) => {
                    let about: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
                    if (e.kind == ready || e.kind == failed) && about["job_id"] == job_id {
                        break;
                    }
                    continue;
                }
                Ok(None) => progress.note("the event stream ended; reconnecting"),
                Err(e) => progress.note(&format!("{}; reconnecting", one_line(&e))),
            }
            last_id = s.last_id.clone();
            *stream = None;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        if Instant::now() >= deadline {
            return Err(timed_out());
        }
        // Reopen first, then read the status: an end between the two is in one or the other.
        match EventStream::open(backend, last_id.clone()).await {
            Ok(s) => *stream = Some(s),
            Err(e) if refused(&e) => return Err(e),
            Err(e) => {
                progress.note(&format!("{}; retrying", one_line(&e)));
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
        match backend.get(status_url).await {
            Ok(status) if ended(&status) => return Ok(status),
            Ok(_) => {}
            Err(e) if refused(&e) => return Err(e),
            Err(e) => progress.note(&format!("{}; retrying", one_line(&e))),
        }
    }
    let status = backend.get(status_url).await?;
    if !ended(&status) {
        bail!(
            "{kind} {job_id} was reported finished but is {}",
            status["status"]
        );
    }
    Ok(status)
}

/// `hivesync submit preview`.
async fn preview(args: PreviewArgs) -> Result<Outcome> {
    let c = &args.connection;
    let (backend, project) = connect(c)?;
    let root = file_set::project_root(args.root.as_deref(), &args.paths)?;
    let set = match &args.changed_since {
        Some(rev) => file_set::changed_since(&root, &args.paths, rev, args.include_node_modules)?,
        None => file_set::whole(&root, &args.paths, args.include_node_modules)?,
    };
    if args.changed_since.is_none() && set.files.is_empty() {
        bail!("no project files found in {}", root.display());
    }
    let devices = if args.devices.is_empty() {
        vec![match args.platform {
            Platform::Ios => DeviceType::Iphone,
            Platform::Android => DeviceType::AndroidPhone,
        }]
    } else {
        args.devices.clone()
    };
    let mut body = json!({
        "project_id": project,
        "platform": args.platform,
        "device_types": devices,
        "safe_mode": args.safe_mode,
    });
    if !args.screens.is_empty() {
        body["screens"] = json!(args.screens);
    }
    let sent = json!({
        "delta": args.changed_since.is_some(),
        "files": set.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
        "deleted": set.deleted,
    });
    let FileSet { files, deleted } = set;
    let (count, gone) = (files.len(), deleted.len());
    if args.changed_since.is_some() {
        body["delta"] = json!({ "changed": files, "deleted": deleted });
    } else {
        body["files"] = json!(files);
    }

    let progress = Progress::new();
    let deadline = Instant::now() + Duration::from_secs(c.timeout);
    // The stream opens before the job exists, so its end cannot be missed.
    let mut stream = Some(EventStream::open(&backend, None).await?);
    let job = backend
        .call(
            reqwest::Method::POST,
            &backend.url("/api/v1/previews"),
            Some(&body),
        )
        .await?;
    let job_id = job["job_id"].as_str().context("the answer has no job_id")?;
    let what = match &args.changed_since {
        Some(rev) => format!("{count} changed and {gone} deleted files since {rev}"),
        None => format!("{count} files"),
    };
    progress.note(&format!("preview {job_id} queued ({what})"));
    progress.waiting(&format!("waiting for preview {job_id}"));
    let status_url = backend.url(&format!("/api/v1/previews/{job_id}"));
    let status = wait_for_job(
        &backend,
        &mut stream,
        "preview",
        job_id,
        &status_url,
        deadline,
        &progress,
    )
    .await?;
    progress.done();
    drop(stream);

    let viewer = job["viewer_url"].as_str().unwrap_or_default();
    let mut report = status;
    report["kind"] = json!("preview");
    report["viewer_url"] = json!(viewer);
    report["sent"] = sent;
    if let Some(screens) = report["screens"].as_array_mut() {
        for s in screens {
            let link = screen_link(viewer, &s["device_type"], &s["screen_id"]);
            s["viewer_url"] = json!(link);
        }
    }
    if report["status"] != "succeeded" {
        let why = report["failure_reason"]
            .as_str()
            .unwrap_or("no reason given");
        let failure = Some(format!("preview {job_id} failed: {why}"));
        return Ok(Outcome {
            report: Some(report),
            failure,
        });
    }
    if !c.json {
        print_screens(job_id, &report);
    }
    if args.open {
        open_in_browser(viewer);
    }
    if args.follow_logs {
        if c.json {
            // The result goes out first, then one line per log event.
            println!("{}", serde_json::to_string(&report)?);
        }
        follow_logs(&backend, job_id, c.json).await?;
        return Ok(Outcome {
            report: None,
            failure: None,
        });
    }
    Ok(Outcome {
        report: Some(report),
        failure: None,
    })
}

/// The viewer link of one screen: the job's `viewer_url` (token in the fragment) for the
/// screen's device, opened at the screen.
fn screen_link(viewer: &str, device: &Value, screen: &Value) -> String {
    let (page, fragment) = viewer.split_once('#').unwrap_or((viewer, ""));
    let token = fragment
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .unwrap_or_default();
    format!(
        "{page}#token={token}&device={}&screen={}",
        device.as_str().unwrap_or("iphone"),
        screen.as_str().unwrap_or_default()
    )
}

fn print_screens(job_id: &str, report: &Value) {
    let screens = report["screens"].as_array().cloned().unwrap_or_default();
    let warnings = report["warnings"].as_array().map_or(0, Vec::len);
    println!(
        "preview {job_id} succeeded: {} screens, {warnings} warnings",
        screens.len()
    );
    let width = screens
        .iter()
        .map(|s| s["name"].as_str().unwrap_or_default().chars().count())
        .max()
        .unwrap_or(0);
    for s in &screens {
        println!(
            "  {:<width$}  {:<13}  {}",
            s["name"].as_str().unwrap_or_default(),
            s["device_type"].as_str().unwrap_or_default(),
            s["viewer_url"].as_str().unwrap_or_default(),
        );
    }
    println!(
        "viewer: {}",
        report["viewer_url"].as_str().unwrap_or_default()
    );
}

/// Opens `url` with the desktop's opener; a missing opener is a note, not a failure.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        eprintln!("note: cannot open the viewer ({opener}: {e}); open the link above instead");
    }
}

/// How often the device logs are read again.
const LOG_POLL: Duration = Duration::from_secs(2);

/// Prints the device logs of `job_id` as they arrive (oldest first), until Ctrl-C.
async fn follow_logs(backend: &Backend, job_id: &str, json_lines: bool) -> Result<()> {
    eprintln!("following the preview's device logs; Ctrl-C to stop");
    let url = backend.url(&format!("/api/v1/previews/{job_id}/logs"));
    tokio::select! {
        r = poll_logs(backend, &url, json_lines) => r,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// Reads the logs at `url` every [`LOG_POLL`] and prints the batches not printed yet.
async fn poll_logs(backend: &Backend, url: &str, json_lines: bool) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    loop {
        // Newest first: page back until a page holds a batch already printed.
        let mut fresh = Vec::new();
        let mut before: Option<u64> = None;
        loop {
            let page_url = match before {
                Some(b) => format!("{url}?limit=100&before={b}"),
                None => format!("{url}?limit=100"),
            };
            let page = match backend.get(&page_url).await {
                Ok(page) => page,
                Err(e) if refused(&e) => return Err(e),
                Err(e) => {
                    // The backend may be restarting: try again at the next poll.
                    eprintln!("{}; retrying", one_line(&e));
                    break;
                }
            };
            let mut reached_seen = false;
            for b in page["batches"].as_array().into_iter().flatten() {
                let key = (b["session_id"].to_string(), b["first_event_at"].to_string());
                if seen.contains(&key) {
                    reached_seen = true;
                } else {
                    fresh.push((key, b.clone()));
                }
            }
            match page["next_before"].as_u64() {
                Some(b) if !reached_seen => before = Some(b),
                _ => break,
            }
        }
        for (key, batch) in fresh.into_iter().rev() {
            seen.insert(key);
            print_log_batch(&batch, json_lines);
        }
        tokio::time::sleep(LOG_POLL).await;
    }
}

fn print_log_batch(batch: &Value, json_lines: bool) {
    let session = batch["session_id"].as_str().unwrap_or_default();
    let device = batch["device_type"].as_str().unwrap_or("-");
    for e in batch["events"].as_array().into_iter().flatten() {
        if json_lines {
            let mut line = e.clone();
            line["session_id"] = json!(session);
            line["device_type"] = json!(device);
            println!("{line}");
            continue;
        }
        let ms = e["timestamp"].as_u64().unwrap_or(0);
        let secs = ms / 1000 % 86_400;
        let short = session.get(..8).unwrap_or(session);
        let mut line = format!(
            "{:02}:{:02}:{:02}.{:03} {short} {device} {}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms % 1000,
            e["type"].as_str().unwrap_or("-"),
        );
        for field in ["screen_id", "message"] {
            if let Some(v) = e[field].as_str() {
                line.push(' ');
                line.push_str(v);
            }
        }
        if !e["data"].is_null() {
            line.push(' ');
            line.push_str(&e["data"].to_string());
        }
        println!("{line}");
    }
}

/// Extensions of the files AI documentation reads.
const DOC_EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs"];

fn is_code(f: &TextFile) -> bool {
    !f.is_binary()
        && Path::new(&f.path)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| DOC_EXTS.contains(&e.to_ascii_lowercase().as_str()))
}

/// `hivesync submit docs`: one job per file, one after the other (a tier allows few in
/// flight), over one event stream.
async fn docs(args: DocsArgs) -> Result<Outcome> {
    let c = &args.connection;
    let (backend, project) = connect(c)?;
    let root = file_set::project_root(Some(args.root.as_deref().unwrap_or(Path::new("."))), &[])?;
    let files: Vec<TextFile> = file_set::whole(&root, &args.paths, false)?
        .files
        .into_iter()
        .filter(is_code)
        .collect();
    if files.is_empty() {
        bail!("no JavaScript or TypeScript files to document");
    }
    let context: Vec<ContextFile> = if args.context.is_empty() {
        Vec::new()
    } else {
        file_set::whole(&root, &args.context, false)?
            .files
            .into_iter()
            .filter(|f| !f.is_binary())
            .map(|f| ContextFile {
                path: f.path,
                content: f.content,
            })
            .collect()
    };

    let progress = Progress::new();
    let deadline = Instant::now() + Duration::from_secs(c.timeout);
    let mut stream = Some(EventStream::open(&backend, None).await?);
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for f in &files {
        let body = json!({
            "project_id": project,
            "path": f.path,
            "content": f.content,
            "context": context.iter().filter(|c| c.path != f.path).collect::<Vec<_>>(),
            "style": args.style,
            "mode": args.mode,
        });
        let job = backend
            .call(
                reqwest::Method::POST,
                &backend.url("/api/v1/ai-docs"),
                Some(&body),
            )
            .await
            .with_context(|| format!("AI documentation of {}", f.path))?;
        let job_id = job["job_id"].as_str().context("the answer has no job_id")?;
        progress.note(&format!("ai_docs {job_id} queued ({})", f.path));
        progress.waiting(&format!("waiting for the documentation of {}", f.path));
        let status_url = backend.url(&format!("/api/v1/ai-docs/{job_id}"));
        let status = wait_for_job(
            &backend,
            &mut stream,
            "ai_docs",
            job_id,
            &status_url,
            deadline,
            &progress,
        )
        .await?;
        if status["status"] != "succeeded" {
            let why = status["failure_reason"]
                .as_str()
                .unwrap_or("no reason given");
            failures.push(format!("{}: {why}", f.path));
        } else if !c.json {
            progress.suspend(|| print_document(&status));
        }
        results.push(status);
    }
    progress.done();
    let failure = match failures.as_slice() {
        [] => None,
        [one] => Some(format!("AI documentation failed for {one}")),
        [first, ..] => Some(format!(
            "AI documentation failed for {} of {} files; first: {first}",
            failures.len(),
            files.len()
        )),
    };
    Ok(Outcome {
        report: Some(json!({ "kind": "ai_docs", "jobs": results })),
        failure,
    })
}

fn print_document(status: &Value) {
    let doc = &status["document"];
    let provider = &doc["provider"];
    println!(
        "== {} (job {}, {} {})",
        status["path"].as_str().unwrap_or_default(),
        status["job_id"].as_str().unwrap_or_default(),
        provider["name"].as_str().unwrap_or("-"),
        provider["model"].as_str().unwrap_or("-"),
    );
    println!("Summary");
    for line in doc["summary"].as_str().unwrap_or_default().lines() {
        println!("  {line}");
    }
    let diff = doc["diff"].as_str().unwrap_or_default();
    if !diff.is_empty() {
        println!("Suggestions (git apply takes this diff)");
        for line in diff.lines() {
            println!("  {line}");
        }
    }
    let comments = doc["inline_comments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !comments.is_empty() {
        println!("Comments");
        for cm in &comments {
            // The comment's text on one line, without its `/** * */` frame.
            let body: Vec<&str> = cm["body"]
                .as_str()
                .unwrap_or_default()
                .lines()
                .map(|l| l.trim().trim_start_matches("/**").trim_end_matches("*/"))
                .map(|l| l.trim().trim_start_matches('*').trim())
                .filter(|l| !l.is_empty())
                .collect();
            let body = body.join(" ");
            println!(
                "  {}:{} {}: {body}",
                cm["path"].as_str().unwrap_or_default(),
                cm["line"],
                cm["symbol"].as_str().unwrap_or_default(),
            );
        }
    }
    for w in doc["warnings"].as_array().into_iter().flatten() {
        println!("warning: {}", w.as_str().unwrap_or_default());
    }
}
