//! The HTTP API: each handler turns a request into one engine call and its answer into JSON.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use minyi_corpus::read::Format;
use minyi_corpus::{FieldMapping, Record, RecordReader, Reject};
use minyi_indexer::IngestReport;
use serde::Serialize;
use tower_http::trace::TraceLayer;
use utoipa::{OpenApi, ToSchema};

use crate::engine::{
    EngineError, FacetCount, Hit, Mode, MonthCount, SearchRequest, SearchResponse, Sort,
};
use crate::issues::{self, ArticleOpinions, Issue, IssueList, IssueOptions, LawOpinions};
use crate::semantic::{Guess, SimilarCase, SimilarCases, Suggestion};
use crate::{Engine, assets};

/// The largest request body accepted (a POST of records).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "minyi 民意检索 API",
        description = "Search what people tell their people's congress."
    ),
    paths(
        healthz,
        search,
        get_record,
        post_records,
        delete_record,
        list_issues,
        get_issue,
        export_issues_csv,
        export_issues_markdown,
        list_laws
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        SearchResponse,
        Hit,
        FacetCount,
        MonthCount,
        Sort,
        Record,
        IngestResult,
        RejectBody,
        IssueList,
        Issue,
        IssueDetail,
        LawOpinions,
        ArticleOpinions,
        Mode,
        SimilarCases,
        SimilarCase,
        Suggestion,
        Guess,
        NewCase,
        SuggestionBody,
        Health
    ))
)]
struct ApiDoc;

/// The OpenAPI document of this API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Every route, over `engine`.
pub fn router(engine: Arc<Engine>) -> Router {
    Router::new()
        .route("/", get(assets::page))
        .route("/assets/{name}", get(assets::file))
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(|| async { Json(openapi()) }))
        .route("/api/search", get(search))
        .route("/api/records", axum::routing::post(post_records))
        .route("/api/records/{id}", get(get_record).delete(delete_record))
        .route("/api/issues", get(list_issues))
        .route("/api/issues/export.csv", get(export_issues_csv))
        .route("/api/issues/export.md", get(export_issues_markdown))
        .route("/api/issues/{id}", get(get_issue))
        .route("/api/laws", get(list_laws))
        .route("/api/records/{id}/similar", get(similar_to_record))
        .route("/api/records/{id}/suggest", get(suggest_for_record))
        .route("/api/similar", axum::routing::post(similar_to_text))
        .route("/api/suggest", axum::routing::post(suggest_for_text))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(engine)
}

/// An error answer: `{"error": {"code": "…", "message": "…"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

#[derive(Serialize, ToSchema)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
struct ErrorDetail {
    /// Stable, machine-readable: `bad_query`, `invalid_request`, `not_found`,
    /// `unsupported_media_type`, `semantic_unavailable`, `internal`.
    code: String,
    /// For people.
    message: String,
}

impl ApiError {
    fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }

    /// `what` is e.g. "record `RX-1`" or "issue `I12` in this selection".
    fn not_found(what: String) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: format!("no {what}"),
        }
    }
}

/// Runs a blocking lookup by `id`; `None` becomes a 404 naming `what` was looked for.
async fn find<T: Send + 'static>(
    id: String,
    what: impl FnOnce(&str) -> String,
    lookup: impl FnOnce(&str) -> Result<Option<T>, EngineError> + Send + 'static,
) -> Result<T, ApiError> {
    let found = {
        let id = id.clone();
        blocking(move || lookup(&id)).await?
    };
    found.ok_or_else(|| ApiError::not_found(what(&id)))
}

fn record_named(id: &str) -> String {
    format!("record with id `{id}`")
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        match e {
            EngineError::Query(e) => ApiError::bad_request("bad_query", e.to_string()),
            EngineError::InvalidRequest(m) => ApiError::bad_request("invalid_request", m),
            EngineError::NoSemantic(m) => ApiError::bad_request("semantic_unavailable", m),
            EngineError::ReadOnly => ApiError {
                status: StatusCode::CONFLICT,
                code: "read_only",
                message: EngineError::ReadOnly.to_string(),
            },
            other => {
                tracing::error!("{other}");
                ApiError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "internal",
                    message: other.to_string(),
                }
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// Runs blocking engine work off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, EngineError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(e) => Err(ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: format!("the request failed: {e}"),
        }),
    }
}

