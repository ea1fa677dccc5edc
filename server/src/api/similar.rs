//! Similar cases (类案推荐) and routing suggestions, for a stored record or a new text.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use minyi_engine::Engine;
use minyi_engine::similar::{SimilarCase, SimilarCases, Suggestion};
use minyi_store::Right;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::auth::Caller;
use super::error::{ApiError, ErrorBody, blocking, find, json_body, record_named};

/// How many similar cases to return: `limit`, 1–50, default 10.
pub(super) fn case_limit(params: &[(String, String)]) -> Result<usize, ApiError> {
    match params.iter().find(|(k, _)| k == "limit") {
        None => Ok(10),
        Some((_, v)) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_request",
                    format!("`limit` must be between 1 and 50, not `{v}`"),
                )
            }),
    }
}

/// A new submission to find precedents for.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub(super) struct NewCase {
    title: Option<String>,
    /// The submission's text.
    text: String,
    /// How many cases to return, 1–50 (default 10).
    #[schema(minimum = 1, maximum = 50)]
    limit: Option<usize>,
}

impl NewCase {
    fn limit(&self) -> Result<usize, ApiError> {
        case_limit(
            &self
                .limit
                .map(|n| vec![("limit".to_string(), n.to_string())])
                .unwrap_or_default(),
        )
    }
}

/// The similar cases of record `id` that `caller` may see, recorded in the audit log as `action`.
async fn similar_cases_for_record(
    engine: Arc<Engine>,
    caller: &Caller,
    action: &str,
    id: String,
    limit: usize,
) -> Result<SimilarCases, ApiError> {
    caller.require(Right::Read)?;
    let viewer = caller.viewer();
    let cases = find(id.clone(), record_named, move |id| {
        engine.similar_to_record(id, limit, &viewer)
    })
    .await?;
    caller.audit(action, json!({ "id": id, "ids": case_ids(&cases) }))?;
    Ok(cases)
}

/// The similar cases of the new text in `body` that `caller` may see, recorded in the audit log
/// as `action`.
async fn similar_cases_for_text(
    engine: Arc<Engine>,
    caller: &Caller,
    action: &str,
    body: &[u8],
) -> Result<SimilarCases, ApiError> {
    caller.require(Right::Read)?;
    let case: NewCase = json_body(body)?;
    let limit = case.limit()?;
    let viewer = caller.viewer();
    let cases =
        blocking(move || engine.similar_to_text(case.title, &case.text, limit, &viewer)).await?;
    caller.audit(action, json!({ "ids": case_ids(&cases) }))?;
    Ok(cases)
}

fn case_ids(cases: &SimilarCases) -> Vec<&str> {
    cases.hits.iter().map(|c| c.id.as_str()).collect()
}

/// Similar past cases (类案) of a record, with their replies: hybrid (words and meaning) when
/// the index has embeddings, by words otherwise.
#[utoipa::path(
    get,
    path = "/api/records/{id}/similar",
    params(("id" = String, Path, description = "Record id"), ("limit" = Option<usize>, Query, minimum = 1, maximum = 50, description = "1–50, default 10")),
    responses((status = 200, body = SimilarCases), (status = 404, body = ErrorBody, description = "No such record in the caller's districts"))
)]
pub(super) async fn similar_to_record(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<SimilarCases>, ApiError> {
    let limit = case_limit(&params)?;
    similar_cases_for_record(engine, &caller, "similar", id, limit)
        .await
        .map(Json)
}

/// Similar past cases of a new submission (a petition just received).
#[utoipa::path(
    post,
    path = "/api/similar",
    request_body = NewCase,
    responses((status = 200, body = SimilarCases), (status = 400, body = ErrorBody))
)]
pub(super) async fn similar_to_text(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<SimilarCases>, ApiError> {
    similar_cases_for_text(engine, &caller, "similar", &body)
        .await
        .map(Json)
}

#[derive(Serialize, ToSchema)]
pub(super) struct SuggestionBody {
    suggestion: Suggestion,
    /// The similar cases the suggestion was drawn from.
    cases: Vec<SimilarCase>,
}

/// A routing suggestion (category and handling department) for a record, from the labels of
/// its most similar past cases, with a confidence and the cases as evidence.
#[utoipa::path(
    get,
    path = "/api/records/{id}/suggest",
    params(("id" = String, Path, description = "Record id")),
    responses((status = 200, body = SuggestionBody), (status = 404, body = ErrorBody, description = "No such record in the caller's districts"))
)]
pub(super) async fn suggest_for_record(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<SuggestionBody>, ApiError> {
    let cases = similar_cases_for_record(engine.clone(), &caller, "suggest", id, 10).await?;
    let suggestion = engine.suggest(&cases);
    Ok(Json(SuggestionBody {
        suggestion,
        cases: cases.hits,
    }))
}

/// A routing suggestion for a new submission.
#[utoipa::path(
    post,
    path = "/api/suggest",
    request_body = NewCase,
    responses((status = 200, body = SuggestionBody), (status = 400, body = ErrorBody))
)]
pub(super) async fn suggest_for_text(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<SuggestionBody>, ApiError> {
    let cases = similar_cases_for_text(engine.clone(), &caller, "suggest", &body).await?;
    let suggestion = engine.suggest(&cases);
    Ok(Json(SuggestionBody {
        suggestion,
        cases: cases.hits,
    }))
}
