//! Worker health: a worker is unhealthy when it has been silent for longer than the heartbeat
//! timeout, or when too many of its recent jobs failed through its own fault
//! (`jobs.failure_cause = 'worker'`; a project that does not compile is not the worker's fault).
//! Unhealthy and disabled workers claim nothing (see `sql/*/claim.sql`), and an unhealthy GPU
//! worker counts as absent for routing.
//!
//! The error rate is taken over a sliding window: the worker's last `error_window_jobs` jobs that
//! finished within `error_window_ms`. Since an unhealthy worker gets no new work, its failures
//! age out of the window (a cool-down); once it is heard from again and its window is below the
//! threshold it is healthy, and its next jobs decide again.
//!
//! Every change of health (by the backend) or status (by an operator) is one guarded `UPDATE`
//! plus a `worker_transitions` row (who, when, why) in the same transaction, so two replicas
//! judging at once record a change once.

use hivesync_core::ids::WorkerId;

use crate::workers::WorkerNode;
use crate::{Result, Store, StoreError, on_db};

/// When a worker counts as unhealthy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthPolicy {
    /// Silence after which a worker is unhealthy (ms).
    pub heartbeat_timeout_ms: i64,
    /// How many of its latest finished jobs the error rate looks at.
    pub error_window_jobs: u32,
    /// How far back those jobs may have finished (ms).
    pub error_window_ms: i64,
    /// A worker whose rate of worker-caused failures is above this (0-1) is unhealthy.
    pub error_rate_threshold: f64,
    /// Fewer jobs than this in the window never make a worker unhealthy.
    pub error_min_jobs: u32,
}

/// A worker's recent jobs, as the error rate sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorWindow {
    /// Finished jobs in the window.
    pub jobs: i64,
    /// Of those, the ones that failed through the worker's fault.
    pub worker_failures: i64,
}

impl ErrorWindow {
    /// The share of worker-caused failures (0 with no jobs).
    pub fn rate(&self) -> f64 {
        if self.jobs == 0 {
            0.0
        } else {
            self.worker_failures as f64 / self.jobs as f64
        }
    }
}

/// What changed about a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Judged healthy again.
    Healthy,
    /// Judged unhealthy.
    Unhealthy,
    /// Disabled by an operator.
    Disabled,
    /// Enabled by an operator.
    Enabled,
}

impl Change {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Healthy => "healthy",
            Change::Unhealthy => "unhealthy",
            Change::Disabled => "disabled",
            Change::Enabled => "enabled",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "healthy" => Change::Healthy,
            "unhealthy" => Change::Unhealthy,
            "disabled" => Change::Disabled,
            "enabled" => Change::Enabled,
            _ => {
                return Err(StoreError::Corrupt(
                    "worker_transitions.change holds an unknown value".into(),
                ));
            }
        })
    }
}

/// The actor of the backend's own health judgements.
pub const HEALTH_ACTOR: &str = "health";

/// One recorded change of a worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The worker.
    pub worker_id: WorkerId,
    /// What changed.
    pub change: Change,
    /// Who: [`HEALTH_ACTOR`] or `admin:<key>`.
    pub actor: String,
    /// Why, for operators.
    pub reason: String,
    /// When (ms).
    pub created_at: i64,
}

/// A worker with its health, for operators.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerHealth {
    /// The registration.
    pub node: WorkerNode,
    /// The backend's last judgement.
    pub healthy: bool,
    /// Why it is unhealthy.
    pub health_reason: Option<String>,
    /// When the judgement last changed (ms).
    pub health_changed_at: Option<i64>,
    /// Its error window now.
    pub window: ErrorWindow,
    /// Jobs it is running now.
    pub running_jobs: i64,
    /// CPU load of its last heartbeat.
    pub cpu_load: Option<f64>,
    /// GPU load of its last heartbeat.
    pub gpu_load: Option<f64>,
}

