//! 类案: grouping records into recurring concrete issues, describing and ranking them.
//!
//! [`find_issues`] takes any selection (the whole index, a search, a filter), groups its records
//! by lexical similarity ([`features`], [`cluster`]), and describes each group ([`describe`]):
//! a keyword label, a representative record, volume, submitters, spread, trend, growth, spikes and
//! a heat score to rank by. [`export`] turns the ranked list into the 问题清单 handed to departments.

pub mod bench;
mod cluster;
mod describe;
pub mod export;
pub(crate) mod features;
mod laws;

use chrono::NaiveDate;
use minyi_corpus::Record;
use serde::Serialize;
use utoipa::ToSchema;

pub use describe::{CategorySpike, Issue, Reply, Spike, SubmitterCount, WeekCount};
pub use laws::{ArticleOpinions, LawOpinions, laws};

use crate::engine::{Engine, EngineError, SearchRequest};

/// The most records one grouping run takes (about a minute of work on two cores at the limit).
pub const MAX_RECORDS: usize = 200_000;
/// Neighbours considered per record.
const NEIGHBOURS: usize = 12;
/// Two records are linked when their lexical cosine similarity reaches this…
const EDGE_MIN: f32 = 0.25;
/// …and two groups merge only when their centroids are this similar.
const MERGE_MIN: f32 = 0.35;

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
#[derive(Debug, Clone, Serialize, ToSchema)]
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
    let records = engine.matching_records(req, MAX_RECORDS)?;
    let groups = group(engine, &records)?;
    Ok(describe::rank(records, groups, req.to, opts))
}

/// One issue of the selection, with its member records.
pub fn find_issue(
    engine: &Engine,
    req: &SearchRequest,
    id: &str,
) -> Result<Option<(Issue, Vec<Record>)>, EngineError> {
    let records = engine.matching_records(req, MAX_RECORDS)?;
    let groups = group(engine, &records)?;
    let opts = IssueOptions {
        min_size: 1,
        limit: usize::MAX,
    };
    let list = describe::rank(records.clone(), groups, req.to, &opts);
    Ok(list.issues.into_iter().find(|i| i.id == id).map(|issue| {
        let members = issue
            .record_ids
            .iter()
            .filter_map(|rid| records.iter().find(|r| &r.id == rid).cloned())
            .collect();
        (issue, members)
    }))
}

/// Groups of positions in `records`, each with the features used to describe it.
fn group(engine: &Engine, records: &[Record]) -> Result<describe::Grouping, EngineError> {
    let tokenizer = engine.index().query_tokenizer();
    let mut error = None;
    let (features, vocabulary) = features::features(records, &tokenizer, |word| {
        engine.document_frequency(word).unwrap_or_else(|e| {
            error.get_or_insert(e);
            (0, 0)
        })
    });
    if let Some(e) = error {
        return Err(e);
    }
    let neighbours = features::nearest_neighbours(&features, NEIGHBOURS);
    let groups = cluster::cluster(&features, &neighbours, EDGE_MIN, MERGE_MIN);
    Ok(describe::Grouping {
        groups,
        features,
        vocabulary,
    })
}
