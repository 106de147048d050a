//! [`Clock`]: the simulator's notion of "now", which tests move forward without sleeping.
//!
//! Token expiry, order expiry, card capture and the callback retry schedule all read this clock,
//! never the system time directly, so `sim.advance(Duration::from_secs(901))` expires a 15-minute
//! token at once and deterministically.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

/// The simulator's clock: Unix milliseconds, either following the system clock or frozen at a
/// fixed instant, plus everything [`advance`](Clock::advance)d so far. Clones share the time.
///
/// ```
/// use std::time::Duration;
/// use ottpay_sim::Clock;
///
/// let clock = Clock::frozen_at(1_700_000_000_000);
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(clock.now_ms(), 1_700_000_060_000);
/// ```
#[derive(Clone, Debug)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// `None`: the system clock; `Some(ms)`: frozen at that instant.
    frozen_at: Option<i64>,
    offset_ms: AtomicI64,
    /// Bumped on every advance, so sleepers on the simulated time wake up.
    advanced: watch::Sender<u64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system clock plus the advances (the default). Real time passes, and tests can still
    /// jump ahead; the client under test, which reads the system clock, sees tokens expire early.
    pub fn system() -> Self {
        Clock::new(None)
    }

    /// A clock frozen at `unix_ms` milliseconds: it moves only when [`advance`](Clock::advance)d,
    /// so every time the simulator reports is reproducible.
    pub fn frozen_at(unix_ms: i64) -> Self {
        Clock::new(Some(unix_ms))
    }

    fn new(frozen_at: Option<i64>) -> Self {
        let (advanced, _) = watch::channel(0);
        Clock { inner: Arc::new(Inner { frozen_at, offset_ms: AtomicI64::new(0), advanced }) }
    }

    /// Now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let base = self.inner.frozen_at.unwrap_or_else(system_ms);
        base.saturating_add(self.inner.offset_ms.load(Ordering::Acquire))
    }

    /// Moves the clock forward by `by` (saturating at `i64::MAX` milliseconds) and wakes every
    /// task waiting for a simulated time (callback retries).
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ = self.inner.offset_ms.fetch_update(Ordering::AcqRel, Ordering::Acquire, |o| Some(o.saturating_add(ms)));
        self.inner.advanced.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Whether the clock moves only when advanced.
    pub fn is_frozen(&self) -> bool {
        self.inner.frozen_at.is_some()
    }

    /// Waits until the clock reads at least `due_ms`: sleeps in real time while the clock follows
    /// the system clock, and wakes early whenever it is advanced.
    pub(crate) async fn sleep_until(&self, due_ms: i64) {
        let mut advanced = self.inner.advanced.subscribe();
        loop {
            advanced.borrow_and_update();
            let now = self.now_ms();
            if now >= due_ms {
                return;
            }
            if self.is_frozen() {
                if advanced.changed().await.is_err() {
                    return;
                }
            } else {
                let wait = Duration::from_millis(u64::try_from(due_ms - now).unwrap_or(0));
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = advanced.changed() => {}
                }
            }
        }
    }
}

fn system_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_moves_only_when_advanced() {
        let clock = Clock::frozen_at(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(Duration::from_millis(500));
        assert_eq!(clock.clone().now_ms(), 1_500);
        assert!(clock.is_frozen());
    }

    #[test]
    fn system_follows_real_time_plus_offset() {
        let clock = Clock::system();
        let before = system_ms();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now_ms() >= before + 3_600_000);
    }

    #[tokio::test]
    async fn sleepers_wake_on_advance() {
        let clock = Clock::frozen_at(0);
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(10_000).await }
        });
        tokio::task::yield_now().await;
        clock.advance(Duration::from_secs(10));
        let woke = tokio::time::timeout(Duration::from_secs(10), sleeper).await;
        assert!(matches!(woke, Ok(Ok(()))));
    }
}