#[derive(Serialize, ToSchema)]
struct Health {
    status: String,
    records: u64,
    /// Whether semantic and hybrid search are available.
    semantic: bool,
}

/// Liveness, and how many records are indexed.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
async fn healthz(State(engine): State<Arc<Engine>>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        records: engine.len(),
        semantic: engine.semantic_available(),
    })
}

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
        ("kind" = Option<String>, Query, description = "Filter; repeat a filter to match any of its values. Also: channel, site, region, category, law, article, status, submitter"),
    ),
    responses(
        (status = 200, body = SearchResponse),
        (status = 400, body = ErrorBody, description = "Malformed query or parameter"),
    )
)]
async fn search(
    State(engine): State<Arc<Engine>>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let request = search_request(params)?;
    blocking(move || engine.search(&request)).await.map(Json)
}

fn search_request(params: Vec<(String, String)>) -> Result<SearchRequest, ApiError> {
    let mut req = SearchRequest::default();
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

/// One record, as it was received.
#[utoipa::path(
    get,
    path = "/api/records/{id}",
    params(("id" = String, Path, description = "Record id")),
    responses((status = 200, body = Record), (status = 404, body = ErrorBody))
)]
async fn get_record(
    State(engine): State<Arc<Engine>>,
    Path(id): Path<String>,
) -> Result<Json<Record>, ApiError> {
    find(id, record_named, move |id| engine.get(id))
        .await
        .map(Json)
}

/// What an ingest did.
#[derive(Serialize, ToSchema)]
struct IngestResult {
    /// Records written (each distinct id once).
    accepted: u64,
    /// Rows that were not written, each with its position and reason.
    rejected: Vec<RejectBody>,
    /// Ids sent more than once, with their count; the last one was kept.
    duplicate_ids: Vec<(String, u32)>,
}

#[derive(Serialize, ToSchema)]
struct RejectBody {
    /// 1-based line (JSON Lines) or element (JSON array).
    line: u64,
    id: Option<String>,
    reason: String,
}

impl From<IngestReport> for IngestResult {
    fn from(r: IngestReport) -> IngestResult {
        IngestResult {
            accepted: r.accepted,
            rejected: r
                .rejected
                .into_iter()
                .map(
                    |Reject {
                         line, id, reason, ..
                     }| RejectBody { line, id, reason },
                )
                .collect(),
            duplicate_ids: r.duplicate_ids,
        }
    }
}

/// Ingests records; upserts by id. The body's `Content-Type` says how to read it: a JSON array or
/// JSON Lines (`application/json`, `application/x-ndjson`, or no type), CSV with a header row, UTF-8
/// or GBK (`text/csv`), or an Excel workbook's first sheet (`application/vnd.openxmlformats-
/// officedocument.spreadsheetml.sheet`, `application/vnd.ms-excel`). CSV and Excel headers may be
/// the record fields' names or the usual Chinese ones (留言编号, 留言详情, 所属区县 …), as with
/// `minyi index`.
///
/// Good records are written even when others are rejected; the answer lists both, with the line
/// (CSV, JSON Lines) or sheet row (Excel) of each reject. It is 422 when no record could be written.
#[utoipa::path(
    post,
    path = "/api/records",
    request_body(content = Vec<Record>, description = "A JSON array of records, JSON Lines, CSV (`text/csv`) or an Excel workbook", content_type = "application/json"),
    responses(
        (status = 200, body = IngestResult),
        (status = 400, body = ErrorBody, description = "The body cannot be read in its format"),
        (status = 413, description = "The body is larger than 64 MiB"),
        (status = 415, body = ErrorBody, description = "A content type other than JSON, CSV or Excel"),
        (status = 422, body = IngestResult, description = "No record could be written"),
    )
)]
async fn post_records(
    State(engine): State<Arc<Engine>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let format = upload_format(&headers)?;
    let reader =
        RecordReader::from_bytes("request", format, body.to_vec(), &FieldMapping::default())
            .map_err(|e| ApiError::bad_request("invalid_request", e.to_string()))?;
    let report = blocking(move || engine.ingest(reader)).await?;
    let status = if report.accepted == 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(IngestResult::from(report))).into_response())
}

