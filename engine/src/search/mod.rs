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
use minyi_corpus::pii::Masker;
use minyi_indexer::vectors::RecordVectors;
use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, Order};

pub(crate) use facets::mask_counts;
pub use facets::{FacetCount, MonthCount};
pub use fusion::reciprocal_rank_fusion;
pub(crate) use meaning::FUSION_DEPTH;
pub use request::{MAX_LIMIT, MAX_WINDOW, Mode, SearchRequest, Sort};

use minyi_indexer::names::Entity;
use minyi_indexer::{inferred_region, passage_text};

use crate::engine::Snapshot;
use crate::viewer::{SubmitterNames, mask_html, mask_text};
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

impl Hit {
    /// Masks personal data in the hit: its highlights, names and record.
    fn mask(&mut self, masker: &Masker) {
        self.title_html.iter_mut().for_each(mask_html);
        mask_html(&mut self.snippet_html);
        self.entities
            .iter_mut()
            .for_each(|e| mask_text(&mut e.name));
        self.record = masker.record(&self.record);
    }
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
    /// How the query text was read: what a lenient reading took as plain text.
    pub notices: Vec<String>,
    pub took_ms: f64,
}

impl Engine {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, EngineError> {
        let started = Instant::now();
        let req = &req.within_window()?;
        let snapshot = self.snapshot();
        let index = snapshot.index();
        let Selection {
            text_query,
            query,
            submitters,
            notices,
        } = Selection::of(&snapshot, req)?;
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
                    meaning::ranked_by_meaning(&snapshot, &*query, req, &submitters, mode, facets)?;
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
        let (mut facets, histogram) = facets::counts(aggs)?;
        let highlighters = highlight::Highlighters::new(&*text_query, index);
        let names = index.names();
        let mut hits = page
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
            .collect::<Result<Vec<Hit>, EngineError>>()?;
        if let Some(masker) = req.viewer.masker() {
            hits.iter_mut().for_each(|hit| hit.mask(masker));
            facets::mask(&mut facets);
        }
        Ok(SearchResponse {
            total,
            offset: req.offset,
            limit: req.limit,
            hits,
            facets,
            histogram,
            mode,
            notices,
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

/// What a request selects, as queries for its viewer.
struct Selection {
    /// The query text alone, for highlighting.
    text_query: Box<dyn Query>,
    /// The query text within the filters, dates and scope.
    query: Box<dyn Query>,
    /// What the request's `submitter` values match.
    submitters: SubmitterNames,
    /// How the query text was read.
    notices: Vec<String>,
}

impl Selection {
    fn of(snapshot: &Snapshot, req: &SearchRequest) -> Result<Selection, EngineError> {
        let index = snapshot.index();
        let fields = index.fields();
        let submitters = req.viewer.submitter_names(
            &snapshot.searcher,
            fields.submitter,
            req.names_submitter(),
        )?;
        let parsed = query::parse_for(
            &req.q,
            fields,
            &index.query_tokenizer(),
            &submitters,
            req.reading,
        )?;
        let text_query = parsed.query;
        let mut notices = parsed.notices;
        if let (Some(from), Some(to)) = (req.from, req.to)
            && from > to
        {
            notices.push(format!(
                "`from` ({from}) is after `to` ({to}): no record is in that range"
            ));
        }
        let query = filters::filtered(index, text_query.box_clone(), req, &submitters)?;
        Ok(Selection {
            text_query,
            query,
            submitters,
            notices,
        })
    }
}

/// [`Engine::matching_records`] in `snapshot`.
pub(crate) fn matching_records(
    snapshot: &Snapshot,
    req: &SearchRequest,
    max: usize,
) -> Result<Vec<(Record, Option<u64>)>, EngineError> {
    let query = Selection::of(snapshot, req)?.query;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_a_hit_finds_numbers_split_by_highlights() {
        let record: Record = serde_json::from_value(serde_json::json!({
            "id": "R1", "content": "电话13812345678", "title": "电话13812345678", "submitter": "张建国"
        }))
        .unwrap();
        let mut hit = Hit {
            id: "R1".into(),
            score: None,
            title_html: Some("电话<em>138</em>12345678".into()),
            snippet_html: "<em>电话</em>1381234<em>5678</em>".into(),
            entities: Vec::new(),
            inferred_region: None,
            record,
        };
        let masker = Masker::new(b"secret");
        hit.mask(&masker);
        assert_eq!(hit.title_html.as_deref(), Some("电话<em>138</em>****5678"));
        assert_eq!(hit.snippet_html, "<em>电话</em>138****<em>5678</em>");
        assert_eq!(hit.record.content, "电话138****5678");
        assert_eq!(hit.record.submitter, Some(masker.pseudonym("张建国")));
    }
}
