//! The OpenAPI document of the API, generated from the handlers and the types they answer with.

use minyi_corpus::Record;
use minyi_engine::issues::{Issue, IssueList};
use minyi_engine::laws::{ArticleOpinions, LawOpinions};
use minyi_engine::search::{FacetCount, Hit, Mode, MonthCount, SearchResponse, Sort};
use minyi_engine::similar::{Guess, SimilarCase, SimilarCases, Suggestion};
use utoipa::OpenApi;

use super::error::{ErrorBody, ErrorDetail};
use super::health::{self, Health};
use super::issues::{self, IssueDetail};
use super::records::{self, IngestResult, RejectBody};
use super::search;
use super::similar::{NewCase, SuggestionBody};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "minyi 民意检索 API",
        description = "Search what people tell their people's congress."
    ),
    paths(
        health::healthz,
        search::search,
        records::get_record,
        records::post_records,
        records::delete_record,
        issues::list_issues,
        issues::get_issue,
        issues::export_issues_csv,
        issues::export_issues_markdown,
        issues::list_laws
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
