//! `generated/openapi.json`: the API as an OpenAPI 3.1.0 document, for teams that do not use Rust
//! (client generators, gateways, API testers). Every endpoint is an operation (operationId = the
//! spec id), the payment-result callback is a webhook, the schemas come from [`super::schema`].

use std::collections::{BTreeMap, BTreeSet};

use super::json::{Json, Obj, pretty};
use super::schema::{self, COMPONENTS, Names, PARTIAL_RULES};
use crate::ir::{CallbackIr, EndpointIr, Ir, StructIr};

/// The first member of the document: JSON has no comments, so the @generated line is a string.
pub const MARKER_MEMBER: &str = "x-generated";

/// The security scheme every bearer endpoint names.
const BEARER: &str = "bearer";

/// Component names: the IR's type names, plus the document's own (envelopes, error code, country
/// code), each made unique against the others.
struct Registry {
    taken: BTreeSet<String>,
}

impl Registry {
    fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        while self.taken.contains(&name) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        name
    }
}

fn reference(name: &str) -> Json {
    Obj::new().set("$ref", format!("{COMPONENTS}{name}")).into()
}

/// Markdown paragraphs joined by a blank line, empty ones dropped.
fn paragraphs(parts: &[String]) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

/// A key for an example map: the title in lower case, letters and digits kept, the rest `_`.
fn example_key(title: &str, used: &mut BTreeSet<String>) -> String {
    let mut key: String =
        title.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    key = key.split('_').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("_");
    if key.is_empty() {
        key = "example".to_owned();
    }
    let base = key.clone();
    let mut i = 2;
    while !used.insert(key.clone()) {
        key = format!("{base}_{i}");
        i += 1;
    }
    key
}

