//! Grouped commits: concurrent ingests share one commit.
//!
//! A commit flushes tantivy's segments and fsyncs the vectors; paid once per request, it made
//! sixteen clients posting one record each wait seconds for each other. Instead, each ingest
//! writes its rows under the writer lock and joins the open [`Group`]; the first to join leads
//! it: it waits [`COMMIT_WINDOW`] for others to join, then commits once for all of them. Every
//! member answers only after that commit, so an accepted record is durable, and a failed commit
//! fails every member of its group.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use minyi_indexer::{IndexError, Writer};

/// How long the first ingest of a group waits for others before the group commits.
pub const COMMIT_WINDOW: Duration = Duration::from_millis(50);

/// The writer, and the group its uncommitted writes belong to.
pub(crate) struct Writes {
    pub(crate) writer: Writer,
    open: Option<Arc<Group>>,
}

impl Writes {
    pub(crate) fn new(writer: Writer) -> Writes {
        Writes { writer, open: None }
    }

    /// Joins the open group with the writes just made, opening one when there is none; `true`
    /// when the caller opened it and so leads it.
    pub(crate) fn join(&mut self) -> (Arc<Group>, bool) {
        match &self.open {
            Some(group) => (group.clone(), false),
            None => {
                let group = Arc::new(Group::default());
                self.open = Some(group.clone());
                (group, true)
            }
        }
    }

    /// Takes the open group if it is `group`, to commit it; `None` when it was closed already
    /// (a failed write rolled it back).
    pub(crate) fn close(&mut self, group: &Arc<Group>) -> Option<Arc<Group>> {
        self.open.take_if(|open| Arc::ptr_eq(open, group))
    }

    /// Rolls back every uncommitted write and fails the open group: its members' rows are gone.
    pub(crate) fn abandon(&mut self, why: &str) -> Result<(), IndexError> {
        if let Some(group) = self.open.take() {
            group.finish(Err(format!(
                "another import in the same commit failed ({why}); nothing of this one was written"
            )));
        }
        self.writer.rollback()
    }
}

/// Ingests waiting for one commit.
#[derive(Default)]
pub(crate) struct Group {
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
