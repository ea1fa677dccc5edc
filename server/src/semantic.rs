//! Matching by meaning: semantic and hybrid search, similar cases (类案推荐), routing suggestions.
//!
//! Hybrid ranking fuses the lexical and the semantic list by reciprocal rank (RRF, k = 60): it
//! needs no score calibration between BM25 and cosine, and a record high in either list ranks
//! high. Filters apply to both lists before ranking, so filtered vector search never loses hits.

use std::collections::HashMap;
use std::sync::Arc;

use minyi_corpus::Record;
use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};
use utoipa::ToSchema;

use crate::engine::{Engine, EngineError, Mode, SearchRequest};

/// RRF's rank offset; 60 is the value of the original paper and works without tuning.
const RRF_K: f32 = 60.0;
/// How deep each list is taken before fusing.
const FUSION_DEPTH: usize = 200;
/// Words of a record used to find lexically similar ones.
const SIMILAR_WORDS: usize = 24;

/// Which record holds each vector, for one searcher generation. Built once per reader reload
/// and shared by the requests on that generation, so an unfiltered semantic search or a
/// similar-case lookup does not visit every record.
pub(crate) struct LiveVectors {
    generation: u64,
    /// Indexed by vector id; `None` for the vectors of replaced or deleted records (and for
    /// vectors appended after this generation was committed).
    docs: Vec<Option<DocAddress>>,
    live: usize,
}

impl LiveVectors {
    fn build(searcher: &Searcher) -> Result<LiveVectors, EngineError> {
        let mut docs = Vec::new();
        let mut live = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let column = segment.fast_fields().u64("vector_id")?;
            for doc in segment.doc_ids_alive() {
                if let Some(v) = column.first(doc) {
                    let v = v as usize;
                    if v >= docs.len() {
                        docs.resize(v + 1, None);
                    }
                    docs[v] = Some(DocAddress::new(ord as u32, doc));
                    live += 1;
                }
            }
        }
        Ok(LiveVectors {
            generation: searcher.generation().generation_id(),
            docs,
            live,
        })
    }

    fn get(&self, vector: u64) -> Option<DocAddress> {
        self.docs.get(vector as usize).copied().flatten()
    }
}

/// The vectors a semantic search may return, with the records holding them.
enum Allowed {
    /// Every live vector: no filter applies.
    All(Arc<LiveVectors>),
    /// Those of the records matching a filter, by vector id.
    Matching(HashMap<u64, DocAddress>),
}

impl Allowed {
    fn get(&self, vector: u64) -> Option<DocAddress> {
        match self {
            Allowed::All(live) => live.get(vector),
            Allowed::Matching(docs) => docs.get(&vector).copied(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Allowed::All(live) => live.live,
            Allowed::Matching(docs) => docs.len(),
        }
    }
}

impl Engine {
    /// The live vectors of `searcher`'s generation, built on the first request that needs them.
    fn live_vectors(&self, searcher: &Searcher) -> Result<Arc<LiveVectors>, EngineError> {
        let generation = searcher.generation().generation_id();
        // Held while building, so concurrent requests after a reload build it once.
        let mut cached = self
            .live_vectors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(live) = cached.as_ref().filter(|l| l.generation == generation) {
            return Ok(live.clone());
        }
        let live = Arc::new(LiveVectors::build(searcher)?);
        // A request still on an older searcher must not evict the current generation's map.
        if cached.as_ref().is_none_or(|l| l.generation < generation) {
            *cached = Some(live.clone());
        }
        Ok(live)
    }

