//! [`Sensitive`]: a value that never shows itself in `Debug`.

use std::fmt;

use serde::de::{self, Error as _, Visitor};
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
    /// Deserializes `T`; an error never quotes the input (serde's own messages do, as in
    /// "invalid type: integer `4111111111111111`"), only that a sensitive value was invalid.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer)
            .map(Sensitive)
            .map_err(|_| D::Error::custom("invalid sensitive value (the value is not shown)"))
    }
}

/// Deserializes the sensitive string field `field` (its wire name): a JSON string, or an error
/// that names the field and the kind of value found, never the value. Generated request and
/// response types use it for every sensitive field.
///
/// # Errors
/// When the value is not a string.
pub fn deserialize_field<'de, D: Deserializer<'de>>(
    deserializer: D,
    field: &'static str,
) -> Result<Sensitive<String>, D::Error> {
    deserializer.deserialize_any(FieldVisitor { field }).map(Sensitive)
}

/// As [`deserialize_field`], for an optional field: `null` is `None`.
///
/// # Errors
/// When the value is neither a string nor `null`.
pub fn deserialize_optional_field<'de, D: Deserializer<'de>>(
    deserializer: D,
    field: &'static str,
) -> Result<Option<Sensitive<String>>, D::Error> {
    deserializer.deserialize_option(OptionVisitor { field })
}

struct FieldVisitor {
    field: &'static str,
}

impl FieldVisitor {
    fn wrong<E: de::Error>(&self, kind: &str) -> E {
        E::custom(format_args!(
            "invalid type for sensitive field `{}`: {kind}, expected a string (the value is not shown)",
            self.field
        ))
    }
}

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string for sensitive field `{}`", self.field)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<String, E> {
        Err(self.wrong("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<String, E> {
        Err(self.wrong("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<String, E> {
        Err(self.wrong("a number"))
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<String, E> {
        Err(self.wrong("a number"))
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<String, E> {
        Err(self.wrong("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<String, E> {
        Err(self.wrong("a number"))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<String, E> {
        Err(self.wrong("bytes"))
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Err(self.wrong("null"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(self.wrong("null"))
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.wrong("an array"))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.wrong("an object"))
    }
}

struct OptionVisitor {
    field: &'static str,
}

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Option<Sensitive<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string or null for sensitive field `{}`", self.field)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserialize_field(deserializer, self.field).map(Some)
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

    #[test]
    fn errors_never_quote_the_value() {
        let generic = serde_json::from_str::<Sensitive<String>>("4111111111111111").err().map(|e| format!("{e} {e:?}"));
        assert!(generic.is_some_and(|e| !e.contains("4111111111111111")));

        #[derive(Debug, serde::Deserialize)]
        struct Card {
            #[serde(rename = "accountNumber", deserialize_with = "number")]
            _number: Sensitive<String>,
            #[serde(default, deserialize_with = "cvv")]
            _cvv: Option<Sensitive<String>>,
        }
        fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Sensitive<String>, D::Error> {
            deserialize_field(d, "accountNumber")
        }
        fn cvv<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Sensitive<String>>, D::Error> {
            deserialize_optional_field(d, "cvn2")
        }
        for body in [
            r#"{"accountNumber": 4111111111111111}"#,
            r#"{"accountNumber": [4111111111111111]}"#,
            r#"{"accountNumber": {"n": "4111111111111111"}}"#,
            r#"{"accountNumber": "4111111111111111", "_cvv": 4111111111111111}"#,
        ] {
            let err = serde_json::from_str::<Card>(body).err().map(|e| format!("{e} {e:?}")).unwrap_or_default();
            assert!(err.contains("sensitive field `"), "{err}");
            assert!(!err.contains("4111111111111111"), "{err}");
        }
        let ok: Result<Card, _> = serde_json::from_str(r#"{"accountNumber": "4111111111111111", "_cvv": null}"#);
        assert!(ok.is_ok());
    }
}
