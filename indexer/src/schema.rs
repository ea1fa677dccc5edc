//! The tantivy schema of a minyi index.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

use crate::analyzer::TOKENIZER_NAME;

/// Fields staff filter and count by (facets); each is an exact-match string field.
/// `entity` holds the names found in the record (see [`crate::names`]); it is written from the
/// text, never read from input.
pub const FACET_FIELDS: &[&str] = &[
    "kind", "channel", "site", "region", "category", "law", "article", "status", "entity",
];

/// Full-text fields; `title` and `content` are searched by default, `reply` on request.
pub const TEXT_FIELDS: &[&str] = &["title", "content", "reply"];

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The record id: exact-match, unique in the index.
    pub id: Field,
    /// Normalised text, segmented with jieba and stored for snippets.
    pub title: Field,
    pub content: Field,
    pub reply: Field,
    /// Facets, in [`FACET_FIELDS`] order.
    pub facets: Vec<Field>,
    /// The names found in the record (one of the facets).
    pub entity: Field,
    /// The record's own `region`, never one inferred from its text: what access scopes match
    /// (the `region` facet also holds inferred regions). Indexed only.
    pub stated_region: Field,
    pub submitter: Field,
    /// Submission time, for ranges and sorting; `month` (`2024-05`) for the histogram.
    pub submitted_at: Field,
    pub month: Field,
    pub likes: Field,
    /// The record as received (original text and extra fields), as JSON.
    pub source: Field,
    /// The id of the record's embedding in the vector store, when the index has one.
    pub vector_id: Field,
}

impl Fields {
    /// The facet field called `name`, if there is one.
    pub fn facet(&self, name: &str) -> Option<Field> {
        FACET_FIELDS
            .iter()
            .position(|f| *f == name)
            .map(|i| self.facets[i])
    }

    /// The full-text field called `name`, if there is one.
    pub fn text(&self, name: &str) -> Option<Field> {
        match name {
            "title" => Some(self.title),
            "content" => Some(self.content),
            "reply" => Some(self.reply),
            _ => None,
        }
    }

    pub(crate) fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            title: f("title")?,
            content: f("content")?,
            reply: f("reply")?,
            facets: FACET_FIELDS
                .iter()
                .map(|n| f(n))
                .collect::<Result<_, _>>()?,
            entity: f("entity")?,
            stated_region: f("stated_region")?,
            submitter: f("submitter")?,
            submitted_at: f("submitted_at")?,
            month: f("month")?,
            likes: f("likes")?,
            source: f("source")?,
            vector_id: f("vector_id")?,
        })
    }
}

pub(crate) fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("id", STRING | STORED | FAST);
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    for name in TEXT_FIELDS {
        builder.add_text_field(name, text.clone());
    }
    for name in FACET_FIELDS {
        builder.add_text_field(name, STRING | STORED | FAST);
    }
    builder.add_text_field("stated_region", STRING);
    builder.add_text_field("submitter", STRING | STORED | FAST);
    builder.add_date_field(
        "submitted_at",
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    builder.add_text_field("month", STRING | FAST);
    builder.add_u64_field("likes", INDEXED | STORED | FAST);
    builder.add_text_field("source", STORED);
    builder.add_u64_field("vector_id", INDEXED | FAST);
    builder.build()
}
