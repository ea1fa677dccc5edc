//! `/api/topics`: topics (议题) made from issues, selections or picked records, followed to their
//! result. The handlers translate HTTP to [`crate::topics`] and the store; every change and read
//! is in the audit log, and everything needs the `topics` right.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use minyi_store::Right;
use minyi_store::topics::{
    Membership, NewTopic, Topic, TopicChange, TopicFilter, TopicKind, TopicStatus,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::auth::accounts::store_error;
use super::auth::{AppState, Caller};
use super::error::{ApiError, ErrorBody, blocking, json_body};
use super::issues::issue_request;
use super::search::search_request;
use super::shed::Heavy;
use crate::topics::{self, Source, TopicError, TopicView, report};

impl From<TopicError> for ApiError {
    fn from(e: TopicError) -> ApiError {
        match e {
            TopicError::Store(e) => store_error(e),
            TopicError::Engine(e) => e.into(),
            TopicError::NotFound(what) => ApiError::not_found(what),
            TopicError::Invalid(message) => ApiError::bad_request("invalid_request", message),
        }
    }
}

/// A new topic, from exactly one of `issue_id` (with the `selection` it was listed in),
/// `record_ids`, or `selection` alone (all its records).
#[derive(Deserialize, ToSchema)]
pub(super) struct NewTopicBody {
    title: String,
    /// `legislation`, `supervision` (default) or `assignment`.
    kind: Option<TopicKind>,
    issue_id: Option<String>,
    record_ids: Option<Vec<String>>,
    /// The query parameters of `/api/search` or `/api/issues` (`q`, `from`, `to`, filters):
    /// each value a string or a list of strings.
    #[schema(value_type = Option<Object>)]
    selection: Option<Map<String, Value>>,
    department: Option<String>,
    /// `YYYY-MM-DD`; empty: none.
    #[serde(default, deserialize_with = "empty_date_as_none")]
    due: Option<NaiveDate>,
    note: Option<String>,
}

/// A change; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub(super) struct TopicPatch {
    title: Option<String>,
    status: Option<TopicStatus>,
    department: Option<String>,
    /// `YYYY-MM-DD`; empty: unchanged.
    #[serde(default, deserialize_with = "empty_date_as_none")]
    due: Option<NaiveDate>,
    note: Option<String>,
    /// The department's answer.
    answer: Option<String>,
    outcome: Option<String>,
    /// Candidates to take in as the same matter.
    #[serde(default)]
    accept: Vec<String>,
    /// Candidates that are another matter: never offered again.
    #[serde(default)]
    dismiss: Vec<String>,
    /// Records to add as members.
    #[serde(default)]
    add: Vec<String>,
    /// Records to take out.
    #[serde(default)]
    remove: Vec<String>,
}

/// A date field a form may send empty: `""` is no date, as `null` is.
fn empty_date_as_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(deserializer)?.as_deref() {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// The selection's parameters as query pairs.
fn selection_params(selection: &Map<String, Value>) -> Result<Vec<(String, String)>, ApiError> {
    let mut params = Vec::new();
    for (name, value) in selection {
        let values = match value {
            Value::Array(values) => values.iter().collect(),
            one => vec![one],
        };
        for value in values {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => {
                    return Err(ApiError::bad_request(
                        "invalid_request",
                        format!("selection `{name}`: give a string or a list of strings"),
                    ));
                }
            };
            params.push((name.clone(), text));
        }
    }
    Ok(params)
}

