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
    /// A file of the index that is not what minyi wrote there: truncated, overwritten, foreign.
    #[error("{path} is damaged: {reason}")]
    Damaged { path: String, reason: String },
    #[error(
        "the disk holding {path} is full ({reason}); the index keeps everything committed before, {committed} records of this import included: free some space and run the import again (records are replaced by id, so nothing is doubled)"
    )]
    DiskFull {
        path: String,
        committed: u64,
        reason: String,
    },
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
    #[error(
        "index {path} holds {records} records without vectors (it was built without an embedding model), so `{model}` would embed only new ones: write with --no-model, or add vectors to every record with `minyi reindex --vectors --index {path}`"
    )]
    VectorsMissing {
        path: String,
        records: u64,
        model: String,
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

    /// This error as a [`IndexError::DiskFull`] of the index at `dir` when a write failed for
    /// lack of space, with the records `committed` before; any other error unchanged.
    ///
    /// tantivy reports a full disk in several shapes (a write in an indexing thread, the atomic
    /// write of its `meta.json`, a file it could not create), none of them as an error source,
    /// and its store and postings writers keep only the io error's text; so they are looked for
    /// variant by variant, and in the text by the operating system's own words.
    pub fn on_full_disk(self, dir: &Path, committed: u64) -> IndexError {
        let full = match &self {
            IndexError::Io { source, .. } => is_full(source),
            IndexError::Tantivy(e) => tantivy_full(e) || says_full(&e.to_string()),
            _ => false,
        };
        if !full {
            return self;
        }
        IndexError::DiskFull {
            path: dir.display().to_string(),
            committed,
            reason: self.to_string(),
        }
    }
}

/// Whether `e` says the file system (or the user's quota on it) has no room left.
fn is_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
}

/// Whether `text` holds the operating system's message for a full disk or quota.
fn says_full(text: &str) -> bool {
    [libc::ENOSPC, libc::EDQUOT]
        .into_iter()
        .any(|code| text.contains(&std::io::Error::from_raw_os_error(code).to_string()))
}

fn tantivy_full(e: &tantivy::TantivyError) -> bool {
    use tantivy::TantivyError;
    use tantivy::directory::error::{OpenDirectoryError, OpenWriteError};
    match e {
        TantivyError::IoError(io) => is_full(io),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => is_full(io_error),
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => {
            is_full(io_error)
        }
        _ => false,
    }
}
