//! The OpenAPI document of the API, generated from the handlers and the types they answer with.

use minyi_corpus::Record;
use minyi_engine::issues::{Issue, IssueList};
use minyi_engine::laws::{ArticleOpinions, LawOpinions};
use minyi_engine::search::{FacetCount, Hit, Mode, MonthCount, SearchResponse, Sort};
use minyi_engine::similar::{Guess, SimilarCase, SimilarCases, Suggestion};
use minyi_engine::topics::{Candidate, Trend, TrendWeek};
use minyi_store::topics::{Membership, Topic, TopicEvent, TopicKind, TopicStatus};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::auth::SESSION_COOKIE;
use super::auth::accounts::{self, Account, CreatedToken, NewTokenBody, NewUserBody};
use super::auth::session::{self, Login, Me};

use super::error::{ErrorBody, ErrorDetail};
use super::health::{self, Health};
use super::issues::{self, IssueDetail};
use super::records::{self, IngestResult, RecordBody, RejectBody};
use super::search;
use super::similar::{NewCase, SuggestionBody};
use super::topics::{self, NewTopicBody, TopicPatch};
use crate::topics::TopicView;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "minyi 民意检索 API",
        description = "Search what people tell their people's congress. Every route but `/healthz` and `/api/login` needs a token (`Authorization: Bearer …`, made by `minyi tokens add`) or the session cookie `POST /api/login` sets; without one it answers 401, and 403 when the role lacks the right."
    ),
    modifiers(&SecuritySchemes),
    security(("token" = []), ("session" = [])),
    paths(
        health::healthz,
        session::login,
        session::logout,
        session::me,
        accounts::list_users,
        accounts::add_user,
        accounts::remove_user,
        accounts::list_tokens,
        accounts::add_token,
        accounts::revoke_token,
        search::search,
        records::get_record,
        records::post_records,
        records::delete_record,
        issues::list_issues,
        issues::get_issue,
        issues::export_issues_csv,
        issues::export_issues_markdown,
        issues::list_laws,
        topics::create_topic,
        topics::list_topics,
        topics::get_topic,
        topics::change_topic,
        topics::topic_report,
        topics::export_topics_csv
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
        RecordBody,
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
        Health,
        Login,
        Me,
        Account,
        NewUserBody,
        NewTokenBody,
        CreatedToken,
        NewTopicBody,
        TopicPatch,
        TopicView,
        Topic,
        TopicKind,
        TopicStatus,
        TopicEvent,
        Membership,
        Candidate,
        Trend,
        TrendWeek
    ))
)]
struct ApiDoc;

/// The two ways to authenticate: a bearer token, or the session cookie of a sign-in.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(SESSION_COOKIE))),
        );
    }
}

/// The OpenAPI document of this API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
