//! Rust names, decided once from spec names (with `heck`).

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::spec::model::Field;

/// Rust keywords that cannot be field or method names.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "yield",
    // reserved for future use
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual",
];

/// Type names the generated crate defines or re-exports at its root, and prelude types a
/// generated item could shadow: a spec type (endpoint, enum, nested object, callback) may not use
/// them.
pub const RESERVED_TYPES: &[&str] = &[
    "OttPay",
    "Client",
    "ClientBuilder",
    "Error",
    "Backoff",
    "ConfigError",
    "Environment",
    "CallbackError",
    "SignKey",
    "VerifiedPaymentResult",
    "Notification",
    "Verified",
    "Auth",
    "Endpoint",
    "Retry",
    "Cents",
    "ReportedAmount",
    "Sensitive",
    "Rule",
    "Validate",
    "ValidationErrors",
    "Violation",
    "WithRaw",
    "WireFields",
    "Validator",
    "Api",
    "ApiCode",
    "Envelope",
    "TokenAnswer",
    "String",
    "Option",
    "Vec",
    "Result",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "PhantomData",
    "Value",
    "Self",
];

/// The Rust field name of a spec field: `rust_name`, or the snake_case of the wire name.
pub fn field(f: &Field) -> String {
    f.rust_name.clone().unwrap_or_else(|| snake(&f.name))
}

/// snake_case, with a trailing `_` on keywords.
pub fn snake(name: &str) -> String {
    let s = name.to_snake_case();
    if KEYWORDS.contains(&s.as_str()) { format!("{s}_") } else { s }
}

/// UpperCamelCase.
pub fn camel(name: &str) -> String {
    name.to_upper_camel_case()
}

/// The request struct of endpoint `id`.
pub fn request(id: &str) -> String {
    format!("{}Request", camel(id))
}

/// The response struct of endpoint `id`.
pub fn response(id: &str) -> String {
    format!("{}Response", camel(id))
}

/// The struct that names the required fields of request struct `name` (`CardPayment3dsRequest`
/// -> `CardPayment3dsRequired`; a nested `Address` -> `AddressRequired`).
pub fn required(name: &str) -> String {
    format!("{}Required", name.strip_suffix("Request").unwrap_or(name))
}

/// The struct of a nested object field.
pub fn nested(f: &Field) -> String {
    f.rust_type.clone().unwrap_or_else(|| camel(&f.name))
}

/// The outer body struct of callback `id`.
pub fn notification(id: &str) -> String {
    format!("{}Notification", camel(id))
}

/// The decrypted data struct of callback `id`.
pub fn notification_data(id: &str) -> String {
    format!("{}Data", camel(id))
}

/// An enum variant for wire value `value`: `rust_name`, or UpperCamelCase of the value.
pub fn variant(value: &str, rust_name: Option<&str>) -> String {
    rust_name.map_or_else(|| camel(&value.to_lowercase()), str::to_owned)
}

/// Whether `s` is a valid Rust identifier (and not a keyword).
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// Whether `s` is a snake_case identifier (a keyword with the `_` that [`snake`] appends counts).
pub fn is_snake(s: &str) -> bool {
    let stem = s.strip_suffix('_').filter(|stem| KEYWORDS.contains(stem)).unwrap_or(s);
    is_ident(s) && stem.to_snake_case() == stem
}

/// Whether `s` is a Rust keyword (reserved ones included).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Method names a request type already has (its constructor, `Validate`'s methods, and methods of
/// the traits it derives): an optional field's setter may not take one of them.
pub const RESERVED_SETTERS: &[&str] = &[
    "new",
    "validate",
    "validate_into",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "serialize",
    "deserialize",
    "default",
    "into",
    "from",
    "to_owned",
    "try_into",
    "try_from",
    "type_id",
    "borrow",
    "borrow_mut",
];

/// Method names the client already has: an endpoint id may not take one of them.
pub const RESERVED_METHODS: &[&str] = &[
    "send",
    "send_with_raw",
    "builder",
    "base_url",
    "from_client",
    "clone",
    "clone_from",
    "fmt",
    "into",
    "from",
    "to_owned",
    "try_into",
    "try_from",
    "type_id",
    "borrow",
    "borrow_mut",
    "eq",
    "ne",
    "default",
];

/// Module names a group may not take: the crate's own modules (groups are re-exported at its root),
/// and crates the generated code names.
pub const RESERVED_MODULES: &[&str] = &[
    "errors",
    "enums",
    "callbacks",
    "service",
    "api",
    "callback",
    "client",
    "registry",
    "runtime",
    "serde",
    "std",
    "core",
    "alloc",
    "ottpay_runtime",
    "ottpay",
    "reqwest",
    "tests",
];

/// Whether `s` is an UpperCamelCase identifier.
pub fn is_camel(s: &str) -> bool {
    is_ident(s) && s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !s.contains('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake("callbackURL"), "callback_url");
        assert_eq!(snake("returnUrl"), "return_url");
        assert_eq!(snake("type"), "type_");
        assert_eq!(request("alipay_wap_pay"), "AlipayWapPayRequest");
        assert_eq!(variant("partial_refunded", None), "PartialRefunded");
        assert_eq!(variant("THREEDS_AUTH_CHALLENGE", None), "ThreedsAuthChallenge");
        assert!(is_snake("alipay_wap_pay") && !is_snake("AlipayWap") && !is_snake("a-b"));
        for k in ["type", "ref", "self", "crate", "async", "try", "abstract"] {
            assert!(is_snake(&snake(k)), "{k} -> {}", snake(k));
        }
        assert!(!is_snake("try") && !is_snake("abstract"));
        assert!(is_camel("PaymentStatus") && !is_camel("payment_status"));
    }
}
