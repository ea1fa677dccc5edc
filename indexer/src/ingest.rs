use std::collections::HashMap;
use std::time::{Duration, Instant};

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

/// Where an ingest is, for a progress line.
#[derive(Debug, Clone, Copy)]
pub struct IngestProgress {
    /// Rows read so far from this input.
    pub rows: u64,
    /// Rows of this input rejected so far.
    pub rejected: usize,
    /// Records written and committed so far, over every input sharing the [`Checkpoints`].
    pub committed: u64,
    /// Whether this row's batch ended in a checkpoint commit.
    pub checkpoint: bool,
}

/// When a long import commits what it wrote so far, so that a crash (SIGKILL, power loss, a
/// full disk) loses at most the work since the last checkpoint instead of the whole import.
///
/// A commit costs a flush of tantivy's segments and an fsync of the vectors, so checkpoints are
/// neither per record nor per batch: after [`Checkpoints::IMPORT_RECORDS`] records or
/// [`Checkpoints::IMPORT_INTERVAL`], whichever comes first. One `Checkpoints` spans every input of
/// an import, so the records left over at the end of one file are committed with the next.
#[derive(Debug)]
pub struct Checkpoints {
    records: u64,
    interval: Duration,
    pending: u64,
    committed: u64,
    count: u32,
    last: Instant,
}

impl Checkpoints {
    /// Records between two checkpoints of `minyi index`: without a model, some seconds of work.
    pub const IMPORT_RECORDS: u64 = 10_000;
    /// Time between two checkpoints of `minyi index`: with a model, embedding makes 10,000
    /// records take minutes, and a crash should cost less than that.
    pub const IMPORT_INTERVAL: Duration = Duration::from_secs(30);

    /// A checkpoint after `records` records or `interval`, whichever comes first.
    pub fn every(records: u64, interval: Duration) -> Checkpoints {
        Checkpoints {
            records,
            interval,
            pending: 0,
            committed: 0,
            count: 0,
            last: Instant::now(),
        }
    }

    /// No checkpoints: the caller commits once (a reindex must switch every record at once, an
    /// API ingest answers after its single commit).
    pub fn never() -> Checkpoints {
        Checkpoints::every(u64::MAX, Duration::MAX)
    }

    /// The checkpoints of `minyi index` (see the README, "Importing").
    pub fn import() -> Checkpoints {
        Checkpoints::every(Checkpoints::IMPORT_RECORDS, Checkpoints::IMPORT_INTERVAL)
    }

    /// Records written and committed so far.
    pub fn committed(&self) -> u64 {
        self.committed
    }

    /// Checkpoint commits made so far (the final commit not included).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Counts `n` records written through `writer`, and commits when a checkpoint is due.
    fn written(&mut self, writer: &mut Writer, n: usize) -> Result<bool, IndexError> {
        self.pending += n as u64;
        let due = self.pending >= self.records || self.last.elapsed() >= self.interval;
        if due {
            self.commit(writer)?;
            self.count += 1;
        }
        Ok(due)
    }

    /// Commits everything written through `writer` since the last checkpoint.
    pub fn commit(&mut self, writer: &mut Writer) -> Result<(), IndexError> {
        writer.commit()?;
        self.committed += self.pending;
        self.pending = 0;
        self.last = Instant::now();
        Ok(())
    }
}

/// Upserts every good row of `rows` through `writer`, collecting the rejects; does not commit.
///
/// `progress` is called after each row with the rows seen so far and the rejects so far.
pub fn ingest(
    writer: &mut Writer,
    rows: impl Iterator<Item = Result<Record, Reject>>,
    mut progress: impl FnMut(u64, usize),
) -> Result<IngestReport, IndexError> {
    ingest_in_checkpoints(writer, rows, &mut Checkpoints::never(), |p| {
        progress(p.rows, p.rejected)
    })
}

/// Upserts every good row of `rows` through `writer` as [`ingest`] does, committing at each of
/// `checkpoints`; what is written after the last checkpoint is left for the caller to commit
/// ([`Checkpoints::commit`]).
pub fn ingest_in_checkpoints(
    writer: &mut Writer,
    rows: impl Iterator<Item = Result<Record, Reject>>,
    checkpoints: &mut Checkpoints,
    mut progress: impl FnMut(IngestProgress),
) -> Result<IngestReport, IndexError> {
    let mut report = IngestReport::default();
    let mut ids = IdCounts::default();
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    for (row_index, row) in rows.enumerate() {
        let mut checkpoint = false;
        match row {
            Ok(record) => {
                ids.add(&record);
                batch.push(record);
                if batch.len() == BATCH {
                    writer.upsert_batch(&batch)?;
                    checkpoint = checkpoints.written(writer, batch.len())?;
                    batch.clear();
                }
            }
            Err(reject) => report.rejected.push(reject),
        }
        progress(IngestProgress {
            rows: row_index as u64 + 1,
            rejected: report.rejected.len(),
            committed: checkpoints.committed(),
            checkpoint,
        });
    }
    writer.upsert_batch(&batch)?;
    checkpoints.pending += batch.len() as u64;
    ids.report(&mut report);
    Ok(report)
}

/// The good rows of `rows` in order, and the report an ingest of them would give, without
/// writing anything: for a caller that writes them later in one batch with others' records
/// (the engine's grouped commits).
pub fn read_rows(
    rows: impl Iterator<Item = Result<Record, Reject>>,
) -> (IngestReport, Vec<Record>) {
    let mut report = IngestReport::default();
    let mut ids = IdCounts::default();
    let mut records = Vec::new();
    for row in rows {
        match row {
            Ok(record) => {
                ids.add(&record);
                records.push(record);
            }
            Err(reject) => report.rejected.push(reject),
        }
    }
    ids.report(&mut report);
    (report, records)
}

/// How often each record id occurred in one import.
#[derive(Default)]
struct IdCounts(HashMap<String, u32>);

impl IdCounts {
    fn add(&mut self, record: &Record) {
        *self.0.entry(record.id.clone()).or_default() += 1;
    }

    /// Fills in `report`'s accepted count (each id once) and the ids that came more than once.
    fn report(self, report: &mut IngestReport) {
        report.accepted = self.0.len() as u64;
        report.duplicate_ids = self.0.into_iter().filter(|(_, n)| *n > 1).collect();
        report.duplicate_ids.sort();
    }
}