    /// Records matching `filters_query` by the id of their vector.
    fn vector_docs(
        &self,
        searcher: &Searcher,
        filters_query: &dyn Query,
    ) -> Result<HashMap<u64, DocAddress>, EngineError> {
        let docs = searcher.search(filters_query, &DocSetCollector)?;
        let mut columns = HashMap::new();
        let mut out = HashMap::with_capacity(docs.len());
        for address in docs {
            let column = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let reader = searcher.segment_reader(address.segment_ord);
                    e.insert(reader.fast_fields().u64("vector_id")?)
                }
            };
            if let Some(v) = column.first(address.doc_id) {
                out.insert(v, address);
            }
        }
        Ok(out)
    }

    /// What a search with `req`'s filters may return.
    fn allowed(&self, searcher: &Searcher, req: &SearchRequest) -> Result<Allowed, EngineError> {
        if req.filters.is_empty() && req.from.is_none() && req.to.is_none() {
            return Ok(Allowed::All(self.live_vectors(searcher)?));
        }
        let filters = self.with_filters(Box::new(tantivy::query::AllQuery), req)?;
        Ok(Allowed::Matching(self.vector_docs(searcher, &*filters)?))
    }

    /// The page of a semantic or hybrid search, and its total.
    pub(crate) fn ranked_by_meaning(
        &self,
        searcher: &Searcher,
        lexical_query: &dyn Query,
        req: &SearchRequest,
        mode: Mode,
        lexical_total: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, usize), EngineError> {
        let (model, store) = self.semantic()?;
        let allowed = self.allowed(searcher, req)?;
        let window = req.offset + req.limit;
        let query_vector = model
            .embedder
            .embed_query(&minyi_corpus::normalize::normalize(&req.q))?;
        let depth = if mode == Mode::Semantic {
            window
        } else {
            window.max(FUSION_DEPTH)
        };
        let nearest: Vec<(DocAddress, f32)> = store
            .search(
                &query_vector,
                depth,
                &|id| allowed.get(id).is_some(),
                allowed.len(),
            )
            .into_iter()
            .filter_map(|(id, cosine)| allowed.get(id).map(|a| (a, cosine)))
            .collect();
        if mode == Mode::Semantic {
            let page = nearest
                .iter()
                .skip(req.offset)
                .take(req.limit)
                .map(|(a, s)| (*s, *a))
                .collect();
            return Ok((page, allowed.len()));
        }
        let lexical: Vec<DocAddress> = searcher
            .search(lexical_query, &TopDocs::with_limit(depth).order_by_score())?
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let semantic: Vec<DocAddress> = nearest.iter().map(|(a, _)| *a).collect();
        let fused = reciprocal_rank_fusion(&[&lexical, &semantic]);
        let semantic_only = fused.iter().filter(|(a, _)| !lexical.contains(a)).count();
        let page = fused
            .into_iter()
            .skip(req.offset)
            .take(req.limit)
            .map(|(a, s)| (s, a))
            .collect();
        Ok((page, lexical_total + semantic_only))
    }

    /// Past cases similar to the record `id` (itself excluded), or `None` when there is no such record.
    pub fn similar_to_record(
        &self,
        id: &str,
        limit: usize,
    ) -> Result<Option<SimilarCases>, EngineError> {
        let searcher = self.searcher();
        let Some(address) = self.find(&searcher, id)? else {
            return Ok(None);
        };
        let record = self.index().record(&searcher, address)?;
        // The record's own stored embedding: embedding it again would cost a forward pass.
        let stored = match self.semantic() {
            Ok((_, store)) => searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("vector_id")?
                .first(address.doc_id)
                .and_then(|v| store.get(v)),
            Err(_) => None,
        };
        self.similar(&record, stored, limit).map(Some)
    }

    /// Past cases similar to a new text (a petition just received).
    pub fn similar_to_text(
        &self,
        title: Option<String>,
        text: &str,
        limit: usize,
    ) -> Result<SimilarCases, EngineError> {
        let record = Record {
            id: String::new(),
            content: text.to_string(),
            title,
            kind: None,
            channel: None,
            site: None,
            region: None,
            submitted_at: None,
            law: None,
            article: None,
            category: None,
            status: None,
            submitter: None,
            likes: None,
            reply: None,
            extra: Default::default(),
        };
        self.similar(&record, None, limit)
    }

    /// `vector` is the record's embedding when it is already stored.
    fn similar(
        &self,
        record: &Record,
        vector: Option<Vec<f32>>,
        limit: usize,
    ) -> Result<SimilarCases, EngineError> {
        let searcher = self.searcher();
        let depth = (limit + 1).max(FUSION_DEPTH / 4);
        let lexical: Vec<DocAddress> = searcher
            .search(
                &*self.more_like_this(record)?,
                &TopDocs::with_limit(depth).order_by_score(),
            )?
            .into_iter()
            .map(|(_, a)| a)
            .collect();
        let (mode, ranked) = match self.semantic() {
            Ok((model, store)) => {
                let live = self.live_vectors(&searcher)?;
                let vector = match vector {
                    Some(v) => v,
                    None => model
                        .embedder
                        .embed_passages(&[&minyi_indexer::passage_text(record)])?
                        .remove(0),
                };
                let semantic: Vec<DocAddress> = store
                    .search(&vector, depth, &|id| live.get(id).is_some(), live.live)
                    .into_iter()
                    .filter_map(|(id, _)| live.get(id))
                    .collect();
                (Mode::Hybrid, reciprocal_rank_fusion(&[&lexical, &semantic]))
            }
            Err(_) => (Mode::Lexical, reciprocal_rank_fusion(&[&lexical])),
        };
        let mut hits = Vec::with_capacity(limit);
        for (address, score) in ranked {
            let found = self.index().record(&searcher, address)?;
            if found.id == record.id {
                continue;
            }
            hits.push(SimilarCase {
                id: found.id.clone(),
                score,
                record: found,
            });
            if hits.len() == limit {
                break;
            }
        }
        Ok(SimilarCases { mode, hits })
    }

    /// A query for records sharing `record`'s rarest words, weighted by rarity.
    pub(crate) fn more_like_this(&self, record: &Record) -> Result<Box<dyn Query>, EngineError> {
        let (title, content) =
            crate::issues::features::words(record, &self.index().query_tokenizer());
        let mut counts: HashMap<String, f32> = HashMap::new();
        for w in title.into_iter().chain(content) {
            *counts.entry(w).or_default() += 1.0;
        }
        let frequencies = self.document_frequencies();
        let mut weighted = Vec::with_capacity(counts.len());
        for (word, tf) in counts {
            let (df, n) = frequencies.of(&word)?;
            let idf = ((n as f32 + 1.0) / (df as f32 + 1.0)).ln();
            weighted.push((word, (1.0 + tf.ln()) * idf));
        }
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let fields = self.index().fields();
        let clauses: Vec<(Occur, Box<dyn Query>)> = weighted
            .into_iter()
            .take(SIMILAR_WORDS)
            .flat_map(|(word, weight)| {
                [fields.title, fields.content].map(|field| {
                    let term = TermQuery::new(
                        Term::from_field_text(field, &word),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(term), weight.max(0.01)))
                            as Box<dyn Query>,
                    )
                })
            })
            .collect();
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Suggests a category and a handling department from the labels of similar past cases.
    pub fn suggest(&self, cases: &SimilarCases) -> Suggestion {
        let category = vote(cases, |r| r.category.clone());
        let department = vote(cases, |r| {
            DEPARTMENT_KEYS
                .iter()
                .find_map(|k| r.extra.get(*k).and_then(|v| v.as_str()).map(str::to_string))
        });
        Suggestion {
            category,
            department,
            based_on: cases.hits.len(),
        }
    }
}

