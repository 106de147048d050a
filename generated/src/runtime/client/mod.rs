//! The async HTTP client (feature `client`): one generic [`Client::send`] for every endpoint.
//!
//! Generated per-endpoint methods (`client.alipay_wap_pay(&request)`) are one-line calls into
//! [`Client::send`], which does, in order:
//!
//! 1. **Validation**: the request's [`Validate`](crate::Validate) rules; a violation returns
//!    [`Error::Invalid`] with every violation and sends nothing (unless turned off with
//!    [`ClientBuilder::validate_requests`]).
//! 2. **Authentication**: for [`Auth::Bearer`] endpoints, `Authorization: Bearer <token>`. The
//!    token comes from the token endpoint on first use, is cached until shortly before its
//!    `expired` time ([`ClientBuilder::token_refresh_margin`]) and is fetched once however many
//!    calls need it at the same time.
//! 3. **The exchange**: `POST` of the JSON body to base URL + path, with the request timeout;
//!    the body is read up to [`ClientBuilder::max_response_bytes`].
//! 4. **The envelope**: `{"status":"SUCCESS","result":{..}}` gives the typed result;
//!    `{"status":"ERROR","result":{"code":..,"message":..}}` gives [`Error::Api`]; anything else
//!    gives [`Error::HttpStatus`] or [`Error::Decode`] (see [`Error`]).
//!
//! # Retry policy
//!
//! - **A rejected token** (API code 90000 or HTTP 401): the token is dropped, a new one is
//!   fetched and the call is repeated **once**; a second rejection is returned as the error.
//!   The server refused the first call, so nothing happened twice.
//! - **[`Retry::Safe`](crate::Retry::Safe) endpoints** (status queries, the token call): repeated on transport
//!   errors, timeouts and HTTP 5xx with bounded exponential backoff ([`Backoff`]: 3 attempts
//!   in all, waiting 100 ms then 200 ms, by default).
//! - **[`Retry::Never`](crate::Retry::Never) endpoints** (payments, refunds, reversals): never repeated once the
//!   request may have reached the server, so nothing is charged or refunded twice. Only a
//!   failure to open the connection at all is retried. After a timeout or a 5xx, ask the
//!   status-query endpoint what happened before trying again.
//!
//! # Tracing
//!
//! Each call runs in a `tracing` span `ottpay.call` with the fields `endpoint`, `http.status`,
//! `api.code`, `error.kind`, `duration_ms` and `retries`. The token fetch gets its own span.
//! Request bodies, response bodies, the appKey and the token are never recorded.

mod body;
mod builder;
mod envelope;
mod environment;
mod error;
mod retry;
mod token;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use tracing::Instrument;
use tracing::field::Empty;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_TOKEN_REFRESH_MARGIN,
};
pub use environment::{Environment, PRODUCTION_URL, SANDBOX_URL};
pub use error::{ConfigError, Error};
pub use retry::Backoff;

use body::{BodyError, read_capped};
use envelope::{Quote, interpret};
use token::{Token, TokenCache};

use crate::api::{AuthTokenRequest, ErrorCode};
use crate::runtime::endpoint::{Auth, Endpoint};
use crate::runtime::secret::Sensitive;

/// An OTT Pay API client. Cheap to clone; clones share the connection pool and the token.
///
/// ```no_run
/// # async fn run() -> Result<(), ottpay::Error> {
/// use ottpay::{AlipayWapPayRequest, Cents, Client, Environment};
///
/// let client = Client::builder()
///     .environment(Environment::Production)
///     .credentials("ON00000185", "0e83678f102d188d8875e8e4c781b984")
///     .build()?;
/// let request = AlipayWapPayRequest::new(
///     Cents::new(1000),
///     "https://shop.example/ottpay/callback",
///     "https://shop.example/thanks",
/// );
/// let answer = client.send(&request).await?;
/// println!("{:?}", answer.pay_info);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    app_id: String,
    app_key: Sensitive<String>,
    user_agent: HeaderValue,
    request_timeout: Duration,
    validate: bool,
    backoff: Backoff,
    max_response_bytes: usize,
    tokens: TokenCache,
}

/// What one call observed, for its span.
#[derive(Default)]
struct Stats {
    status: Option<u16>,
    retries: u32,
}

