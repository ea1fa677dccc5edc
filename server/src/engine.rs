//! The query engine: search with filters, facets and snippets; fetch, ingest and delete records.
//!
//! Everything here is blocking (tantivy does file I/O); the HTTP layer runs it off the async
//! executor.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::NaiveDate;
use minyi_corpus::normalize::normalize;
use minyi_corpus::{Record, Reject};
use minyi_indexer::schema::FACET_FIELDS;
use minyi_indexer::vectors::VectorStore;
use minyi_indexer::{EmbeddingModel, IndexError, IngestReport, MinyiIndex, Writer};
use serde::{Deserialize, Serialize};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, IndexReader, Order, Searcher, Term};
use utoipa::ToSchema;

use crate::highlight::Highlighter;
use crate::query::{self, QueryError};

/// The most hits one request may ask for.
pub const MAX_LIMIT: usize = 200;
/// How deep paging may go (offset + limit).
pub const MAX_WINDOW: usize = 10_000;
/// Snippet length in characters.
const SNIPPET_CHARS: usize = 80;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{0}")]
    InvalidRequest(String),
    #[error("this index is open read-only")]
    ReadOnly,
    /// Semantic matching was asked for without embeddings to match against.
    #[error("{0}")]
    NoSemantic(String),
    #[error("embedding failed: {0}")]
    Model(#[from] minyi_models::ModelError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first; for an empty query, newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// A search: the query text, exact filters, a date range, order and page.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    /// `(field, value)`; several values of one field match any of them.
    pub filters: Vec<(String, String)>,
    /// First day included.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    /// How the query text is matched; `None` picks hybrid when the index has embeddings and
    /// a model is loaded, lexical otherwise.
    pub mode: Option<Mode>,
}

/// How the query text is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Words, with the query syntax (全文).
    Lexical,
    /// Meaning: the nearest records by embedding (语义).
    Semantic,
    /// Both lists fused by reciprocal rank (混合).
    Hybrid,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: Vec::new(),
            from: None,
            to: None,
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            mode: None,
        }
    }
}

/// One matching record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    pub id: String,
    /// Relevance score; absent when sorted by date.
    pub score: Option<f32>,
    /// The title with matches in `<em>`, HTML-escaped.
    pub title_html: Option<String>,
    /// A passage of the content with matches in `<em>`, HTML-escaped.
    pub snippet_html: String,
    pub record: Record,
}

/// How many matching records have a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Matching records per month (`2024-05`), oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MonthCount {
    pub month: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
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

/// An opened index, ready to search and to take writes.
pub struct Engine {
    index: MinyiIndex,
    reader: IndexReader,
    /// `None` for a read-only engine, which leaves the index's writer lock free.
    writer: Option<Mutex<Writer>>,
    /// The embedding model, when one is loaded.
    model: Option<EmbeddingModel>,
    /// The vector-to-record map of the newest searcher generation a request has needed.
    pub(crate) live_vectors: Mutex<Option<Arc<crate::semantic::LiveVectors>>>,
}

impl Engine {
    /// Opens the index at `dir` and takes its writer lock for the engine's lifetime.
    /// With a `model`, new records are embedded and semantic search is available (when the
    /// index holds that model's embeddings).
    pub fn open(dir: &Path, model: Option<EmbeddingModel>) -> Result<Engine, EngineError> {
        let mut engine = Engine::open_read_only(dir, model)?;
        engine.writer = Some(Mutex::new(engine.index.writer(engine.model.as_ref())?));
        Ok(engine)
    }

    /// Opens the index at `dir` for searching only; writes fail with [`EngineError::ReadOnly`].
    pub fn open_read_only(
        dir: &Path,
        model: Option<EmbeddingModel>,
    ) -> Result<Engine, EngineError> {
        let index = MinyiIndex::open(dir)?;
        let reader = index.reader()?;
        Ok(Engine {
            index,
            reader,
            writer: None,
            model,
            live_vectors: Mutex::new(None),
        })
    }

