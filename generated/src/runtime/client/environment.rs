//! [`Environment`]: which OTT Pay server a client talks to.

use super::error::ConfigError;

/// Production base URL.
pub const PRODUCTION_URL: &str = "https://ecom-api.ottpay.com";
/// Sandbox base URL (from third-party code; the vendor page is cut off after `https://sandbo`).
pub const SANDBOX_URL: &str = "https://sandbox-api.ottpay.com";

/// Which OTT Pay server to call; an endpoint's URL is the base URL plus its path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `https://ecom-api.ottpay.com`. Wallet payments here move real money.
    Production,
    /// `https://sandbox-api.ottpay.com`. OTT Pay says WeChat Pay and Alipay have no sandbox.
    Sandbox,
    /// Any absolute `http(s)` base URL, such as a proxy or a local test server. A path prefix
    /// is kept (`https://proxy.example/ottpay` + `/api/v1/...`).
    Custom(String),
}

impl Environment {
    /// The base URL without a trailing slash, checked.
    pub(crate) fn base_url(&self) -> Result<String, ConfigError> {
        let raw = match self {
            Environment::Production => PRODUCTION_URL,
            Environment::Sandbox => SANDBOX_URL,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(Environment::Production.base_url().ok().as_deref(), Some(PRODUCTION_URL));
        assert_eq!(Environment::Custom("http://127.0.0.1:9/".into()).base_url().ok().as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(
            Environment::Custom("https://p.example/ottpay/".into()).base_url().ok().as_deref(),
            Some("https://p.example/ottpay")
        );
        for bad in ["", "not a url", "ftp://x.example", "http://u:p@x.example", "https://x.example/?a=1", "/relative"] {
            assert!(Environment::Custom(bad.into()).base_url().is_err(), "{bad}");
        }
        let err = Environment::Custom("http://u:hunter2@x.example".into()).base_url().err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| !e.contains("hunter2")));
    }
}
