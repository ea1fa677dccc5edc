//! Opening `DIR/state.sqlite`, its schema and its migrations.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};

use crate::access::{Principal, PrincipalKind, Role};
use crate::users::User;

/// The state file's name inside an index folder.
pub const STATE_FILE: &str = "state.sqlite";

/// How long a statement waits for another process's write before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Schema migrations; entry `n` takes `PRAGMA user_version` from `n` to `n + 1`. Append only.
/// 1: users, tokens, sessions, keys; 2: topics, their records and history.
const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'analyst')),
        regions TEXT NOT NULL,          -- JSON array of region names; [] is all regions
        password_hash TEXT NOT NULL,    -- Argon2id PHC string
        created_at INTEGER NOT NULL,    -- Unix seconds
        changed_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE tokens (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'analyst')),
        regions TEXT NOT NULL,
        secret_hash BLOB NOT NULL UNIQUE,   -- SHA-256 of the secret
        created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE sessions (
        id_hash BLOB PRIMARY KEY,           -- SHA-256 of the session id
        user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sessions_by_expiry ON sessions (expires_at);
    CREATE INDEX sessions_by_user ON sessions (user);
    CREATE TABLE keys (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) STRICT;
",
    "
    CREATE TABLE topics (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('legislation', 'supervision', 'assignment')),
        status TEXT NOT NULL CHECK (status IN ('proposed', 'assigned', 'in_progress', 'done')),
        department TEXT,
        due TEXT,                       -- YYYY-MM-DD
        note TEXT,
        answer TEXT,
        outcome TEXT,
        issue_id TEXT,                  -- the issue it was made from
        selection TEXT,                 -- JSON: the saved selection it was made from
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        assigned_at INTEGER,            -- first time it became assigned
        changed_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE topic_records (
        topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
        record_id TEXT NOT NULL,
        membership TEXT NOT NULL CHECK (membership IN ('member', 'accepted', 'dismissed')),
        added_at INTEGER NOT NULL,
        added_by TEXT NOT NULL,
        PRIMARY KEY (topic_id, record_id)
    ) STRICT;
    CREATE TABLE topic_history (
        topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        change TEXT NOT NULL            -- JSON
    ) STRICT;
    CREATE INDEX topic_history_by_topic ON topic_history (topic_id);
",
];

/// Why a state operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{} has schema version {found}, newer than this minyi knows ({known}); use a newer minyi",
        path.display()
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    #[error("state database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a user named `{0}` exists already")]
    UserExists(String),
    #[error("no user named `{0}`")]
    NoSuchUser(String),
    #[error("a token named `{0}` exists already")]
    TokenExists(String),
    #[error("no token named `{0}`")]
    NoSuchToken(String),
    #[error("invalid name `{0}`: use 1 to 64 characters without spaces or control characters")]
    InvalidName(String),
    #[error("invalid region `{0}`")]
    InvalidRegion(String),
    #[error("the password is too short: use at least {min} characters")]
    WeakPassword { min: usize },
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    #[error("no topic {0}")]
    NoSuchTopic(i64),
    #[error("invalid topic: {0}")]
    InvalidTopic(String),
    #[error("the state database holds an invalid {what}: `{value}`")]
    Corrupt { what: &'static str, value: String },
}

/// The state of one index: users, tokens and sessions. One connection; it is `Send` but not
/// `Sync`, so a server shares it behind a mutex or opens one per worker.
pub struct Store {
    pub(crate) conn: Connection,
}

