//! Specs the generator must reject, each with a located, coded diagnostic and nothing written:
//! names it cannot emit, limits and contradictions, and example values the generated types would
//! refuse. Each case is one edit of tests/fixtures/mini.yaml.

use std::fs;
use std::path::Path;

use ottpay_codegen::Code;

fn mini() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.yaml")).unwrap_or_default()
}

/// (what, the text replaced, its replacement, the expected code, a substring of the message)
const CASES: &[(&str, &str, &str, Code, &str)] = &[
    ("keyword endpoint id", "  - id: card_pay\n", "  - id: type\n", Code::BadIdentifier, "is a Rust keyword"),
    ("reserved keyword endpoint id", "  - id: card_pay\n", "  - id: try\n", Code::BadIdentifier, "is a Rust keyword"),
    (
        "endpoint named like a client method",
        "  - id: card_pay\n",
        "  - id: send\n",
        Code::RustNameCollision,
        "already has a method `send`",
    ),
    ("endpoint named builder", "  - id: card_pay\n", "  - id: builder\n", Code::RustNameCollision, "`builder`"),
    ("group named like a crate", "    group: card\n", "    group: serde\n", Code::RustNameCollision, "group `serde`"),
    (
        "group named like the crate's module",
        "    group: card\n",
        "    group: callback\n",
        Code::RustNameCollision,
        "group `callback`",
    ),
    (
        "optional field whose setter would be new",
        "{name: country, type: String, required: false,",
        "{name: new, type: String, required: false,",
        Code::RustNameCollision,
        "setter `new`",
    ),
    (
        "rust_name that is a keyword",
        "{name: country, type: String, required: false,",
        "{name: country, rust_name: abstract, type: String, required: false,",
        Code::BadIdentifier,
        "is a Rust keyword",
    ),
    (
        "a length beyond the format's limit",
        "format: country, length: 2}",
        "length: 18446744073709551615}",
        Code::ConstraintMismatch,
        "largest length",
    ),
    (
        "min_length beyond the limit",
        "format: country, length: 2}",
        "min_length: 100000000}",
        Code::ConstraintMismatch,
        "largest length",
    ),
    (
        "length 0 with format country",
        "format: country, length: 2}",
        "format: country, length: 0}",
        Code::ConstraintMismatch,
        "no valid length",
    ),
    (
        "length 2 with max_length 1",
        "format: country, length: 2}",
        "length: 2, max_length: 1}",
        Code::ConstraintMismatch,
        "no valid length",
    ),
    (
        "two endpoints with one path",
        "    path: /api/v1/card/pay\n",
        "    path: /api/v1/auth/token\n",
        Code::DuplicateDefinition,
        "already the path",
    ),
    (
        "an error code listed twice",
        "    errors: [10005, 90000]\n",
        "    errors: [10005, 90000, 10005]\n",
        Code::DuplicateDefinition,
        "listed twice",
    ),
    (
        "cents as words in an example",
        r#"request: {"amount": 100,"#,
        r#"request: {"amount": "ten","#,
        Code::ExampleShape,
        "whole, non-negative number of cents",
    ),
    (
        "cents beyond i64::MAX in an example",
        r#"request: {"amount": 100,"#,
        r#"request: {"amount": 9223372036854775808,"#,
        Code::ExampleShape,
        "number of cents",
    ),
    (
        "a fraction for an integer in an example answer",
        r#"{"token": "t", "expired": 1}"#,
        r#"{"token": "t", "expired": 1.5}"#,
        Code::ExampleShape,
        "must be an integer",
    ),
    (
        "a key twice inside an example",
        r#"request: {"amount": 100,"#,
        r#"request: {"amount": 100, "amount": 200,"#,
        Code::DuplicateKey,
        "duplicate",
    ),
    (
        "a request amount without max_cents",
        ", min_cents: 1, max_cents: 9223372036854775807}",
        ", min_cents: 1}",
        Code::MissingKey,
        "max_cents",
    ),
    (
        "max_cents beyond i64::MAX",
        "max_cents: 9223372036854775807}",
        "max_cents: 9223372036854775808}",
        Code::ConstraintMismatch,
        "max_cents",
    ),
    ("a payment without unknown_outcome", "    unknown_outcome: card\n", "", Code::MissingKey, "unknown_outcome"),
];

#[test]
fn each_case_is_rejected_with_its_code_and_a_position() {
    let base = mini();
    assert!(ottpay_codegen::generate("mini.yaml", &base).is_ok(), "mini.yaml itself is valid");
    for (what, from, to, code, needle) in CASES {
        assert!(base.contains(from), "{what}: mini.yaml no longer contains {from:?}");
        let text = base.replacen(from, to, 1);
        match ottpay_codegen::generate("mini.yaml", &text) {
            Ok(_) => panic!("{what}: accepted"),
            Err(d) => {
                let hit = d.0.iter().find(|x| x.code == *code && x.message.contains(needle));
                let Some(hit) = hit else { panic!("{what}: expected {code:?} with {needle:?}, got:\n{d}") };
                assert!(hit.pos.is_some(), "{what}: the diagnostic has no position:\n{d}");
                assert!(!hit.hint.is_empty(), "{what}: the diagnostic has no hint");
            }
        }
    }
}
