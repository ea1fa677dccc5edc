use std::collections::HashMap;

use minyi_corpus::{Record, Reject};
use serde::Serialize;

use crate::{IndexError, Writer};

/// Records written (and embedded) together.
pub(crate) const BATCH: usize = 64;

/// What one import did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IngestReport {
    /// Records written (each distinct id once).
    pub accepted: u64,
    /// Rows that could not be used, with file, line and reason.
    pub rejected: Vec<Reject>,
    /// Ids that occurred more than once in this import, with their count; the last one was kept.
    pub duplicate_ids: Vec<(String, u32)>,
}

/// Upserts every good row of `rows` through `writer`, collecting the rejects; does not commit.
///
/// `progress` is called after each row with the rows seen so far and the rejects so far.
pub fn ingest(
    writer: &mut Writer,
    rows: impl Iterator<Item = Result<Record, Reject>>,
    mut progress: impl FnMut(u64, usize),
) -> Result<IngestReport, IndexError> {
    let mut report = IngestReport::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut rows_seen = 0;
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    for row in rows {
        rows_seen += 1;
        match row {
            Ok(record) => {
                *seen.entry(record.id.clone()).or_default() += 1;
                batch.push(record);
                if batch.len() == BATCH {
                    writer.upsert_batch(&batch)?;
                    batch.clear();
                }
            }
            Err(reject) => report.rejected.push(reject),
        }
        progress(rows_seen, report.rejected.len());
    }
    writer.upsert_batch(&batch)?;
    report.accepted = seen.len() as u64;
    report.duplicate_ids = seen.into_iter().filter(|(_, n)| *n > 1).collect();
    report.duplicate_ids.sort();
    Ok(report)
}
