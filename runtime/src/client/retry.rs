//! The automatic retry policy: which failures are repeated, how often, and how long to wait.
//!
//! - [`Retry::Safe`] endpoints (status queries, the token call) are repeated on transport
//!   errors, timeouts and HTTP 5xx, up to [`Backoff::max_attempts`] attempts in all, waiting
//!   [`Backoff::initial_delay`], then twice that, and so on, capped at [`Backoff::max_delay`].
//! - [`Retry::Never`] endpoints (payments, refunds, reversals) are repeated only when the
//!   connection could not be opened at all, so the request cannot have reached the server.
//!   A timeout, a broken connection or any answer ends the call: repeating it could charge or
//!   refund twice. Check the outcome with a status query instead.
//! - Independently of both, a rejected token (the API's invalid-token code or HTTP 401) leads to one token
//!   refresh and one repeat of the call; the server refused the call, so nothing was done.

use std::time::Duration;

use super::error::Error;
use crate::endpoint::Retry;

/// Bounded exponential backoff for automatic retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Attempts in all, the first included (`1` disables retries). Default 3.
    pub max_attempts: u32,
    /// The wait before the second attempt. Default 100 ms.
    pub initial_delay: Duration,
    /// The longest wait between two attempts. Default 2 s.
    pub max_delay: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { max_attempts: 3, initial_delay: Duration::from_millis(100), max_delay: Duration::from_secs(2) }
    }
}

impl Backoff {
    /// No automatic retries at all (one attempt).
    pub const fn none() -> Self {
        Backoff { max_attempts: 1, initial_delay: Duration::ZERO, max_delay: Duration::ZERO }
    }

    /// The wait after failed attempt number `attempt` (1-based): `initial_delay * 2^(attempt-1)`,
    /// capped at `max_delay`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        self.initial_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Whether a failed attempt may be repeated under `policy`.
pub(crate) fn may_retry<C: crate::ApiCode>(policy: Retry, error: &Error<C>) -> bool {
    match (policy, error) {
        (_, Error::Transport { source, .. }) if source.is_connect() => true,
        (Retry::Never, _) => false,
        (Retry::Safe, Error::Transport { .. } | Error::Timeout { .. }) => true,
        (Retry::Safe, e) => e.http_status().is_some_and(|s| (500..600).contains(&s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_api::TestCode;

    #[test]
    fn delays_double_and_cap() {
        let b = Backoff::default();
        assert_eq!(b.delay(1), Duration::from_millis(100));
        assert_eq!(b.delay(2), Duration::from_millis(200));
        assert_eq!(b.delay(40), Duration::from_secs(2));
    }

    #[test]
    fn only_safe_endpoints_retry_answers() {
        let bad_gateway =
            Error::<TestCode>::HttpStatus { endpoint: "x", status: 502, snippet: String::new(), retry: Retry::Never };
        let bad_request =
            Error::<TestCode>::HttpStatus { endpoint: "x", status: 400, snippet: String::new(), retry: Retry::Safe };
        assert!(may_retry(Retry::Safe, &bad_gateway));
        assert!(!may_retry(Retry::Never, &bad_gateway));
        assert!(!may_retry(Retry::Safe, &bad_request));
    }
}
