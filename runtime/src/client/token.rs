//! The bearer-token cache: one token shared by every call, refreshed once however many calls
//! need it at the same moment (single flight).
//!
//! A token is reused until `margin` before the `expired` time the server gave (Unix
//! milliseconds). A token whose remaining lifetime is shorter than twice the margin is reused
//! for half of it, so a short-lived token is still used rather than refetched on every call.
//! An `expired` too small to be milliseconds is read as Unix seconds.
//! A token that is already expired by the local clock is used only by the calls that were
//! waiting for it. A token the server rejects is dropped with [`TokenCache::invalidate`], which
//! only drops it if no other call has replaced it already.
//!
//! A failed fetch is shared the same way: every call that was waiting for it gets its error (no
//! call repeats a fetch that just failed), and for `failure_cooldown` afterwards new calls get it
//! too instead of fetching again, so a broken token endpoint costs one fetch (with its own
//! retries) per cooldown, not one per call.

use std::sync::Mutex as StdMutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderValue;
use tokio::sync::Mutex;

/// A token with the instant after which it is no longer handed out.
#[derive(Clone)]
pub(crate) struct Token {
    /// The `Authorization` header carrying the bearer token, built once per token (and marked
    /// sensitive).
    pub(crate) header: HeaderValue,
    /// Distinguishes tokens, so a stale rejection cannot drop a newer token.
    pub(crate) generation: u64,
    refresh_at: Instant,
}

/// The state behind the refresh lock: the last token generation and the last failed fetch.
struct Refresh<E> {
    generation: u64,
    failure: Option<Failure<E>>,
}

/// A fetch that failed: when, which fetch it was, and its error.
struct Failure<E> {
    at: Instant,
    fetch: u64,
    error: E,
}

/// The shared token state of a client; `E` is the error of a failed fetch.
pub(crate) struct TokenCache<E> {
    current: StdMutex<Option<Token>>,
    refresh: Mutex<Refresh<E>>,
    /// Fetches finished so far, successful or not.
    fetches: AtomicU64,
    margin: Duration,
    failure_cooldown: Duration,
}

impl<E: Clone> TokenCache<E> {
    pub(crate) fn new(margin: Duration, failure_cooldown: Duration) -> Self {
        TokenCache {
            current: StdMutex::new(None),
            refresh: Mutex::new(Refresh { generation: 0, failure: None }),
            fetches: AtomicU64::new(0),
            margin,
            failure_cooldown,
        }
    }

    /// The cached token, fresh or not.
    fn cached(&self) -> Option<Token> {
        self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// A fresh token: the cached one, or one obtained by `fetch`. Concurrent callers that find
    /// no fresh token wait for the one refresh in progress instead of starting their own, and
    /// share its outcome, error included.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Token, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(HeaderValue, i64), E>>,
    {
        let seen = self.cached();
        if let Some(token) = seen.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(token.clone());
        }
        let seen = seen.map(|t| t.generation);
        let fetches_before = self.fetches.load(Ordering::Acquire);
        let mut state = self.refresh.lock().await;
        // Someone else may have fetched a token while we waited for the lock: use it, even
        // if it is short-lived, so one refresh serves every call that was waiting.
        if let Some(token) = self.cached()
            && (Some(token.generation) != seen || Instant::now() < token.refresh_at)
        {
            return Ok(token);
        }
        // Or their fetch failed: share its error rather than fetching again, as does a new call
        // within the cooldown.
        if let Some(failure) = &state.failure
            && (failure.fetch > fetches_before || failure.at.elapsed() < self.failure_cooldown)
        {
            return Err(failure.error.clone());
        }
        let outcome = fetch().await;
        let fetch_number = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        let (header, expired_ms) = match outcome {
            Ok(ok) => ok,
            Err(error) => {
                state.failure = Some(Failure { at: Instant::now(), fetch: fetch_number, error: error.clone() });
                return Err(error);
            }
        };
        state.failure = None;
        state.generation += 1;
        let token =
            Token { header, generation: state.generation, refresh_at: Instant::now() + self.reuse_for(expired_ms) };
        *self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(token.clone());
        Ok(token)
    }

    /// Drops the token of `generation` if it is still the cached one.
    pub(crate) fn invalidate(&self, generation: u64) {
        let mut guard = self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.as_ref().is_some_and(|t| t.generation == generation) {
            *guard = None;
        }
    }

    /// How long a token expiring at `expired_ms` (Unix ms) is handed out from now.
    fn reuse_for(&self, expired_ms: i64) -> Duration {
        let expired_ms = as_millis(expired_ms);
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let remaining =
            u64::try_from(i128::from(expired_ms) - i128::try_from(now_ms).unwrap_or(i128::MAX)).unwrap_or(0);
        reuse_window(Duration::from_millis(remaining), self.margin)
    }
}

/// Values below 10^11 cannot be milliseconds of any date after 1973, so they are read as Unix
/// seconds (a server that changes its unit still gets its token reused).
fn as_millis(expired: i64) -> i64 {
    if (0..100_000_000_000).contains(&expired) { expired.saturating_mul(1000) } else { expired }
}

/// `remaining - margin`, or half of `remaining` when that is less than twice the margin (zero
/// for a token that is already expired).
fn reuse_window(remaining: Duration, margin: Duration) -> Duration {
    if remaining >= margin * 2 { remaining - margin } else { remaining / 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_read_as_seconds() {
        assert_eq!(as_millis(1_677_688_934), 1_677_688_934_000);
        assert_eq!(as_millis(1_677_688_934_293), 1_677_688_934_293);
    }

    #[test]
    fn windows() {
        let m = Duration::from_secs(60);
        assert_eq!(reuse_window(Duration::from_secs(900), m), Duration::from_secs(840));
        assert_eq!(reuse_window(Duration::from_secs(90), m), Duration::from_secs(45));
        assert_eq!(reuse_window(Duration::from_millis(200), m), Duration::from_millis(100));
        assert_eq!(reuse_window(Duration::ZERO, m), Duration::ZERO);
    }
}
