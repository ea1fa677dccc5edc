//! `/api/issues` and `/api/laws`: 类案 grouping, its 问题清单 files, and the draft-law view.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use minyi_corpus::Record;
use minyi_engine::issues::{self, Issue, IssueList, IssueOptions};
use minyi_engine::laws::{self, LawOpinions};
use minyi_engine::{Engine, SearchRequest};
use minyi_store::Right;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::auth::Caller;
use super::error::{ApiError, ErrorBody};
use super::search::{Selection, search_request};
use super::shed::Heavy;

/// The options of the issue routes, besides their [`Selection`]. Only describes the query
/// string for the OpenAPI document; [`issue_request`] reads it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(super) struct IssueParams {
    /// Issues to return (default 50).
    #[param(minimum = 1)]
    limit: Option<usize>,
    /// Smallest group that counts as an issue (default 3).
    #[param(minimum = 1)]
    min_size: Option<usize>,
}

/// The selection and options of the issue endpoints: the search filters, plus `limit` (issues to
/// return) and `min_size` (smallest group that counts as an issue).
pub(super) fn issue_request(
    params: Vec<(String, String)>,
    caller: &Caller,
) -> Result<(SearchRequest, IssueOptions), ApiError> {
    let mut opts = IssueOptions::default();
    let mut rest = Vec::new();
    for (name, value) in params {
        let parse = |v: &str| {
            v.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_request",
                        format!("`{name}` must be a whole number of at least 1, not `{v}`"),
                    )
                })
        };
        match name.as_str() {
            "limit" => opts.limit = parse(&value)?,
            "min_size" => opts.min_size = parse(&value)?,
            _ => rest.push((name, value)),
        }
    }
    Ok((search_request(rest, caller)?, opts))
}

/// Recurring issues (类案) among the selected records, hottest first.
///
/// Takes the same query, filters and dates as `/api/search`. Each issue lists its member record
/// ids, label, size, submitters, spread, weekly and monthly counts, growth, spike and heat.
#[utoipa::path(
    get,
    path = "/api/issues",
    params(Selection, IssueParams),
    responses((status = 200, body = IssueList), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody, description = "Too many heavy requests running: try again after `Retry-After` seconds"))
)]
pub(super) async fn list_issues(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    heavy: Heavy,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<IssueList>, ApiError> {
    caller.require(Right::Issues)?;
    let (req, opts) = issue_request(params, &caller)?;
    let details = json!({ "q": req.q, "filters": req.filters });
    let list = heavy
        .run(move || issues::find_issues(&engine, &req, &opts))
        .await?;
    caller.audit("issues", issues_details(details, &list))?;
    Ok(Json(list))
}

/// What the audit log keeps of an issue list: the selection and the records it showed.
fn issues_details(request: serde_json::Value, list: &IssueList) -> serde_json::Value {
    let ids: Vec<&str> = list
        .issues
        .iter()
        .flat_map(|i| i.record_ids.iter().map(String::as_str))
        .collect();
    json!({ "request": request, "issues": list.issues.len(), "ids": ids })
}

#[derive(Serialize, ToSchema)]
pub(super) struct IssueDetail {
    issue: Issue,
    /// The member records, oldest first.
    members: Vec<Record>,
}

/// One issue of the selection, with its member records.
#[utoipa::path(
    get,
    path = "/api/issues/{id}",
    params(("id" = String, Path, description = "Issue id, as listed by /api/issues with the same selection"), Selection, IssueParams),
    responses((status = 200, body = IssueDetail), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody, description = "Too many heavy requests running: try again after `Retry-After` seconds"))
)]
pub(super) async fn get_issue(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    heavy: Heavy,
    Path(id): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<IssueDetail>, ApiError> {
    caller.require(Right::Issues)?;
    let (req, _) = issue_request(params, &caller)?;
    let (issue, members) = {
        let id = id.clone();
        heavy
            .run(move || issues::find_issue(&engine, &req, &id))
            .await?
    }
    .ok_or_else(|| ApiError::not_found(format!("issue `{id}` in this selection")))?;
    caller.audit(
        "issue.read",
        json!({ "issue": id, "ids": issue.record_ids }),
    )?;
    Ok(Json(IssueDetail { issue, members }))
}

/// The issues of the selection `params` names, as a file of `content_type` named by
/// `disposition`, written by `render`.
async fn export(
    engine: Arc<Engine>,
    caller: Caller,
    heavy: Heavy,
    params: Vec<(String, String)>,
    content_type: &'static str,
    disposition: &'static str,
    render: fn(&IssueList) -> String,
) -> Result<Response, ApiError> {
    caller.require(Right::Export)?;
    let (req, opts) = issue_request(params, &caller)?;
    let details = json!({ "q": req.q, "filters": req.filters, "format": content_type });
    let list = heavy
        .run(move || issues::find_issues(&engine, &req, &opts))
        .await?;
    caller.audit("export", issues_details(details, &list))?;
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, render(&list)).into_response())
}

/// The ranked issue list (问题清单) as CSV, for spreadsheets.
#[utoipa::path(
    get,
    path = "/api/issues/export.csv",
    params(Selection, IssueParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 503, body = ErrorBody, description = "Too many heavy requests running: try again after `Retry-After` seconds"))
)]
pub(super) async fn export_issues_csv(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    heavy: Heavy,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let disposition = "attachment; filename=\"issues.csv\"";
    export(
        engine,
        caller,
        heavy,
        params,
        "text/csv; charset=utf-8",
        disposition,
        issues::export::csv,
    )
    .await
}

/// The ranked issue list (问题清单) as a readable Markdown report.
#[utoipa::path(
    get,
    path = "/api/issues/export.md",
    params(Selection, IssueParams),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 503, body = ErrorBody, description = "Too many heavy requests running: try again after `Retry-After` seconds"))
)]
pub(super) async fn export_issues_markdown(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    heavy: Heavy,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let disposition = "attachment; filename=\"issues.md\"";
    export(
        engine,
        caller,
        heavy,
        params,
        "text/markdown; charset=utf-8",
        disposition,
        |list| issues::export::markdown(list, "问题清单"),
    )
    .await
}

/// Opinions on draft laws, by law and article, each article's grouped into issues.
#[utoipa::path(
    get,
    path = "/api/laws",
    params(Selection),
    responses((status = 200, body = Vec<LawOpinions>), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody, description = "Too many heavy requests running: try again after `Retry-After` seconds"))
)]
pub(super) async fn list_laws(
    State(engine): State<Arc<Engine>>,
    caller: Caller,
    heavy: Heavy,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<Vec<LawOpinions>>, ApiError> {
    caller.require(Right::Read)?;
    let req = search_request(params, &caller)?;
    let details = json!({ "q": req.q, "filters": req.filters });
    let laws = heavy.run(move || laws::laws(&engine, &req)).await?;
    caller.audit("laws", details)?;
    Ok(Json(laws))
}
