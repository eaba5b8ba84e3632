//! `hivesync admin ...`: the admin API from a terminal (list workers, disable / enable one,
//! recent jobs, security / routing / worker events, worker logs; users, projects and scoped
//! API keys). It talks to a running backend
//! over HTTP with the admin key: `--url` and `--key` (or `HIVESYNC_URL`, `HIVESYNC_ADMIN_KEY`),
//! else the `base_url` and `admin_key` of `hivesync dev`'s `DATA_DIR/demo.json`.

use std::path::PathBuf;

use anyhow::Result;
use serde_json::{Value, json};

use crate::api_client::{Backend, DemoKey};

/// Arguments of `hivesync admin`.
#[derive(clap::Args, Debug)]
pub struct AdminArgs {
    /// The backend, e.g. http://127.0.0.1:8080 (default: demo.json's, else that).
    #[arg(long, env = "HIVESYNC_URL")]
    pub url: Option<String>,
    /// The admin key (default: demo.json's).
    #[arg(long, env = "HIVESYNC_ADMIN_KEY", hide_env_values = true)]
    pub key: Option<String>,
    /// `hivesync dev`'s data folder, for demo.json.
    #[arg(long, default_value = ".hivesync")]
    pub data_dir: PathBuf,
    /// Print the API's JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub what: What,
}

