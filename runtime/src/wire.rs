//! [`WireFields`]: the member names the spec knows for an answer type, so the members it does not
//! know can be found in the raw JSON (see `client::WithRaw::unknown_fields` and
//! `callback::Verified::unknown_fields`, each behind its feature).
//!
//! Typed answers drop the members their spec does not list. When the vendor adds a member before
//! the spec does (or a page is cut off before it), the raw JSON still holds it, and
//! [`unknown_members`] lists it.

/// An answer type generated from a table of the spec: the wire names of the fields it reads.
pub trait WireFields {
    /// The wire names of the fields, in table order.
    const WIRE_FIELDS: &'static [&'static str];
}

impl WireFields for crate::callback::Notification {
    const WIRE_FIELDS: &'static [&'static str] = crate::callback::Notification::WIRE_FIELDS;
}

/// The members of `object` whose names are not in `known`, in the object's order. `object` is
/// anything that iterates over (name, value) pairs, such as a `&serde_json::Map<String, Value>`
/// (this crate only depends on serde_json with the features that read raw JSON).
pub fn unknown_members<'a, K, V>(
    known: &'static [&'static str],
    object: impl IntoIterator<Item = (&'a K, &'a V)> + 'a,
) -> impl Iterator<Item = (&'a str, &'a V)> + 'a
where
    K: AsRef<str> + ?Sized + 'a,
    V: ?Sized + 'a,
{
    object.into_iter().map(|(name, v)| (name.as_ref(), v)).filter(move |(name, _)| !known.contains(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn lists_only_unknown_members() {
        let value = serde_json::json!({"paymentId": "1", "paymentTokenId": "tok", "amount": null});
        let object = value.as_object().cloned().unwrap_or_default();
        let unknown: Vec<(&str, &Value)> = unknown_members(&["paymentId", "amount"], &object).collect();
        assert_eq!(unknown, vec![("paymentTokenId", &Value::from("tok"))]);
    }
}
