//! Who a request acts as, and whether it may do what it asks.
//!
//! Every `/api/*` route but `/api/login` (and `/healthz`) takes a [`Caller`]: the principal of the
//! request's `Authorization: Bearer` token or of its session cookie, looked up in the index's
//! store on every request, so a revoked token or a removed user is refused at once, also when the
//! change was made by `minyi tokens revoke` in another process. Without one the answer is 401
//! `unauthenticated`. A handler asks [`Caller::require`] for the right it needs (403 `forbidden`,
//! recorded in the audit log) and records what it read or changed with [`Caller::audit`]; when the
//! audit log cannot be written the request fails, so nothing is read unrecorded. A 401 is in the
//! audit log too (address, route, result), coalesced per address so that a flood of them cannot
//! grow it without bound ([`minyi_store::audit::refusals`]).
//!
//! [`session`] signs in and out; [`accounts`] manages users and tokens over the API (admins).

pub(super) mod accounts;
pub(super) mod session;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use minyi_corpus::pii::Masker;
use minyi_engine::{Engine, Viewer};
use minyi_store::audit::refusals::{RefusalPolicy, Refusals};
use minyi_store::audit::{Actor, ActorKind, AuditError, AuditEvent, AuditLog};
use minyi_store::throttle::{LoginThrottle, ThrottlePolicy};
use minyi_store::{Principal, Right, Store, StoreError};
use serde_json::Value;

use super::error::ApiError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "minyi_session";

/// What the API's handlers share: the engine and the access rules.
#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub access: Arc<Access>,
    /// How many heavy requests may run at once.
    pub heavy: super::HeavyLimit,
}

impl FromRef<AppState> for Arc<Engine> {
    fn from_ref(state: &AppState) -> Arc<Engine> {
        state.engine.clone()
    }
}

/// The index's accounts, the sign-in throttle, the audit log and the pseudonym key.
pub struct Access {
    /// Looks up tokens and sessions; quick, shared by every request.
    lookups: Mutex<Store>,
    /// Checks passwords (Argon2id takes a good part of a second, by design), apart from
    /// `lookups` so that a sign-in does not hold up other requests.
    sign_ins: Mutex<Store>,
    throttle: Mutex<LoginThrottle>,
    audit: AuditLog,
    /// Which 401s the audit log gets.
    refusals: Mutex<Refusals>,
    masker: Masker,
    /// Whether cookies are marked `Secure` (the server runs TLS).
    secure_cookies: bool,
}

/// Why the access state could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl Access {
    /// The state of the index in `index_dir`.
    pub fn open(index_dir: &Path, secure_cookies: bool) -> Result<Access, AccessError> {
        let lookups = Store::open(index_dir)?;
        let masker = Masker::new(&lookups.pseudonym_key()?);
        Ok(Access {
            sign_ins: Mutex::new(Store::open(index_dir)?),
            lookups: Mutex::new(lookups),
            throttle: Mutex::new(LoginThrottle::new(ThrottlePolicy::default())),
            audit: AuditLog::open(index_dir)?,
            refusals: Mutex::new(Refusals::new(RefusalPolicy::default())),
            masker,
            secure_cookies,
        })
    }

    fn lookups(&self) -> MutexGuard<'_, Store> {
        self.lookups.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The store topics are kept in: the lookups' one, since a topic request is as quick as a
    /// lookup. Lock it only to read or write, never across engine work.
    pub(crate) fn store(&self) -> &Mutex<Store> {
        &self.lookups
    }

    /// The principal `headers` authenticate: a bearer token first, else the session cookie.
    fn authenticate(&self, headers: &HeaderMap) -> Result<Option<Principal>, ApiError> {
        let store = self.lookups();
        if let Some(token) = bearer_token(headers) {
            return store.token_principal(token).map_err(internal);
        }
        match session_cookie(headers) {
            Some(id) => store
                .session_principal(id, chrono::Utc::now())
                .map_err(internal),
            None => Ok(None),
        }
    }

    /// Appends `event` to the audit log.
    pub(super) fn record(&self, event: AuditEvent) -> Result<(), ApiError> {
        self.audit.append(event).map(drop).map_err(|e| {
            tracing::error!("{e}");
            ApiError::internal(format!("the audit log cannot be written: {e}"))
        })
    }

    /// Records a request from `address` to `route` refused for lack of credentials, unless the
    /// address's earlier refusals were recorded moments ago (then it is only counted).
    fn refused(&self, address: Option<IpAddr>, route: &str) -> Result<(), ApiError> {
        let address = address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let details = self
            .refusals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .refused(address, route, Instant::now());
        let Some(details) = details else {
            return Ok(());
        };
        self.record(AuditEvent {
            who: Actor {
                // nobody: the request named no one the server knows
                name: "-".into(),
                kind: ActorKind::Anonymous,
                role: None,
                address: Some(address.to_string()),
            },
            action: "unauthenticated".into(),
            details,
            result: "401".into(),
        })
    }

    /// What `principal`'s answers may show.
    fn viewer(&self, principal: &Principal) -> Viewer {
        let masker = principal.masked().then(|| self.masker.clone());
        Viewer::new(principal.regions.clone(), masker)
    }
}