/// The reader for a request body's `Content-Type` (parameters such as `charset` are ignored: the
/// CSV reader tells UTF-8 from GBK itself).
fn upload_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(Format::Json);
    };
    let media_type = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "" | "application/json" | "application/x-ndjson" | "application/jsonl" | "text/plain" => {
            Ok(Format::Json)
        }
        "text/csv" => Ok(Format::Csv),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.ms-excel" => Ok(Format::Spreadsheet),
        other => Err(ApiError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "unsupported_media_type",
            message: format!(
                "cannot read {other:?}: send application/json (array or JSON Lines), text/csv, or an \
                 Excel workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)"
            ),
        }),
    }
}

/// Deletes a record.
#[utoipa::path(
    delete,
    path = "/api/records/{id}",
    params(("id" = String, Path, description = "Record id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody))
)]
async fn delete_record(
    State(engine): State<Arc<Engine>>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let deleted = {
        let id = id.clone();
        blocking(move || engine.delete(&id)).await?
    };
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(record_named(&id)))
    }
}

/// The selection and options of the issue endpoints: the search filters, plus `limit` (issues to
/// return) and `min_size` (smallest group that counts as an issue).
fn issue_request(params: Vec<(String, String)>) -> Result<(SearchRequest, IssueOptions), ApiError> {
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
    Ok((search_request(rest)?, opts))
}

/// Recurring issues (类案) among the selected records, hottest first.
///
/// Takes the same query, filters and dates as `/api/search`. Each issue lists its member record
/// ids, label, size, submitters, spread, weekly and monthly counts, growth, spike and heat.
#[utoipa::path(
    get,
    path = "/api/issues",
    params(
        ("q" = Option<String>, Query, description = "Restrict to records matching this query (same syntax as search)"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD; growth and spikes are measured up to it"),
        ("kind" = Option<String>, Query, description = "Filters as in /api/search (kind, channel, site, region, category, law, article, status, submitter)"),
        ("limit" = Option<usize>, Query, description = "Issues to return (default 50)"),
        ("min_size" = Option<usize>, Query, description = "Smallest group that counts as an issue (default 3)"),
    ),
    responses((status = 200, body = IssueList), (status = 400, body = ErrorBody))
)]
async fn list_issues(
    State(engine): State<Arc<Engine>>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<IssueList>, ApiError> {
    let (req, opts) = issue_request(params)?;
    blocking(move || issues::find_issues(&engine, &req, &opts))
        .await
        .map(Json)
}

#[derive(Serialize, ToSchema)]
struct IssueDetail {
    issue: Issue,
    /// The member records, oldest first.
    members: Vec<Record>,
}

/// One issue of the selection, with its member records.
#[utoipa::path(
    get,
    path = "/api/issues/{id}",
    params(("id" = String, Path, description = "Issue id, as listed by /api/issues with the same selection")),
    responses((status = 200, body = IssueDetail), (status = 404, body = ErrorBody))
)]
async fn get_issue(
    State(engine): State<Arc<Engine>>,
    Path(id): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<IssueDetail>, ApiError> {
    let (req, _) = issue_request(params)?;
    let (issue, members) = find(
        id,
        |id| format!("issue `{id}` in this selection"),
        move |id| issues::find_issue(&engine, &req, id),
    )
    .await?;
    Ok(Json(IssueDetail { issue, members }))
}

fn attachment(content_type: &'static str, file_name: &'static str, body: String) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CONTENT_DISPOSITION, file_name),
        ],
        body,
    )
        .into_response()
}

/// The ranked issue list (问题清单) as CSV, for spreadsheets.
#[utoipa::path(
    get,
    path = "/api/issues/export.csv",
    params(("limit" = Option<usize>, Query, description = "Same parameters as /api/issues")),
    responses((status = 200, content_type = "text/csv", body = String))
)]
async fn export_issues_csv(
    State(engine): State<Arc<Engine>>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (req, opts) = issue_request(params)?;
    let list = blocking(move || issues::find_issues(&engine, &req, &opts)).await?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "attachment; filename=\"issues.csv\"",
        issues::export::csv(&list),
    ))
}

