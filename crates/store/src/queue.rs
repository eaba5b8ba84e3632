//! The durable job queue: enqueue, the tier-priority claim with GPU routing, leases, and the
//! guarded transitions to final states. See the state machine in
//! `migrations/postgres/0001_initial.sql` and [`hivesync_core::JobState`].

use hivesync_core::client_events::ClientEvent;
use hivesync_core::ids::{JobId, ProjectId, UserId, WorkerId};
use hivesync_core::{DeviceType, JobKind, JobState, Platform, Tier, WorkerType};
use sqlx::Row;

use crate::{Result, Store, StoreError, in_write_tx, on_db, parse_set};

/// The reason given when a worker vanished mid-job.
pub const WORKER_LOST: &str = "worker lost, please retry";
/// The reason given when the worker running a job was disabled by an operator.
pub const WORKER_DISABLED: &str =
    "the worker running this job was disabled by an operator, please retry";
/// The reason given when no worker took a job before it expired.
pub const EXPIRED_IN_QUEUE: &str = "no worker was free before the job expired, please retry";

/// A preview job to enqueue.
#[derive(Debug, Clone)]
pub struct NewPreviewJob {
    /// The project.
    pub project_id: ProjectId,
    /// Who asked.
    pub user_id: UserId,
    /// Their tier at request time (fixed for the job's life).
    pub tier: Tier,
    /// Target platform.
    pub platform: Platform,
    /// Devices allowed to fetch it.
    pub device_types: Vec<DeviceType>,
    /// Safe-mode preview flag.
    pub safe_mode: bool,
    /// Size of the request body, bytes.
    pub request_bytes: i64,
    /// Number of files compiled.
    pub file_count: i32,
    /// The worker's input (JSON: files, target, screens).
    pub input: String,
    /// When the job (and its token) stops being valid (ms).
    pub expires_at: i64,
}

/// A job as the API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Id.
    pub id: JobId,
    /// Preview or AI docs.
    pub kind: JobKind,
    /// Project.
    pub project_id: ProjectId,
    /// Requesting user.
    pub user_id: UserId,
    /// Tier at request time.
    pub tier: Tier,
    /// State.
    pub state: JobState,
    /// Worker holding or having held it.
    pub worker_id: Option<WorkerId>,
    /// Created (ms).
    pub created_at: i64,
    /// Claimed (ms).
    pub claimed_at: Option<i64>,
    /// Lease end while running (ms).
    pub lease_expires_at: Option<i64>,
    /// Finished (ms).
    pub finished_at: Option<i64>,
    /// Not valid after (ms).
    pub expires_at: i64,
    /// Why it failed, in words a user can act on.
    pub failure_reason: Option<String>,
}

/// The preview-specific part of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewSpec {
    /// Target platform.
    pub platform: Platform,
    /// Devices allowed to fetch it.
    pub device_types: Vec<DeviceType>,
    /// Safe-mode preview flag.
    pub safe_mode: bool,
    /// The worker's input (JSON).
    pub input: String,
}

/// What a worker gets from a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    /// The job, now `running` under this worker's lease.
    pub job: Job,
    /// Set for preview jobs.
    pub preview: Option<PreviewSpec>,
    /// Set for AI documentation jobs.
    pub ai_docs: Option<crate::ai_docs::AiDocsSpec>,
    /// True when a CPU worker took a Premium job because no healthy GPU worker existed
    /// (a `routing_events` row was written in the same transaction).
    pub gpu_fallback: bool,
}

/// How the claim routes Premium work.
#[derive(Debug, Clone, Copy)]
pub struct Routing {
    /// Prefer GPU workers for Premium jobs.
    pub prefer_gpu_for_premium: bool,
    /// How long a Premium job waits for a GPU worker before a CPU worker may take it (ms).
    pub gpu_fallback_wait_ms: i64,
    /// Heartbeat age after which a worker is unhealthy (ms).
    pub heartbeat_timeout_ms: i64,
}

