//! The exported schemas, checked by a validator this project did not write (the `jsonschema`
//! crate, without network or file resolving):
//!
//! - `generated/openapi.json` against the official OpenAPI 3.1 schemas (vendored under
//!   tests/fixtures/openapi-3.1, see its README), Schema Objects against the OAS dialect;
//! - every vendor example (request, answer, callback body and plaintext) and every schema's own
//!   `examples` against the schema they illustrate;
//! - the differential test: every boundary case the Rust validators are tested with
//!   (`ir::cases`, the source of generated/tests/spec_constraints.rs), plus a fixed set of probes
//!   on every field, gets the same verdict from the generated `ottpay` crate (deserialize and
//!   `validate`) and from the exported request schema, except where the Rust verdict comes from a
//!   rule listed in `x-ottpay-rules` (the schema is then allowed to be more liberal, never stricter);
//! - `spec/ottpay.schema.json` accepts the real spec and the accepted fixtures, and rejects exactly
//!   the broken fixtures whose problem is structural.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use jsonschema::{Registry, Validator};
use ottpay::registry::{EndpointInfo, EndpointVisitor, visit_endpoints};
use ottpay::{Endpoint, OttPay, Validate};
use ottpay_codegen::ir::cases::{self, Case};
use ottpay_codegen::ir::{EndpointIr, Ir, StructIr, Ty};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const SPEC: &str = "spec/ottpay.yaml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

fn parse(text: &str, what: &str) -> Value {
    match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("{what} is not JSON: {e}"),
    }
}

/// The real spec's IR and its OpenAPI document (generated in memory; the drift test checks that
/// the committed file is the same).
fn real() -> (Ir, Value) {
    let text = read(&root().join(SPEC));
    let ir = match ottpay_codegen::resolve(SPEC, &text) {
        Ok(ir) => ir,
        Err(d) => panic!("the real spec should resolve:\n{d}"),
    };
    let files = match ottpay_codegen::generate(SPEC, &text) {
        Ok(f) => f,
        Err(d) => panic!("the real spec should generate:\n{d}"),
    };
    let Some(doc) = files.iter().find(|f| f.path == "generated/openapi.json") else {
        panic!("generate() produces no generated/openapi.json")
    };
    (ir, parse(&doc.contents, "generated/openapi.json"))
}

fn build(options: jsonschema::ValidationOptions, schema: &Value, what: &str) -> Validator {
    match options.build(schema) {
        Ok(v) => v,
        Err(e) => panic!("{what} does not compile as a JSON Schema: {e}"),
    }
}

/// A validator for the schema at JSON pointer `pointer` of the OpenAPI document (its `$ref`s
/// resolve inside the document).
fn schema_at(doc: &Value, pointer: &str, formats: bool) -> Validator {
    let mut wrapper = doc.clone();
    if let Some(o) = wrapper.as_object_mut() {
        o.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        o.insert("$ref".into(), Value::String(format!("#{pointer}")));
    }
    build(jsonschema::options().should_validate_formats(formats), &wrapper, pointer)
}

fn segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn errors(v: &Validator, instance: &Value) -> String {
    v.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect::<Vec<_>>().join("; ")
}

// ------------------------------------------------------------------------------------------------
// generated/openapi.json against the official OpenAPI 3.1 schemas

const OAS: &[(&str, &str)] = &[
    ("https://spec.openapis.org/oas/3.1/schema/2025-09-15", "schema.json"),
    ("https://spec.openapis.org/oas/3.1/schema-base/2025-09-15", "schema-base.json"),
    ("https://spec.openapis.org/oas/3.1/dialect/2024-11-10", "dialect.json"),
    ("https://spec.openapis.org/oas/3.1/meta/2024-11-10", "meta.json"),
];

