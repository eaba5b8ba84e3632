//! A project's current file set, so a preview request may send only a delta (changed files
//! and deleted paths) against the last accepted set.

use hivesync_core::ids::ProjectId;
use hivesync_core::wire::{Encoding, TextFile};

use crate::{Result, Store, StoreError, on_db};

impl Store {
    /// The project's current file set, by path.
    #[cfg(feature = "testing")]
    pub async fn project_files(&self, project: ProjectId) -> Result<Vec<TextFile>> {
        let rows: Vec<(String, String, String)> = on_db!(self, pool => {
            sqlx::query_as(FILES_SQL)
                .bind(project.to_string())
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(file_of_row).collect()
    }

    /// The project's current files' sizes, by path, without their contents (what a limit check
    /// needs): a binary file's is its decoded size.
    pub async fn project_file_sizes(&self, project: ProjectId) -> Result<Vec<FileSize>> {
        let sql = match self.driver() {
            crate::Driver::Postgres => {
                "SELECT path, octet_length(content)::BIGINT, encoding, right(content, 2) FROM project_files WHERE project_id = $1 ORDER BY path"
            }
            crate::Driver::Sqlite => {
                "SELECT path, length(CAST(content AS BLOB)), encoding, substr(content, -2) FROM project_files WHERE project_id = $1 ORDER BY path"
            }
        };
        let rows: Vec<(String, i64, String, String)> = on_db!(self, pool => {
            sqlx::query_as(sql).bind(project.to_string()).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(path, len, encoding, tail)| {
                let binary = encoding == Encoding::Base64.as_str();
                let len = len.max(0) as u64;
                let bytes = if binary {
                    let pad = tail.bytes().filter(|b| *b == b'=').count() as u64;
                    (len / 4 * 3).saturating_sub(pad)
                } else {
                    len
                };
                FileSize {
                    path,
                    bytes,
                    binary,
                }
            })
            .collect())
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

/// The size of one stored file ([`Store::project_file_sizes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    /// Project-relative path.
    pub path: String,
    /// Size in bytes (decoded, for a binary file).
    pub bytes: u64,
    /// Whether it is a binary file (an image or font).
    pub binary: bool,
}

/// A project's files ($1), by path.
pub(crate) const FILES_SQL: &str =
    "SELECT path, content, encoding FROM project_files WHERE project_id = $1 ORDER BY path";

/// A file from its `(path, content, encoding)` row.
pub(crate) fn file_of_row((path, content, encoding): (String, String, String)) -> Result<TextFile> {
    let encoding = Encoding::parse(&encoding)
        .ok_or_else(|| StoreError::Corrupt(format!("file encoding {encoding:?}")))?;
    Ok(TextFile {
        path,
        content,
        encoding,
    })
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
                "INSERT INTO project_files (project_id, path, content, content_hash, updated_at, encoding) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (project_id, path) DO UPDATE SET content = excluded.content, \
                 content_hash = excluded.content_hash, updated_at = excluded.updated_at, encoding = excluded.encoding",
            )
            .bind(&project)
            .bind(&f.path)
            .bind(&f.content)
            .bind($crate::sha256_hex(f.content.as_bytes()))
            .bind($now)
            .bind(f.encoding.as_str())
            .execute(&mut *$tx)
            .await
            .map_err($crate::StoreError::classify)?;
        }
        let rows: Vec<(String, String, String)> = sqlx::query_as($crate::files::FILES_SQL)
            .bind(&project)
            .fetch_all(&mut *$tx)
            .await?;
        rows.into_iter()
            .map($crate::files::file_of_row)
            .collect::<$crate::Result<Vec<_>>>()?
    }};
}
pub(crate) use apply_files_in;
