//! A project's current file set, so a preview request may send only a delta (changed files
//! and deleted paths) against the last accepted set.

use hivesync_core::ids::ProjectId;
#[cfg(feature = "testing")]
use hivesync_core::wire::TextFile;

use crate::{Result, Store, StoreError, on_db};

impl Store {
    /// The project's current file set, by path.
    #[cfg(feature = "testing")]
    pub async fn project_files(&self, project: ProjectId) -> Result<Vec<TextFile>> {
        let rows: Vec<(String, String)> = on_db!(self, pool => {
            sqlx::query_as("SELECT path, content FROM project_files WHERE project_id = $1 ORDER BY path")
                .bind(project.to_string())
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(path, content)| TextFile { path, content })
            .collect())
    }

    /// The project's current files as `(path, size in bytes)`, by path, without their contents
    /// (what a limit check needs).
    pub async fn project_file_sizes(&self, project: ProjectId) -> Result<Vec<(String, i64)>> {
        let sql = match self.driver() {
            crate::Driver::Postgres => {
                "SELECT path, octet_length(content)::BIGINT FROM project_files WHERE project_id = $1 ORDER BY path"
            }
            crate::Driver::Sqlite => {
                "SELECT path, length(CAST(content AS BLOB)) FROM project_files WHERE project_id = $1 ORDER BY path"
            }
        };
        Ok(on_db!(self, pool => {
            sqlx::query_as(sql).bind(project.to_string()).fetch_all(pool).await?
        }))
    }

    /// Replaces the whole file set (`replace = true`) or applies a delta (`changed` upserted,
    /// `deleted` removed), in one transaction, and returns the resulting set. Updates of one
    /// project are serialised (PostgreSQL: the project row is locked; SQLite: one writer), so
    /// concurrent deltas each apply to the set the previous one left. When the result would
    /// hold more than `max_files` files nothing is written and `Ok(Err(count))` says how many.
    #[cfg(feature = "testing")]
    pub async fn update_project_files(
        &self,
        project: ProjectId,
        replace: bool,
        changed: &[TextFile],
        deleted: &[String],
        max_files: usize,
        now: i64,
    ) -> Result<Result<Vec<TextFile>, usize>> {
        let is_pg = self.pg_pool().is_some();
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let rows = apply_files_in!(tx, is_pg, project, replace, changed, deleted, now);
            if rows.len() > max_files {
                tx.rollback().await?;
                return Ok(Err(rows.len()));
            }
            tx.commit().await?;
            Ok(Ok(rows))
        })
    }

    /// The ids of the projects `user` is a member of.
    pub async fn user_project_ids(
        &self,
        user: hivesync_core::ids::UserId,
    ) -> Result<Vec<ProjectId>> {
        let rows: Vec<String> = on_db!(self, pool => {
            sqlx::query_scalar("SELECT project_id FROM project_members WHERE user_id = $1 ORDER BY project_id")
                .bind(user.to_string())
                .fetch_all(pool)
                .await?
        });
        rows.iter()
            .map(|p| ProjectId::parse(p).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }
}

/// Inside transaction `tx`: locks the project row (PostgreSQL; SQLite has one writer), applies
/// a full replacement or a delta and evaluates to the resulting file set, by path.
macro_rules! apply_files_in {
    ($tx:expr, $is_pg:expr, $project:expr, $replace:expr, $changed:expr, $deleted:expr, $now:expr) => {{
        let project = $project.to_string();
        if $is_pg {
            sqlx::query("SELECT id FROM projects WHERE id = $1 FOR UPDATE")
                .bind(&project)
                .execute(&mut *$tx)
                .await?;
        }
        if $replace {
            sqlx::query("DELETE FROM project_files WHERE project_id = $1")
                .bind(&project)
                .execute(&mut *$tx)
                .await?;
        }
        for path in $deleted {
            sqlx::query("DELETE FROM project_files WHERE project_id = $1 AND path = $2")
                .bind(&project)
                .bind(path)
                .execute(&mut *$tx)
                .await?;
        }
        for f in $changed {
            sqlx::query(
                "INSERT INTO project_files (project_id, path, content, content_hash, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (project_id, path) DO UPDATE SET content = excluded.content, \
                 content_hash = excluded.content_hash, updated_at = excluded.updated_at",
            )
            .bind(&project)
            .bind(&f.path)
            .bind(&f.content)
            .bind($crate::sha256_hex(f.content.as_bytes()))
            .bind($now)
            .execute(&mut *$tx)
            .await
            .map_err($crate::StoreError::classify)?;
        }
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT path, content FROM project_files WHERE project_id = $1 ORDER BY path")
                .bind(&project)
                .fetch_all(&mut *$tx)
                .await?;
        rows.into_iter()
            .map(|(path, content)| hivesync_core::wire::TextFile { path, content })
            .collect::<Vec<_>>()
    }};
}
pub(crate) use apply_files_in;
