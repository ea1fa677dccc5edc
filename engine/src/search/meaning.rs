//! Ranking by meaning: semantic and hybrid search.
//!
//! Hybrid ranking fuses the lexical and the semantic list by reciprocal rank ([`super::fusion`]).
//! Filters (and the viewer's scope) apply to both lists before ranking, so filtered vector
//! search never loses hits and never finds a record out of scope. The
//! facet counts come from the same tantivy pass that finds the lexical list (hybrid) or the
//! records the filters allow (semantic), so no query runs twice.

use minyi_corpus::normalize::normalize;
use tantivy::DocAddress;
use tantivy::DocSet;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{AllQuery, EnableScoring, Query};

use super::filters::filtered;
use super::fusion::reciprocal_rank_fusion;
use super::request::{Mode, SearchRequest};
use crate::EngineError;
use crate::engine::Snapshot;
use crate::vectors::Allowed;
use crate::viewer::SubmitterNames;

/// How deep each list is taken before fusing.
pub(crate) const FUSION_DEPTH: usize = 200;

/// A page of hits with their scores, the total, and the facet counts of a search.
pub(super) type Ranked = (Vec<(f32, DocAddress)>, usize, AggregationResults);

/// The page of a semantic or hybrid search for `req`, whose lexical query with filters is
/// `query`; `facets` counts over the records the search matches.
pub(super) fn ranked_by_meaning(
    snapshot: &Snapshot,
    query: &dyn Query,
    req: &SearchRequest,
    submitters: &SubmitterNames,
    mode: Mode,
    facets: AggregationCollector,
) -> Result<Ranked, EngineError> {
    let semantic = snapshot.semantic()?;
    let searcher = &snapshot.searcher;
    let window = req.offset + req.limit;
    let depth = if mode == Mode::Semantic {
        window
    } else {
        window.max(FUSION_DEPTH)
    };
    // `lexical`: the lexical list and its total, for hybrid.
    let (allowed, lexical, aggs) = if mode == Mode::Semantic {
        if req.has_filters() {
            let filters = filtered(snapshot.index(), Box::new(AllQuery), req, submitters)?;
            let (docs, aggs) = searcher.search(&filters, &(DocSetCollector, facets))?;
            (Allowed::matching(searcher, docs.into_iter())?, None, aggs)
        } else {
            let aggs = searcher.search(&AllQuery, &facets)?;
            (Allowed::All(snapshot.live_vectors()?), None, aggs)
        }
    } else {
        let collector = (TopDocs::with_limit(depth).order_by_score(), Count, facets);
        let (top, total, aggs) = searcher.search(query, &collector)?;
        let lexical: Vec<DocAddress> = top.into_iter().map(|(_, a)| a).collect();
        let filters = req
            .has_filters()
            .then(|| filtered(snapshot.index(), Box::new(AllQuery), req, submitters))
            .transpose()?;
        (
            snapshot.allowed(filters.as_deref())?,
            Some((lexical, total)),
            aggs,
        )
    };
    let query_vector = semantic.model.embedder.embed_query(&normalize(&req.q))?;
    let nearest: Vec<(DocAddress, f32)> = semantic
        .store
        .search(
            &query_vector,
            depth,
            &|id| allowed.get(id).is_some(),
            allowed.len(),
        )
        .into_iter()
        .filter_map(|(id, cosine)| allowed.get(id).map(|a| (a, cosine)))
        .collect();
    let Some((lexical, lexical_total)) = lexical else {
        let page = nearest
            .iter()
            .skip(req.offset)
            .take(req.limit)
            .map(|(a, s)| (*s, *a))
            .collect();
        return Ok((page, allowed.len(), aggs));
    };
    let semantic: Vec<DocAddress> = nearest.iter().map(|(a, _)| *a).collect();
    let fused = reciprocal_rank_fusion(&[&lexical, &semantic]);
    // The total is every record matching the words or near in meaning, each once: the
    // semantic hits beyond the lexical list may still match the words (ranked below its depth),
    // and those the lexical count holds already.
    let beyond: Vec<DocAddress> = semantic
        .iter()
        .filter(|a| !lexical.contains(a))
        .copied()
        .collect();
    let semantic_only = beyond.len() - matching(searcher, query, &beyond)?;
    let page = fused
        .into_iter()
        .skip(req.offset)
        .take(req.limit)
        .map(|(a, s)| (s, a))
        .collect();
    Ok((page, lexical_total + semantic_only, aggs))
}

/// How many of `addresses` (live records) `query` matches.
fn matching(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    addresses: &[DocAddress],
) -> Result<usize, EngineError> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut sorted = addresses.to_vec();
    sorted.sort();
    let mut count = 0;
    for segment in sorted.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].segment_ord);
        let mut scorer = weight.scorer(reader, 1.0)?;
        for address in segment {
            // A scorer only moves forward; one already past the record does not match it.
            if scorer.doc() <= address.doc_id && scorer.seek(address.doc_id) == address.doc_id {
                count += 1;
            }
        }
    }
    Ok(count)
}
