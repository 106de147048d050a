//! The simulator's errors: starting it ([`StartError`]) and driving it ([`SimError`]).

use std::net::SocketAddr;

use crate::state::PaymentState;

/// Why a simulator did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The simulator only listens on loopback addresses.
    #[error("the simulator listens on loopback addresses only (127.0.0.1 or ::1), not {addr}")]
    NotLoopback {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The address could not be bound (in use, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// `start` was called outside a tokio runtime (with IO and time enabled).
    #[error("the simulator starts inside a tokio runtime with IO and time enabled (#[tokio::main], #[tokio::test])")]
    NoRuntime,
    /// No merchant was configured.
    #[error("the simulator needs at least one merchant")]
    NoMerchant,
    /// Two merchants share an appId.
    #[error("two merchants have the appId {app_id:?}")]
    DuplicateMerchant {
        /// The shared appId.
        app_id: String,
    },
    /// A merchant description could not be parsed.
    #[error("bad merchant: {reason}")]
    Merchant {
        /// What was wrong.
        reason: &'static str,
    },
    /// An endpoint of the registry has a path the router cannot serve.
    #[error("endpoint {endpoint} cannot be served at {path:?}: {reason}")]
    Route {
        /// The endpoint id.
        endpoint: &'static str,
        /// Its path.
        path: &'static str,
        /// Why.
        reason: &'static str,
    },
}

/// Why a control of the [`Simulator`](crate::Simulator) handle did nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// No payment has this id.
    #[error("no payment {payment_id}")]
    UnknownPayment {
        /// The id asked for.
        payment_id: String,
    },
    /// The payment is not in a state that allows the action.
    #[error("payment {payment_id} is {state:?}; cannot {action}")]
    WrongState {
        /// The payment.
        payment_id: String,
        /// Its state.
        state: PaymentState,
        /// What was asked.
        action: &'static str,
    },
}
