//! HiveSync's database: one [`Store`] over PostgreSQL (production, any number of replicas) or
//! SQLite (the embedded `hivesync dev` default), with the same behaviour on both.
//!
//! - [`migrate`]: schema migrations, one SQL file per version and driver under `migrations/`.
//! - [`accounts`]: users, projects, members, API keys, session tokens.
//! - [`workers`]: worker registration and status.
//! - [`health`]: worker health from silence and error rate, and every change of it.
//! - [`admission`]: a preview request's tier quota, file set and job, in one transaction.
//! - [`ai_docs`]: an AI documentation request's quotas and job in one transaction; the
//!   document cache by input key.
//! - [`queue`]: jobs, the tier-priority claim with GPU routing, leases, final states.
//! - [`audit`]: security and routing events.
//! - [`analytics`]: recent jobs, queue depths, per-tier daily figures, the worker-log index.
//! - [`events`]: client events and the NOTIFY/in-process wake-ups.
//! - [`files`]: a project's current file set (for delta requests).
//! - [`preview_logs`]: preview-log sessions bound to their preview, with volume and rate limits.
//!
//! Times are Unix milliseconds everywhere; callers pass "now" (from `hivesync_core::clock`)
//! so tests control the clock.
//! Not here: HTTP, object storage, compiling.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub mod accounts;
pub mod admission;
pub mod ai_docs;
pub mod analytics;
pub mod audit;
pub mod events;
pub mod files;
pub mod health;
pub mod migrate;
pub mod preview_logs;
pub mod queue;
pub mod workers;

/// A database failure a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is neither `postgres://` nor `sqlite://`, or cannot be parsed (never echoed).
    #[error("database URL is not a valid postgres:// or sqlite:// URL")]
    BadUrl,
    /// The database cannot be reached right now (connection refused or lost, pool exhausted
    /// or closed, TLS): retrying later may help.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database answered with an error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A row references something that does not exist or breaks a constraint.
    #[error("constraint violated: {0}")]
    Constraint(String),
    /// A stored value is outside its closed set (a bug or a manual edit).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// A migration could not be applied.
    #[error("migration {version} failed: {message}")]
    Migration {
        /// The migration version.
        version: i64,
        /// What went wrong.
        message: String,
    },
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_) => StoreError::Unavailable(e.to_string()),
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    /// Maps a constraint violation to [`StoreError::Constraint`], other errors unchanged.
    fn classify(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && (db.is_unique_violation()
                || db.is_foreign_key_violation()
                || db.is_check_violation())
        {
            return StoreError::Constraint(db.message().to_owned());
        }
        e.into()
    }
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

#[derive(Clone, Debug)]
enum Db {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// The database. Cheap to clone (a pool handle).
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    signals: std::sync::Arc<events::Signals>,
}

/// Runs the same body against whichever pool the store holds. The body is type-checked once
/// per driver, so the same query code serves both.
macro_rules! on_db {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Postgres($pool) => $body,
            $crate::Db::Sqlite($pool) => $body,
        }
    };
}
pub(crate) use on_db;

/// Runs `$body` in a transaction `$tx` that serialises with other writers where a check is
/// followed by a write: PostgreSQL's plain `BEGIN` (the body takes the row locks it needs),
/// SQLite's `BEGIN IMMEDIATE` (the write lock at once, so no other writer comes between the
/// read and the write). A `return` inside before commit rolls back.
macro_rules! in_write_tx {
    ($store:expr, $tx:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                $body
            }
            $crate::Db::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                $body
            }
        }
    };
}
pub(crate) use in_write_tx;

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// Most connections in the pool.
    pub max_connections: u32,
    /// How long to wait for a connection.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

impl Store {
    /// Opens a pool for `url` without connecting yet (connections open on first use, so a
    /// database that is down does not stop start-up; [`Store::ping`] tells whether it answers).
    /// SQLite files are created when missing.
    pub fn open_lazy(url: &str, settings: &PoolSettings) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(|_| StoreError::BadUrl)?;
            let pool = PgPoolOptions::new()
                .max_connections(settings.max_connections)
                .acquire_timeout(settings.acquire_timeout)
                .connect_lazy_with(options);
            Ok(Self {
                db: Db::Postgres(pool),
                signals: Default::default(),
            })
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|_| StoreError::BadUrl)?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(settings.max_connections.max(1))
                .acquire_timeout(settings.acquire_timeout)
                .connect_lazy_with(options);
            Ok(Self {
                db: Db::Sqlite(pool),
                signals: Default::default(),
            })
        } else {
            Err(StoreError::BadUrl)
        }
    }

    /// Which database this is.
    pub fn driver(&self) -> Driver {
        match self.db {
            Db::Postgres(_) => Driver::Postgres,
            Db::Sqlite(_) => Driver::Sqlite,
        }
    }

    /// The PostgreSQL pool, for `LISTEN/NOTIFY` (None on SQLite).
    pub fn pg_pool(&self) -> Option<&PgPool> {
        match &self.db {
            Db::Postgres(p) => Some(p),
            Db::Sqlite(_) => None,
        }
    }

    /// Answers when the database answers `SELECT 1`.
    pub async fn ping(&self) -> Result<()> {
        on_db!(self, pool => { sqlx::query("SELECT 1").execute(pool).await?; });
        Ok(())
    }

    /// Closes every connection (waits for checked-out ones to come back).
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// Hex SHA-256, the form in which keys and tokens are stored.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

pub(crate) fn parse_set<T: FromStr>(column: &str, value: &str) -> Result<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} holds an unknown value")))
}

#[cfg(feature = "testing")]
pub mod testing;
