//! AI documentation jobs: admission in one transaction per user (jobs per rolling hour per user
//! and per project, jobs in flight per user, then the insert, so a burst cannot pass a limit
//! together), the job's spec for the worker, and the cache of earlier documents by input key.
//!
//! Serialisation as for previews ([`crate::admission`]): PostgreSQL locks the user's row, then
//! the project's row; SQLite takes its write lock at `BEGIN IMMEDIATE`.

use hivesync_core::ids::{JobId, ProjectId, UserId};
use hivesync_core::{JobKind, Tier};

use crate::admission::{ACTIVE_JOBS_SQL, RECENT_JOBS_SQL};
use crate::{Result, Store, in_write_tx, on_db};

const HOUR_MS: i64 = 3_600_000;

/// An AI documentation job to enqueue.
#[derive(Debug, Clone)]
pub struct NewAiDocsJob {
    /// The project.
    pub project_id: ProjectId,
    /// Who asked.
    pub user_id: UserId,
    /// Their tier at request time.
    pub tier: Tier,
    /// The documented file's path.
    pub file_path: String,
    /// `short` or `long`.
    pub style: String,
    /// `doc` or `diff`.
    pub mode: String,
    /// Tokens of the file (the model's tokenizer).
    pub tokens: u32,
    /// Content hash + options + provider + model.
    pub cache_key: String,
    /// The worker's input (JSON `hivesync_core::wire::AiDocsInput`).
    pub input: String,
    /// When the job stops being valid (ms).
    pub expires_at: i64,
}

/// The limits an AI documentation request is admitted under (from the tier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AiDocsQuota {
    /// Jobs per user per rolling hour.
    pub per_hour_per_user: u32,
    /// Jobs per project per rolling hour.
    pub per_hour_per_project: u32,
    /// Jobs of the user queued or running at once.
    pub parallel: u32,
}

/// Why a request was not admitted (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AiDocsRefused {
    /// The user's hourly quota is used up.
    UserHourly {
        /// Seconds until a slot frees (at least 1).
        retry_after_secs: u64,
    },
    /// The project's hourly quota is used up.
    ProjectHourly {
        /// Seconds until a slot frees (at least 1).
        retry_after_secs: u64,
    },
    /// As many jobs as allowed are queued or running.
    Parallel,
}

/// The AI documentation part of a job, as the worker reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiDocsSpec {
    /// The documented file's path.
    pub file_path: String,
    /// The input key of the cache.
    pub cache_key: String,
    /// The worker's input (JSON).
    pub input: String,
    /// Where its document is stored, once it succeeded.
    pub result_key: Option<String>,
}

/// A project's ($1) jobs of a kind ($2) created at or after $3: how many, and the oldest's time.
const PROJECT_RECENT_SQL: &str = "SELECT COUNT(*), MIN(created_at) FROM jobs WHERE project_id = $1 AND kind = $2 AND created_at >= $3";

pub(crate) const SELECT_AI_SPEC: &str =
    "SELECT file_path, cache_key, input, result_key FROM ai_doc_jobs WHERE job_id = $1";

pub(crate) type AiSpecRow = (String, String, String, Option<String>);

pub(crate) fn ai_spec_from_row((file_path, cache_key, input, result_key): AiSpecRow) -> AiDocsSpec {
    AiDocsSpec {
        file_path,
        cache_key,
        input,
        result_key,
    }
}

fn retry_after(oldest: Option<i64>, now: i64) -> u64 {
    let frees_at = oldest.unwrap_or(now) + HOUR_MS;
    (frees_at.saturating_sub(now) / 1000).max(1) as u64
}