#[test]
fn openapi_json_is_valid_openapi_3_1() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi-3.1");
    let schemas: Vec<(&str, Value)> =
        OAS.iter().map(|(uri, file)| (*uri, parse(&read(&dir.join(file)), file))).collect();
    let registry = match Registry::new().extend(schemas.iter().map(|(u, v)| (*u, v.clone()))) {
        Ok(b) => match b.prepare() {
            Ok(r) => r,
            Err(e) => panic!("the vendored OpenAPI schemas do not register: {e}"),
        },
        Err(e) => panic!("the vendored OpenAPI schemas do not register: {e}"),
    };
    let (_, doc) = real();
    assert_eq!(doc["openapi"], "3.1.0");
    // The structure of the document, then the same with every Schema Object against the dialect.
    for (_, schema) in &schemas[..2] {
        let v = build(jsonschema::options().with_registry(&registry), schema, "the OpenAPI 3.1 schema");
        let problems = errors(&v, &doc);
        assert!(problems.is_empty(), "generated/openapi.json breaks {}: {problems}", schema["$id"]);
    }
    // The document is not vacuously valid: the schema does reject a broken one.
    let v = build(jsonschema::options().with_registry(&registry), &schemas[1].1, "the OpenAPI 3.1 schema");
    let mut broken = doc.clone();
    broken["paths"]["/api/v1/auth/token"]["post"]["responses"]["200"]["description"] = json!(42);
    assert!(!v.is_valid(&broken), "a response description that is a number should be refused");
    let mut broken = doc.clone();
    broken["components"]["schemas"]["ErrorCode"]["type"] = json!("integr");
    assert!(!v.is_valid(&broken), "a Schema Object with a bad type should be refused by the dialect");
}

#[test]
fn every_operation_and_webhook_is_there() {
    let (ir, doc) = real();
    let mut ids = BTreeSet::new();
    for ep in ir.endpoints() {
        let op = &doc["paths"][&ep.path]["post"];
        assert_eq!(op["operationId"], ep.id.as_str(), "{}", ep.path);
        assert!(ids.insert(ep.id.clone()));
        assert_eq!(op["tags"][0], ep.group.as_str());
        let open = op["security"].as_array().is_some_and(Vec::is_empty);
        assert_eq!(open, !ep.bearer, "{}: security", ep.id);
        assert_eq!(op["x-ottpay-error-codes"], json!(ep.error_codes));
    }
    assert_eq!(doc["paths"].as_object().map(|p| p.len()), Some(ir.endpoints().len()));
    for cb in &ir.callbacks {
        let hook = &doc["webhooks"][&cb.id]["post"];
        assert!(hook["requestBody"].is_object(), "webhook {} has no body", cb.id);
    }
    let servers: Vec<&str> =
        doc["servers"].as_array().into_iter().flatten().filter_map(|s| s["url"].as_str()).collect();
    assert_eq!(servers.first().copied(), Some(ir.api.production.as_str()));
}

// ------------------------------------------------------------------------------------------------
// examples against their schemas

fn operation_pointer(ep: &EndpointIr) -> String {
    format!("/paths/{}/post", segment(&ep.path))
}

#[test]
fn every_vendor_example_validates_against_its_schema() {
    let (ir, doc) = real();
    let mut checked = 0;
    for ep in ir.endpoints() {
        let request = schema_at(&doc, &format!("/components/schemas/{}", ep.request.name), false);
        let answer = schema_at(
            &doc,
            &format!("{}/responses/200/content/application~1json/schema", operation_pointer(ep)),
            false,
        );
        for x in &ep.examples {
            let title = format!("{} / {}", ep.id, x.title);
            if let Some(sent) = &x.sent {
                let problems = errors(&request, sent);
                assert!(problems.is_empty(), "{title}: the request breaks its schema: {problems}");
                checked += 1;
                // The vendor's own bytes, where the SDK sends something else, say why in the spec.
                if let Some(vendor) = x.request.as_ref().filter(|v| *v != sent) {
                    assert!(
                        !request.is_valid(vendor),
                        "{title}: normalized although the schema takes the vendor's form"
                    );
                    assert!(x.note.is_some(), "{title}: a normalized request without a note");
                }
            }
            if let Some(a) = &x.response {
                let problems = errors(&answer, a);
                assert!(problems.is_empty(), "{title}: the answer breaks its schema: {problems}");
                checked += 1;
            }
        }
    }
    for cb in &ir.callbacks {
        let body = schema_at(&doc, &format!("/components/schemas/{}", cb.body.name), false);
        let data = schema_at(&doc, &format!("/components/schemas/{}", cb.data.name), false);
        for (title, _, outer, plaintext) in &cb.examples {
            let problems = errors(&body, outer);
            assert!(problems.is_empty(), "{title}: the callback body breaks its schema: {problems}");
            let problems = errors(&data, &parse(plaintext, title));
            assert!(problems.is_empty(), "{title}: the decrypted data breaks its schema: {problems}");
            checked += 2;
        }
    }
    assert!(checked >= 20, "only {checked} examples checked");
    println!("{checked} vendor examples validate against their schemas");
}

