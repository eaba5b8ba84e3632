//! API keys and the accounts they belong to.
//!
//! A key has one scope ([`Scope`]): `client` (a developer's desktop app, editor plugin or
//! terminal), `ci` (submits jobs and reads their results and progress, nothing else) or `admin`
//! (everything, the admin API included). Which route family each scope reaches is
//! [`crate::auth::Family`]. Keys are stored as SHA-256 only; the key itself is in the creating
//! response, once.
//!
//! | method | path | who | what |
//! | --- | --- | --- | --- |
//! | POST | `/api/v1/keys` | `client`/`admin` key | a new key for the caller (`client` or `ci`; an admin key may make `admin`) |
//! | GET | `/api/v1/keys` | `client`/`admin` key | the caller's keys |
//! | DELETE | `/api/v1/keys/{key_id}` | `client`/`admin` key | revokes one of the caller's keys |
//! | POST | `/api/v1/admin/users` | admin | creates a user |
//! | POST | `/api/v1/admin/projects` | admin | creates a project owned by a user |
//! | POST | `/api/v1/admin/keys` | admin | a new key of any scope for any user |
//! | GET | `/api/v1/admin/keys` | admin | every key, or one user's (`?user=EMAIL`) |
//! | DELETE | `/api/v1/admin/keys/{key_id}` | admin | revokes any key |

use std::net::SocketAddr;

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use hivesync_core::Tier;
use hivesync_core::clock::now_ms;
use hivesync_core::ids::ApiKeyId;
use hivesync_store::StoreError;
use hivesync_store::accounts::{ApiKeyInfo, Scope, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api_error::ApiError;
use crate::auth::{self, Family};
use crate::previews::{parse_json, read_json_body};
use crate::state::AppState;

/// Largest body of the key and account routes.
const MAX_BODY_BYTES: u64 = 4096;
/// Most keys one listing holds.
const MAX_LIST: u32 = 500;

/// Body of `POST /api/v1/keys`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyRequest {
    /// What the key is for (1-100 characters), e.g. `GitHub Actions`.
    pub name: String,
    /// `client` (the default) or `ci`; `admin` only with an admin key.
    #[serde(default)]
    pub scope: Option<Scope>,
}

/// Body of `POST /api/v1/admin/keys`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminNewKeyRequest {
    /// The owner's e-mail address.
    pub user: String,
    /// What the key is for (1-100 characters).
    pub name: String,
    /// The key's scope.
    pub scope: Scope,
}

/// A key as listings show it (never the key itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyInfo {
    /// The key's id (for revoking it).
    pub id: String,
    /// The owner's id.
    pub user_id: String,
    /// The owner's e-mail address.
    pub user: String,
    /// The name given at creation.
    pub name: String,
    /// The key's first characters, to recognise it by.
    pub prefix: String,
    /// Its scope.
    pub scope: Scope,
    /// Creation time, ms since the Unix epoch.
    pub created_at: i64,
    /// Last use, ms since the Unix epoch.
    pub last_used_at: Option<i64>,
    /// Revocation time, ms since the Unix epoch; the key no longer works.
    pub revoked_at: Option<i64>,
}

impl From<ApiKeyInfo> for KeyInfo {
    fn from(k: ApiKeyInfo) -> Self {
        Self {
            id: k.id.to_string(),
            user_id: k.user_id.to_string(),
            user: k.user_email,
            name: k.name,
            prefix: k.prefix,
            scope: k.scope,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// A new key: the only response that ever holds it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewKey {
    /// The key, to store now: only its hash is kept, it cannot be shown again.
    pub key: String,
    /// The key as listings show it.
    #[serde(flatten)]
    pub info: KeyInfo,
}

/// A list of keys, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyList {
    /// The keys.
    pub keys: Vec<KeyInfo>,
}

/// What revoking answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    /// The key's id.
    pub id: String,
    /// False when the key had been revoked before (revoking is idempotent).
    pub revoked_now: bool,
}

