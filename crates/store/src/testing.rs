//! Throw-away databases for tests: each [`TestDb`] is a new PostgreSQL database or a new SQLite
//! file, migrated, and removed again when dropped.
//!
//! PostgreSQL is reached at `HIVESYNC_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, an admin connection used to create and drop
//! the per-test databases). A PostgreSQL that does not answer fails the test: it is never
//! skipped.

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::{Driver, PoolSettings, Store};

/// The admin URL of the test PostgreSQL server.
pub fn postgres_admin_url() -> String {
    std::env::var("HIVESYNC_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A fresh, migrated database that disappears on drop.
pub struct TestDb {
    /// The store over it.
    pub store: Store,
    /// Its URL (to hand to child processes).
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A fresh database of the given driver.
    pub async fn new(driver: Driver) -> Self {
        match driver {
            Driver::Postgres => Self::postgres().await,
            Driver::Sqlite => Self::sqlite().await,
        }
    }

    /// A fresh PostgreSQL database.
    pub async fn postgres() -> Self {
        let admin = postgres_admin_url();
        let name = format!("hivesync_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| {
                panic!("PostgreSQL for tests does not answer at HIVESYNC_TEST_POSTGRES_URL: {e}")
            });
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        let options = PgConnectOptions::from_str(&admin)
            .expect("admin url")
            .database(&name);
        let url = options.to_url_lossy().to_string();
        let store = Store::open_lazy(&url, &PoolSettings::default()).expect("open test database");
        store.migrate().await.expect("migrate test database");
        Self {
            store,
            url,
            pg_name: Some(name),
            _dir: None,
        }
    }

    /// A fresh SQLite file in a temporary folder.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = Store::open_lazy(&url, &PoolSettings::default()).expect("open test database");
        store.migrate().await.expect("migrate test database");
        Self {
            store,
            url,
            pg_name: None,
            _dir: Some(dir),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop may run inside the test's runtime, which is blocked while we wait here: the
        // cleanup runs on its own thread and runtime, and `WITH (FORCE)` ends the pool's
        // connections server-side instead of waiting for the blocked runtime to close them.
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await;
                }
            });
        });
        let _ = handle.join();
    }
}

impl Store {
    /// Runs a raw statement (tests of the schema's own constraints only).
    pub async fn execute_unchecked_for_tests(&self, sql: &'static str) -> crate::Result<()> {
        crate::on_db!(self, pool => { sqlx::raw_sql(sql).execute(pool).await?; });
        Ok(())
    }

    /// The first column (text) of every row of a raw query (tests that look at what is stored).
    pub async fn strings_for_tests(&self, sql: &'static str) -> crate::Result<Vec<String>> {
        Ok(crate::on_db!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).fetch_all(pool).await?
        }))
    }

    /// Inserts a job row directly, bypassing the queue API (tests of CHECK constraints only).
    pub async fn job_insert_for_tests(
        &self,
        project: hivesync_core::ids::ProjectId,
        user: hivesync_core::ids::UserId,
        tier: &str,
        priority: i32,
        state: &str,
        failure_reason: Option<&str>,
    ) -> crate::Result<()> {
        let finished: Option<i64> = matches!(state, "succeeded" | "failed").then_some(1);
        crate::on_db!(self, pool => {
            sqlx::query(
                "INSERT INTO jobs (id, kind, project_id, user_id, tier, priority, state, created_at, expires_at, finished_at, failure_reason) \
                 VALUES ($1, 'preview', $2, $3, $4, $5, $6, 0, 1, $7, $8)",
            )
            .bind(hivesync_core::ids::JobId::new_random().to_string())
            .bind(project.to_string())
            .bind(user.to_string())
            .bind(tier)
            .bind(priority)
            .bind(state)
            .bind(finished)
            .bind(failure_reason)
            .execute(pool)
            .await
            .map_err(crate::StoreError::classify)?;
        });
        Ok(())
    }
}
