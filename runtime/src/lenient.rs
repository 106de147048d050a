//! Liberal readers for response fields: what third-party servers and clients really send.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// Reads an optional integer sent as a JSON number or as a string of digits (`1677688934293` or
/// `"1677688934293"`), or `null`. A fraction, an empty string or any other text is an error.
///
/// # Errors
/// When the value is not an integer in either form.
pub fn int_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_any(IntVisitor)
}

struct IntVisitor;

impl<'de> Visitor<'de> for IntVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, as a JSON number or a string of digits")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v).map(Some).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        let digits = t.strip_prefix('-').unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::invalid_value(de::Unexpected::Str(v), &self));
        }
        t.parse().map(Some).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct T {
        #[serde(default, deserialize_with = "super::int_opt")]
        expired: Option<i64>,
    }

    fn read(body: &str) -> Option<Option<i64>> {
        serde_json::from_str::<T>(body).ok().map(|t| t.expired)
    }

    #[test]
    fn numbers_and_strings_of_digits() {
        assert_eq!(read(r#"{"expired": 1677688934293}"#), Some(Some(1_677_688_934_293)));
        assert_eq!(read(r#"{"expired": "1677688934293"}"#), Some(Some(1_677_688_934_293)));
        assert_eq!(read(r#"{"expired": " -5 "}"#), Some(Some(-5)));
        assert_eq!(read(r#"{"expired": null}"#), Some(None));
        assert_eq!(read("{}"), Some(None));
        for bad in [
            r#"{"expired": 1.5}"#,
            r#"{"expired": "1.5"}"#,
            r#"{"expired": ""}"#,
            r#"{"expired": "soon"}"#,
            r#"{"expired": true}"#,
            r#"{"expired": 18446744073709551615}"#,
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }
}
