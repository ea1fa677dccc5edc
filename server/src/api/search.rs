//! `GET /api/search`: query parameters to a [`SearchRequest`], and the answer as JSON.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use minyi_engine::Engine;
use minyi_engine::search::{Mode, SearchRequest, SearchResponse, Sort};
use minyi_store::Right;
use serde_json::json;

use super::auth::Caller;

use super::error::{ApiError, ErrorBody, blocking};

/// Full-text search with filters, facet counts and a monthly histogram.
#[utoipa::path(
    get,
    path = "/api/search",
    params(
        ("q" = Option<String>, Query, description = "Query: words, \"phrases\", -excluded, field:value, OR, ( )"),
        ("limit" = Option<usize>, Query, description = "Hits per page, 1–200 (default 20)"),
        ("offset" = Option<usize>, Query, description = "Hits to skip (offset + limit ≤ 10000)"),
        ("sort" = Option<Sort>, Query, description = "relevance (default), newest or oldest"),
        ("mode" = Option<Mode>, Query, description = "lexical, semantic or hybrid; default hybrid when the index has embeddings and a model is loaded, lexical otherwise"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD"),
        ("kind" = Option<String>, Query, description = "Filter; repeat a filter to match any of its values. Also: channel, site, region, category, law, article, status, entity (a learned name), submitter"),
    ),
    responses(
        (status = 200, body = SearchResponse),
        (status = 400, body = ErrorBody, description = "Malformed query or parameter"),
        (status = 401, body = ErrorBody, description = "No valid credentials"),
    )
)]
pub(super) async fn search(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    caller.require(Right::Read)?;
    let request = search_request(params, &caller)?;
    let details = json!({ "q": request.q, "filters": request.filters });
    let response = blocking(move || engine.search(&request)).await?;
    let ids: Vec<&str> = response.hits.iter().map(|h| h.record.id.as_str()).collect();
    caller.audit(
        "search",
        json!({ "request": details, "total": response.total, "ids": ids }),
    )?;
    Ok(Json(response))
}

/// The search `params` ask for, in the caller's scope.
pub(super) fn search_request(
    params: Vec<(String, String)>,
    caller: &Caller,
) -> Result<SearchRequest, ApiError> {
    let mut req = SearchRequest {
        viewer: caller.viewer(),
        ..SearchRequest::default()
    };
    let number = |name: &str, v: &str| {
        v.trim().parse::<usize>().map_err(|_| {
            ApiError::bad_request(
                "invalid_request",
                format!("`{name}` must be a whole number, not `{v}`"),
            )
        })
    };
    let date = |name: &str, v: &str| {
        NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request(
                "invalid_request",
                format!("`{name}` must be a date like 2024-05-01, not `{v}`"),
            )
        })
    };
    for (name, value) in params {
        match name.as_str() {
            "q" => req.q = value,
            "limit" => req.limit = number("limit", &value)?,
            "offset" => req.offset = number("offset", &value)?,
            "from" if !value.is_empty() => req.from = Some(date("from", &value)?),
            "to" if !value.is_empty() => req.to = Some(date("to", &value)?),
            "from" | "to" => {}
            "mode" => {
                req.mode = match value.as_str() {
                    "" => None,
                    "lexical" => Some(Mode::Lexical),
                    "semantic" => Some(Mode::Semantic),
                    "hybrid" => Some(Mode::Hybrid),
                    other => {
                        return Err(ApiError::bad_request(
                            "invalid_request",
                            format!("`mode` must be lexical, semantic or hybrid, not `{other}`"),
                        ));
                    }
                }
            }
            "sort" => {
                req.sort = match value.as_str() {
                    "relevance" | "" => Sort::Relevance,
                    "newest" => Sort::Newest,
                    "oldest" => Sort::Oldest,
                    other => {
                        return Err(ApiError::bad_request(
                            "invalid_request",
                            format!("`sort` must be relevance, newest or oldest, not `{other}`"),
                        ));
                    }
                }
            }
            _ if value.is_empty() => {}
            _ => req.filters.push((name, value)),
        }
    }
    Ok(req)
}
