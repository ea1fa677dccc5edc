//! Shedding heavy requests: grouping a large selection into issues (the issue list and its
//! exports, the draft-law view, topic reports) takes a core for up to seconds, so at most
//! [`HeavyLimit`] of them run at once. A few more may wait for a slot, each for at most
//! [`MAX_WAIT`]; beyond that they are answered 503 with `Retry-After` at once, so that a burst
//! neither starves searches and record reads (which are never shed) nor piles up work nobody
//! waits for any more. Nothing queues without bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::AppState;
use super::error::{ApiError, blocking};

/// Seconds a shed request is told to wait before trying again.
pub const RETRY_AFTER_SECONDS: u32 = 1;
/// The longest a heavy request waits for a slot before it is shed.
pub const MAX_WAIT: Duration = Duration::from_secs(2);
/// Heavy requests that may wait for a slot, per slot.
pub const WAITING_PER_SLOT: usize = 2;

/// How many heavy requests may run at once, and how many more may wait.
#[derive(Clone)]
pub struct HeavyLimit {
    slots: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

impl HeavyLimit {
    /// At most `n` at once (at least one), and `n` × [`WAITING_PER_SLOT`] waiting.
    pub fn new(n: usize) -> HeavyLimit {
        HeavyLimit {
            slots: Arc::new(Semaphore::new(n.max(1))),
            waiting: Arc::default(),
            max_waiting: n.max(1) * WAITING_PER_SLOT,
        }
    }

    /// A slot: at once when one is free, else after waiting in line when the line is short.
    async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Some(permit);
        }
        let in_line = self.waiting.fetch_add(1, Ordering::SeqCst);
        let permit = if in_line < self.max_waiting {
            tokio::time::timeout(MAX_WAIT, self.slots.clone().acquire_owned())
                .await
                .ok()
                .and_then(Result::ok)
        } else {
            None
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        permit
    }

    /// One per core, the default: each runs on one core.
    pub fn per_core() -> HeavyLimit {
        HeavyLimit::new(std::thread::available_parallelism().map_or(1, usize::from))
    }
}

/// The right to run one heavy request, held until its work is done.
pub(super) struct Heavy(OwnedSemaphorePermit);

impl FromRequestParts<AppState> for Heavy {
    type Rejection = ApiError;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Heavy, ApiError> {
        match state.heavy.acquire().await {
            Some(permit) => Ok(Heavy(permit)),
            None => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "too many issue groupings, exports and reports are running: try again shortly",
            )
            .with_header(header::RETRY_AFTER, RETRY_AFTER_SECONDS)),
        }
    }
}

impl Heavy {
    /// Runs `work` off the async executor, holding the permit until it ends (also when the
    /// client has gone away meanwhile).
    pub(super) async fn run<T: Send + 'static, E: Into<ApiError> + Send + 'static>(
        self,
        work: impl FnOnce() -> Result<T, E> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self.0;
        blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
    }
}