/// Makes a topic; its members are kept as they are now, whatever later grouping does.
#[utoipa::path(
    post,
    path = "/api/topics",
    request_body = NewTopicBody,
    responses(
        (status = 201, body = TopicView),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such issue in the selection, or a record out of scope"),
    )
)]
pub(super) async fn create_topic(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<(StatusCode, Json<TopicView>), ApiError> {
    caller.require(Right::Topics)?;
    let body: NewTopicBody = json_body(&body)?;
    let params = selection_params(body.selection.as_ref().unwrap_or(&Map::new()))?;
    let source = match (body.record_ids, body.issue_id.clone()) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "invalid_request",
                "give `issue_id` or `record_ids`, not both",
            ));
        }
        (Some(ids), None) => Source::Records(ids),
        (None, Some(id)) => Source::Issue {
            selection: issue_request(params, &caller)?.0,
            id,
        },
        (None, None) if body.selection.is_some() => {
            Source::Selection(search_request(params, &caller)?)
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "invalid_request",
                "give `issue_id`, `record_ids` or `selection`",
            ));
        }
    };
    let viewer = caller.viewer();
    let engine = state.engine.clone();
    let record_ids = blocking(move || topics::members(&engine, source, &viewer)).await?;
    let new = NewTopic {
        title: body.title,
        kind: body.kind,
        department: body.department,
        due: body.due,
        note: body.note,
        issue_id: body.issue_id,
        selection: body.selection.map(Value::Object),
        record_ids,
    };
    let topic = lock(&state)
        .create_topic(&new, &caller.principal.name)
        .map_err(store_error)?;
    caller.audit(
        "topic.create",
        json!({ "topic": topic.id, "title": topic.title, "ids": new.record_ids }),
    )?;
    let view = view(&state, &caller, topic.id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Which topics to list: `status`, `kind`, `department`.
fn topic_filter(params: Vec<(String, String)>) -> Result<TopicFilter, ApiError> {
    let mut filter = TopicFilter::default();
    let invalid = |name: &str, value: &str| {
        ApiError::bad_request("invalid_request", format!("unknown {name} `{value}`"))
    };
    for (name, value) in params {
        match name.as_str() {
            "status" => {
                filter.status = Some(TopicStatus::parse(&value).ok_or(invalid("status", &value))?)
            }
            "kind" => filter.kind = Some(TopicKind::parse(&value).ok_or(invalid("kind", &value))?),
            "department" => filter.department = Some(value),
            _ => return Err(invalid("parameter", &name)),
        }
    }
    Ok(filter)
}

/// The topics, newest first.
#[utoipa::path(
    get,
    path = "/api/topics",
    params(
        ("status" = Option<TopicStatus>, Query, description = "proposed, assigned, in_progress or done"),
        ("kind" = Option<TopicKind>, Query, description = "legislation, supervision or assignment"),
        ("department" = Option<String>, Query, description = "The responsible department, exactly"),
    ),
    responses((status = 200, body = Vec<Topic>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub(super) async fn list_topics(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<Vec<Topic>>, ApiError> {
    caller.require(Right::Topics)?;
    let filter = topic_filter(params)?;
    let mut list = lock(&state).topics(&filter).map_err(store_error)?;
    if caller.viewer().masked() {
        list.iter_mut().for_each(topics::mask_topic);
    }
    let ids: Vec<i64> = list.iter().map(|t| t.id).collect();
    caller.audit("topic.list", json!({ "topics": ids }))?;
    Ok(Json(list))
}

/// One topic: its records in the caller's scope, new matching cases, history and trend.
#[utoipa::path(
    get,
    path = "/api/topics/{id}",
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, body = TopicView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(super) async fn get_topic(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<TopicView>, ApiError> {
    caller.require(Right::Topics)?;
    let view = view(&state, &caller, id).await?;
    caller.audit(
        "topic.read",
        json!({ "topic": id, "ids": view.record_ids, "candidates": candidate_ids(&view) }),
    )?;
    Ok(Json(view))
}

/// Changes a topic: its fields and status, and which records belong to it.
#[utoipa::path(
    patch,
    path = "/api/topics/{id}",
    params(("id" = i64, Path, description = "Topic id")),
    request_body = TopicPatch,
    responses((status = 200, body = TopicView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub(super) async fn change_topic(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<TopicView>, ApiError> {
    caller.require(Right::Topics)?;
    let patch: TopicPatch = json_body(&body)?;
    let named: Vec<String> = [&patch.accept, &patch.dismiss, &patch.add, &patch.remove]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let (engine, viewer) = (state.engine.clone(), caller.viewer());
    blocking(move || topics::visible(&engine, &named, &viewer)).await?;
    let records = [
        (patch.accept, Membership::Accepted),
        (patch.dismiss, Membership::Dismissed),
        (patch.add, Membership::Member),
    ]
    .into_iter()
    .flat_map(|(ids, m)| ids.into_iter().map(move |id| (id, m)))
    .collect();
    let change = TopicChange {
        title: patch.title,
        status: patch.status,
        department: patch.department,
        due: patch.due,
        note: patch.note,
        answer: patch.answer,
        outcome: patch.outcome,
        records,
        removed: patch.remove,
    };
    lock(&state)
        .change_topic(id, &change, &caller.principal.name)
        .map_err(store_error)?;
    caller.audit("topic.change", json!({ "topic": id, "change": change }))?;
    Ok(Json(view(&state, &caller, id).await?))
}

/// One topic as a Markdown report (问题清单 / 满意清单).
#[utoipa::path(
    get,
    path = "/api/topics/{id}/report.md",
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, content_type = "text/markdown", body = String), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody, description = "Too many heavy requests running: try again after `Retry-After` seconds"))
)]
pub(super) async fn topic_report(
    State(state): State<AppState>,
    caller: Caller,
    heavy: Heavy,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    caller.require(Right::Topics)?;
    caller.require(Right::Export)?;
    let view = view(&state, &caller, id).await?;
    let (engine, viewer) = (state.engine.clone(), caller.viewer());
    let ids = view.record_ids.clone();
    let text = heavy
        .run(move || report::markdown(&engine, &view, &viewer))
        .await?;
    caller.audit(
        "export",
        json!({ "topic": id, "ids": ids, "format": "markdown" }),
    )?;
    let disposition = format!("attachment; filename=\"topic-{id}.md\"");
    let headers = [
        (
            header::CONTENT_TYPE,
            "text/markdown; charset=utf-8".to_string(),
        ),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, text).into_response())
}

/// The topics `status`, `kind` and `department` select, as CSV.
#[utoipa::path(
    get,
    path = "/api/topics/export.csv",
    params(("status" = Option<TopicStatus>, Query, description = "Same filters as /api/topics")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 503, body = ErrorBody, description = "Too many heavy requests running: try again after `Retry-After` seconds"))
)]
pub(super) async fn export_topics_csv(
    State(state): State<AppState>,
    caller: Caller,
    // Held while every topic's view is computed.
    _heavy: Heavy,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    caller.require(Right::Topics)?;
    caller.require(Right::Export)?;
    let filter = topic_filter(params)?;
    let list = lock(&state).topics(&filter).map_err(store_error)?;
    let mut views = Vec::with_capacity(list.len());
    for topic in list {
        views.push(view(&state, &caller, topic.id).await?);
    }
    let ids: Vec<i64> = views.iter().map(|v| v.topic.id).collect();
    caller.audit("export", json!({ "topics": ids, "format": "csv" }))?;
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"topics.csv\"",
        ),
    ];
    Ok((headers, report::csv(&views)).into_response())
}

/// Topic `id` as the caller sees it.
async fn view(state: &AppState, caller: &Caller, id: i64) -> Result<TopicView, ApiError> {
    let (engine, access, viewer) = (state.engine.clone(), state.access.clone(), caller.viewer());
    blocking(move || topics::view(&engine, access.store(), id, &viewer)).await
}

fn lock(state: &AppState) -> std::sync::MutexGuard<'_, minyi_store::Store> {
    state
        .access
        .store()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn candidate_ids(view: &TopicView) -> Vec<&str> {
    view.candidates.iter().map(|c| c.id.as_str()).collect()
}
