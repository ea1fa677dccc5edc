//! Sharing one grouping among the requests for the same issue list.
//!
//! Grouping a large selection takes a core for seconds, and the hot-issue list is what many
//! staff open at once. So each selection's latest list is kept with the index generation it
//! was grouped at:
//! - a request at that generation gets it at once;
//! - after a commit, the first request groups again while the others for the same selection
//!   get the list of the earlier generation at once, marked `stale` (rather than each
//!   grouping the same records again, or queueing behind it);
//! - with no list yet, they wait for the one being grouped.
//!
//! A request alone always gets a list of the current generation, so sequential use (a test, an
//! office after its import) never sees a stale one.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use super::IssueList;
use crate::EngineError;
use crate::group_commit::lock;

/// Selections kept; the least recently grouped goes first.
const MAX_SELECTIONS: usize = 32;

#[derive(Default)]
pub(crate) struct IssueCache {
    selections: Mutex<HashMap<String, Arc<Selection>>>,
}

#[derive(Default)]
struct Selection {
    state: Mutex<State>,
    grouped: Condvar,
}

#[derive(Default)]
struct State {
    latest: Option<(u64, Arc<IssueList>)>,
    grouping: bool,
}

impl IssueCache {
    /// The list of the selection `key` at index `generation`, grouped by `group` unless it is
    /// kept or being grouped (then the kept one, marked stale).
    pub(crate) fn get(
        &self,
        key: String,
        generation: u64,
        group: impl FnOnce() -> Result<IssueList, EngineError>,
    ) -> Result<IssueList, EngineError> {
        let selection = self.selection(key);
        let mut state = lock(&selection.state);
        loop {
            match &state.latest {
                Some((at, list)) if *at >= generation => return Ok((**list).clone()),
                Some((_, list)) if state.grouping => {
                    let mut list = (**list).clone();
                    list.stale = true;
                    return Ok(list);
                }
                None if state.grouping => {
                    state = selection
                        .grouped
                        .wait(state)
                        .unwrap_or_else(|p| p.into_inner());
                }
                _ => break,
            }
        }
        state.grouping = true;
        drop(state);
        // Cleared however grouping ends, so that waiters never wait for nobody.
        let _done = Done(&selection);
        let list = group()?;
        let mut state = lock(&selection.state);
        if state.latest.as_ref().is_none_or(|(at, _)| *at < generation) {
            state.latest = Some((generation, Arc::new(list.clone())));
        }
        Ok(list)
    }

    fn selection(&self, key: String) -> Arc<Selection> {
        let mut selections = lock(&self.selections);
        if !selections.contains_key(&key) && selections.len() >= MAX_SELECTIONS {
            let oldest = selections
                .iter()
                .min_by_key(|(_, s)| lock(&s.state).latest.as_ref().map_or(0, |(at, _)| *at))
                .map(|(k, _)| k.clone());
            oldest.map(|k| selections.remove(&k));
        }
        selections.entry(key).or_default().clone()
    }
}

/// Marks a selection's grouping finished when dropped, and wakes those waiting for it.
struct Done<'a>(&'a Selection);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        lock(&self.0.state).grouping = false;
        self.0.grouped.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::thread;

    use super::*;

    fn list(total_records: usize) -> IssueList {
        IssueList {
            total_records,
            grouped_records: 0,
            total_issues: 0,
            as_of: None,
            issues: Vec::new(),
            category_spikes: Vec::new(),
            stale: false,
        }
    }

    #[test]
    fn a_selection_is_grouped_once_per_generation() {
        let cache = IssueCache::default();
        let key = || "all".to_string();
        assert_eq!(
            cache.get(key(), 1, || Ok(list(1))).unwrap().total_records,
            1
        );
        let kept = cache.get(key(), 1, || panic!("grouped twice")).unwrap();
        assert_eq!((kept.total_records, kept.stale), (1, false));
        // After a commit, a request alone gets the new generation's list.
        let fresh = cache.get(key(), 2, || Ok(list(2))).unwrap();
        assert_eq!((fresh.total_records, fresh.stale), (2, false));
        // Another selection is grouped on its own.
        assert_eq!(
            cache
                .get("other".into(), 2, || Ok(list(7)))
                .unwrap()
                .total_records,
            7
        );
    }

    #[test]
    fn while_one_request_groups_again_the_others_get_the_list_before_marked_stale() {
        let cache = Arc::new(IssueCache::default());
        cache.get("all".into(), 1, || Ok(list(1))).unwrap();
        let (started, wait_started) = mpsc::channel();
        let (finish, wait_finish) = mpsc::channel::<()>();
        let grouping = {
            let cache = cache.clone();
            thread::spawn(move || {
                cache
                    .get("all".into(), 2, || {
                        started.send(()).unwrap();
                        wait_finish.recv().unwrap();
                        Ok(list(2))
                    })
                    .unwrap()
            })
        };
        wait_started.recv().unwrap();
        let meanwhile = cache
            .get("all".into(), 2, || panic!("grouped twice"))
            .unwrap();
        assert_eq!((meanwhile.total_records, meanwhile.stale), (1, true));
        finish.send(()).unwrap();
        assert_eq!(grouping.join().unwrap().total_records, 2);
        let after = cache
            .get("all".into(), 2, || panic!("grouped twice"))
            .unwrap();
        assert_eq!((after.total_records, after.stale), (2, false));
    }

    #[test]
    fn a_failed_grouping_leaves_the_next_request_to_group() {
        let cache = IssueCache::default();
        let failed = cache.get("all".into(), 1, || Err(EngineError::NoSemantic("x".into())));
        assert!(failed.is_err());
        assert_eq!(
            cache
                .get("all".into(), 1, || Ok(list(3)))
                .unwrap()
                .total_records,
            3
        );
    }
}
