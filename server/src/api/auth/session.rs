//! `POST /api/login`, `POST /api/logout`, `GET /api/me`.
//!
//! A sign-in checks the password against the store, throttled per user and per address (429 with
//! `Retry-After` while locked), and answers with an HttpOnly, SameSite=Strict session cookie
//! (`Secure` under TLS) that expires with the session. Every sign-in, failure and sign-out is
//! in the audit log.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use minyi_store::audit::{Actor, ActorKind, AuditEvent};
use minyi_store::{Principal, PrincipalKind, Right};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AppState, Caller, ClientAddress, SESSION_COOKIE, session_cookie};
use crate::api::error::{ApiError, ErrorBody, json_body};

/// How long a session lasts: a working day.
const SESSION_LIFETIME: TimeDelta = TimeDelta::hours(10);

/// A sign-in.
#[derive(Deserialize, ToSchema)]
pub(crate) struct Login {
    username: String,
    password: String,
}

/// Who the caller is.
#[derive(Serialize, ToSchema)]
pub(crate) struct Me {
    name: String,
    /// `user` or `token`.
    kind: String,
    /// `admin`, `staff` or `analyst`.
    role: String,
    /// The districts whose records the caller sees; empty: all of them.
    regions: Vec<String>,
    /// What the role may do: `read`, `personal_data`, `issues`, `reports`, `export`, `topics`,
    /// `import`, `delete`, `accounts`, `audit`.
    rights: Vec<String>,
    /// Whether personal data is masked in the caller's answers.
    masked: bool,
}

impl From<&Principal> for Me {
    fn from(p: &Principal) -> Me {
        Me {
            name: p.name.clone(),
            kind: match p.kind {
                PrincipalKind::User => "user",
                PrincipalKind::Token => "token",
            }
            .into(),
            role: p.role.as_str().into(),
            regions: p.regions.clone(),
            rights: Right::ALL
                .into_iter()
                .filter(|&r| p.can(r))
                .map(|r| r.as_str().to_string())
                .collect(),
            masked: p.masked(),
        }
    }
}

/// Signs in with a user's name and password; sets the session cookie.
#[utoipa::path(
    post,
    path = "/api/login",
    request_body = Login,
    responses(
        (status = 200, body = Me, description = "Signed in; the answer sets the `minyi_session` cookie"),
        (status = 401, body = ErrorBody, description = "Wrong name or password"),
        (status = 429, body = ErrorBody, description = "Too many failures; `Retry-After` says how many seconds to wait"),
    ),
    security(())
)]
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    body: Bytes,
) -> Result<Response, ApiError> {
    let login: Login = json_body(&body)?;
    let address = address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let access = state.access.clone();
    let tried = Actor {
        name: login.username.clone(),
        kind: ActorKind::Anonymous,
        role: None,
        address: Some(address.to_string()),
    };
    let event = |result: &str| AuditEvent {
        who: tried.clone(),
        action: "login".into(),
        details: serde_json::Value::Null,
        result: result.into(),
    };
    let locked = access
        .throttle
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .check(&login.username, address, Instant::now());
    if let Err(seconds) = locked {
        access.record(event("throttled"))?;
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many failed sign-ins; try again in {seconds} s"),
        )
        .with_header(header::RETRY_AFTER, seconds));
    }
    let verified = {
        let access = access.clone();
        let Login { username, password } = login;
        tokio::task::spawn_blocking(move || {
            let store = access.sign_ins.lock().unwrap_or_else(|e| e.into_inner());
            let principal = store.verify_password(&username, &password)?;
            principal
                .map(|p| {
                    store
                        .create_session(&p.name, Utc::now(), SESSION_LIFETIME)
                        .map(|s| (p, s))
                })
                .transpose()
        })
        .await
        .map_err(|e| ApiError::internal(format!("the sign-in failed: {e}")))?
        .map_err(super::internal)?
    };
    let mut throttle = access.throttle.lock().unwrap_or_else(|e| e.into_inner());
    let Some((principal, session)) = verified else {
        throttle.failed(&tried.name, address, Instant::now());
        drop(throttle);
        access.record(event("failed"))?;
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong user name or password",
        ));
    };
    throttle.succeeded(&principal.name);
    drop(throttle);
    access.record(AuditEvent {
        who: Actor::principal(&principal, Some(address.to_string())),
        ..event("ok")
    })?;
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        session.id,
        SESSION_LIFETIME.num_seconds(),
        if access.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    Ok(([(header::SET_COOKIE, cookie)], Json(Me::from(&principal))).into_response())
}

/// Signs out: ends the session of the request's cookie and clears it.
#[utoipa::path(
    post,
    path = "/api/logout",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody))
)]
pub(crate) async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(id) = session_cookie(&headers) {
        state
            .access
            .lookups()
            .delete_session(id)
            .map_err(super::internal)?;
    }
    caller.audit("logout", serde_json::Value::Null)?;
    let cleared = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cleared)]).into_response())
}

/// The signed-in user or the token: name, role, regions and rights.
#[utoipa::path(
    get,
    path = "/api/me",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody))
)]
pub(crate) async fn me(caller: Caller) -> Json<Me> {
    Json(Me::from(&caller.principal))
}