/// One stored screen of a finished preview.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenRecord {
    /// Screen id (unique across jobs).
    pub screen_id: String,
    /// The device type it was compiled for.
    pub device_type: DeviceType,
    /// Screen name in the app.
    pub name: String,
    /// Storage key of its layout.json.
    pub layout_key: String,
    /// Storage keys of its assets (JSON array text).
    pub asset_keys: Vec<String>,
    /// Warnings (JSON array text).
    pub warnings: serde_json::Value,
}

/// A job that a sweep moved to `failed`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweptJob {
    /// The job.
    pub id: JobId,
    /// Its project (to notify clients).
    pub project_id: ProjectId,
    /// Its kind.
    pub kind: JobKind,
    /// Its tier.
    pub tier: Tier,
    /// Why it failed.
    pub reason: &'static str,
}

/// `SELECT` of every `jobs` column, as a literal so queries stay static strings.
macro_rules! select_job {
    ($rest:literal) => {
        concat!(
            "SELECT id, kind, project_id, user_id, tier, state, worker_id, created_at, claimed_at, ",
            "lease_expires_at, finished_at, expires_at, failure_reason FROM jobs ",
            $rest
        )
    };
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

pub(crate) fn job_from_row<R: Row>(r: &R) -> Result<Job>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database>,
{
    let worker: Option<String> = r.try_get("worker_id")?;
    Ok(Job {
        id: JobId::parse(&r.try_get::<String, _>("id")?).map_err(corrupt)?,
        kind: parse_set("jobs.kind", &r.try_get::<String, _>("kind")?)?,
        project_id: ProjectId::parse(&r.try_get::<String, _>("project_id")?).map_err(corrupt)?,
        user_id: UserId::parse(&r.try_get::<String, _>("user_id")?).map_err(corrupt)?,
        tier: parse_set("jobs.tier", &r.try_get::<String, _>("tier")?)?,
        state: parse_set("jobs.state", &r.try_get::<String, _>("state")?)?,
        worker_id: worker
            .map(|w| WorkerId::parse(&w).map_err(corrupt))
            .transpose()?,
        created_at: r.try_get("created_at")?,
        claimed_at: r.try_get("claimed_at")?,
        lease_expires_at: r.try_get("lease_expires_at")?,
        finished_at: r.try_get("finished_at")?,
        expires_at: r.try_get("expires_at")?,
        failure_reason: r.try_get("failure_reason")?,
    })
}

pub(crate) fn device_types_text(types: &[DeviceType]) -> String {
    types
        .iter()
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The columns of `preview_jobs` a [`PreviewSpec`] is read from, in [`SELECT_SPEC`]'s order.
type SpecRow = (String, String, bool, String);
const SELECT_SPEC: &str =
    "SELECT platform, device_types, safe_mode, input FROM preview_jobs WHERE job_id = $1";

fn spec_from_row((platform, devices, safe_mode, input): SpecRow) -> Result<PreviewSpec> {
    Ok(PreviewSpec {
        platform: parse_set("preview_jobs.platform", &platform)?,
        device_types: parse_device_types(&devices)?,
        safe_mode,
        input,
    })
}

fn parse_device_types(text: &str) -> Result<Vec<DeviceType>> {
    text.split(',')
        .map(|t| parse_set("preview_jobs.device_types", t))
        .collect()
}

impl Store {
    /// Enqueues a preview job in state `queued`.
    #[cfg(feature = "testing")]
    pub async fn enqueue_preview(&self, new: &NewPreviewJob, now: i64) -> Result<JobId> {
        if new.device_types.is_empty() {
            return Err(StoreError::Constraint(
                "a preview job needs at least one device type".into(),
            ));
        }
        let id = JobId::new_random();
        let is_pg = self.pg_pool().is_some();
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            insert_preview_in!(tx, is_pg, id, new, &new.input, new.file_count, now);
            tx.commit().await?;
        });
        self.wake_jobs();
        Ok(id)
    }

    /// A job by id.
    pub async fn job(&self, id: JobId) -> Result<Option<Job>> {
        on_db!(self, pool => {
            let row = sqlx::query(select_job!("WHERE id = $1")).bind(id.to_string()).fetch_optional(pool).await?;
            row.as_ref().map(job_from_row).transpose()
        })
    }

    /// The preview part of a job.
    pub async fn preview_spec(&self, id: JobId) -> Result<Option<PreviewSpec>> {
        let row: Option<SpecRow> = on_db!(self, pool => {
            sqlx::query_as(SELECT_SPEC)
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.map(spec_from_row).transpose()
    }

    /// Claims the next job this worker may run, if any: Premium before Pro before Free, FIFO
    /// within a tier; GPU workers take only Premium; CPU workers take Premium only when no
    /// healthy GPU worker exists and the job has waited `gpu_fallback_wait_ms` (each such
    /// fallback writes a `routing_events` row in the same transaction).
    pub async fn claim(
        &self,
        worker: &WorkerId,
        worker_type: WorkerType,
        routing: &Routing,
        lease_ms: i64,
        now: i64,
    ) -> Result<Option<Claimed>> {
        let is_gpu = worker_type == WorkerType::Gpu;
        let healthy_since = now - routing.heartbeat_timeout_ms;
        let fallback_before = now - routing.gpu_fallback_wait_ms;
        let fallback_possible = !is_gpu && routing.prefer_gpu_for_premium;
        // One body for both drivers; only the SQL file differs (and SQLite takes its write
        // lock at BEGIN, see `in_write_tx`).
        let sql = match self.driver() {
            crate::Driver::Postgres => include_str!("../sql/postgres/claim.sql"),
            crate::Driver::Sqlite => include_str!("../sql/sqlite/claim.sql"),
        };
        let claimed = in_write_tx!(self, tx => {
            let row = sqlx::query(sql)
                .bind(worker.as_str())
                .bind(now)
                .bind(now + lease_ms)
                .bind(is_gpu)
                .bind(routing.prefer_gpu_for_premium)
                .bind(healthy_since)
                .bind(fallback_before)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let id: String = row.try_get("id")?;
            let full = sqlx::query(select_job!("WHERE id = $1"))
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
            let job = job_from_row(&full)?;
            let preview = if job.kind == JobKind::Preview {
                let row: SpecRow = sqlx::query_as(SELECT_SPEC).bind(&id).fetch_one(&mut *tx).await?;
                Some(spec_from_row(row)?)
            } else {
                None
            };
            let ai_docs = if job.kind == JobKind::AiDocs {
                let row: crate::ai_docs::AiSpecRow = sqlx::query_as(crate::ai_docs::SELECT_AI_SPEC).bind(&id).fetch_one(&mut *tx).await?;
                Some(crate::ai_docs::ai_spec_from_row(row))
            } else {
                None
            };
            let gpu_fallback = fallback_possible && job.tier == Tier::Premium;
            if gpu_fallback {
                sqlx::query(
                    "INSERT INTO routing_events (job_id, worker_id, tier, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&id)
                .bind(worker.as_str())
                .bind(job.tier.as_str())
                .bind(format!(
                    "no healthy GPU worker; premium job taken by CPU worker after waiting {} ms",
                    now - job.created_at
                ))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Claimed { job, preview, ai_docs, gpu_fallback }
        });
        Ok(Some(claimed))
    }

    /// Extends a running job's lease; false when the job is no longer this worker's or the
    /// worker was disabled (the worker must stop working on it).
    pub async fn extend_lease(
        &self,
        id: JobId,
        worker: &WorkerId,
        lease_until: i64,
        now: i64,
    ) -> Result<bool> {
        let n = on_db!(self, pool => {
            sqlx::query(
                "UPDATE jobs SET lease_expires_at = $1 \
                 WHERE id = $2 AND state = 'running' AND worker_id = $3 AND lease_expires_at >= $4 \
                 AND EXISTS (SELECT 1 FROM worker_nodes w WHERE w.id = $3 AND w.status = 'active')",
            )
            .bind(lease_until)
            .bind(id.to_string())
            .bind(worker.as_str())
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }

    /// Moves a running job of `worker` to `failed` with `reason` (the user's project's fault)
    /// and raises `event`, in one transaction; false (nothing written) when it was not running
    /// under it.
    pub async fn fail_job(
        &self,
        job: &Job,
        worker: &WorkerId,
        reason: &str,
        event: &ClientEvent,
        now: i64,
    ) -> Result<bool> {
        self.fail_job_with_cause(job, worker, reason, FailureCause::User, event, now)
            .await
    }

    /// [`Store::fail_job`] with the failure's cause.
    pub async fn fail_job_with_cause(
        &self,
        job: &Job,
        worker: &WorkerId,
        reason: &str,
        cause: FailureCause,
        event: &ClientEvent,
        now: i64,
    ) -> Result<bool> {
        let is_pg = self.pg_pool().is_some();
        let moved = on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE jobs SET state = 'failed', finished_at = $1, failure_reason = $2, lease_expires_at = NULL, failure_cause = $5 \
                 WHERE id = $3 AND state = 'running' AND worker_id = $4",
            )
            .bind(now)
            .bind(reason)
            .bind(job.id.to_string())
            .bind(worker.as_str())
            .bind(cause.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                crate::events::append_event_in!(tx, is_pg, event, now);
                tx.commit().await?;
            }
            n == 1
        });
        if moved {
            self.wake_events();
        }
        Ok(moved)
    }

    /// The stored screens of a preview job, in insertion order.
    pub async fn preview_screens(&self, id: JobId) -> Result<Vec<ScreenRecord>> {
        let rows: Vec<(String, String, String, String, String, String)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT screen_id, name, layout_key, asset_keys, warnings, device_type FROM preview_screens \
                 WHERE job_id = $1 ORDER BY created_at, screen_id",
            )
            .bind(id.to_string())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(screen_id, name, layout_key, assets, warnings, device)| {
                Ok(ScreenRecord {
                    screen_id,
                    device_type: parse_set("preview_screens.device_type", &device)?,
                    name,
                    layout_key,
                    asset_keys: serde_json::from_str(&assets).map_err(corrupt)?,
                    warnings: serde_json::from_str(&warnings).map_err(corrupt)?,
                })
            })
            .collect()
    }

    /// Fails running jobs whose lease ran out (their worker is gone) and queued jobs that
    /// expired before any worker took them, and raises each one's failure event (status URLs
    /// under `public_url`) in the same transaction (no failed job without its event). Safe to
    /// run on every replica at once.
    pub async fn sweep_jobs(&self, now: i64, public_url: &str) -> Result<Vec<SweptJob>> {
        const LEASE_SQL: &str = "UPDATE jobs SET state = 'failed', finished_at = $1, \
            failure_reason = CASE WHEN EXISTS (SELECT 1 FROM worker_nodes w WHERE w.id = jobs.worker_id \
            AND w.status = 'disabled') THEN $3 ELSE $2 END, \
            failure_cause = CASE WHEN EXISTS (SELECT 1 FROM worker_nodes w WHERE w.id = jobs.worker_id \
            AND w.status = 'disabled') THEN 'system' ELSE 'worker' END, \
            lease_expires_at = NULL WHERE state = 'running' AND lease_expires_at < $1 \
            RETURNING id, project_id, kind, failure_reason, tier";
        const QUEUE_SQL: &str = "UPDATE jobs SET state = 'failed', finished_at = $1, failure_reason = $2, failure_cause = 'system' \
            WHERE state = 'queued' AND expires_at <= $1 \
            RETURNING id, project_id, kind, failure_reason, tier";
        let is_pg = self.pg_pool().is_some();
        let mut out = Vec::new();
        for (sql, reason) in [(LEASE_SQL, WORKER_LOST), (QUEUE_SQL, EXPIRED_IN_QUEUE)] {
            on_db!(self, pool => {
                let mut tx = pool.begin().await?;
                let mut query = sqlx::query_as(sql).bind(now).bind(reason);
                if sql == LEASE_SQL {
                    query = query.bind(WORKER_DISABLED);
                }
                let rows: Vec<(String, String, String, String, String)> = query.fetch_all(&mut *tx).await?;
                for (id, project, kind, given, tier) in rows {
                    let job = SweptJob {
                        id: JobId::parse(&id).map_err(corrupt)?,
                        project_id: ProjectId::parse(&project).map_err(corrupt)?,
                        kind: parse_set("jobs.kind", &kind)?,
                        tier: parse_set("jobs.tier", &tier)?,
                        reason: if given == WORKER_DISABLED { WORKER_DISABLED } else { reason },
                    };
                    let event = ClientEvent::failed(public_url, job.kind, job.id, job.project_id, job.reason);
                    crate::events::append_event_in!(tx, is_pg, &event, now);
                    out.push(job);
                }
                tx.commit().await?;
            });
        }
        if !out.is_empty() {
            self.wake_events();
        }
        Ok(out)
    }

    /// Jobs in `queued` state (the queue depth).
    pub async fn queue_depth(&self) -> Result<i64> {
        Ok(on_db!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'queued'").fetch_one(pool).await?
        }))
    }
}