/// `?user=EMAIL&limit=N` of the admin key listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminKeysQuery {
    /// Only this user's keys (e-mail address).
    pub user: Option<String>,
    /// How many (default 100, at most 500).
    pub limit: Option<u32>,
}

/// Body of `POST /api/v1/admin/users`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// The user's e-mail address (unique).
    pub email: String,
    /// `free` (the default), `pro` or `premium`.
    #[serde(default)]
    pub tier: Option<String>,
}

/// A user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    /// The user's id.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// Tier: `free`, `pro` or `premium`.
    pub tier: String,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email,
            tier: u.tier.as_str().to_owned(),
        }
    }
}

/// Body of `POST /api/v1/admin/projects`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProjectRequest {
    /// The owner's e-mail address.
    pub owner: String,
    /// The project's name (1-200 characters).
    pub name: String,
    /// Whether device previews are allowed (a mobile app); default true.
    #[serde(default)]
    pub is_mobile_app: Option<bool>,
}

/// A project.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectOut {
    /// The project's id (the `project_id` of preview requests).
    pub id: String,
    /// Its owner's id.
    pub owner_id: String,
    /// Name.
    pub name: String,
    /// Whether device previews are allowed.
    pub is_mobile_app: bool,
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// `name` trimmed, when it is 1 to `max` characters without control characters (`what` names
/// the thing in the error: "a key's", "a project's").
fn checked_name<'a>(name: &'a str, max: usize, what: &str) -> Result<&'a str, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > max || name.chars().any(char::is_control) {
        return Err(bad(
            "invalid_name",
            format!("{what} name must be 1-{max} characters without control characters"),
        ));
    }
    Ok(name)
}

fn key_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "key_not_found", "no such API key")
}

fn user_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "user_not_found",
        "no user has this e-mail address",
    )
}

async fn create_key(
    state: &AppState,
    user: &User,
    name: &str,
    scope: Scope,
) -> Result<NewKey, ApiError> {
    let name = checked_name(name, 100, "a key's")?;
    let key = state
        .store()
        .create_api_key(user.id, name, scope, now_ms())
        .await?;
    let info = state
        .store()
        .api_key(key.id)
        .await?
        .ok_or_else(|| ApiError::internal("api key", &"created key not found"))?;
    tracing::info!(key = %key.id, user = %user.id, scope = %scope, "API key created");
    Ok(NewKey {
        key: key.plaintext.expose().to_owned(),
        info: info.into(),
    })
}

/// Creates an API key for the caller.
#[utoipa::path(
    post,
    path = "/keys",
    tag = "keys",
    request_body = NewKeyRequest,
    security(("api_key" = [])),
    responses(
        (status = 201, description = "The new key, shown this once", body = NewKey),
        (status = 401, description = "Missing, unknown or revoked API key", body = crate::api_error::ErrorBody),
        (status = 403, description = "A `ci` key, or an `admin` scope asked by a non-admin key", body = crate::api_error::ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = crate::api_error::ErrorBody),
        (status = 422, description = "Invalid name", body = crate::api_error::ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<NewKey>), ApiError> {
    let owner = auth::client(&state, &headers, Some(peer), Family::Developer).await?;
    let bytes = read_json_body(&headers, body, MAX_BODY_BYTES).await?;
    let request: NewKeyRequest = parse_json(&bytes)?;
    let scope: Scope = request.scope.unwrap_or(Scope::Client);
    if scope == Scope::Admin && !owner.is_admin() {
        auth::record(
            &state,
            "api_key_scope",
            None,
            None,
            Some(peer),
            format!("API key {} asked for an admin key", owner.key_id),
        )
        .await;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "scope_not_allowed",
            "only an admin key can create admin keys",
        ));
    }
    let key = create_key(&state, &owner.user, &request.name, scope).await?;
    Ok((StatusCode::CREATED, Json(key)))
}

