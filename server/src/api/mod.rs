//! The HTTP API: each handler turns a request into one engine call and its answer into JSON.
//!
//! [`router`] lists every route; the handlers live by resource ([`search`], [`records`],
//! [`issues`], [`similar`], [`health`]), [`error`] makes engine errors into answers, and [`docs`]
//! is the generated OpenAPI document.

mod docs;
mod error;
mod health;
mod issues;
mod records;
mod search;
mod similar;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use minyi_engine::Engine;
use tower_http::trace::TraceLayer;

pub use docs::openapi;
pub use error::ApiError;

use crate::assets;

/// The largest request body accepted (a POST of records).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Every route, over `engine`.
pub fn router(engine: Arc<Engine>) -> Router {
    Router::new()
        .route("/", get(assets::page))
        .route("/assets/{name}", get(assets::file))
        .route("/healthz", get(health::healthz))
        .route("/api/openapi.json", get(|| async { Json(openapi()) }))
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
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(engine)
}