/// The authenticated principal of a request, with where it came from.
pub struct Caller {
    pub principal: Principal,
    pub address: Option<IpAddr>,
    access: Arc<Access>,
}

impl Caller {
    /// `Ok` when the caller's role has `right`; otherwise a 403, recorded in the audit log.
    pub fn require(&self, right: Right) -> Result<(), ApiError> {
        if self.principal.can(right) {
            return Ok(());
        }
        self.access.record(AuditEvent {
            who: self.actor(),
            action: "denied".into(),
            details: serde_json::json!({ "right": right.as_str() }),
            result: "forbidden".into(),
        })?;
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "the {} role may not do this (it needs the `{}` right)",
                self.principal.role,
                right.as_str()
            ),
        ))
    }

    /// Records that the caller did `action` (e.g. `search`, `record.read`) with `details`.
    pub fn audit(&self, action: &str, details: Value) -> Result<(), ApiError> {
        self.access.record(AuditEvent {
            who: self.actor(),
            action: action.into(),
            details,
            result: "ok".into(),
        })
    }

    /// The scope and masking of the caller's answers.
    pub fn viewer(&self) -> Viewer {
        self.access.viewer(&self.principal)
    }

    fn actor(&self) -> Actor {
        Actor::principal(&self.principal, self.address.map(|a| a.to_string()))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let access = state.access.clone();
        let headers = parts.headers.clone();
        let found = {
            let access = access.clone();
            tokio::task::spawn_blocking(move || access.authenticate(&headers))
                .await
                .map_err(|e| ApiError::internal(format!("the request failed: {e}")))??
        };
        let Some(principal) = found else {
            let (address, route) = (client_address(parts), parts.uri.path().to_string());
            let refusing = access.clone();
            tokio::task::spawn_blocking(move || refusing.refused(address, &route))
                .await
                .map_err(|e| ApiError::internal(format!("the request failed: {e}")))??;
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in (POST /api/login) or send `Authorization: Bearer TOKEN`",
            )
            .with_header(header::WWW_AUTHENTICATE, "Bearer realm=\"minyi\""));
        };
        Ok(Caller {
            principal,
            address: client_address(parts),
            access,
        })
    }
}

/// The peer's address, when the server was started with connection info.
fn client_address(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip())
}

/// The peer's address as an extractor; `None` when the server has no connection info.
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

/// The secret of an `Authorization: Bearer …` header.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The session id of the request's cookie.
fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

fn internal(e: StoreError) -> ApiError {
    tracing::error!("{e}");
    ApiError::internal(format!("the account store failed: {e}"))
}