/// Extra fields offices use for the department that handled a case.
const DEPARTMENT_KEYS: &[&str] = &[
    "handling_department",
    "承办单位",
    "办理单位",
    "承办部门",
    "责任单位",
    "交办单位",
];

/// `(item, fused score)`, best first: each list adds `1 / (k + rank)` to the items it holds.
pub(crate) fn reciprocal_rank_fusion<T: Copy + Eq + std::hash::Hash + Ord>(
    lists: &[&[T]],
) -> Vec<(T, f32)> {
    let mut scores: HashMap<T, f32> = HashMap::new();
    for list in lists {
        for (rank, address) in list.iter().enumerate() {
            *scores.entry(*address).or_default() += 1.0 / (RRF_K + rank as f32 + 1.0);
        }
    }
    let mut fused: Vec<(T, f32)> = scores.into_iter().collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    fused
}

/// The label most of the similar cases carry, weighted by their scores.
fn vote(cases: &SimilarCases, label: impl Fn(&Record) -> Option<String>) -> Option<Guess> {
    let mut weights: HashMap<String, (f32, Vec<String>)> = HashMap::new();
    let mut total = 0.0;
    for case in &cases.hits {
        if let Some(l) = label(&case.record) {
            let entry = weights.entry(l).or_default();
            entry.0 += case.score;
            entry.1.push(case.id.clone());
            total += case.score;
        }
    }
    let (value, (weight, evidence)) = weights
        .into_iter()
        .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(&a.0)))?;
    Some(Guess {
        value,
        confidence: weight / total,
        evidence,
    })
}

/// Similar past cases.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimilarCases {
    /// `hybrid` when embeddings are available, `lexical` otherwise.
    pub mode: Mode,
    pub hits: Vec<SimilarCase>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimilarCase {
    pub id: String,
    /// Fused reciprocal-rank score: only the order is meaningful.
    pub score: f32,
    /// The case, with its reply if it has one.
    pub record: Record,
}

/// A routing suggestion (交办建议) with its evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub category: Option<Guess>,
    /// From the cases' `handling_department` (or 承办单位 …) field.
    pub department: Option<Guess>,
    /// How many similar cases were consulted.
    pub based_on: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Guess {
    pub value: String,
    /// Share of the similar cases' weight that carries this value, 0–1.
    pub confidence: f32,
    /// Ids of the similar cases that carry it.
    pub evidence: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fusion_rewards_agreement_and_keeps_either_list() {
        let a = |i: u32| DocAddress::new(0, i);
        let fused = reciprocal_rank_fusion(&[&[a(1), a(2), a(3)], &[a(3), a(4), a(1)]]);
        let order: Vec<u32> = fused.iter().map(|(d, _)| d.doc_id).collect();
        assert_eq!(order[0], 1, "high in both");
        assert_eq!(order[1], 3);
        assert_eq!(order.len(), 4);
    }
}
