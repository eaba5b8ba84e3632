//! Security and routing events: the audit trail of rejected callbacks and tokens, and of every
//! Premium job that ran on a CPU worker.

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
    /// When (ms).
    pub created_at: i64,
}

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
    /// Writes a security event.
    pub async fn record_security_event(&self, e: &SecurityEvent) -> Result<()> {
        on_db!(self, pool => {
            sqlx::query(
                "INSERT INTO security_events (kind, worker_id, job_id, remote_addr, detail, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&e.kind)
            .bind(&e.worker_id)
            .bind(&e.job_id)
            .bind(&e.remote_addr)
            .bind(&e.detail)
            .bind(e.created_at)
            .execute(pool)
            .await?;
        });
        Ok(())
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
        );
        let rows: Vec<Row> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT kind, worker_id, job_id, remote_addr, detail, created_at FROM security_events \
                 ORDER BY created_at DESC, id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(kind, worker_id, job_id, remote_addr, detail, created_at)| SecurityEvent {
                    kind,
                    worker_id,
                    job_id,
                    remote_addr,
                    detail,
                    created_at,
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
