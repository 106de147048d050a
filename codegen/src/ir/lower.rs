//! Spec model -> IR. Runs only on a spec that passed the checks.

use std::collections::BTreeMap;

use super::docs::{lines, sanitize};
use super::{
    ApiIr, CallbackIr, Constraint, Credential, EndpointIr, EnumIr, ErrorIr, ExampleIr, FieldIr, Ir, KnownValue, Role,
    StructIr, Ty, names,
};
use crate::spec::model::{AuthKind, Endpoint, Field, FieldType, Format, RetryKind, Source, Spec};

/// Lowers a checked spec, the endpoints of a big one on up to [`crate::emit::MAX_THREADS`] threads.
pub fn lower(spec: &Spec) -> Ir {
    lower_on(spec, std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS)))
}

/// [`lower`] on at most `threads` threads (1, or fewer than [`PARALLEL_FROM`] endpoints: on the
/// caller's thread). The IR does not depend on the number.
pub fn lower_on(spec: &Spec, threads: usize) -> Ir {
    let errors: Vec<ErrorIr> = spec
        .errors
        .iter()
        .map(|e| {
            let mut doc = vec![format!("`{}` {}: {}", e.code, sanitize(&e.message), sanitize(&e.description))];
            if e.source == Source::Observed {
                doc.extend(["".to_owned(), OBSERVED.to_owned()]);
            }
            ErrorIr {
                code: e.code,
                variant: e.name.clone(),
                message: e.message.clone(),
                doc,
                description: e.description.clone(),
                observed: e.source == Source::Observed,
            }
        })
        .collect();

    let enums = spec
        .enums
        .iter()
        .map(|e| EnumIr {
            name: e.name.clone(),
            doc: lines(&e.description),
            values: e
                .values
                .iter()
                .map(|v| {
                    let mut doc = vec![format!("`{}`: {}", v.value, sanitize(&v.description))];
                    if v.source == Source::Observed {
                        doc.extend(["".to_owned(), OBSERVED.to_owned()]);
                    }
                    (v.value.clone(), names::variant(&v.value, v.rust_name.as_deref()), doc)
                })
                .collect(),
            description: e.description.clone(),
            known: e
                .values
                .iter()
                .map(|v| KnownValue {
                    value: v.value.clone(),
                    description: v.description.clone(),
                    observed: v.source == Source::Observed,
                })
                .collect(),
        })
        .collect();

    let mut groups: BTreeMap<String, Vec<EndpointIr>> = BTreeMap::new();
    for ep in endpoints(spec, &errors, threads) {
        groups.entry(ep.group.clone()).or_default().push(ep);
    }

    let callbacks = spec
        .callbacks
        .iter()
        .map(|cb| {
            let mut doc = vec![sanitize(&cb.summary)];
            if let Some(d) = &cb.description {
                doc.push(String::new());
                doc.extend(lines(d));
            }
            if !cb.docs.is_empty() {
                doc.push(String::new());
                doc.push("Reference:".to_owned());
                doc.extend(cb.docs.iter().map(|u| format!("- <{u}>")));
            }
            let data_name = names::notification_data(&cb.id);
            let mut body_doc = doc;
            body_doc.push(String::new());
            body_doc.push(format!("This is the outer JSON body; `data` decrypts to [`{data_name}`]."));
            CallbackIr {
                id: cb.id.clone(),
                body: structure(names::notification(&cb.id), body_doc, Role::Notification, &cb.body),
                data: structure(
                    data_name,
                    vec![format!(
                        "The decrypted fields of a `{}` notification. Fields appear only when relevant.",
                        cb.id
                    )],
                    Role::Notification,
                    &cb.data,
                ),
                examples: cb
                    .examples
                    .iter()
                    .map(|x| (x.title.clone(), x.sign_key.clone(), x.body.clone(), x.plaintext.clone()))
                    .collect(),
                example_sources: cb.examples.iter().map(|x| x.source.clone()).collect(),
                summary: cb.summary.clone(),
                description: cb.description.clone(),
                docs: cb.docs.clone(),
                observed: cb.source == Source::Observed,
            }
        })
        .collect();

    let guide = spec
        .api
        .guide
        .as_deref()
        .map(|g| g.trim_end().lines().map(|l| l.trim_end().to_owned()).collect())
        .unwrap_or_default();
    Ir {
        doc: lines(&spec.api.description),
        guide,
        api: api(spec, &groups),
        enums,
        errors,
        groups,
        callbacks,
        title: spec.api.title.clone(),
        description: spec.api.description.clone(),
    }
}