/// The whole document.
pub fn openapi(ir: &Ir) -> String {
    let mut registry = Registry { taken: BTreeSet::new() };
    for ep in ir.groups.values().flatten() {
        for s in [&ep.request, &ep.response] {
            registry.taken.insert(s.name.clone());
            registry.taken.extend(s.nested.iter().map(|n| n.name.clone()));
        }
    }
    for cb in &ir.callbacks {
        for s in [&cb.body, &cb.data] {
            registry.taken.insert(s.name.clone());
            registry.taken.extend(s.nested.iter().map(|n| n.name.clone()));
        }
    }
    registry.taken.extend(ir.enums.iter().map(|e| e.name.clone()));
    let error_code = registry.fresh("ErrorCode");
    let api_error = registry.fresh("ApiError");
    let error_answer = registry.fresh("ErrorAnswer");
    let mut names = Names { country: registry.fresh("CountryCode"), partial: BTreeSet::new(), country_used: false };

    let mut components: BTreeMap<String, Json> = BTreeMap::new();
    let endpoints = ir.endpoints();
    let mut paths = Obj::new();
    for ep in &endpoints {
        let success = registry.fresh(&format!("{}Success", ep.response.name.trim_end_matches("Response")));
        add_struct(&ep.request, &format!("The request body of `{}`.", ep.id), &mut components, &mut names);
        add_struct(
            &ep.response,
            &format!(
                "The `result` of a successful `{}` answer. Every field may be null or absent, and members not listed here may appear.",
                ep.id
            ),
            &mut components,
            &mut names,
        );
        components.insert(success.clone(), envelope(ir, &ir.api.envelope[2], reference(&ep.response.name)));
        let op = operation(ir, ep, &success, &error_answer);
        paths.insert(&ep.path, Obj::new().set("post", op));
    }
    let mut webhooks = Obj::new();
    for cb in &ir.callbacks {
        add_struct(
            &cb.body,
            &format!(
                "The JSON body of a `{}` notification, as POSTed to the merchant; `data` decrypts to `{}`.",
                cb.id, cb.data.name
            ),
            &mut components,
            &mut names,
        );
        add_struct(
            &cb.data,
            &format!("The decrypted `data` of a `{}` notification. Fields appear only when relevant.", cb.id),
            &mut components,
            &mut names,
        );
        let ids: BTreeSet<&str> = endpoints.iter().map(|e| e.id.as_str()).collect();
        let operation_id = if ids.contains(cb.id.as_str()) { format!("{}_webhook", cb.id) } else { cb.id.clone() };
        webhooks.insert(&cb.id, Obj::new().set("post", webhook(cb, &operation_id)));
    }
    // The decrypted data is named where the encrypted member is, with the examples' plaintexts.
    for cb in &ir.callbacks {
        if let Some(Json::Obj(body)) = components.get_mut(&cb.body.name) {
            decrypted_data_note(body, &cb.data.name);
        }
        let plaintexts: Vec<Json> = cb
            .examples
            .iter()
            .filter_map(|(_, _, _, p)| serde_json::from_str::<serde_json::Value>(p).ok())
            .map(|v| Json::from(&v))
            .collect();
        if let (Some(Json::Obj(data)), false) = (components.get_mut(&cb.data.name), plaintexts.is_empty()) {
            data.insert("examples", plaintexts);
        }
    }
    for e in &ir.enums {
        let mut text = e.description.trim().to_owned();
        text.push_str("\n\nAn open set: values not listed here can occur and are kept as they are. Known values:\n");
        for v in &e.known {
            let observed = if v.observed { " (seen only in third-party code)" } else { "" };
            text.push_str(&format!("\n- `{}`: {}{observed}", v.value, v.description.trim()));
        }
        let values: Vec<Json> = e.known.iter().map(|v| Json::from(&v.value)).collect();
        components.insert(
            e.name.clone(),
            Obj::new()
                .set("type", "string")
                .set("description", text)
                .set("examples", values.clone())
                .set("x-ottpay-known-values", values)
                .into(),
        );
    }
    components.insert(error_code.clone(), error_code_schema(ir));
    components.insert(api_error.clone(), api_error_schema(ir, &error_code));
    components.insert(error_answer.clone(), envelope(ir, &ir.api.envelope[3], reference(&api_error)));
    if names.country_used {
        components.insert(
            names.country.clone(),
            Obj::new()
                .set("type", "string")
                .set(
                    "description",
                    "An officially assigned ISO 3166-1 alpha-2 country code in upper case (`CA`, `US`): exactly the codes the Rust validator (`Rule::Country`) accepts.",
                )
                .set("enum", schema::country_codes())
                .into(),
        );
    }

    let mut servers = vec![Json::from(Obj::new().set("url", &ir.api.production).set("description", "Production"))];
    if let Some(s) = &ir.api.sandbox {
        servers.push(Obj::new().set("url", s).set("description", "Sandbox").into());
    }
    let mut tags: Vec<Json> = Vec::new();
    let mut seen = BTreeSet::new();
    for ep in &endpoints {
        if seen.insert(ep.group.as_str()) {
            let ids: Vec<String> =
                endpoints.iter().filter(|e| e.group == ep.group).map(|e| format!("`{}`", e.id)).collect();
            tags.push(
                Obj::new()
                    .set("name", &ep.group)
                    .set("description", format!("The `{}` endpoints: {}.", ep.group, ids.join(", ")))
                    .into(),
            );
        }
    }
    let rules: Obj = PARTIAL_RULES
        .iter()
        .filter(|(name, _)| names.partial.contains(name))
        .fold(Obj::new(), |o, (name, what)| o.set(name, *what));
    let [status, result, ..] = &ir.api.envelope;
    let description = paragraphs(&[
        ir.description.clone(),
        format!(
            "Every answer is the envelope `{{\"{status}\": \"{}\" | \"{}\", \"{result}\": ...}}`, described per operation as a `oneOf` on `{status}`. Request schemas are as strict as the Rust SDK's validators; where a rule needs more than JSON Schema can say (see `x-ottpay-rules`), the field names it in its own `x-ottpay-rules`. Rules named in a field's `x-ottpay-sdk-rules` are the SDK's own (OTT Pay's documentation states none of them), each with the reason the SDK checks it; every other rule of a request field is the vendor's. Response schemas are as liberal as the SDK's response types: every field may be null or absent, unknown members are allowed, status enums are open.",
            ir.api.envelope[2], ir.api.envelope[3]
        ),
        "Generated from `spec/ottpay.yaml` by `cargo xtask gen`, with the Rust SDK (the `ottpay` crate) and the Markdown reference (`generated/API.md`).".to_owned(),
    ]);
    let doc = Obj::new()
        .set(MARKER_MEMBER, "@generated by `cargo xtask gen` from spec/ottpay.yaml. Do not edit.")
        .set("openapi", "3.1.0")
        .set(
            "info",
            Obj::new()
                .set("title", &ir.title)
                .set("version", env!("CARGO_PKG_VERSION"))
                .set("description", description)
                .set("contact", Obj::new().set("name", "The ottpay developers").set("url", env!("CARGO_PKG_REPOSITORY")))
                .set("license", Obj::new().set("name", env!("CARGO_PKG_LICENSE")).set("identifier", env!("CARGO_PKG_LICENSE"))),
        )
        .set("servers", servers)
        .set("security", vec![Json::from(Obj::new().set(BEARER, Vec::<Json>::new()))])
        .set("tags", tags)
        .set("paths", paths)
        .opt("webhooks", (!webhooks.is_empty()).then_some(webhooks))
        .set(
            "components",
            Obj::new()
                .set("schemas", components.into_iter().fold(Obj::new(), |o, (k, v)| o.set(&k, v)))
                .set(
                    "securitySchemes",
                    Obj::new().set(
                        BEARER,
                        Obj::new()
                            .set("type", "http")
                            .set("scheme", "bearer")
                            .set("bearerFormat", "JWT")
                            .set("description", format!("The token the `{}` operation returns, sent as `Authorization: Bearer <token>`. When an answer carries error code {} the token is no longer valid: fetch a new one and repeat the call once.", token_operation(ir), ir.api.invalid_token_code)),
                    ),
                ),
        )
        .opt("x-ottpay-rules", (!rules.is_empty()).then_some(rules));
    pretty(&doc.into())
}

