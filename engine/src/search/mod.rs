//! Search: the query text matched by words, by meaning or both, within filters and a date range,
//! with facet counts, a monthly histogram and highlighted snippets; and the full selection of a
//! search, for grouping.

mod facets;
mod filters;
mod fusion;
mod highlight;
mod meaning;
mod request;

use std::collections::BTreeMap;
use std::time::Instant;

use minyi_corpus::Record;
use minyi_indexer::vectors::RecordVectors;
use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::{DateTime, DocAddress, Order};

pub use facets::{FacetCount, MonthCount};
pub use fusion::reciprocal_rank_fusion;
pub(crate) use meaning::FUSION_DEPTH;
pub use request::{MAX_LIMIT, MAX_WINDOW, Mode, SearchRequest, Sort};

use minyi_indexer::names::Entity;
use minyi_indexer::{inferred_region, passage_text};

use crate::engine::Snapshot;
use crate::{Engine, EngineError, query};

/// One matching record.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub id: String,
    /// Relevance score; absent when sorted by date.
    pub score: Option<f32>,
    /// The title with matches in `<em>`, HTML-escaped.
    pub title_html: Option<String>,
    /// A passage of the content with matches in `<em>`, HTML-escaped.
    pub snippet_html: String,
    /// The names the record gives (estates, roads, schools, companies, districts …), as the
    /// index learned them.
    pub entities: Vec<Entity>,
    /// The district named in the text, for a record without a region: the region it is counted
    /// under in facets and filters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred_region: Option<String>,
    pub record: Record,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    /// All matching records, not just this page.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    /// Counts over all matching records, per facet field, largest first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    pub histogram: Vec<MonthCount>,
    /// The mode the query was matched in.
    pub mode: Mode,
    pub took_ms: f64,
}

impl Engine {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, EngineError> {
        let started = Instant::now();
        req.check_page()?;
        let snapshot = self.snapshot();
        let index = snapshot.index();
        let text_query = query::parse(&req.q, index.fields(), &index.query_tokenizer())?;
        let query = filters::filtered(index, text_query.box_clone(), req)?;
        let searcher = &snapshot.searcher;

        let window = TopDocs::with_limit(req.limit).and_offset(req.offset);
        let sort = match req.sort {
            Sort::Relevance if req.q.trim().is_empty() => Sort::Newest,
            other => other,
        };
        let facets = facets::collector();
        let mode = match req.mode {
            Some(mode) => mode,
            None if !req.q.trim().is_empty() && snapshot.semantic().is_ok() => Mode::Hybrid,
            None => Mode::Lexical,
        };
        let (page, total, aggs): (Vec<(Option<f32>, DocAddress)>, usize, _) = match sort {
            Sort::Relevance if mode != Mode::Lexical => {
                let (page, total, aggs) =
                    meaning::ranked_by_meaning(&snapshot, &*query, req, mode, facets)?;
                let page = page.into_iter().map(|(s, a)| (Some(s), a)).collect();
                (page, total, aggs)
            }
            Sort::Relevance => {
                let (top, total, aggs) =
                    searcher.search(&query, &(window.order_by_score(), Count, facets))?;
                let page = top.into_iter().map(|(s, a)| (Some(s), a)).collect();
                (page, total, aggs)
            }
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let collector = window.order_by_fast_field::<DateTime>("submitted_at", order);
                let (top, total, aggs) = searcher.search(&query, &(collector, Count, facets))?;
                let page = top.into_iter().map(|(_, a)| (None, a)).collect();
                (page, total, aggs)
            }
        };
        let (facets, histogram) = facets::counts(aggs)?;
        let highlighters = highlight::Highlighters::new(&*text_query, index);
        let names = index.names();
        let hits = page
            .into_iter()
            .map(|(score, address)| {
                let record = snapshot.record(address)?;
                let (title_html, snippet_html) = highlighters.mark(&record);
                let entities = names.find(&passage_text(&record));
                Ok(Hit {
                    id: record.id.clone(),
                    score,
                    title_html,
                    snippet_html,
                    inferred_region: record
                        .region
                        .is_none()
                        .then(|| inferred_region(&entities))
                        .flatten(),
                    entities,
                    record,
                })
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        Ok(SearchResponse {
            total,
            offset: req.offset,
            limit: req.limit,
            hits,
            facets,
            histogram,
            mode,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Every record matching the request's query and filters (its order and page are ignored),
    /// in index order, with the id of its embedding when it has one; fails when more than `max`
    /// match.
    pub fn matching_records(
        &self,
        req: &SearchRequest,
        max: usize,
    ) -> Result<Vec<(Record, Option<u64>)>, EngineError> {
        matching_records(&self.snapshot(), req, max)
    }
}

/// [`Engine::matching_records`] in `snapshot`.
pub(crate) fn matching_records(
    snapshot: &Snapshot,
    req: &SearchRequest,
    max: usize,
) -> Result<Vec<(Record, Option<u64>)>, EngineError> {
    let index = snapshot.index();
    let query = filters::filtered(
        index,
        query::parse(&req.q, index.fields(), &index.query_tokenizer())?,
        req,
    )?;
    let addresses = snapshot.searcher.search(&query, &DocSetCollector)?;
    if addresses.len() > max {
        return Err(EngineError::InvalidRequest(format!(
            "{} records match; narrow the selection to at most {max}",
            addresses.len()
        )));
    }
    let mut addresses: Vec<DocAddress> = addresses.into_iter().collect();
    addresses.sort();
    let vectors = RecordVectors::new(&snapshot.searcher)?;
    addresses
        .into_iter()
        .map(|a| Ok((snapshot.record(a)?, vectors.of(a))))
        .collect()
}
