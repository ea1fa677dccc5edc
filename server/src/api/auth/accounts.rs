//! `/api/users` and `/api/tokens`: accounts over the API, for admins (the `accounts` right).
//!
//! The same operations as `minyi users` and `minyi tokens`, on the same store, recorded in the
//! same audit log. A token's secret is in the answer that creates it and nowhere else.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use minyi_store::{Right, Role, StoreError, Token, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AppState, Caller};
use crate::api::error::{ApiError, ErrorBody, json_body};

/// A user or token as listed.
#[derive(Serialize, ToSchema)]
pub(crate) struct Account {
    name: String,
    /// `admin`, `staff` or `analyst`.
    role: String,
    /// Empty: all regions.
    regions: Vec<String>,
    created_at: DateTime<Utc>,
}

impl From<User> for Account {
    fn from(u: User) -> Account {
        Account {
            name: u.name,
            role: u.role.as_str().into(),
            regions: u.regions,
            created_at: u.created_at,
        }
    }
}

impl From<Token> for Account {
    fn from(t: Token) -> Account {
        Account {
            name: t.name,
            role: t.role.as_str().into(),
            regions: t.regions,
            created_at: t.created_at,
        }
    }
}

/// A new user; `password` needs at least 8 characters.
#[derive(Deserialize, ToSchema)]
pub(crate) struct NewUserBody {
    #[schema(value_type = AccountName)]
    name: String,
    #[schema(value_type = Role)]
    role: String,
    /// The districts whose records the user may see; none: all.
    #[serde(default)]
    #[schema(value_type = Vec<RegionName>)]
    regions: Vec<String>,
    #[schema(min_length = 8)]
    password: String,
}

/// A new token for another system.
#[derive(Deserialize, ToSchema)]
pub(crate) struct NewTokenBody {
    #[schema(value_type = AccountName)]
    name: String,
    #[schema(value_type = Role)]
    role: String,
    /// The districts whose records the token may see; none: all.
    #[serde(default)]
    #[schema(value_type = Vec<RegionName>)]
    regions: Vec<String>,
}

/// A user's or token's name: 1 to 64 characters, no spaces or control characters. Only
/// describes the field for the OpenAPI document; the store checks it.
#[derive(ToSchema)]
#[schema(pattern = r"^[^\s\x00-\x1f\x7f-\x9f]{1,64}$")]
#[allow(dead_code)]
pub(crate) struct AccountName(String);

/// A district, without spaces around it. Only describes the field for the OpenAPI document;
/// the store checks it.
#[derive(ToSchema)]
#[schema(pattern = r"^\S(.*\S)?$")]
#[allow(dead_code)]
pub(crate) struct RegionName(String);

/// A token just made, with its secret: shown this once.
#[derive(Serialize, ToSchema)]
pub(crate) struct CreatedToken {
    #[serde(flatten)]
    account: Account,
    /// Send as `Authorization: Bearer SECRET`.
    secret: String,
}

/// The users.
#[utoipa::path(get, path = "/api/users", responses((status = 200, body = Vec<Account>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Account>>, ApiError> {
    caller.require(Right::Accounts)?;
    let users = state.access.lookups().users().map_err(store_error)?;
    Ok(Json(users.into_iter().map(Account::from).collect()))
}

/// Adds a user.
#[utoipa::path(post, path = "/api/users", request_body = NewUserBody, responses((status = 201, body = Account), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    caller.require(Right::Accounts)?;
    let body: NewUserBody = json_body(&body)?;
    let role = parse_role(&body.role)?;
    let access = state.access.clone();
    let user = tokio::task::spawn_blocking(move || {
        let store = access.sign_ins.lock().unwrap_or_else(|e| e.into_inner());
        store.add_user(&body.name, role, &body.regions, &body.password)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(store_error)?;
    caller.audit(
        "user.add",
        serde_json::json!({ "name": user.name, "role": role.as_str(), "regions": user.regions }),
    )?;
    Ok((StatusCode::CREATED, Json(Account::from(user))))
}

/// Removes a user and ends their sessions.
#[utoipa::path(delete, path = "/api/users/{name}", params(("name" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn remove_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(Right::Accounts)?;
    state
        .access
        .lookups()
        .remove_user(&name)
        .map_err(store_error)?;
    caller.audit("user.remove", serde_json::json!({ "name": name }))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The tokens (never their secrets).
#[utoipa::path(get, path = "/api/tokens", responses((status = 200, body = Vec<Account>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Account>>, ApiError> {
    caller.require(Right::Accounts)?;
    let tokens = state.access.lookups().tokens().map_err(store_error)?;
    Ok(Json(tokens.into_iter().map(Account::from).collect()))
}

/// Makes a token; the answer holds its secret, which is not stored and cannot be shown again.
#[utoipa::path(post, path = "/api/tokens", request_body = NewTokenBody, responses((status = 201, body = CreatedToken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn add_token(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    caller.require(Right::Accounts)?;
    let body: NewTokenBody = json_body(&body)?;
    let role = parse_role(&body.role)?;
    let made = state
        .access
        .lookups()
        .add_token(&body.name, role, &body.regions)
        .map_err(store_error)?;
    caller.audit(
        "token.add",
        serde_json::json!({ "name": body.name, "role": role.as_str(), "regions": body.regions }),
    )?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            account: Account::from(made.token),
            secret: made.secret,
        }),
    ))
}

/// Revokes a token: its next request is refused.
#[utoipa::path(delete, path = "/api/tokens/{name}", params(("name" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require(Right::Accounts)?;
    state
        .access
        .lookups()
        .revoke_token(&name)
        .map_err(store_error)?;
    caller.audit("token.revoke", serde_json::json!({ "name": name }))?;
    Ok(StatusCode::NO_CONTENT)
}

fn parse_role(name: &str) -> Result<Role, ApiError> {
    Role::parse(name).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_request",
            format!("unknown role `{name}`: use admin, staff or analyst"),
        )
    })
}

/// A store error as an answer: the caller's mistakes are 4xx, the rest 500.
pub(in crate::api) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::UserExists(_) | StoreError::TokenExists(_) => {
            ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
        }
        StoreError::NoSuchUser(_) | StoreError::NoSuchToken(_) | StoreError::NoSuchTopic(_) => {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
        }
        StoreError::InvalidName(_)
        | StoreError::InvalidRegion(_)
        | StoreError::WeakPassword { .. }
        | StoreError::InvalidTopic(_) => ApiError::bad_request("invalid_request", e.to_string()),
        other => super::internal(other),
    }
}