impl Store {
    /// Opens (creating it if needed) `index_dir/state.sqlite` and brings its schema up to date.
    pub fn open(index_dir: &Path) -> Result<Store, StoreError> {
        let path = index_dir.join(STATE_FILE);
        let open_error = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // WAL lets readers go on while the other process writes; the setting is persistent.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(open_error(rusqlite::Error::InvalidParameterName(format!(
                "journal_mode is {mode}, not wal"
            ))));
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_error)?;
        migrate(&mut conn, &path)?;
        Ok(Store { conn })
    }

    /// Whether anyone can sign in: at least one user or token exists.
    pub fn has_credentials(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM tokens)",
            [],
            |row| row.get(0),
        )?)
    }

    /// The index's key for submitter pseudonyms (`minyi_corpus::pii::Masker::new`): 32 random
    /// bytes made on first use, the same for every process and restart after that.
    pub fn pseudonym_key(&self) -> Result<Vec<u8>, StoreError> {
        let fresh = crate::secret::random_bytes();
        // Two processes may race to make it: the first insert wins, both read the winner.
        self.conn.execute(
            "INSERT OR IGNORE INTO keys (name, value) VALUES ('pseudonyms', ?1)",
            [&fresh[..]],
        )?;
        Ok(self.conn.query_row(
            "SELECT value FROM keys WHERE name = 'pseudonyms'",
            [],
            |row| row.get(0),
        )?)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let version = |conn: &Connection| -> rusqlite::Result<i64> {
        conn.query_row("PRAGMA user_version", [], |row| row.get(0))
    };
    if version(conn)? == MIGRATIONS.len() as i64 {
        return Ok(());
    }
    // Another process may be migrating too: take the write lock, then look again.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = version(&tx)?;
    if found > MIGRATIONS.len() as i64 {
        return Err(StoreError::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            known: MIGRATIONS.len(),
        });
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
    tx.commit()?;
    Ok(())
}

/// Checks a user or token name.
pub(crate) fn check_name(name: &str) -> Result<(), StoreError> {
    let ok = (1..=64).contains(&name.chars().count())
        && !name.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidName(name.to_string()))
    }
}

/// Regions as stored: a JSON array.
pub(crate) fn regions_column(regions: &[String]) -> Result<String, StoreError> {
    if let Some(bad) = regions
        .iter()
        .find(|r| r.trim().is_empty() || r.trim() != r.as_str())
    {
        return Err(StoreError::InvalidRegion(bad.clone()));
    }
    Ok(serde_json::to_string(regions).expect("a list of strings serialises"))
}

/// A principal from its stored columns.
pub(crate) fn principal(
    name: String,
    kind: PrincipalKind,
    role: &str,
    regions: &str,
) -> Result<Principal, StoreError> {
    Ok(Principal {
        name,
        kind,
        role: parse_role(role)?,
        regions: parse_regions(regions)?,
    })
}

pub(crate) fn parse_role(role: &str) -> Result<Role, StoreError> {
    Role::parse(role).ok_or_else(|| StoreError::Corrupt {
        what: "role",
        value: role.to_string(),
    })
}

pub(crate) fn parse_regions(regions: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(regions).map_err(|_| StoreError::Corrupt {
        what: "region list",
        value: regions.to_string(),
    })
}

pub(crate) fn time(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

impl Store {
    /// The rows of `sql`, which selects name, role, regions, created and changed, in that order
    /// (tokens: created twice).
    pub(crate) fn listed(&self, sql: &str) -> Result<Vec<User>, StoreError> {
        let mut statement = self.conn.prepare(sql)?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (name, role, regions, created, changed) = row?;
            Ok(User {
                name,
                role: parse_role(&role)?,
                regions: parse_regions(&regions)?,
                created_at: time(created),
                changed_at: time(changed),
            })
        })
        .collect()
    }

    /// Deletes the row of `table` named `name`; false when there is none.
    pub(crate) fn delete_named(&self, table: &'static str, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute(&format!("DELETE FROM {table} WHERE name = ?1"), [name])?
            > 0)
    }
}

/// `conflict` when an insert failed on a unique or foreign-key constraint, else the error.
pub(crate) fn on_constraint(
    error: rusqlite::Error,
    conflict: impl FnOnce() -> StoreError,
) -> StoreError {
    match error {
        rusqlite::Error::SqliteFailure(e, _)
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            conflict()
        }
        other => other.into(),
    }
}
