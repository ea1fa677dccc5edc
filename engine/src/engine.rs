//! An opened index: taking writes, looking records up, and the snapshot each request reads.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use minyi_corpus::{Record, Reject, RowCheck};
use minyi_indexer::names::Entity;
use minyi_indexer::vectors::VectorStore;
use minyi_indexer::{EmbeddingModel, IngestReport, MinyiIndex, Writer, passage_text};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, IndexReader, Searcher, Term};

use crate::group_commit::{COMMIT_WINDOW, Staging, busy, lock};
use crate::issues::cache::IssueCache;
use crate::vectors::{Allowed, LiveVectors, LiveVectorsCache};
use crate::{EngineError, Viewer};

/// An opened index, ready to search and to take writes.
pub struct Engine {
    index: MinyiIndex,
    reader: IndexReader,
    /// `None` for a read-only engine, which leaves the index's writer lock free.
    writer: Option<Mutex<Writer>>,
    /// Ingests' records waiting for their group's commit.
    staging: Staging,
    /// The embedding model, when one is loaded.
    model: Option<EmbeddingModel>,
    /// Why a model given at open is not used: the index's records have no vectors.
    model_set_aside: Option<String>,
    live_vectors: LiveVectorsCache,
    issues: IssueCache,
}

impl Engine {
    /// Opens the index at `dir` and takes its writer lock for the engine's lifetime.
    /// With a `model`, new records are embedded and semantic search is available (when the
    /// index holds that model's embeddings). Over an index whose records have no vectors (built
    /// without a model) the model is set aside: the engine serves full text only and leaves the
    /// index as it is, rather than name a model its records lack ([`Engine::semantic_unavailable`]
    /// says so).
    pub fn open(dir: &Path, model: Option<EmbeddingModel>) -> Result<Engine, EngineError> {
        let mut engine = Engine::open_read_only(dir, model)?;
        let records = engine.index.records_without_vectors()?;
        if records > 0
            && let Some(model) = engine.model.take()
        {
            engine.model_set_aside = Some(format!(
                "the index's {records} records have no vectors (it was built without an embedding \
                 model), so `{}` is not used: full-text search only; add vectors to every record \
                 with `minyi reindex --vectors --index {}` (stop the server first)",
                model.name,
                dir.display()
            ));
        }
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
            staging: Staging::default(),
            model,
            model_set_aside: None,
            live_vectors: LiveVectorsCache::default(),
            issues: IssueCache::default(),
        })
    }

    /// The latest issue list of each selection asked for ([`IssueCache`]).
    pub(crate) fn issue_cache(&self) -> &IssueCache {
        &self.issues
    }

    /// What one request reads: the current searcher, and the vectors of the same moment.
    pub(crate) fn snapshot(&self) -> Snapshot<'_> {
        let searcher = self.reader.searcher();
        Snapshot {
            engine: self,
            records: searcher.num_docs(),
            searcher,
            semantic: self.semantic().map_err(|e| e.to_string()),
        }
    }

    /// The model and the index's vectors, when both are there and agree.
    fn semantic(&self) -> Result<Semantic<'_>, EngineError> {
        let Some(model) = &self.model else {
            return Err(EngineError::NoSemantic(self.model_set_aside.clone().unwrap_or_else(
                || "no embedding model is loaded: fetch it with models/fetch-model.sh and start minyi with --model".into(),
            )));
        };
        match (self.index.manifest().embedding, self.index.vectors()) {
            (Some(info), Some(store)) if info.model == model.name => Ok(Semantic { model, store }),
            _ => Err(EngineError::NoSemantic(
                "this index has no embeddings of the loaded model: run `minyi reindex --vectors --index DIR`".into(),
            )),
        }
    }

    /// Whether semantic and hybrid search are available.
    pub fn semantic_available(&self) -> bool {
        self.semantic().is_ok()
    }

    /// Why semantic and hybrid search are not available, and how to make them so; `None` when
    /// they are.
    pub fn semantic_unavailable(&self) -> Option<String> {
        self.semantic().err().map(|e| e.to_string())
    }

    /// The current searcher, for tools that read the index directly (the benchmarks).
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn writer(&self) -> Result<MutexGuard<'_, Writer>, EngineError> {
        Ok(lock(self.writer.as_ref().ok_or(EngineError::ReadOnly)?))
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

    /// The record `id` as `viewer` may see it: `None` when it is missing or out of their
    /// scope (so its existence does not leak), masked when they see personal data masked.
    pub fn record(&self, id: &str, viewer: &Viewer) -> Result<Option<Record>, EngineError> {
        let snapshot = self.snapshot();
        let Some(address) = snapshot.find_for(id, viewer)? else {
            return Ok(None);
        };
        let record = snapshot.record(address)?;
        Ok(Some(match viewer.masker() {
            Some(masker) => masker.record(&record),
            None => record,
        }))
    }

    /// The names `record` gives (estates, roads, schools, companies, districts …), as the index
    /// knows them now: the chips of a record's page.
    pub fn entities(&self, record: &Record) -> Vec<Entity> {
        self.index().names().find(&passage_text(record))
    }

    /// The record with id `id`, if present, unscoped and unmasked (for internal use; answers
    /// to people go through [`Engine::record`]).
    pub fn get(&self, id: &str) -> Result<Option<Record>, EngineError> {
        let snapshot = self.snapshot();
        snapshot
            .find(id)?
            .map(|address| snapshot.record(address))
            .transpose()
    }

    /// Upserts the good rows and makes them searchable; rejects are reported. Returns after
    /// the commit that holds the rows, which concurrent ingests share ([`crate::group_commit`]).
    pub fn ingest(
        &self,
        rows: impl Iterator<Item = Result<Record, Reject>>,
    ) -> Result<IngestReport, EngineError> {
        if self.writer.is_none() {
            return Err(EngineError::ReadOnly);
        }
        let (report, records) = minyi_indexer::read_rows(rows);
        if records.is_empty() {
            return Ok(report);
        }
        let (group, leads) = self.staging.stage(records);
        if let (true, Some(writer)) = (leads, &self.writer) {
            // While the group before embeds or commits, later ingests join this one anyway: the
            // window is only worth waiting when both are free.
            if !busy(writer) && !self.staging.embedding_busy() {
                std::thread::sleep(COMMIT_WINDOW);
            }
            let written = self.staging.commit(&group, self.model.as_ref(), writer);
            group.finish(written.and_then(|()| self.reader.reload().map_err(|e| e.to_string())));
        }
        group.wait().map_err(EngineError::Commit)?;
        Ok(report)
    }

    /// The check an import by `viewer` passes its records through ([`Viewer::may_write`]), or
    /// `None` when they may write any record.
    pub fn write_check(self: &Arc<Self>, viewer: &Viewer) -> Option<RowCheck> {
        viewer.regions()?;
        let (engine, viewer) = (self.clone(), viewer.clone());
        Some(Box::new(move |record: &Record| {
            let existing = engine
                .get(&record.id)
                .map_err(|e| format!("cannot read the record it would replace: {e}"))?;
            viewer.may_write(record, existing.as_ref())
        }))
    }

    /// Deletes the record `id`; `false` when there was none.
    pub fn delete(&self, id: &str) -> Result<bool, EngineError> {
        let mut writer = self.writer()?;
        if self.snapshot().find(id)?.is_none() {
            return Ok(false);
        }
        writer.delete(id)?;
        writer.commit()?;
        self.reader.reload()?;
        Ok(true)
    }
}

