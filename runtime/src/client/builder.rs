//! [`ClientBuilder`]: environment, credentials, timeouts and the rest, checked once in `build`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::Client;
use super::core::{ApiTokenFlow, Core, table_message};
use super::environment::Environment;
use super::error::ConfigError;
use super::retry::Backoff;
use super::token::TokenCache;
use crate::api::Api;
use crate::secret::Sensitive;

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout of one HTTP exchange, from connecting to the end of the body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// Default time before a token's `expired` at which it is refreshed.
pub const DEFAULT_TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Default time after a failed token fetch during which new calls get its error instead of
/// fetching again.
pub const DEFAULT_TOKEN_FAILURE_COOLDOWN: Duration = Duration::from_secs(1);

/// A client type that [`ClientBuilder::build`] can produce: [`Client`] itself, or a generated
/// crate's client that wraps it (and adds a method per endpoint).
pub trait FromClient: Sized {
    /// The API the client calls.
    type Api: Api;
    /// Wraps a built client.
    fn from_client(client: Client<Self::Api>) -> Self;
}

impl<A: Api> FromClient for Client<A> {
    type Api = A;
    fn from_client(client: Client<A>) -> Self {
        client
    }
}

/// Configures a client of type `C`; start with the client's `builder()`.
///
/// `C` is [`Client`] or a generated crate's client (for OTT Pay: `ottpay::Client`, whose
/// `ottpay::ClientBuilder` is this type).
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<C> {
    environment: Environment,
    credentials: Option<(String, Sensitive<String>)>,
    connect_timeout: Duration,
    request_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    validate: bool,
    backoff: Backoff,
    max_response_bytes: usize,
    token_refresh_margin: Duration,
    token_failure_cooldown: Duration,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            environment: Environment::Production,
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            user_agent: concat!("ottpay-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            validate: true,
            backoff: Backoff::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            token_refresh_margin: DEFAULT_TOKEN_REFRESH_MARGIN,
            token_failure_cooldown: DEFAULT_TOKEN_FAILURE_COOLDOWN,
            client: PhantomData,
        }
    }
}

impl<C: FromClient> ClientBuilder<C> {
    /// Where to send calls. Default [`Environment::Production`].
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Shorthand for `environment(Environment::Custom(base_url))`: any base URL, such as a local
    /// test server (`http://127.0.0.1:8080`). Checked by [`build`](Self::build).
    pub fn base_url(self, base_url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(base_url.into()))
    }

    /// The appId and appKey OTT Pay issued. The key is kept [`Sensitive`] and never printed.
    pub fn credentials(mut self, app_id: impl Into<String>, app_key: impl Into<Sensitive<String>>) -> Self {
        self.credentials = Some((app_id.into(), app_key.into()));
        self
    }

    /// Time allowed to open a connection. Default 10 s. Not applied to a client given with
    /// [`http_client`](Self::http_client), which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one HTTP exchange, from connecting to the last byte of the body.
    /// Default 30 s. Each retry gets the full time again.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The `User-Agent` header. Default `ottpay-rust/<crate version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses this `reqwest::Client` (its connection pool, proxy and TLS settings) instead of
    /// building one. The request timeout and user agent still apply per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Whether `send` validates a request before sending it. Default `true`; turn it off only
    /// when the server's rules are known to differ from the spec's.
    pub fn validate_requests(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// The automatic retry backoff for [`Retry::Safe`](crate::Retry::Safe) endpoints.
    /// Default: 3 attempts, waiting 100 ms then 200 ms.
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// The largest response body read; larger ones fail with
    /// [`Error::BodyTooLarge`](super::Error::BodyTooLarge). Default 1 MiB.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How long before its `expired` time a token is replaced. Default 60 s.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// After a token fetch fails, how long new calls get its error instead of fetching again.
    /// Calls that were already waiting for that fetch always get its error. Default 1 s;
    /// `Duration::ZERO` lets the next new call fetch at once.
    pub fn token_failure_cooldown(mut self, cooldown: Duration) -> Self {
        self.token_failure_cooldown = cooldown;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        let base_url = self.environment.base_url::<C::Api>()?;
        let (app_id, app_key) = self.credentials.ok_or(ConfigError::MissingCredentials)?;
        let user_agent = reqwest::header::HeaderValue::from_str(&self.user_agent)
            .map_err(|_| ConfigError::UserAgent(self.user_agent.clone()))?;
        let http = match self.http {
            Some(http) => http,
            None => {
                tls(reqwest::Client::builder().connect_timeout(self.connect_timeout).timeout(self.request_timeout))?
                    .build()
                    .map_err(|e| ConfigError::Http(Arc::new(e)))?
            }
        };
        Ok(C::from_client(Client {
            core: Arc::new(Core {
                http,
                base_url,
                app_id,
                app_key,
                user_agent,
                request_timeout: self.request_timeout,
                validate: self.validate,
                backoff: self.backoff,
                max_response_bytes: self.max_response_bytes,
                tokens: TokenCache::new(self.token_refresh_margin, self.token_failure_cooldown),
                envelope: <C::Api as Api>::ENVELOPE,
                invalid_token_code: <C::Api as Api>::INVALID_TOKEN_CODE,
                messages: table_message::<<C::Api as Api>::ErrorCode>,
                token_flow: Box::new(ApiTokenFlow::<C::Api>::new()),
                urls: Default::default(),
            }),
            api: PhantomData,
        }))
    }
}

/// With only the `rustls-ring` TLS feature, the client gets rustls with the `ring` provider and the
/// platform's certificate verifier, configured for this client alone (no process-wide provider is
/// installed). With `rustls-aws-lc` or `native-tls`, reqwest's own default applies.
#[cfg(all(feature = "rustls-ring", not(any(feature = "rustls-aws-lc", feature = "native-tls"))))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| ConfigError::Tls(e.to_string()))?
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

#[cfg(not(all(feature = "rustls-ring", not(any(feature = "rustls-aws-lc", feature = "native-tls")))))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(builder)
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("app_id", &self.credentials.as_ref().map(|(id, _)| id))
            .field("app_key", &self.credentials.as_ref().map(|(_, key)| key))
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("user_agent", &self.user_agent)
            .field("own_http_client", &self.http.is_some())
            .field("validate_requests", &self.validate)
            .field("backoff", &self.backoff)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("token_failure_cooldown", &self.token_failure_cooldown)
            .finish()
    }
}
