//! The non-generic core of the client: token, retries, the HTTP exchange, the envelope and the
//! span, compiled once in this crate.
//!
//! [`Client::send`](super::Client::send) is generic over the endpoint, so whatever it contains is
//! compiled again for every endpoint in the crate that calls it. It therefore holds only what
//! depends on the endpoint's types (validation, serialization, decoding the typed `result`, and
//! mapping the error code onto the API's table); everything else takes the endpoint's metadata
//! as a plain [`Meta`] value, the request body as bytes, and answers with the `result` JSON as
//! bytes ([`Success`]) or an [`Error<Code>`] whose code is the bare number with its table
//! message.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use tracing::Instrument;
use tracing::field::Empty;

use super::body::{BodyError, read_capped};
use super::envelope::{Quote, Success, interpret};
use super::error::Error;
use super::retry::{self, Backoff};
use super::token::{Token, TokenCache};
use crate::api::{Api, ApiCode, Envelope};
use crate::endpoint::{Auth, Endpoint, Retry};
use crate::secret::Sensitive;

/// An API error code as the core sees it: the number and the message of the API's table (empty
/// for codes the table lacks). [`Error::from_core`] maps it onto the API's own code type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Code {
    code: i64,
    message: &'static str,
}

impl Code {
    pub(crate) fn new(code: i64, message: &'static str) -> Self {
        Code { code, message }
    }
}

impl ApiCode for Code {
    fn from_code(code: i64) -> Self {
        Code { code, message: "" }
    }
    fn code(&self) -> i64 {
        self.code
    }
    fn message(&self) -> &'static str {
        self.message
    }
}

/// The table message of `code` in the API's table `C`.
pub(crate) fn table_message<C: ApiCode>(code: i64) -> &'static str {
    C::from_code(code).message()
}

/// What the core needs to know about an endpoint.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Meta {
    pub(crate) id: &'static str,
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) auth: Auth,
    pub(crate) retry: Retry,
}

impl Meta {
    pub(crate) fn of<E: Endpoint>() -> Meta {
        Meta { id: E::ID, method: E::METHOD, path: E::PATH, auth: E::AUTH, retry: E::RETRY }
    }
}

/// Validates (unless turned off) and serializes a request: the only endpoint-typed step before
/// the exchange.
pub(crate) fn encode<E: Endpoint>(request: &E, validate: bool) -> Result<Bytes, Error<Code>> {
    if validate {
        request.validate().map_err(|errors| Error::Invalid { endpoint: E::ID, errors })?;
    }
    match serde_json::to_vec(request) {
        Ok(body) => Ok(Bytes::from(body)),
        Err(e) => Err(Error::Encode { endpoint: E::ID, message: e.to_string() }),
    }
}

/// The token and the expiry of a token answer, either possibly missing.
pub(crate) type TokenParts = (Option<Sensitive<String>>, Option<i64>);

/// The API-typed steps of the token flow, behind a trait object so the core stays non-generic.
pub(crate) trait TokenFlow: Send + Sync {
    /// The token endpoint.
    fn meta(&self) -> Meta;
    /// The token request's body.
    fn encode(&self, app_id: &str, app_key: &Sensitive<String>, validate: bool) -> Result<Bytes, Error<Code>>;
    /// The token and the expiry of a successful answer, either possibly missing.
    fn answer(&self, success: &Success) -> Result<TokenParts, Error<Code>>;
}

/// [`TokenFlow`] of the API `A`.
pub(crate) struct ApiTokenFlow<A>(std::marker::PhantomData<fn() -> A>);

impl<A: Api> ApiTokenFlow<A> {
    pub(crate) fn new() -> Self {
        ApiTokenFlow(std::marker::PhantomData)
    }
}

impl<A: Api> TokenFlow for ApiTokenFlow<A> {
    fn meta(&self) -> Meta {
        Meta::of::<A::TokenRequest>()
    }
    fn encode(&self, app_id: &str, app_key: &Sensitive<String>, validate: bool) -> Result<Bytes, Error<Code>> {
        encode(&A::token_request(app_id, app_key), validate)
    }
    fn answer(&self, success: &Success) -> Result<TokenParts, Error<Code>> {
        let response = success.decode::<<A::TokenRequest as Endpoint>::Response>()?;
        let answer = A::token_answer(&response);
        Ok((answer.token.cloned(), answer.expires_at))
    }
}

