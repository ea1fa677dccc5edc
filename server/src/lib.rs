//! minyi's server side: the HTTP API over the engine ([`api`]) and serving it ([`serve`]), the
//! staff page, accounts and the audit log from the command line ([`accounts`]), importing files
//! ([`import`]), online backups ([`backup`]), finding the embedding model ([`model`], [`distill`]) and the benchmarks
//! ([`bench`]). The query engine itself is the `minyi-engine` crate; the `minyi` command
//! (`main.rs`) only parses arguments and calls these.

pub mod accounts;
pub mod api;
mod assets;
pub mod backup;
pub mod bench;
pub mod distill;
pub mod import;
pub mod model;
pub mod serve;
pub mod topics;