/// The id of the token endpoint.
fn token_operation(ir: &Ir) -> String {
    ir.endpoints()
        .into_iter()
        .find(|e| e.request.name == ir.api.token_request)
        .map(|e| e.id.clone())
        .unwrap_or_default()
}

/// Adds the schema of `s` and of its nested structs (the first of a name wins).
fn add_struct(s: &StructIr, description: &str, components: &mut BTreeMap<String, Json>, names: &mut Names) {
    if !components.contains_key(&s.name) {
        components.insert(s.name.clone(), schema::structure(s, description, names));
    }
    let mut parents: BTreeMap<&str, String> = BTreeMap::new();
    for one in std::iter::once(s).chain(&s.nested) {
        for f in &one.fields {
            if let crate::ir::Ty::Nested(n) = &f.ty {
                parents
                    .entry(n.as_str())
                    .or_insert_with(|| format!("The `{}` object: {}", f.wire, f.description.trim()));
            }
        }
    }
    for n in &s.nested {
        if !components.contains_key(&n.name) {
            let text = parents.get(n.name.as_str()).cloned().unwrap_or_default();
            components.insert(n.name.clone(), schema::structure(n, &text, names));
        }
    }
}

/// `{status: <status>, result: <result>}`, both required.
fn envelope(ir: &Ir, status_value: &str, result: Json) -> Json {
    let [status, result_name, ..] = &ir.api.envelope;
    Obj::new()
        .set("type", "object")
        .set("required", vec![status.as_str(), result_name.as_str()])
        .set("properties", Obj::new().set(status, Obj::new().set("const", status_value)).set(result_name, result))
        .into()
}

fn error_code_schema(ir: &Ir) -> Json {
    let mut text = "The error code of an ERROR answer. Codes not in this table can occur; a string of digits is read as the number.\n\n| code | name | message | meaning |\n|---|---|---|---|".to_owned();
    for e in &ir.errors {
        let observed = if e.observed { " (seen only in third-party code)" } else { "" };
        text.push_str(&format!(
            "\n| {} | `{}` | {} | {}{observed} |",
            e.code,
            e.variant,
            cell(&e.message),
            cell(&e.description)
        ));
    }
    let codes: Vec<Json> = ir.errors.iter().map(|e| Json::from(e.code)).collect();
    Obj::new()
        .set("type", vec!["integer", "string"])
        .set("pattern", r"^\s*-?[0-9]+\s*$")
        .set("description", text)
        .set("examples", codes.clone())
        .set("x-ottpay-known-values", codes)
        .into()
}

fn api_error_schema(ir: &Ir, error_code: &str) -> Json {
    let [.., code, message] = &ir.api.envelope;
    Obj::new()
        .set("type", "object")
        .set("description", "The `result` of an ERROR answer.")
        .set("required", vec![code.as_str()])
        .set(
            "properties",
            Obj::new().set(code, reference(error_code)).set(
                message,
                Obj::new().set("type", vec!["string", "null"]).set(
                    "description",
                    "What went wrong, in the server's words (may differ from the table's message).",
                ),
            ),
        )
        .into()
}