/// The most threads [`lower`] uses (as many as the emitters).
const MAX_THREADS: usize = crate::emit::MAX_THREADS;

/// From how many endpoints [`endpoints`] spreads the work over threads: below, a thread costs more
/// than it saves (the real spec's 17 endpoints lower in well under a millisecond).
pub const PARALLEL_FROM: usize = 256;

/// Every endpoint lowered, in the spec's order. Each endpoint lowers on its own, so a big spec is
/// cut into `threads` contiguous slices and the slices' results are joined in
/// order: the IR does not depend on the number of threads.
fn endpoints(spec: &Spec, errors: &[ErrorIr], threads: usize) -> Vec<EndpointIr> {
    let all = &spec.endpoints;
    if threads <= 1 || all.len() < PARALLEL_FROM {
        return all.iter().enumerate().map(|(position, ep)| endpoint(spec, errors, position, ep)).collect();
    }
    let per = all.len().div_ceil(threads);
    let lower_slice = |i: usize, slice: &[Endpoint]| -> Vec<EndpointIr> {
        slice.iter().enumerate().map(|(j, ep)| endpoint(spec, errors, i * per + j, ep)).collect()
    };
    std::thread::scope(|scope| {
        // The first slice on this thread; a slice whose thread the system refuses, here too.
        let mut slices = all.chunks(per).enumerate();
        let first = slices.next();
        let others: Vec<_> = slices
            .map(|(i, slice)| {
                std::thread::Builder::new().spawn_scoped(scope, move || lower_slice(i, slice)).map_err(|_| (i, slice))
            })
            .collect();
        let mut out = Vec::with_capacity(all.len());
        if let Some((i, slice)) = first {
            out.extend(lower_slice(i, slice));
        }
        for slice in others {
            match slice {
                Ok(thread) => match thread.join() {
                    Ok(eps) => out.extend(eps),
                    // Lowering does not panic on a checked spec; if it ever did, the panic is the report.
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err((i, slice)) => out.extend(lower_slice(i, slice)),
            }
        }
        out
    })
}

/// The error variant of a code in the table.
fn variant_of(errors: &[ErrorIr], code: &i64) -> Option<String> {
    errors.iter().find(|e| e.code == *code).map(|e| e.variant.clone())
}

/// One endpoint, the `position`-th of the spec.
fn endpoint(spec: &Spec, errors: &[ErrorIr], position: usize, ep: &Endpoint) -> EndpointIr {
    let mut doc = vec![sanitize(&ep.summary)];
    if let Some(d) = &ep.description {
        doc.push(String::new());
        doc.extend(lines(d));
    }
    doc.push(String::new());
    let auth = if ep.auth == AuthKind::Bearer { "bearer token" } else { "no token" };
    doc.push(format!("`POST {}` ({auth}); answers with [`{}`].", ep.path, names::response(&ep.id)));
    if ep.source == Source::Observed {
        doc.extend([String::new(), format!("**Observed, not documented.** {OBSERVED}")]);
    }
    if let Some(gap) = &ep.known_gap {
        doc.extend([String::new(), format!("# {KNOWN_GAP_HEAD}"), String::new()]);
        doc.extend(lines(gap));
    }
    if let Some(text) = ep.unknown_outcome.as_ref().and_then(|k| spec.api.unknown_outcome.get(k)) {
        doc.extend([String::new(), "# If the outcome is unknown".to_owned(), String::new()]);
        doc.extend(lines(text));
    }
    if !ep.docs.is_empty() {
        doc.push(String::new());
        doc.push("Reference:".to_owned());
        doc.extend(ep.docs.iter().map(|u| format!("- <{u}>")));
    }
    let request = structure(names::request(&ep.id), doc, Role::Request, &ep.request);
    let mut response_doc = vec![
        format!("The `result` of a successful `{}` answer.", ep.id),
        String::new(),
        "Every field is optional: the vendor returns `null` freely. Members the spec does not list are dropped \
         when decoding; `Client::send_with_raw` keeps them (`WithRaw::unknown_fields`)."
            .to_owned(),
    ];
    if let Some(gap) = &ep.known_gap {
        response_doc.extend([String::new(), format!("# {KNOWN_GAP_HEAD}"), String::new()]);
        response_doc.extend(lines(gap));
    }
    let response = structure(names::response(&ep.id), response_doc, Role::Response, &ep.response);
    let examples = ep
        .examples
        .iter()
        .map(|x| ExampleIr {
            title: x.title.clone(),
            request: x.request.clone(),
            sent: x.normalized_request.clone().or_else(|| x.request.clone()),
            response: x.response.clone(),
            source: x.source.clone(),
            note: x.note.clone(),
        })
        .collect();
    EndpointIr {
        id: ep.id.clone(),
        kind: ep.kind,
        observed: ep.source == Source::Observed,
        summary: ep.summary.clone(),
        path: ep.path.clone(),
        bearer: ep.auth == AuthKind::Bearer,
        retry_safe: ep.retry == RetryKind::Safe,
        unknown_outcome: ep
            .unknown_outcome
            .as_ref()
            .and_then(|k| spec.api.unknown_outcome.get(k))
            .map(|t| lines(t))
            .unwrap_or_default(),
        request,
        response,
        errors: ep.errors.iter().filter_map(|code| variant_of(errors, code)).collect(),
        examples,
        position,
        group: ep.group.clone(),
        description: ep.description.clone(),
        docs: ep.docs.clone(),
        unknown_outcome_text: ep.unknown_outcome.as_ref().and_then(|k| spec.api.unknown_outcome.get(k)).cloned(),
        known_gap: ep.known_gap.as_deref().map(lines).unwrap_or_default(),
        known_gap_text: ep.known_gap.clone(),
        error_codes: ep.errors.clone(),
    }
}

/// The runtime's view of the API. The checks guarantee the token endpoint and its fields exist.
fn api(spec: &Spec, groups: &BTreeMap<String, Vec<EndpointIr>>) -> ApiIr {
    let a = &spec.api;
    let e = &a.envelope;
    let auth = &a.auth;
    let mut out = ApiIr {
        production: a.servers.production.clone(),
        sandbox: a.servers.sandbox.clone(),
        envelope: [
            e.status.clone(),
            e.result.clone(),
            e.success.clone(),
            e.error.clone(),
            e.code.clone(),
            e.message.clone(),
        ],
        invalid_token_code: auth.invalid_token_code,
        token_wire: (auth.token.clone(), auth.expires_at_ms.clone()),
        ..ApiIr::default()
    };
    if let Some(ep) = groups.values().flatten().find(|ep| ep.id == auth.token_endpoint) {
        out.token_request.clone_from(&ep.request.name);
        out.token_response.clone_from(&ep.response.name);
        out.token_args = ep
            .request
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| (if f.wire == auth.app_key { Credential::AppKey } else { Credential::AppId }, f.ty.clone()))
            .collect();
        let rust =
            |wire: &str| ep.response.fields.iter().find(|f| f.wire == wire).map(|f| f.rust.clone()).unwrap_or_default();
        out.token_field = rust(&auth.token);
        out.expires_field = rust(&auth.expires_at_ms);
    }
    out
}

