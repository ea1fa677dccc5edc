//! Grouped commits: concurrent ingests share one embedding pass and one commit.
//!
//! A commit flushes tantivy's segments and fsyncs the vectors, and each embedding call is a
//! forward pass; paid per request, sixteen clients posting one record each waited seconds for
//! each other. Instead each ingest checks its rows without the writer lock and stages its
//! records in the open [`Group`]; the first to stage leads it: when the writer is free it waits
//! [`COMMIT_WINDOW`] for others, then takes the writer lock (which the previous group's leader
//! holds until its commit, so what arrives meanwhile joins too, without the window), closes the group, writes every member's records with one
//! embedding batch and commits once for all. Every member answers only after that commit, so an
//! accepted record is durable, and a failed write or commit fails every member of its group.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use minyi_corpus::Record;
use minyi_indexer::Writer;

/// How long the first ingest of a group waits for others when no commit is under way.
pub const COMMIT_WINDOW: Duration = Duration::from_millis(50);

/// The group that takes records now.
#[derive(Default)]
pub(crate) struct Staging {
    open: Mutex<Option<Arc<Group>>>,
}

impl Staging {
    /// Adds `records` to the open group, opening one when there is none; `true` when the caller
    /// opened it and so leads it.
    pub(crate) fn stage(&self, records: Vec<Record>) -> (Arc<Group>, bool) {
        let mut open = lock(&self.open);
        let leads = open.is_none();
        let group = open.get_or_insert_with(Arc::default).clone();
        lock(&group.records).extend(records);
        (group, leads)
    }

    /// Closes `group` (later ingests open the next one) and takes its records, in the order
    /// they were staged.
    pub(crate) fn close(&self, group: &Arc<Group>) -> Vec<Record> {
        lock(&self.open).take_if(|open| Arc::ptr_eq(open, group));
        std::mem::take(&mut *lock(&group.records))
    }
}

/// Writes `records` through `writer` and commits them; on failure nothing of them stays.
pub(crate) fn write_and_commit(writer: &mut Writer, records: &[Record]) -> Result<(), String> {
    // A panic while writing (a bug in the embedding, say) fails the group like an error: left to
    // unwind, it would keep the members waiting for ever and leave half the group in the writer
    // for the next group's commit.
    let written = panic::catch_unwind(AssertUnwindSafe(|| {
        writer
            .upsert_batch(records)
            .and_then(|()| writer.commit())
            .map_err(|e| e.to_string())
    }))
    .unwrap_or_else(|_| {
        Err("writing the records failed unexpectedly (a panic, in the server's log)".into())
    });
    written.map_err(|e| match writer.rollback() {
        Ok(()) => e,
        Err(rollback) => format!("{e}; rolling back failed too: {rollback}"),
    })
}

/// Ingests waiting for one commit, and the records they staged.
#[derive(Default)]
pub(crate) struct Group {
    records: Mutex<Vec<Record>>,
    outcome: Mutex<Option<Result<(), String>>>,
    finished: Condvar,
}

impl Group {
    pub(crate) fn finish(&self, outcome: Result<(), String>) {
        *lock(&self.outcome) = Some(outcome);
        self.finished.notify_all();
    }

    /// Waits for the group's commit and says how it went.
    pub(crate) fn wait(&self) -> Result<(), String> {
        let mut outcome = lock(&self.outcome);
        loop {
            if let Some(done) = outcome.as_ref() {
                return done.clone();
            }
            outcome = self
                .finished
                .wait(outcome)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

/// Locks `mutex`, ignoring poisoning: a panic in one request must not make every later request
/// fail on the same lock.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
