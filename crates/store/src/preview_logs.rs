//! Preview-log sessions: a device session belongs to the preview (job) whose token opened it,
//! and each session and each token may store a bounded volume at a bounded rate. The check and
//! the charge are one transaction per job (PostgreSQL locks the job's row; SQLite has one
//! writer), so concurrent uploads cannot pass a limit together. A batch is charged before its
//! object is written: a failed write still counts, so retries cannot exceed the volume either.

use hivesync_core::ids::{JobId, SessionId};

use crate::{Result, Store, in_write_tx};

/// Volume and rate limits of preview logs (from `[server]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLimits {
    /// Most bytes one session may store.
    pub session_bytes: u64,
    /// Most bytes all sessions of one token (job) may store.
    pub token_bytes: u64,
    /// Most batches one token may send per minute.
    pub batches_per_minute: u32,
}

/// Why a batch was refused (nothing was charged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogRefusal {
    /// The session was opened by another preview's token.
    ForeignSession,
    /// The session's volume is used up.
    SessionFull,
    /// The token's volume is used up.
    TokenFull,
    /// Too many batches this minute; retry after this many seconds.
    TooFast {
        /// Seconds until the next minute window.
        retry_after_secs: u64,
    },
}

/// `rate_limit_counters.scope` of preview-log batches (subject: the job id).
const SCOPE_LOG_BATCHES: &str = "preview_log_batches";

impl Store {
    /// The preview log sessions of `job`, newest activity first.
    pub async fn preview_log_sessions(&self, job: JobId) -> Result<Vec<SessionId>> {
        let rows: Vec<(String,)> = crate::on_db!(self, pool => {
            sqlx::query_as(
                "SELECT session_id FROM preview_log_sessions WHERE job_id = $1 ORDER BY last_at DESC, session_id",
            )
            .bind(job.to_string())
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(s,)| SessionId::parse(&s).ok())
            .collect())
    }

    /// Binds `session` to `job` on first use, checks `limits` and charges one batch of `bytes`.
    pub async fn admit_preview_log(
        &self,
        session: SessionId,
        job: JobId,
        bytes: u64,
        limits: &LogLimits,
        now: i64,
    ) -> Result<Result<(), LogRefusal>> {
        let is_pg = self.pg_pool().is_some();
        let (session, job) = (session.to_string(), job.to_string());
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        let window = now - now.rem_euclid(60_000);
        // A refusal returns before commit: dropping the transaction rolls it back.
        in_write_tx!(self, tx => {
            if is_pg {
                sqlx::query("SELECT id FROM jobs WHERE id = $1 FOR UPDATE")
                    .bind(&job)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO preview_log_sessions (session_id, job_id, created_at, last_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (session_id) DO NOTHING",
            )
            .bind(&session)
            .bind(&job)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::classify)?;
            let (owner, used): (String, i64) = sqlx::query_as(
                "SELECT job_id, bytes FROM preview_log_sessions WHERE session_id = $1",
            )
            .bind(&session)
            .fetch_one(&mut *tx)
            .await?;
            if owner != job {
                return Ok(Err(LogRefusal::ForeignSession));
            }
            if used.saturating_add(bytes) as u64 > limits.session_bytes {
                return Ok(Err(LogRefusal::SessionFull));
            }
            let token_used: i64 = sqlx::query_scalar(
                "SELECT CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM preview_log_sessions WHERE job_id = $1",
            )
            .bind(&job)
            .fetch_one(&mut *tx)
            .await?;
            if token_used.saturating_add(bytes) as u64 > limits.token_bytes {
                return Ok(Err(LogRefusal::TokenFull));
            }
            let batches: i64 = sqlx::query_scalar(
                "INSERT INTO rate_limit_counters (scope, subject, window_start, count) VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (scope, subject, window_start) DO UPDATE SET count = rate_limit_counters.count + 1 \
                 RETURNING CAST(count AS BIGINT)",
            )
            .bind(SCOPE_LOG_BATCHES)
            .bind(&job)
            .bind(window)
            .fetch_one(&mut *tx)
            .await?;
            if batches > i64::from(limits.batches_per_minute) {
                let retry_after_secs = ((window + 60_000 - now) / 1000).max(1) as u64;
                return Ok(Err(LogRefusal::TooFast { retry_after_secs }));
            }
            sqlx::query(
                "UPDATE preview_log_sessions SET bytes = bytes + $1, batches = batches + 1, last_at = $2 \
                 WHERE session_id = $3",
            )
            .bind(bytes)
            .bind(now)
            .bind(&session)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(Ok(()))
    }

    /// Deletes rate-limit windows that ended before `before` (ms).
    pub async fn prune_rate_limit_counters(&self, before: i64) -> Result<u64> {
        Ok(crate::on_db!(self, pool => {
            sqlx::query("DELETE FROM rate_limit_counters WHERE window_start < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