/// Everything a client shares between its clones.
pub(crate) struct Core {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) app_id: String,
    pub(crate) app_key: Sensitive<String>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) request_timeout: Duration,
    pub(crate) validate: bool,
    pub(crate) backoff: Backoff,
    pub(crate) max_response_bytes: usize,
    pub(crate) tokens: TokenCache<Error<Code>>,
    pub(crate) envelope: Envelope,
    pub(crate) invalid_token_code: Option<i64>,
    /// The table message of a code (`table_message::<A::ErrorCode>`).
    pub(crate) messages: fn(i64) -> &'static str,
    pub(crate) token_flow: Box<dyn TokenFlow>,
    /// base URL + path, parsed once per endpoint.
    pub(crate) urls: RwLock<HashMap<&'static str, reqwest::Url>>,
}

/// What one call observed, for its span.
#[derive(Default)]
pub(crate) struct Stats {
    status: Option<u16>,
    retries: u32,
}

/// One call's span, start time and observations.
pub(crate) struct Call {
    span: tracing::Span,
    started: Instant,
    stats: Stats,
}

impl Call {
    /// Opens the `ottpay.call` span of a call of `endpoint`.
    pub(crate) fn start(endpoint: &'static str) -> Call {
        let span = tracing::info_span!(
            "ottpay.call",
            endpoint,
            http.status = Empty,
            api.code = Empty,
            error.kind = Empty,
            duration_ms = Empty,
            retries = Empty,
        );
        Call { span, started: Instant::now(), stats: Stats::default() }
    }

