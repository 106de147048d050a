//! The async HTTP client (feature `client`): one generic [`Client::send`] for every endpoint of an
//! [`Api`].
//!
//! The generated crate wraps [`Client`] in its own client type, whose per-endpoint methods
//! (`client.alipay_wap_pay(&request)`) are one-line calls into [`Client::send`], which does, in
//! order:
//!
//! 1. **Validation**: the request's [`Validate`] rules; a violation returns
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
//! - **A rejected token** ([`Api::INVALID_TOKEN_CODE`] or HTTP 401): the token is dropped, a new one is
//!   fetched and the call is repeated **once**; a second rejection is returned as the error.
//!   The server refused the first call, so nothing happened twice.
//! - **[`Retry::Safe`] endpoints** (status queries, the token call): repeated on transport
//!   errors, timeouts and HTTP 5xx with bounded exponential backoff ([`Backoff`]: 3 attempts
//!   in all, waiting 100 ms then 200 ms, by default).
//! - **[`Retry::Never`] endpoints** (payments, refunds, reversals): never repeated once the
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
mod raw;
mod retry;
mod token;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use tracing::Instrument;
use tracing::field::Empty;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_TOKEN_FAILURE_COOLDOWN, DEFAULT_TOKEN_REFRESH_MARGIN, FromClient,
};
pub use environment::Environment;
pub use error::{ConfigError, Error};
pub use raw::WithRaw;
pub use retry::Backoff;

use body::{BodyError, read_capped};
use envelope::{Quote, interpret};
use token::{Token, TokenCache};

#[cfg(doc)]
use crate::Validate;
use crate::api::{Api, ApiCode};
#[cfg(doc)]
use crate::endpoint::Retry;
use crate::endpoint::{Auth, Endpoint};
use crate::secret::Sensitive;

/// A client of the API `A`. Cheap to clone; clones share the connection pool and the token.
///
/// Merchants use the generated crate's client, which wraps this one and adds a method per
/// endpoint; it is built with [`ClientBuilder`].
pub struct Client<A: Api> {
    inner: Arc<Inner<A>>,
    api: PhantomData<fn() -> A>,
}

impl<A: Api> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client { inner: Arc::clone(&self.inner), api: PhantomData }
    }
}

struct Inner<A: Api> {
    http: reqwest::Client,
    base_url: String,
    app_id: String,
    app_key: Sensitive<String>,
    user_agent: HeaderValue,
    request_timeout: Duration,
    validate: bool,
    backoff: Backoff,
    max_response_bytes: usize,
    tokens: TokenCache<Error<A::ErrorCode>>,
}

/// What one call observed, for its span.
#[derive(Default)]
struct Stats {
    status: Option<u16>,
    retries: u32,
}

