//! [`Error`]: every way a call can fail, each with the context needed to act on it.
//!
//! No variant ever holds the appKey or the bearer token: request bodies are never kept, and
//! response snippets of the token endpoint are redacted (its body carries the token).

use std::sync::Arc;
use std::time::Duration;

use super::core::Code;
use crate::api::ApiCode;
use crate::endpoint::Retry;
use crate::validate::ValidationErrors;

/// The failure of one call made through [`Client`](super::Client); `C` is the API's error-code
/// table ([`Api::ErrorCode`](crate::Api::ErrorCode)).
///
/// # Did it reach the server?
///
/// Two questions matter after a failed payment, and each has an accessor:
///
/// - [`is_retryable`](Self::is_retryable): repeating the call as it is cannot do anything twice,
///   and might succeed: nothing was sent for a transient reason (the connection could not be
///   opened), the server refused it for now (HTTP 429), or the endpoint only reads
///   ([`Retry::Safe`]) and the failure was transient.
/// - [`is_outcome_unknown`](Self::is_outcome_unknown): the request of an endpoint that moves money
///   ([`Retry::Never`]) may have been processed, and the answer was lost (a timeout, a connection
///   broken after sending, a 5xx, an answer that could not be read). **Do not send it again
///   blindly**: ask the status query first (see each payment method's docs for the identifiers
///   that make this possible).
///
/// Errors are `Clone` (the transport source is shared), so one failure can be handed to every
/// caller that waited for it.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<C: ApiCode> {
    /// The request broke constraints of the spec; nothing was sent.
    #[error("{endpoint}: {errors}")]
    Invalid {
        /// The endpoint id (`alipay_wap_pay`).
        endpoint: &'static str,
        /// Every violation, each with the JSON pointer of the field.
        errors: ValidationErrors,
    },

    /// OTT Pay answered with its error envelope (`{"status":"ERROR","result":{"code":..}}`).
    #[error("{endpoint}: OTT Pay error {} ({}): {message}", code.code(), code.message())]
    Api {
        /// The endpoint id.
        endpoint: &'static str,
        /// The error code, mapped onto the spec's table (its `Unknown` variant keeps others).
        code: C,
        /// The server's own message (the table's message when the server sent none).
        message: String,
        /// The HTTP status the envelope came with.
        http_status: u16,
    },

    /// A non-success HTTP status without an OTT Pay envelope (a proxy's HTML 502 page, say).
    #[error("{endpoint}: HTTP {status} without an OTT Pay envelope: {snippet}")]
    HttpStatus {
        /// The endpoint id.
        endpoint: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The start of the body, bounded and lossily decoded.
        snippet: String,
        /// The endpoint's retry policy (whether the call moves money).
        retry: Retry,
    },

    /// The body was not the JSON the endpoint returns: empty, truncated, not JSON, or a field
    /// of the wrong shape.
    #[error("{endpoint}: cannot decode the response at {}: {message}; body: {snippet}", if path.is_empty() { "the root" } else { path.as_str() })]
    Decode {
        /// The endpoint id.
        endpoint: &'static str,
        /// JSON pointer of the value that failed (`/result/expired`), `""` for the whole body.
        path: String,
        /// What serde found wrong, with line and column when the body is not JSON at all.
        message: String,
        /// The start of the body, bounded and lossily decoded.
        snippet: String,
        /// The endpoint's retry policy (whether the call moves money).
        retry: Retry,
    },

    /// The response body exceeded the configured cap; reading stopped there.
    #[error("{endpoint}: response body larger than the cap of {limit} bytes")]
    BodyTooLarge {
        /// The endpoint id.
        endpoint: &'static str,
        /// The cap in bytes ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes)).
        limit: usize,
        /// The endpoint's retry policy (whether the call moves money).
        retry: Retry,
    },

    /// The call did not complete within the request timeout (connect, send or body read). The
    /// request may have reached the server.
    #[error("{endpoint}: timed out after {timeout:?}; the request may have reached the server")]
    Timeout {
        /// The endpoint id.
        endpoint: &'static str,
        /// The request timeout in force.
        timeout: Duration,
        /// The underlying error.
        #[source]
        source: Arc<reqwest::Error>,
        /// The endpoint's retry policy (whether the call moves money).
        retry: Retry,
    },

    /// The connection could not be opened (nothing was sent), or failed or broke afterwards (the
    /// request may have reached the server): DNS, refused, reset, TLS, a body cut short.
    #[error("{endpoint}: transport error: {}", describe(source))]
    Transport {
        /// The endpoint id.
        endpoint: &'static str,
        /// The underlying error.
        #[source]
        source: Arc<reqwest::Error>,
        /// The endpoint's retry policy (whether the call moves money).
        retry: Retry,
    },

    /// The token endpoint answered `SUCCESS` but without a usable token.
    #[error("{endpoint}: the token response is unusable: {problem}")]
    TokenResponse {
        /// The token endpoint's id.
        endpoint: &'static str,
        /// What was wrong (`result.token is missing`, ...); never the token itself.
        problem: &'static str,
    },

    /// The request could not be encoded as JSON (a bug in a hand-written `Serialize`).
    #[error("{endpoint}: cannot encode the request: {message}")]
    Encode {
        /// The endpoint id.
        endpoint: &'static str,
        /// serde's message.
        message: String,
    },

    /// The client could not be built.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// A short description of a transport failure; the details are in `source()`. Only a failure to