/// The caller's own API keys, newest first (revoked ones included).
#[utoipa::path(
    get,
    path = "/keys",
    tag = "keys",
    security(("api_key" = [])),
    responses(
        (status = 200, description = "The caller's keys", body = KeyList),
        (status = 401, description = "Missing, unknown or revoked API key", body = crate::api_error::ErrorBody),
        (status = 403, description = "A `ci` key", body = crate::api_error::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Json<KeyList>, ApiError> {
    let owner = auth::client(&state, &headers, Some(peer), Family::Developer).await?;
    let keys = state
        .store()
        .list_api_keys(Some(owner.user.id), MAX_LIST)
        .await?;
    Ok(Json(KeyList {
        keys: keys.into_iter().map(KeyInfo::from).collect(),
    }))
}

/// Revokes one of the caller's keys; it stops working at once (the caller's own key too).
#[utoipa::path(
    delete,
    path = "/keys/{key_id}",
    tag = "keys",
    params(("key_id" = String, Path, description = "The key's id")),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Revoked", body = Revoked),
        (status = 401, description = "Missing, unknown or revoked API key", body = crate::api_error::ErrorBody),
        (status = 403, description = "A `ci` key", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such key of the caller's", body = crate::api_error::ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Revoked>, ApiError> {
    let owner = auth::client(&state, &headers, Some(peer), Family::Developer).await?;
    let id = ApiKeyId::parse(&key_id).map_err(|_| key_not_found())?;
    let key = state
        .store()
        .api_key(id)
        .await?
        .filter(|k| k.user_id == owner.user.id)
        .ok_or_else(key_not_found)?;
    revoke_key(&state, key, &format!("user:{}", owner.user.id)).await
}

async fn revoke_key(
    state: &AppState,
    key: ApiKeyInfo,
    actor: &str,
) -> Result<Json<Revoked>, ApiError> {
    let now = state.store().revoke_api_key(key.id, now_ms()).await?;
    if now {
        tracing::warn!(key = %key.id, user = %key.user_id, actor, "API key revoked");
    }
    Ok(Json(Revoked {
        id: key.id.to_string(),
        revoked_now: now,
    }))
}

/// Creates an API key of any scope for any user.
#[utoipa::path(
    post,
    path = "/keys",
    tag = "admin",
    request_body = AdminNewKeyRequest,
    security(("admin_key" = [])),
    responses(
        (status = 201, description = "The new key, shown this once", body = NewKey),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such user", body = crate::api_error::ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = crate::api_error::ErrorBody),
        (status = 422, description = "Invalid name", body = crate::api_error::ErrorBody),
    )
)]
pub async fn admin_create(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<NewKey>), ApiError> {
    crate::admin::authorize(&state, &headers, peer).await?;
    let bytes = read_json_body(&headers, body, MAX_BODY_BYTES).await?;
    let request: AdminNewKeyRequest = parse_json(&bytes)?;
    let user = state
        .store()
        .user_by_email(request.user.trim())
        .await?
        .ok_or_else(user_not_found)?;
    let key = create_key(&state, &user, &request.name, request.scope).await?;
    Ok((StatusCode::CREATED, Json(key)))
}

/// Every API key, or one user's, newest first.
#[utoipa::path(
    get,
    path = "/keys",
    tag = "admin",
    params(AdminKeysQuery),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "The keys", body = KeyList),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such user", body = crate::api_error::ErrorBody),
    )
)]
pub async fn admin_list(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<AdminKeysQuery>,
    headers: HeaderMap,
) -> Result<Json<KeyList>, ApiError> {
    crate::admin::authorize(&state, &headers, peer).await?;
    let user = match &query.user {
        None => None,
        Some(email) => Some(
            state
                .store()
                .user_by_email(email.trim())
                .await?
                .ok_or_else(user_not_found)?
                .id,
        ),
    };
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_LIST);
    let keys = state.store().list_api_keys(user, limit).await?;
    Ok(Json(KeyList {
        keys: keys.into_iter().map(KeyInfo::from).collect(),
    }))
}

