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

/// The layout version this build writes. Version 3 names the vector folder ([`EmbeddingInfo::folder`]),
/// which `minyi reindex --vectors` changes; an older minyi would look for `vectors/` and find
/// none, so it must refuse the index.
pub const FORMAT_VERSION: u32 = 3;
/// The oldest layout this build reads: version 2 is version 3 with the vectors in `vectors/`.
pub const OLDEST_FORMAT_VERSION: u32 = 2;
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
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| IndexError::io(&path, e))?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| IndexError::Manifest {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&manifest.format_version) {
            return Err(IndexError::IncompatibleFormat {
                path: dir.display().to_string(),
                found: manifest.format_version,
                oldest: OLDEST_FORMAT_VERSION,
                newest: FORMAT_VERSION,
                created_by: manifest.created_by,
            });
        }
        // Version 2 means the same as version 3 with `folder` at its default; the manifest is
        // written back as version 3.
        Ok(Manifest {
            format_version: FORMAT_VERSION,
            ..manifest
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
    fn a_format_2_manifest_reads_with_its_vectors_in_the_old_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            r#"{"format_version": 2, "created_by": "minyi 0.1.0", "created_at": "2026-11-01T00:00:00+08:00",
                "analyzer": "jieba", "embedding": {"model": "e5", "dim": 384}}"#,
        )
        .unwrap();
        let manifest = Manifest::read(dir.path()).unwrap();
        assert_eq!(manifest.format_version, FORMAT_VERSION);
        assert_eq!(manifest.embedding.unwrap().folder, "vectors");
    }
}
