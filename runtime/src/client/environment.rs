//! [`Environment`]: which OTT Pay server a client talks to.

use super::error::ConfigError;
use crate::api::Api;

/// Which server to call; an endpoint's URL is the base URL plus its path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// The API's production server ([`Api::PRODUCTION_URL`]). Payments here move real money.
    Production,
    /// The API's sandbox server ([`Api::SANDBOX_URL`]); building a client fails if the API has none.
    Sandbox,
    /// Any absolute `http(s)` base URL, such as a proxy or a local test server. A path prefix
    /// is kept (`https://proxy.example/ottpay` + `/api/v1/...`).
    Custom(String),
}

impl Environment {
    /// The base URL without a trailing slash, checked.
    pub(crate) fn base_url<A: Api>(&self) -> Result<String, ConfigError> {
        let raw = match self {
            Environment::Production => A::PRODUCTION_URL,
            Environment::Sandbox => A::SANDBOX_URL.ok_or(ConfigError::NoSandbox)?,
            Environment::Custom(url) => url.as_str(),
        };
        let bad = |reason: &str| ConfigError::BaseUrl { url: raw.to_owned(), reason: reason.to_owned() };
        let parsed = url::Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        if parsed.host().is_none() {
            return Err(bad("there is no host"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad("a base URL cannot have a query or a fragment"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(ConfigError::BaseUrl {
                url: format!("{}://***@{}", parsed.scheme(), parsed.host_str().unwrap_or_default()),
                reason: "a base URL cannot carry credentials".to_owned(),
            });
        }
        Ok(parsed.as_str().trim_end_matches('/').to_owned())
    }
}

impl From<url::Url> for Environment {
    fn from(url: url::Url) -> Self {
        Environment::Custom(url.into())
    }
}
