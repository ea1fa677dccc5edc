//! Why an engine call failed.

use crate::query::QueryError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{0}")]
    InvalidRequest(String),
    #[error("this index is open read-only")]
    ReadOnly,
    /// Semantic matching was asked for without embeddings to match against.
    #[error("{0}")]
    NoSemantic(String),
    #[error("embedding failed: {0}")]
    Model(#[from] minyi_models::ModelError),
    #[error(transparent)]
    Index(#[from] minyi_indexer::IndexError),
    /// The commit that was to hold the records failed; none of them were written.
    #[error("the records could not be committed: {0}")]
    Commit(String),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot start the threads that group: {0}")]
    Threads(String),
}