/// How a callback ends a job.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The preview succeeded with these screens.
    Succeeded(Vec<ScreenRecord>),
    /// The AI documentation job succeeded; its document is stored under this key.
    DocsStored(String),
    /// The job failed because of the user's project; the reason is shown to the user.
    Failed(String),
    /// The job failed because of the worker (it counts against the worker's health).
    WorkerFailed(String),
}

/// Whose fault a failure was (`jobs.failure_cause`); only [`FailureCause::Worker`] counts
/// against a worker's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureCause {
    /// The project: it does not compile, is too big, takes too long.
    User,
    /// The worker: it crashed, could not store or report the result, or was lost.
    Worker,
    /// Neither: the job expired in the queue, or its worker was disabled.
    System,
}

impl FailureCause {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureCause::User => "user",
            FailureCause::Worker => "worker",
            FailureCause::System => "system",
        }
    }
}

/// Why a callback could not be applied (nothing was changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackRefusal {
    /// The `webhook-id` was accepted before.
    Replayed,
    /// The job is not running under this worker (finished, swept, or someone else's).
    NotRunning,
}

impl Store {
    /// Applies a verified callback in one transaction: records the callback id (refusing a
    /// replay), moves the job from `running` under `worker` to its final state, stores the
    /// screens, and appends the client event (PostgreSQL notifies at commit). On any refusal
    /// nothing is written.
    pub async fn apply_callback(
        &self,
        job: &Job,
        worker: &WorkerId,
        webhook_id: &str,
        outcome: &Outcome,
        event: &ClientEvent,
        now: i64,
    ) -> Result<Result<i64, CallbackRefusal>> {
        let is_pg = self.pg_pool().is_some();
        let (state, reason, cause) = match outcome {
            Outcome::Succeeded(_) | Outcome::DocsStored(_) => ("succeeded", None, None),
            Outcome::Failed(r) => (
                "failed",
                Some(r.as_str()),
                Some(FailureCause::User.as_str()),
            ),
            Outcome::WorkerFailed(r) => (
                "failed",
                Some(r.as_str()),
                Some(FailureCause::Worker.as_str()),
            ),
        };
        let result = on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let fresh = sqlx::query(
                "INSERT INTO callback_receipts (webhook_id, worker_id, received_at) VALUES ($1, $2, $3) ON CONFLICT (webhook_id) DO NOTHING",
            )
            .bind(webhook_id)
            .bind(worker.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if fresh == 0 {
                return Ok(Err(CallbackRefusal::Replayed));
            }
            let moved = sqlx::query(
                "UPDATE jobs SET state = $1, finished_at = $2, failure_reason = $3, lease_expires_at = NULL, failure_cause = $6 \
                 WHERE id = $4 AND state = 'running' AND worker_id = $5",
            )
            .bind(state)
            .bind(now)
            .bind(reason)
            .bind(job.id.to_string())
            .bind(worker.as_str())
            .bind(cause)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved != 1 {
                return Ok(Err(CallbackRefusal::NotRunning));
            }
            if let Outcome::Succeeded(screens) = outcome {
                for s in screens {
                    sqlx::query(
                        "INSERT INTO preview_screens (screen_id, job_id, name, layout_key, asset_keys, warnings, created_at, device_type) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&s.screen_id)
                    .bind(job.id.to_string())
                    .bind(&s.name)
                    .bind(&s.layout_key)
                    .bind(serde_json::to_string(&s.asset_keys).expect("strings serialize"))
                    .bind(s.warnings.to_string())
                    .bind(now)
                    .bind(s.device_type.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::classify)?;
                }
            }
            if let Outcome::DocsStored(key) = outcome {
                sqlx::query("UPDATE ai_doc_jobs SET result_key = $1 WHERE job_id = $2")
                    .bind(key)
                    .bind(job.id.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            let event_id = crate::events::append_event_in!(tx, is_pg, event, now);
            tx.commit().await?;
            Ok::<_, StoreError>(Ok(event_id))
        })?;
        if result.is_ok() {
            self.wake_events();
        }
        Ok(result)
    }

    /// Appends a client event on its own.
    #[cfg(feature = "testing")]
    pub async fn append_event(&self, event: &ClientEvent, now: i64) -> Result<i64> {
        let is_pg = self.pg_pool().is_some();
        let id = on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = crate::events::append_event_in!(tx, is_pg, event, now);
            tx.commit().await?;
            id
        });
        self.wake_events();
        Ok(id)
    }

