//! [`WireFields`]: the member names the spec knows for an answer type, so the members it does not
//! know can be found in the raw JSON (see `client::WithRaw::unknown_fields` and
//! `callback::Verified::unknown_fields`, each behind its feature).
//!
//! Typed answers drop the members their spec does not list. When the vendor adds a member before
//! the spec does (or a page is cut off before it), the raw JSON still holds it, and
//! [`unknown_members`] lists it.

use serde_json::{Map, Value};

/// An answer type generated from a table of the spec: the wire names of the fields it reads.
pub trait WireFields {
    /// The wire names of the fields, in table order.
    const WIRE_FIELDS: &'static [&'static str];
}

impl WireFields for crate::callback::Notification {
    const WIRE_FIELDS: &'static [&'static str] = crate::callback::Notification::WIRE_FIELDS;
}

/// The members of `object` whose names are not in `known`, in the object's order.
pub fn unknown_members<'a>(
    known: &'static [&'static str],
    object: &'a Map<String, Value>,
) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
    object.iter().filter(move |(name, _)| !known.contains(&name.as_str())).map(|(name, v)| (name.as_str(), v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_only_unknown_members() {
        let value = serde_json::json!({"paymentId": "1", "paymentTokenId": "tok", "amount": null});
        let object = value.as_object().cloned().unwrap_or_default();
        let unknown: Vec<(&str, &Value)> = unknown_members(&["paymentId", "amount"], &object).collect();
        assert_eq!(unknown, vec![("paymentTokenId", &Value::from("tok"))]);
    }
}
