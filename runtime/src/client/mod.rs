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
//! 2. **Authentication**: for [`Auth::Bearer`](crate::endpoint::Auth::Bearer) endpoints, `Authorization: Bearer <token>`. The
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
mod core;
mod envelope;
mod environment;
mod error;
mod raw;
mod retry;
mod token;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_TOKEN_FAILURE_COOLDOWN, DEFAULT_TOKEN_REFRESH_MARGIN, FromClient,
};
pub use environment::Environment;
pub use error::{ConfigError, Error};
pub use raw::WithRaw;
pub use retry::Backoff;

use self::core::{Call, Core, Meta, encode};

#[cfg(doc)]
use crate::Validate;
use crate::api::Api;
use crate::endpoint::Endpoint;
#[cfg(doc)]
use crate::endpoint::Retry;

/// A client of the API `A`. Cheap to clone; clones share the connection pool and the token.
///
/// Merchants use the generated crate's client, which wraps this one and adds a method per
/// endpoint; it is built with [`ClientBuilder`].
pub struct Client<A: Api> {
    core: Arc<Core>,
    api: PhantomData<fn() -> A>,
}

impl<A: Api> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client { core: Arc::clone(&self.core), api: PhantomData }
    }
}

impl<A: Api> Client<A> {
    /// A builder with the defaults: production, 10 s connect timeout, 30 s request timeout,
    /// validation on, 3 attempts for safe endpoints, 1 MiB body cap, 60 s token margin.
    pub fn builder() -> ClientBuilder<Self> {
        ClientBuilder::default()
    }

    /// The base URL calls go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.core.base_url
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
        // Only validation, serialization and the typed decode depend on `E`; the rest is the
        // core's, compiled once in this crate.
        let core = &*self.core;
        let mut call = Call::start(E::ID);
        let result = match encode(request, core.validate) {
            Ok(body) => core.call(&mut call, Meta::of::<E>(), body).await.and_then(|success| success.decode()),
            Err(e) => Err(e),
        };
        call.finish(result.as_ref().err());
        result.map_err(Error::from_core)
    }
}

impl<A: Api> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.core;
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