/// Why a worker is unhealthy under `policy` at `now`, or `None` when it is healthy.
pub fn judge(
    last_heard: Option<i64>,
    window: &ErrorWindow,
    policy: &HealthPolicy,
    now: i64,
) -> Option<String> {
    let silent_for = now - last_heard.unwrap_or(i64::MIN / 2);
    if silent_for > policy.heartbeat_timeout_ms {
        return Some(format!(
            "no heartbeat for {} s (limit {} s)",
            silent_for / 1000,
            policy.heartbeat_timeout_ms / 1000
        ));
    }
    if window.jobs >= i64::from(policy.error_min_jobs.max(1))
        && window.rate() > policy.error_rate_threshold
    {
        return Some(format!(
            "{} of its last {} jobs failed through the worker (error rate {:.0}% above {:.0}%)",
            window.worker_failures,
            window.jobs,
            window.rate() * 100.0,
            policy.error_rate_threshold * 100.0
        ));
    }
    None
}

const WINDOW_SQL: &str = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN failure_cause = 'worker' THEN 1 ELSE 0 END), 0) \
     FROM (SELECT failure_cause FROM jobs WHERE worker_id = $1 AND finished_at IS NOT NULL AND finished_at >= $2 \
     ORDER BY finished_at DESC LIMIT $3) recent";

impl Store {
    /// The error window of `worker` at `now`.
    pub async fn error_window(
        &self,
        worker: &WorkerId,
        policy: &HealthPolicy,
        now: i64,
    ) -> Result<ErrorWindow> {
        let (jobs, worker_failures): (i64, i64) = on_db!(self, pool => {
            sqlx::query_as(WINDOW_SQL)
                .bind(worker.as_str())
                .bind(now - policy.error_window_ms)
                .bind(i64::from(policy.error_window_jobs))
                .fetch_one(pool)
                .await?
        });
        Ok(ErrorWindow {
            jobs,
            worker_failures,
        })
    }