impl Client {
    /// A builder with the defaults: production, 10 s connect timeout, 30 s request timeout,
    /// validation on, 3 attempts for safe endpoints, 1 MiB body cap, 60 s token margin.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL calls go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` to its endpoint and returns the decoded `result`.
    ///
    /// Validates the request first (nothing is sent when it is invalid), adds the bearer token
    /// when the endpoint needs one, posts the JSON body and unwraps the `{status, result}`
    /// envelope.
    ///
    /// # Retries
    ///
    /// - A rejected token (code 90000 or HTTP 401) is refreshed and the call repeated once.
    /// - `E::RETRY == Retry::Safe`: repeated on transport errors, timeouts and 5xx with the
    ///   configured [`Backoff`].
    /// - `E::RETRY == Retry::Never` (payments, refunds, reversals): never repeated once the
    ///   request may have reached the server; only a connection that could not be opened is
    ///   retried.
    ///
    /// # Errors
    ///
    /// Every failure is an [`Error`] naming the endpoint: [`Error::Invalid`], [`Error::Api`],
    /// [`Error::HttpStatus`], [`Error::Decode`], [`Error::BodyTooLarge`], [`Error::Timeout`],
    /// [`Error::Transport`], or [`Error::TokenResponse`] when the token call gave no usable token.
    pub async fn send<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error> {
        let span = call_span(E::ID);
        let started = Instant::now();
        let mut stats = Stats::default();
        let result = self.send_inner(request, &mut stats).instrument(span.clone()).await;
        finish(&span, started, &stats, &result);
        result
    }

    async fn send_inner<E: Endpoint>(&self, request: &E, stats: &mut Stats) -> Result<E::Response, Error> {
        let body = self.encode(request)?;
        if E::AUTH == Auth::None {
            // Only the token endpoint goes without a token; its answer holds one, so its body is
            // never quoted in errors.
            return self.attempts::<E>(&body, None, Quote::Redact, stats).await;
        }
        let mut reauthenticated = false;
        loop {
            let token = self.token().await?;
            match self.attempts::<E>(&body, Some(&token), Quote::Snippet, stats).await {
                Err(e) if !reauthenticated && token_rejected(&e) => {
                    tracing::debug!("token rejected; fetching a new one and repeating the call once");
                    self.inner.tokens.invalidate(token.generation);
                    reauthenticated = true;
                    stats.retries += 1;
                }
                other => return other,
            }
        }
    }

    /// Validates (unless turned off) and serializes a request.
    fn encode<E: Endpoint>(&self, request: &E) -> Result<Vec<u8>, Error> {
        if self.inner.validate {
            request.validate().map_err(|errors| Error::Invalid { endpoint: E::ID, errors })?;
        }
        serde_json::to_vec(request).map_err(|e| Error::Encode { endpoint: E::ID, message: e.to_string() })
    }

    /// One call with the automatic retries of its `Retry` policy.
    async fn attempts<E: Endpoint>(&self, body: &[u8], token: Option<&Token>, quote: Quote, stats: &mut Stats) -> Result<E::Response, Error> {
        let backoff = self.inner.backoff;
        let mut attempt = 1;
        loop {
            match self.exchange::<E>(body, token, quote, stats).await {
                Err(e) if attempt < backoff.max_attempts && retry::may_retry(E::RETRY, &e) => {
                    let delay = backoff.delay(attempt);
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %e, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    stats.retries += 1;
                }
                other => return other,
            }
        }
    }