/// Revokes any API key.
#[utoipa::path(
    delete,
    path = "/keys/{key_id}",
    tag = "admin",
    params(("key_id" = String, Path, description = "The key's id")),
    security(("admin_key" = [])),
    responses(
        (status = 200, description = "Revoked", body = Revoked),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such key", body = crate::api_error::ErrorBody),
    )
)]
pub async fn admin_revoke(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Revoked>, ApiError> {
    let actor = crate::admin::authorize(&state, &headers, peer).await?;
    let id = ApiKeyId::parse(&key_id).map_err(|_| key_not_found())?;
    let key = state.store().api_key(id).await?.ok_or_else(key_not_found)?;
    revoke_key(&state, key, &actor).await
}

/// Creates a user.
#[utoipa::path(
    post,
    path = "/users",
    tag = "admin",
    request_body = NewUserRequest,
    security(("admin_key" = [])),
    responses(
        (status = 201, description = "The user", body = UserOut),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 409, description = "The e-mail address is taken", body = crate::api_error::ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = crate::api_error::ErrorBody),
        (status = 422, description = "Invalid e-mail address or tier", body = crate::api_error::ErrorBody),
    )
)]
pub async fn admin_create_user(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    let actor = crate::admin::authorize(&state, &headers, peer).await?;
    let bytes = read_json_body(&headers, body, MAX_BODY_BYTES).await?;
    let request: NewUserRequest = parse_json(&bytes)?;
    let email = request.email.trim();
    let plausible = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !plausible {
        return Err(bad(
            "invalid_email",
            "expected an e-mail address such as dev@example.com",
        ));
    }
    let tier: Tier = match request.tier.as_deref() {
        None => Tier::Free,
        Some(t) => t
            .parse()
            .map_err(|_| bad("invalid_tier", "tier must be free, pro or premium"))?,
    };
    // The address is unique in the schema: a taken one is that constraint, answered 409.
    let user = match state.store().create_user(email, tier, now_ms()).await {
        Ok(u) => u,
        Err(StoreError::Constraint(_)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "user_exists",
                "a user with this e-mail address exists",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user = %user.id, tier = tier.as_str(), actor, "user created");
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Creates a project owned by a user.
#[utoipa::path(
    post,
    path = "/projects",
    tag = "admin",
    request_body = NewProjectRequest,
    security(("admin_key" = [])),
    responses(
        (status = 201, description = "The project", body = ProjectOut),
        (status = 401, description = "Not an admin", body = crate::api_error::ErrorBody),
        (status = 404, description = "No such user", body = crate::api_error::ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = crate::api_error::ErrorBody),
        (status = 422, description = "Invalid name", body = crate::api_error::ErrorBody),
    )
)]
pub async fn admin_create_project(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ProjectOut>), ApiError> {
    let actor = crate::admin::authorize(&state, &headers, peer).await?;
    let bytes = read_json_body(&headers, body, MAX_BODY_BYTES).await?;
    let request: NewProjectRequest = parse_json(&bytes)?;
    let name = checked_name(&request.name, 200, "a project's")?;
    let owner = state
        .store()
        .user_by_email(request.owner.trim())
        .await?
        .ok_or_else(user_not_found)?;
    let is_mobile_app = request.is_mobile_app.unwrap_or(true);
    let project = state
        .store()
        .create_project(owner.id, name, is_mobile_app, now_ms())
        .await?;
    tracing::info!(project = %project.id, owner = %owner.id, actor, "project created");
    Ok((
        StatusCode::CREATED,
        Json(ProjectOut {
            id: project.id.to_string(),
            owner_id: project.owner_id.to_string(),
            name: project.name,
            is_mobile_app: project.is_mobile_app,
        }),
    ))
}