    /// Judges every worker that has not stopped and records each change of health; returns the
    /// changes this call recorded (another replica may have recorded the same change first).
    pub async fn evaluate_worker_health(
        &self,
        policy: &HealthPolicy,
        now: i64,
    ) -> Result<Vec<Transition>> {
        let rows: Vec<(String, String, Option<i64>)> = on_db!(self, pool => {
            sqlx::query_as("SELECT id, health, last_heartbeat_at FROM worker_nodes WHERE stopped_at IS NULL ORDER BY id")
                .fetch_all(pool)
                .await?
        });
        let mut out = Vec::new();
        for (id, health, last) in rows {
            let id = WorkerId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let window = self.error_window(&id, policy, now).await?;
            let verdict = judge(last, &window, policy, now);
            let was_healthy = health == "healthy";
            let (change, reason) = match (was_healthy, verdict) {
                (true, Some(why)) => (Change::Unhealthy, why),
                (false, None) => (
                    Change::Healthy,
                    format!(
                        "heard from and {} of its last {} jobs failed through the worker",
                        window.worker_failures, window.jobs
                    ),
                ),
                _ => continue,
            };
            let (new, old) = if change == Change::Healthy {
                ("healthy", "unhealthy")
            } else {
                ("unhealthy", "healthy")
            };
            let stored_reason = (change == Change::Unhealthy).then_some(reason.as_str());
            let recorded = on_db!(self, pool => {
                let mut tx = pool.begin().await?;
                let n = sqlx::query(
                    "UPDATE worker_nodes SET health = $1, health_reason = $2, health_changed_at = $3 WHERE id = $4 AND health = $5",
                )
                .bind(new)
                .bind(stored_reason)
                .bind(now)
                .bind(id.as_str())
                .bind(old)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    insert_transition!(tx, id, change, HEALTH_ACTOR, &reason, now);
                    tx.commit().await?;
                }
                n == 1
            });
            if recorded {
                out.push(Transition {
                    worker_id: id,
                    change,
                    actor: HEALTH_ACTOR.to_owned(),
                    reason,
                    created_at: now,
                });
            }
        }
        Ok(out)
    }

    /// Enables or disables a worker on behalf of `actor`, recording the change with `reason`.
    /// `None` when the worker does not exist; `Some(false)` when it already had that status.
    pub async fn set_worker_status(
        &self,
        id: &WorkerId,
        active: bool,
        actor: &str,
        reason: &str,
        now: i64,
    ) -> Result<Option<bool>> {
        let (new, old, change) = if active {
            ("active", "disabled", Change::Enabled)
        } else {
            ("disabled", "active", Change::Disabled)
        };
        let changed = on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE worker_nodes SET status = $1 WHERE id = $2 AND status = $3")
                .bind(new)
                .bind(id.as_str())
                .bind(old)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                insert_transition!(tx, id, change, actor, reason, now);
                tx.commit().await?;
            }
            n == 1
        });
        if changed {
            return Ok(Some(true));
        }
        Ok(self.worker(id).await?.map(|_| false))
    }

    /// Recorded changes, newest first; only those of `worker` when given.
    pub async fn worker_transitions(
        &self,
        worker: Option<&WorkerId>,
        limit: u32,
    ) -> Result<Vec<Transition>> {
        let rows: Vec<(String, String, String, String, i64)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT worker_id, change, actor, reason, created_at FROM worker_transitions \
                 WHERE ($1 IS NULL OR worker_id = $1) ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(worker.map(|w| w.as_str().to_owned()))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(w, change, actor, reason, created_at)| {
                Ok(Transition {
                    worker_id: WorkerId::parse(&w)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    change: Change::parse(&change)?,
                    actor,
                    reason,
                    created_at,
                })
            })
            .collect()
    }

    /// Every worker with its health, error window, running jobs and last loads.
    pub async fn worker_health(
        &self,
        policy: &HealthPolicy,
        now: i64,
    ) -> Result<Vec<WorkerHealth>> {
        let nodes = self.workers().await?;
        let mut out = Vec::with_capacity(nodes.len());
        for node in nodes {
            let id = node.id.as_str().to_owned();
            type Extra = (String, Option<String>, Option<i64>, i64);
            let (health, health_reason, health_changed_at, running): Extra = on_db!(self, pool => {
                sqlx::query_as(
                    "SELECT health, health_reason, health_changed_at, \
                     (SELECT COUNT(*) FROM jobs j WHERE j.worker_id = w.id AND j.state = 'running') \
                     FROM worker_nodes w WHERE w.id = $1",
                )
                .bind(&id)
                .fetch_one(pool)
                .await?
            });
            let loads: Option<(f64, Option<f64>)> = on_db!(self, pool => {
                sqlx::query_as(
                    "SELECT cpu_load, gpu_load FROM worker_heartbeats WHERE worker_id = $1 ORDER BY received_at DESC, id DESC LIMIT 1",
                )
                .bind(&id)
                .fetch_optional(pool)
                .await?
            });
            let window = self.error_window(&node.id, policy, now).await?;
            out.push(WorkerHealth {
                node,
                healthy: health == "healthy",
                health_reason,
                health_changed_at,
                window,
                running_jobs: running,
                cpu_load: loads.map(|l| l.0),
                gpu_load: loads.and_then(|l| l.1),
            });
        }
        Ok(out)
    }
}

/// Inside transaction `$tx`: records one change of a worker.
macro_rules! insert_transition {
    ($tx:expr, $id:expr, $change:expr, $actor:expr, $reason:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO worker_transitions (worker_id, change, actor, reason, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($id.as_str())
        .bind($change.as_str())
        .bind($actor)
        .bind($reason)
        .bind($now)
        .execute(&mut *$tx)
        .await
        .map_err(StoreError::classify)?
    };
}
use insert_transition;