/// What to do.
#[derive(clap::Subcommand, Debug)]
pub enum What {
    /// Workers: list, disable, enable, logs.
    Workers {
        #[command(subcommand)]
        action: Option<WorkerAction>,
    },
    /// Recent jobs with durations and failures.
    Jobs {
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Security events, GPU fallbacks (routing) or worker health/status changes.
    Events {
        /// security, routing or workers.
        #[arg(value_parser = ["security", "routing", "workers"])]
        kind: String,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// API keys: create (shown once), list, revoke.
    Keys {
        #[command(subcommand)]
        action: KeyAction,
    },
    /// Users: create.
    Users {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Projects: create.
    Projects {
        #[command(subcommand)]
        action: ProjectAction,
    },
}

/// An API-key action.
#[derive(clap::Subcommand, Debug)]
pub enum KeyAction {
    /// Create a key for a user; prints it once (only its hash is stored).
    Create {
        /// The owner's e-mail address.
        #[arg(long)]
        user: String,
        /// `client` (desktop, editor, terminal), `ci` (submit jobs and read results) or
        /// `admin`.
        #[arg(long, value_parser = ["client", "ci", "admin"], default_value = "client")]
        scope: String,
        /// What the key is for.
        #[arg(long)]
        name: String,
    },
    /// List keys (all, or one user's).
    List {
        /// Only this user's (e-mail address).
        #[arg(long)]
        user: Option<String>,
        /// How many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Revoke a key: it stops working at once.
    Revoke {
        /// The key's id (from the list).
        id: String,
    },
}

/// A user action.
#[derive(clap::Subcommand, Debug)]
pub enum UserAction {
    /// Create a user.
    Create {
        /// E-mail address.
        email: String,
        /// free, pro or premium.
        #[arg(long, value_parser = ["free", "pro", "premium"], default_value = "free")]
        tier: String,
    },
}

/// A project action.
#[derive(clap::Subcommand, Debug)]
pub enum ProjectAction {
    /// Create a project owned by a user.
    Create {
        /// The project's name.
        name: String,
        /// The owner's e-mail address.
        #[arg(long)]
        owner: String,
        /// Not a mobile app: device previews are refused.
        #[arg(long)]
        not_mobile: bool,
    },
}

/// A worker action.
#[derive(clap::Subcommand, Debug)]
pub enum WorkerAction {
    /// List workers with their health (the default).
    List,
    /// Disable a worker: it claims nothing and its callbacks are refused.
    Disable {
        /// Worker id.
        id: String,
        /// Why (recorded with the change).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Enable a worker again.
    Enable {
        /// Worker id.
        id: String,
        /// Why (recorded with the change).
        #[arg(long)]
        reason: Option<String>,
    },
    /// List a worker's stored log batches, or print one (`--show TIMESTAMP`).
    Logs {
        /// Worker id.
        id: String,
        /// The batch's timestamp (from the list).
        #[arg(long)]
        show: Option<u64>,
    },
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn table(rows: &[Vec<String>]) {
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
}

/// Turns an API answer into table rows (the first one the header).
type Rows = dyn Fn(&Value) -> Vec<Vec<String>>;

/// Runs `hivesync admin`.
pub async fn run(args: AdminArgs) -> Result<()> {
    let backend = Backend::resolve(
        args.url.as_deref(),
        args.key.as_deref(),
        &args.data_dir,
        DemoKey::Admin,
        "no admin key: pass --key or set HIVESYNC_ADMIN_KEY",
    )?;
    let api = backend.url("/api/v1/admin");
    let get = reqwest::Method::GET;
    let call = |method: reqwest::Method, url: String, body: Option<Value>| {
        let backend = &backend;
        async move { backend.call(method, &url, body.as_ref()).await }
    };
    let (v, rows): (Value, Box<Rows>) = match &args.what {
        What::Workers { action } => match action.as_ref().unwrap_or(&WorkerAction::List) {
            WorkerAction::List => (
                call(get, format!("{api}/workers"), None).await?,
                Box::new(|v: &Value| {
                    let mut rows = vec![
                        [
                            "ID",
                            "TYPE",
                            "STATUS",
                            "HEALTH",
                            "HEARTBEAT",
                            "RUNNING",
                            "ERRORS",
                            "WHY",
                        ]
                        .map(String::from)
                        .to_vec(),
                    ];
                    for w in v["workers"].as_array().into_iter().flatten() {
                        rows.push(vec![
                            s(&w["id"]),
                            s(&w["type"]),
                            s(&w["status"]),
                            s(&w["health"]),
                            w["heartbeat_age_seconds"]
                                .as_i64()
                                .map(|a| format!("{a}s ago"))
                                .unwrap_or("-".into()),
                            format!("{}/{}", s(&w["running_jobs"]), s(&w["capacity"])),
                            format!(
                                "{}/{}",
                                s(&w["recent_worker_failures"]),
                                s(&w["recent_jobs"])
                            ),
                            s(&w["health_reason"]),
                        ]);
                    }
                    rows
                }),
            ),
            WorkerAction::Disable { id, reason } | WorkerAction::Enable { id, reason } => {
                let verb = if matches!(action, Some(WorkerAction::Disable { .. })) {
                    "disable"
                } else {
                    "enable"
                };
                let body = reason.as_ref().map(|r| json!({ "reason": r }));
                (
                    call(
                        reqwest::Method::POST,
                        format!("{api}/workers/{id}/{verb}"),
                        body,
                    )
                    .await?,
                    Box::new(|v: &Value| {
                        vec![vec![format!(
                            "{}: {}{}",
                            s(&v["worker_id"]),
                            s(&v["status"]),
                            if v["changed"] == true {
                                ""
                            } else {
                                " (unchanged)"
                            }
                        )]]
                    }),
                )
            }
            WorkerAction::Logs { id, show: Some(ts) } => {
                let v = call(get, format!("{api}/workers/{id}/logs/{ts}"), None).await?;
                println!("{}", serde_json::to_string_pretty(&v)?);
                return Ok(());
            }
            WorkerAction::Logs { id, show: None } => (
                call(get, format!("{api}/workers/{id}/logs"), None).await?,
                Box::new(|v: &Value| {
                    let mut rows = vec![["KEY", "EVENTS", "BYTES"].map(String::from).to_vec()];
                    for l in v["logs"].as_array().into_iter().flatten() {
                        rows.push(vec![s(&l["key"]), s(&l["events"]), s(&l["bytes"])]);
                    }
                    rows
                }),
            ),
        },
        What::Jobs { limit } => (
            call(get, format!("{api}/jobs?limit={limit}"), None).await?,
            Box::new(|v: &Value| {
                let mut rows = vec![
                    [
                        "JOB", "KIND", "TIER", "STATE", "WORKER", "WAIT_MS", "RUN_MS", "FAILURE",
                    ]
                    .map(String::from)
                    .to_vec(),
                ];
                for j in v["jobs"].as_array().into_iter().flatten() {
                    let failure = match (&j["failure_cause"], &j["failure_reason"]) {
                        (Value::String(c), Value::String(r)) => format!("{c}: {r}"),
                        _ => "-".into(),
                    };
                    rows.push(vec![
                        s(&j["id"]),
                        s(&j["kind"]),
                        s(&j["tier"]),
                        s(&j["state"]),
                        s(&j["worker_id"]),
                        s(&j["wait_ms"]),
                        s(&j["run_ms"]),
                        failure,
                    ]);
                }
                rows
            }),
        ),
        What::Keys { action } => match action {
            KeyAction::Create { user, scope, name } => (
                call(
                    reqwest::Method::POST,
                    format!("{api}/keys"),
                    Some(json!({ "user": user, "scope": scope, "name": name })),
                )
                .await?,
                Box::new(|v: &Value| {
                    vec![
                        vec![format!(
                            "created {} key {} for {} ({}):",
                            s(&v["scope"]),
                            s(&v["id"]),
                            s(&v["user"]),
                            s(&v["name"])
                        )],
                        vec![s(&v["key"])],
                        vec!["store it now: it is not shown again".to_owned()],
                    ]
                }),
            ),
            KeyAction::List { user, limit } => {
                let mut url = reqwest::Url::parse(&format!("{api}/keys"))?;
                url.query_pairs_mut()
                    .append_pair("limit", &limit.to_string());
                if let Some(u) = user {
                    url.query_pairs_mut().append_pair("user", u);
                }
                (
                    call(get, url.to_string(), None).await?,
                    Box::new(|v: &Value| {
                        let mut rows = vec![
                            [
                                "ID",
                                "USER",
                                "SCOPE",
                                "NAME",
                                "PREFIX",
                                "LAST_USED",
                                "REVOKED",
                            ]
                            .map(String::from)
                            .to_vec(),
                        ];
                        for k in v["keys"].as_array().into_iter().flatten() {
                            rows.push(vec![
                                s(&k["id"]),
                                s(&k["user"]),
                                s(&k["scope"]),
                                s(&k["name"]),
                                s(&k["prefix"]),
                                s(&k["last_used_at"]),
                                s(&k["revoked_at"]),
                            ]);
                        }
                        rows
                    }),
                )
            }
            KeyAction::Revoke { id } => (
                call(reqwest::Method::DELETE, format!("{api}/keys/{id}"), None).await?,
                Box::new(|v: &Value| {
                    let how = if v["revoked_now"] == true {
                        "revoked"
                    } else {
                        "was already revoked"
                    };
                    vec![vec![format!("{}: {how}", s(&v["id"]))]]
                }),
            ),
        },
        What::Users {
            action: UserAction::Create { email, tier },
        } => (
            call(
                reqwest::Method::POST,
                format!("{api}/users"),
                Some(json!({ "email": email, "tier": tier })),
            )
            .await?,
            Box::new(|v: &Value| {
                vec![vec![format!(
                    "created user {} ({}, {})",
                    s(&v["email"]),
                    s(&v["id"]),
                    s(&v["tier"])
                )]]
            }),
        ),
        What::Projects {
            action:
                ProjectAction::Create {
                    name,
                    owner,
                    not_mobile,
                },
        } => (
            call(
                reqwest::Method::POST,
                format!("{api}/projects"),
                Some(json!({ "owner": owner, "name": name, "is_mobile_app": !not_mobile })),
            )
            .await?,
            Box::new(|v: &Value| {
                vec![vec![format!(
                    "created project {} ({})",
                    s(&v["name"]),
                    s(&v["id"])
                )]]
            }),
        ),
        What::Events { kind, limit } => (
            call(get, format!("{api}/events/{kind}?limit={limit}"), None).await?,
            Box::new(|v: &Value| {
                let events = v["events"].as_array().cloned().unwrap_or_default();
                let Some(first) = events.first().and_then(Value::as_object) else {
                    return vec![vec!["(none)".to_owned()]];
                };
                let cols: Vec<String> = first.keys().cloned().collect();
                let mut rows = vec![cols.iter().map(|c| c.to_uppercase()).collect()];
                for e in &events {
                    rows.push(cols.iter().map(|c| s(&e[c.as_str()])).collect());
                }
                rows
            }),
        ),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        table(&rows(&v));
    }
    Ok(())
}
