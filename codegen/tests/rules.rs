//! One set of rules: the generator checks the spec's vendor examples with the runtime's own
//! `Rule`s (ottpay-runtime), so for every rule a value the runtime rejects is also rejected when a
//! spec example carries it, and a value the runtime accepts is accepted there too.

use std::fs;
use std::path::Path;

use ottpay_codegen::Code;
use ottpay_runtime::Rule;

/// (the field's constraint in the spec, the runtime rule, a value it rejects, a value it accepts)
/// The rejected values include the ones a second copy of the rules once let through.
const CASES: &[(&str, Rule, &str, &str)] = &[
    ("format: url", Rule::Url, r#""shop.example/cb""#, r#""https://shop.example/cb""#),
    ("format: country", Rule::Country, r#""ZZ""#, r#""CA""#),
    ("format: mmyy", Rule::Mmyy, r#""1330""#, r#""0130""#),
    ("format: card_number", Rule::CardNumber, r#""4111111111111112""#, r#""4111111111111111""#),
    ("format: cvv", Rule::Cvv, r#""12a""#, r#""737""#),
    ("format: email", Rule::Email, r#""payer@shop..example""#, r#""payer@shop.example""#),
    ("max_length: 3", Rule::MaxChars(3), r#""éééé""#, r#""ééé""#),
    ("min_length: 3", Rule::MinChars(3), r#""éé""#, r#""ééé""#),
    ("length: 3", Rule::ExactChars(3), r#""éééé""#, r#""ééé""#),
    ("format: cents, min_cents: 5, max_cents: 9", Rule::MinCents(5), r#""4""#, r#""5""#),
    ("format: cents, min_cents: 5, max_cents: 9", Rule::MaxCents(9), r#""10""#, r#""9""#),
    ("max_length: 30", Rule::NoControl, r#""order\u0000 42""#, r#""order 42""#),
    ("format: url", Rule::Url, r#""https://shop.example/cb\r\nX-Injected: 1""#, r#""https://shop.example/cb?x=1""#),
    ("format: url", Rule::Url, r#"" https://shop.example/cb""#, r#""https://shop.example/cb""#),
    (
        "charset: alnum_dash_underscore",
        Rule::Charset(ottpay_runtime::Charset::AlnumDashUnderscore),
        r#""ON97-1764712345.x""#,
        r#""ON97-1764712345_x""#,
    ),
    (
        "charset: alnum_dash_underscore, max_length: 32",
        Rule::MaxChars(32),
        r#""aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#,
        r#""a""#,
    ),
];

fn mini() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.yaml")).unwrap_or_default()
}

/// mini.yaml with an optional field `probe` carrying `constraint` on `card_pay`, and `value` in
/// its vendor example.
fn with_probe(constraint: &str, value: &str) -> String {
    let text = mini();
    let row = "      - {name: accountNumber, type: String, required: true, description: Card number., format: card_number, sensitive: true}\n";
    let example = r#"request: {"amount": 100, "#;
    assert!(text.contains(row) && text.contains(example), "mini.yaml changed shape");
    text.replacen(
        row,
        &format!("{row}      - {{name: probe, type: String, required: false, description: Probe., {constraint}}}\n"),
        1,
    )
    .replacen(example, &format!(r#"request: {{"probe": {value}, "amount": 100, "#), 1)
}

#[test]
fn a_value_the_runtime_rejects_is_rejected_in_a_spec_example() {
    for (constraint, rule, bad, good) in CASES {
        let bad_text: String = serde_json::from_str(bad).unwrap_or_default();
        let good_text: String = serde_json::from_str(good).unwrap_or_default();
        assert!(!rule.holds_for_text(&bad_text), "{constraint}: the runtime should reject {bad}");
        assert!(rule.holds_for_text(&good_text), "{constraint}: the runtime should accept {good}");

        match ottpay_codegen::generate("mini.yaml", &with_probe(constraint, bad)) {
            Ok(_) => panic!("{constraint}: an example with {bad} was accepted, but the runtime rejects it"),
            Err(d) => {
                let hit = d.0.iter().any(|x| {
                    x.code == Code::ExampleViolation && x.path.ends_with(".probe") && x.message.contains(rule.name())
                });
                assert!(hit, "{constraint}: expected an example violation of `{}` at probe, got:\n{d}", rule.name());
            }
        }
        if let Err(d) = ottpay_codegen::generate("mini.yaml", &with_probe(constraint, good)) {
            panic!("{constraint}: an example with {good} was rejected, but the runtime accepts it:\n{d}");
        }
    }
}

#[test]
fn every_rule_is_covered() {
    let names: Vec<&str> = CASES.iter().map(|(_, r, _, _)| r.name()).collect();
    for name in [
        "url",
        "country",
        "mmyy",
        "card_number",
        "cvv",
        "email",
        "max_length",
        "min_length",
        "length",
        "min_cents",
        "charset",
    ] {
        assert!(names.contains(&name), "no case for rule `{name}`");
    }
}

/// A rule marked as the SDK's own (`sdk_rules`) is shown as such in the field's and the setter's
/// rustdoc, in API.md and in openapi.json, with its reason; the vendor's rules are not marked.
#[test]
fn sdk_rules_are_marked_in_every_output() {
    let row =
        "      - {name: country, type: String, required: false, description: Country., format: country, length: 2}\n";
    let text = mini();
    assert!(text.contains(row), "mini.yaml changed shape");
    let marked = text.replacen(
        row,
        "      - {name: country, type: String, required: false, description: Country., format: country, length: 2,\n         sdk_rules: {country: 'The vendor asks for 2 characters only; the assigned-code list is ours.'}}\n",
        1,
    );
    let files = match ottpay_codegen::generate("mini.yaml", &marked) {
        Ok(files) => files,
        Err(d) => panic!("a valid sdk_rules entry was refused:\n{d}"),
    };
    let file = |path: &str| files.iter().find(|f| f.path == path).map(|f| f.contents.clone()).unwrap_or_default();
    let reason = "The vendor asks for 2 characters only; the assigned-code list is ours.";

    let card = file("generated/src/api/card.rs");
    assert!(card.contains(&format!("/// - an ISO 3166-1 alpha-2 country code: {reason}")), "{card}");
    assert!(
        card.contains("SDK rules (checked by this SDK before sending; OTT Pay's documentation states no such rule):")
    );
    assert!(
        card.contains("`validate()` checks rules of this SDK's own (an ISO 3166-1 alpha-2 country code)"),
        "setter"
    );
    // Only the marked rule: the vendor's length rule is not listed as the SDK's.
    assert!(!card.contains("- exactly 2 characters:"));

    let md = file("generated/API.md");
    assert!(md.contains("an ISO 3166-1 alpha-2 country code (*SDK rule*); exactly 2 characters"), "{md}");
    assert!(md.contains(&format!("- `country`, an ISO 3166-1 alpha-2 country code: {reason}")));

    let openapi: serde_json::Value = serde_json::from_str(&file("generated/openapi.json")).unwrap_or_default();
    let props = &openapi["components"]["schemas"]["CardPayRequest"]["properties"];
    assert_eq!(props["country"]["x-ottpay-sdk-rules"], serde_json::json!({"country": reason}));
    assert!(props["callBackURL"].get("x-ottpay-sdk-rules").is_none(), "an unmarked field has no marking");

    // Without the marking, nothing says SDK rule.
    let plain = ottpay_codegen::generate("mini.yaml", &text).unwrap_or_default();
    assert!(
        plain
            .iter()
            .all(|f| !f.contents.contains("SDK rules (checked") && !f.contents.contains("x-ottpay-sdk-rules\":"))
    );
}