/// A loaded model and the index's embeddings of it.
pub(crate) struct Semantic<'e> {
    pub(crate) model: &'e EmbeddingModel,
    pub(crate) store: Arc<VectorStore>,
}

/// One searcher and the semantic state of the same moment, taken once per request and passed
/// down, so that its parts read one generation of the index.
pub(crate) struct Snapshot<'e> {
    engine: &'e Engine,
    pub(crate) searcher: Searcher,
    /// Records in `searcher`.
    records: u64,
    /// Why semantic matching is unavailable, when it is.
    semantic: Result<Semantic<'e>, String>,
}

impl<'e> Snapshot<'e> {
    pub(crate) fn index(&self) -> &'e MinyiIndex {
        &self.engine.index
    }

    /// The index generation this snapshot reads: it changes with every commit.
    pub(crate) fn generation(&self) -> u64 {
        self.searcher.generation().generation_id()
    }

    /// The model and the vectors, or why semantic matching is unavailable.
    pub(crate) fn semantic(&self) -> Result<&Semantic<'e>, EngineError> {
        self.semantic
            .as_ref()
            .map_err(|reason| EngineError::NoSemantic(reason.clone()))
    }

    /// Which record holds each vector in this snapshot.
    pub(crate) fn live_vectors(&self) -> Result<Arc<LiveVectors>, EngineError> {
        self.engine.live_vectors.get(&self.searcher)
    }

    /// The record stored at `address`.
    pub(crate) fn record(&self, address: DocAddress) -> Result<Record, EngineError> {
        Ok(self.index().record(&self.searcher, address)?)
    }

    /// The vectors a search may return: those of the records `filter` matches, or every live
    /// one without a filter.
    pub(crate) fn allowed(&self, filter: Option<&dyn Query>) -> Result<Allowed, EngineError> {
        let Some(filter) = filter else {
            return Ok(Allowed::All(self.live_vectors()?));
        };
        let docs = self.searcher.search(filter, &DocSetCollector)?;
        Allowed::matching(&self.searcher, docs.into_iter())
    }

    /// Where the record `id` is, if present and `viewer` may see it.
    pub(crate) fn find_for(
        &self,
        id: &str,
        viewer: &Viewer,
    ) -> Result<Option<DocAddress>, EngineError> {
        let by_id = self.id_query(id);
        let Some(scope) = viewer.scope(self.index().fields().stated_region) else {
            return self.first(&*by_id);
        };
        self.first(&BooleanQuery::intersection(vec![by_id, scope]))
    }

    /// Where the record `id` is, if present.
    pub(crate) fn find(&self, id: &str) -> Result<Option<DocAddress>, EngineError> {
        self.first(&*self.id_query(id))
    }

    fn id_query(&self, id: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(self.index().fields().id, id),
            IndexRecordOption::Basic,
        ))
    }

    /// The first record `query` matches.
    fn first(&self, query: &dyn Query) -> Result<Option<DocAddress>, EngineError> {
        let top = self
            .searcher
            .search(query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, a)| *a))
    }

    /// In how many records `word` occurs in the content, and how many records there are.
    pub(crate) fn document_frequency(&self, word: &str) -> Result<(u64, u64), EngineError> {
        let term = Term::from_field_text(self.index().fields().content, word);
        Ok((self.searcher.doc_freq(&term)?, self.records))
    }
}
