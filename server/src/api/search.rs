//! `GET /api/search`: query parameters to a [`SearchRequest`], and the answer as JSON.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use minyi_engine::Engine;
use minyi_engine::query::Reading;
use minyi_engine::search::{Mode, SearchRequest, SearchResponse, Sort};
use minyi_store::Right;
use serde_json::json;

use super::auth::Caller;

use super::error::{ApiError, ErrorBody, blocking};

/// Full-text, semantic or hybrid search with filters, facet counts and a monthly histogram.
///
/// A page that would reach past the first 10,000 hits is shortened (the answer's `limit` says
/// so); `from` after `to` selects nothing, with a notice.
#[utoipa::path(
    get,
    path = "/api/search",
    params(
        Selection,
        ("limit" = Option<usize>, Query, minimum = 1, maximum = 200, description = "Hits per page, 1–200 (default 20)"),
        ("offset" = Option<usize>, Query, maximum = 9999, description = "Hits to skip, below 10000; the page is cut at the 10000th hit"),
        ("sort" = Option<Sort>, Query, description = "relevance (default), newest or oldest"),
        ("mode" = Option<Mode>, Query, description = "lexical, semantic or hybrid; default hybrid when the index has embeddings and a model is loaded, lexical otherwise; semantic and hybrid without them are a 400 `semantic_unavailable`"),
        ("strict" = Option<bool>, Query, description = "true: refuse malformed query syntax with a 400 `bad_query` instead of reading it as plain text (default false)"),
    ),
    responses(
        (status = 200, body = SearchResponse),
        (status = 400, body = ErrorBody, description = "A parameter out of range, a query over 1000 characters, malformed syntax with strict=true (`bad_query`), or semantic matching without embeddings (`semantic_unavailable`)"),
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

/// The records a search (and the routes that group or count its records) selects: the query
/// text, field filters and dates. Only describes the query string for the OpenAPI document: the
/// handlers read it as pairs ([`search_request`]), so that a filter may repeat.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(super) struct Selection {
    /// Query: words, "phrases", -excluded, field:value, OR, ( ); at most 1000 characters.
    /// Malformed syntax (an unclosed quotation mark or parenthesis, a dangling - or OR) is read
    /// as plain text and reported in `notices`, unless `strict` is true.
    #[param(max_length = 1000)]
    q: Option<String>,
    /// First day included.
    from: Option<NaiveDate>,
    /// Last day included.
    to: Option<NaiveDate>,
    /// 意见建议, 信访, 代表建议, 12345热线 or 其他 (also opinion, petition, deputy, hotline,
    /// other). Each filter may repeat, to match any of its values.
    kind: Option<Vec<String>>,
    channel: Option<Vec<String>>,
    site: Option<Vec<String>>,
    /// The record's district, or the one its text names.
    region: Option<Vec<String>>,
    category: Option<Vec<String>>,
    law: Option<Vec<String>>,
    article: Option<Vec<String>>,
    status: Option<Vec<String>>,
    /// A name the index learned (estate, road, school …).
    entity: Option<Vec<String>>,
    submitter: Option<Vec<String>>,
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
            "strict" => {
                req.reading = match value.as_str() {
                    "true" => Reading::Strict,
                    "false" | "" => Reading::Lenient,
                    other => {
                        return Err(ApiError::bad_request(
                            "invalid_request",
                            format!("`strict` must be true or false, not `{other}`"),
                        ));
                    }
                }
            }
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
