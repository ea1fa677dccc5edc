//! The audit log: who did what, when, with what result; append-only and hash-chained.
//!
//! Entries are JSON Lines in `DIR/audit/YYYY-MM-DD.jsonl`, one file per local day. Each entry
//! carries `prev`, the hash of the entry before it (across files), and `hash`, the SHA-256 of
//! its own line up to the hash field, so [`AuditLog::verify`] finds the first edited, removed or
//! reordered line. The hash is taken over the bytes as written, not over a re-serialisation, so
//! verification does not depend on how JSON numbers or key orders round-trip.
//!
//! Appends are serialised across processes by an exclusive lock on `audit/.lock` and are
//! fsync'd before [`AuditLog::append`] returns; a line left half-written by a crash (no newline)
//! is cut off by the next append. `audit/head` records the last entry's sequence
//! number and hash, so that cutting lines off the end is detected too (it is written after the
//! entry and not fsync'd: after a crash it may lag one entry behind, which verify accepts).
//!
//! Tamper-evident, not tamper-proof: whoever can rewrite every file can rewrite the whole chain.
//! Copy `head` elsewhere (or the log to a write-once store) to anchor it.

mod chain;
mod entry;
pub mod refusals;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, SubsecRound};

pub use chain::{Break, Problem, Verification};
pub use entry::{Actor, ActorKind, AuditEntry, AuditEvent};

/// The log's folder inside an index folder.
pub const AUDIT_DIR: &str = "audit";

/// Why the log could not be written or read (a broken chain is a [`Verification`] instead).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("audit log {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "audit log {}, line {line}: not a valid entry; run `minyi audit --verify`",
        file.display()
    )]
    Unreadable { file: PathBuf, line: u64 },
}

/// Which entries [`AuditLog::read`] returns.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only entries by this user or token name.
    pub who: Option<String>,
    /// Only entries from this (local) day on.
    pub since: Option<NaiveDate>,
}

/// The audit log of one index.
#[derive(Debug, Clone)]
pub struct AuditLog {
    dir: PathBuf,
}

impl AuditLog {
    /// The log of the index in `index_dir`; creates `audit/` when missing.
    pub fn open(index_dir: &Path) -> Result<AuditLog, AuditError> {
        let dir = index_dir.join(AUDIT_DIR);
        fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        Ok(AuditLog { dir })
    }

    /// Appends one entry, stamped now, and returns it once it is on disk.
    pub fn append(&self, event: AuditEvent) -> Result<AuditEntry, AuditError> {
        let _lock = self.lock()?;
        let files = self.files()?;
        if let Some(newest) = files.last() {
            chain::drop_torn_tail(newest).map_err(io_error(newest))?;
        }
        let mut last = None;
        for file in files.iter().rev() {
            last = chain::last_link(file)?;
            if last.is_some() {
                break;
            }
        }
        let (seq, prev) = last.unwrap_or((0, chain::GENESIS.to_string()));
        let at = Local::now().fixed_offset().trunc_subsecs(3);
        let (entry, line) = chain::seal(seq + 1, at, prev, event);
        let path = self.dir.join(format!("{}.jsonl", at.date_naive()));
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_error(&path))?;
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(io_error(&path))?;
        if created {
            // The new file's name must survive a crash as well as its content.
            File::open(&self.dir)
                .and_then(|d| d.sync_all())
                .map_err(io_error(&self.dir))?;
        }
        chain::write_head(&self.dir, &entry)?;
        Ok(entry)
    }

    /// The entries that match `filter`, oldest first.
    pub fn read(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AuditError> {
        let mut out = Vec::new();
        for file in self.files()? {
            let day = file
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<NaiveDate>().ok());
            if let (Some(since), Some(day)) = (filter.since, day)
                && day < since
            {
                continue;
            }
            for (line, text) in chain::lines(&file)? {
                let entry: AuditEntry =
                    serde_json::from_str(&text).map_err(|_| AuditError::Unreadable {
                        file: file.clone(),
                        line,
                    })?;
                let by = filter.who.as_ref().is_none_or(|w| *w == entry.who.name);
                let after = filter.since.is_none_or(|s| entry.at.date_naive() >= s);
                if by && after {
                    out.push(entry);
                }
            }
        }
        Ok(out)
    }

    /// Copies the log into `index_dir`'s `audit/` (a backup), between two appends: whole
    /// entries, and a `head` that matches them.
    pub fn copy_to(&self, index_dir: &Path) -> Result<(), AuditError> {
        let _lock = self.lock()?;
        let out = index_dir.join(AUDIT_DIR);
        fs::create_dir_all(&out).map_err(io_error(&out))?;
        let files = self.files()?;
        for file in files.iter().chain(Some(&self.dir.join(chain::HEAD_FILE))) {
            let Some(name) = file.file_name() else {
                continue;
            };
            match fs::copy(file, out.join(name)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(file)(e)),
                _ => {}
            }
        }
        Ok(())
    }

    /// Takes the exclusive lock that serialises appends across processes; held until dropped.
    fn lock(&self) -> Result<File, AuditError> {
        let lock_path = self.dir.join(".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_error(&lock_path))?;
        lock.lock().map_err(io_error(&lock_path))?;
        Ok(lock)
    }

    /// Walks the whole chain, file by file.
    pub fn verify(&self) -> Result<Verification, AuditError> {
        chain::verify(&self.dir, &self.files()?)
    }

    /// The day files, oldest first.
    fn files(&self) -> Result<Vec<PathBuf>, AuditError> {
        let mut files: Vec<PathBuf> = fs::read_dir(&self.dir)
            .map_err(io_error(&self.dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        Ok(files)
    }
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> AuditError + '_ {
    move |source| AuditError::Io {
        path: path.to_path_buf(),
        source,
    }
}
