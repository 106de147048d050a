//! `cargo xtask diff`: one edit of codegen/tests/fixtures/mini.yaml per rule, with the exact
//! report expected (rule and place of every change); a reformatting that changes no value reports
//! nothing; arguments and rendering.

#![allow(clippy::unwrap_used)] // a test's unwrap is its assertion

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use xtask::diff::{self, Report};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn mini() -> String {
    std::fs::read_to_string(workspace().join("codegen/tests/fixtures/mini.yaml")).unwrap()
}

/// Truncates the spec at `callbacks:` (drops the callback).
const NO_CALLBACKS: &str = "<no callbacks>";

/// mini.yaml with each `(from, to)` applied; `from` must occur exactly once.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = mini();
    for (from, to) in edits {
        if *from == NO_CALLBACKS {
            let at = text.find("callbacks:").unwrap();
            text.truncate(at);
            continue;
        }
        assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once in the spec being edited");
        text = text.replacen(from, to, 1);
    }
    text
}

fn report(old: &str, new: &str) -> Report {
    match Report::of_texts(("old.yaml", old), ("new.yaml", new)) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

/// (rule, place) of every change.
fn found(r: &Report) -> BTreeSet<(String, String)> {
    r.changes.iter().map(|(c, rule)| (rule.id.to_owned(), c.place.clone())).collect()
}

const PING: &str = "  - id: ping
    group: auth
    summary: Ping.
    source: documented
    method: POST
    path: /api/v1/ping
    auth: none # ping-auth
    retry: safe # ping-retry
    request:
      - {name: echo, type: String, required: false, description: Echo.}
    response: []
callbacks:";
const ADD_PING: (&str, &str) = ("callbacks:", PING);
const COUNTRY: &str =
    "      - {name: country, type: String, required: false, description: Country., format: country, length: 2}\n";
const ENUM_COLOR: &str = "  - name: Color
    description: A color.
    values:
      - {value: red, description: Red.}
errors:
  - {code: 10005,";
const ERROR_BUSY: &str = "  - {code: 10006, name: Busy, message: Busy, description: Try later.}\nendpoints:\n";

struct Case {
    rule: &'static str,
    old: &'static [(&'static str, &'static str)],
    new: &'static [(&'static str, &'static str)],
    /// (rule, place) of every change expected.
    expect: &'static [(&'static str, &'static str)],
}

const EX: (&str, &str) = ("endpoint-docs-changed", "card_pay examples");

static CASES: &[Case] = &[
    Case {
        rule: "server-changed",
        old: &[],
        new: &[("\"https://api.example\"", "\"https://api2.example\"")],
        expect: &[("server-changed", "api.servers.production")],
    },
    Case {
        rule: "envelope-changed",
        old: &[],
        new: &[("message: message}", "message: msg}")],
        expect: &[("envelope-changed", "api.envelope")],
    },
    Case {
        rule: "token-flow-changed",
        old: &[],
        new: &[("invalid_token_code: 90000}", "invalid_token_code: 10005}")],
        expect: &[("token-flow-changed", "api.auth")],
    },
    Case {
        rule: "api-docs-changed",
        old: &[],
        new: &[("A two-endpoint API for generator tests.", "A small API for the generator's tests.")],
        expect: &[("api-docs-changed", "api.description")],
    },
    Case { rule: "endpoint-added", old: &[], new: &[ADD_PING], expect: &[("endpoint-added", "ping")] },
    Case { rule: "endpoint-removed", old: &[ADD_PING], new: &[], expect: &[("endpoint-removed", "ping")] },
    Case {
        rule: "endpoint-path-changed",
        old: &[],
        new: &[("path: /api/v1/card/pay", "path: /api/v2/card/pay")],
        expect: &[("endpoint-path-changed", "card_pay")],
    },
    Case {
        rule: "endpoint-auth-required",
        old: &[ADD_PING],
        new: &[ADD_PING, ("auth: none # ping-auth", "auth: bearer")],
        expect: &[("endpoint-auth-required", "ping")],
    },
    Case {
        rule: "endpoint-auth-dropped",
        old: &[ADD_PING, ("auth: none # ping-auth", "auth: bearer")],
        new: &[ADD_PING],
        expect: &[("endpoint-auth-dropped", "ping")],
    },
    Case {
        rule: "endpoint-retry-never",
        old: &[ADD_PING],
        new: &[ADD_PING, ("retry: safe # ping-retry", "retry: never\n    unknown_outcome: card")],
        expect: &[("endpoint-retry-never", "ping"), ("endpoint-docs-changed", "ping unknown_outcome")],
    },
    Case {
        rule: "endpoint-retry-safe",
        old: &[ADD_PING, ("retry: safe # ping-retry", "retry: never\n    unknown_outcome: card")],
        new: &[ADD_PING],
        expect: &[("endpoint-retry-safe", "ping"), ("endpoint-docs-changed", "ping unknown_outcome")],
    },
    Case {
        rule: "endpoint-group-changed",
        old: &[],
        new: &[("    group: card\n", "    group: cards\n")],
        expect: &[("endpoint-group-changed", "card_pay")],
    },
    Case {
        rule: "endpoint-kind-changed",
        old: &[],
        new: &[("    group: card\n", "    group: card\n    kind: card_payment\n")],
        expect: &[("endpoint-kind-changed", "card_pay")],
    },
    Case {
        rule: "endpoint-docs-changed",
        old: &[],
        new: &[("summary: Pay by card.", "summary: Pay with a card.")],
        expect: &[("endpoint-docs-changed", "card_pay summary")],
    },
    Case {
        rule: "endpoint-error-listed",
        old: &[],
        new: &[("errors: [10005, 90000]", "errors: [10005]")],
        expect: &[("endpoint-error-listed", "card_pay errors")],
    },
    Case {
        rule: "request-field-added-optional",
        old: &[],
        new: &[(
            "      - name: extra\n",
            "      - {name: note, type: String, required: false, description: Note.}\n      - name: extra\n",
        )],
        expect: &[("request-field-added-optional", "card_pay request.note")],
    },
    Case {
        rule: "request-field-added-required",
        old: &[],
        new: &[
            (
                "      - name: extra\n",
                "      - {name: note, type: String, required: true, description: Note.}\n      - name: extra\n",
            ),
            (r#""accountNumber": "4111111111111111"}"#, r#""accountNumber": "4111111111111111", "note": "n"}"#),
        ],
        expect: &[("request-field-added-required", "card_pay request.note"), EX],
    },
    Case {
        rule: "request-field-removed",
        old: &[],
        new: &[(COUNTRY, "")],
        expect: &[("request-field-removed", "card_pay request.country")],
    },
    Case {
        rule: "request-field-now-required",
        old: &[],
        new: &[
            ("{name: country, type: String, required: false", "{name: country, type: String, required: true"),
            (r#""accountNumber": "4111111111111111"}"#, r#""accountNumber": "4111111111111111", "country": "CA"}"#),
        ],
        expect: &[("request-field-now-required", "card_pay request.country"), EX],
    },
    Case {
        rule: "request-field-now-optional",
        old: &[],
        new: &[("required: true, description: Card number.", "required: false, description: Card number.")],
        expect: &[("request-field-now-optional", "card_pay request.accountNumber")],
    },
    Case {
        rule: "request-field-order-changed",
        old: &[],
        new: &[(
            "      - {name: callBackURL, type: String, required: true, description: Callback URL., format: url, max_length: 255, rust_name: callback_url}\n      - {name: accountNumber, type: String, required: true, description: Card number., format: card_number, sensitive: true}\n",
            "      - {name: accountNumber, type: String, required: true, description: Card number., format: card_number, sensitive: true}\n      - {name: callBackURL, type: String, required: true, description: Callback URL., format: url, max_length: 255, rust_name: callback_url}\n",
        )],
        expect: &[("request-field-order-changed", "card_pay request")],
    },
    Case {
        rule: "request-field-type-changed",
        old: &[],
        new: &[(
            "{name: sessionID, type: String, required: true, description: Session., max_length: 32,",
            "{name: sessionID, type: Number, required: true, description: Session.,",
        )],
        expect: &[("request-field-type-changed", "card_pay request.extra.sessionID")],
    },
    Case {
        rule: "request-field-wire-form-changed",
        old: &[],
        new: &[
            ("{name: amount, type: Number, required: true", "{name: amount, type: String, required: true"),
            (r#"{"amount": 100,"#, r#"{"amount": "100","#),
        ],
        expect: &[("request-field-wire-form-changed", "card_pay request.amount"), EX],
    },
    Case {
        rule: "request-format-added",
        old: &[("format: country, length: 2", "length: 2")],
        new: &[],
        expect: &[("request-format-added", "card_pay request.country")],
    },
    Case {
        rule: "request-format-removed",
        old: &[],
        new: &[("format: country, length: 2", "length: 2")],
        expect: &[("request-format-removed", "card_pay request.country")],
    },
    Case {
        rule: "request-format-changed",
        old: &[],
        new: &[
            ("format: url, max_length: 255", "format: email, max_length: 254"),
            ("\"https://shop.example/cb\", \"accountNumber\"", "\"cb@shop.example\", \"accountNumber\""),
        ],
        expect: &[
            ("request-format-changed", "card_pay request.callBackURL"),
            ("request-length-tightened", "card_pay request.callBackURL max_length"),
            EX,
        ],
    },
    Case {
        rule: "request-length-tightened",
        old: &[],
        new: &[("max_length: 255", "max_length: 100")],
        expect: &[("request-length-tightened", "card_pay request.callBackURL max_length")],
    },
    Case {
        rule: "request-length-loosened",
        old: &[],
        new: &[("max_length: 32, ", "")],
        expect: &[("request-length-loosened", "card_pay request.extra.sessionID max_length")],
    },
    Case {
        rule: "request-cents-tightened",
        old: &[],
        new: &[("min_cents: 1,", "min_cents: 50,")],
        expect: &[("request-cents-tightened", "card_pay request.amount min_cents")],
    },
    Case {
        rule: "request-cents-loosened",
        old: &[],
        new: &[("min_cents: 1, ", "")],
        expect: &[("request-cents-loosened", "card_pay request.amount min_cents")],
    },
    Case {
        rule: "request-control-allowed",
        old: &[],
        new: &[("max_length: 32,", "max_length: 32, allow_control: true,")],
        expect: &[("request-control-allowed", "card_pay request.extra.sessionID")],
    },
    Case {
        rule: "request-control-forbidden",
        old: &[("max_length: 32,", "max_length: 32, allow_control: true,")],
        new: &[],
        expect: &[("request-control-forbidden", "card_pay request.extra.sessionID")],
    },
    Case {
        rule: "request-charset-added",
        old: &[],
        new: &[("max_length: 32,", "max_length: 32, charset: alnum_dash_underscore,")],
        expect: &[("request-charset-added", "card_pay request.extra.sessionID charset")],
    },
    Case {
        rule: "request-charset-removed",
        old: &[("max_length: 32,", "max_length: 32, charset: alnum_dash_underscore,")],
        new: &[],
        expect: &[("request-charset-removed", "card_pay request.extra.sessionID charset")],
    },
    Case {
        rule: "field-renamed-case",
        old: &[],
        new: &[("{name: callBackURL,", "{name: callbackURL,"), ("\"callBackURL\"", "\"callbackURL\"")],
        expect: &[("field-renamed-case", "card_pay request.callBackURL"), EX],
    },
    Case {
        rule: "field-renamed-case-rust",
        old: &[(", rust_name: callback_url}", "}")],
        new: &[
            (", rust_name: callback_url}", "}"),
            ("{name: callBackURL,", "{name: callbackURL,"),
            ("\"callBackURL\"", "\"callbackURL\""),
        ],
        expect: &[("field-renamed-case-rust", "card_pay request.callBackURL"), EX],
    },
    Case {
        rule: "field-rust-renamed",
        old: &[],
        new: &[("rust_name: callback_url", "rust_name: cb_url")],
        expect: &[("field-rust-renamed", "card_pay request.callBackURL")],
    },
    Case {
        rule: "field-nested-type-renamed",
        old: &[],
        new: &[("rust_type: CardExtra", "rust_type: CardExtras")],
        expect: &[("field-nested-type-renamed", "card_pay request.extra")],
    },
    Case {
        rule: "field-now-sensitive",
        old: &[],
        new: &[(
            "{name: order_id, type: String, description: Order.}",
            "{name: order_id, type: String, description: Order., sensitive: true}",
        )],
        expect: &[("field-now-sensitive", "callback payment_result data.order_id")],
    },
    Case {
        rule: "field-no-longer-sensitive",
        old: &[],
        new: &[("format: card_number, sensitive: true}", "format: card_number}")],
        expect: &[("field-no-longer-sensitive", "card_pay request.accountNumber")],
    },
    Case {
        rule: "field-docs-changed",
        old: &[],
        new: &[("description: Country.,", "description: Country of the card.,")],
        expect: &[("field-docs-changed", "card_pay request.country")],
    },
    Case {
        rule: "response-field-added",
        old: &[],
        new: &[(
            "      - {name: amount, type: String, description: Amount., format: cents}\n",
            "      - {name: amount, type: String, description: Amount., format: cents}\n      - {name: paidAt, type: Number, description: When., format: timestamp_ms}\n",
        )],
        expect: &[("response-field-added", "card_pay response.paidAt")],
    },
    Case {
        rule: "response-field-removed",
        old: &[],
        new: &[("      - {name: amount, type: String, description: Amount., format: cents}\n", "")],
        expect: &[("response-field-removed", "card_pay response.amount")],
    },
    Case {
        rule: "response-field-type-changed",
        old: &[],
        new: &[(
            "{name: paymentStatus, type: String, description: Status., enum: PayState}",
            "{name: paymentStatus, type: String, description: Status.}",
        )],
        expect: &[("response-field-type-changed", "card_pay response.paymentStatus")],
    },
    Case {
        rule: "response-wire-type-changed",
        old: &[],
        new: &[
            (
                "{name: amount, type: String, description: Amount., format: cents}",
                "{name: amount, type: Number, description: Amount., format: cents}",
            ),
            (r#""amount": "1.00""#, r#""amount": 100"#),
        ],
        expect: &[("response-wire-type-changed", "card_pay response.amount"), EX],
    },
    Case {
        rule: "response-format-changed",
        old: &[],
        new: &[("description: Expiry., format: timestamp_ms}", "description: Expiry.}")],
        expect: &[("response-format-changed", "auth_token response.expired")],
    },
    Case {
        rule: "enum-added",
        old: &[],
        new: &[("errors:\n  - {code: 10005,", ENUM_COLOR)],
        expect: &[("enum-added", "enum Color")],
    },
    Case {
        rule: "enum-removed",
        old: &[("errors:\n  - {code: 10005,", ENUM_COLOR)],
        new: &[],
        expect: &[("enum-removed", "enum Color")],
    },
    Case {
        rule: "enum-value-added",
        old: &[],
        new: &[(
            "      - {value: init, description: Created.}\n",
            "      - {value: init, description: Created.}\n      - {value: paid, description: Paid.}\n",
        )],
        expect: &[("enum-value-added", "enum PayState value \"paid\"")],
    },
    Case {
        rule: "enum-value-removed",
        old: &[],
        new: &[("      - {value: init, description: Created.}\n", "")],
        expect: &[("enum-value-removed", "enum PayState value \"init\"")],
    },
    Case {
        rule: "enum-variant-renamed",
        old: &[],
        new: &[("rust_name: OrderClosed", "rust_name: Closed")],
        expect: &[("enum-variant-renamed", "enum PayState value \"orderclosed\"")],
    },
    Case {
        rule: "enum-docs-changed",
        old: &[],
        new: &[("description: Created.", "description: Just created.")],
        expect: &[("enum-docs-changed", "enum PayState value \"init\"")],
    },
    Case {
        rule: "error-code-added",
        old: &[],
        new: &[("endpoints:\n", ERROR_BUSY)],
        expect: &[("error-code-added", "error 10006")],
    },
    Case {
        rule: "error-code-removed",
        old: &[("endpoints:\n", ERROR_BUSY)],
        new: &[],
        expect: &[("error-code-removed", "error 10006")],
    },
    Case {
        rule: "error-variant-renamed",
        old: &[],
        new: &[("name: InvalidParameter", "name: BadParameter")],
        expect: &[("error-variant-renamed", "error 10005")],
    },
    Case {
        rule: "error-docs-changed",
        old: &[],
        new: &[("message: Invalid parameter,", "message: Invalid param,")],
        expect: &[("error-docs-changed", "error 10005")],
    },
    Case {
        rule: "callback-added",
        old: &[(NO_CALLBACKS, "")],
        new: &[],
        expect: &[("callback-added", "callback payment_result")],
    },
    Case {
        rule: "callback-removed",
        old: &[],
        new: &[(NO_CALLBACKS, "")],
        expect: &[("callback-removed", "callback payment_result")],
    },
    Case {
        rule: "callback-field-added",
        old: &[],
        new: &[(
            "{name: order_id, type: String, description: Order.}",
            "{name: order_id, type: String, description: Order.}\n      - {name: amount, type: String, description: Amount.}",
        )],
        expect: &[("callback-field-added", "callback payment_result data.amount")],
    },
    Case {
        rule: "callback-field-removed",
        old: &[(
            "{name: order_id, type: String, description: Order.}",
            "{name: order_id, type: String, description: Order.}\n      - {name: amount, type: String, description: Amount.}",
        )],
        new: &[],
        expect: &[("callback-field-removed", "callback payment_result data.amount")],
    },
    Case {
        rule: "callback-field-type-changed",
        old: &[],
        new: &[("{name: order_id, type: String,", "{name: order_id, type: Number,")],
        expect: &[("callback-field-type-changed", "callback payment_result data.order_id")],
    },
    Case {
        rule: "callback-docs-changed",
        old: &[],
        new: &[("summary: Payment result.", "summary: The payment result.")],
        expect: &[("callback-docs-changed", "callback payment_result summary")],
    },
];

#[test]
fn each_rule_reports_exactly_its_change() {
    let mut failures = Vec::new();
    for case in CASES {
        let r = Report::of_texts(("old.yaml", &edited(case.old)), ("new.yaml", &edited(case.new)));
        let got = match r {
            Ok(r) => found(&r),
            Err(e) => {
                failures.push(format!("{}: {e}", case.rule));
                continue;
            }
        };
        let want: BTreeSet<(String, String)> =
            case.expect.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
        if got != want {
            failures.push(format!("{}:\n  expected {want:?}\n  found    {got:?}", case.rule));
        }
        assert!(case.expect.iter().any(|(rule, _)| *rule == case.rule), "{}: the case must expect its rule", case.rule);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_case_and_at_least_25_exist() {
    assert!(diff::RULES.len() >= 25);
    let mut ids = BTreeSet::new();
    for r in diff::RULES {
        assert!(ids.insert(r.id), "duplicate rule id {}", r.id);
        assert!(CASES.iter().any(|c| c.rule == r.id), "rule {} has no case", r.id);
    }
    // Every id the comparison can report is a rule of the table.
    let source = std::fs::read_to_string(workspace().join("xtask/src/diff/compare.rs")).unwrap();
    for piece in source.split('"').skip(1).step_by(2) {
        let looks_like_id =
            piece.contains('-') && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !piece.starts_with('-');
        if looks_like_id {
            assert!(diff::rules::rule(piece).is_some(), "compare.rs reports `{piece}`, which is not a rule");
        }
    }
}

#[test]
fn the_verdicts_of_the_judged_edits() {
    use diff::{Bump, Severity};
    let verdict = |edits: &[(&str, &str)]| {
        let r = report(&mini(), &edited(edits));
        (r.severity(), r.bump())
    };
    // a field made required
    let made_required = [
        ("{name: country, type: String, required: false", "{name: country, type: String, required: true"),
        (r#""accountNumber": "4111111111111111"}"#, r#""accountNumber": "4111111111111111", "country": "CA"}"#),
    ];
    assert_eq!(verdict(&made_required), (Some(Severity::Breaking), Bump::Major));
    // an enum value removed
    assert_eq!(
        verdict(&[("      - {value: init, description: Created.}\n", "")]),
        (Some(Severity::Breaking), Bump::Major)
    );
    // a length tightened
    assert_eq!(verdict(&[("max_length: 255", "max_length: 100")]), (Some(Severity::Attention), Bump::Minor));
    // an endpoint moved
    assert_eq!(
        verdict(&[("path: /api/v1/card/pay", "path: /api/v2/card/pay")]),
        (Some(Severity::Breaking), Bump::Minor)
    );
    // a description reworded
    assert_eq!(verdict(&[("summary: Pay by card.", "summary: Pay with a card.")]), (Some(Severity::Docs), Bump::Patch));
    // a new optional field and a new enum value
    let additive = [(
        "      - {value: init, description: Created.}\n",
        "      - {value: init, description: Created.}\n      - {value: paid, description: Paid.}\n",
    )];
    assert_eq!(verdict(&additive), (Some(Severity::Compatible), Bump::Minor));
}

/// The YAML re-emitted by serde_yaml: other quoting, block style instead of flow, no comments.
fn reformatted(text: &str) -> String {
    let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    serde_yaml::to_string(&value).unwrap()
}

#[test]
fn a_reformatting_reports_nothing() {
    let text = mini();
    assert!(report(&text, &reformatted(&text)).changes.is_empty());
    // By hand: a flow row as a block, quotes, a comment.
    let by_hand = edited(&[(
        "      - {name: appId, type: String, required: true, description: App id.}\n",
        "      - name: \"appId\"   # the app id\n        type: String\n        required: true\n        description: 'App id.'\n",
    )]);
    assert!(report(&text, &by_hand).changes.is_empty());
    let real = std::fs::read_to_string(workspace().join(xtask::SPEC)).unwrap();
    let r = report(&real, &reformatted(&real));
    assert!(r.changes.is_empty(), "{}", diff::render::table(&r));
}

#[test]
fn renderings_and_thresholds() {
    let r =
        report(&mini(), &edited(&[("max_length: 255", "max_length: 100"), ("summary: Pay by card.", "summary: Pay.")]));
    assert!(r.fails(diff::FailOn::Attention));
    assert!(!r.fails(diff::FailOn::Breaking));
    let table = diff::render::table(&r);
    assert!(table.contains("attention  minor  attention  unchanged  request-length-tightened  card_pay request.callBackURL max_length  255 -> 100"), "{table}");
    assert!(
        table.contains("2 changes: 0 breaking, 1 attention, 0 compatible, 1 docs; ottpay needs a minor release"),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&diff::render::json(&r)).unwrap();
    assert_eq!(json["severity"], "attention");
    assert_eq!(json["bump"], "minor");
    let changes = json["changes"].as_array().unwrap();
    let tightened = changes.iter().find(|c| c["rule"] == "request-length-tightened").unwrap();
    assert_eq!((&tightened["old"], &tightened["new"]), (&"255".into(), &"100".into()));
    assert_eq!(
        (&tightened["wire"], &tightened["rust"], &tightened["severity"]),
        (&"attention".into(), &"unchanged".into(), &"attention".into())
    );
    assert_eq!(tightened["place"], "card_pay request.callBackURL max_length");
    let md = diff::render::markdown(&r);
    assert!(md.starts_with("## Spec changes\n"), "{md}");
    assert!(md.contains("### Needs attention\n\n- `card_pay request.callBackURL max_length`: 255 -> 100 (request-length-tightened; wire: attention, Rust: unchanged)."), "{md}");
    assert!(md.contains("### Documentation"), "{md}");
    let empty = report(&mini(), &mini());
    assert!(!empty.fails(diff::FailOn::Attention));
    assert!(diff::render::table(&empty).contains("no changes"));
    assert!(diff::render::rules(diff::Format::Table).contains(&format!("{} rules", diff::RULES.len())));
}

#[test]
fn arguments() {
    let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let o = diff::parse(&args("")).unwrap();
    assert_eq!(o.old, diff::Source::Rev("HEAD".into()));
    assert_eq!(o.new, None);
    let o = diff::parse(&args("--base main --format json --fail-on breaking")).unwrap();
    assert_eq!(o.old, diff::Source::Rev("main".into()));
    assert_eq!((o.format, o.fail_on), (diff::Format::Json, Some(diff::FailOn::Breaking)));
    let o = diff::parse(&args("a.yaml b.yaml --format markdown")).unwrap();
    assert_eq!(o.new, Some(diff::Source::File("b.yaml".into())));
    assert_eq!(diff::parse(&args("HEAD~2")).unwrap().old, diff::Source::Rev("HEAD~2".into()));
    assert!(diff::parse(&args("--format xml")).is_err());
    assert!(diff::parse(&args("--fail-on")).is_err());
    assert!(diff::parse(&args("--base x y")).is_err());
    assert!(diff::parse(&args("a b c")).is_err());
}

#[test]
fn a_revision_git_does_not_know_is_an_error() {
    let e = Report::of(
        &workspace(),
        &diff::Source::Rev("no-such-revision-xyz".into()),
        &diff::Source::File(workspace().join(xtask::SPEC)),
    );
    assert!(matches!(e, Err(diff::DiffError::Git { .. })), "{e:?}");
}