/// The heading of an endpoint's `known_gap` in the docs.
pub const KNOWN_GAP_HEAD: &str = "Not yet specified";

/// How the docs introduce the rules the SDK adds.
pub const SDK_RULES_HEAD: &str =
    "SDK rules (checked by this SDK before sending; OTT Pay's documentation states no such rule)";

const OBSERVED: &str = "Seen only in third-party client code, not in OTT Pay's documentation.";

fn structure(name: String, doc: Vec<String>, role: Role, fields: &[Field]) -> StructIr {
    let mut nested = Vec::new();
    let fields = fields
        .iter()
        .map(|f| {
            let ty = match (f.ty, f.format) {
                (FieldType::Object, _) => {
                    let tname = names::nested(f);
                    let inner = structure(
                        tname.clone(),
                        vec![format!("The `{}` object: {}", f.name, sanitize(&f.description))],
                        role,
                        f.fields.as_deref().unwrap_or_default(),
                    );
                    nested.push(inner);
                    Ty::Nested(tname)
                }
                (_, Some(Format::Cents)) if role == Role::Request => Ty::Cents { string: f.ty == FieldType::String },
                (_, Some(Format::Cents)) if role == Role::Response => Ty::Reported,
                (FieldType::Number, _) => Ty::Int,
                _ if f.sensitive => Ty::Secret,
                _ => match &f.enum_name {
                    Some(e) => Ty::Enum(e.clone()),
                    None => Ty::Text,
                },
            };
            let constraints = if role == Role::Request { Constraint::of(f) } else { Vec::new() };
            let sdk_rules: Vec<(Constraint, String)> = constraints
                .iter()
                .filter_map(|c| {
                    let reason = f.sdk_rules.as_ref()?.reason(c.rule())?;
                    Some((*c, reason.split_whitespace().collect::<Vec<_>>().join(" ")))
                })
                .collect();
            FieldIr {
                wire: f.name.clone(),
                rust: names::field(f),
                required: role == Role::Request && f.required == Some(true),
                doc: field_doc(f, &ty, &constraints, &sdk_rules),
                ty,
                constraints,
                sdk_rules,
                wire_ty: f.ty,
                format: f.format,
                sensitive: f.sensitive,
                description: f.description.clone(),
                remark: f.remark.clone(),
                sample: f.sample.clone(),
                observed: f.source == Source::Observed,
            }
        })
        .collect();
    let mut flat = Vec::new();
    for n in nested {
        flatten(n, &mut flat);
    }
    StructIr { name, doc, role, fields, nested: flat }
}

