//! The HTTP API: each handler turns a request into one engine call and its answer into JSON.
//!
//! [`router`] lists every route; the handlers live by resource ([`search`], [`records`],
//! [`issues`], [`similar`], [`topics`], [`health`]), [`auth`] says who a request acts as and what it may do
//! (sign-in, accounts), [`shed`] bounds the heavy requests running at once, [`error`] makes
//! engine errors into answers, [`headers`] adds the security
//! headers every answer carries, and [`docs`] is the generated OpenAPI document.

pub mod auth;
mod docs;
mod error;
mod headers;
mod health;
mod issues;
mod records;
mod search;
mod shed;
mod similar;
mod topics;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use minyi_engine::Engine;
use tower_http::trace::TraceLayer;

pub use auth::{Access, AccessError, AppState};
pub use docs::openapi;
pub use error::ApiError;
pub use shed::{HeavyLimit, RETRY_AFTER_SECONDS};

use crate::assets;

/// The largest request body accepted (a POST of records).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Every route, over `engine`, for the principals `access` knows, with one heavy request per core.
pub fn router(engine: Arc<Engine>, access: Arc<Access>) -> Router {
    router_shedding(engine, access, HeavyLimit::per_core())
}

/// Every route, running at most `heavy` issue groupings, exports and reports at once.
pub fn router_shedding(engine: Arc<Engine>, access: Arc<Access>, heavy: HeavyLimit) -> Router {
    Router::new()
        .route("/", get(assets::page))
        .route("/assets/{name}", get(assets::file))
        .route("/healthz", get(health::healthz))
        .route("/api/login", post(auth::session::login))
        .route("/api/logout", post(auth::session::logout))
        .route("/api/me", get(auth::session::me))
        .route(
            "/api/users",
            get(auth::accounts::list_users).post(auth::accounts::add_user),
        )
        .route("/api/users/{name}", delete(auth::accounts::remove_user))
        .route(
            "/api/tokens",
            get(auth::accounts::list_tokens).post(auth::accounts::add_token),
        )
        .route("/api/tokens/{name}", delete(auth::accounts::revoke_token))
        .route("/api/openapi.json", get(docs::openapi_json))
        .route("/api/search", get(search::search))
        .route("/api/records", post(records::post_records))
        .route(
            "/api/records/{id}",
            get(records::get_record).delete(records::delete_record),
        )
        .route("/api/issues", get(issues::list_issues))
        .route("/api/issues/export.csv", get(issues::export_issues_csv))
        .route("/api/issues/export.md", get(issues::export_issues_markdown))
        .route("/api/issues/{id}", get(issues::get_issue))
        .route("/api/laws", get(issues::list_laws))
        .route("/api/records/{id}/similar", get(similar::similar_to_record))
        .route(
            "/api/records/{id}/suggest",
            get(similar::suggest_for_record),
        )
        .route("/api/similar", post(similar::similar_to_text))
        .route("/api/suggest", post(similar::suggest_for_text))
        .route(
            "/api/topics",
            get(topics::list_topics).post(topics::create_topic),
        )
        .route("/api/topics/export.csv", get(topics::export_topics_csv))
        .route(
            "/api/topics/{id}",
            get(topics::get_topic).patch(topics::change_topic),
        )
        .route("/api/topics/{id}/report.md", get(topics::topic_report))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(error::json_rejections))
        .layer(axum::middleware::map_response(headers::secure))
        .layer(TraceLayer::new_for_http())
        .with_state(AppState {
            engine,
            access,
            heavy,
        })
}
