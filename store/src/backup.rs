//! Copying an index's state while servers use it: `state.sqlite` through SQLite's online backup
//! (a snapshot of one transaction, taken while other connections go on writing), and the audit
//! log between two appends.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use crate::audit::{AUDIT_DIR, AuditError, AuditLog, Verification};
use crate::db::{BUSY_TIMEOUT, STATE_FILE, StoreError};

/// What [`backup`] copied.
#[derive(Debug, Clone)]
pub struct StateBackup {
    /// Whether the index had a `state.sqlite` (an index never served with accounts has none).
    pub state: bool,
    /// The copied audit log's chain, when the index has a log.
    pub audit: Option<Verification>,
}

/// Why the state could not be copied.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("backing up {}: {source}", path.display())]
    State {
        path: std::path::PathBuf,
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Audit(#[from] AuditError),
}

/// Copies every page of `src` into `dst` in one step: a step by step copy starts over whenever
/// another connection writes in between, and may never end under steady writes. A writer holding
/// the database at that moment is waited for, as long as [`BUSY_TIMEOUT`].
fn copy_all_pages(src: &Connection, dst: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(src, dst)?;
    let started = Instant::now();
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            _ if started.elapsed() > BUSY_TIMEOUT => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("the database stayed busy".into()),
                ));
            }
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Copies the state of the index at `index_dir` into the folder `out_dir`, and checks the copy:
/// the database opens and passes SQLite's integrity check, and the copied audit chain is walked.
pub fn backup(index_dir: &Path, out_dir: &Path) -> Result<StateBackup, BackupError> {
    let source = index_dir.join(STATE_FILE);
    let state = source.exists();
    if state {
        let target = out_dir.join(STATE_FILE);
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| BackupError::State { path, source }
        };
        // Read-write without create: a read-only connection to a WAL database cannot always
        // make its shared-memory file.
        let src = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(err(&source))?;
        src.busy_timeout(BUSY_TIMEOUT).map_err(err(&source))?;
        let mut dst = Connection::open(&target).map_err(err(&target))?;
        copy_all_pages(&src, &mut dst).map_err(err(&source))?;
        let check: String = dst
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(err(&target))?;
        if check != "ok" {
            return Err(BackupError::State {
                path: target,
                source: rusqlite::Error::InvalidParameterName(format!(
                    "the copy fails SQLite's integrity check: {check}"
                )),
            });
        }
        drop(dst);
        crate::Store::open(out_dir)?;
    }
    let audit = if index_dir.join(AUDIT_DIR).is_dir() {
        AuditLog::open(index_dir)?.copy_to(out_dir)?;
        Some(AuditLog::open(out_dir)?.verify()?)
    } else {
        None
    };
    Ok(StateBackup { state, audit })
}
