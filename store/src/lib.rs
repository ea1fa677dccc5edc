//! The state minyi keeps beside an index, and the rules for who may do what.
//!
//! - [`Store`]: accounts (Argon2id password hashes), tokens for other systems (only their
//!   SHA-256 is stored), and sign-in sessions, in `DIR/state.sqlite`. SQLite in WAL mode with a
//!   busy timeout, so the `minyi` command and a running server can use the same file at once and
//!   a change by one is seen by the other's next lookup. The schema is versioned
//!   (`PRAGMA user_version`) and migrated on open.
//! - [`access`]: roles, rights and the [`Principal`] a request acts as; pure functions.
//! - [`throttle`]: the in-memory throttle for failed sign-ins.
//! - [`audit`]: the append-only, hash-chained audit log under `DIR/audit/`.
//! - [`topics`]: topics (议题) made from recurring issues, their records and history.
//! - [`backup`]: a consistent copy of both while a server uses them.

pub mod access;
pub mod audit;
mod backup;
mod db;
mod secret;
mod sessions;
pub mod throttle;
mod tokens;
pub mod topics;
mod users;

pub use access::{Principal, PrincipalKind, Right, Role};
pub use backup::{BackupError, StateBackup, backup};
pub use db::{STATE_FILE, Store, StoreError};
pub use sessions::NewSession;
pub use tokens::{NewToken, TOKEN_PREFIX, Token};
pub use users::{MIN_PASSWORD_CHARS, User};
