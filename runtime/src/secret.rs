//! [`Sensitive`]: a value that never shows itself in `Debug`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret or card datum (appKey, bearer token, signKey, card number, CVV).
///
/// It serializes as the plain value, because the API needs it on the wire, but its `Debug`
/// prints `Sensitive(***)` and it has no `Display`, so it cannot leak through logs, panics or
/// error messages by accident. Read it deliberately with [`Sensitive::expose`].
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret value.
    pub const fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The secret value itself. Each call site is a place where the secret leaves its wrapper.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Sensitive(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Sensitive(value.to_owned())
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(***)")
    }
}

impl<T: Serialize> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Sensitive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_serde_is_transparent() -> Result<(), serde_json::Error> {
        let key = Sensitive::from("0e83678f102d188d8875e8e4c781b984");
        assert_eq!(format!("{key:?}"), "Sensitive(***)");
        assert_eq!(format!("{:?}", Some(&key)), "Some(Sensitive(***))");
        assert_eq!(serde_json::to_string(&key)?, r#""0e83678f102d188d8875e8e4c781b984""#);
        let back: Sensitive<String> = serde_json::from_str(r#""abc""#)?;
        assert_eq!(back.expose(), "abc");
        Ok(())
    }
}
