//! Schema migrations. Each version is one SQL file per driver, applied in one transaction and
//! recorded in `schema_migrations`. On PostgreSQL an advisory lock keeps two replicas that
//! start together from migrating at once.

use crate::{Driver, Result, Store, StoreError, on_db};

/// A migration: version, name, SQL for PostgreSQL, SQL for SQLite.
struct Migration {
    version: i64,
    name: &'static str,
    postgres: &'static str,
    sqlite: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        postgres: include_str!("../migrations/postgres/0001_initial.sql"),
        sqlite: include_str!("../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "events",
        postgres: include_str!("../migrations/postgres/0002_events.sql"),
        sqlite: include_str!("../migrations/sqlite/0002_events.sql"),
    },
    Migration {
        version: 3,
        name: "hardening",
        postgres: include_str!("../migrations/postgres/0003_hardening.sql"),
        sqlite: include_str!("../migrations/sqlite/0003_hardening.sql"),
    },
    Migration {
        version: 4,
        name: "binary_files",
        postgres: include_str!("../migrations/postgres/0004_binary_files.sql"),
        sqlite: include_str!("../migrations/sqlite/0004_binary_files.sql"),
    },
    Migration {
        version: 5,
        name: "ai_docs",
        postgres: include_str!("../migrations/postgres/0005_ai_docs.sql"),
        sqlite: include_str!("../migrations/sqlite/0005_ai_docs.sql"),
    },
    Migration {
        version: 6,
        name: "worker_health",
        postgres: include_str!("../migrations/postgres/0006_worker_health.sql"),
        sqlite: include_str!("../migrations/sqlite/0006_worker_health.sql"),
    },
    Migration {
        version: 7,
        name: "key_scopes",
        postgres: include_str!("../migrations/postgres/0007_key_scopes.sql"),
        sqlite: include_str!("../migrations/sqlite/0007_key_scopes.sql"),
    },
];

/// An arbitrary constant naming HiveSync's migration lock.
const PG_MIGRATION_LOCK: i64 = 0x4869_7665_5379_6e63;

impl Store {
    /// Applies every migration not applied yet; returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let lock = self.driver() == Driver::Postgres;
        on_db!(self, pool => {
            let mut conn = pool.acquire().await?;
            if lock {
                sqlx::query("SELECT pg_advisory_lock($1)").bind(PG_MIGRATION_LOCK).execute(&mut *conn).await?;
            }
            let result: Result<Vec<i64>> = async {
                sqlx::query(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                )
                .execute(&mut *conn)
                .await?;
                let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
                    .fetch_all(&mut *conn)
                    .await?;
                let mut applied = Vec::new();
                for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
                    let sql = if lock { m.postgres } else { m.sqlite };
                    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                    sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(|e| StoreError::Migration {
                        version: m.version,
                        message: e.to_string(),
                    })?;
                    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                        .bind(m.version)
                        .bind(m.name)
                        .bind(hivesync_core::clock::now_ms())
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    tracing::info!(version = m.version, name = m.name, "applied migration");
                    applied.push(m.version);
                }
                Ok(applied)
            }
            .await;
            if lock {
                sqlx::query("SELECT pg_advisory_unlock($1)").bind(PG_MIGRATION_LOCK).execute(&mut *conn).await?;
            }
            result
        })
    }

    /// The newest schema version this build knows.
    pub fn latest_schema_version() -> i64 {
        MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
    }
}
