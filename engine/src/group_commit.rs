//! Grouped commits: concurrent ingests share one embedding pass and one commit, and one group's
//! embedding overlaps the commit of the group before.
//!
//! A commit flushes tantivy's segments and fsyncs the vectors, and each embedding call is a
//! forward pass; paid per request, sixteen clients posting one record each waited seconds for
//! each other. Instead each ingest checks its rows without the writer lock and stages its
//! records in the open [`Group`]; the first to stage leads it. When nothing is being embedded or
//! written the leader waits [`COMMIT_WINDOW`] for others; then it takes the embedding turn (which
//! the group before holds until it has the writer, so what arrives meanwhile joins, without the
//! window), closes the group, embeds every member's records in one pass, takes the writer, hands
//! the embedding turn on (so the next group embeds while this one writes: the two stages run at
//! once, and groups commit in the order they closed), writes and commits once for all. Every
//! member answers only after that commit, so an accepted record is durable, and a failed
//! embedding, write or commit fails every member of its group.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use minyi_corpus::Record;
use minyi_indexer::{EmbeddingModel, Writer};

/// How long the first ingest of a group waits for others when nothing is being embedded or
/// written.
pub const COMMIT_WINDOW: Duration = Duration::from_millis(50);

/// The most records a group embeds before it takes the writer (their vectors, ≈1.5 kB each, are
/// held until written). A larger group, a bulk `POST`, is embedded a batch at a time while it
/// writes, so that its memory stays bounded whatever the body's size.
const EMBED_AHEAD_MAX: usize = 256;

/// The group that takes records now.
#[derive(Default)]
pub(crate) struct Staging {
    open: Mutex<Option<Arc<Group>>>,
    /// The embedding turn: held by the group that embeds, until it has the writer.
    embedding: Mutex<()>,
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
    fn close(&self, group: &Arc<Group>) -> Vec<Record> {
        lock(&self.open).take_if(|open| Arc::ptr_eq(open, group));
        std::mem::take(&mut *lock(&group.records))
    }

    /// Whether a group is embedding now (or waiting for the writer with its vectors).
    pub(crate) fn embedding_busy(&self) -> bool {
        busy(&self.embedding)
    }

    /// Closes `group`, embeds its records with `model` (up to [`EMBED_AHEAD_MAX`] of them) and
    /// writes and commits them through `writer` (see the module's doc for the order of turns); on
    /// failure nothing of them stays.
    pub(crate) fn commit(
        &self,
        group: &Arc<Group>,
        model: Option<&EmbeddingModel>,
        writer: &Mutex<Writer>,
    ) -> Result<(), String> {
        let turn = lock(&self.embedding);
        let records = self.close(group);
        let vectors = match model.filter(|_| records.len() <= EMBED_AHEAD_MAX) {
            Some(model) => Some(unpanicked(|| {
                minyi_indexer::embed_records(model.embedder.as_ref(), &records)
                    .map_err(|e| e.to_string())
            })?),
            None => None,
        };
        let mut writer = lock(writer);
        drop(turn);
        write_and_commit(&mut writer, &records, vectors.as_deref())
    }
}

/// Whether another thread holds `mutex` now.
pub(crate) fn busy<T>(mutex: &Mutex<T>) -> bool {
    matches!(mutex.try_lock(), Err(TryLockError::WouldBlock))
}

/// Writes `records` (with their `vectors`, when embedded already) through `writer` and commits
/// them; on failure nothing of them stays.
fn write_and_commit(
    writer: &mut Writer,
    records: &[Record],
    vectors: Option<&[Vec<f32>]>,
) -> Result<(), String> {
    let written = unpanicked(|| {
        match vectors {
            Some(vectors) => writer.upsert_embedded(records, vectors),
            None => writer.upsert_batch(records),
        }
        .and_then(|()| writer.commit())
        .map_err(|e| e.to_string())
    });
    written.map_err(|e| match writer.rollback() {
        Ok(()) => e,
        Err(rollback) => format!("{e}; rolling back failed too: {rollback}"),
    })
}

/// Runs `work`, turning a panic (a bug in the embedding, say) into an error like any other: left
/// to unwind, it would keep the group's members waiting for ever and leave half the group in the
/// writer for the next group's commit.
fn unpanicked<T>(work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err("writing the records failed unexpectedly (a panic, in the server's log)".into())
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