/// open the connection says nothing was sent: any later failure may come after the server read the
/// whole request.
fn describe(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "could not connect; nothing was sent"
    } else if error.is_body() || error.is_decode() {
        "the connection broke while reading the response; the request reached the server"
    } else {
        "the connection failed after it was opened; the request may have reached the server"
    }
}

impl<C: ApiCode> Error<C> {
    /// The error of the client's non-generic core, with its bare code mapped onto the table `C`.
    pub(crate) fn from_core(error: Error<Code>) -> Self {
        match error {
            Error::Invalid { endpoint, errors } => Error::Invalid { endpoint, errors },
            Error::Api { endpoint, code, message, http_status } => {
                Error::Api { endpoint, code: C::from_code(code.code()), message, http_status }
            }
            Error::HttpStatus { endpoint, status, snippet, retry } => {
                Error::HttpStatus { endpoint, status, snippet, retry }
            }
            Error::Decode { endpoint, path, message, snippet, retry } => {
                Error::Decode { endpoint, path, message, snippet, retry }
            }
            Error::BodyTooLarge { endpoint, limit, retry } => Error::BodyTooLarge { endpoint, limit, retry },
            Error::Timeout { endpoint, timeout, source, retry } => Error::Timeout { endpoint, timeout, source, retry },
            Error::Transport { endpoint, source, retry } => Error::Transport { endpoint, source, retry },
            Error::TokenResponse { endpoint, problem } => Error::TokenResponse { endpoint, problem },
            Error::Encode { endpoint, message } => Error::Encode { endpoint, message },
            Error::Config(e) => Error::Config(e),
        }
    }

    /// The id of the endpoint whose call failed, when the failure belongs to one.
    pub fn endpoint(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { endpoint, .. }
            | Error::Api { endpoint, .. }
            | Error::HttpStatus { endpoint, .. }
            | Error::Decode { endpoint, .. }
            | Error::BodyTooLarge { endpoint, .. }
            | Error::Timeout { endpoint, .. }
            | Error::Transport { endpoint, .. }
            | Error::Encode { endpoint, .. }
            | Error::TokenResponse { endpoint, .. } => Some(endpoint),
            Error::Config(_) => None,
        }
    }

    /// The API error code, for [`Error::Api`].
    pub fn api_code(&self) -> Option<C> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api { http_status, .. } => Some(*http_status),
            Error::HttpStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether nothing was sent: the connection could not be opened, or the request was rejected
    /// before sending (invalid, or not encodable). The token call's own failures are reported
    /// with the token endpoint's id: the call that needed the token was not sent either.
    pub fn is_not_sent(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_connect(),
            Error::Invalid { .. } | Error::Encode { .. } | Error::Config(_) => true,
            _ => false,
        }
    }

    /// Whether repeating the same call cannot do anything twice and might succeed: nothing was
    /// sent for a transient reason (no connection), the server refused it for now (HTTP 429), or
    /// the endpoint only reads ([`Retry::Safe`]) and the failure was a timeout, a broken
    /// connection or a 5xx. The client has already made its own automatic retries.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } if source.is_connect() => true,
            Error::HttpStatus { status: 429, .. } => true,
            Error::Timeout { retry: Retry::Safe, .. } | Error::Transport { retry: Retry::Safe, .. } => true,
            Error::HttpStatus { status, retry: Retry::Safe, .. } => (500..600).contains(status),
            _ => false,
        }
    }

    /// Whether a call that moves money ([`Retry::Never`]: payments, refunds, reversals) may have
    /// been processed although no usable answer arrived: a timeout, a connection that broke after
    /// it was opened, an HTTP 5xx, a body over the cap, or a success status whose body could not
    /// be decoded. Query the payment's status before sending it again.
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Error::Timeout { retry: Retry::Never, .. }
            | Error::BodyTooLarge { retry: Retry::Never, .. }
            | Error::Decode { retry: Retry::Never, .. } => true,
            Error::Transport { source, retry: Retry::Never, .. } => !source.is_connect(),
            Error::HttpStatus { status, retry: Retry::Never, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// Why [`ClientBuilder::build`](super::ClientBuilder::build) failed.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse or is not an absolute `http(s)` URL with a host.
    #[error("invalid base URL {url:?}: {reason}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// [`Environment::Sandbox`](super::Environment::Sandbox) was chosen, but the API has no sandbox.
    #[error("the API has no sandbox server; choose Environment::Production or Environment::Custom")]
    NoSandbox,
    /// No credentials were given ([`ClientBuilder::credentials`](super::ClientBuilder::credentials)).
    #[error("no credentials: call ClientBuilder::credentials(app_id, app_key)")]
    MissingCredentials,
    /// The user agent is not a valid HTTP header value.
    #[error("invalid user agent {0:?}")]
    UserAgent(String),
    /// The TLS configuration could not be built.
    #[error("cannot configure TLS: {0}")]
    Tls(String),
    /// reqwest could not build its client (TLS initialisation, say).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] Arc<reqwest::Error>),
}
