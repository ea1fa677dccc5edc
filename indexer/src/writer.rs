use std::sync::Arc;

use chrono::Datelike;
use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use minyi_models::Embedder;
use tantivy::{DateTime, IndexWriter, TantivyDocument, TantivyError, Term};

use crate::IndexError;
use crate::index::{LearnReport, NameLearner};
use crate::manifest::EmbeddingInfo;
use crate::names::{self, Entity, NameMatcher};
use crate::schema::Fields;
use crate::vectors::VectorStore;

/// Adds, replaces and deletes records; nothing is visible until [`Writer::commit`].
///
/// A writer of an empty index holds back the first [`names::MAX_RECORDS`] records (or all of
/// them, when fewer come before the commit), learns the proper names they repeat, and only then
/// writes them: a first import is segmented once, with its names, instead of being written and
/// then segmented again record by record ([`crate::MinyiIndex::learn_names`]).
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
    vectors: Option<WriterVectors>,
    names: Arc<NameMatcher>,
    /// For an empty index: the learner and the records held back for it.
    first_records: Option<(NameLearner, Vec<Record>)>,
    learned: Option<LearnReport>,
}

/// Where a writer puts the embeddings of the records it writes.
pub(crate) struct WriterVectors {
    pub(crate) embedder: Arc<dyn Embedder>,
    pub(crate) store: Arc<VectorStore>,
    /// Recorded in each commit: the vectors its records point at.
    pub(crate) info: EmbeddingInfo,
}

impl WriterVectors {
    /// `model`'s embeddings of the written records go to `store`, described by `info`.
    pub(crate) fn new(
        model: &crate::EmbeddingModel,
        store: Arc<VectorStore>,
        info: EmbeddingInfo,
    ) -> WriterVectors {
        WriterVectors {
            embedder: model.embedder.clone(),
            store,
            info,
        }
    }
}

/// The text a record is embedded from: its title, then its content.
pub fn passage_text(record: &Record) -> String {
    passage_of(
        record.title.as_deref().map(normalize).as_deref(),
        &normalize(&record.content),
    )
}

/// `embedder`'s vectors of `records` ([`passage_text`]), one per record, embedded a batch at a
/// time so that only one batch's texts are held at once.
pub fn embed_records(
    embedder: &dyn Embedder,
    records: &[Record],
) -> Result<Vec<Vec<f32>>, IndexError> {
    let mut vectors = Vec::with_capacity(records.len());
    for batch in records.chunks(crate::ingest::BATCH) {
        let texts: Vec<String> = batch.iter().map(passage_text).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        vectors.extend(embedder.embed_passages(&refs)?);
    }
    Ok(vectors)
}

/// [`passage_text`] of a record whose title and content are normalised already.
fn passage_of(title: Option<&str>, content: &str) -> String {
    match title {
        Some(title) => format!("{title}\n{content}"),
        None => content.to_string(),
    }
}

impl Writer {
    pub(crate) fn new(
        writer: IndexWriter,
        fields: Fields,
        vectors: Option<WriterVectors>,
        names: Arc<NameMatcher>,
        learner: Option<NameLearner>,
    ) -> Writer {
        Writer {
            writer,
            fields,
            vectors,
            names,
            first_records: learner.map(|l| (l, Vec::new())),
            learned: None,
        }
    }

    /// What the writer learned before writing the first records of an empty index, once it has.
    pub fn learned_names(&self) -> Option<LearnReport> {
        self.learned
    }

    /// Adds `record`, replacing any record with the same id (including one added earlier in the
    /// same commit: the last one wins).
    pub fn upsert(&mut self, record: &Record) -> Result<(), IndexError> {
        self.upsert_batch(std::slice::from_ref(record))
    }

    /// Adds `records` in order, as [`Writer::upsert`] does each; embeds them in batches of
    /// [`crate::ingest::BATCH`], so that a large call (an API ingest's whole commit group) holds
    /// the texts and vectors of one batch at a time.
    pub fn upsert_batch(&mut self, records: &[Record]) -> Result<(), IndexError> {
        if let Some((_, held)) = &mut self.first_records {
            held.extend_from_slice(records);
            if held.len() >= names::MAX_RECORDS {
                self.learn_and_write_held()?;
            }
            return Ok(());
        }
        self.write_batches(records)
    }

    /// Learns the names of the held-back records, then writes them.
    fn learn_and_write_held(&mut self) -> Result<(), IndexError> {
        let Some((learner, held)) = self.first_records.take() else {
            return Ok(());
        };
        let (report, names) = learner.learn(&held)?;
        self.names = names;
        self.learned = Some(report);
        self.write_batches(&held)
    }

    /// Adds `records` as [`Writer::upsert_batch`] does, with their `vectors` computed already by
    /// [`embed_records`] with the writer's model, so that the embedding (the slow part) can run
    /// before the writer is taken, while another write commits. A writer without vectors
    /// ignores them; one still holding back the first records of an empty index keeps the
    /// records only and embeds them when it writes them.
    ///
    /// # Panics
    /// When `vectors` and `records` differ in number.
    pub fn upsert_embedded(
        &mut self,
        records: &[Record],
        vectors: &[Vec<f32>],
    ) -> Result<(), IndexError> {
        if self.first_records.is_some() {
            return self.upsert_batch(records);
        }
        assert_eq!(records.len(), vectors.len(), "one vector per record");
        for (batch, vectors) in records
            .chunks(crate::ingest::BATCH)
            .zip(vectors.chunks(crate::ingest::BATCH))
        {
            self.write_batch(batch, Some(vectors))?;
        }
        Ok(())
    }

