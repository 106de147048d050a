//! Money: [`Cents`] for amounts we send, [`ReportedAmount`] for amounts the server reports.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of money in minor units (cents): `Cents::new(100)` is one dollar.
///
/// OTT Pay states every request amount in cents. Some fields travel as a JSON string (`"1000"`),
/// others as a JSON number (`1000`); the generated request types pick the wire form the spec gives
/// each field, so nobody formats amounts by hand. Deserializing accepts either form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(u64);

impl Cents {
    /// The largest amount any field accepts: `i64::MAX` cents, so the amount fits a signed 64-bit
    /// integer on any backend. Deserialization rejects more; each amount field of the spec states
    /// its own `max_cents` (at most this), checked by `validate()`.
    pub const MAX: Cents = Cents(i64::MAX as u64);

    /// An amount of `cents` minor units.
    pub const fn new(cents: u64) -> Self {
        Cents(cents)
    }

    /// The amount in minor units.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl From<u64> for Cents {
    fn from(cents: u64) -> Self {
        Cents(cents)
    }
}

impl fmt::Display for Cents {
    /// Formats the amount as its count of cents, the way it goes on the wire (`1000`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Cents {
    /// Serializes as a JSON number; fields whose wire form is a string use [`as_string`].
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Cents {
    /// Accepts `1000` or `"1000"`; rejects negatives, fractions, amounts above [`Cents::MAX`] and
    /// anything else.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CentsVisitor)
    }
}

struct CentsVisitor;

impl Visitor<'_> for CentsVisitor {
    type Value = Cents;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole, non-negative number of cents, at most 9223372036854775807, as a JSON number or a string of digits")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cents, E> {
        if v > Cents::MAX.0 {
            return Err(E::invalid_value(de::Unexpected::Unsigned(v), &self));
        }
        Ok(Cents(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cents, E> {
        u64::try_from(v).map(Cents).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cents, E> {
        Err(E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cents, E> {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::invalid_value(de::Unexpected::Str(v), &self));
        }
        match v.parse::<u64>() {
            Ok(c) if c <= Cents::MAX.0 => Ok(Cents(c)),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// `#[serde(with)]` module for a [`Cents`] field whose wire form is a JSON string (`"1000"`).
pub mod as_string {
    use super::Cents;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the amount as a string of digits.
    pub fn serialize<S: Serializer>(value: &Cents, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a string of digits or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cents, D::Error> {
        Cents::deserialize(deserializer)
    }
}

/// `#[serde(with)]` module for an optional [`Cents`] field whose wire form is a JSON string.
pub mod as_string_opt {
    use super::Cents;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the amount as a string of digits (absent values are skipped by the field's attributes).
    pub fn serialize<S: Serializer>(value: &Option<Cents>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(c) => serializer.collect_str(c),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a string of digits, a number, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Cents>, D::Error> {
        Option::<Cents>::deserialize(deserializer)
    }
}

/// An amount as the server reported it, kept verbatim.
///
/// The vendor's tables say response amounts are cents, but the vendor's own examples return dollars
/// (`"10.00"` for a request of `"1000"`) and `null`. This type keeps exactly what arrived, string or
/// number, and offers [`ReportedAmount::as_cents`] only when the text is a plain count of cents.
/// Treat it as informational: the amount you charged is the one you sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReportedAmount(String);

impl ReportedAmount {
    /// The amount exactly as the server wrote it (a JSON number is kept as its text).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The amount as cents when the server sent a plain string of digits; `None` for text such
    /// as `"10.00"` whose unit is ambiguous.
    pub fn as_cents(&self) -> Option<Cents> {
        if self.0.is_empty() || !self.0.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.0.parse().ok().map(Cents)
    }
}

impl From<&str> for ReportedAmount {
    fn from(text: &str) -> Self {
        ReportedAmount(text.to_owned())
    }
}

impl fmt::Display for ReportedAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ReportedAmount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ReportedAmount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ReportedVisitor;
        impl Visitor<'_> for ReportedVisitor {
            type Value = ReportedAmount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ReportedAmount, E> {
                Ok(ReportedAmount(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ReportedAmount, E> {
                Ok(ReportedAmount(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ReportedAmount, E> {
                Ok(ReportedAmount(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ReportedAmount, E> {
                Ok(ReportedAmount(v.to_string()))
            }
        }
        deserializer.deserialize_any(ReportedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Both {
        #[serde(with = "as_string")]
        s: Cents,
        n: Cents,
    }

    #[test]
    fn wire_forms_round_trip() -> Result<(), serde_json::Error> {
        let v: Both = serde_json::from_str(r#"{"s":"1000","n":5000}"#)?;
        assert_eq!(v, Both { s: Cents::new(1000), n: Cents::new(5000) });
        assert_eq!(serde_json::to_string(&v)?, r#"{"s":"1000","n":5000}"#);
        // Liberal: either form is accepted on input.
        let v: Both = serde_json::from_str(r#"{"s":1000,"n":"5000"}"#)?;
        assert_eq!(v, Both { s: Cents::new(1000), n: Cents::new(5000) });
        Ok(())
    }

    #[test]
    fn rejects_what_is_not_cents() {
        for bad in [r#""10.00""#, "-1", "1.5", r#""""#, r#"" 1""#, r#""-5""#, "null", r#""99999999999999999999999""#] {
            let err = serde_json::from_str::<Cents>(bad);
            assert!(err.is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn reported_amount_keeps_the_text() -> Result<(), serde_json::Error> {
        let dollars: ReportedAmount = serde_json::from_str(r#""10.00""#)?;
        assert_eq!(dollars.as_str(), "10.00");
        assert_eq!(dollars.as_cents(), None);
        let cents: ReportedAmount = serde_json::from_str("1000")?;
        assert_eq!(cents.as_cents(), Some(Cents::new(1000)));
        Ok(())
    }
}
