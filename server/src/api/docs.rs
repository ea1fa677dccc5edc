//! The OpenAPI document of the API, generated from the handlers and the types they answer with.
//!
//! Every route of [`super::router`] but the page's own (`/`, `/assets/…`) is here: the test
//! `server/tests/openapi.rs` compares the two and fails when one lacks the other. Statuses every
//! operation shares (400, 401, 403, 413, 500) are added by [`CommonResponses`], not repeated on
//! each handler.

use axum::Json;
use minyi_corpus::Record;
use minyi_engine::issues::{Issue, IssueList};
use minyi_engine::laws::{ArticleOpinions, LawOpinions};
use minyi_engine::search::{FacetCount, Hit, Mode, MonthCount, SearchResponse, Sort};
use minyi_engine::similar::{Guess, SimilarCase, SimilarCases, Suggestion};
use minyi_engine::topics::{Candidate, Trend, TrendWeek};
use minyi_store::Role;
use minyi_store::topics::{Membership, Topic, TopicEvent, TopicKind, TopicStatus};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::auth::accounts::{
    self, Account, AccountName, CreatedToken, NewTokenBody, NewUserBody, RegionName,
};
use super::auth::session::{self, Login, Me};
use super::auth::{Caller, SESSION_COOKIE};

use super::error::{ErrorBody, ErrorDetail};
use super::health::{self, Health};
use super::issues::{self, IssueDetail};
use super::records::{self, IngestResult, RecordBody, RejectBody};
use super::search;
use super::similar::{self, NewCase, SuggestionBody};
use super::topics::{self, NewTopicBody, TopicPatch};
use crate::topics::TopicView;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "minyi 民意检索 API",
        description = "Search what people tell their people's congress. Every route but `/healthz` and `/api/login` needs a token (`Authorization: Bearer …`, made by `minyi tokens add`) or the session cookie `POST /api/login` sets; without one it answers 401, and 403 when the role lacks the right."
    ),
    modifiers(&SecuritySchemes, &CommonResponses),
    security(("token" = []), ("session" = [])),
    paths(
        openapi_json,
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
        similar::similar_to_record,
        similar::similar_to_text,
        similar::suggest_for_record,
        similar::suggest_for_text,
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
        AccountName,
        RegionName,
        Role,
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

/// Routes anyone may call, without credentials.
const PUBLIC: [&str; 2] = ["/healthz", "/api/login"];
/// Routes any signed-in caller may call, whatever their role.
const ANY_ROLE: [&str; 3] = ["/api/me", "/api/logout", "/api/openapi.json"];

/// The statuses every operation may answer besides its own: 400 for a parameter or body it
/// cannot read, 401 without valid credentials, 403 when the role lacks the right, 413 for a body
/// over the limit, 500 when the index or the state store fails.
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                add_common_responses(path, operation);
            }
        }
    }
}

fn add_common_responses(path: &str, operation: &mut Operation) {
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ErrorBody"))),
            )
            .build()
    };
    let reads_input = operation.request_body.is_some()
        || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let mut common = Vec::new();
    if reads_input {
        common.push((
            "400",
            error("A parameter or body that cannot be read (`invalid_request`)"),
        ));
    }
    if !PUBLIC.contains(&path) {
        common.push(("401", error("No valid credentials (`unauthenticated`)")));
        if !ANY_ROLE.contains(&path) {
            common.push(("403", error("The role lacks the right (`forbidden`)")));
        }
    }
    if operation.request_body.is_some() {
        common.push(("413", Response::new("The body is larger than 64 MiB")));
    }
    common.push((
        "500",
        error("The index or the state store failed (`internal`)"),
    ));
    for (status, response) in common {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| response.into());
    }
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)))]
pub(super) async fn openapi_json(_: Caller) -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// The OpenAPI document of this API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
