//! The decrypted JSON object as sent: its entries in order, with each value's raw JSON text, and
//! the integrity digest computed from them (the vendor's callback page).
//!
//! The digest is taken over the *raw* object, not the typed struct, so fields this crate does not
//! know about still count, and a number is hashed as the digits that were sent.

use serde::Deserializer as _;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

use super::crypto::md5_upper_hex;

/// One `"key": value` of the decrypted object; the value is its exact JSON text.
pub(super) type Entry<'a> = (String, &'a RawValue);

/// Why a plaintext is not a usable JSON object.
pub(super) enum ObjectError {
    /// Not JSON at all (position of the syntax error).
    NotJson { line: usize, column: usize },
    /// Valid JSON, but not an object.
    NotObject { found: &'static str },
    /// The same key twice: the digest and the typed fields could disagree on which one counts.
    DuplicateKey,
}

/// Parses `text` as one JSON object and returns its entries sorted by key (byte-wise).
pub(super) fn sorted_entries(text: &str) -> Result<Vec<Entry<'_>>, ObjectError> {
    let not_json = |e: serde_json::Error| ObjectError::NotJson { line: e.line(), column: e.column() };
    let raw: &RawValue = serde_json::from_str(text).map_err(not_json)?;
    let found = json_kind(raw);
    if found != "object" {
        return Err(ObjectError::NotObject { found });
    }
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let mut entries = de.deserialize_map(EntriesVisitor).map_err(not_json)?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    if entries.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(ObjectError::DuplicateKey);
    }
    Ok(entries)
}

/// The kind of JSON value, from its first character (`RawValue` text has no leading whitespace).
pub(super) fn json_kind(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'"') => "string",
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        _ => "number",
    }
}

/// Upper-case hex MD5 over the values concatenated in ascending key order: a string as its
/// content, a number or boolean as its JSON text, `null` as nothing, a nested object or array as
/// its compact JSON text. `entries` must already be sorted.
pub(super) fn digest(entries: &[Entry<'_>]) -> Result<[u8; 32], serde_json::Error> {
    let mut input = String::new();
    for (_, raw) in entries {
        let text = raw.get();
        match json_kind(raw) {
            "string" => input.push_str(&serde_json::from_str::<std::borrow::Cow<'_, str>>(text)?),
            "null" => {}
            "object" | "array" => {
                input.push_str(&serde_json::from_str::<serde_json::Value>(text)?.to_string());
            }
            _ => input.push_str(text),
        }
    }
    Ok(md5_upper_hex(input.as_bytes()))
}

/// Collects a map's entries in order, keeping duplicates (so they can be rejected).
struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Vec<Entry<'de>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<&'de RawValue>()?;
            entries.push((key, value));
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> String {
        match sorted_entries(text) {
            Ok(entries) => digest(&entries).map(|h| String::from_utf8_lossy(&h).into_owned()).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    #[test]
    fn digest_of_the_reference_plaintext() {
        let plain = r#"{"order_id":"17647123456789012","merchant_id":"ON00000097","amount":"1000","tip":"0","bizpay_order_id":"AL7700112233445566","exchange_rate":"5.102030","finish_time":"2026-11-28 10:15:00","remarks":"订单-42","sub_openId":"2088000011112222"}"#;
        assert_eq!(hex(plain), "B63B153D7BF1DBE7327A6396B2D88C7F");
    }

    #[test]
    fn values_render_as_documented() {
        // keys a..e in order: "x" + "1.50" (as sent) + "" (null) + "true" + "é" (unescaped)
        let text = r#"{ "b" : 1.50, "a":"x", "c":null, "d":true, "e":"\u00e9" }"#;
        let expected = String::from_utf8_lossy(&md5_upper_hex("x1.50trueé".as_bytes())).into_owned();
        assert_eq!(hex(text), expected);
    }

    #[test]
    fn rejects_duplicates_and_non_objects() {
        assert!(matches!(sorted_entries(r#"{"a":"1","a":"2"}"#), Err(ObjectError::DuplicateKey)));
        assert!(matches!(sorted_entries("[1]"), Err(ObjectError::NotObject { found: "array" })));
        assert!(matches!(sorted_entries("{"), Err(ObjectError::NotJson { .. })));
    }
}
