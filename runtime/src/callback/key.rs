//! [`SignKey`]: the merchant's callback secret.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::secret::Sensitive;

/// The merchant's **signKey**, issued by OTT Pay (a third credential, separate from the
/// appId/appKey pair) and used to decrypt and verify payment-result callbacks.
///
/// Its `Debug` prints `SignKey(***)`; it has no `Display` and no `Serialize`, so it cannot reach a
/// log, an error message or a response by accident. It deserializes from a plain string, so it can
/// sit in a configuration struct.
///
/// ```
/// use ottpay_runtime::callback::SignKey;
///
/// let key = SignKey::new("3F6C1B7E9A2D4C58");
/// assert_eq!(format!("{key:?}"), "SignKey(***)");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
#[derive(Clone, PartialEq, Eq)]
pub struct SignKey(Sensitive<String>);

impl SignKey {
    /// Wraps the signKey exactly as OTT Pay issued it (no trimming, no case change).
    pub fn new(key: impl Into<String>) -> Self {
        SignKey(Sensitive::new(key.into()))
    }

    /// The key itself; only the callback cipher reads it.
    pub(super) fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl From<String> for SignKey {
    fn from(key: String) -> Self {
        SignKey::new(key)
    }
}

impl From<&str> for SignKey {
    fn from(key: &str) -> Self {
        SignKey::new(key)
    }
}

impl From<Sensitive<String>> for SignKey {
    fn from(key: Sensitive<String>) -> Self {
        SignKey(key)
    }
}

impl fmt::Debug for SignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignKey(***)")
    }
}

impl<'de> Deserialize<'de> for SignKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SignKey::new)
    }
}
