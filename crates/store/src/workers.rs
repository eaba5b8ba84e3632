//! Worker registration, status and heartbeats (`worker_nodes`, `worker_heartbeats`).

use hivesync_core::WorkerType;
use hivesync_core::ids::WorkerId;
use sqlx::Row;

use crate::{Result, Store, StoreError, on_db, parse_set};

/// A worker as registered.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerNode {
    /// Id.
    pub id: WorkerId,
    /// cpu or gpu.
    pub worker_type: WorkerType,
    /// `active` workers may claim and call back; `disabled` ones may not.
    pub active: bool,
    /// The backend's last judgement (see [`crate::health`]); unhealthy workers claim nothing.
    pub healthy: bool,
    /// Jobs at once.
    pub capacity: i32,
    /// Build version.
    pub version: String,
    /// Host it runs on.
    pub hostname: String,
    /// When it registered (ms).
    pub registered_at: i64,
    /// Last heartbeat (ms), or registration time.
    pub last_heartbeat_at: Option<i64>,
    /// When it stopped cleanly (ms).
    pub stopped_at: Option<i64>,
}

/// What a worker reports about itself at start.
#[derive(Debug, Clone)]
pub struct Registration<'a> {
    /// Id.
    pub id: &'a WorkerId,
    /// cpu or gpu.
    pub worker_type: WorkerType,
    /// Jobs at once.
    pub capacity: u32,
    /// Build version.
    pub version: &'a str,
    /// Host it runs on.
    pub hostname: &'a str,
}

/// One heartbeat.
#[derive(Debug, Clone, PartialEq)]
pub struct Heartbeat {
    /// When the worker sent it (its clock, ms).
    pub sent_at: i64,
    /// CPU load (1-minute load average divided by cores, or a fraction).
    pub cpu_load: f64,
    /// GPU load when a GPU is present.
    pub gpu_load: Option<f64>,
    /// Memory in use, bytes.
    pub memory_used_bytes: i64,
    /// Memory in all, bytes.
    pub memory_total_bytes: i64,
    /// Jobs it is running.
    pub running_jobs: i32,
    /// Queued jobs it could see.
    pub queue_depth: i32,
}

impl Store {
    /// Registers a worker, or re-registers one that restarts with the same id (its status is
    /// kept: a disabled worker stays disabled).
    pub async fn register_worker(&self, r: &Registration<'_>, now: i64) -> Result<()> {
        on_db!(self, pool => {
            sqlx::query(
                "INSERT INTO worker_nodes (id, worker_type, status, capacity, version, hostname, registered_at, last_heartbeat_at) \
                 VALUES ($1, $2, 'active', $3, $4, $5, $6, $6) \
                 ON CONFLICT (id) DO UPDATE SET worker_type = excluded.worker_type, capacity = excluded.capacity, \
                 version = excluded.version, hostname = excluded.hostname, registered_at = excluded.registered_at, \
                 last_heartbeat_at = excluded.last_heartbeat_at, stopped_at = NULL",
            )
            .bind(r.id.as_str())
            .bind(r.worker_type.as_str())
            .bind(i64::from(r.capacity))
            .bind(r.version)
            .bind(r.hostname)
            .bind(now)
            .execute(pool)
            .await
            .map_err(StoreError::classify)?;
        });
        Ok(())
    }

