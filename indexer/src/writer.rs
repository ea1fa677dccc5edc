use chrono::Datelike;
use minyi_corpus::Record;
use minyi_corpus::normalize::normalize;
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use crate::IndexError;
use crate::schema::Fields;

/// Adds, replaces and deletes records; nothing is visible until [`Writer::commit`].
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
}

impl Writer {
    pub(crate) fn new(writer: IndexWriter, fields: Fields) -> Writer {
        Writer { writer, fields }
    }

    /// Adds `record`, replacing any record with the same id (including one added earlier in the
    /// same commit: the last one wins).
    pub fn upsert(&mut self, record: &Record) -> Result<(), IndexError> {
        self.delete(&record.id);
        self.writer.add_document(self.document(record))?;
        Ok(())
    }

    /// Deletes the record with id `id`, if any.
    pub fn delete(&mut self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Makes every change so far durable and visible to readers that reload, atomically.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer.commit()?;
        Ok(())
    }

    /// Drops every change since the last commit.
    pub fn rollback(&mut self) -> Result<(), IndexError> {
        self.writer.rollback()?;
        Ok(())
    }

    fn document(&self, r: &Record) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &r.id);
        doc.add_text(f.content, normalize(&r.content));
        for (field, text) in [(f.title, &r.title), (f.reply, &r.reply)] {
            if let Some(text) = text {
                doc.add_text(field, normalize(text));
            }
        }
        let facets = [
            r.kind.map(|k| k.label().to_string()),
            r.channel.clone(),
            r.site.clone(),
            r.region.clone(),
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
}