/// Every `examples` array of a Schema Object, and every `value` of an Example Object, validates
/// against the schema it belongs to (what linters such as Spectral check).
#[test]
fn the_documents_own_examples_validate() {
    let (_, doc) = real();
    let mut found: Vec<(String, Value)> = Vec::new();
    fn walk(v: &Value, at: &str, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => {
                if at.starts_with("/components/schemas/")
                    && let Some(Value::Array(xs)) = m.get("examples")
                {
                    out.extend(xs.iter().map(|x| (at.to_owned(), x.clone())));
                }
                for (k, child) in m {
                    walk(child, &format!("{at}/{}", segment(k)), out);
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(child, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    walk(&doc, "", &mut found);
    // Media type examples: paths/<p>/post/{requestBody,responses/200}/content/<type>/examples/<k>/value.
    let mut media = Vec::new();
    for (kind, ops) in [("paths", &doc["paths"]), ("webhooks", &doc["webhooks"])] {
        for (name, item) in ops.as_object().into_iter().flatten() {
            let op = format!("/{kind}/{}/post", segment(name));
            for (part, body) in
                [("requestBody", &item["post"]["requestBody"]), ("responses/200", &item["post"]["responses"]["200"])]
            {
                for (ty, m) in body["content"].as_object().into_iter().flatten() {
                    for x in m["examples"].as_object().into_iter().flatten().map(|(_, x)| &x["value"]) {
                        media.push((format!("{op}/{part}/content/{}/schema", segment(ty)), x.clone()));
                    }
                }
            }
        }
    }
    assert!(found.len() > 10 && media.len() > 10, "{} schema examples, {} media examples", found.len(), media.len());
    for (pointer, x) in found.iter().chain(&media) {
        let v = schema_at(&doc, pointer, false);
        let problems = errors(&v, x);
        assert!(problems.is_empty(), "the example {x} at {pointer} breaks its schema: {problems}");
    }
}

// ------------------------------------------------------------------------------------------------
// the differential test

/// What the generated crate says of a request body.
#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    Valid,
    /// Refused when deserialized (wrong type, unknown member, amount out of range).
    Unreadable,
    /// Deserialized, then `validate` reported these rules.
    Violates(Vec<&'static str>),
}

type Check = fn(Value) -> Verdict;

fn check<E: DeserializeOwned + Validate>(body: Value) -> Verdict {
    match serde_json::from_value::<E>(body) {
        Err(_) => Verdict::Unreadable,
        Ok(r) => match r.validate() {
            Ok(()) => Verdict::Valid,
            Err(e) => Verdict::Violates(e.violations().iter().map(|v| v.rule.name()).collect()),
        },
    }
}

struct RustValidators(BTreeMap<&'static str, Check>);

impl EndpointVisitor for RustValidators {
    fn visit<E>(&mut self, info: &'static EndpointInfo)
    where
        E: Endpoint<Api = OttPay> + DeserializeOwned + Send + Sync + 'static,
        E::Response: Serialize + Default + Send + Sync + 'static,
    {
        self.0.insert(info.id, check::<E>);
    }
}

/// What a case must give in Rust, as the generated tests assert it.
#[derive(Clone, Copy, Debug)]
enum Expect {
    Pass,
    Break(&'static str),
    Refused,
    /// A probe: whatever Rust says.
    Any,
}

/// The wire form of a leaf field.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Leaf {
    Text,
    /// An amount sent as a string.
    TextCents,
    /// An amount or integer sent as a number.
    Number,
}

/// Values tried on every leaf field whatever its constraints: edges of the patterns and formats,
/// and values of the wrong JSON type. Not tried: `null` (the Rust request types read it as an
/// absent optional field; the schema describes what is sent, where such a field is omitted) and an
/// amount in the other wire form (`Cents` reads `1000` and `"1000"` alike, for the vendor's own
/// examples; the schema says the form the table gives, which the SDK sends).
fn probes(leaf: Leaf) -> Vec<Value> {
    if leaf == Leaf::Number {
        return ["0", "1", "-1", "1.5", "100", "9223372036854775807", "9223372036854775808", "[1]"]
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect();
    }
    let wrong_type = if leaf == Leaf::Text { vec![json!(1), json!(["x"])] } else { vec![json!(["x"]), json!(true)] };
    [
        "",
        "a",
        "é",
        "😀",
        "A\u{85}",
        "\u{a0}",
        "\u{feff}",
        " ",
        "a\tb",
        "0",
        "00",
        "007",
        "-1",
        "1.5",
        "12/30",
        "0130",
        "1230",
        "0030",
        "123",
        "12345",
        "4111111111111111",
        "4111111111111112",
        "a@b.c",
        "a@b",
        "@b.c",
        "a@b..c",
        "a@@b.c",
        "CA",
        "ca",
        "ZZ",
        "CAN",
        "https://a",
        "HTTPS://A.B/c",
        "http://é.example",
        "https://bücher.example/",
        "https://",
        "https:///x",
        "https://a b",
        "https://[::1]/",
        "https://[::1",
        "http://a\\b",
        "https://a:99999/",
        "9223372036854775807",
        "9223372036854775808",
        "00000000000000000000001",
    ]
    .iter()
    .map(|s| Value::String((*s).to_owned()))
    .chain(wrong_type)
    .collect()
}

/// The leaf fields of a request struct: (JSON pointer, wire form).
fn leaves(s: &StructIr, at: &str, nested: &[StructIr], out: &mut Vec<(String, Leaf)>) {
    for f in &s.fields {
        let pointer = format!("{at}/{}", segment(&f.wire));
        match &f.ty {
            Ty::Nested(n) => {
                if let Some(inner) = nested.iter().find(|x| &x.name == n) {
                    leaves(inner, &pointer, nested, out);
                }
            }
            Ty::Cents { string: false } | Ty::Int => out.push((pointer, Leaf::Number)),
            Ty::Cents { string: true } => out.push((pointer, Leaf::TextCents)),
            _ => out.push((pointer, Leaf::Text)),
        }
    }
}

fn with(base: &Value, pointer: &str, value: &Value) -> Value {
    let mut body = base.clone();
    match body.pointer_mut(pointer) {
        Some(slot) => *slot = value.clone(),
        None => panic!("{pointer} is not in the base request {base}"),
    }
    body
}

#[test]
fn rust_validators_and_the_json_schema_agree() {
    let (ir, doc) = real();
    let partial: BTreeSet<String> =
        doc["x-ottpay-rules"].as_object().into_iter().flatten().map(|(k, _)| k.clone()).collect();
    let mut rust = RustValidators(BTreeMap::new());
    visit_endpoints(&mut rust);
    let (mut boundary, mut probed) = (0usize, 0usize);
    // (boundary case or probe, rule) -> how many Rust refusals the schema, more liberal, lets by.
    let mut excluded = BTreeMap::<(&str, &str), usize>::new();
    let mut strict_format_misses = Vec::new();
    let mut disagreements = Vec::new();
    for ep in ir.endpoints() {
        let Some(rust_check) = rust.0.get(ep.id.as_str()).copied() else {
            panic!("{} is not in ottpay::registry: run `cargo xtask gen`", ep.id)
        };
        let pointer = format!("/components/schemas/{}", ep.request.name);
        let schema = schema_at(&doc, &pointer, false);
        let strict = schema_at(&doc, &pointer, true);
        let base = cases::valid_object(&ep.request, &ep.request.nested);
        let mut all = Vec::new();
        cases::cases(&ep.request, "", &ep.request.nested, &mut all);
        let mut tries: Vec<(String, Value, Expect)> = vec![(String::new(), Value::Null, Expect::Pass)];
        for c in all {
            match c {
                Case::Boundary { pointer, rule, ok, bad } => {
                    tries.extend(ok.into_iter().map(|v| (pointer.clone(), v, Expect::Pass)));
                    tries.extend(bad.into_iter().map(|v| (pointer.clone(), v, Expect::Break(rule))));
                }
                Case::Secret { pointer } => {
                    for v in [
                        json!(4111111111111111u64),
                        json!(["4111111111111111"]),
                        json!({"n": "4111111111111111"}),
                        json!(true),
                    ] {
                        tries.push((pointer.clone(), v, Expect::Refused));
                    }
                }
                Case::TooLarge { pointer, string } => tries.push((pointer, cases::too_large(string), Expect::Refused)),
            }
        }
        let cases_here = tries.len();
        let mut fields = Vec::new();
        leaves(&ep.request, "", &ep.request.nested, &mut fields);
        for (pointer, leaf) in fields {
            tries.extend(probes(leaf).into_iter().map(|v| (pointer.clone(), v, Expect::Any)));
        }
        for (i, (pointer, value, expect)) in tries.into_iter().enumerate() {
            let body = if pointer.is_empty() { base.clone() } else { with(&base, &pointer, &value) };
            let verdict = rust_check(body.clone());
            let sane = match (expect, &verdict) {
                (Expect::Pass, Verdict::Valid) | (Expect::Refused, Verdict::Unreadable) | (Expect::Any, _) => true,
                (Expect::Break(rule), Verdict::Violates(rules)) => rules.contains(&rule),
                _ => false,
            };
            assert!(
                sane,
                "{} {pointer} = {value}: the generated crate says {verdict:?}, the boundary case expects {expect:?}",
                ep.id
            );
            let accepted = schema.is_valid(&body);
            if i < cases_here {
                boundary += 1;
            } else {
                probed += 1;
            }
            match (&verdict, accepted) {
                (Verdict::Valid, true) | (Verdict::Unreadable, false) | (Verdict::Violates(_), false) => {}
                // The schema is more liberal only where a rule it cannot express fails.
                (Verdict::Violates(rules), true) if rules.iter().all(|r| partial.contains(*r)) => {
                    for r in rules {
                        *excluded.entry((if i < cases_here { "boundary" } else { "probe" }, r)).or_default() += 1;
                    }
                }
                _ => disagreements.push(format!(
                    "{} {pointer} = {value}: Rust {verdict:?}, schema {}: {}",
                    ep.id,
                    if accepted { "accepts" } else { "refuses" },
                    errors(&schema, &body)
                )),
            }
            // Validators that assert `format` (uri, email) must not refuse a value of a boundary
            // case that Rust accepts.
            if i < cases_here && verdict == Verdict::Valid && !strict.is_valid(&body) {
                strict_format_misses.push(format!("{} {pointer} = {value}", ep.id));
            }
        }
    }
    println!(
        "differential: {boundary} boundary cases and {probed} probes compared; Rust-only refusals by rules in x-ottpay-rules: {excluded:?}"
    );
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
    assert!(strict_format_misses.is_empty(), "format-asserting validation refuses: {strict_format_misses:?}");
    assert!(boundary > 300, "only {boundary} boundary cases: is the walk broken?");
    assert!(excluded.keys().all(|(_, r)| partial.contains(*r)));
}

#[test]
fn cents_patterns_match_exactly_the_range() {
    let matcher = |lo: u64, hi: u64| {
        let schema = json!({"type": "string", "pattern": ottpay_codegen::emit::cents_pattern(lo, hi)});
        match jsonschema::validator_for(&schema) {
            Ok(v) => v,
            Err(e) => panic!("{lo}..={hi}: {e}"),
        }
    };
    let ranges: Vec<(u64, u64)> = [0u64, 1, 5, 9, 10, 11, 19, 99, 100, 101, 345]
        .iter()
        .flat_map(|&lo| {
            [0u64, 1, 9, 10, 55, 99, 100, 109, 999, 1000, 1234]
                .iter()
                .filter(move |&&hi| hi >= lo)
                .map(move |&hi| (lo, hi))
        })
        .collect();
    for (lo, hi) in ranges {
        let v = matcher(lo, hi);
        for n in (0..=1300u64).chain([9999, 10_000, 123_456]) {
            for text in [n.to_string(), format!("0{n}"), format!("000{n}")] {
                assert_eq!(v.is_valid(&json!(text)), (lo..=hi).contains(&n), "{lo}..={hi}: {text}");
            }
        }
        for junk in ["", "-1", "+1", "1.0", " 1", "1 ", "١"] {
            assert!(!v.is_valid(&json!(junk)), "{lo}..={hi}: {junk:?}");
        }
    }
    // The ranges of real amounts, up to Cents::MAX, with a deterministic spread of values.
    let max = ottpay::Cents::MAX.get();
    for (lo, hi) in [(1, max), (0, max), (100, max), (1, 10_000_000_000_000), (12_345_678_901, 98_765_432_109_876)] {
        let v = matcher(lo, hi);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut values: Vec<u128> =
            vec![0, 1, 99, 100, u128::from(lo), u128::from(hi), u128::from(hi) + 1, u128::from(u64::MAX)];
        values.extend([u128::from(lo).saturating_sub(1), u128::from(max) + 1, 10u128.pow(19), 10u128.pow(25)]);
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 20) as u32;
            values.push(u128::from(x) % 10u128.pow(digits.max(1)));
            values.push(u128::from(hi).saturating_sub(u128::from(x % 1000)));
        }
        for n in values {
            let want = n >= u128::from(lo) && n <= u128::from(hi);
            assert_eq!(v.is_valid(&json!(n.to_string())), want, "{lo}..={hi}: {n}");
        }
    }
}

// ------------------------------------------------------------------------------------------------
// spec/ottpay.schema.json

fn spec_validator() -> Validator {
    let path = root().join("spec/ottpay.schema.json");
    let committed = read(&path);
    let text = read(&root().join(SPEC));
    let generated = match ottpay_codegen::generate(SPEC, &text) {
        Ok(files) => files.into_iter().find(|f| f.path == "spec/ottpay.schema.json").map(|f| f.contents),
        Err(d) => panic!("the real spec should generate:\n{d}"),
    };
    assert_eq!(Some(&committed), generated.as_ref(), "spec/ottpay.schema.json is stale: run `cargo xtask gen`");
    build(jsonschema::options(), &parse(&committed, "spec/ottpay.schema.json"), "spec/ottpay.schema.json")
}

/// The YAML as JSON, or `None` when it is not YAML an editor accepts (a syntax error, a repeated
/// key: YAML language servers report those themselves, before any schema).
fn yaml(text: &str) -> Option<Value> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    serde_json::to_value(value).ok()
}

#[test]
fn the_real_spec_and_the_accepted_fixtures_validate() {
    let v = spec_validator();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = vec![root().join(SPEC), fixtures.join("mini.yaml")];
    files.extend(fs::read_dir(fixtures.join("accepted")).into_iter().flatten().flatten().map(|e| e.path()));
    for path in files {
        let text = read(&path);
        let Some(value) = yaml(&text) else { panic!("{} is not YAML", path.display()) };
        let problems = errors(&v, &value);
        assert!(problems.is_empty(), "{} breaks spec/ottpay.schema.json: {problems}", path.display());
    }
    let first = read(&root().join(SPEC)).lines().next().map(str::to_owned).unwrap_or_default();
    assert_eq!(
        first, "# yaml-language-server: $schema=./ottpay.schema.json",
        "the spec's first line declares its schema"
    );
}

/// A fixture is structural when the loader (serde_yaml and the closed model) refuses it, or its
/// only problems are ones the schema states too (a path without `/`); the schema refuses exactly
/// those, and accepts the rest, whose problems need the generator's cross-node checks.
#[test]
fn the_schema_refuses_exactly_the_structurally_broken_fixtures() {
    let v = spec_validator();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    paths.sort();
    assert!(paths.len() >= 10);
    let (mut structural, mut semantic) = (Vec::new(), Vec::new());
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(text) = String::from_utf8(fs::read(&path).unwrap_or_default()) else {
            // Not UTF-8: neither the generator nor a schema validator reads it.
            structural.push(name);
            continue;
        };
        let loads = ottpay_codegen::spec::load::load(&name, &text).is_ok();
        let codes: Vec<&str> = match ottpay_codegen::generate(&name, &text) {
            Ok(_) => panic!("{name} generates"),
            Err(d) => d.0.iter().map(|d| d.code.id()).collect(),
        };
        let is_structural = !loads || codes.contains(&"S105");
        let refused = match yaml(&text) {
            None => true,
            Some(value) => !v.is_valid(&value),
        };
        assert_eq!(refused, is_structural, "{name} ({codes:?}): schema refuses it: {refused}");
        if is_structural {
            structural.push(name)
        } else {
            semantic.push(name)
        };
    }
    println!("refused by the schema: {structural:?}; beyond it (cross-node checks): {semantic:?}");
}
