//! What operators read: recent jobs with their durations and failure causes, the queue depth
//! by kind and tier, per-tier daily figures (jobs, p50 / p95 duration, failure rate), and the
//! index of worker logs in object storage. Read-only except for [`Store::record_worker_log`].

use hivesync_core::ids::WorkerId;
use hivesync_core::{JobKind, Tier};
use sqlx::Row;

use crate::queue::Job;
use crate::{Result, Store, StoreError, on_db, parse_set};

/// A job as the admin pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSummary {
    /// The job.
    pub job: Job,
    /// `user`, `worker` or `system` for a failed job.
    pub failure_cause: Option<String>,
}

impl JobSummary {
    /// Milliseconds from claim to end, for finished jobs that were claimed.
    pub fn run_ms(&self) -> Option<i64> {
        Some(self.job.finished_at? - self.job.claimed_at?)
    }
}

/// Queued jobs of one kind and tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueDepth {
    /// Preview or AI docs.
    pub kind: JobKind,
    /// Tier.
    pub tier: Tier,
    /// Jobs waiting.
    pub queued: i64,
    /// Jobs running.
    pub running: i64,
}

/// One tier's figures for one UTC day.
#[derive(Debug, Clone, PartialEq)]
pub struct TierDay {
    /// Tier.
    pub tier: Tier,
    /// Start of the UTC day (ms).
    pub day_start: i64,
    /// Jobs that finished that day.
    pub jobs: i64,
    /// Of those, failed.
    pub failed: i64,
    /// Median run time (claim to end), ms.
    pub p50_ms: Option<i64>,
    /// 95th percentile run time, ms.
    pub p95_ms: Option<i64>,
}

impl TierDay {
    /// Failed share (0 with no jobs).
    pub fn failure_rate(&self) -> f64 {
        if self.jobs == 0 {
            0.0
        } else {
            self.failed as f64 / self.jobs as f64
        }
    }
}

/// One stored batch of a worker's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerLogObject {
    /// The object key (`logs/workers/{worker_id}/{timestamp}.json`).
    pub key: String,
    /// The worker.
    pub worker_id: String,
    /// Events in the batch.
    pub events: i64,
    /// Size, bytes.
    pub bytes: i64,
    /// When it was written (ms).
    pub created_at: i64,
}

const DAY_MS: i64 = 86_400_000;

/// The `q`-quantile (0-1) of sorted `values`, nearest rank.
pub fn quantile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

impl Store {
    /// The newest jobs, newest first.
    pub async fn recent_jobs(&self, limit: u32) -> Result<Vec<JobSummary>> {
        on_db!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, kind, project_id, user_id, tier, state, worker_id, created_at, claimed_at, \
                 lease_expires_at, finished_at, expires_at, failure_reason, failure_cause FROM jobs \
                 ORDER BY created_at DESC, id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(JobSummary {
                        job: crate::queue::job_from_row(r)?,
                        failure_cause: r.try_get("failure_cause")?,
                    })
                })
                .collect()
        })
    }

    /// Queued and running jobs by kind and tier (only pairs that have any).
    pub async fn queue_depths(&self) -> Result<Vec<QueueDepth>> {
        let rows: Vec<(String, String, i64, i64)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT kind, tier, SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) FROM jobs \
                 WHERE state IN ('queued', 'running') GROUP BY kind, tier ORDER BY kind, tier",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(kind, tier, queued, running)| {
                Ok(QueueDepth {
                    kind: parse_set("jobs.kind", &kind)?,
                    tier: parse_set("jobs.tier", &tier)?,
                    queued,
                    running,
                })
            })
            .collect()
    }

    /// Per tier and UTC day, for jobs that finished in the `days` days up to `now`: counts,
    /// failures and run-time percentiles. Days without jobs are left out.
    pub async fn tier_analytics(&self, days: u32, now: i64) -> Result<Vec<TierDay>> {
        let since = (now / DAY_MS - i64::from(days.max(1)) + 1) * DAY_MS;
        let rows: Vec<(String, String, i64, Option<i64>)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT tier, state, finished_at, claimed_at FROM jobs WHERE finished_at >= $1 ORDER BY finished_at",
            )
            .bind(since)
            .fetch_all(pool)
            .await?
        });
        // (day, tier priority) -> (tier, jobs, failed, run times)
        type Group = (Tier, i64, i64, Vec<i64>);
        let mut groups: std::collections::BTreeMap<(i64, i32), Group> = Default::default();
        for (tier, state, finished, claimed) in rows {
            let tier: Tier = parse_set("jobs.tier", &tier)?;
            let g = groups
                .entry((finished / DAY_MS * DAY_MS, tier.priority()))
                .or_insert((tier, 0, 0, Vec::new()));
            g.1 += 1;
            if state == "failed" {
                g.2 += 1;
            }
            if let Some(c) = claimed {
                g.3.push(finished - c);
            }
        }
        Ok(groups
            .into_iter()
            .map(|((day_start, _), (tier, jobs, failed, mut runs))| {
                runs.sort_unstable();
                TierDay {
                    tier,
                    day_start,
                    jobs,
                    failed,
                    p50_ms: quantile(&runs, 0.5),
                    p95_ms: quantile(&runs, 0.95),
                }
            })
            .collect())
    }

    /// Premium jobs that ran on a CPU worker, ever (`routing_events` rows).
    pub async fn gpu_fallback_count(&self) -> Result<i64> {
        Ok(on_db!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM routing_events").fetch_one(pool).await?
        }))
    }

    /// Records that a batch of `worker`'s log was stored under `key`.
    pub async fn record_worker_log(
        &self,
        worker: &WorkerId,
        key: &str,
        events: i64,
        bytes: i64,
        now: i64,
    ) -> Result<()> {
        on_db!(self, pool => {
            sqlx::query(
                "INSERT INTO worker_logs (object_key, worker_id, events, bytes, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(key)
            .bind(worker.as_str())
            .bind(events)
            .bind(bytes)
            .bind(now)
            .execute(pool)
            .await
            .map_err(StoreError::classify)?;
        });
        Ok(())
    }

    /// The newest stored log batches of `worker`, newest first.
    pub async fn worker_logs(&self, worker: &WorkerId, limit: u32) -> Result<Vec<WorkerLogObject>> {
        let rows: Vec<(String, String, i64, i64, i64)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT object_key, worker_id, CAST(events AS BIGINT), bytes, created_at FROM worker_logs \
                 WHERE worker_id = $1 ORDER BY created_at DESC, object_key DESC LIMIT $2",
            )
            .bind(worker.as_str())
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(key, worker_id, events, bytes, created_at)| WorkerLogObject {
                    key,
                    worker_id,
                    events,
                    bytes,
                    created_at,
                },
            )
            .collect())
    }
}
