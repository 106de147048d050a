//! Tests generated from the spec: the vendor examples, and boundary cases of every constraint.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::ast;
use super::rust::{self, Pieces, doc, ident, module_doc};
use crate::ir::cases::{Case, cases, too_large, valid_object};
use crate::ir::{EndpointIr, Ir, Ty};

/// A JSON value as a string literal of its compact text: a raw string (`r#"{"a":1}"#`) when no
/// character of it would be escaped in a normal literal but `"` and `\`, else a normal literal.
///
/// A raw string reads better (no escaped quotes), and it is cheaper to make: escaping a literal
/// char by char, and syn unescaping it on each look at it while parsing the file back, was most
/// of the cost of the test files, whose literals are JSON values of up to a few thousand
/// characters. Text with a character a normal literal escapes (controls, text-direction and
/// other invisible characters) stays a normal literal, so no such character is ever written raw.
fn json(v: &Value) -> Literal {
    // serde_json writes a `Value` to bytes without failing; `Display` is the same text, slower.
    let text = serde_json::to_string(v).unwrap_or_else(|_| v.to_string());
    let shown_as_is = |c: char| {
        if c.is_ascii() { (' '..='~').contains(&c) } else { c.escape_debug().len() == 1 }
    };
    if !text.chars().all(shown_as_is) {
        return Literal::string(&text);
    }
    // As many `#` as it takes for `"` followed by them not to occur in the text.
    let mut hashes = 0;
    let mut run: Option<usize> = None;
    for b in text.bytes() {
        run = match (b, run) {
            (b'"', _) => Some(0),
            (b'#', Some(n)) => Some(n + 1),
            _ => None,
        };
        if let Some(n) = run {
            hashes = hashes.max(n + 1);
        }
    }
    let mut raw = String::with_capacity(text.len() + 2 * hashes + 3);
    raw.push('r');
    raw.extend(std::iter::repeat_n('#', hashes));
    raw.push('"');
    raw.push_str(&text);
    raw.push('"');
    raw.extend(std::iter::repeat_n('#', hashes));
    raw.parse().unwrap_or_else(|_| Literal::string(&text))
}

