//! Requests refused for lack of credentials (401), as the audit log records them without letting
//! an unauthenticated flood grow it without bound.
//!
//! From each address, the first refusal is written at once; the ones after it within
//! [`RefusalPolicy::window`] are only counted, and the next entry written for that address (its
//! first refusal after the window) says how many were left out before it, and on which routes.
//! Across all addresses at most [`RefusalPolicy::entries_per_window`] entries are written per
//! window; those over it are counted the same way, in the next entry written from anywhere. So a
//! flood costs at most that many lines a window, and every refusal is still counted. Refusals
//! after an address's last entry are in no entry until it is refused again (or forever, if it
//! never is): the log says a flood happened and its size up to its last window.
//!
//! Like the sign-in throttle it lives in memory and takes the time as an argument.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The coalescing limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusalPolicy {
    /// An address gets one entry per window.
    pub window: Duration,
    /// Entries for all addresses together, per window.
    pub entries_per_window: u32,
}

impl Default for RefusalPolicy {
    fn default() -> RefusalPolicy {
        RefusalPolicy {
            window: Duration::from_secs(60),
            entries_per_window: 100,
        }
    }
}

/// Routes named in one entry's count of left-out refusals; more are only counted.
const ROUTES_KEPT: usize = 10;
/// The longest route written; longer paths are cut (a flood may send any path).
const ROUTE_CHARS: usize = 200;
/// Beyond this many addresses, those quiet for a window are dropped on the next refusal.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
struct Left {
    count: u64,
    routes: BTreeSet<String>,
}

impl Left {
    fn add(&mut self, route: &str) {
        self.count += 1;
        if self.routes.len() < ROUTES_KEPT {
            self.routes.insert(route.to_string());
        }
    }

    fn take(&mut self) -> Option<Value> {
        (self.count > 0).then(|| {
            let left = std::mem::take(self);
            json!({ "count": left.count, "routes": left.routes })
        })
    }
}

#[derive(Debug)]
struct Address {
    written: Instant,
    left: Left,
}

/// Which 401s to write, and the counts of those left out.
#[derive(Debug)]
pub struct Refusals {
    policy: RefusalPolicy,
    addresses: HashMap<IpAddr, Address>,
    window_start: Option<Instant>,
    written_in_window: u32,
    /// Left out by the global limit, whatever the address.
    left_over_limit: Left,
}

impl Refusals {
    pub fn new(policy: RefusalPolicy) -> Refusals {
        Refusals {
            policy,
            addresses: HashMap::new(),
            window_start: None,
            written_in_window: 0,
            left_over_limit: Left::default(),
        }
    }

    /// A refusal of `route` from `address` at `now`: the details of the entry to write, or
    /// `None` when it is only counted.
    pub fn refused(&mut self, address: IpAddr, route: &str, now: Instant) -> Option<Value> {
        let route: String = route.chars().take(ROUTE_CHARS).collect();
        let window = self.policy.window;
        if self
            .window_start
            .is_none_or(|start| now.duration_since(start) >= window)
        {
            self.window_start = Some(now);
            self.written_in_window = 0;
        }
        if self.addresses.len() > PRUNE_ABOVE {
            self.addresses
                .retain(|_, a| now.duration_since(a.written) < window && a.left.count == 0);
        }
        if let Some(known) = self.addresses.get_mut(&address)
            && now.duration_since(known.written) < window
        {
            known.left.add(&route);
            return None;
        }
        if self.written_in_window >= self.policy.entries_per_window {
            self.left_over_limit.add(&route);
            return None;
        }
        self.written_in_window += 1;
        let entry = self.addresses.entry(address).or_insert(Address {
            written: now,
            left: Left::default(),
        });
        entry.written = now;
        let mut details = json!({ "route": route });
        if let Some(left) = entry.left.take() {
            details["left_out_before"] = left;
        }
        if let Some(left) = self.left_over_limit.take() {
            details["left_out_elsewhere"] = left;
        }
        Some(details)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));

    fn policy(entries: u32) -> RefusalPolicy {
        RefusalPolicy {
            window: Duration::from_secs(60),
            entries_per_window: entries,
        }
    }

    #[test]
    fn one_entry_per_address_and_window_counting_the_rest() {
        let mut refusals = Refusals::new(policy(100));
        let t0 = Instant::now();
        let first = refusals.refused(ONE, "/api/search", t0).unwrap();
        assert_eq!(first, json!({"route": "/api/search"}));
        for i in 0..500 {
            let route = if i % 2 == 0 { "/api/search" } else { "/api/me" };
            assert!(
                refusals
                    .refused(ONE, route, t0 + Duration::from_millis(i))
                    .is_none()
            );
        }
        let next = refusals
            .refused(ONE, "/api/records", t0 + Duration::from_secs(61))
            .unwrap();
        assert_eq!(
            next,
            json!({"route": "/api/records",
                   "left_out_before": {"count": 500, "routes": ["/api/me", "/api/search"]}})
        );
        // another address is not held up by the first one's window
        let other = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));
        assert!(
            refusals
                .refused(other, "/api/me", t0 + Duration::from_secs(62))
                .is_some()
        );
    }

    #[test]
    fn many_addresses_are_limited_together_and_counted() {
        let mut refusals = Refusals::new(policy(3));
        let t0 = Instant::now();
        let written = (0..50u8)
            .filter_map(|i| {
                let address = IpAddr::V4(std::net::Ipv4Addr::new(10, 1, 0, i));
                refusals.refused(address, "/api/search", t0)
            })
            .count();
        assert_eq!(written, 3);
        let later = refusals
            .refused(ONE, "/api/me", t0 + Duration::from_secs(60))
            .unwrap();
        assert_eq!(later["left_out_elsewhere"]["count"], 47);
    }

    #[test]
    fn long_routes_are_cut() {
        let mut refusals = Refusals::new(policy(3));
        let long = format!("/api/{}", "x".repeat(5000));
        let details = refusals.refused(ONE, &long, Instant::now()).unwrap();
        assert_eq!(details["route"].as_str().unwrap().chars().count(), 200);
    }
}