impl Store {
    /// Admits an AI documentation job: within one transaction per user, checks `quota` against
    /// the user's and the project's AI documentation jobs and enqueues `job`. Returns the job
    /// id, or why it was refused with nothing written.
    pub async fn submit_ai_docs(
        &self,
        job: &NewAiDocsJob,
        quota: &AiDocsQuota,
        now: i64,
    ) -> Result<std::result::Result<JobId, AiDocsRefused>> {
        let is_pg = self.pg_pool().is_some();
        let user = job.user_id.to_string();
        let project = job.project_id.to_string();
        let kind = JobKind::AiDocs.as_str();
        let id = in_write_tx!(self, tx => {
            if is_pg {
                sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                    .bind(&user)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("SELECT id FROM projects WHERE id = $1 FOR UPDATE")
                    .bind(&project)
                    .execute(&mut *tx)
                    .await?;
            }
            let (recent, oldest): (i64, Option<i64>) = sqlx::query_as(RECENT_JOBS_SQL)
                .bind(&user)
                .bind(kind)
                .bind(now - HOUR_MS)
                .fetch_one(&mut *tx)
                .await?;
            if recent >= i64::from(quota.per_hour_per_user) {
                return Ok(Err(AiDocsRefused::UserHourly { retry_after_secs: retry_after(oldest, now) }));
            }
            let (recent, oldest): (i64, Option<i64>) = sqlx::query_as(PROJECT_RECENT_SQL)
                .bind(&project)
                .bind(kind)
                .bind(now - HOUR_MS)
                .fetch_one(&mut *tx)
                .await?;
            if recent >= i64::from(quota.per_hour_per_project) {
                return Ok(Err(AiDocsRefused::ProjectHourly { retry_after_secs: retry_after(oldest, now) }));
            }
            let active: i64 = sqlx::query_scalar(ACTIVE_JOBS_SQL)
                .bind(&user)
                .bind(kind)
                .fetch_one(&mut *tx)
                .await?;
            if active >= i64::from(quota.parallel) {
                return Ok(Err(AiDocsRefused::Parallel));
            }
            let id = JobId::new_random();
            sqlx::query(
                "INSERT INTO jobs (id, kind, project_id, user_id, tier, priority, state, created_at, expires_at) \
                 VALUES ($1, 'ai_docs', $2, $3, $4, $5, 'queued', $6, $7)",
            )
            .bind(id.to_string())
            .bind(&project)
            .bind(&user)
            .bind(job.tier.as_str())
            .bind(job.tier.priority())
            .bind(now)
            .bind(job.expires_at)
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::classify)?;
            sqlx::query(
                "INSERT INTO ai_doc_jobs (job_id, file_path, style, mode, tokens, cache_key, input) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id.to_string())
            .bind(&job.file_path)
            .bind(&job.style)
            .bind(&job.mode)
            .bind(i64::from(job.tokens))
            .bind(&job.cache_key)
            .bind(&job.input)
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::classify)?;
            if is_pg {
                sqlx::query("SELECT pg_notify('hivesync_jobs', $1)")
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            id
        });
        self.wake_jobs();
        Ok(Ok(id))
    }

    /// The AI documentation part of a job.
    pub async fn ai_docs_spec(&self, id: JobId) -> Result<Option<AiDocsSpec>> {
        let row: Option<AiSpecRow> = on_db!(self, pool => {
            sqlx::query_as(SELECT_AI_SPEC)
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(ai_spec_from_row))
    }

    /// The latest succeeded job with input key `cache_key` other than `except`, and where its
    /// document is stored.
    pub async fn cached_ai_doc(
        &self,
        cache_key: &str,
        except: JobId,
    ) -> Result<Option<(JobId, String)>> {
        if cache_key.is_empty() {
            return Ok(None);
        }
        let row: Option<(String, String)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT a.job_id, a.result_key FROM ai_doc_jobs a JOIN jobs j ON j.id = a.job_id \
                 WHERE a.cache_key = $1 AND a.result_key IS NOT NULL AND j.state = 'succeeded' AND a.job_id <> $2 \
                 ORDER BY j.finished_at DESC LIMIT 1",
            )
            .bind(cache_key)
            .bind(except.to_string())
            .fetch_optional(pool)
            .await?
        });
        row.map(|(id, key)| {
            JobId::parse(&id)
                .map(|id| (id, key))
                .map_err(|e| crate::StoreError::Corrupt(e.to_string()))
        })
        .transpose()
    }
}
