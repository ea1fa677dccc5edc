//! `GET /healthz`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use minyi_engine::Engine;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub(super) struct Health {
    status: String,
    records: u64,
    /// Whether semantic and hybrid search are available.
    semantic: bool,
}

/// Liveness, and how many records are indexed.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)), security(()))]
pub(super) async fn healthz(State(engine): State<Arc<Engine>>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        records: engine.len(),
        semantic: engine.semantic_available(),
    })
}
