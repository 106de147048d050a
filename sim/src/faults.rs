//! Faults on demand: latency, an HTTP 5xx with an HTML body, a connection reset, an `ERROR`
//! answer with a code of choice, a token that expires now; for one endpoint or all of them, for
//! the next N calls or until cleared, before the call is processed or after (the work is done,
//! the answer is lost or replaced: the "did my payment go through?" case).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ottpay::ErrorCode;
use serde::{Deserialize, Serialize};

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Fault {
    /// The answer comes `ms` milliseconds late (combines with another fault).
    Latency {
        /// The delay in milliseconds.
        ms: u64,
    },
    /// An HTTP error status with an HTML body, as a proxy in front of the API would send.
    HttpStatus {
        /// The status (for example 502).
        status: u16,
    },
    /// The connection is reset without an answer.
    Reset,
    /// An `ERROR` answer with this code and the table's message.
    Error {
        /// The code (a code of the table, or any other number).
        code: i64,
    },
    /// The bearer token of the call expires now: before processing, the call answers `90000`;
    /// after processing, the call succeeds and the next one with that token gets `90000`.
    ExpireToken,
}

impl Fault {
    /// [`Fault::Latency`].
    pub fn latency(delay: Duration) -> Self {
        Fault::Latency { ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX) }
    }

    /// [`Fault::HttpStatus`].
    pub fn http_status(status: u16) -> Self {
        Fault::HttpStatus { status }
    }

    /// [`Fault::Error`] with a code of the table.
    pub fn error(code: ErrorCode) -> Self {
        Fault::Error { code: code.code() }
    }
}

/// A fault with where and how often it applies.
///
/// ```
/// use ottpay_sim::{Fault, FaultRule};
///
/// // the next alipay_wap_pay call is processed, then its connection is reset
/// let rule = FaultRule::new(Fault::Reset).endpoint("alipay_wap_pay").times(1).after_processing();
/// # let _ = rule;
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FaultRule {
    /// The fault.
    pub fault: Fault,
    /// The endpoint id it applies to (`alipay_wap_pay`); every endpoint when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// How many calls it applies to; until cleared when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Whether the call is processed first (state changes happen) and its answer then delayed,
    /// lost or replaced.
    #[serde(default)]
    pub after_processing: bool,
}

impl FaultRule {
    /// The fault on every call of every endpoint, before processing, until cleared.
    pub fn new(fault: Fault) -> Self {
        FaultRule { fault, endpoint: None, times: None, after_processing: false }
    }

    /// Only calls of the endpoint `id`.
    pub fn endpoint(mut self, id: impl Into<String>) -> Self {
        self.endpoint = Some(id.into());
        self
    }

    /// Only the next `n` matching calls.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Process the call, then apply the fault to its answer.
    pub fn after_processing(mut self) -> Self {
        self.after_processing = true;
        self
    }
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        FaultRule::new(fault)
    }
}

/// What one call gets: delays and at most one fault before and one after processing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) delay_before: Duration,
    pub(crate) delay_after: Duration,
    pub(crate) before: Option<Fault>,
    pub(crate) after: Option<Fault>,
}

/// The active rules.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<FaultRule>>,
    /// The number of rules, read without the lock on every call.
    count: AtomicUsize,
}

impl Faults {
    pub(crate) fn add(&self, rule: FaultRule) {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        rules.push(rule);
        self.count.store(rules.len(), Ordering::Release);
    }

    pub(crate) fn clear(&self) {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        rules.clear();
        self.count.store(0, Ordering::Release);
    }

    pub(crate) fn list(&self) -> Vec<FaultRule> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The plan of one call of `endpoint`, consuming one use of each rule applied. Latencies
    /// add up; of the other faults, the oldest matching rule applies (one before, one after).
    pub(crate) fn take(&self, endpoint: &str) -> Plan {
        let mut plan = Plan::default();
        if self.count.load(Ordering::Acquire) == 0 {
            return plan;
        }
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        for rule in rules.iter_mut() {
            if rule.endpoint.as_deref().is_some_and(|e| e != endpoint) || rule.times == Some(0) {
                continue;
            }
            let applied = match &rule.fault {
                Fault::Latency { ms } => {
                    let slot = if rule.after_processing { &mut plan.delay_after } else { &mut plan.delay_before };
                    *slot = slot.saturating_add(Duration::from_millis(*ms));
                    true
                }
                fault => {
                    let slot = if rule.after_processing { &mut plan.after } else { &mut plan.before };
                    let free = slot.is_none();
                    if free {
                        *slot = Some(fault.clone());
                    }
                    free
                }
            };
            if applied && let Some(n) = rule.times.as_mut() {
                *n = n.saturating_sub(1);
            }
        }
        rules.retain(|r| r.times != Some(0));
        self.count.store(rules.len(), Ordering::Release);
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_n_calls_of_one_endpoint() {
        let faults = Faults::default();
        faults.add(FaultRule::new(Fault::Reset).endpoint("a").times(2));
        assert_eq!(faults.take("b"), Plan::default());
        assert_eq!(faults.take("a").before, Some(Fault::Reset));
        assert_eq!(faults.take("a").before, Some(Fault::Reset));
        assert_eq!(faults.take("a"), Plan::default());
        assert!(faults.list().is_empty());
    }

    #[test]
    fn latency_combines_and_oldest_fault_wins() {
        let faults = Faults::default();
        faults.add(FaultRule::new(Fault::latency(Duration::from_millis(5))));
        faults.add(FaultRule::new(Fault::http_status(502)).times(1));
        faults.add(FaultRule::new(Fault::error(ErrorCode::DatabaseError)).times(1));
        faults.add(FaultRule::new(Fault::Reset).after_processing().times(1));
        let plan = faults.take("x");
        assert_eq!(plan.delay_before, Duration::from_millis(5));
        assert_eq!(plan.before, Some(Fault::HttpStatus { status: 502 }));
        assert_eq!(plan.after, Some(Fault::Reset));
        assert_eq!(faults.take("x").before, Some(Fault::Error { code: 20004 }));
        let plan = faults.take("x");
        assert_eq!((plan.before, plan.after), (None, None));
        faults.clear();
        assert_eq!(faults.take("x"), Plan::default());
    }

    #[test]
    fn rules_read_as_json() {
        let rule: Result<FaultRule, _> = serde_json::from_str(
            r#"{"fault":{"kind":"http_status","status":503},"endpoint":"alipay_wap_pay","times":1}"#,
        );
        assert_eq!(rule.ok(), Some(FaultRule::new(Fault::http_status(503)).endpoint("alipay_wap_pay").times(1)));
    }
}
