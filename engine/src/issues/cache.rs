//! Sharing one grouping among the requests for the same issue list.
//!
//! Grouping a large selection takes a core for seconds, and the hot-issue list is what many
//! staff open at once. So each selection's latest list is kept with the index generation it
//! was grouped at:
//! - a request at that generation gets it at once;
//! - after a commit, the first request groups again while the others for the same selection
//!   get the list of the earlier generation at once, marked `stale` (rather than each
//!   grouping the same records again, or queueing behind it);
//! - with no list yet, they wait for the one being grouped;
//! - when requests came while it was grouped (the list is in demand), the selection then rests
//!   for [`REST_PER_GROUPING`] times as long as the grouping took, and requests meanwhile get the
//!   kept list, marked `stale` when commits came since. Under steady ingests (a commit a second)
//!   a large list would otherwise be grouped again and again, a core taken from the ingests'
//!   embedding and from the searches; resting, it takes at most a quarter of a core.
//!
//! So sequential use (a test, an office after its import: no request while another groups) always
//! gets a list of the current generation; only concurrent demand sees stale ones.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use super::IssueList;
use crate::EngineError;
use crate::group_commit::lock;

/// Selections kept; the least recently grouped goes first.
const MAX_SELECTIONS: usize = 32;
/// How many times its last grouping's duration a selection rests before it is grouped again.
const REST_PER_GROUPING: u32 = 3;

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
    /// Whether requests got the kept list while the selection was being grouped.
    asked_while_grouping: bool,
    /// Until when the selection rests after its last grouping.
    resting_until: Option<Instant>,
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
                Some((_, list))
                    if state.grouping
                        || state.resting_until.is_some_and(|t| Instant::now() < t) =>
                {
                    let mut list = (**list).clone();
                    list.stale = true;
                    state.asked_while_grouping |= state.grouping;
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
        let started = Instant::now();
        let list = group()?;
        let mut state = lock(&selection.state);
        if std::mem::take(&mut state.asked_while_grouping) {
            state.resting_until = Some(Instant::now() + started.elapsed() * REST_PER_GROUPING);
        }
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
    use std::time::Duration;

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

    /// Groups `all` at `generation` on another thread, taking a second.
    fn group_slowly(cache: &Arc<IssueCache>, generation: u64) -> thread::JoinHandle<IssueList> {
        let cache = cache.clone();
        let handle = thread::spawn(move || {
            let slow = || {
                thread::sleep(Duration::from_millis(1000));
                Ok(list(generation as usize))
            };
            cache.get("all".into(), generation, slow).unwrap()
        });
        thread::sleep(Duration::from_millis(300));
        handle
    }

    #[test]
    fn a_list_in_demand_rests_three_times_as_long_as_its_grouping_took() {
        let cache = Arc::new(IssueCache::default());
        cache.get("all".into(), 1, || Ok(list(1))).unwrap();
        let grouping = group_slowly(&cache, 2);
        let meanwhile = cache
            .get("all".into(), 2, || panic!("grouped twice"))
            .unwrap();
        assert_eq!((meanwhile.total_records, meanwhile.stale), (1, true));
        assert_eq!(grouping.join().unwrap().total_records, 2);

        let resting = cache
            .get("all".into(), 3, || panic!("grouped while resting"))
            .unwrap();
        assert_eq!((resting.total_records, resting.stale), (2, true));
        thread::sleep(Duration::from_millis(3100));
        let fresh = cache.get("all".into(), 3, || Ok(list(3))).unwrap();
        assert_eq!((fresh.total_records, fresh.stale), (3, false));
    }

    #[test]
    fn a_list_nobody_asked_for_meanwhile_is_grouped_again_at_once() {
        let cache = Arc::new(IssueCache::default());
        group_slowly(&cache, 1).join().unwrap();
        let next = cache.get("all".into(), 2, || Ok(list(2))).unwrap();
        assert_eq!((next.total_records, next.stale), (2, false));
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
