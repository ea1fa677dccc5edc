//! Topics (议题) for one caller: what the store remembers of a topic (its records, decisions and
//! history) together with what the engine finds in the index now (new matching cases, the volume
//! before and after assignment), within the caller's scope and masked as their answers are.
//!
//! The store's lock is never held during engine work: it is the one every request's credentials
//! are looked up with. [`report`] writes the Markdown report and the CSV list.

pub mod report;

use std::sync::Mutex;

use chrono::{DateTime, Local, NaiveDate, Utc};
use minyi_corpus::pii;
use minyi_engine::issues;
use minyi_engine::topics::{self, Candidate, Matter, Trend};
use minyi_engine::{Engine, EngineError, SearchRequest, Viewer};
use minyi_store::topics::{Membership, Topic, TopicEvent};
use minyi_store::{Store, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// The most records a topic is made of from a saved selection.
pub const MAX_SELECTION_RECORDS: usize = 5_000;
/// New cases shown with a topic.
pub const CANDIDATES: usize = 50;

/// Why a topic request failed.
#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("no {0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
}

/// Where a new topic's members come from.
pub enum Source {
    /// The issue `id` of a selection, as `/api/issues` listed it.
    Issue {
        selection: SearchRequest,
        id: String,
    },
    /// Every record of a selection.
    Selection(SearchRequest),
    /// Records picked by hand.
    Records(Vec<String>),
}

/// The member ids `source` names, as `viewer` may see them: an issue's members, a selection's
/// records, or hand-picked records that all exist in their scope.
pub fn members(
    engine: &Engine,
    source: Source,
    viewer: &Viewer,
) -> Result<Vec<String>, TopicError> {
    let ids = match source {
        Source::Issue { selection, id } => issues::find_issue(engine, &selection, &id)?
            .map(|(issue, _)| issue.record_ids)
            .ok_or_else(|| TopicError::NotFound(format!("issue `{id}` in this selection")))?,
        Source::Selection(selection) => engine
            .matching_records(&selection, MAX_SELECTION_RECORDS)?
            .into_iter()
            .map(|(record, _)| record.id)
            .collect(),
        Source::Records(ids) => {
            visible(engine, &ids, viewer)?;
            ids
        }
    };
    if ids.is_empty() {
        return Err(TopicError::Invalid(
            "a topic needs at least one record".into(),
        ));
    }
    Ok(ids)
}

/// `Ok` when every record of `ids` exists and is in `viewer`'s scope.
pub fn visible(engine: &Engine, ids: &[String], viewer: &Viewer) -> Result<(), TopicError> {
    for id in ids {
        if engine.record(id, viewer)?.is_none() {
            return Err(TopicError::NotFound(format!("record with id `{id}`")));
        }
    }
    Ok(())
}

/// A topic as a caller sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicView {
    pub topic: Topic,
    /// Its records (members and accepted cases) in the caller's scope, in the order added.
    pub record_ids: Vec<String>,
    /// Which of `record_ids` were accepted as new cases.
    pub accepted: Vec<String>,
    /// Cases dismissed as another matter, in the caller's scope.
    pub dismissed: Vec<String>,
    /// Records of the same matter not in the topic, best first (at most [`CANDIDATES`]).
    pub candidates: Vec<Candidate>,
    pub total_candidates: usize,
    /// Weekly volume before and after assignment; `null` until assigned.
    pub trend: Option<Trend>,
    /// Every change, oldest first, each with `at` and `by`.
    pub history: Vec<TopicEvent>,
}

/// Topic `id` as `viewer` sees it; `store` is locked only to read it.
pub fn view(
    engine: &Engine,
    store: &Mutex<Store>,
    id: i64,
    viewer: &Viewer,
) -> Result<TopicView, TopicError> {
    let (topic, records, history) = {
        let store = store.lock().unwrap_or_else(|e| e.into_inner());
        let topic = store
            .topic(id)?
            .ok_or_else(|| TopicError::NotFound(format!("topic {id}")))?;
        (topic, store.topic_records(id)?, store.topic_history(id)?)
    };
    tracked(engine, topic, records, history, viewer)
}

/// The view of a topic read from the store.
pub fn tracked(
    engine: &Engine,
    mut topic: Topic,
    records: Vec<(String, Membership)>,
    history: Vec<TopicEvent>,
    viewer: &Viewer,
) -> Result<TopicView, TopicError> {
    let of = |wanted: &[Membership]| -> Vec<String> {
        records
            .iter()
            .filter(|(_, m)| wanted.contains(m))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let matter = Matter {
        records: of(&[Membership::Member, Membership::Accepted]),
        dismissed: of(&[Membership::Dismissed]),
        created: local(topic.created_at).naive_local(),
        assigned: topic.assigned_at.map(|at| local(at).date_naive()),
        as_of: today(),
    };
    let tracking = topics::track(engine, &matter, CANDIDATES, viewer)?;
    let in_scope = |ids: Vec<String>| -> Result<Vec<String>, TopicError> {
        let mut seen = Vec::with_capacity(ids.len());
        for id in ids {
            if engine.record(&id, viewer)?.is_some() {
                seen.push(id);
            }
        }
        Ok(seen)
    };
    if viewer.masked() {
        mask_topic(&mut topic);
    }
    Ok(TopicView {
        topic,
        record_ids: in_scope(matter.records)?,
        accepted: in_scope(of(&[Membership::Accepted]))?,
        dismissed: in_scope(matter.dismissed)?,
        candidates: tracking.candidates,
        total_candidates: tracking.total_candidates,
        trend: tracking.trend,
        history,
    })
}

/// Masks personal data staff may have typed into a topic's texts.
pub fn mask_topic(topic: &mut Topic) {
    let mask = |text: &mut Option<String>| {
        if let Some(t) = text {
            *t = pii::mask(t).text;
        }
    };
    topic.title = pii::mask(&topic.title).text;
    for text in [
        &mut topic.note,
        &mut topic.answer,
        &mut topic.outcome,
        &mut topic.department,
    ] {
        mask(text);
    }
}

/// Records are dated in local (China) time, as offices record them; so are a topic's days.
fn local(at: DateTime<Utc>) -> DateTime<Local> {
    at.with_timezone(&Local)
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}