    fn write_batches(&mut self, records: &[Record]) -> Result<(), IndexError> {
        for batch in records.chunks(crate::ingest::BATCH) {
            self.write_batch(batch, None)?;
        }
        Ok(())
    }

    /// Writes `records`, embedding them unless their `embedded` vectors are given.
    fn write_batch(
        &mut self,
        records: &[Record],
        embedded: Option<&[Vec<f32>]>,
    ) -> Result<(), IndexError> {
        let vector_ids: Vec<Option<u64>> = match &self.vectors {
            Some(v) => {
                let ids = match embedded {
                    Some(vectors) => v.store.append(vectors)?,
                    None => v
                        .store
                        .append(&embed_records(v.embedder.as_ref(), records)?)?,
                };
                ids.into_iter().map(Some).collect()
            }
            None => vec![None; records.len()],
        };
        for (record, vector_id) in records.iter().zip(vector_ids) {
            self.writer
                .delete_term(Term::from_field_text(self.fields.id, &record.id));
            let mut doc = document(&self.fields, &self.names, record);
            if let Some(v) = vector_id {
                doc.add_u64(self.fields.vector_id, v);
            }
            add_document(&mut self.writer, doc)?;
        }
        Ok(())
    }

    /// Deletes the record with id `id`, if any (also one added earlier in the same commit).
    pub fn delete(&mut self, id: &str) -> Result<(), IndexError> {
        // Held-back records go first, or the delete would come before their add.
        self.learn_and_write_held()?;
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Makes every change so far durable and visible to readers that reload, atomically.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.learn_and_write_held()?;
        // Vectors first: a committed record must never point at a vector that is not on disk.
        if let Some(v) = &self.vectors {
            v.store.sync()?;
        }
        let mut commit = self.writer.prepare_commit()?;
        if let Some(v) = &self.vectors {
            commit.set_payload(&v.info.to_payload());
        }
        commit.commit()?;
        Ok(())
    }

    /// Drops every change since the last commit.
    pub fn rollback(&mut self) -> Result<(), IndexError> {
        if let Some((_, held)) = &mut self.first_records {
            held.clear();
        }
        self.writer.rollback()?;
        Ok(())
    }
}

/// Adds `doc` through `writer`, reporting why an indexing thread failed rather than only that
/// it did: tantivy's indexing threads write the segments, so a full disk surfaces here as "an
/// index writer was killed", and the thread's own error comes with joining it.
pub(crate) fn add_document(
    writer: &mut IndexWriter,
    doc: TantivyDocument,
) -> Result<(), IndexError> {
    match writer.add_document(doc) {
        Ok(_) => Ok(()),
        Err(killed @ TantivyError::ErrorInThread(_)) => match writer.prepare_commit() {
            Err(cause) => Err(cause.into()),
            Ok(prepared) => {
                prepared.abort()?;
                Err(killed.into())
            }
        },
        Err(e) => Err(e.into()),
    }
}

/// The tantivy document of `r`: its text, facets, the names `names` finds in it (the `entity`
/// facet) and, when it has no region, the first district its text names (the region facet;
/// engines report it as inferred). Its own region goes into `stated_region` as well.
pub(crate) fn document(f: &Fields, names: &NameMatcher, r: &Record) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.id, &r.id);
    // Normalised once: the fields and the text names are found in share it.
    let content = normalize(&r.content);
    let title = r.title.as_deref().map(normalize);
    let entities = names.find(&passage_of(title.as_deref(), &content));
    doc.add_text(f.content, content);
    if let Some(title) = title {
        doc.add_text(f.title, title);
    }
    if let Some(reply) = &r.reply {
        doc.add_text(f.reply, normalize(reply));
    }
    let facets = [
        r.kind.map(|k| k.label().to_string()),
        r.channel.clone(),
        r.site.clone(),
        r.region.clone().or_else(|| inferred_region(&entities)),
        r.category.clone(),
        r.law.clone(),
        r.article.clone(),
        r.status.clone(),
    ];
    for (field, value) in f.facets.iter().zip(facets) {
        if let Some(value) = value {
            doc.add_text(*field, normalize(&value));
        }
    }
    for entity in &entities {
        doc.add_text(f.entity, &entity.name);
    }
    if let Some(region) = &r.region {
        doc.add_text(f.stated_region, normalize(region));
    }
    if let Some(submitter) = &r.submitter {
        doc.add_text(f.submitter, submitter.trim());
    }
    if let Some(at) = r.submitted_at {
        // Local times are stored as if UTC: every date in the index is office-local.
        doc.add_date(
            f.submitted_at,
            DateTime::from_timestamp_secs(at.and_utc().timestamp()),
        );
        doc.add_text(f.month, format!("{:04}-{:02}", at.year(), at.month()));
    }
    if let Some(likes) = r.likes {
        doc.add_u64(f.likes, likes);
    }
    doc.add_text(
        f.source,
        serde_json::to_string(r).expect("a record serialises to JSON"),
    );
    doc
}

/// The district a record's text names first, for a record without a region.
pub fn inferred_region(entities: &[Entity]) -> Option<String> {
    entities
        .iter()
        .find(|e| names::kind::is_district(e.kind, &e.name))
        .map(|e| e.name.clone())
}
