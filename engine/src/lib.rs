//! minyi's query engine: it opens an index and answers searches, similar cases (类案推荐),
//! routing suggestions, issue grouping (类案) and the draft-law view, and takes writes.
//!
//! It knows nothing of HTTP or the command line; the `minyi` crate translates those into calls
//! here. Everything is blocking (tantivy does file I/O). Each request reads one [`Engine`]
//! snapshot (one searcher and the vectors of the same moment), so its parts never disagree.
//!
//! - [`Engine`]: an opened index, its writes, record lookup.
//! - [`group_commit`]: concurrent ingests sharing one commit.
//! - [`search`]: full-text, semantic and hybrid search with filters, facets and snippets.
//! - [`query`]: the search box's syntax and its translation to tantivy.
//! - [`similar`]: similar past cases of a record or a new text, and routing suggestions.
//! - [`issues`]: grouping a selection into recurring issues, and the 问题清单 files.
//! - [`topics`]: a topic's (议题) new matching cases and its volume before and after assignment.
//! - [`laws`]: opinions on draft laws, by article, grouped into issues.
//! - [`Viewer`]: who an answer is for: the districts in their scope, and whether personal data
//!   is masked for them. Every query takes one.

mod engine;
mod error;
pub mod group_commit;
pub mod issues;
pub mod laws;
pub mod query;
pub mod search;
pub mod similar;
pub mod topics;
mod vectors;
mod viewer;

pub use engine::Engine;
pub use error::EngineError;
pub use search::{Mode, SearchRequest, SearchResponse, Sort};
pub use viewer::Viewer;
