//! Similar past cases (类案推荐) of a stored record or a new text, and routing suggestions drawn
//! from them ([`suggest`]).
//!
//! The lexical list is a more-like-this query of the record's rarest words; with embeddings, the
//! nearest records by meaning are fused with it by reciprocal rank.

mod suggest;

use std::collections::HashMap;

use minyi_corpus::Record;
use minyi_corpus::pii::Masker;
use minyi_indexer::vectors::RecordVectors;
use serde::Serialize;
use tantivy::DocAddress;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

pub use suggest::{Guess, Suggestion};

use crate::engine::Snapshot;
use crate::search::{FUSION_DEPTH, Mode, reciprocal_rank_fusion};
use crate::{Engine, EngineError, Viewer};

/// Words of a record used to find lexically similar ones.
const SIMILAR_WORDS: usize = 24;

/// Similar past cases.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarCases {
    /// `hybrid` when embeddings are available, `lexical` otherwise.
    pub mode: Mode,
    pub hits: Vec<SimilarCase>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarCase {
    pub id: String,
    /// Fused reciprocal-rank score: only the order is meaningful.
    pub score: f32,
    /// The case, with its reply if it has one.
    pub record: Record,
}

impl SimilarCases {
    /// Masks personal data in every case.
    fn mask(&mut self, masker: &Masker) {
        for case in &mut self.hits {
            case.record = masker.record(&case.record);
        }
    }
}

impl Engine {
    /// Past cases similar to the record `id` (itself excluded) among those `viewer` may see,
    /// or `None` when there is no such record or it is out of their scope.
    pub fn similar_to_record(
        &self,
        id: &str,
        limit: usize,
        viewer: &Viewer,
    ) -> Result<Option<SimilarCases>, EngineError> {
        let snapshot = self.snapshot();
        let Some(address) = snapshot.find_for(id, viewer)? else {
            return Ok(None);
        };
        let record = snapshot.record(address)?;
        // The record's own stored embedding: embedding it again would cost a forward pass.
        let stored = match snapshot.semantic() {
            Ok(semantic) => RecordVectors::new(&snapshot.searcher)?
                .of(address)
                .and_then(|v| semantic.store.get(v)),
            Err(_) => None,
        };
        similar(&snapshot, &record, stored, limit, viewer).map(Some)
    }

    /// Past cases similar to a new text (a petition just received) among those `viewer` may
    /// see. The text is the viewer's own, so personal data in it is no reason to refuse; the
    /// cases are masked as any answer to them.
    pub fn similar_to_text(
        &self,
        title: Option<String>,
        text: &str,
        limit: usize,
        viewer: &Viewer,
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
        similar(&self.snapshot(), &record, None, limit, viewer)
    }

    /// The query 类案推荐 finds lexically similar records with: `record`'s rarest words,
    /// weighted by rarity.
    pub fn more_like_this(&self, record: &Record) -> Result<Box<dyn Query>, EngineError> {
        more_like_this(&self.snapshot(), record)
    }
}

/// `vector` is the record's embedding when it is already stored. Both candidate lists are
/// drawn from the records in `viewer`'s scope.
fn similar(
    snapshot: &Snapshot,
    record: &Record,
    vector: Option<Vec<f32>>,
    limit: usize,
    viewer: &Viewer,
) -> Result<SimilarCases, EngineError> {
    let searcher = &snapshot.searcher;
    let depth = (limit + 1).max(FUSION_DEPTH / 4);
    let scope = viewer.scope(snapshot.index().fields().stated_region);
    let like_this = more_like_this(snapshot, record)?;
    let lexical_query: Box<dyn Query> = match &scope {
        Some(scope) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, like_this),
            (Occur::Must, scope.box_clone()),
        ])),
        None => like_this,
    };
    let lexical: Vec<DocAddress> = searcher
        .search(
            &*lexical_query,
            &TopDocs::with_limit(depth).order_by_score(),
        )?
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    let (mode, ranked) = match snapshot.semantic() {
        Ok(semantic) => {
            let allowed = snapshot.allowed(scope.as_deref())?;
            let vector = match vector {
                Some(v) => v,
                None => semantic
                    .model
                    .embedder
                    .embed_passages(&[&minyi_indexer::passage_text(record)])?
                    .remove(0),
            };
            let nearest: Vec<DocAddress> = semantic
                .store
                .search(
                    &vector,
                    depth,
                    &|id| allowed.get(id).is_some(),
                    allowed.len(),
                )
                .into_iter()
                .filter_map(|(id, _)| allowed.get(id))
                .collect();
            (Mode::Hybrid, reciprocal_rank_fusion(&[&lexical, &nearest]))
        }
        Err(_) => (Mode::Lexical, reciprocal_rank_fusion(&[&lexical])),
    };
    let mut hits = Vec::with_capacity(limit);
    for (address, score) in ranked {
        let found = snapshot.record(address)?;
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
    let mut cases = SimilarCases { mode, hits };
    if let Some(masker) = viewer.masker() {
        cases.mask(masker);
    }
    Ok(cases)
}

/// See [`Engine::more_like_this`].
pub(crate) fn more_like_this(
    snapshot: &Snapshot,
    record: &Record,
) -> Result<Box<dyn Query>, EngineError> {
    let index = snapshot.index();
    let (title, content) = crate::issues::features::words(record, &index.query_tokenizer());
    let mut counts: HashMap<String, f32> = HashMap::new();
    for w in title.into_iter().chain(content) {
        *counts.entry(w).or_default() += 1.0;
    }
    let mut weighted = Vec::with_capacity(counts.len());
    for (word, tf) in counts {
        let (df, n) = snapshot.document_frequency(&word)?;
        let idf = ((n as f32 + 1.0) / (df as f32 + 1.0)).ln();
        weighted.push((word, (1.0 + tf.ln()) * idf));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let fields = index.fields();
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
                    Box::new(BoostQuery::new(Box::new(term), weight.max(0.01))) as Box<dyn Query>,
                )
            })
        })
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}