fn flatten(mut s: StructIr, out: &mut Vec<StructIr>) {
    let inner = std::mem::take(&mut s.nested);
    out.push(s);
    for n in inner {
        flatten(n, out);
    }
}

fn field_doc(f: &Field, ty: &Ty, constraints: &[Constraint], sdk_rules: &[(Constraint, String)]) -> Vec<String> {
    let mut doc = vec![sanitize(&f.description)];
    if let Some(r) = &f.remark {
        doc.push(String::new());
        doc.extend(lines(r));
    }
    let mut facts = vec![format!("Wire: `{}`", f.name)];
    match ty {
        Ty::Cents { string: true } => facts.push("cents as a JSON string".to_owned()),
        Ty::Cents { string: false } => facts.push("cents as a JSON number".to_owned()),
        Ty::Reported => facts.push("an amount as the server wrote it".to_owned()),
        _ => {}
    }
    if f.format == Some(Format::TimestampMs) {
        facts.push("Unix epoch milliseconds".to_owned());
    }
    if !constraints.is_empty() {
        let rules: Vec<String> = constraints.iter().map(|c| c.describe()).collect();
        facts.push(format!("must be {}", rules.join(", ")));
    }
    if constraints
        .iter()
        .any(|c| matches!(c, Constraint::MaxChars(_) | Constraint::MinChars(_) | Constraint::ExactChars(_)))
    {
        facts.push("lengths count characters, not bytes".to_owned());
    }
    if f.sensitive {
        facts.push("sensitive: redacted in `Debug` and in violations".to_owned());
    }
    doc.push(String::new());
    doc.push(format!("{}.", facts.join("; ")));
    if !sdk_rules.is_empty() {
        doc.push(String::new());
        doc.push(format!("{SDK_RULES_HEAD}:"));
        doc.push(String::new());
        for (c, reason) in sdk_rules {
            doc.push(format!("- {}: {}", c.describe(), sanitize(reason)));
        }
    }
    if let Some(s) = &f.sample {
        let shown = s.as_str().map_or_else(|| s.to_string(), str::to_owned);
        if !f.sensitive && !shown.is_empty() {
            doc.push(String::new());
            doc.push(format!("Sample: `{}`", shown.replace('`', "'")));
        }
    }
    if f.source == Source::Observed {
        doc.push(String::new());
        doc.push(OBSERVED.to_owned());
    }
    doc
}
