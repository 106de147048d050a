//! [`Endpoint`]: what the client layer needs to know to send a request (sans-IO).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::Api;
use crate::validate::Validate;

/// Whether a call carries the bearer token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header (only the token endpoint itself).
    None,
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// Whether a call may be repeated automatically after it may have reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Reads with no effect (status queries, the token call): retried on transport errors and 5xx.
    Safe,
    /// Creates money movement (payments, refunds, reversals): never retried once it may have
    /// been received, so it cannot charge or refund twice.
    Never,
}

/// A request type of one endpoint. Implemented by generated code for every endpoint.
pub trait Endpoint: Serialize + Validate {
    /// The API the endpoint belongs to.
    type Api: Api;
    /// The `result` object of a successful answer.
    type Response: DeserializeOwned;
    /// The endpoint's id in the spec (`alipay_wap_pay`); used in errors and tracing.
    const ID: &'static str;
    /// The HTTP method (always `POST` in this API).
    const METHOD: &'static str;
    /// The request URI, relative to the environment's base URL.
    const PATH: &'static str;
    /// Whether the bearer token is sent.
    const AUTH: Auth;
    /// The automatic retry policy.
    const RETRY: Retry;
    /// The error codes the vendor lists for this endpoint (others can still occur).
    const ERRORS: &'static [<Self::Api as Api>::ErrorCode];
}