/// A table cell: one line, `|` escaped.
pub fn cell(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

fn operation(ir: &Ir, ep: &EndpointIr, success: &str, error_answer: &str) -> Obj {
    let retry = if ep.retry_safe {
        "**Retries**: read-only; the Rust client retries it with bounded backoff on transport errors, timeouts and 5xx."
    } else {
        "**Retries**: moves money; never retried automatically once it may have reached the server."
    };
    let mut parts = vec![ep.description.clone().unwrap_or_default(), retry.to_owned()];
    if ep.observed {
        parts.push(
            "**Observed, not documented**: seen only in third-party client code, not in OTT Pay's documentation."
                .to_owned(),
        );
    }
    if let Some(t) = &ep.known_gap_text {
        parts.push(format!("**{}**: {}", crate::ir::KNOWN_GAP_HEAD, t.trim()));
    }
    if let Some(t) = &ep.unknown_outcome_text {
        parts.push(format!("**If the outcome is unknown**: {}", t.trim()));
    }
    if !ep.docs.is_empty() {
        let list: Vec<String> = ep.docs.iter().map(|d| format!("- <{d}>")).collect();
        parts.push(format!("Vendor pages:\n\n{}", list.join("\n")));
    }
    let mut used = BTreeSet::new();
    let mut request_examples = Obj::new();
    let mut answer_examples = Obj::new();
    for x in &ep.examples {
        let key = example_key(&x.title, &mut used);
        let mut text = Vec::new();
        if let Some(s) = &x.source {
            text.push(format!("Source: {s}"));
        }
        if let Some(n) = &x.note {
            text.push(n.clone());
        }
        if let Some(sent) = &x.sent {
            let mut t = text.clone();
            if let Some(vendor) = x.request.as_ref().filter(|v| *v != sent) {
                t.push(format!("The vendor's example sends `{vendor}`; this is what the SDK sends for it."));
            }
            request_examples.insert(
                &key,
                Obj::new()
                    .set("summary", &x.title)
                    .opt("description", (!t.is_empty()).then(|| t.join("\n\n")))
                    .set("value", Json::from(sent)),
            );
        }
        if let Some(answer) = &x.response {
            answer_examples.insert(
                &key,
                Obj::new()
                    .set("summary", &x.title)
                    .opt("description", (!text.is_empty()).then(|| text.join("\n\n")))
                    .set("value", Json::from(answer)),
            );
        }
    }
    let [status, ..] = &ir.api.envelope;
    let codes: Vec<String> = ep
        .error_codes
        .iter()
        .map(|c| match ir.errors.iter().find(|e| e.code == *c) {
            Some(e) => format!("- `{c}` {}: {}", e.message.trim(), e.description.trim()),
            None => format!("- `{c}`"),
        })
        .collect();
    let mut answer_text = format!(
        "The answer envelope: `{status}` is `{}` with the result, or `{}` with the error code and message.",
        ir.api.envelope[2], ir.api.envelope[3]
    );
    if !codes.is_empty() {
        answer_text.push_str(&format!(
            " Error codes documented for this endpoint (others can occur):\n\n{}",
            codes.join("\n")
        ));
    }
    let media = Obj::new()
        .set(
            "schema",
            Obj::new().set("oneOf", vec![reference(success), reference(error_answer)]).set(
                "discriminator",
                Obj::new().set("propertyName", status).set(
                    "mapping",
                    Obj::new()
                        .set(&ir.api.envelope[2], format!("{COMPONENTS}{success}"))
                        .set(&ir.api.envelope[3], format!("{COMPONENTS}{error_answer}")),
                ),
            ),
        )
        .opt("examples", (!answer_examples.is_empty()).then_some(answer_examples));
    let request_media = Obj::new()
        .set("schema", reference(&ep.request.name))
        .opt("examples", (!request_examples.is_empty()).then_some(request_examples));
    let op = Obj::new()
        .set("tags", vec![ep.group.as_str()])
        .set("summary", &ep.summary)
        .set("description", paragraphs(&parts))
        .set("operationId", &ep.id)
        .opt("externalDocs", ep.docs.first().map(|d| Obj::new().set("description", "The vendor's page").set("url", d)));
    let op = if ep.bearer { op } else { op.set("security", Vec::<Json>::new()) };
    op.set("requestBody", Obj::new().set("required", true).set("content", Obj::new().set("application/json", request_media)))
        .set(
            "responses",
            Obj::new()
                .set("200", Obj::new().set("description", answer_text).set("content", Obj::new().set("application/json", media)))
                .set(
                    "4XX",
                    Obj::new().set("description", format!("Refused at the HTTP level. A 401 means the bearer token is missing, invalid or expired (as error code {}): fetch a new token and repeat the call once. An ERROR envelope in the body is read as the API error.", ir.api.invalid_token_code)),
                )
                .set(
                    "default",
                    Obj::new().set("description", "Any other HTTP status. An ERROR envelope is read as the API error whatever the status; any other body (an HTML error page, nothing) is an HTTP error."),
                ),
        )
        .set("x-ottpay-retry", if ep.retry_safe { "safe" } else { "never" })
        .set("x-ottpay-kind", kind_name(ep))
        .opt("x-ottpay-source", ep.observed.then_some("observed"))
        .set("x-ottpay-error-codes", ep.error_codes.clone())
}

fn kind_name(ep: &EndpointIr) -> &'static str {
    use crate::spec::model::EndpointKind as K;
    match ep.kind {
        K::Token => "token",
        K::WalletPayment => "wallet_payment",
        K::CardPayment => "card_payment",
        K::StatusQuery => "status_query",
        K::Refund => "refund",
        K::Reverse => "reverse",
        K::Other => "other",
    }
}

