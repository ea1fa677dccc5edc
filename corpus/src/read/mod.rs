//! Reading records from files and uploads.
//!
//! Every reader yields `Result<Record, Reject>` one row at a time: a bad row becomes a [`Reject`]
//! naming its file, line and reason, and reading goes on with the next row. Only a problem with the
//! whole input (cannot open it, unknown format, not a spreadsheet) is a [`ReadError`].
//! [`RecordReader::refusing`] rejects, at their own line, the records a caller may not write
//! (a user scoped to districts importing another district's record).

mod csv;
mod json;
mod xlsx;

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::fields::FieldMapping;
use crate::record::{Record, scalar_text};

/// A row that could not be ingested, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// The file (or upload name) the row came from.
    pub file: String,
    /// 1-based line of a JSON Lines or CSV file, row of a spreadsheet, or element of a JSON array.
    pub line: u64,
    /// The row's id, when it had a readable one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub reason: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(id) = &self.id {
            write!(f, "record `{id}`: ")?;
        }
        f.write_str(&self.reason)
    }
}

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: unsupported file type (expected .jsonl, .json, .csv, .xlsx or .xls)")]
    UnsupportedFormat { path: String },
    #[error("{path}: {reason}")]
    Malformed { path: String, reason: String },
}

/// The input formats minyi reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines, or one JSON array of objects (told apart by the first character).
    Json,
    /// Comma-separated values with a header row, UTF-8 or GBK/GB18030.
    Csv,
    /// An Excel workbook; the first sheet is read, its first row is the header.
    Spreadsheet,
}

impl Format {
    /// The format a file name's extension stands for.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" | "xls" | "xlsm" => Some(Format::Spreadsheet),
            _ => None,
        }
    }
}

/// A record with the line (CSV, JSON Lines), element (JSON array) or row (spreadsheet) it came from.
pub(crate) struct Placed {
    line: u64,
    record: Record,
}

/// Why a record that was read may not be written, or `Ok`.
pub type RowCheck = Box<dyn Fn(&Record) -> Result<(), String> + Send>;

/// Records read from one input, one row at a time.
pub struct RecordReader {
    name: String,
    rows: Box<dyn Iterator<Item = Result<Placed, Reject>> + Send>,
    check: Option<RowCheck>,
}

impl Iterator for RecordReader {
    type Item = Result<Record, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        let Placed { line, record } = match self.rows.next()? {
            Ok(placed) => placed,
            Err(reject) => return Some(Err(reject)),
        };
        if let Some(Err(reason)) = self.check.as_ref().map(|check| check(&record)) {
            return Some(Err(Reject {
                file: self.name.clone(),
                line,
                id: Some(record.id),
                reason,
            }));
        }
        Some(Ok(record))
    }
}

impl RecordReader {
    /// Opens a file, choosing the reader by its extension.
    pub fn open(path: &Path, mapping: &FieldMapping) -> Result<RecordReader, ReadError> {
        let name = path.display().to_string();
        let format = Format::from_path(path)
            .ok_or_else(|| ReadError::UnsupportedFormat { path: name.clone() })?;
        let file = File::open(path).map_err(|source| ReadError::Io {
            path: name.clone(),
            source,
        })?;
        Self::from_reader(name, format, BufReader::new(file), mapping)
    }

    /// Reads an upload held in memory; `name` is used in rejects.
    pub fn from_bytes(
        name: &str,
        format: Format,
        bytes: Vec<u8>,
        mapping: &FieldMapping,
    ) -> Result<RecordReader, ReadError> {
        Self::from_reader(name.to_string(), format, Cursor::new(bytes), mapping)
    }

    fn from_reader<R: Read + std::io::Seek + Send + 'static>(
        name: String,
        format: Format,
        input: R,
        mapping: &FieldMapping,
    ) -> Result<RecordReader, ReadError> {
        let file = name.clone();
        let rows: Box<dyn Iterator<Item = Result<Placed, Reject>> + Send> = match format {
            Format::Json => Box::new(json::rows(file, input, mapping.clone())?),
            Format::Csv => Box::new(csv::rows(file, input, mapping.clone())?),
            Format::Spreadsheet => Box::new(xlsx::rows(file, input, mapping.clone())?),
        };
        Ok(RecordReader {
            name,
            rows,
            check: None,
        })
    }

    /// Rejects, with their line and `check`'s reason, the records `check` refuses.
    pub fn refusing(self, check: RowCheck) -> RecordReader {
        RecordReader {
            check: Some(check),
            ..self
        }
    }
}

/// Expands `inputs` into the readable files they name: files as given, directories walked
/// recursively in name order, keeping only known extensions.
pub fn read_path(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|source| ReadError::Io {
            path: input.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            collect_dir(input, &mut files)?;
        } else if Format::from_path(input).is_some() {
            files.push(input.clone());
        } else {
            return Err(ReadError::UnsupportedFormat {
                path: input.display().to_string(),
            });
        }
    }
    Ok(files)
}

fn collect_dir(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let io = |source| ReadError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_dir(&path, files)?;
        } else if Format::from_path(&path).is_some() {
            files.push(path);
        }
    }
    Ok(())
}

/// Turns one row's named values into a record or a reject at `file:line`.
fn to_record(
    file: &str,
    line: u64,
    fields: Vec<(String, Value)>,
    mapping: &FieldMapping,
) -> Result<Placed, Reject> {
    let id = fields
        .iter()
        .find(|(name, _)| mapping.field_for(name) == Some("id"))
        .and_then(|(_, v)| scalar_text("id", v.clone()).ok())
        .map(|id| shortened(id.trim()))
        .filter(|id| !id.is_empty());
    Record::from_fields(fields, mapping)
        .map(|record| Placed { line, record })
        .map_err(|e| Reject {
            file: file.to_string(),
            line,
            id,
            reason: e.to_string(),
        })
}

/// An id as a reject names it: a 10 kB id is itself the problem, and is not repeated whole.
fn shortened(id: &str) -> String {
    const SHOWN: usize = 64;
    match id.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &id[..end]),
        None => id.to_string(),
    }
}

fn reject(file: &str, line: u64, reason: impl Into<String>) -> Reject {
    Reject {
        file: file.to_string(),
        line,
        id: None,
        reason: reason.into(),
    }
}