    /// Records the outcome of the call on its span.
    pub(crate) fn finish(&self, error: Option<&Error<Code>>) {
        let span = &self.span;
        if !span.is_disabled() {
            let duration_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            span.record("duration_ms", duration_ms);
            span.record("retries", self.stats.retries);
            if let Some(status) = self.stats.status {
                span.record("http.status", status);
            }
            if let Some(e) = error {
                if let Some(code) = e.api_code() {
                    span.record("api.code", code.code());
                }
                span.record("error.kind", error_kind(e));
            }
        }
        match error {
            Some(e) => span.in_scope(|| tracing::debug!(error = %e, "ottpay call failed")),
            None => span.in_scope(|| tracing::debug!("ottpay call succeeded")),
        }
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

impl Core {
    /// The exchange of one call, after encoding: the token when the endpoint needs one, the
    /// attempts of its retry policy and one repeat after a rejected token. Runs in the call's
    /// span.
    pub(crate) async fn call(&self, call: &mut Call, meta: Meta, body: Bytes) -> Result<Success, Error<Code>> {
        let span = call.span.clone();
        self.call_inner(&mut call.stats, meta, body).instrument(span).await
    }

    async fn call_inner(&self, stats: &mut Stats, meta: Meta, body: Bytes) -> Result<Success, Error<Code>> {
        if meta.auth == Auth::None {
            // Only the token endpoint goes without a token; its answer holds one, so its body is
            // never quoted in errors.
            return self.attempts(&meta, &body, None, Quote::Redact, stats).await;
        }
        let mut reauthenticated = false;
        loop {
            let token = self.token().await?;
            match self.attempts(&meta, &body, Some(&token), Quote::Snippet, stats).await {
                Err(e) if !reauthenticated && self.token_rejected(&e) => {
                    tracing::debug!("token rejected; fetching a new one and repeating the call once");
                    self.tokens.invalidate(token.generation);
                    reauthenticated = true;
                    stats.retries += 1;
                }
                other => return other,
            }
        }
    }

    /// Whether the server said the token is invalid: the API's invalid-token code or HTTP 401.
    fn token_rejected(&self, error: &Error<Code>) -> bool {
        let code = error.api_code().map(|c| c.code());
        (code.is_some() && code == self.invalid_token_code) || error.http_status() == Some(401)
    }

    /// One call with the automatic retries of its `Retry` policy.
    async fn attempts(
        &self,
        meta: &Meta,
        body: &Bytes,
        token: Option<&Token>,
        quote: Quote,
        stats: &mut Stats,
    ) -> Result<Success, Error<Code>> {
        let backoff = self.backoff;
        let mut attempt = 1;
        loop {
            match self.exchange(meta, body, token, quote, stats).await {
                Err(e) if attempt < backoff.max_attempts && retry::may_retry(meta.retry, &e) => {
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

    /// base URL + `path`, parsed on first use.
    fn url(&self, meta: &Meta) -> Result<reqwest::Url, Error<Code>> {
        if let Some(url) = self.urls.read().unwrap_or_else(PoisonError::into_inner).get(meta.path) {
            return Ok(url.clone());
        }
        let url = reqwest::Url::parse(&format!("{}{}", self.base_url, meta.path))
            .map_err(|e| Error::Encode { endpoint: meta.id, message: format!("invalid URL {:?}: {e}", meta.path) })?;
        self.urls.write().unwrap_or_else(PoisonError::into_inner).insert(meta.path, url.clone());
        Ok(url)
    }

    /// One HTTP exchange: request, capped body, envelope.
    async fn exchange(
        &self,
        meta: &Meta,
        body: &Bytes,
        token: Option<&Token>,
        quote: Quote,
        stats: &mut Stats,
    ) -> Result<Success, Error<Code>> {
        let method = reqwest::Method::from_bytes(meta.method.as_bytes()).map_err(|_| Error::Encode {
            endpoint: meta.id,
            message: format!("invalid HTTP method {:?}", meta.method),
        })?;
        let mut request = reqwest::Request::new(method, self.url(meta)?);
        let headers: &mut HeaderMap = request.headers_mut();
        headers.reserve(4);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.user_agent.clone());
        if let Some(token) = token {
            headers.insert(AUTHORIZATION, token.header.clone());
        }
        *request.timeout_mut() = Some(self.request_timeout);
        *request.body_mut() = Some(body.clone().into());
        let transport = |source: reqwest::Error| {
            let source = Arc::new(source);
            if source.is_timeout() {
                Error::Timeout { endpoint: meta.id, timeout: self.request_timeout, source, retry: meta.retry }
            } else {
                Error::Transport { endpoint: meta.id, source, retry: meta.retry }
            }
        };
        let mut response = self.http.execute(request).await.map_err(transport)?;
        let status = response.status().as_u16();
        stats.status = Some(status);
        let body = match read_capped(&mut response, self.max_response_bytes).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) => {
                return Err(Error::BodyTooLarge {
                    endpoint: meta.id,
                    limit: self.max_response_bytes,
                    retry: meta.retry,
                });
            }
            Err(BodyError::Read(source)) => return Err(transport(source)),
        };
        interpret(meta.id, meta.retry, &self.envelope, status, body, quote, self.messages)
    }

    /// A fresh token, fetched if needed (single flight).
    async fn token(&self) -> Result<Token, Error<Code>> {
        self.tokens.get(|| self.fetch_token()).await
    }

    /// Calls the token endpoint and checks its answer.
    async fn fetch_token(&self) -> Result<(HeaderValue, i64), Error<Code>> {
        let flow = &*self.token_flow;
        let meta = flow.meta();
        let endpoint = meta.id;
        let mut call = Call::start(endpoint);
        let span = call.span.clone();
        let stats = &mut call.stats;
        let result = async {
            let body = flow.encode(&self.app_id, &self.app_key, self.validate)?;
            let success = self.attempts(&meta, &body, None, Quote::Redact, stats).await?;
            flow.answer(&success)
        }
        .instrument(span)
        .await;
        call.finish(result.as_ref().err());
        let (token, expired) = result?;
        let token = token
            .filter(|t| !t.expose().trim().is_empty())
            .ok_or(Error::TokenResponse { endpoint, problem: "the token is missing or empty" })?;
        let header = bearer(endpoint, &token)?;
        let expired = expired.ok_or(Error::TokenResponse { endpoint, problem: "the expiry time is missing" })?;
        Ok((header, expired))
    }
}

/// The `Authorization` header value, marked sensitive so HTTP-level logging redacts it.
fn bearer(endpoint: &'static str, token: &Sensitive<String>) -> Result<HeaderValue, Error<Code>> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Error::TokenResponse { endpoint, problem: "the token is not a valid HTTP header value" })?;
    value.set_sensitive(true);
    Ok(value)
}
