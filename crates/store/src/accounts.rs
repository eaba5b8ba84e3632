//! Users, projects and their members, API keys and session tokens.

use hivesync_core::Tier;
use hivesync_core::ids::{ApiKeyId, ProjectId, UserId};
use rand::Rng;
use sqlx::Row;

use crate::{Result, Store, StoreError, on_db, parse_set, sha256_hex};

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Unique e-mail address.
    pub email: String,
    /// Subscription tier.
    pub tier: Tier,
}

/// A project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Id.
    pub id: ProjectId,
    /// Owner.
    pub owner_id: UserId,
    /// Display name.
    pub name: String,
    /// Flagged as a mobile app: device previews are allowed.
    pub is_mobile_app: bool,
}

/// A member's role in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Created the project; full rights.
    Owner,
    /// May request previews and docs.
    Editor,
    /// May read results only.
    Viewer,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "owner" => Ok(Role::Owner),
            "editor" => Ok(Role::Editor),
            "viewer" => Ok(Role::Viewer),
            _ => Err(StoreError::Corrupt(
                "project_members.role holds an unknown value".into(),
            )),
        }
    }

    /// True when this role may start jobs.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Editor)
    }
}

/// What an API key may do. One scope per key.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// A developer's key (desktop app, editor plugin, CLI): jobs, results, events, diagnostics,
    /// login tokens, and the user's own keys.
    Client,
    /// A CI key: submits jobs and reads their results (and their progress events); nothing
    /// else.
    Ci,
    /// An operator's key: everything, including the admin API.
    Admin,
}

impl Scope {
    /// The stored and written name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Client => "client",
            Scope::Ci => "ci",
            Scope::Admin => "admin",
        }
    }

    /// Every scope.
    pub const ALL: [Scope; 3] = [Scope::Client, Scope::Ci, Scope::Admin];
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| format!("unknown scope `{s}` (client, ci or admin)"))
    }
}

/// A freshly created API key: the plaintext exists only here, once.
#[derive(Debug)]
pub struct NewApiKey {
    /// The key's id.
    pub id: ApiKeyId,
    /// The full key, to hand to the user; only its hash is stored.
    pub plaintext: hivesync_core::Secret,
}

/// Who an API key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyOwner {
    /// The key's id.
    pub key_id: ApiKeyId,
    /// The user.
    pub user: User,
    /// What the key may do.
    pub scope: Scope,
}

impl ApiKeyOwner {
    /// Whether the key opens the admin API.
    pub fn is_admin(&self) -> bool {
        self.scope == Scope::Admin
    }
}

/// An API key as listings show it: never the key itself, only its first characters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiKeyInfo {
    /// The key's id.
    pub id: ApiKeyId,
    /// Its owner.
    pub user_id: UserId,
    /// Its owner's e-mail address.
    pub user_email: String,
    /// The name given at creation.
    pub name: String,
    /// The first characters of the key (`hsk_` and six more), to recognise it by.
    pub prefix: String,
    /// What it may do.
    pub scope: Scope,
    /// When it was created (ms since the epoch).
    pub created_at: i64,
    /// When it was last used, if ever.
    pub last_used_at: Option<i64>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
}

/// The prefix every HiveSync API key starts with (so secret scanners can find leaked keys).
pub const API_KEY_PREFIX: &str = "hsk_";
/// The prefix of one-time website login tokens.
pub const SESSION_TOKEN_PREFIX: &str = "hst_";

/// An `api_keys` row joined with its owner's e-mail, in the order `select_keys!` selects.
type KeyRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
);

/// `SELECT` of a [`KeyRow`], then `$tail` (a literal, so the statement stays one literal).
macro_rules! select_keys {
    ($tail:literal) => {
        concat!(
            "SELECT k.id, k.user_id, u.email, k.name, k.prefix, k.scopes, k.created_at, ",
            "k.last_used_at, k.revoked_at FROM api_keys k JOIN users u ON u.id = k.user_id ",
            $tail
        )
    };
}

