//! Security and routing events: the audit trail of rejected callbacks and tokens, and of every
//! Premium job that ran on a CPU worker.
//!
//! Refusals are never dropped, but their growth is bounded: a burst of one kind from one
//! address is stored as a few detailed rows plus one row that counts the rest ([`Burst`]), and
//! rows older than the retention are pruned ([`Store::prune_security_events`]).

use hivesync_core::ids::JobId;

use crate::{Result, Store, on_db};

/// A suspicious request that was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityEvent {
    /// What happened, e.g. `callback_bad_signature`, `token_expired`.
    pub kind: String,
    /// The worker the request claimed to come from, when it named a valid id.
    pub worker_id: Option<String>,
    /// The job the request named, when it named a valid id.
    pub job_id: Option<String>,
    /// The peer address.
    pub remote_addr: Option<String>,
    /// Details for operators (never a secret or token).
    pub detail: String,
    /// When (ms); for a burst row, when its first refusal arrived.
    pub created_at: i64,
    /// How many refusals the row stands for: 1, or more on a burst row.
    pub count: i64,
    /// On a burst row, when its latest refusal arrived; `None` on a row with one refusal.
    pub last_at: Option<i64>,
}

impl SecurityEvent {
    /// One refusal, as a request handler reports it.
    pub fn new(
        kind: impl Into<String>,
        worker_id: Option<String>,
        job_id: Option<String>,
        remote_addr: Option<String>,
        detail: impl Into<String>,
        created_at: i64,
    ) -> Self {
        Self {
            kind: kind.into(),
            worker_id,
            job_id,
            remote_addr,
            detail: detail.into(),
            created_at,
            count: 1,
            last_at: None,
        }
    }
}

/// How refusals that repeat are stored: within `window_ms` of each other, the first
/// `detailed` refusals of one kind from one address get a row each with their detail; the
/// rest of the burst is counted on one burst row for as long as it goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Burst {
    /// Refusals of one kind and source this close together belong to one burst (ms).
    pub window_ms: i64,
    /// Rows stored one by one before the burst is counted.
    pub detailed: u32,
}

/// What the burst detail of a counting row says.
pub const BURST_DETAIL: &str =
    "repeated refusals of this kind from this address; `count` says how many";

/// A Premium job that ran on a CPU worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingEvent {
    /// The job.
    pub job_id: String,
    /// The CPU worker that took it.
    pub worker_id: String,
    /// The job's tier.
    pub tier: String,
    /// Why.
    pub reason: String,
    /// When (ms).
    pub created_at: i64,
}

impl Store {
    /// Records a refusal, bounded per source as `burst` says (every refusal is counted, the
    /// first ones of a burst with their detail). Returns true when it got a row of its own.
    pub async fn record_security_event(&self, e: &SecurityEvent, burst: &Burst) -> Result<bool> {
        let since = e.created_at - burst.window_ms;
        // `SAME_SOURCE`: same kind, same address (or both without one).
        macro_rules! same_source {
            () => {
                "kind = $1 AND (remote_addr = $2 OR (remote_addr IS NULL AND $2 IS NULL))"
            };
        }
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let counted = sqlx::query(concat!(
                "UPDATE security_events SET count = count + 1, last_at = $3 ",
                "WHERE id = (SELECT MAX(id) FROM security_events WHERE ",
                same_source!(),
                " AND last_at >= $4)"
            ))
            .bind(&e.kind)
            .bind(&e.remote_addr)
            .bind(e.created_at)
            .bind(since)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if counted == 1 {
                tx.commit().await?;
                return Ok(false);
            }
            let recent: i64 = sqlx::query_scalar(concat!(
                "SELECT COUNT(*) FROM security_events WHERE ",
                same_source!(),
                " AND created_at >= $3"
            ))
            .bind(&e.kind)
            .bind(&e.remote_addr)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
            let detailed = recent < i64::from(burst.detailed);
            sqlx::query(
                "INSERT INTO security_events (kind, worker_id, job_id, remote_addr, detail, created_at, count, last_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7)",
            )
            .bind(&e.kind)
            .bind(&e.worker_id)
            .bind(&e.job_id)
            .bind(&e.remote_addr)
            .bind(if detailed { e.detail.as_str() } else { BURST_DETAIL })
            .bind(e.created_at)
            .bind((!detailed).then_some(e.created_at))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(detailed)
        })
    }

    /// Deletes security events whose last refusal is older than `before` (ms).
    pub async fn prune_security_events(&self, before: i64) -> Result<u64> {
        Ok(on_db!(self, pool => {
            sqlx::query("DELETE FROM security_events WHERE COALESCE(last_at, created_at) < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// The newest security events, newest first.
    pub async fn security_events(&self, limit: u32) -> Result<Vec<SecurityEvent>> {
        type Row = (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            i64,
            i64,
            Option<i64>,
        );
        let rows: Vec<Row> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT kind, worker_id, job_id, remote_addr, detail, created_at, CAST(count AS BIGINT), last_at \
                 FROM security_events ORDER BY COALESCE(last_at, created_at) DESC, id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(kind, worker_id, job_id, remote_addr, detail, created_at, count, last_at)| {
                    SecurityEvent {
                        kind,
                        worker_id,
                        job_id,
                        remote_addr,
                        detail,
                        created_at,
                        count,
                        last_at,
                    }
                },
            )
            .collect())
    }

    /// Routing events, newest first; only those of `job` when given.
    pub async fn routing_events(
        &self,
        job: Option<JobId>,
        limit: u32,
    ) -> Result<Vec<RoutingEvent>> {
        let rows: Vec<(String, String, String, String, i64)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT job_id, worker_id, tier, reason, created_at FROM routing_events \
                 WHERE ($1 IS NULL OR job_id = $1) ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(job.map(|j| j.to_string()))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(job_id, worker_id, tier, reason, created_at)| RoutingEvent {
                    job_id,
                    worker_id,
                    tier,
                    reason,
                    created_at,
                },
            )
            .collect())
    }
}

impl Store {
    /// Records a signed request's id; false when it was seen before (a replay).
    pub async fn record_receipt(&self, webhook_id: &str, worker: &str, now: i64) -> Result<bool> {
        let n = on_db!(self, pool => {
            sqlx::query(
                "INSERT INTO callback_receipts (webhook_id, worker_id, received_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (webhook_id) DO NOTHING",
            )
            .bind(webhook_id)
            .bind(worker)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }

    /// Whether a signed request's id was seen before (a replay), without recording it.
    pub async fn receipt_seen(&self, webhook_id: &str) -> Result<bool> {
        let n: i64 = on_db!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM callback_receipts WHERE webhook_id = $1")
                .bind(webhook_id)
                .fetch_one(pool)
                .await?
        });
        Ok(n > 0)
    }

    /// Forgets request ids older than `before` (ms): older requests fail the timestamp check
    /// anyway, so their ids need not be kept.
    pub async fn prune_receipts(&self, before: i64) -> Result<u64> {
        Ok(on_db!(self, pool => {
            sqlx::query("DELETE FROM callback_receipts WHERE received_at < $1").bind(before).execute(pool).await?.rows_affected()
        }))
    }
}