/// The ranked issue list (问题清单) as a readable Markdown report.
#[utoipa::path(
    get,
    path = "/api/issues/export.md",
    params(("limit" = Option<usize>, Query, description = "Same parameters as /api/issues")),
    responses((status = 200, content_type = "text/markdown", body = String))
)]
async fn export_issues_markdown(
    State(engine): State<Arc<Engine>>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let (req, opts) = issue_request(params)?;
    let list = blocking(move || issues::find_issues(&engine, &req, &opts)).await?;
    Ok(attachment(
        "text/markdown; charset=utf-8",
        "attachment; filename=\"issues.md\"",
        issues::export::markdown(&list, "问题清单"),
    ))
}

/// Opinions on draft laws, by law and article, each article's grouped into issues.
#[utoipa::path(
    get,
    path = "/api/laws",
    params(("law" = Option<String>, Query, description = "Filters as in /api/search; e.g. law=… for one law")),
    responses((status = 200, body = Vec<LawOpinions>), (status = 400, body = ErrorBody))
)]
async fn list_laws(
    State(engine): State<Arc<Engine>>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<Vec<LawOpinions>>, ApiError> {
    let req = search_request(params)?;
    blocking(move || issues::laws(&engine, &req))
        .await
        .map(Json)
}

/// How many similar cases to return: `limit`, 1–50, default 10.
fn case_limit(params: &[(String, String)]) -> Result<usize, ApiError> {
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
struct NewCase {
    title: Option<String>,
    /// The submission's text.
    text: String,
    /// How many cases to return, 1–50 (default 10).
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

async fn similar_cases_for_record(
    engine: Arc<Engine>,
    id: String,
    limit: usize,
) -> Result<SimilarCases, ApiError> {
    find(id, record_named, move |id| {
        engine.similar_to_record(id, limit)
    })
    .await
}

/// Similar past cases (类案) of a record, with their replies: hybrid (words and meaning) when
/// the index has embeddings, by words otherwise.
#[utoipa::path(
    get,
    path = "/api/records/{id}/similar",
    params(("id" = String, Path, description = "Record id"), ("limit" = Option<usize>, Query, description = "1–50, default 10")),
    responses((status = 200, body = SimilarCases), (status = 404, body = ErrorBody))
)]
async fn similar_to_record(
    State(engine): State<Arc<Engine>>,
    Path(id): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<SimilarCases>, ApiError> {
    let limit = case_limit(&params)?;
    similar_cases_for_record(engine, id, limit).await.map(Json)
}

/// Similar past cases of a new submission (a petition just received).
#[utoipa::path(
    post,
    path = "/api/similar",
    request_body = NewCase,
    responses((status = 200, body = SimilarCases), (status = 400, body = ErrorBody))
)]
async fn similar_to_text(
    State(engine): State<Arc<Engine>>,
    Json(case): Json<NewCase>,
) -> Result<Json<SimilarCases>, ApiError> {
    let limit = case.limit()?;
    blocking(move || engine.similar_to_text(case.title, &case.text, limit))
        .await
        .map(Json)
}

#[derive(Serialize, ToSchema)]
struct SuggestionBody {
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
    responses((status = 200, body = SuggestionBody), (status = 404, body = ErrorBody))
)]
async fn suggest_for_record(
    State(engine): State<Arc<Engine>>,
    Path(id): Path<String>,
) -> Result<Json<SuggestionBody>, ApiError> {
    let cases = similar_cases_for_record(engine.clone(), id, 10).await?;
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
async fn suggest_for_text(
    State(engine): State<Arc<Engine>>,
    Json(case): Json<NewCase>,
) -> Result<Json<SuggestionBody>, ApiError> {
    let limit = case.limit()?;
    let cases = {
        let engine = engine.clone();
        blocking(move || engine.similar_to_text(case.title, &case.text, limit)).await?
    };
    let suggestion = engine.suggest(&cases);
    Ok(Json(SuggestionBody {
        suggestion,
        cases: cases.hits,
    }))
}
