//! The hash chain: sealing a new line, and walking the lines to check them.

use std::fmt;
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::entry::{Actor, AuditEntry, AuditEvent};
use super::{AuditError, io_error};
use crate::secret::hex;

/// The `prev` of the first entry.
pub(super) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const HASH_FIELD: &str = ",\"hash\":\"";
/// `,"hash":"` + 64 hex digits + `"}`.
const HASH_TAIL: usize = HASH_FIELD.len() + 64 + 2;

pub(super) const HEAD_FILE: &str = "head";

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact { entries: u64, files: usize },
    Broken(Break),
}

/// Where the chain breaks first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub file: PathBuf,
    /// 1-based; for lines cut off the end, the line after the last one left.
    pub line: u64,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not an entry at all (not JSON, or no hash at the end).
    Unreadable,
    /// The line's content does not match its hash.
    Edited,
    /// The entry's number is not the next one.
    Sequence { expected: u64, found: u64 },
    /// The entry's `prev` is not the hash of the line before it.
    Chain,
    /// `head` names a later entry than the log ends with.
    Truncated { head: u64, last: u64 },
    /// `head` is unreadable or names an entry the log does not have.
    Head,
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}: ", self.file.display(), self.line)?;
        match self.problem {
            Problem::Unreadable => f.write_str("not an audit entry"),
            Problem::Edited => f.write_str("edited: the content does not match its hash"),
            Problem::Sequence { expected, found } => write!(
                f,
                "expected entry {expected}, found entry {found}: lines were removed, added or reordered"
            ),
            Problem::Chain => f.write_str(
                "does not follow the line before it: a line was replaced, or lines reordered",
            ),
            Problem::Truncated { head, last } => write!(
                f,
                "the log ends with entry {last} but entry {head} was written: lines were removed from the end"
            ),
            Problem::Head => f.write_str("the head file does not match the log"),
        }
    }
}

/// The part of an entry its hash covers.
#[derive(Serialize)]
struct Body<'a> {
    seq: u64,
    at: &'a DateTime<FixedOffset>,
    who: &'a Actor,
    action: &'a str,
    details: &'a Value,
    result: &'a str,
    prev: &'a str,
}

#[derive(Serialize, Deserialize)]
struct Head {
    seq: u64,
    hash: String,
}

/// The entry and its line (newline included) for `event` as entry `seq` after `prev`.
pub(super) fn seal(
    seq: u64,
    at: DateTime<FixedOffset>,
    prev: String,
    event: AuditEvent,
) -> (AuditEntry, String) {
    let body = serde_json::to_string(&Body {
        seq,
        at: &at,
        who: &event.who,
        action: &event.action,
        details: &event.details,
        result: &event.result,
        prev: &prev,
    })
    .expect("an audit entry serialises");
    let hash = hex(&Sha256::digest(body.as_bytes()));
    let line = format!("{}{HASH_FIELD}{hash}\"}}\n", &body[..body.len() - 1]);
    let entry = AuditEntry {
        seq,
        at,
        who: event.who,
        action: event.action,
        details: event.details,
        result: event.result,
        prev,
        hash,
    };
    (entry, line)
}

/// The sequence number and hash of the last entry in `file`, or `None` for an empty file.
pub(super) fn last_link(file: &Path) -> Result<Option<(u64, String)>, AuditError> {
    let Some(line) = last_line(file).map_err(io_error(file))? else {
        return Ok(None);
    };
    match checked(&line) {
        Some(entry) => Ok(Some((entry.seq, entry.hash))),
        None => Err(AuditError::Unreadable {
            file: file.to_path_buf(),
            line: lines(file)?.len() as u64,
        }),
    }
}

/// The numbered lines of a file. Invalid UTF-8 is kept as replacement characters, which then
/// fail the hash.
pub(super) fn lines(file: &Path) -> Result<Vec<(u64, String)>, AuditError> {
    let bytes = fs::read(file).map_err(io_error(file))?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_suffix('\n').unwrap_or(&text);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    Ok((1..).zip(text.split('\n').map(str::to_string)).collect())
}

pub(super) fn write_head(dir: &Path, entry: &AuditEntry) -> Result<(), AuditError> {
    let head = serde_json::to_string(&Head {
        seq: entry.seq,
        hash: entry.hash.clone(),
    })
    .expect("the head serialises");
    let path = dir.join(HEAD_FILE);
    let temporary = dir.join("head.tmp");
    fs::write(&temporary, head)
        .and_then(|()| fs::rename(&temporary, &path))
        .map_err(io_error(&path))
}