/// How to read a notification (the scheme `ottpay_runtime::callback` implements).
pub const DECRYPTION_RECIPE: &[&str] = &[
    "Parse the POSTed body as JSON: `rsp_code`, `rsp_msg`, `merchant_id`, `data`, `md5`.",
    "Compute the upper-case hexadecimal MD5 of `md5` followed by your signKey (a secret separate from appId/appKey); its characters 8 to 23 (16 ASCII characters) are the AES-128 key.",
    "Base64-decode `data` and decrypt it with AES-128-ECB, PKCS#7 (PKCS5) padding: the plaintext is a UTF-8 JSON object (the decrypted data schema).",
    "Verify: `md5` must equal the upper-case hexadecimal MD5 of the decrypted object's values concatenated in ascending key order (compare in constant time); the outer `merchant_id` must equal the decrypted one.",
    "Check the merchant and the amount, record the `order_id` once (the same notification may arrive again), confirm with a status query before fulfilling, then answer HTTP 200 with the body `SUCCESS`.",
];

fn decrypted_data_note(body: &mut Obj, data_schema: &str) {
    if let Some(Json::Obj(props)) = body.get_mut("properties")
        && let Some(Json::Obj(data)) = props.get_mut("data")
    {
        data.insert("contentEncoding", "base64");
        data.insert("x-ottpay-decrypted", reference(data_schema));
    }
}

fn webhook(cb: &CallbackIr, operation_id: &str) -> Obj {
    let recipe: Vec<String> = DECRYPTION_RECIPE.iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect();
    let mut parts = vec![
        cb.description.clone().unwrap_or_default(),
        format!(
            "**Reading it** (what the Rust SDK's `ottpay::callback::decode` does; the decrypted object is `{}`):\n\n{}",
            cb.data.name,
            recipe.join("\n")
        ),
    ];
    if cb.observed {
        parts.push("**Observed, not documented**: seen only in third-party client code.".to_owned());
    }
    if !cb.docs.is_empty() {
        let list: Vec<String> = cb.docs.iter().map(|d| format!("- <{d}>")).collect();
        parts.push(format!("Vendor pages:\n\n{}", list.join("\n")));
    }
    let mut used = BTreeSet::new();
    let mut examples = Obj::new();
    for (i, (title, key, body, plaintext)) in cb.examples.iter().enumerate() {
        let mut text = Vec::new();
        if let Some(Some(s)) = cb.example_sources.get(i) {
            text.push(format!("Source: {s}"));
        }
        text.push(format!("Made with the signKey `{key}`; `data` decrypts to `{plaintext}`."));
        examples.insert(
            &example_key(title, &mut used),
            Obj::new().set("summary", title).set("description", text.join("\n\n")).set("value", Json::from(body)),
        );
    }
    let media =
        Obj::new().set("schema", reference(&cb.body.name)).opt("examples", (!examples.is_empty()).then_some(examples));
    Obj::new()
        .set("summary", &cb.summary)
        .set("description", paragraphs(&parts))
        .set("operationId", operation_id)
        .opt("externalDocs", cb.docs.first().map(|d| Obj::new().set("description", "The vendor's page").set("url", d)))
        .set("security", Vec::<Json>::new())
        .set("requestBody", Obj::new().set("required", true).set("content", Obj::new().set("application/json", media)))
        .set(
            "responses",
            Obj::new().set(
                "200",
                Obj::new().set("description", "The notification was recorded: answer HTTP 200 with the body `SUCCESS`; OTT Pay may send it again otherwise.").set(
                    "content",
                    Obj::new().set(
                        "text/plain",
                        Obj::new().set("schema", Obj::new().set("type", "string").set("const", ottpay_runtime::callback::ACKNOWLEDGEMENT)),
                    ),
                ),
            ),
        )
}
