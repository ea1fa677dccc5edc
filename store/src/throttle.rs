//! Slowing down password guessing: failed sign-ins per user and per address.
//!
//! Each key (a user name, a client address) has a count of recent failures. The first few are
//! free; after that each failure locks the key for twice as long as the one before, up to a
//! cap. A key's count is forgotten after a quiet period. A sign-in is refused while either its
//! user or its address is locked, with the seconds to wait (for `Retry-After`). Addresses get
//! more free failures than users: offices sign in through one NAT address.
//!
//! It lives in memory (a restart forgets it, which costs an attacker a restart of the server)
//! and takes the time as an argument, so it is tested without sleeping.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The throttle's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub free_failures_per_user: u32,
    pub free_failures_per_address: u32,
    /// The lock after the first failure beyond the free ones; each further failure doubles it.
    pub first_lock: Duration,
    pub max_lock: Duration,
    /// A key without failures for this long starts again from zero.
    pub forget_after: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> ThrottlePolicy {
        ThrottlePolicy {
            free_failures_per_user: 5,
            free_failures_per_address: 20,
            first_lock: Duration::from_secs(1),
            max_lock: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(60 * 60),
        }
    }
}

/// Beyond this many keys, forgotten ones are dropped on the next failure, so that a flood of
/// invented names cannot grow the maps without bound.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    locked_until: Instant,
}

/// Failed sign-ins per user and per address.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    users: HashMap<String, Failures>,
    addresses: HashMap<IpAddr, Failures>,
}

impl LoginThrottle {
    pub fn new(policy: ThrottlePolicy) -> LoginThrottle {
        LoginThrottle {
            policy,
            ..LoginThrottle::default()
        }
    }

    /// Before checking a password: `Err(seconds)` to wait when the user or address is locked.
    pub fn check(&self, user: &str, address: IpAddr, now: Instant) -> Result<(), u64> {
        let wait = |f: Option<&Failures>| {
            f.map_or(Duration::ZERO, |f| {
                f.locked_until.saturating_duration_since(now)
            })
        };
        let longest = wait(self.users.get(user)).max(wait(self.addresses.get(&address)));
        if longest.is_zero() {
            Ok(())
        } else {
            // Round up: waiting the rounded-down time would still be refused.
            Err(longest.as_secs() + u64::from(longest.subsec_nanos() > 0))
        }
    }

    /// Records a wrong password (or unknown user).
    pub fn failed(&mut self, user: &str, address: IpAddr, now: Instant) {
        let policy = self.policy;
        fail(
            &mut self.users,
            user.to_string(),
            policy.free_failures_per_user,
            &policy,
            now,
        );
        fail(
            &mut self.addresses,
            address,
            policy.free_failures_per_address,
            &policy,
            now,
        );
    }

    /// Records a successful sign-in: the user's failures are forgotten. The address keeps its
    /// count, or an attacker could reset it by signing in to an account of their own.
    pub fn succeeded(&mut self, user: &str) {
        self.users.remove(user);
    }
}

fn fail<K: Hash + Eq>(
    map: &mut HashMap<K, Failures>,
    key: K,
    free: u32,
    policy: &ThrottlePolicy,
    now: Instant,
) {
    if map.len() > PRUNE_ABOVE {
        map.retain(|_, f| now.saturating_duration_since(f.last) < policy.forget_after);
    }
    let entry = map.entry(key).or_insert(Failures {
        count: 0,
        last: now,
        locked_until: now,
    });
    if now.saturating_duration_since(entry.last) >= policy.forget_after {
        entry.count = 0;
    }
    entry.count += 1;
    entry.last = now;
    if let Some(beyond) = entry.count.checked_sub(free + 1) {
        let lock = policy
            .first_lock
            .saturating_mul(2u32.saturating_pow(beyond.min(31)))
            .min(policy.max_lock);
        entry.locked_until = now + lock;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 7));
    const OFFICE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 8));

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn locks_a_user_after_the_free_failures_for_doubling_times() {
        let mut throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(throttle.check("wang", HOME, t0 + secs(i)), Ok(()));
            throttle.failed("wang", HOME, t0 + secs(i));
        }
        assert_eq!(throttle.check("wang", HOME, t0 + secs(5)), Ok(()));
        throttle.failed("wang", HOME, t0 + secs(5));
        assert_eq!(throttle.check("wang", HOME, t0 + secs(5)), Err(1));
        // The user is locked from every address, and the address only for that user so far.
        assert_eq!(throttle.check("wang", OFFICE, t0 + secs(5)), Err(1));
        assert_eq!(throttle.check("li", HOME, t0 + secs(5)), Ok(()));
        assert_eq!(throttle.check("wang", HOME, t0 + secs(6)), Ok(()));
        throttle.failed("wang", HOME, t0 + secs(6));
        assert_eq!(throttle.check("wang", HOME, t0 + secs(6)), Err(2));
        throttle.failed("wang", HOME, t0 + secs(8));
        assert_eq!(throttle.check("wang", HOME, t0 + secs(8)), Err(4));
        assert_eq!(
            throttle.check("wang", HOME, t0 + secs(8) + Duration::from_millis(500)),
            Err(4),
            "rounded up"
        );
    }

    #[test]
    fn caps_the_lock_and_forgets_after_a_quiet_hour() {
        let mut throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..40 {
            throttle.failed("wang", HOME, t0);
        }
        assert_eq!(throttle.check("wang", OFFICE, t0), Err(15 * 60));
        let later = t0 + secs(60 * 60);
        assert_eq!(throttle.check("wang", OFFICE, later), Ok(()));
        throttle.failed("wang", OFFICE, later);
        assert_eq!(
            throttle.check("wang", OFFICE, later),
            Ok(()),
            "counting starts again"
        );
    }

    #[test]
    fn locks_an_address_that_tries_many_users() {
        let mut throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..21 {
            throttle.failed(&format!("user{i}"), HOME, t0);
        }
        assert_eq!(throttle.check("anyone", HOME, t0), Err(1));
        assert_eq!(throttle.check("anyone", OFFICE, t0), Ok(()));
    }

    #[test]
    fn success_clears_the_user_but_not_the_address() {
        let mut throttle = LoginThrottle::new(ThrottlePolicy {
            free_failures_per_address: 6,
            ..ThrottlePolicy::default()
        });
        let t0 = Instant::now();
        for _ in 0..6 {
            throttle.failed("wang", HOME, t0);
        }
        assert_eq!(throttle.check("wang", OFFICE, t0), Err(1));
        throttle.succeeded("wang");
        assert_eq!(throttle.check("wang", OFFICE, t0), Ok(()));
        throttle.failed("wang", HOME, t0);
        assert_eq!(
            throttle.check("li", HOME, t0),
            Err(1),
            "seventh failure from the address"
        );
    }
}