pub(super) fn verify(dir: &Path, files: &[PathBuf]) -> Result<Verification, AuditError> {
    let mut expected = 1;
    let mut prev = GENESIS.to_string();
    let mut before_prev = GENESIS.to_string();
    let mut end = (dir.join(HEAD_FILE), 1);
    for file in files {
        for (number, line) in lines(file)? {
            let broken = |problem| {
                Ok(Verification::Broken(Break {
                    file: file.clone(),
                    line: number,
                    problem,
                }))
            };
            let Some((body, stated)) = split(&line) else {
                return broken(Problem::Unreadable);
            };
            if hex(&Sha256::digest(body.as_bytes())) != stated {
                return broken(Problem::Edited);
            }
            let Ok(entry) = serde_json::from_str::<AuditEntry>(&line) else {
                return broken(Problem::Unreadable);
            };
            if entry.seq != expected {
                return broken(Problem::Sequence {
                    expected,
                    found: entry.seq,
                });
            }
            if entry.prev != prev {
                return broken(Problem::Chain);
            }
            before_prev = std::mem::replace(&mut prev, entry.hash);
            expected += 1;
            end = (file.clone(), number + 1);
        }
    }
    let last = expected - 1;
    let head_path = dir.join(HEAD_FILE);
    let head = match fs::read_to_string(&head_path) {
        Ok(text) => serde_json::from_str::<Head>(&text).ok(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Verification::Intact {
                entries: last,
                files: files.len(),
            });
        }
        Err(e) => return Err(io_error(&head_path)(e)),
    };
    let head_broken = |problem| {
        Ok(Verification::Broken(Break {
            file: head_path.clone(),
            line: 1,
            problem,
        }))
    };
    match head {
        None => head_broken(Problem::Head),
        Some(head) if head.seq > last => Ok(Verification::Broken(Break {
            file: end.0,
            line: end.1,
            problem: Problem::Truncated {
                head: head.seq,
                last,
            },
        })),
        // After a crash between the entry and the head, the head is one entry behind.
        Some(head)
            if (head.seq == last && head.hash == prev)
                || (head.seq + 1 == last && head.hash == before_prev) =>
        {
            Ok(Verification::Intact {
                entries: last,
                files: files.len(),
            })
        }
        Some(_) => head_broken(Problem::Head),
    }
}

/// The entry on a line whose hash matches its content.
fn checked(line: &str) -> Option<AuditEntry> {
    let (body, stated) = split(line)?;
    let entry: AuditEntry = serde_json::from_str(line).ok()?;
    (hex(&Sha256::digest(body.as_bytes())) == stated).then_some(entry)
}

/// A line's hashed part (with the closing brace put back) and its stated hash.
fn split(line: &str) -> Option<(String, &str)> {
    let cut = line.len().checked_sub(HASH_TAIL)?;
    if !line.is_char_boundary(cut) {
        return None;
    }
    let (body, tail) = line.split_at(cut);
    let hash = tail.strip_prefix(HASH_FIELD)?.strip_suffix("\"}")?;
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| (format!("{body}}}"), hash))
}

/// The last line of a file, read from the end.
fn last_line(path: &Path) -> std::io::Result<Option<String>> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(None);
    }
    let end = if last_byte(&mut file, len)? == b'\n' {
        len - 1
    } else {
        len
    };
    let start = line_start(&mut file, end)?;
    let mut buf = vec![0; (end - start) as usize];
    file.seek(SeekFrom::Start(start))?;
    file.read_exact(&mut buf)?;
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// Cuts off a last line without its newline: the rest of a write that a crash interrupted. Its
/// append never returned (appends return after the fsync), so no caller relied on it.
pub(super) fn drop_torn_tail(path: &Path) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    if len == 0 || last_byte(&mut file, len)? == b'\n' {
        return Ok(());
    }
    let start = line_start(&mut file, len)?;
    file.set_len(start)?;
    file.sync_data()
}

fn last_byte(file: &mut File, len: u64) -> std::io::Result<u8> {
    let mut byte = [0];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut byte)?;
    Ok(byte[0])
}

/// Where the line that ends at `end` starts: after the last newline before `end`, or 0.
fn line_start(file: &mut File, end: u64) -> std::io::Result<u64> {
    const CHUNK: u64 = 8192;
    let mut to = end;
    while to > 0 {
        let from = to.saturating_sub(CHUNK);
        let mut buf = vec![0; (to - from) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut buf)?;
        if let Some(newline) = buf.iter().rposition(|&b| b == b'\n') {
            return Ok(from + newline as u64 + 1);
        }
        to = from;
    }
    Ok(0)
}