/// `generated/tests/spec_examples.rs`.
pub fn examples(ir: &Ir) -> TokenStream {
    let [status, result, success, _, code, _] = &ir.api.envelope;
    let mut tests = Vec::new();
    // Which helpers the tests call, so none is emitted unused.
    let (mut uses_request, mut uses_answer, mut uses_ints, mut uses_decodes) = (false, false, false, false);
    for ep in ir.groups.values().flatten() {
        let req = ident(&ep.request.name);
        let resp = ident(&ep.response.name);
        let mut calls = Vec::new();
        for x in &ep.examples {
            let title = format!("{} / {}", ep.id, x.title);
            if let (Some(vendor), Some(sent)) = (&x.request, &x.sent) {
                let (vendor, sent) = (json(vendor), json(sent));
                calls.push(quote! { request_round_trips::<#req>(#title, #vendor, #sent); });
                uses_request = true;
            }
            if let Some(answer) = &x.response {
                let answer = json(answer);
                calls.push(quote! { answer_decodes::<#resp>(#title, #answer); });
                uses_answer = true;
                let ints: Vec<&str> =
                    ep.response.fields.iter().filter(|f| f.ty == Ty::Int).map(|f| f.wire.as_str()).collect();
                if !ints.is_empty() {
                    calls.push(quote! { integers_as_strings::<#resp>(#title, #answer, &[#(#ints),*]); });
                    uses_ints = true;
                }
            }
        }
        if calls.is_empty() {
            continue;
        }
        let name = ident(&format!("{}_examples", ep.id));
        tests.push(quote! {
            #[test]
            fn #name() {
                #(#calls)*
            }
        });
    }
    for cb in &ir.callbacks {
        let body = ident(&cb.body.name);
        let data = ident(&cb.data.name);
        for (i, (title, key, outer, plaintext)) in cb.examples.iter().enumerate() {
            let name = ident(&format!("{}_example_{i}", cb.id));
            let outer = json(outer);
            // `ottpay::callback::decode` decodes the spec's (one) callback with the runtime's scheme;
            // it needs the `callback` feature, the two types above do not.
            let crypto = quote! {
                #[cfg(feature = "callback")]
                match callback::decode(#outer.as_bytes(), &SignKey::new(#key)) {
                    Ok(verified) => assert_eq!(verified.raw_json(), #plaintext, "{}: decrypted text", #title),
                    Err(e) => panic!("{}: the example does not decrypt and verify: {e}", #title),
                }
            };
            uses_decodes = true;
            tests.push(quote! {
                #[test]
                fn #name() {
                    decodes::<#body>(#title, #outer);
                    decodes::<#data>(#title, #plaintext);
                    #crypto
                }
            });
        }
    }
    let req_fn = uses_request.then(|| {
        quote! {
            fn request_round_trips<T: DeserializeOwned + Serialize + Validate>(title: &str, vendor: &str, sent: &str) {
                let request: T = match serde_json::from_value(parse(title, vendor)) {
                    Ok(r) => r,
                    Err(e) => panic!("{title}: the example request does not deserialize: {e}"),
                };
                if let Err(e) = request.validate() {
                    panic!("{title}: the example request does not validate: {e}");
                }
                match serde_json::to_value(&request) {
                    Ok(back) => assert_eq!(back, parse(title, sent), "{title}: re-serialized request differs"),
                    Err(e) => panic!("{title}: the request does not serialize: {e}"),
                }
            }

        }
    });
    let ans_fn = uses_answer.then(|| quote! {
        /// The answer decodes; a SUCCESS result serializes back with the wire names it came with
        /// and decodes again to the same value (so a merchant can fake an answer).
        fn answer_decodes<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug + Default>(title: &str, answer: &str) {
            let answer = parse(title, answer);
            if answer[#status] == #success {
                let decoded: T = match serde_json::from_value(answer[#result].clone()) {
                    Ok(r) => r,
                    Err(e) => panic!("{title}: the example result does not decode: {e}"),
                };
                let back = match serde_json::to_value(&decoded) {
                    Ok(v) => v,
                    Err(e) => panic!("{title}: the result does not serialize: {e}"),
                };
                if let (Some(back), Some(sent)) = (back.as_object(), answer[#result].as_object()) {
                    for key in back.keys() {
                        assert!(sent.contains_key(key), "{title}: serialized `{key}`, which the answer does not have");
                    }
                }
                match serde_json::from_value::<T>(back) {
                    Ok(again) => assert_eq!(again, decoded, "{title}: the result does not round-trip"),
                    Err(e) => panic!("{title}: the serialized result does not decode: {e}"),
                }
                let _ = T::default();
            } else {
                assert!(answer[#result][#code].is_i64(), "{title}: an ERROR answer without a numeric code");
            }
        }

    });
    let int_fn = uses_ints.then(|| quote! {
        /// Integers of a SUCCESS result also decode when sent as strings of digits, to the same value.
        fn integers_as_strings<T: DeserializeOwned + PartialEq + std::fmt::Debug>(title: &str, answer: &str, fields: &[&str]) {
            let answer = parse(title, answer);
            if answer[#status] != #success {
                return;
            }
            let mut result = answer[#result].clone();
            for field in fields {
                if let Some(slot) = result.get_mut(*field)
                    && let Some(n) = slot.as_i64()
                {
                    *slot = Value::String(n.to_string());
                }
            }
            match (serde_json::from_value::<T>(answer[#result].clone()), serde_json::from_value::<T>(result)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{title}: integers as strings decode differently"),
                (_, Err(e)) => panic!("{title}: integers as strings do not decode: {e}"),
                (Err(e), _) => panic!("{title}: the example result does not decode: {e}"),
            }
        }

    });
    let dec_fn = uses_decodes.then(|| {
        quote! {
            fn decodes<T: DeserializeOwned>(title: &str, text: &str) {
                if let Err(e) = serde_json::from_value::<T>(parse(title, text)) {
                    panic!("{title}: the example does not decode: {e}");
                }
            }

        }
    });
    let serialize = (uses_request || uses_answer).then(|| quote! { use serde::Serialize; });
    let header = module_doc(&[
        "Every vendor example in the spec: example requests deserialize into their request type,".to_owned(),
        "validate, and serialize back to the same JSON value; example answers decode into their".to_owned(),
        "response type.".to_owned(),
    ]);
    quote! {
        #header
        #![allow(missing_docs)]
        use ottpay::*;
        #serialize
        use serde::de::DeserializeOwned;
        use serde_json::Value;

        fn parse(title: &str, text: &str) -> Value {
            match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => panic!("{title}: the spec's example is not JSON: {e}"),
            }
        }

        #req_fn #ans_fn #int_fn #dec_fn

        #(#tests)*
    }
}

fn constraint_test(ep: &EndpointIr, out: &mut Pieces) {
    let mut all = Vec::new();
    cases(&ep.request, "", &ep.request.nested, &mut all);
    let req = ident(&ep.request.name);
    let base = json(&valid_object(&ep.request, &ep.request.nested));
    let values = |vs: &[Value]| ast::borrow(ast::array(vs.iter().map(|v| ast::lit(json(v)))));
    let rows = all
        .iter()
        .map(|c| {
            let cases = ast::var("cases");
            rust::Stmt::from(ast::stmt(match c {
                Case::Boundary { pointer, rule, ok, bad } => {
                    ast::method(cases, "boundary", [ast::text(pointer), ast::text(rule), values(ok), values(bad)])
                }
                Case::Secret { pointer } => ast::method(cases, "secret", [ast::text(pointer)]),
                Case::TooLarge { pointer, string } => {
                    ast::method(cases, "unreadable", [ast::text(pointer), ast::lit(json(&too_large(*string)))])
                }
            }))
        })
        .collect();
    let name = ident(&format!("{}_constraints", ep.id));
    let d = doc(&[format!(
        "Boundary cases of every constraint of `{}`, its sensitive fields and amounts, and an unknown field.",
        ep.request.name
    )]);
    out.item_with_body(
        quote! {
            #d
            #[test]
            fn #name() {
                let cases = Cases::<#req>::new(#base);
            }
        },
        rows,
    );
}

/// The tests of `generated/tests/spec_constraints.rs` for the endpoints `eps` (a run of the file
/// after [`constraints`]).
pub fn constraint_tests<'a>(eps: impl IntoIterator<Item = &'a EndpointIr>) -> Pieces {
    let mut out = Pieces::default();
    for ep in eps {
        constraint_test(ep, &mut out);
    }
    out
}

/// The start of `generated/tests/spec_constraints.rs`: its docs, imports and helpers (the tests
/// follow, from [`constraint_tests`]).
pub fn constraints() -> TokenStream {
    let header = module_doc(&[
        "Boundary cases of every constraint in the spec, generated from the constraint table: a value".to_owned(),
        "at the limit passes, one past it fails with a violation at the field's JSON pointer.".to_owned(),
    ]);
    quote! {
        #header
        #![allow(missing_docs)]
        use std::marker::PhantomData;

        use ottpay::*;
        use serde::de::DeserializeOwned;
        use serde_json::Value;

        fn body(base: &str, pointer: &str, value: &str) -> Value {
            let mut body: Value = match serde_json::from_str(base) {
                Ok(v) => v,
                Err(e) => panic!("base request is not JSON: {e}"),
            };
            match (body.pointer_mut(pointer), serde_json::from_str(value)) {
                (Some(slot), Ok(v)) => *slot = v,
                _ => panic!("{pointer}: cannot set {value}"),
            }
            body
        }

        fn request<T: DeserializeOwned>(base: &str, pointer: &str, value: &str) -> T {
            match serde_json::from_value(body(base, pointer, value)) {
                Ok(r) => r,
                Err(e) => panic!("{pointer} = {value}: does not deserialize: {e}"),
            }
        }

        /// The checks of one request type, around a request whose every field is valid.
        struct Cases<T> {
            base: &'static str,
            request: PhantomData<T>,
        }

        impl<T: DeserializeOwned + Validate> Cases<T> {
            /// Checks that the base request is valid, and that an unknown field is refused by name.
            fn new(base: &'static str) -> Self {
                if let Err(e) = request::<T>(base, "", base).validate() {
                    panic!("a request with every field valid fails: {e}");
                }
                let mut typo = body(base, "", base);
                if let Some(object) = typo.as_object_mut() {
                    object.insert("unknownFieldOfTheTest".to_owned(), Value::from(1));
                }
                match serde_json::from_value::<T>(typo) {
                    Ok(_) => panic!("a request with an unknown field was accepted"),
                    Err(e) => assert!(e.to_string().contains("unknownFieldOfTheTest"), "the error does not name the field: {e}"),
                }
                Cases { base, request: PhantomData }
            }

            fn boundary(&self, pointer: &str, rule: &str, ok: &[&str], bad: &[&str]) {
                for value in ok {
                    if let Err(e) = request::<T>(self.base, pointer, value).validate() {
                        panic!("{pointer} = {value} should pass `{rule}`: {e}");
                    }
                }
                for value in bad {
                    let hit = match request::<T>(self.base, pointer, value).validate() {
                        Ok(()) => false,
                        Err(e) => e.violations().iter().any(|v| v.pointer == pointer && v.rule.name() == rule),
                    };
                    assert!(hit, "{pointer} = {value} should break `{rule}` at {pointer}");
                }
            }

            /// A sensitive field given wrong-typed values: refused, naming the field, never quoting them.
            fn secret(&self, pointer: &str) {
                let name = pointer.rsplit('/').next().unwrap_or_default();
                for value in ["4111111111111111", "[4111111111111111]", "{\"n\":\"4111111111111111\"}", "true"] {
                    match serde_json::from_value::<T>(body(self.base, pointer, value)) {
                        Ok(_) => panic!("{pointer} = {value} was accepted"),
                        Err(e) => {
                            let text = format!("{e} {e:?}");
                            assert!(!text.contains("4111111111111111"), "{pointer}: the error quotes the value: {text}");
                            assert!(text.contains(name), "{pointer}: the error does not name the field: {text}");
                        }
                    }
                }
            }

            /// A value that must be refused when deserialized.
            fn unreadable(&self, pointer: &str, value: &str) {
                assert!(serde_json::from_value::<T>(body(self.base, pointer, value)).is_err(), "{pointer} = {value} was accepted");
            }
        }
    }
}

/// The (request, sent body, answer) triples of an endpoint for the HTTP round trip: every vendor
/// example; a request-less example gets a request with every field valid; an endpoint without
/// examples gets that request and an empty successful answer.
fn http_cases(ep: &EndpointIr) -> Vec<(Literal, Value, Value)> {
    let synthesized = valid_object(&ep.request, &ep.request.nested);
    let empty_ok = serde_json::json!({"status": "SUCCESS", "result": {}});
    let mut out: Vec<(Literal, Value, Value)> = ep
        .examples
        .iter()
        .map(|x| {
            let vendor = x.request.clone().unwrap_or_else(|| synthesized.clone());
            let sent = x.sent.clone().unwrap_or_else(|| synthesized.clone());
            let answer = x.response.clone().unwrap_or_else(|| empty_ok.clone());
            (json(&vendor), sent, answer)
        })
        .collect();
    if out.is_empty() {
        out.push((json(&synthesized), synthesized, empty_ok));
    }
    out
}

/// The tests of `generated/tests/spec_http.rs` for the endpoints `eps` (a run of the file after
/// [`http`]).
pub fn http_tests<'a>(eps: impl IntoIterator<Item = &'a EndpointIr>) -> TokenStream {
    let tests = eps.into_iter().map(|ep| {
        let req = ident(&ep.request.name);
        let name = ident(&format!("{}_over_http", ep.id));
        let calls = http_cases(ep).into_iter().map(|(vendor, sent, answer)| {
            let (sent, answer) = (json(&sent), json(&answer));
            quote! { exchange::<#req>(#vendor, #sent, #answer).await; }
        });
        quote! {
            #[tokio::test]
            async fn #name() {
                #(#calls)*
            }
        }
    });
    quote! { #(#tests)* }
}

/// The start of `generated/tests/spec_http.rs` (every endpoint over real HTTP on 127.0.0.1): its
/// docs, imports and helpers (the tests follow, from [`http_tests`]).
pub fn http(ir: &Ir) -> TokenStream {
    let [status, result, success, _, code, _] = &ir.api.envelope;
    let (token, expired) = &ir.api.token_wire;
    let header = module_doc(&[
        "Every endpoint over real HTTP on 127.0.0.1, through `Client::send` and a wiremock server the".to_owned(),
        "test starts: the vendor's example request arrives as the body the spec expects, with the".to_owned(),
        "bearer token where the endpoint needs one, and the vendor's example answer decodes to the".to_owned(),
        "same value as decoding it directly (or to the API error it carries).".to_owned(),
    ]);
    quote! {
        #header
        #![cfg(feature = "client")]
        #![allow(missing_docs)]

        use ottpay::*;
        use ottpay::runtime::Api;
        use serde::de::DeserializeOwned;
        use serde_json::Value;
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        const TOKEN: &str = "eyJhbGciOiJIUzUxMiJ9.spec-http-test-token.c2lnbmF0dXJl";

        fn parse(text: &str) -> Value {
            match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => panic!("the spec's example is not JSON: {e}"),
            }
        }

        /// Sends `request` through a [`Client`] to a fresh wiremock server on 127.0.0.1 that
        /// serves the token endpoint and answers `E::PATH` with `answer`; checks the body and the
        /// `Authorization` header the server received; returns what the client decoded.
        async fn round_trip<E: Endpoint<Api = OttPay>>(request: &E, sent: &Value, answer: &Value) -> Result<E::Response, Error> {
            let server = MockServer::start().await;
            let token_path = <<OttPay as Api>::TokenRequest as Endpoint>::PATH;
            if E::PATH != token_path {
                let expires = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as i64) + 900_000;
                let token_answer = serde_json::json!({#status: #success, #result: {#token: TOKEN, #expired: expires}});
                Mock::given(method("POST")).and(path(token_path)).respond_with(ResponseTemplate::new(200).set_body_json(token_answer)).mount(&server).await;
            }
            Mock::given(method(E::METHOD)).and(path(E::PATH)).respond_with(ResponseTemplate::new(200).set_body_json(answer)).mount(&server).await;
            let client = match Client::builder().base_url(server.uri()).credentials("ON00000185", "0e83678f102d188d8875e8e4c781b984").build() {
                Ok(c) => c,
                Err(e) => panic!("the test client does not build: {e}"),
            };
            let result = client.send(request).await;
            let calls: Vec<wiremock::Request> = server.received_requests().await.unwrap_or_default().into_iter().filter(|r| r.url.path() == E::PATH).collect();
            assert_eq!(calls.len(), 1, "{}: expected exactly one request to {}", E::ID, E::PATH);
            let call = &calls[0];
            match serde_json::from_slice::<Value>(&call.body) {
                Ok(body) => assert_eq!(&body, sent, "{}: the request body as the server received it", E::ID),
                Err(e) => panic!("{}: the request body is not JSON: {e}", E::ID),
            }
            let authorization = call.headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
            match E::AUTH {
                Auth::Bearer => assert_eq!(authorization, Some(format!("Bearer {TOKEN}")), "{}", E::ID),
                Auth::None => assert_eq!(authorization, None, "{}: no Authorization on an Auth::None endpoint", E::ID),
            }
            result
        }

        async fn exchange<E>(vendor: &str, sent: &str, answer: &str)
        where
            E: Endpoint<Api = OttPay> + DeserializeOwned,
            E::Response: PartialEq + std::fmt::Debug,
        {
            let request: E = match serde_json::from_value(parse(vendor)) {
                Ok(r) => r,
                Err(e) => panic!("{}: example request does not deserialize: {e}", E::ID),
            };
            let answer = parse(answer);
            let got = round_trip(&request, &parse(sent), &answer).await;
            if answer[#status] == #success {
                let expected: E::Response = match serde_json::from_value(answer[#result].clone()) {
                    Ok(r) => r,
                    Err(e) => panic!("{}: example result does not decode: {e}", E::ID),
                };
                match got {
                    Ok(got) => assert_eq!(got, expected, "{}: decoded answer", E::ID),
                    Err(e) => panic!("{}: {e}", E::ID),
                }
            } else {
                let code = answer[#result][#code].as_i64().unwrap_or_default();
                match got {
                    Err(Error::Api { code: got, .. }) => assert_eq!(got.code(), code, "{}", E::ID),
                    other => panic!("{}: expected API error {code}, got {other:?}", E::ID),
                }
            }
        }
    }
}

/// One request body of the allocation test of an endpoint.
struct AllocCase {
    /// The endpoint and what the body is.
    name: String,
    /// The JSON body.
    body: Literal,
    /// For an invalid body, the pointer of its violation.
    breaks: Option<String>,
}

/// The valid request bodies of an endpoint (each vendor example request, and one with every field
/// set and valid, nested objects included), then one invalid body, at the deepest field that has a
/// boundary case, if any.
fn alloc_cases(ep: &EndpointIr) -> Vec<AllocCase> {
    let full = valid_object(&ep.request, &ep.request.nested);
    let mut out: Vec<AllocCase> = ep
        .examples
        .iter()
        .filter_map(|x| {
            let body = json(x.request.as_ref()?);
            Some(AllocCase { name: format!("{} / {}", ep.id, x.title), body, breaks: None })
        })
        .collect();
    out.push(AllocCase { name: format!("{} / every field set and valid", ep.id), body: json(&full), breaks: None });
    let mut all = Vec::new();
    cases(&ep.request, "", &ep.request.nested, &mut all);
    let deepest = all
        .iter()
        .filter_map(|c| match c {
            Case::Boundary { pointer, rule, bad, .. } => bad.first().map(|b| (pointer, *rule, b)),
            _ => None,
        })
        .min_by_key(|(pointer, ..)| std::cmp::Reverse(pointer.matches('/').count()));
    let invalid = deepest.and_then(|(pointer, rule, bad)| {
        let mut body = full.clone();
        *body.pointer_mut(pointer)? = bad.clone();
        Some(AllocCase {
            name: format!("{} / {pointer} breaks `{rule}`", ep.id),
            body: json(&body),
            breaks: Some(pointer.clone()),
        })
    });
    out.extend(invalid);
    out
}

/// The tests of `generated/tests/spec_alloc.rs` for the endpoints `eps` (a run of the file after
/// [`alloc`]).
pub fn alloc_tests<'a>(eps: impl IntoIterator<Item = &'a EndpointIr>) -> TokenStream {
    let tests = eps.into_iter().map(|ep| {
        let req = ident(&ep.request.name);
        let name = ident(&format!("{}_validates_without_allocating", ep.id));
        let calls = alloc_cases(ep).into_iter().map(|AllocCase { name, body, breaks }| match breaks {
            None => quote! { allocates_nothing::<#req>(#name, #body); },
            Some(pointer) => quote! { reports_with_allocations::<#req>(#name, #body, #pointer); },
        });
        let d = doc(&[format!(
            "`{}`: each vendor example request and a request with every field set validate without allocating; an invalid one allocates its report.",
            ep.id
        )]);
        quote! {
            #d
            #[test]
            fn #name() {
                #(#calls)*
            }
        }
    });
    quote! { #(#tests)* }
}

/// The start of `generated/tests/spec_alloc.rs` (`validate()` allocates nothing on a valid request
/// of any endpoint, counted per thread by `allocation-counter`): its docs, imports and helpers
/// (the tests follow, from [`alloc_tests`]).
pub fn alloc() -> TokenStream {
    let header = module_doc(&[
        "`validate()` allocates nothing on a valid request: for every endpoint, its vendor example".to_owned(),
        "requests and a request with every field set (nested objects included) are validated while".to_owned(),
        "`allocation-counter` counts the allocations of the test's own thread, so other test threads".to_owned(),
        "cannot disturb the count. An invalid request does allocate (its report), which shows the".to_owned(),
        "counter counts.".to_owned(),
    ]);
    quote! {
        #header
        #![allow(missing_docs)]

        use ottpay::*;
        use serde::de::DeserializeOwned;

        fn request<T: DeserializeOwned>(case: &str, body: &str) -> T {
            match serde_json::from_str(body) {
                Ok(r) => r,
                Err(e) => panic!("{case}: the request does not deserialize: {e}"),
            }
        }

        /// Validates `request` once; returns the outcome and how many allocations this thread made
        /// meanwhile (building the request is not counted).
        fn counted<T: Validate>(request: &T) -> (Result<(), ValidationErrors>, u64) {
            let mut outcome = Ok(());
            let info = allocation_counter::measure(|| outcome = std::hint::black_box(request).validate());
            (outcome, info.count_total)
        }

        fn allocates_nothing<T: DeserializeOwned + Validate>(case: &str, body: &str) {
            match counted(&request::<T>(case, body)) {
                (Err(e), _) => panic!("{case}: the request is not valid: {e}"),
                (Ok(()), n) => assert_eq!(n, 0, "{case}: validate() on a valid request made {n} allocation(s)"),
            }
        }

        fn reports_with_allocations<T: DeserializeOwned + Validate>(case: &str, body: &str, pointer: &str) {
            match counted(&request::<T>(case, body)) {
                (Ok(()), _) => panic!("{case}: the request should break a rule at {pointer}"),
                (Err(e), n) => {
                    assert!(e.violations().iter().any(|v| v.pointer == pointer), "{case}: no violation at {pointer}: {e}");
                    assert!(n > 0, "{case}: recording a violation allocated nothing: the counter does not count");
                }
            }
        }

        #[test]
        fn the_counter_counts_this_thread() {
            let info = allocation_counter::measure(|| drop(std::hint::black_box(String::from("counted"))));
            assert_eq!(info.count_total, 1);
        }
    }
}

#[cfg(test)]
mod literals {
    use serde_json::json;

    use super::json;

    /// A JSON literal reads back as the value's text; it is raw exactly when no character would
    /// be escaped in a normal literal but `"` and `\`, with enough `#` to close.
    #[test]
    fn json_literals_hold_the_text_and_are_raw_only_when_nothing_hides() {
        let cases = [
            (json!({"a": "b"}), Some(1)),
            (json!("no quote or hash"), Some(1)),
            (json!("a \"# b"), Some(2)),
            (json!("a \"## b \"# c"), Some(3)),
            (json!("é, ü, 中文, 😀"), Some(1)),
            (json!("back\\slash and \u{1} control"), Some(1)),
            (json!("line\nbreak"), Some(1)),
            (json!("right-to-left \u{202E} override"), None),
            (json!("zero width \u{200B} space"), None),
            (json!("combining e\u{301}"), None),
            (json!("bom \u{feff}"), None),
        ];
        for (value, raw) in cases {
            let lit = json(&value);
            let repr = lit.to_string();
            let expect = raw.map(|n| format!("r{}\"", "#".repeat(n)));
            match &expect {
                Some(start) => assert!(repr.starts_with(start.as_str()), "{value}: {repr}"),
                None => assert!(repr.starts_with('"'), "{value}: {repr}"),
            }
            let parsed: syn::LitStr = match syn::parse_str(&repr) {
                Ok(l) => l,
                Err(e) => panic!("{value}: {repr} does not parse: {e}"),
            };
            assert_eq!(parsed.value(), value.to_string(), "{repr}");
            // No invisible or direction character is ever written as it is.
            assert!(!repr.contains(['\u{202E}', '\u{200B}', '\u{feff}', '\u{301}']), "{repr}");
        }
    }
}
