//! 类案: grouping records into recurring concrete issues, describing and ranking them.
//!
//! [`find_issues`] takes any selection (the whole index, a search, a filter), groups its records
//! by lexical similarity ([`features`], [`cluster`]), and describes each group ([`describe`]):
//! a keyword label, a representative record, volume, submitters, spread, trend, growth, spikes and
//! a heat score to rank by. [`export`] turns the ranked list into the 问题清单 handed to departments.

mod cluster;
mod describe;
pub mod export;
pub(crate) mod features;

use std::collections::HashMap;

use chrono::NaiveDate;
use minyi_corpus::Record;
use serde::Serialize;

pub use describe::{CategorySpike, Issue, Reply, Spike, SubmitterCount, WeekCount};

use crate::engine::Snapshot;
use crate::search::{SearchRequest, matching_records};
use crate::{Engine, EngineError};

/// The most records one grouping run takes (about a minute of work on two cores at the limit).
pub const MAX_RECORDS: usize = 200_000;
/// Neighbours considered per record.
const NEIGHBOURS: usize = 12;
/// Two records are linked when their lexical cosine similarity reaches this…
const EDGE_MIN: f32 = 0.25;
/// …and two groups merge only when their centroids are this similar.
const MERGE_MIN: f32 = 0.35;

/// Cosine of embeddings below which meaning adds nothing to a link …
const SEMANTIC_FLOOR: f32 = 0.88;
/// … and at which it adds its full weight.
const SEMANTIC_FULL: f32 = 0.95;
const SEMANTIC_WEIGHT: f32 = 0.15;

/// How to group and what to return.
#[derive(Debug, Clone)]
pub struct IssueOptions {
    /// Groups smaller than this are not issues (default 3).
    pub min_size: usize,
    /// How many issues to return, hottest first.
    pub limit: usize,
}

impl Default for IssueOptions {
    fn default() -> Self {
        IssueOptions {
            min_size: 3,
            limit: 50,
        }
    }
}

/// The ranked issues of a selection.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueList {
    /// Records in the selection.
    pub total_records: usize,
    /// Records that belong to some issue (a group of at least `min_size`).
    pub grouped_records: usize,
    /// Issues found, before `limit`.
    pub total_issues: usize,
    /// The day growth and spikes are measured up to: `to`, or the newest record's day.
    pub as_of: Option<NaiveDate>,
    pub issues: Vec<Issue>,
    /// Categories whose weekly volume jumped against their own history.
    pub category_spikes: Vec<CategorySpike>,
}

/// Groups the records selected by `req` (its query, filters and dates; not its page) into issues.
pub fn find_issues(
    engine: &Engine,
    req: &SearchRequest,
    opts: &IssueOptions,
) -> Result<IssueList, EngineError> {
    let snapshot = engine.snapshot();
    let members = matching_records(&snapshot, req, MAX_RECORDS)?;
    rank_issues(&snapshot, members, req.to, opts)
}

/// One issue of the selection, with its member records.
pub fn find_issue(
    engine: &Engine,
    req: &SearchRequest,
    id: &str,
) -> Result<Option<(Issue, Vec<Record>)>, EngineError> {
    let snapshot = engine.snapshot();
    let members = matching_records(&snapshot, req, MAX_RECORDS)?;
    let records: Vec<Record> = members.iter().map(|(r, _)| r.clone()).collect();
    let opts = IssueOptions {
        min_size: 1,
        limit: usize::MAX,
    };
    let list = rank_issues(&snapshot, members, req.to, &opts)?;
    Ok(list.issues.into_iter().find(|i| i.id == id).map(|issue| {
        let members = issue
            .record_ids
            .iter()
            .filter_map(|rid| records.iter().find(|r| &r.id == rid).cloned())
            .collect();
        (issue, members)
    }))
}

/// `members` (records with the ids of their embeddings) grouped into issues and ranked, with
/// growth and spikes measured up to `as_of`.
pub(crate) fn rank_issues(
    snapshot: &Snapshot,
    members: Vec<(Record, Option<u64>)>,
    as_of: Option<NaiveDate>,
    opts: &IssueOptions,
) -> Result<IssueList, EngineError> {
    let (records, vector_ids): (Vec<Record>, Vec<Option<u64>>) = members.into_iter().unzip();
    let grouping = group(snapshot, &records, &vector_ids)?;
    Ok(describe::rank(records, grouping, as_of, opts))
}

/// Groups of positions in `records`, each with the features used to describe it.
///
/// With embeddings, a record's neighbours also include its nearest records by meaning, and a
/// link's strength adds a bonus for close meaning to the lexical similarity: differently worded
/// complaints about one place link up, while the lexical centroid guard still keeps places apart.
fn group(
    snapshot: &Snapshot,
    records: &[Record],
    vector_ids: &[Option<u64>],
) -> Result<describe::Grouping, EngineError> {
    let tokenizer = snapshot.index().query_tokenizer();
    let mut error = None;
    let (features, vocabulary) = features::features(records, &tokenizer, |word| {
        snapshot.document_frequency(word).unwrap_or_else(|e| {
            error.get_or_insert(e);
            (0, 0)
        })
    });
    if let Some(e) = error {
        return Err(e);
    }
    let mut neighbours = features::nearest_neighbours(&features, NEIGHBOURS);
    if let (Ok(semantic), true) = (snapshot.semantic(), vector_ids.iter().all(Option::is_some)) {
        let store = &semantic.store;
        let position: HashMap<u64, usize> = vector_ids
            .iter()
            .enumerate()
            .map(|(i, v)| (v.expect("checked"), i))
            .collect();
        let vectors: Vec<Vec<f32>> = vector_ids
            .iter()
            .map(|v| store.get(v.expect("checked")).unwrap_or_default())
            .collect();
        for (i, list) in neighbours.iter_mut().enumerate() {
            let mut candidates: Vec<u32> = list.iter().map(|(j, _)| *j).collect();
            for (vid, _) in store.search(
                &vectors[i],
                NEIGHBOURS + 1,
                &|id| position.contains_key(&id),
                position.len(),
            ) {
                let j = position[&vid] as u32;
                if j as usize != i && !candidates.contains(&j) {
                    candidates.push(j);
                }
            }
            *list = candidates
                .into_iter()
                .map(|j| {
                    let lexical = features::cosine(&features[i], &features[j as usize]);
                    let meaning = minyi_indexer::vectors::dot(&vectors[i], &vectors[j as usize]);
                    (j, lexical + semantic_bonus(meaning))
                })
                .collect();
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        }
    }
    let groups = cluster::cluster(&features, &neighbours, EDGE_MIN, MERGE_MIN);
    Ok(describe::Grouping {
        groups,
        features,
        vocabulary,
    })
}

/// What close meaning adds to a link: nothing below `SEMANTIC_FLOOR` (unrelated texts already
/// score about 0.86 with e5), rising linearly to `SEMANTIC_WEIGHT` at `SEMANTIC_FULL`.
fn semantic_bonus(cosine: f32) -> f32 {
    ((cosine - SEMANTIC_FLOOR) / (SEMANTIC_FULL - SEMANTIC_FLOOR)).clamp(0.0, 1.0) * SEMANTIC_WEIGHT
}
