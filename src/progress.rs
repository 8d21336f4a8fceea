//! Progress reporting for long runs. The library never prints: it calls a [`Progress`]
//! callback (carried in [`crate::eval::EvalOptions`] and [`crate::compare::CompareOptions`] as a
//! [`ProgressHandle`]) and the CLI turns the calls into a progress bar.
//!
//! Calls are cheap by construction: parallel loops count in a per-job [`Counter`] and report
//! once per [`PROGRESS_CHUNK`] items (and the remainder when the job ends), never once per
//! segment; the default handle does nothing. Work is still split by rayon as finely as
//! without progress.
//! Progress never changes results: the work is the same with and without a callback.

use std::fmt;
use std::sync::Arc;

/// Items (segments, documents, resamples) processed between two progress calls. Large enough
/// that the callback's cost is negligible next to scoring the chunk.
pub const PROGRESS_CHUNK: usize = 256;

/// A receiver of progress reports. Stages run one after another: `start`, any number of `inc`,
/// `finish`. `inc` may be called from several threads at once.
pub trait Progress: Send + Sync {
    /// A stage begins (`"aligning"`, `"scoring BLEU"` ...) with `total` units of work.
    fn start(&self, stage: &str, total: u64);
    /// `n` more units of the current stage are done.
    fn inc(&self, n: u64);
    /// The current stage is over.
    fn finish(&self);
}

/// An optional [`Progress`] receiver; the default reports nothing. Cloning shares the receiver.
#[derive(Clone, Default)]
pub struct ProgressHandle(Option<Arc<dyn Progress>>);

impl ProgressHandle {
    /// A handle that reports to `p`.
    pub fn new(p: Arc<dyn Progress>) -> ProgressHandle {
        ProgressHandle(Some(p))
    }

    /// A handle that reports nothing (the default).
    pub fn none() -> ProgressHandle {
        ProgressHandle(None)
    }

    pub fn is_active(&self) -> bool {
        self.0.is_some()
    }

    pub fn start(&self, stage: &str, total: u64) {
        if let Some(p) = &self.0 {
            p.start(stage, total);
        }
    }

    pub fn inc(&self, n: u64) {
        if let Some(p) = &self.0 {
            p.inc(n);
        }
    }

    pub fn finish(&self) {
        if let Some(p) = &self.0 {
            p.finish();
        }
    }

    /// A local counter for one parallel job (e.g. rayon's `map_init`): [`Counter::tick`] is a
    /// local increment, reported every [`PROGRESS_CHUNK`] ticks and when the counter is dropped.
    pub fn counter(&self) -> Counter<'_> {
        Counter {
            handle: self,
            pending: 0,
        }
    }
}

/// Counts units locally and reports them to a [`ProgressHandle`] in chunks; the remainder is
/// reported on drop.
pub struct Counter<'a> {
    handle: &'a ProgressHandle,
    pending: u64,
}

impl Counter<'_> {
    /// One more unit done. O(1); calls the receiver once per [`PROGRESS_CHUNK`] ticks.
    pub fn tick(&mut self) {
        if self.handle.0.is_none() {
            return;
        }
        self.pending += 1;
        if self.pending >= PROGRESS_CHUNK as u64 {
            self.handle.inc(self.pending);
            self.pending = 0;
        }
    }
}

impl Drop for Counter<'_> {
    fn drop(&mut self) {
        if self.pending > 0 {
            self.handle.inc(self.pending);
        }
    }
}

impl fmt::Debug for ProgressHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressHandle(active)"
        } else {
            "ProgressHandle(none)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Mutex;

    #[derive(Default)]
    struct Count {
        stages: Mutex<Vec<(String, u64)>>,
        done: AtomicU64,
        finished: AtomicU64,
    }

    impl Progress for Count {
        fn start(&self, stage: &str, total: u64) {
            if let Ok(mut s) = self.stages.lock() {
                s.push((stage.to_string(), total));
            }
        }
        fn inc(&self, n: u64) {
            self.done.fetch_add(n, Ordering::Relaxed);
        }
        fn finish(&self) {
            self.finished.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn handle_forwards_and_default_is_silent() {
        let c = Arc::new(Count::default());
        let h = ProgressHandle::new(c.clone());
        h.start("x", 10);
        h.inc(4);
        h.inc(6);
        h.finish();
        assert_eq!(c.done.load(Ordering::Relaxed), 10);
        assert_eq!(c.finished.load(Ordering::Relaxed), 1);
        assert_eq!(
            c.stages.lock().map(|s| s.clone()).unwrap_or_default(),
            vec![("x".to_string(), 10)]
        );
        {
            let mut c1 = h.counter();
            for _ in 0..(PROGRESS_CHUNK + 3) {
                c1.tick();
            }
        }
        assert_eq!(
            c.done.load(Ordering::Relaxed),
            10 + PROGRESS_CHUNK as u64 + 3
        );
        let none = ProgressHandle::default();
        assert!(!none.is_active());
        none.inc(1);
        assert_eq!(format!("{none:?}"), "ProgressHandle(none)");
    }
}
