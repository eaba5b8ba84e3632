//! Client events (`events` table) and the wake-up signals between processes.
//!
//! PostgreSQL: appending an event sends `NOTIFY hivesync_events` in the same transaction and
//! enqueuing a job sends `NOTIFY hivesync_jobs`, so every replica and worker hears of them at
//! commit. SQLite (one process): the same calls wake in-process waiters instead.

use std::sync::Arc;
use std::time::Duration;

use hivesync_core::ids::ProjectId;
use tokio::sync::Notify;

use crate::{Result, Store, on_db};

/// Channel of job notifications.
pub const JOBS_CHANNEL: &str = "hivesync_jobs";
/// Channel of event notifications.
pub const EVENTS_CHANNEL: &str = "hivesync_events";
/// Advisory lock serialising event inserts (an arbitrary constant: "events").
pub(crate) const EVENTS_LOCK: i64 = 0x6576_656e_7473;

/// A stored client event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Monotonic id (the SSE `id:`).
    pub id: i64,
    /// Project it concerns.
    pub project_id: String,
    /// `preview.ready`, `preview.failed`, `ai_docs.ready`, `ai_docs.failed`.
    pub kind: String,
    /// Job it concerns.
    pub job_id: String,
    /// JSON payload.
    pub payload: String,
    /// When (ms).
    pub created_at: i64,
}

/// The columns of `events`, in the order every query selects them.
type EventRow = (i64, String, String, String, String, i64);

impl From<EventRow> for Event {
    fn from((id, project_id, kind, job_id, payload, created_at): EventRow) -> Self {
        Event {
            id,
            project_id,
            kind,
            job_id,
            payload,
            created_at,
        }
    }
}

/// In-process wake-ups (SQLite, and same-process waiters on PostgreSQL).
#[derive(Debug, Default)]
pub(crate) struct Signals {
    pub(crate) jobs: Notify,
    pub(crate) events: Notify,
}

/// Something to wait on for "maybe new work" or "maybe new events".
pub struct Waiter {
    local: Arc<Signals>,
    which: Channel,
    pg: Option<sqlx::postgres::PgListener>,
}

#[derive(Clone, Copy)]
enum Channel {
    Jobs,
    Events,
}

impl Waiter {
    /// Waits until a notification arrives or `timeout` passes (polling stays the fallback:
    /// a lost notification costs at most one timeout).
    pub async fn wait(&mut self, timeout: Duration) {
        let local = match self.which {
            Channel::Jobs => self.local.jobs.notified(),
            Channel::Events => self.local.events.notified(),
        };
        match &mut self.pg {
            Some(listener) => {
                tokio::select! {
                    _ = local => {}
                    r = listener.recv() => {
                        if let Err(e) = r {
                            tracing::debug!("notification listener reconnecting: {e}");
                            tokio::time::sleep(timeout.min(Duration::from_secs(1))).await;
                        }
                    }
                    _ = tokio::time::sleep(timeout) => {}
                }
            }
            None => {
                tokio::select! {
                    _ = local => {}
                    _ = tokio::time::sleep(timeout) => {}
                }
            }
        }
    }
}

impl Store {
    async fn waiter(&self, which: Channel) -> Waiter {
        let pg = match self.pg_pool() {
            Some(pool) => {
                let channel = match which {
                    Channel::Jobs => JOBS_CHANNEL,
                    Channel::Events => EVENTS_CHANNEL,
                };
                match sqlx::postgres::PgListener::connect_with(pool).await {
                    Ok(mut l) => match l.listen(channel).await {
                        Ok(()) => Some(l),
                        Err(e) => {
                            tracing::warn!("cannot LISTEN {channel}; polling instead: {e}");
                            None
                        }
                    },
                    Err(e) => {
                        tracing::warn!("cannot open a notification listener; polling instead: {e}");
                        None
                    }
                }
            }
            None => None,
        };
        Waiter {
            local: self.signals.clone(),
            which,
            pg,
        }
    }

    /// A waiter for new jobs.
    pub async fn job_waiter(&self) -> Waiter {
        self.waiter(Channel::Jobs).await
    }

    /// A waiter for new events.
    pub async fn event_waiter(&self) -> Waiter {
        self.waiter(Channel::Events).await
    }

    pub(crate) fn wake_jobs(&self) {
        self.signals.jobs.notify_waiters();
    }

    pub(crate) fn wake_events(&self) {
        self.signals.events.notify_waiters();
    }

    /// Events of `projects` with an id above `after`, oldest first.
    pub async fn events_after(
        &self,
        projects: &[ProjectId],
        after: i64,
        limit: u32,
    ) -> Result<Vec<Event>> {
        if projects.is_empty() {
            return Ok(Vec::new());
        }
        // Projects as one JSON array parameter keeps the statement static on both drivers.
        let list =
            serde_json::to_string(&projects.iter().map(|p| p.to_string()).collect::<Vec<_>>())
                .expect("strings serialize");
        let sql = match self.driver() {
            crate::Driver::Postgres => {
                "SELECT id, project_id, kind, job_id, payload, created_at FROM events \
                 WHERE id > $1 AND project_id IN (SELECT jsonb_array_elements_text($2::jsonb)) ORDER BY id LIMIT $3"
            }
            crate::Driver::Sqlite => {
                "SELECT id, project_id, kind, job_id, payload, created_at FROM events \
                 WHERE id > $1 AND project_id IN (SELECT value FROM json_each($2)) ORDER BY id LIMIT $3"
            }
        };
        let rows: Vec<EventRow> = on_db!(self, pool => {
            sqlx::query_as(sql).bind(after).bind(&list).bind(i64::from(limit)).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Event::from).collect())
    }

    /// Every event with an id above `after`, oldest first (the fan-out of one replica).
    pub async fn events_since(&self, after: i64, limit: u32) -> Result<Vec<Event>> {
        let rows: Vec<EventRow> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT id, project_id, kind, job_id, payload, created_at FROM events WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Event::from).collect())
    }

    /// The newest event id (0 when none).
    pub async fn last_event_id(&self) -> Result<i64> {
        let id: Option<i64> = on_db!(self, pool => {
            sqlx::query_scalar("SELECT MAX(id) FROM events").fetch_one(pool).await?
        });
        Ok(id.unwrap_or(0))
    }

    /// Deletes events older than `before` (ms); returns how many.
    pub async fn prune_events(&self, before: i64) -> Result<u64> {
        Ok(on_db!(self, pool => {
            sqlx::query("DELETE FROM events WHERE created_at < $1").bind(before).execute(pool).await?.rows_affected()
        }))
    }
}

/// Appends an event inside an open transaction and notifies (PostgreSQL: at commit).
macro_rules! append_event_in {
    ($tx:expr, $is_pg:expr, $event:expr, $now:expr) => {{
        let event: &hivesync_core::client_events::ClientEvent = $event;
        // Readers page by `id > last seen`, so ids must become visible in order: a
        // transaction-scoped lock makes event inserts commit in id order on PostgreSQL (a
        // later id can otherwise commit first and the earlier one would be skipped for good).
        // SQLite has one writer at a time, which gives the same order.
        if $is_pg {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind($crate::events::EVENTS_LOCK)
                .execute(&mut *$tx)
                .await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (project_id, kind, job_id, payload, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(event.project_id().to_string())
        .bind(event.kind())
        .bind(event.job_id().to_string())
        .bind(event.payload())
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        if $is_pg {
            sqlx::query("SELECT pg_notify('hivesync_events', $1)").bind(id.to_string()).execute(&mut *$tx).await?;
        }
        id
    }};
}
pub(crate) use append_event_in;
