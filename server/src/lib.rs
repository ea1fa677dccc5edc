//! minyi's query engine and HTTP API.
//!
//! [`engine`] answers searches and takes writes over a [`minyi_indexer::MinyiIndex`]; [`query`]
//! parses the search box's syntax; [`api`] translates HTTP to engine calls and nothing more.

pub mod api;
mod assets;
pub mod bench;
pub mod bench_semantic;
pub mod bench_vectors;
pub mod distill;
pub mod engine;
mod highlight;
pub mod import;
pub mod issues;
pub mod model;
pub mod query;
pub mod semantic;

pub use engine::{Engine, EngineError, Mode, SearchRequest, SearchResponse, Sort};