    /// Records a clean stop (the worker stops claiming).
    pub async fn mark_worker_stopped(&self, id: &WorkerId, now: i64) -> Result<()> {
        on_db!(self, pool => {
            sqlx::query("UPDATE worker_nodes SET stopped_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id.as_str())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Enables or disables a worker (admin action). Returns false when it does not exist.
    pub async fn set_worker_active(&self, id: &WorkerId, active: bool) -> Result<bool> {
        let n = on_db!(self, pool => {
            sqlx::query("UPDATE worker_nodes SET status = $1 WHERE id = $2")
                .bind(if active { "active" } else { "disabled" })
                .bind(id.as_str())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// One worker.
    pub async fn worker(&self, id: &WorkerId) -> Result<Option<WorkerNode>> {
        Ok(self.workers_where(Some(id)).await?.pop())
    }

    /// Every registered worker, by id.
    pub async fn workers(&self) -> Result<Vec<WorkerNode>> {
        self.workers_where(None).await
    }

    async fn workers_where(&self, id: Option<&WorkerId>) -> Result<Vec<WorkerNode>> {
        let sql = "SELECT id, worker_type, status, health, capacity, version, hostname, registered_at, last_heartbeat_at, stopped_at \
                   FROM worker_nodes WHERE ($1 IS NULL OR id = $1) ORDER BY id";
        let id = id.map(|i| i.as_str().to_owned());
        on_db!(self, pool => {
            let rows = sqlx::query(sql).bind(id).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(WorkerNode {
                        id: WorkerId::parse(&r.try_get::<String, _>("id")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        worker_type: parse_set("worker_nodes.worker_type", &r.try_get::<String, _>("worker_type")?)?,
                        active: r.try_get::<String, _>("status")? == "active",
                        healthy: r.try_get::<String, _>("health")? == "healthy",
                        capacity: r.try_get("capacity")?,
                        version: r.try_get("version")?,
                        hostname: r.try_get("hostname")?,
                        registered_at: r.try_get("registered_at")?,
                        last_heartbeat_at: r.try_get("last_heartbeat_at")?,
                        stopped_at: r.try_get("stopped_at")?,
                    })
                })
                .collect()
        })
    }

    /// Stores a heartbeat and marks the worker as heard from. False when the worker is unknown.
    pub async fn record_heartbeat(&self, id: &WorkerId, hb: &Heartbeat, now: i64) -> Result<bool> {
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE worker_nodes SET last_heartbeat_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO worker_heartbeats (worker_id, sent_at, received_at, cpu_load, gpu_load, memory_used_bytes, \
                 memory_total_bytes, running_jobs, queue_depth) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id.as_str())
            .bind(hb.sent_at)
            .bind(now)
            .bind(hb.cpu_load)
            .bind(hb.gpu_load)
            .bind(hb.memory_used_bytes)
            .bind(hb.memory_total_bytes)
            .bind(hb.running_jobs)
            .bind(hb.queue_depth)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// The newest heartbeats of a worker, newest first.
    #[cfg(feature = "testing")]
    pub async fn recent_heartbeats(&self, id: &WorkerId, limit: u32) -> Result<Vec<Heartbeat>> {
        on_db!(self, pool => {
            let rows = sqlx::query(
                "SELECT sent_at, cpu_load, gpu_load, memory_used_bytes, memory_total_bytes, running_jobs, queue_depth \
                 FROM worker_heartbeats WHERE worker_id = $1 ORDER BY received_at DESC, id DESC LIMIT $2",
            )
            .bind(id.as_str())
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(Heartbeat {
                        sent_at: r.try_get("sent_at")?,
                        cpu_load: r.try_get("cpu_load")?,
                        gpu_load: r.try_get("gpu_load")?,
                        memory_used_bytes: r.try_get("memory_used_bytes")?,
                        memory_total_bytes: r.try_get("memory_total_bytes")?,
                        running_jobs: r.try_get("running_jobs")?,
                        queue_depth: r.try_get("queue_depth")?,
                    })
                })
                .collect()
        })
    }

    /// Whether a healthy GPU worker exists: registered, active, not stopped, heard from since
    /// `healthy_since` (ms).
    #[cfg(feature = "testing")]
    pub async fn healthy_gpu_worker_exists(&self, healthy_since: i64) -> Result<bool> {
        let n: i64 = on_db!(self, pool => {
            sqlx::query_scalar(include_str!("../sql/healthy_gpu_count.sql"))
                .bind(healthy_since)
                .fetch_one(pool)
                .await?
        });
        Ok(n > 0)
    }

    /// Deletes heartbeats received before `before` (ms); each worker keeps its
    /// `last_heartbeat_at`.
    pub async fn prune_heartbeats(&self, before: i64) -> Result<u64> {
        Ok(on_db!(self, pool => {
            sqlx::query("DELETE FROM worker_heartbeats WHERE received_at < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