    /// Jobs of `kind` that `user` created at or after `since` (ms), and the oldest one's creation
    /// time: the counts the admission checks ([`Store::submit_preview`]), read on their own.
    #[cfg(feature = "testing")]
    pub async fn jobs_since(
        &self,
        user: UserId,
        kind: JobKind,
        since: i64,
    ) -> Result<(i64, Option<i64>)> {
        Ok(on_db!(self, pool => {
            sqlx::query_as(crate::admission::RECENT_JOBS_SQL)
                .bind(user.to_string())
                .bind(kind.as_str())
                .bind(since)
                .fetch_one(pool)
                .await?
        }))
    }

    /// Jobs of `kind` that `user` created at or after `since` (ms).
    #[cfg(feature = "testing")]
    pub async fn count_jobs_since(&self, user: UserId, kind: JobKind, since: i64) -> Result<i64> {
        Ok(self.jobs_since(user, kind, since).await?.0)
    }

    /// The creation time (ms) of the oldest of `user`'s `kind` jobs at or after `since`.
    #[cfg(feature = "testing")]
    pub async fn oldest_job_since(
        &self,
        user: UserId,
        kind: JobKind,
        since: i64,
    ) -> Result<Option<i64>> {
        Ok(self.jobs_since(user, kind, since).await?.1)
    }