    /// The model and the index's vectors, when both are there and agree.
    pub(crate) fn semantic(&self) -> Result<(&EmbeddingModel, Arc<VectorStore>), EngineError> {
        let Some(model) = &self.model else {
            return Err(EngineError::NoSemantic(
                "no embedding model is loaded: fetch it with models/fetch-model.sh and start minyi with --model".into(),
            ));
        };
        match (self.index.manifest().embedding, self.index.vectors()) {
            (Some(info), Some(store)) if info.model == model.name => Ok((model, store)),
            _ => Err(EngineError::NoSemantic(
                "this index has no embeddings of the loaded model: run `minyi reindex --vectors --index DIR`".into(),
            )),
        }
    }

    /// Whether semantic and hybrid search are available.
    pub fn semantic_available(&self) -> bool {
        self.semantic().is_ok()
    }

    /// The mode a request is matched in.
    fn mode(&self, req: &SearchRequest) -> Mode {
        match req.mode {
            Some(mode) => mode,
            None if !req.q.trim().is_empty() && self.semantic().is_ok() => Mode::Hybrid,
            None => Mode::Lexical,
        }
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, Writer>, EngineError> {
        let writer = self.writer.as_ref().ok_or(EngineError::ReadOnly)?;
        Ok(writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    pub fn index(&self) -> &MinyiIndex {
        &self.index
    }

    /// Number of records in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, EngineError> {
        let started = Instant::now();
        if req.limit == 0 || req.limit > MAX_LIMIT {
            return Err(EngineError::InvalidRequest(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        if req.offset + req.limit > MAX_WINDOW {
            return Err(EngineError::InvalidRequest(format!(
                "offset + limit may not exceed {MAX_WINDOW}; narrow the search instead"
            )));
        }
        let fields = self.index.fields();
        let text_query = query::parse(&req.q, fields, &self.index.query_tokenizer())?;
        let query = self.with_filters(text_query.box_clone(), req)?;
        let searcher = self.reader.searcher();

        let window = TopDocs::with_limit(req.limit).and_offset(req.offset);
        let sort = match req.sort {
            Sort::Relevance if req.q.trim().is_empty() => Sort::Newest,
            other => other,
        };
        let facets =
            AggregationCollector::from_aggs(facet_aggregations(), AggContextParams::default());
        let mode = self.mode(req);
        let (page, total, aggs): (Vec<(Option<f32>, DocAddress)>, usize, _) = match sort {
            Sort::Relevance if mode != Mode::Lexical => {
                let facet_query = if mode == Mode::Semantic {
                    self.with_filters(Box::new(tantivy::query::AllQuery), req)?
                } else {
                    query.box_clone()
                };
                let (total, aggs) = searcher.search(&facet_query, &(Count, facets))?;
                let (page, total) = self.ranked_by_meaning(&searcher, &query, req, mode, total)?;
                (
                    page.into_iter().map(|(s, a)| (Some(s), a)).collect(),
                    total,
                    aggs,
                )
            }
            Sort::Relevance => {
                let (top, total, aggs) =
                    searcher.search(&query, &(window.order_by_score(), Count, facets))?;
                (
                    top.into_iter().map(|(s, a)| (Some(s), a)).collect(),
                    total,
                    aggs,
                )
            }
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let collector = window.order_by_fast_field::<DateTime>("submitted_at", order);
                let (top, total, aggs) = searcher.search(&query, &(collector, Count, facets))?;
                (
                    top.into_iter().map(|(_, a)| (None, a)).collect(),
                    total,
                    aggs,
                )
            }
        };
        let (facets, histogram) = facet_counts(aggs)?;
        let highlighter = Highlighters::new(&*text_query, &self.index);
        let hits = page
            .into_iter()
            .map(|(score, address)| {
                let record = self.index.record(&searcher, address)?;
                Ok(highlighter.hit(score, record))
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
        let fields = self.index.fields();
        let query = self.with_filters(
            query::parse(&req.q, fields, &self.index.query_tokenizer())?,
            req,
        )?;
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        if addresses.len() > max {
            return Err(EngineError::InvalidRequest(format!(
                "{} records match; narrow the selection to at most {max}",
                addresses.len()
            )));
        }
        let mut addresses: Vec<DocAddress> = addresses.into_iter().collect();
        addresses.sort();
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|r| r.fast_fields().u64("vector_id"))
            .collect::<Result<Vec<_>, _>>()?;
        addresses
            .into_iter()
            .map(|a| {
                let record = self.index.record(&searcher, a)?;
                Ok((record, columns[a.segment_ord as usize].first(a.doc_id)))
            })
            .collect()
    }

    /// Document frequencies of words in the content, all read from the current searcher (taken
    /// once, however many words are looked up).
    pub(crate) fn document_frequencies(&self) -> DocumentFrequencies {
        let searcher = self.reader.searcher();
        DocumentFrequencies {
            records: searcher.num_docs(),
            searcher,
            content: self.index.fields().content,
        }
    }

    /// `query` restricted by the request's field filters and date range.
    pub(crate) fn with_filters(
        &self,
        query: Box<dyn Query>,
        req: &SearchRequest,
    ) -> Result<Box<dyn Query>, EngineError> {
        let fields = self.index.fields();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        let mut by_field: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (name, value) in &req.filters {
            by_field.entry(name).or_default().push(value);
        }
        for (name, values) in by_field {
            let field = match name {
                "submitter" => fields.submitter,
                _ => fields.facet(name).ok_or_else(|| {
                    EngineError::InvalidRequest(format!(
                        "unknown filter `{name}` (filters: {}, submitter)",
                        FACET_FIELDS.join(", ")
                    ))
                })?,
            };
            let any: Vec<Box<dyn Query>> = values
                .iter()
                .map(|v| {
                    let value = match name {
                        "kind" => minyi_corpus::Kind::parse(v)
                            .map_or(normalize(v), |k| k.label().to_string()),
                        _ => normalize(v),
                    };
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &value),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::union(any))));
        }
        if req.from.is_some() || req.to.is_some() {
            if let (Some(from), Some(to)) = (req.from, req.to)
                && from > to
            {
                return Err(EngineError::InvalidRequest(format!(
                    "`from` ({from}) is after `to` ({to})"
                )));
            }
            let bound = |d: NaiveDate| {
                let secs = d
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight exists")
                    .and_utc()
                    .timestamp();
                Term::from_field_date(fields.submitted_at, DateTime::from_timestamp_secs(secs))
            };
            let lower = req
                .from
                .map_or(Bound::Unbounded, |d| Bound::Included(bound(d)));
            let upper = req.to.map_or(Bound::Unbounded, |d| {
                Bound::Excluded(bound(d.succ_opt().unwrap_or(NaiveDate::MAX)))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        Ok(if clauses.len() == 1 {
            clauses.pop().expect("one clause").1
        } else {
            Box::new(BooleanQuery::new(clauses))
        })
    }

    /// The record with id `id`, if present.
    pub fn get(&self, id: &str) -> Result<Option<Record>, EngineError> {
        let searcher = self.reader.searcher();
        self.find(&searcher, id)?
            .map(|address| self.index.record(&searcher, address))
            .transpose()
            .map_err(Into::into)
    }

    pub(crate) fn find(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<DocAddress>, EngineError> {
        let query = TermQuery::new(
            Term::from_field_text(self.index.fields().id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, a)| *a))
    }

    /// Upserts the good rows, commits once, and makes them searchable; rejects are reported.
    pub fn ingest(
        &self,
        rows: impl Iterator<Item = Result<Record, Reject>>,
    ) -> Result<IngestReport, EngineError> {
        let mut writer = self.writer()?;
        let result = minyi_indexer::ingest(&mut writer, rows, |_, _| {}).and_then(|report| {
            writer.commit()?;
            Ok(report)
        });
        match result {
            Ok(report) => {
                self.reader.reload()?;
                Ok(report)
            }
            Err(e) => {
                writer.rollback()?;
                Err(e.into())
            }
        }
    }

    /// Deletes the record `id`; `false` when there was none.
    pub fn delete(&self, id: &str) -> Result<bool, EngineError> {
        let mut writer = self.writer()?;
        if self.find(&self.reader.searcher(), id)?.is_none() {
            return Ok(false);
        }
        writer.delete(id);
        writer.commit()?;
        self.reader.reload()?;
        Ok(true)
    }
}

fn facet_aggregations() -> Aggregations {
    let mut request = serde_json::Map::new();
    for name in FACET_FIELDS {
        request.insert(
            name.to_string(),
            serde_json::json!({"terms": {"field": name, "size": 200}}),
        );
    }
    request.insert(
        "month".into(),
        serde_json::json!({"terms": {"field": "month", "size": 1200, "order": {"_key": "asc"}}}),
    );
    serde_json::from_value(serde_json::Value::Object(request)).expect("the facet request is valid")
}

type Facets = BTreeMap<String, Vec<FacetCount>>;

fn facet_counts(
    results: tantivy::aggregation::agg_result::AggregationResults,
) -> Result<(Facets, Vec<MonthCount>), EngineError> {
    let json = serde_json::to_value(results)
        .map_err(|e| tantivy::TantivyError::InternalError(format!("facet results: {e}")))?;
    let buckets = |name: &str| -> Vec<FacetCount> {
        json[name]["buckets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| {
                Some(FacetCount {
                    value: b["key"].as_str()?.to_string(),
                    count: b["doc_count"].as_u64()?,
                })
            })
            .collect()
    };
    let facets = FACET_FIELDS
        .iter()
        .map(|n| (n.to_string(), buckets(n)))
        .collect();
    let histogram = buckets("month")
        .into_iter()
        .map(|b| MonthCount {
            month: b.value,
            count: b.count,
        })
        .collect();
    Ok((facets, histogram))
}

/// Highlights the query's words in titles and content.
struct Highlighters {
    title: Highlighter,
    content: Highlighter,
}

impl Highlighters {
    fn new(query: &dyn Query, index: &MinyiIndex) -> Highlighters {
        let fields = index.fields();
        Highlighters {
            title: Highlighter::new(query, fields.title, index.index_tokenizer()),
            content: Highlighter::new(query, fields.content, index.index_tokenizer()),
        }
    }

    fn hit(&self, score: Option<f32>, record: Record) -> Hit {
        let content = normalize(&record.content);
        let snippet_html = self
            .content
            .snippet(&content, SNIPPET_CHARS)
            .unwrap_or_else(|| {
                // No word matched the content (a title-only or filter-only match): show its start.
                let end = content
                    .char_indices()
                    .nth(SNIPPET_CHARS)
                    .map_or(content.len(), |(i, _)| i);
                let ellipsis = if end < content.len() { "…" } else { "" };
                format!("{}{ellipsis}", html_escape::encode_text(&content[..end]))
            });
        let title_html = record.title.as_deref().map(|t| {
            let t = normalize(t);
            self.title
                .snippet(&t, usize::MAX / 2)
                .unwrap_or_else(|| html_escape::encode_text(&t).into_owned())
        });
        Hit {
            id: record.id.clone(),
            score,
            title_html,
            snippet_html,
            record,
        }
    }
}

/// Document frequencies from one searcher; see [`Engine::document_frequencies`].
pub(crate) struct DocumentFrequencies {
    searcher: Searcher,
    content: tantivy::schema::Field,
    records: u64,
}

impl DocumentFrequencies {
    /// In how many records `word` occurs in the content, and how many records there are.
    pub fn of(&self, word: &str) -> Result<(u64, u64), EngineError> {
        let term = Term::from_field_text(self.content, word);
        Ok((self.searcher.doc_freq(&term)?, self.records))
    }
}