    /// One HTTP exchange: request, capped body, envelope.
    async fn exchange<E: Endpoint>(&self, body: &[u8], token: Option<&Token>, quote: Quote, stats: &mut Stats) -> Result<E::Response, Error> {
        let inner = &*self.inner;
        let method = reqwest::Method::from_bytes(E::METHOD.as_bytes())
            .map_err(|_| Error::Encode { endpoint: E::ID, message: format!("invalid HTTP method {:?}", E::METHOD) })?;
        let mut request = inner
            .http
            .request(method, format!("{}{}", inner.base_url, E::PATH))
            .header(CONTENT_TYPE, "application/json; charset=utf-8")
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, inner.user_agent.clone())
            .timeout(inner.request_timeout)
            .body(body.to_vec());
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, bearer(&token.value)?);
        }
        let transport = |source: reqwest::Error| {
            if source.is_timeout() {
                Error::Timeout { endpoint: E::ID, timeout: inner.request_timeout, source }
            } else {
                Error::Transport { endpoint: E::ID, source }
            }
        };
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        stats.status = Some(status);
        let body = match read_capped(&mut response, inner.max_response_bytes).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) => return Err(Error::BodyTooLarge { endpoint: E::ID, limit: inner.max_response_bytes }),
            Err(BodyError::Read(source)) => return Err(transport(source)),
        };
        interpret::<E::Response>(E::ID, status, &body, quote)
    }

    /// A fresh token, fetched if needed (single flight).
    async fn token(&self) -> Result<Token, Error> {
        self.inner.tokens.get(|| self.fetch_token()).await
    }

    /// Calls the token endpoint and checks its answer.
    async fn fetch_token(&self) -> Result<(Sensitive<String>, i64), Error> {
        let request = AuthTokenRequest::new(self.inner.app_id.clone(), self.inner.app_key.clone());
        let span = call_span(<AuthTokenRequest as Endpoint>::ID);
        let started = Instant::now();
        let mut stats = Stats::default();
        let result = async {
            let body = self.encode(&request)?;
            self.attempts::<AuthTokenRequest>(&body, None, Quote::Redact, &mut stats).await
        }
        .instrument(span.clone())
        .await;
        finish(&span, started, &stats, &result);
        let answer = result?;
        let token = answer
            .token
            .filter(|t| !t.expose().trim().is_empty())
            .ok_or(Error::TokenResponse { problem: "result.token is missing or empty" })?;
        bearer(&token)?;
        let expired = answer.expired.ok_or(Error::TokenResponse { problem: "result.expired is missing" })?;
        Ok((token, expired))
    }
}

/// The `Authorization` header value, marked sensitive so HTTP-level logging redacts it.
fn bearer(token: &Sensitive<String>) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Error::TokenResponse { problem: "result.token is not a valid HTTP header value" })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Whether the server said the token is invalid: API code 90000 or HTTP 401.
fn token_rejected(error: &Error) -> bool {
    error.api_code() == Some(ErrorCode::Unauthorized) || error.http_status() == Some(401)
}

fn call_span(endpoint: &'static str) -> tracing::Span {
    tracing::info_span!(
        "ottpay.call",
        endpoint,
        http.status = Empty,
        api.code = Empty,
        error.kind = Empty,
        duration_ms = Empty,
        retries = Empty,
    )
}

/// Records the outcome of a call on its span.
fn finish<T>(span: &tracing::Span, started: Instant, stats: &Stats, result: &Result<T, Error>) {
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.record("duration_ms", duration_ms);
    span.record("retries", stats.retries);
    if let Some(status) = stats.status {
        span.record("http.status", status);
    }
    if let Err(e) = result {
        if let Some(code) = e.api_code() {
            span.record("api.code", code.code());
        }
        span.record("error.kind", error_kind(e));
        span.in_scope(|| tracing::debug!(error = %e, "ottpay call failed"));
    } else {
        span.in_scope(|| tracing::debug!("ottpay call succeeded"));
    }
}

fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Invalid { .. } => "invalid",
        Error::Api { .. } => "api",
        Error::HttpStatus { .. } => "http_status",
        Error::Decode { .. } => "decode",
        Error::BodyTooLarge { .. } => "body_too_large",
        Error::Timeout { .. } => "timeout",
        Error::Transport { .. } => "transport",
        Error::TokenResponse { .. } => "token_response",
        Error::Encode { .. } => "encode",
        Error::Config(_) => "config",
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("app_id", &inner.app_id)
            .field("app_key", &inner.app_key)
            .field("user_agent", &inner.user_agent)
            .field("request_timeout", &inner.request_timeout)
            .field("validate_requests", &inner.validate)
            .field("backoff", &inner.backoff)
            .field("max_response_bytes", &inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn send_futures_are_send() -> Result<(), Error> {
        let client = Client::builder().base_url("http://127.0.0.1:9").credentials("id", "key").build()?;
        let request = crate::AlipayWapPayRequest::new(crate::Cents::new(1), "https://a.example", "https://b.example");
        assert_send(&client.send(&request));
        Ok(())
    }
}