    /// Jobs of `kind` of `user` that are queued or running.
    #[cfg(feature = "testing")]
    pub async fn count_active_jobs(&self, user: UserId, kind: JobKind) -> Result<i64> {
        Ok(on_db!(self, pool => {
            sqlx::query_scalar(crate::admission::ACTIVE_JOBS_SQL)
                .bind(user.to_string())
                .bind(kind.as_str())
                .fetch_one(pool)
                .await?
        }))
    }
}

/// Inside transaction `tx`: inserts preview job `id` (state `queued`) with `input`, and
/// notifies PostgreSQL's job listeners at commit.
macro_rules! insert_preview_in {
    ($tx:expr, $is_pg:expr, $id:expr, $new:expr, $input:expr, $file_count:expr, $now:expr) => {{
        let new: &$crate::queue::NewPreviewJob = $new;
        sqlx::query(
            "INSERT INTO jobs (id, kind, project_id, user_id, tier, priority, state, created_at, expires_at) \
             VALUES ($1, 'preview', $2, $3, $4, $5, 'queued', $6, $7)",
        )
        .bind($id.to_string())
        .bind(new.project_id.to_string())
        .bind(new.user_id.to_string())
        .bind(new.tier.as_str())
        .bind(new.tier.priority())
        .bind($now)
        .bind(new.expires_at)
        .execute(&mut *$tx)
        .await
        .map_err($crate::StoreError::classify)?;
        sqlx::query(
            "INSERT INTO preview_jobs (job_id, platform, device_types, safe_mode, request_bytes, file_count, input) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($id.to_string())
        .bind(new.platform.as_str())
        .bind($crate::queue::device_types_text(&new.device_types))
        .bind(new.safe_mode)
        .bind(new.request_bytes)
        .bind($file_count)
        .bind($input)
        .execute(&mut *$tx)
        .await
        .map_err($crate::StoreError::classify)?;
        if $is_pg {
            sqlx::query("SELECT pg_notify('hivesync_jobs', $1)")
                .bind($id.to_string())
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use insert_preview_in;
