//! The index manifest: what wrote an index, and in which format.
//!
//! `minyi.json` sits at the top of an index folder. A future minyi that changes the layout bumps
//! [`FORMAT_VERSION`] and can then refuse, or migrate, an older index with a clear message instead
//! of failing somewhere inside tantivy.
//!
//! Which vectors the records point at is also written into every tantivy commit (its payload),
//! because that commit, not the manifest, is what switches the records over when
//! `minyi reindex --vectors` builds a new vector folder: the manifest follows just after, and
//! lags behind when a reindex stops in between.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::IndexError;

/// The layout version this build writes. Version 3 named the vector folder
/// ([`EmbeddingInfo::folder`]); version 4 adds the `entity` facet field and `names.tsv`; version 5
/// the `stated_region` field access scopes match.
pub const FORMAT_VERSION: u32 = 5;
/// The oldest layout this build reads: older schemas lack the `stated_region` field, and tantivy
/// cannot add a field to an existing index, so those indexes are rebuilt from their files.
pub const OLDEST_FORMAT_VERSION: u32 = 5;
pub(crate) const MANIFEST_FILE: &str = "minyi.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    /// The minyi version that created the index.
    pub created_by: String,
    pub created_at: String,
    /// The analyzer documents were segmented with; queries must use the same one.
    pub analyzer: String,
    /// The model whose embeddings the index holds, if any: queries must be embedded with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<EmbeddingInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddingInfo {
    pub model: String,
    pub dim: usize,
    /// The folder inside the index that holds the vector store.
    #[serde(default = "legacy_vectors_folder")]
    pub folder: String,
}

/// The vector folder's name, and its name's prefix when a reindex writes a new one beside it.
pub(crate) const VECTORS_DIR: &str = "vectors";

/// Where format 2 kept the vectors.
fn legacy_vectors_folder() -> String {
    VECTORS_DIR.into()
}

impl EmbeddingInfo {
    /// The embeddings of `model`, kept in the index's folder `folder`.
    pub(crate) fn new(model: &crate::EmbeddingModel, folder: String) -> EmbeddingInfo {
        EmbeddingInfo {
            model: model.name.clone(),
            dim: model.embedder.dim(),
            folder,
        }
    }

    /// The record of a commit that points at these vectors, for its payload.
    pub(crate) fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("embedding info serialises")
    }

    /// What a commit's payload says about the vectors, if it was written with some.
    pub(crate) fn from_payload(
        dir: &Path,
        payload: Option<&str>,
    ) -> Result<Option<EmbeddingInfo>, IndexError> {
        payload
            .map(|p| {
                serde_json::from_str(p).map_err(|e| IndexError::Manifest {
                    path: dir.display().to_string(),
                    reason: format!("the last commit's payload: {e}"),
                })
            })
            .transpose()
    }
}

impl Manifest {
    pub(crate) fn new() -> Manifest {
        Manifest {
            format_version: FORMAT_VERSION,
            created_by: format!("minyi {}", env!("CARGO_PKG_VERSION")),
            created_at: chrono::Local::now().to_rfc3339(),
            analyzer: crate::analyzer::TOKENIZER_NAME.to_string(),
            embedding: None,
        }
    }

    pub(crate) fn read(dir: &Path) -> Result<Manifest, IndexError> {
        let manifest = Manifest::read_any_version(dir)?;
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&manifest.format_version) {
            return Err(IndexError::IncompatibleFormat {
                path: dir.display().to_string(),
                found: manifest.format_version,
                oldest: OLDEST_FORMAT_VERSION,
                newest: FORMAT_VERSION,
                created_by: manifest.created_by,
            });
        }
        Ok(manifest)
    }

    /// The manifest in `dir`, whatever its format version (for upgrading it).
    pub(crate) fn read_any_version(dir: &Path) -> Result<Manifest, IndexError> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| IndexError::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| IndexError::Manifest {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Writes the manifest through a temporary file and a rename, so it is never half-written.
    pub(crate) fn write(&self, dir: &Path) -> Result<(), IndexError> {
        let path = dir.join(MANIFEST_FILE);
        let tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).expect("a manifest serialises");
        std::fs::write(&tmp, text).map_err(|e| IndexError::io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| IndexError::io(&path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_3_index_is_refused_with_the_way_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            r#"{"format_version": 3, "created_by": "minyi 0.1.0", "created_at": "2026-11-01T00:00:00+08:00",
                "analyzer": "jieba", "embedding": {"model": "e5", "dim": 384, "folder": "vectors"}}"#,
        )
        .unwrap();
        let err = Manifest::read(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("format version 3") && err.contains("minyi index"),
            "{err}"
        );
    }
}
