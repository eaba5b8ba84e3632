//! Admitting a preview request in one step: the user's tier quota (jobs per rolling hour, jobs
//! in flight), the project's new file set and the queued job are checked and written in one
//! transaction per user, so concurrent requests of one user can never pass a limit together
//! (a check followed by a separate insert lets every request of a burst see the same count).
//!
//! Serialisation per user: PostgreSQL locks the user's row (`FOR UPDATE`, then the project's
//! row; always in that order); SQLite takes the write lock at `BEGIN IMMEDIATE` (one writer).
//! A refused request writes nothing: not the job, not the file set. The binary files (images,
//! fonts) of the resulting set are counted and sized against the tier here too, so that
//! concurrent deltas cannot pass the asset limits together either.

use hivesync_core::JobKind;
use hivesync_core::ids::JobId;

use crate::files::apply_files_in;
use crate::queue::{NewPreviewJob, insert_preview_in};
use crate::{Result, Store, in_write_tx};
use hivesync_core::wire::TextFile;

/// A user's job limits of one kind (from the tier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Jobs created per rolling hour.
    pub per_hour: u32,
    /// Jobs queued or running at once.
    pub parallel: u32,
}

/// The files a request brings.
#[derive(Debug, Clone, Copy)]
pub struct FileChanges<'a> {
    /// `true`: `changed` is the whole new set; `false`: a delta against the current set.
    pub replace: bool,
    /// Files added or changed.
    pub changed: &'a [TextFile],
    /// Paths removed.
    pub deleted: &'a [String],
    /// Most files the resulting set may hold.
    pub max_files: usize,
    /// Most binary files (images, fonts) the resulting set may hold.
    pub max_assets: usize,
    /// Most bytes of the resulting set's binary files together (decoded).
    pub max_asset_bytes: u64,
}

/// Why a request was not admitted (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The hourly quota is used up; a slot frees in `retry_after_secs`.
    Hourly {
        /// Seconds until the oldest job of the window leaves it (at least 1).
        retry_after_secs: u64,
    },
    /// As many jobs as allowed are queued or running.
    Parallel,
    /// The resulting file set would hold this many files, over the limit.
    TooManyFiles(usize),
    /// The resulting file set would hold this many binary files, over the limit.
    TooManyAssets(usize),
    /// The resulting file set's binary files would take this many bytes, over the limit.
    AssetsTooLarge(u64),
    /// The resulting file set is empty.
    NoFiles,
}

const HOUR_MS: i64 = 3_600_000;

/// `user`'s ($1) jobs of `kind` ($2) created at or after $3: how many, and the oldest's time.
pub(crate) const RECENT_JOBS_SQL: &str = "SELECT COUNT(*), MIN(created_at) FROM jobs WHERE user_id = $1 AND kind = $2 AND created_at >= $3";
/// `user`'s ($1) jobs of `kind` ($2) that are queued or running.
pub(crate) const ACTIVE_JOBS_SQL: &str =
    "SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND kind = $2 AND state IN ('queued', 'running')";

impl Store {
    /// Admits a preview: within one transaction per user, checks `quota` against the user's
    /// preview jobs, applies `files` to the project's file set, and enqueues `job` with the
    /// input `input` builds from the resulting set (`job.input` and `job.file_count` are
    /// replaced by it). Returns the job id, or why it was refused with nothing written.
    pub async fn submit_preview(
        &self,
        job: &NewPreviewJob,
        files: &FileChanges<'_>,
        quota: &Quota,
        input: &(dyn Fn(Vec<TextFile>) -> String + Sync),
        now: i64,
    ) -> Result<Result<JobId, Refused>> {
        let is_pg = self.pg_pool().is_some();
        let user = job.user_id.to_string();
        let kind = JobKind::Preview.as_str();
        // A refusal returns before commit: dropping the transaction rolls it back.
        let id = in_write_tx!(self, tx => {
            if is_pg {
                sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                    .bind(&user)
                    .execute(&mut *tx)
                    .await?;
            }
            let (recent, oldest): (i64, Option<i64>) = sqlx::query_as(RECENT_JOBS_SQL)
                .bind(&user)
                .bind(kind)
                .bind(now - HOUR_MS)
                .fetch_one(&mut *tx)
                .await?;
            if recent >= i64::from(quota.per_hour) {
                let frees_at = oldest.unwrap_or(now) + HOUR_MS;
                let retry_after_secs = (frees_at.saturating_sub(now) / 1000).max(1) as u64;
                return Ok(Err(Refused::Hourly { retry_after_secs }));
            }
            let active: i64 = sqlx::query_scalar(ACTIVE_JOBS_SQL)
                .bind(&user)
                .bind(kind)
                .fetch_one(&mut *tx)
                .await?;
            if active >= i64::from(quota.parallel) {
                return Ok(Err(Refused::Parallel));
            }
            let set = apply_files_in!(
                tx,
                is_pg,
                job.project_id,
                files.replace,
                files.changed,
                files.deleted,
                now
            );
            if set.len() > files.max_files {
                return Ok(Err(Refused::TooManyFiles(set.len())));
            }
            let assets = set.iter().filter(|f| f.is_binary());
            let asset_count = assets.clone().count();
            if asset_count > files.max_assets {
                return Ok(Err(Refused::TooManyAssets(asset_count)));
            }
            let asset_bytes: u64 = assets.map(TextFile::size).sum();
            if asset_bytes > files.max_asset_bytes {
                return Ok(Err(Refused::AssetsTooLarge(asset_bytes)));
            }
            if set.is_empty() {
                return Ok(Err(Refused::NoFiles));
            }
            let file_count = i32::try_from(set.len()).unwrap_or(i32::MAX);
            let text = input(set);
            let id = JobId::new_random();
            insert_preview_in!(tx, is_pg, id, job, &text, file_count, now);
            tx.commit().await?;
            id
        });
        self.wake_jobs();
        Ok(Ok(id))
    }
}
