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
    for name in
        ["url", "country", "mmyy", "card_number", "cvv", "email", "max_length", "min_length", "length", "min_cents"]
    {
        assert!(names.contains(&name), "no case for rule `{name}`");
    }
}
