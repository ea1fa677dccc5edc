//! Bringing an index of an older layout up to this one, from its own stored records.
//!
//! tantivy cannot add a field to an existing index, so a new layout (a new facet, a field the
//! access scope matches) means writing the full-text index again. Every layout since version 3
//! stores each record whole (`source`) with the id of its embedding (the `vector_id` fast field), so the index
//! is rebuilt from itself: no input files, no model, no re-embedding. The new full-text index is
//! written beside the old one and swapped in by renames; the vectors, the learned names, the
//! dictionary and the rejects stay where they are. An interrupted upgrade leaves the old index
//! (or, after the swap, the new one) and can simply be run again.

use std::path::Path;

use minyi_corpus::Record;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{TantivyDocument, TantivyError};

use crate::index::{Lexicon, TANTIVY_DIR, WRITER_HEAP_BYTES, all_addresses};
use crate::manifest::{FORMAT_VERSION, Manifest};
use crate::schema::{Fields, build_schema};
use crate::vectors::RecordVectors;
use crate::writer::document;
use crate::{IndexError, MinyiIndex};

/// The oldest layout an upgrade can read: the first to store `vector_id` with each record.
pub const UPGRADABLE_FROM: u32 = 3;

/// Where the new full-text index is written before the swap.
const STAGING_DIR: &str = "tantivy.upgrading";
/// Where the old one waits during the swap.
const RETIRED_DIR: &str = "tantivy.old";

/// What [`MinyiIndex::upgrade`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpgradeReport {
    /// The layout the index had.
    pub from: u32,
    /// Records written again (0 when the index was current).
    pub records: u64,
}

impl MinyiIndex {
    /// Rewrites the full-text index of the index in `dir` in this build's layout, from the
    /// records it stores; an index already current is left alone. Needs the writer lock.
    pub fn upgrade(dir: &Path) -> Result<UpgradeReport, IndexError> {
        let tantivy_dir = dir.join(TANTIVY_DIR);
        let retired = dir.join(RETIRED_DIR);
        // A swap cut short between its two renames: the old index goes back first.
        if !tantivy_dir.exists() && retired.exists() {
            rename(&retired, &tantivy_dir)?;
        }
        let mut manifest = Manifest::read_any_version(dir)?;
        let from = manifest.format_version;
        if from == FORMAT_VERSION {
            return Ok(UpgradeReport { from, records: 0 });
        }
        if !(UPGRADABLE_FROM..FORMAT_VERSION).contains(&from) {
            return Err(IndexError::IncompatibleFormat {
                path: dir.display().to_string(),
                found: from,
                oldest: UPGRADABLE_FROM,
                newest: FORMAT_VERSION,
                created_by: manifest.created_by,
            });
        }
        let old = open_tantivy(&tantivy_dir)?;
        // Held to the end: nobody writes to the old index while it is copied.
        let _lock = old
            .writer::<TantivyDocument>(WRITER_HEAP_BYTES)
            .map_err(|e| match e {
                TantivyError::LockFailure(..) => IndexError::Locked {
                    path: dir.display().to_string(),
                },
                e => e.into(),
            })?;
        let schema = old.schema();
        let source = schema.get_field("source")?;
        let payload = old.load_metas()?.payload;

        let staging = dir.join(STAGING_DIR);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| IndexError::io(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| IndexError::io(&staging, e))?;
        let new = tantivy::Index::create(
            MmapDirectory::open(&staging).map_err(TantivyError::from)?,
            build_schema(),
            Default::default(),
        )?;
        let lexicon = Lexicon::load(dir)?;
        lexicon.register(&new);
        let fields = Fields::from_schema(&new.schema())?;
        let mut writer = new.writer::<TantivyDocument>(WRITER_HEAP_BYTES)?;
        let searcher = old.reader()?.searcher();
        // `vector_id` is a fast field, not stored: read it per segment.
        let vectors = RecordVectors::new(&searcher)?;
        let mut records = 0;
        for address in all_addresses(&searcher)? {
            let stored: TantivyDocument = searcher.doc(address)?;
            let record: Record = stored
                .get_first(source)
                .and_then(|v| v.as_str())
                .and_then(|json| serde_json::from_str(json).ok())
                .ok_or_else(|| IndexError::Manifest {
                    path: tantivy_dir.display().to_string(),
                    reason: format!("document {address:?} has no readable stored record"),
                })?;
            let mut doc = document(&fields, &lexicon.names, &record);
            if let Some(v) = vectors.of(address) {
                doc.add_u64(fields.vector_id, v);
            }
            writer.add_document(doc)?;
            records += 1;
        }
        let mut commit = writer.prepare_commit()?;
        if let Some(payload) = &payload {
            commit.set_payload(payload);
        }
        commit.commit()?;
        drop(writer);
        drop(searcher);
        drop(_lock);

        rename(&tantivy_dir, &retired)?;
        rename(&staging, &tantivy_dir)?;
        manifest.format_version = FORMAT_VERSION;
        manifest.write(dir)?;
        std::fs::remove_dir_all(&retired).map_err(|e| IndexError::io(&retired, e))?;
        Ok(UpgradeReport { from, records })
    }
}

fn open_tantivy(dir: &Path) -> Result<tantivy::Index, IndexError> {
    Ok(tantivy::Index::open(
        MmapDirectory::open(dir).map_err(TantivyError::from)?,
    )?)
}

fn rename(from: &Path, to: &Path) -> Result<(), IndexError> {
    std::fs::rename(from, to).map_err(|e| IndexError::io(to, e))
}
