//! The index manifest: what wrote an index, and in which format.
//!
//! `minyi.json` sits at the top of an index folder. A future minyi that changes the layout bumps
//! [`FORMAT_VERSION`] and can then refuse, or migrate, an older index with a clear message instead
//! of failing somewhere inside tantivy.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::IndexError;

/// The layout version this build reads and writes.
pub const FORMAT_VERSION: u32 = 2;
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
        if manifest.format_version != FORMAT_VERSION {
            return Err(IndexError::IncompatibleFormat {
                path: dir.display().to_string(),
                found: manifest.format_version,
                supported: FORMAT_VERSION,
                created_by: manifest.created_by,
            });
        }
        Ok(manifest)
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