fn api_key_info(row: KeyRow) -> Result<ApiKeyInfo> {
    let (id, user_id, user_email, name, prefix, scope, created_at, last_used_at, revoked_at) = row;
    let corrupt = |e: hivesync_core::ids::InvalidId| StoreError::Corrupt(e.to_string());
    Ok(ApiKeyInfo {
        id: ApiKeyId::parse(&id).map_err(corrupt)?,
        user_id: UserId::parse(&user_id).map_err(corrupt)?,
        user_email,
        name,
        prefix,
        scope: parse_set("api_keys.scopes", &scope)?,
        created_at,
        last_used_at,
        revoked_at,
    })
}

fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

impl Store {
    /// Creates a user.
    pub async fn create_user(&self, email: &str, tier: Tier, now: i64) -> Result<User> {
        let id = UserId::new_random();
        on_db!(self, pool => {
            sqlx::query("INSERT INTO users (id, email, tier, created_at) VALUES ($1, $2, $3, $4)")
                .bind(id.to_string())
                .bind(email)
                .bind(tier.as_str())
                .bind(now)
                .execute(pool)
                .await
                .map_err(StoreError::classify)?;
        });
        Ok(User {
            id,
            email: email.to_owned(),
            tier,
        })
    }

    /// A user by id.
    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        let row: Option<(String, String)> = on_db!(self, pool => {
            sqlx::query_as("SELECT email, tier FROM users WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.map(|(email, tier)| {
            Ok(User {
                id,
                email,
                tier: parse_set("users.tier", &tier)?,
            })
        })
        .transpose()
    }

