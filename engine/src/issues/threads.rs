//! The threads that group, apart from rayon's shared pool and below other threads' priority.
//!
//! Grouping a large selection keeps both cores busy for seconds. In the shared pool every
//! operation of an ingest's embedding queued behind grouping's work, and one-record POSTs waited
//! five seconds while the hot-issue list was grouped. On threads of their own, niced, grouping
//! takes what the searches and the ingests leave, and all of the machine when they leave it all.

use std::sync::OnceLock;

use rayon::ThreadPool;

use crate::EngineError;

/// Niceness of the grouping threads (0 is normal, 19 the lowest priority).
const NICENESS: i32 = 10;

static GROUPING: OnceLock<ThreadPool> = OnceLock::new();

/// Runs `work`, and the parallel work it starts, on the grouping threads.
pub(crate) fn on_grouping_threads<T: Send>(
    work: impl FnOnce() -> T + Send,
) -> Result<T, EngineError> {
    let pool = match GROUPING.get() {
        Some(pool) => pool,
        None => {
            let pool = rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("minyi-grouping-{i}"))
                .start_handler(|_| lower_priority())
                .build()
                .map_err(|e| EngineError::Threads(e.to_string()))?;
            GROUPING.get_or_init(|| pool)
        }
    };
    Ok(pool.install(work))
}

/// Lowers the calling thread's priority to [`NICENESS`] (on Linux a thread has its own).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread, no memory passed.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        // Failing leaves the thread at normal priority, which is only slower for the others.
        libc::setpriority(libc::PRIO_PROCESS, thread, NICENESS);
    }
}
