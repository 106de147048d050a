//! [`SimEvent`]: what happened in the simulator, broadcast to whoever listens (the binary prints
//! them; tests may wait on them).

use std::fmt;

use serde::Serialize;

use crate::callbacks::{AttemptOutcome, CallbackAttempt};
use crate::faults::Fault;
use crate::state::PaymentState;

/// Something that happened in the simulator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SimEvent {
    /// A token was issued.
    TokenIssued {
        /// The merchant's appId.
        app_id: String,
    },
    /// A payment was created.
    PaymentCreated {
        /// The payment id.
        payment_id: String,
        /// The endpoint that created it.
        endpoint: &'static str,
        /// Its amount in cents.
        amount: u64,
        /// Its first state.
        state: PaymentState,
        /// The simulator's page for it (the cashier of a wallet payment).
        page: String,
    },
    /// A payment changed state (paid, failed, authorised, captured, refunded, reversed, expired).
    PaymentChanged {
        /// The payment id.
        payment_id: String,
        /// Its new state.
        state: PaymentState,
    },
    /// A refund was made.
    Refunded {
        /// The payment id.
        payment_id: String,
        /// The refund id.
        refund_id: String,
        /// The amount in cents.
        amount: u64,
    },
    /// A callback attempt was made.
    Callback {
        /// The payment id.
        payment_id: String,
        /// The attempt.
        attempt: CallbackAttempt,
    },
    /// A call was answered with an error code.
    Rejected {
        /// The endpoint id.
        endpoint: &'static str,
        /// The code.
        code: i64,
        /// The message.
        message: String,
    },
    /// A fault was applied to a call.
    Fault {
        /// The endpoint id.
        endpoint: &'static str,
        /// The fault.
        fault: Fault,
    },
}

impl fmt::Display for SimEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimEvent::TokenIssued { app_id } => write!(f, "token issued to {app_id}"),
            SimEvent::PaymentCreated { payment_id, endpoint, amount, state, page } => {
                write!(f, "{endpoint}: payment {payment_id} of {amount} cents is {state:?}; page: {page}")
            }
            SimEvent::PaymentChanged { payment_id, state } => write!(f, "payment {payment_id} is now {state:?}"),
            SimEvent::Refunded { payment_id, refund_id, amount } => {
                write!(f, "refund {refund_id} of {amount} cents on payment {payment_id}")
            }
            SimEvent::Callback { payment_id, attempt } => {
                write!(f, "callback #{} for payment {payment_id}: ", attempt.number)?;
                match &attempt.outcome {
                    AttemptOutcome::Acknowledged { status } => write!(f, "acknowledged (HTTP {status})"),
                    AttemptOutcome::Rejected { status, body } => write!(f, "not acknowledged: HTTP {status} {body:?}"),
                    AttemptOutcome::Failed { error } => write!(f, "failed: {error}"),
                    AttemptOutcome::NotSent { reason } => write!(f, "not sent: {reason}"),
                }
            }
            SimEvent::Rejected { endpoint, code, message } => write!(f, "{endpoint}: ERROR {code} {message}"),
            SimEvent::Fault { endpoint, fault } => write!(f, "{endpoint}: fault {fault:?}"),
        }
    }
}
