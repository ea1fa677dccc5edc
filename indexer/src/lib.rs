//! The on-disk minyi index and building it.
//!
//! An index is a folder: `minyi.json` (the [`Manifest`]), `tantivy/` (the full-text index, with
//! jieba segmentation from [`analyzer`]), an optional `user_dict.txt`, `names.tsv` (the proper names learned from the records, see
//! [`names`]), and `rejects/` (the rows each
//! import could not use). [`MinyiIndex`] opens or creates one; [`Writer`] upserts and deletes
//! records by id and commits atomically: a crash before [`Writer::commit`] leaves the previous
//! commit readable. [`MinyiIndex::upgrade`] rewrites an index of an older layout from the
//! records it stores.

pub mod analyzer;
mod backup;
mod error;
mod index;
mod ingest;
mod manifest;
pub mod names;
pub mod schema;
mod upgrade;
pub mod vectors;
mod writer;

pub use backup::{BackupReport, backup};
pub use error::IndexError;
pub use index::{LearnReport, MinyiIndex};
pub use ingest::{
    Checkpoints, IngestProgress, IngestReport, ingest, ingest_in_checkpoints, read_rows,
};
pub use manifest::{EmbeddingInfo, FORMAT_VERSION, Manifest};
pub use upgrade::{UPGRADABLE_FROM, UpgradeReport};
pub use writer::{Writer, embed_records, inferred_region, passage_text};

/// An embedding model and the name it is recorded under in an index's manifest.
#[derive(Clone)]
pub struct EmbeddingModel {
    pub name: String,
    pub embedder: std::sync::Arc<dyn minyi_models::Embedder>,
}
