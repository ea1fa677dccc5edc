use std::path::Path;

use crate::analyzer::DictionaryError;

/// Why an index could not be opened, created or written.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} is not a minyi index (no minyi.json); create one with `minyi index --index {path} FILE…`"
    )]
    NotAnIndex { path: String },
    #[error("index manifest {path} is unreadable: {reason}")]
    Manifest { path: String, reason: String },
    #[error(
        "index {path} has format version {found} (written by {created_by}); this minyi reads versions {oldest} to {newest}: `minyi upgrade --index {path}` rewrites an index of version 3 or later from its stored records (keeping its embeddings); older ones must be built again with `minyi index`"
    )]
    IncompatibleFormat {
        path: String,
        found: u32,
        oldest: u32,
        newest: u32,
        created_by: String,
    },
    #[error(
        "index {path} is being written by another process (is `minyi serve` or an import running?)"
    )]
    Locked { path: String },
    #[error(transparent)]
    Dictionary(#[from] DictionaryError),
    #[error("names file {path}, line {line}: {reason}")]
    Names {
        path: String,
        line: usize,
        reason: String,
    },
    #[error(
        "index {path} holds embeddings of model `{indexed}`; this run has {given}. Use the same model, or rebuild the vectors with `minyi reindex --vectors`"
    )]
    ModelMismatch {
        path: String,
        indexed: String,
        given: String,
    },
    #[error("embedding failed: {0}")]
    Model(#[from] minyi_models::ModelError),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl IndexError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