impl<A: Api> Client<A> {
    /// A builder with the defaults: production, 10 s connect timeout, 30 s request timeout,
    /// validation on, 3 attempts for safe endpoints, 1 MiB body cap, 60 s token margin.
    pub fn builder() -> ClientBuilder<Self> {
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
    /// - A rejected token ([`Api::INVALID_TOKEN_CODE`] or HTTP 401) is refreshed and the call
    ///   repeated once.
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
    pub async fn send<E: Endpoint<Api = A>>(&self, request: &E) -> Result<E::Response, Error<A::ErrorCode>> {
        let span = call_span(E::ID);
        let started = Instant::now();
        let mut stats = Stats::default();
        let result = self.send_inner(request, &mut stats).instrument(span.clone()).await;
        finish(&span, started, &stats, &result);
        result
    }

    async fn send_inner<E: Endpoint<Api = A>>(
        &self,
        request: &E,
        stats: &mut Stats,
    ) -> Result<E::Response, Error<A::ErrorCode>> {
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
                Err(e) if !reauthenticated && token_rejected::<A>(&e) => {
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
    fn encode<E: Endpoint<Api = A>>(&self, request: &E) -> Result<Vec<u8>, Error<A::ErrorCode>> {
        if self.inner.validate {
            request.validate().map_err(|errors| Error::Invalid { endpoint: E::ID, errors })?;
        }
        serde_json::to_vec(request).map_err(|e| Error::Encode { endpoint: E::ID, message: e.to_string() })
    }

    /// One call with the automatic retries of its `Retry` policy.
    async fn attempts<E: Endpoint<Api = A>>(
        &self,
        body: &[u8],
        token: Option<&Token>,
        quote: Quote,
        stats: &mut Stats,
    ) -> Result<E::Response, Error<A::ErrorCode>> {
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
    async fn exchange<E: Endpoint<Api = A>>(
        &self,
        body: &[u8],
        token: Option<&Token>,
        quote: Quote,
        stats: &mut Stats,
    ) -> Result<E::Response, Error<A::ErrorCode>> {
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
            request = request.header(AUTHORIZATION, bearer(E::ID, &token.value)?);
        }
        let transport = |source: reqwest::Error| {
            let source = Arc::new(source);
            if source.is_timeout() {
                Error::Timeout { endpoint: E::ID, timeout: inner.request_timeout, source, retry: E::RETRY }
            } else {
                Error::Transport { endpoint: E::ID, source, retry: E::RETRY }
            }
        };
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        stats.status = Some(status);
        let body = match read_capped(&mut response, inner.max_response_bytes).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) => {
                return Err(Error::BodyTooLarge { endpoint: E::ID, limit: inner.max_response_bytes, retry: E::RETRY });
            }
            Err(BodyError::Read(source)) => return Err(transport(source)),
        };
        interpret::<E::Response, A::ErrorCode>(E::ID, E::RETRY, &A::ENVELOPE, status, &body, quote)
    }

    /// A fresh token, fetched if needed (single flight).
    async fn token(&self) -> Result<Token, Error<A::ErrorCode>> {
        self.inner.tokens.get(|| self.fetch_token()).await
    }

    /// Calls the token endpoint and checks its answer.
    async fn fetch_token(&self) -> Result<(Sensitive<String>, i64), Error<A::ErrorCode>> {
        type T<A> = <A as Api>::TokenRequest;
        let endpoint = <T<A> as Endpoint>::ID;
        let request = A::token_request(&self.inner.app_id, &self.inner.app_key);
        let span = call_span(endpoint);
        let started = Instant::now();
        let mut stats = Stats::default();
        let result = async {
            let body = self.encode(&request)?;
            self.attempts::<T<A>>(&body, None, Quote::Redact, &mut stats).await
        }
        .instrument(span.clone())
        .await;
        finish(&span, started, &stats, &result);
        let answer = result?;
        let answer = A::token_answer(&answer);
        let token = answer
            .token
            .filter(|t| !t.expose().trim().is_empty())
            .ok_or(Error::TokenResponse { endpoint, problem: "the token is missing or empty" })?;
        bearer(endpoint, token)?;
        let expired =
            answer.expires_at.ok_or(Error::TokenResponse { endpoint, problem: "the expiry time is missing" })?;
        Ok((token.clone(), expired))
    }
}

/// The `Authorization` header value, marked sensitive so HTTP-level logging redacts it.
fn bearer<C: ApiCode>(endpoint: &'static str, token: &Sensitive<String>) -> Result<HeaderValue, Error<C>> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Error::TokenResponse { endpoint, problem: "the token is not a valid HTTP header value" })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Whether the server said the token is invalid: the API's invalid-token code or HTTP 401.
fn token_rejected<A: Api>(error: &Error<A::ErrorCode>) -> bool {
    let code = error.api_code().map(|c| c.code());
    (code.is_some() && code == A::INVALID_TOKEN_CODE) || error.http_status() == Some(401)
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
fn finish<T, C: ApiCode>(span: &tracing::Span, started: Instant, stats: &Stats, result: &Result<T, Error<C>>) {
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

fn error_kind<C: ApiCode>(error: &Error<C>) -> &'static str {
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

impl<A: Api> fmt::Debug for Client<A> {
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
    use crate::money::Cents;
    use crate::test_api::{Pay, TestApi};

    fn assert_send<T: Send>(_: &T) {}

    #[test]
    fn send_futures_are_send() -> Result<(), ConfigError> {
        let client = Client::<TestApi>::builder().base_url("http://127.0.0.1:9").credentials("id", "key").build()?;
        assert_send(&client.send(&Pay { amount: Cents::new(1) }));
        Ok(())
    }

    #[test]
    fn base_urls() {
        assert_eq!(Environment::Production.base_url::<TestApi>().ok().as_deref(), Some("https://api.test.example"));
        assert!(matches!(Environment::Sandbox.base_url::<TestApi>(), Err(ConfigError::NoSandbox)));
        let custom = |url: &str| Environment::Custom(url.into()).base_url::<TestApi>();
        assert_eq!(custom("http://127.0.0.1:9/").ok().as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(custom("https://p.example/ottpay/").ok().as_deref(), Some("https://p.example/ottpay"));
        for bad in ["", "not a url", "ftp://x.example", "http://u:p@x.example", "https://x.example/?a=1", "/relative"] {
            assert!(custom(bad).is_err(), "{bad}");
        }
        let err = custom("http://u:hunter2@x.example").err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| !e.contains("hunter2")));
    }
}
