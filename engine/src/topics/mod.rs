//! Following a topic (议题): the new cases that match its matter, and how the matter's volume
//! moved after the topic was assigned ([`trend`]).
//!
//! A topic is a fixed set of records (its members, and the new cases staff accepted); the store
//! keeps those, and the server passes them in as a [`Matter`]. Whether another record is the
//! same matter is decided by the same signals and the same rule as 类案 grouping: words,
//! meaning, the places named and the submitter, and an average similarity to the members of at
//! least the threshold at which grouping merges. So a record grouping would have put with the
//! members is a candidate, and one it would have kept apart (another estate) is not.
//!
//! Which records are compared is bounded: those most like the members' words together (a
//! more-like-this query of the rarest words of all of them) and, with embeddings, those nearest
//! to the members' mean meaning. Everything is within the viewer's scope: candidates, and the
//! counts of the trend; the members define the matter whoever is looking.

mod trend;

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use minyi_corpus::Record;
use minyi_indexer::vectors::RecordVectors;
use serde::Serialize;
use tantivy::DocAddress;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};

pub use trend::{Trend, TrendWeek};

use crate::engine::Snapshot;
use crate::issues::Signals;
use crate::{Engine, EngineError, Viewer};

/// Records compared with the members, by words and again by meaning.
const POOL: usize = 400;

/// What the server knows of a topic.
#[derive(Debug, Clone)]
pub struct Matter {
    /// The records that say what the matter is: members and accepted cases.
    pub records: Vec<String>,
    /// Cases staff said are another matter: never offered again, never counted.
    pub dismissed: Vec<String>,
    /// When the topic was made: candidates submitted later are `new`.
    pub created: NaiveDateTime,
    /// When it was assigned: the "before" and "after" of the trend.
    pub assigned: Option<NaiveDate>,
    /// The last day the trend counts (today).
    pub as_of: NaiveDate,
}

/// What follows from a topic's records now.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tracking {
    /// Records of the same matter that are not in the topic, best first.
    pub candidates: Vec<Candidate>,
    /// Candidates before `limit`.
    pub total_candidates: usize,
    /// Weekly volume before and after the assignment; `None` until the topic is assigned.
    pub trend: Option<Trend>,
}

/// A record of the topic's matter that is not in the topic.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub id: String,
    /// Its average similarity to the members, as grouping measures it (0–1).
    pub score: f32,
    /// Whether it was submitted after the topic was made.
    pub new: bool,
    pub record: Record,
}

/// The candidates of `matter` (at most `limit`) and its trend, as `viewer` may see them.
pub fn track(
    engine: &Engine,
    matter: &Matter,
    limit: usize,
    viewer: &Viewer,
) -> Result<Tracking, EngineError> {
    let snapshot = engine.snapshot();
    let vectors = RecordVectors::new(&snapshot.searcher)?;
    let mut records = Vec::new();
    let mut vector_ids = Vec::new();
    // The dates of the topic's own records that the viewer may see, for the trend.
    let mut dates = Vec::new();
    for id in &matter.records {
        let Some(address) = snapshot.find(id)? else {
            continue; // deleted since
        };
        let record = snapshot.record(address)?;
        if snapshot.find_for(id, viewer)?.is_some() {
            dates.extend(record.submitted_at);
        }
        records.push(record);
        vector_ids.push(vectors.of(address));
    }
    let members = records.len();
    let mut candidates = Vec::new();
    if members > 0 {
        let known: HashSet<&str> = matter
            .records
            .iter()
            .chain(&matter.dismissed)
            .map(String::as_str)
            .collect();
        for address in pool(&snapshot, &records, &vector_ids, viewer)? {
            let record = snapshot.record(address)?;
            if !known.contains(record.id.as_str()) {
                records.push(record);
                vector_ids.push(vectors.of(address));
            }
        }
        let signals = Signals::of(&snapshot, &records, &vector_ids)?;
        let member_positions: Vec<usize> = (0..members).collect();
        let pool_positions: Vec<usize> = (members..records.len()).collect();
        let joining = signals.joining(&member_positions, &pool_positions);
        for (record, score) in records.drain(members..).zip(joining) {
            if let Some(score) = score {
                candidates.push(Candidate {
                    id: record.id.clone(),
                    score,
                    new: record.submitted_at.is_some_and(|at| at > matter.created),
                    record,
                });
            }
        }
    }
    dates.extend(candidates.iter().filter_map(|c| c.record.submitted_at));
    let trend = matter
        .assigned
        .map(|assigned| Trend::of(&dates, assigned, matter.as_of));
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    let total_candidates = candidates.len();
    candidates.truncate(limit);
    if let Some(masker) = viewer.masker() {
        for candidate in &mut candidates {
            candidate.record = masker.record(&candidate.record);
        }
    }
    Ok(Tracking {
        candidates,
        total_candidates,
        trend,
    })
}

/// The records in `viewer`'s scope worth comparing with the `members`: the most like their
/// words together and, when every member has an embedding, the nearest to their mean meaning.
fn pool(
    snapshot: &Snapshot,
    members: &[Record],
    vector_ids: &[Option<u64>],
    viewer: &Viewer,
) -> Result<Vec<DocAddress>, EngineError> {
    let scope = viewer.scope(snapshot.index().fields().stated_region);
    let together = Record {
        title: None,
        content: members
            .iter()
            .flat_map(|r| [r.title.as_deref().unwrap_or(""), r.content.as_str()])
            .collect::<Vec<_>>()
            .join("\n"),
        ..members[0].clone()
    };
    let like_them = crate::similar::more_like_this(snapshot, &together)?;
    let lexical: Box<dyn Query> = match &scope {
        Some(scope) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, like_them),
            (Occur::Must, scope.box_clone()),
        ])),
        None => like_them,
    };
    let mut pool: Vec<DocAddress> = snapshot
        .searcher
        .search(&*lexical, &TopDocs::with_limit(POOL).order_by_score())?
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    if let (Some(store), true) = (
        snapshot.index().vectors(),
        vector_ids.iter().all(Option::is_some),
    ) {
        let mut centre = vec![0.0f32; store.dim()];
        for v in vector_ids.iter().flatten().filter_map(|v| store.get(*v)) {
            centre.iter_mut().zip(&v).for_each(|(c, x)| *c += x);
        }
        let norm = centre.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            centre.iter_mut().for_each(|c| *c /= norm);
            let allowed = snapshot.allowed(scope.as_deref())?;
            let nearest = store.search(
                &centre,
                POOL,
                &|id| allowed.get(id).is_some(),
                allowed.len(),
            );
            pool.extend(nearest.into_iter().filter_map(|(id, _)| allowed.get(id)));
        }
    }
    pool.sort();
    pool.dedup();
    Ok(pool)
}