    /// Changes a user's tier.
    pub async fn set_user_tier(&self, id: UserId, tier: Tier) -> Result<bool> {
        let n = on_db!(self, pool => {
            sqlx::query("UPDATE users SET tier = $1 WHERE id = $2")
                .bind(tier.as_str())
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// Creates a project owned by `owner` (who becomes its `owner` member).
    pub async fn create_project(
        &self,
        owner: UserId,
        name: &str,
        is_mobile_app: bool,
        now: i64,
    ) -> Result<Project> {
        let id = ProjectId::new_random();
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO projects (id, owner_id, name, is_mobile_app, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id.to_string())
                .bind(owner.to_string())
                .bind(name)
                .bind(is_mobile_app)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::classify)?;
            sqlx::query("INSERT INTO project_members (project_id, user_id, role, added_at) VALUES ($1, $2, 'owner', $3)")
                .bind(id.to_string())
                .bind(owner.to_string())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::classify)?;
            tx.commit().await?;
        });
        Ok(Project {
            id,
            owner_id: owner,
            name: name.to_owned(),
            is_mobile_app,
        })
    }

    /// A project by id.
    pub async fn project(&self, id: ProjectId) -> Result<Option<Project>> {
        let row: Option<(String, String, bool)> = on_db!(self, pool => {
            sqlx::query_as("SELECT owner_id, name, is_mobile_app FROM projects WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.map(|(owner, name, is_mobile_app)| {
            Ok(Project {
                id,
                owner_id: UserId::parse(&owner).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                name,
                is_mobile_app,
            })
        })
        .transpose()
    }

    /// Adds (or changes) a member.
    pub async fn add_member(
        &self,
        project: ProjectId,
        user: UserId,
        role: Role,
        now: i64,
    ) -> Result<()> {
        on_db!(self, pool => {
            sqlx::query(
                "INSERT INTO project_members (project_id, user_id, role, added_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
            )
            .bind(project.to_string())
            .bind(user.to_string())
            .bind(role.as_str())
            .bind(now)
            .execute(pool)
            .await
            .map_err(StoreError::classify)?;
        });
        Ok(())
    }

    /// Removes a member; false when `user` was not one.
    pub async fn remove_member(&self, project: ProjectId, user: UserId) -> Result<bool> {
        let n = on_db!(self, pool => {
            sqlx::query("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2")
                .bind(project.to_string())
                .bind(user.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// What an open event stream may still deliver: `None` when the key was revoked (or
    /// deleted), else whether its user is still a member of `project`.
    pub async fn api_key_sees_project(
        &self,
        key: ApiKeyId,
        project: ProjectId,
    ) -> Result<Option<bool>> {
        let row: Option<(i64,)> = on_db!(self, pool => {
            sqlx::query_as(
                "SELECT COUNT(m.user_id) FROM api_keys k \
                 LEFT JOIN project_members m ON m.user_id = k.user_id AND m.project_id = $2 \
                 WHERE k.id = $1 AND k.revoked_at IS NULL GROUP BY k.id",
            )
            .bind(key.to_string())
            .bind(project.to_string())
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(n,)| n > 0))
    }

    /// The user's role in the project, if a member.
    pub async fn member_role(&self, project: ProjectId, user: UserId) -> Result<Option<Role>> {
        let role: Option<String> = on_db!(self, pool => {
            sqlx::query_scalar("SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2")
                .bind(project.to_string())
                .bind(user.to_string())
                .fetch_optional(pool)
                .await?
        });
        role.map(|r| Role::parse(&r)).transpose()
    }

    /// Creates an API key for `user` with `scope`. Only its SHA-256 is stored.
    pub async fn create_api_key(
        &self,
        user: UserId,
        name: &str,
        scope: Scope,
        now: i64,
    ) -> Result<NewApiKey> {
        let id = ApiKeyId::new_random();
        let plaintext = format!("{API_KEY_PREFIX}{}", random_token(40));
        on_db!(self, pool => {
            sqlx::query(
                "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, is_admin, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id.to_string())
            .bind(user.to_string())
            .bind(name)
            .bind(&plaintext[..API_KEY_PREFIX.len() + 6])
            .bind(sha256_hex(plaintext.as_bytes()))
            .bind(scope.as_str())
            .bind(scope == Scope::Admin)
            .bind(now)
            .execute(pool)
            .await
            .map_err(StoreError::classify)?;
        });
        Ok(NewApiKey {
            id,
            plaintext: hivesync_core::Secret::new(plaintext),
        })
    }

    /// The owner of a presented API key, if it exists and is not revoked; records its use.
    pub async fn authenticate_api_key(
        &self,
        presented: &str,
        now: i64,
    ) -> Result<Option<ApiKeyOwner>> {
        if !presented.starts_with(API_KEY_PREFIX) || presented.len() > 128 {
            return Ok(None);
        }
        // Lookup by hash: no timing side channel on the key itself.
        let hash = sha256_hex(presented.as_bytes());
        let row = on_db!(self, pool => {
            let row = sqlx::query(
                "SELECT k.id AS key_id, k.scopes, u.id AS user_id, u.email, u.tier \
                 FROM api_keys k JOIN users u ON u.id = k.user_id \
                 WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
            )
            .bind(&hash)
            .fetch_optional(pool)
            .await?;
            match row {
                None => None,
                Some(r) => {
                    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE key_hash = $2")
                        .bind(now)
                        .bind(&hash)
                        .execute(pool)
                        .await?;
                    Some((
                        r.try_get::<String, _>("key_id")?,
                        r.try_get::<String, _>("scopes")?,
                        r.try_get::<String, _>("user_id")?,
                        r.try_get::<String, _>("email")?,
                        r.try_get::<String, _>("tier")?,
                    ))
                }
            }
        });
        let Some((key_id, scope, user_id, email, tier)) = row else {
            return Ok(None);
        };
        let corrupt = |e: hivesync_core::ids::InvalidId| StoreError::Corrupt(e.to_string());
        Ok(Some(ApiKeyOwner {
            key_id: ApiKeyId::parse(&key_id).map_err(corrupt)?,
            user: User {
                id: UserId::parse(&user_id).map_err(corrupt)?,
                email,
                tier: parse_set("users.tier", &tier)?,
            },
            scope: parse_set("api_keys.scopes", &scope)?,
        }))
    }

    /// The keys of `user` (or of everyone), newest first, at most `limit`.
    pub async fn list_api_keys(&self, user: Option<UserId>, limit: u32) -> Result<Vec<ApiKeyInfo>> {
        let rows: Vec<KeyRow> = on_db!(self, pool => {
            sqlx::query_as(select_keys!(
                "WHERE ($1 IS NULL OR k.user_id = $1) ORDER BY k.created_at DESC, k.id DESC LIMIT $2"
            ))
                .bind(user.map(|u| u.to_string()))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(api_key_info).collect()
    }

    /// One key by id.
    pub async fn api_key(&self, id: ApiKeyId) -> Result<Option<ApiKeyInfo>> {
        let row: Option<KeyRow> = on_db!(self, pool => {
            sqlx::query_as(select_keys!("WHERE k.id = $1"))
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.map(api_key_info).transpose()
    }

    /// A user by e-mail address.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row: Option<(String, String)> = on_db!(self, pool => {
            sqlx::query_as("SELECT id, tier FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(id, tier)| {
            Ok(User {
                id: UserId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                email: email.to_owned(),
                tier: parse_set("users.tier", &tier)?,
            })
        })
        .transpose()
    }

    /// Revokes a key; it stops working at once.
    pub async fn revoke_api_key(&self, id: ApiKeyId, now: i64) -> Result<bool> {
        let n = on_db!(self, pool => {
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// Stores a one-time website login token (hashed) for `user`.
    pub async fn create_session_token(
        &self,
        user: UserId,
        token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        on_db!(self, pool => {
            sqlx::query("INSERT INTO session_tokens (token_hash, user_id, created_at, expires_at, used) VALUES ($1, $2, $3, $4, $5)")
                .bind(sha256_hex(token.as_bytes()))
                .bind(user.to_string())
                .bind(now)
                .bind(expires_at)
                .bind(false)
                .execute(pool)
                .await
                .map_err(StoreError::classify)?;
        });
        Ok(())
    }

    /// Issues a fresh random one-time login token for `user`, valid until `expires_at`; only
    /// its hash is stored.
    pub async fn issue_session_token(
        &self,
        user: UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<hivesync_core::Secret> {
        let token = format!("{SESSION_TOKEN_PREFIX}{}", random_token(43));
        self.create_session_token(user, &token, now, expires_at)
            .await?;
        Ok(hivesync_core::Secret::new(token))
    }

    /// Why a token cannot be redeemed: `used`, `expired`, or `unknown` (no such hash).
    pub async fn session_token_refusal(&self, token: &str, now: i64) -> Result<&'static str> {
        let row: Option<(bool, i64)> = on_db!(self, pool => {
            sqlx::query_as("SELECT used, expires_at FROM session_tokens WHERE token_hash = $1")
                .bind(sha256_hex(token.as_bytes()))
                .fetch_optional(pool)
                .await?
        });
        Ok(match row {
            Some((true, _)) => "used",
            Some((false, e)) if e < now => "expired",
            Some(_) => "unused",
            None => "unknown",
        })
    }

    /// Marks a session token used; true when it existed, was unused and unexpired.
    pub async fn use_session_token(&self, token: &str, now: i64) -> Result<Option<UserId>> {
        let user: Option<String> = on_db!(self, pool => {
            sqlx::query_scalar(
                "UPDATE session_tokens SET used = $1 WHERE token_hash = $2 AND used = $3 AND expires_at >= $4 RETURNING user_id",
            )
            .bind(true)
            .bind(sha256_hex(token.as_bytes()))
            .bind(false)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        user.map(|u| UserId::parse(&u).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    /// Deletes up to `batch` session tokens that expired before `now` or were used; returns how
    /// many. Small batches keep each statement short on a busy table; call until it returns
    /// less than `batch`.
    pub async fn delete_stale_session_tokens(&self, now: i64, batch: u32) -> Result<u64> {
        let n = on_db!(self, pool => {
            sqlx::query(
                "DELETE FROM session_tokens WHERE token_hash IN \
                 (SELECT token_hash FROM session_tokens WHERE expires_at < $1 OR used = $2 LIMIT $3)",
            )
            .bind(now)
            .bind(true)
            .bind(i64::from(batch))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n)
    }

    /// Number of session tokens stored (for tests and the admin page).
    #[cfg(feature = "testing")]
    pub async fn count_session_tokens(&self) -> Result<i64> {
        Ok(on_db!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM session_tokens").fetch_one(pool).await?
        }))
    }
}
