//! Semantic checks across nodes. Every problem is collected; none stops the others.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::locate::Locator;
use ottpay_runtime::callback::Notification;

use super::model::{Endpoint, Field, FieldType, Format, RetryKind, Spec};
use crate::diag::{Code, Diagnostic};
use crate::ir::constraint::Constraint;
use crate::ir::names;

/// The largest `max_length`, `min_length` or `length` the format allows: generated boundary tests
/// build values of these lengths, so a limit keeps generation bounded in time and memory.
pub const MAX_LENGTH: usize = 4096;

/// The lengths (in characters) a format's own rule allows.
fn format_lengths(format: Option<Format>) -> (usize, usize) {
    match format {
        Some(Format::Country) => (2, 2),
        Some(Format::Mmyy) => (4, 4),
        Some(Format::Cvv) => (3, 4),
        Some(Format::CardNumber) => (12, 19),
        Some(Format::Email) => (5, 254),
        Some(Format::Url) => (8, usize::MAX),
        _ => (0, usize::MAX),
    }
}

/// Which table a field list is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Request,
    Response,
}

struct Checker<'a> {
    file: &'a str,
    loc: &'a Locator<'a>,
    out: Vec<Diagnostic>,
    /// Every Rust type name, with the path of the node that defines it.
    types: HashMap<String, String>,
    enums: HashSet<&'a str>,
    /// Nested object types: name -> (definition, group, table), so identical ones can be shared.
    nested: HashMap<String, (&'a Field, String, Table)>,
    /// The group (output module) of the node being checked.
    group: String,
}

/// Checks `spec`; returns every problem found.
pub fn check(file: &str, text: &str, spec: &Spec) -> Vec<Diagnostic> {
    check_located(file, &Locator::new(text), spec)
}

/// [`check`] with the locator of the spec's text, which is indexed only if a problem is found.
fn check_located(file: &str, loc: &Locator<'_>, spec: &Spec) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        loc,
        out: Vec::new(),
        types: HashMap::new(),
        enums: HashSet::new(),
        nested: HashMap::new(),
        group: String::new(),
    };
    c.spec(spec);
    c.out
}

impl<'a> Checker<'a> {
    fn report(&mut self, code: Code, path: String, message: String, hint: &str) {
        let pos = self.loc.find(&path);
        self.out.push(Diagnostic { code, file: self.file.to_owned(), path, pos, message, hint: hint.to_owned() });
    }

    fn type_name(&mut self, name: String, path: String) {
        if let Some(first) = self.types.get(&name) {
            let message = format!("Rust type `{name}` is already defined by {first}");
            self.report(
                Code::RustNameCollision,
                path,
                message,
                "rename one of the two (endpoint id, enum name, or `rust_type`)",
            );
        } else {
            self.types.insert(name, path);
        }
    }

    fn spec(&mut self, spec: &'a Spec) {
        self.types.insert("ErrorCode".to_owned(), "the error-code table".to_owned());
        for name in names::RESERVED_TYPES {
            self.types.insert((*name).to_owned(), "the generated crate itself (a reserved name)".to_owned());
        }
        for (i, e) in spec.enums.iter().enumerate() {
            let path = format!("enums[{i}]");
            if !names::is_camel(&e.name) {
                self.report(
                    Code::BadIdentifier,
                    format!("{path}.name"),
                    format!("enum name `{}` is not an UpperCamelCase identifier", e.name),
                    "write it like `PaymentStatus`",
                );
            }
            self.type_name(e.name.clone(), format!("enums[{i}]"));
            self.enums.insert(&e.name);
            let mut values = HashSet::new();
            let mut variants: HashMap<String, &str> = HashMap::new();
            for (j, v) in e.values.iter().enumerate() {
                let vpath = format!("{path}.values[{j}]");
                if !values.insert(v.value.as_str()) {
                    self.report(
                        Code::DuplicateDefinition,
                        format!("{vpath}.value"),
                        format!("enum `{}` lists value `{}` twice", e.name, v.value),
                        "remove the second entry",
                    );
                    continue;
                }
                let variant = names::variant(&v.value, v.rust_name.as_deref());
                if !names::is_camel(&variant) || variant == "Unknown" {
                    self.report(
                        Code::BadIdentifier,
                        vpath.clone(),
                        format!(
                            "value `{}` gives variant `{variant}`, which is not a usable UpperCamelCase identifier",
                            v.value
                        ),
                        "set `rust_name` to an UpperCamelCase name other than `Unknown`",
                    );
                } else if let Some(other) = variants.insert(variant.clone(), &v.value) {
                    self.report(
                        Code::RustNameCollision,
                        vpath,
                        format!("values `{other}` and `{}` both map to variant `{variant}`", v.value),
                        "set `rust_name` on one of them",
                    );
                }
            }
        }

        let mut codes: BTreeMap<i64, usize> = BTreeMap::new();
        let mut error_names: HashMap<&str, i64> = HashMap::new();
        for (i, e) in spec.errors.iter().enumerate() {
            let path = format!("errors[{i}]");
            if codes.insert(e.code, i).is_some() {
                self.report(
                    Code::DuplicateDefinition,
                    format!("{path}.code"),
                    format!("error code {} is listed twice", e.code),
                    "keep one row per code",
                );
            }
            if !names::is_camel(&e.name) || e.name == "Unknown" {
                self.report(
                    Code::BadIdentifier,
                    format!("{path}.name"),
                    format!("error name `{}` is not a usable UpperCamelCase identifier", e.name),
                    "write it like `InvalidParameter` (not `Unknown`)",
                );
            } else if let Some(other) = error_names.insert(&e.name, e.code) {
                self.report(
                    Code::RustNameCollision,
                    format!("{path}.name"),
                    format!("codes {other} and {} are both named `{}`", e.code, e.name),
                    "give each code its own name",
                );
            }
        }

        let ids: HashSet<&str> = spec.endpoints.iter().map(|e| e.id.as_str()).collect();
        if !ids.contains(spec.api.auth.token_endpoint.as_str()) {
            self.report(
                Code::InvalidValue,
                "api.auth.token_endpoint".to_owned(),
                format!("no endpoint has id `{}`", spec.api.auth.token_endpoint),
                "name the id of the endpoint that issues tokens",
            );
        }
        if let Some(ep) = spec.endpoints.iter().find(|e| e.id == spec.api.auth.token_endpoint) {
            self.token_flow(spec, ep);
        }
        if !codes.contains_key(&spec.api.auth.invalid_token_code) {
            self.report(
                Code::UnknownErrorCode,
                "api.auth.invalid_token_code".to_owned(),
                format!("error code {} is not in the error table", spec.api.auth.invalid_token_code),
                "add it to `errors:`",
            );
        }

        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut methods: HashMap<String, &str> = HashMap::new();
        let mut paths: HashMap<&str, &str> = HashMap::new();
        for (i, ep) in spec.endpoints.iter().enumerate() {
            let path = format!("endpoints[{i}]");
            if let Some(first) = seen.insert(&ep.id, i) {
                self.report(
                    Code::DuplicateEndpoint,
                    format!("{path}.id"),
                    format!("endpoint id `{}` is already used by endpoints[{first}]", ep.id),
                    "give every endpoint its own id",
                );
                continue;
            }
            if names::is_keyword(&ep.id) {
                self.report(
                    Code::BadIdentifier,
                    format!("{path}.id"),
                    format!("endpoint id `{}` is a Rust keyword, so it cannot name the client method", ep.id),
                    "choose another id, for example with a noun added (`type_query`)",
                );
            } else if !names::is_snake(&ep.id) {
                self.report(
                    Code::BadIdentifier,
                    format!("{path}.id"),
                    format!("endpoint id `{}` is not a snake_case identifier", ep.id),
                    "write it like `alipay_wap_pay`",
                );
            } else if names::RESERVED_METHODS.contains(&ep.id.as_str()) {
                self.report(
                    Code::RustNameCollision,
                    format!("{path}.id"),
                    format!(
                        "endpoint id `{}` would be a client method, but `Client` already has a method `{}`",
                        ep.id, ep.id
                    ),
                    "choose another id (the client's own methods are listed in spec/FORMAT.md)",
                );
            } else if let Some(other) = methods.insert(names::snake(&ep.id), &ep.id) {
                self.report(
                    Code::RustNameCollision,
                    format!("{path}.id"),
                    format!("endpoints `{other}` and `{}` both map to method `{}`", ep.id, names::snake(&ep.id)),
                    "rename one of them",
                );
            } else {
                self.type_name(names::request(&ep.id), format!("{path}.id"));
                self.type_name(names::response(&ep.id), format!("{path}.id"));
                self.type_name(names::required(&names::request(&ep.id)), format!("{path}.id"));
            }
            if names::is_keyword(&ep.group) {
                self.report(
                    Code::BadIdentifier,
                    format!("{path}.group"),
                    format!("group `{}` is a Rust keyword, so it cannot name a module", ep.group),
                    "choose another group name",
                );
            } else if !names::is_snake(&ep.group) || ep.group.ends_with('_') {
                self.report(
                    Code::BadIdentifier,
                    format!("{path}.group"),
                    format!("group `{}` is not a snake_case module name", ep.group),
                    "write it like `alipay`",
                );
            } else if names::RESERVED_MODULES.contains(&ep.group.as_str()) {
                self.report(
                    Code::RustNameCollision,
                    format!("{path}.group"),
                    format!(
                        "group `{}` would be a module, but the crate already uses the name `{}`",
                        ep.group, ep.group
                    ),
                    "choose another group name (the reserved module names are listed in spec/FORMAT.md)",
                );
            }
            if let Some(first) = paths.insert(ep.path.as_str(), &ep.id) {
                self.report(
                    Code::DuplicateDefinition,
                    format!("{path}.path"),
                    format!("path `{}` is already the path of endpoint `{first}`", ep.path),
                    "every endpoint has its own request URI",
                );
            }
            let mut listed = HashSet::new();
            for (j, code) in ep.errors.iter().enumerate() {
                if !listed.insert(*code) {
                    self.report(
                        Code::DuplicateDefinition,
                        format!("{path}.errors[{j}]"),
                        format!("error code {code} is listed twice for `{}`", ep.id),
                        "list each code once",
                    );
                }
            }
            if !ep.path.starts_with('/') {
                self.report(
                    Code::PathWithoutSlash,
                    format!("{path}.path"),
                    format!("path `{}` does not start with `/`", ep.path),
                    "write the request URI relative to the base URL, e.g. `/api/v1/pay/alipay/wap-pay`",
                );
            } else if ep.path.chars().any(|c| c.is_whitespace() || c == '?' || c == '#') {
                self.report(
                    Code::InvalidValue,
                    format!("{path}.path"),
                    format!("path `{}` contains whitespace, a query or a fragment", ep.path),
                    "give the bare request URI",
                );
            }
            match (&ep.unknown_outcome, ep.retry) {
                (None, RetryKind::Never) => self.report(
                    Code::MissingKey,
                    path.clone(),
                    format!("`{}` moves money (`retry: never`) but names no `unknown_outcome`", ep.id),
                    "name the `api.unknown_outcome` text that says how to find out whether an unanswered call was processed",
                ),
                (Some(key), _) if !spec.api.unknown_outcome.contains_key(key) => self.report(
                    Code::InvalidValue,
                    format!("{path}.unknown_outcome"),
                    format!("`{key}` is not a key of `api.unknown_outcome`"),
                    "add the text under `api.unknown_outcome` or fix the key",
                ),
                _ => {}
            }
            for (j, code) in ep.errors.iter().enumerate() {
                if !codes.contains_key(code) {
                    self.report(
                        Code::UnknownErrorCode,
                        format!("{path}.errors[{j}]"),
                        format!("error code {code} is not in the error table"),
                        "add the code to `errors:` or remove it here",
                    );
                }
            }
            self.group.clone_from(&ep.group);
            self.fields(&ep.request, &format!("{path}.request"), Table::Request);
            self.fields(&ep.response, &format!("{path}.response"), Table::Response);
            for (j, ex) in ep.examples.iter().enumerate() {
                let xpath = format!("{path}.examples[{j}]");
                if ex.request.is_none() && ex.response.is_none() {
                    self.report(
                        Code::ExampleShape,
                        xpath.clone(),
                        "the example has neither `request` nor `response`".to_owned(),
                        "add the vendor's request body or answer",
                    );
                }
                if let Some(req) = &ex.request {
                    self.example(&ep.request, req, &format!("{xpath}.request"), Table::Request);
                }
                if let Some(req) = &ex.normalized_request {
                    self.example(&ep.request, req, &format!("{xpath}.normalized_request"), Table::Request);
                }
                if let Some(resp) = &ex.response {
                    self.envelope(&ep.response, resp, &format!("{xpath}.response"), spec);
                }
            }
        }

        for (i, cb) in spec.callbacks.iter().enumerate() {
            let path = format!("callbacks[{i}]");
            if i > 0 {
                self.report(Code::InvalidValue, format!("{path}.id"), format!("callback `{}` is a second callback; the crate decodes one notification scheme (`ottpay::callback::decode`)", cb.id), "describe every notification of the scheme as one callback");
            }
            for (j, f) in cb.body.iter().enumerate() {
                if !Notification::WIRE_FIELDS.contains(&f.name.as_str()) {
                    let known = Notification::WIRE_FIELDS.join(", ");
                    self.report(Code::InvalidValue, format!("{path}.body[{j}].name"), format!("`{}` is not a field of the encrypted notification the runtime decodes ({known})", f.name), "the outer body is read by ottpay-runtime's callback scheme: list only its fields, or extend the runtime first");
                }
            }
            if !names::is_snake(&cb.id) {
                self.report(
                    Code::BadIdentifier,
                    format!("{path}.id"),
                    format!("callback id `{}` is not a snake_case identifier", cb.id),
                    "write it like `payment_result`",
                );
            } else {
                self.type_name(names::notification(&cb.id), format!("{path}.id"));
                self.type_name(names::notification_data(&cb.id), format!("{path}.id"));
            }
            self.group = "callbacks".to_owned();
            self.fields(&cb.body, &format!("{path}.body"), Table::Response);
            self.fields(&cb.data, &format!("{path}.data"), Table::Response);
            for (j, ex) in cb.examples.iter().enumerate() {
                let xpath = format!("{path}.examples[{j}]");
                self.example(&cb.body, &ex.body, &format!("{xpath}.body"), Table::Response);
                match serde_json::from_str::<Value>(&ex.plaintext) {
                    Ok(v) => self.example(&cb.data, &v, &format!("{xpath}.plaintext"), Table::Response),
                    Err(e) => self.report(
                        Code::ExampleShape,
                        format!("{xpath}.plaintext"),
                        format!("the plaintext is not JSON: {e}"),
                        "copy the decrypted JSON text verbatim",
                    ),
                }
            }
        }
    }

    /// The token endpoint must carry exactly the credentials `api.auth` names, and answer with a
    /// sensitive string token and a numeric expiry, because the runtime's client builds the token
    /// request and reads the answer through them.
    fn token_flow(&mut self, spec: &Spec, ep: &Endpoint) {
        let auth = &spec.api.auth;
        let i = spec.endpoints.iter().position(|e| e.id == ep.id).unwrap_or_default();
        let string = |f: &Field| f.ty == FieldType::String && f.enum_name.is_none() && f.format != Some(Format::Cents);
        for (key, name) in [("app_id", &auth.app_id), ("app_key", &auth.app_key)] {
            match ep.request.iter().position(|f| &f.name == name) {
                None => self.report(
                    Code::InvalidValue,
                    format!("api.auth.{key}"),
                    format!("the token endpoint `{}` has no request field `{name}`", ep.id),
                    "name the request field that carries this credential",
                ),
                Some(j) if !(string(&ep.request[j]) && ep.request[j].required == Some(true)) => self.report(
                    Code::InvalidValue,
                    format!("endpoints[{i}].request[{j}]"),
                    format!("credential field `{name}` must be a required String without format or enum"),
                    "make it `{type: String, required: true}`",
                ),
                Some(_) => {}
            }
        }
        for (j, f) in ep.request.iter().enumerate() {
            if f.required == Some(true) && f.name != auth.app_id && f.name != auth.app_key {
                self.report(
                    Code::InvalidValue,
                    format!("endpoints[{i}].request[{j}].required"),
                    format!(
                        "the token request's field `{}` is required, but the client only knows `{}` and `{}`",
                        f.name, auth.app_id, auth.app_key
                    ),
                    "make it optional, or name it in `api.auth`",
                );
            }
        }
        match ep.response.iter().position(|f| f.name == auth.token) {
            None => self.report(
                Code::InvalidValue,
                "api.auth.token".to_owned(),
                format!("the token endpoint `{}` has no response field `{}`", ep.id, auth.token),
                "name the response field that carries the token",
            ),
            Some(j) if !(string(&ep.response[j]) && ep.response[j].sensitive) => self.report(
                Code::InvalidValue,
                format!("endpoints[{i}].response[{j}]"),
                format!("token field `{}` must be a String marked `sensitive: true`", auth.token),
                "a bearer token is a secret: mark it sensitive",
            ),
            Some(_) => {}
        }
        match ep.response.iter().position(|f| f.name == auth.expires_at_ms) {
            None => self.report(
                Code::InvalidValue,
                "api.auth.expires_at_ms".to_owned(),
                format!("the token endpoint `{}` has no response field `{}`", ep.id, auth.expires_at_ms),
                "name the response field that carries the expiry time",
            ),
            Some(j)
                if !(ep.response[j].ty == FieldType::Number
                    && matches!(ep.response[j].format, None | Some(Format::TimestampMs))) =>
            {
                self.report(
                    Code::InvalidValue,
                    format!("endpoints[{i}].response[{j}]"),
                    format!("expiry field `{}` must be a Number (Unix milliseconds)", auth.expires_at_ms),
                    "give it `type: Number` and `format: timestamp_ms`",
                )
            }
            Some(_) => {}
        }
    }

    fn fields(&mut self, fields: &'a [Field], path: &str, table: Table) {
        let mut wire: HashMap<&str, usize> = HashMap::new();
        let mut rust: HashMap<String, &str> = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            let fpath = format!("{path}[{i}]");
            if let Some(first) = wire.insert(&f.name, i) {
                self.report(
                    Code::DuplicateField,
                    format!("{fpath}.name"),
                    format!("field `{}` is already defined at {path}[{first}]", f.name),
                    "remove or rename the second row",
                );
                continue;
            }
            let rname = names::field(f);
            if names::is_keyword(&rname) {
                self.report(
                    Code::BadIdentifier,
                    fpath.clone(),
                    format!("field `{}` gives Rust name `{rname}`, which is a Rust keyword", f.name),
                    "set `rust_name` to another snake_case name (or leave it out: keywords get a trailing `_`)",
                );
            } else if !names::is_snake(&rname) {
                self.report(
                    Code::BadIdentifier,
                    fpath.clone(),
                    format!("field `{}` gives Rust name `{rname}`, which is not a snake_case identifier", f.name),
                    "set `rust_name` to a snake_case name",
                );
            } else if table == Table::Request
                && f.required != Some(true)
                && names::RESERVED_SETTERS.contains(&rname.as_str())
            {
                self.report(
                    Code::RustNameCollision,
                    fpath.clone(),
                    format!("optional field `{}` would get the setter `{rname}`, but the request type already has a method `{rname}`", f.name),
                    "set `rust_name` to another name (for example with a suffix: `new_value`)",
                );
            } else if let Some(other) = rust.insert(rname.clone(), &f.name) {
                self.report(
                    Code::RustNameCollision,
                    fpath.clone(),
                    format!("fields `{other}` and `{}` both map to Rust field `{rname}`", f.name),
                    "set `rust_name` on one of them",
                );
            }
            match (table, f.required) {
                (Table::Request, None) => self.report(
                    Code::MissingKey,
                    fpath.clone(),
                    format!("request field `{}` does not say whether it is required", f.name),
                    "add `required: true` or `required: false`, as the vendor's table says",
                ),
                (Table::Response, Some(_)) => self.report(
                    Code::ConstraintMismatch,
                    format!("{fpath}.required"),
                    format!("response field `{}` has `required`", f.name),
                    "remove it: response fields are always optional",
                ),
                _ => {}
            }
            self.field_constraints(f, &fpath, table);
            if let Some(e) = &f.enum_name
                && !self.enums.contains(e.as_str())
            {
                self.report(
                    Code::UnknownEnum,
                    format!("{fpath}.enum"),
                    format!("enum `{e}` is not defined"),
                    "add it to `enums:` or fix the name",
                );
            }
            match (f.ty, &f.fields) {
                (FieldType::Object, Some(nested)) => {
                    let tname = names::nested(f);
                    if !names::is_camel(&tname) {
                        self.report(
                            Code::BadIdentifier,
                            fpath.clone(),
                            format!("object `{}` gives type name `{tname}`, which is not UpperCamelCase", f.name),
                            "set `rust_type`",
                        );
                    }
                    // Identical nested objects of one group and table share one type.
                    let shared = self
                        .nested
                        .get(&tname)
                        .is_some_and(|(def, group, t)| def.fields == f.fields && *group == self.group && *t == table);
                    if shared {
                        continue;
                    }
                    if self.types.contains_key(&tname) && self.nested.contains_key(&tname) {
                        let message = format!(
                            "Rust type `{tname}` is already defined by {}, with other fields or in another group",
                            self.types[&tname]
                        );
                        self.report(Code::RustNameCollision, fpath.clone(), message, "nested objects share a `rust_type` only when their fields are identical and they are in one group; otherwise give each its own `rust_type`");
                        continue;
                    }
                    self.type_name(tname.clone(), fpath.clone());
                    if table == Table::Request {
                        self.type_name(names::required(&tname), fpath.clone());
                    }
                    self.nested.insert(tname, (f, self.group.clone(), table));
                    self.fields(nested, &format!("{fpath}.fields"), table);
                }
                (FieldType::Object, None) => self.report(
                    Code::MissingKey,
                    fpath.clone(),
                    format!("object field `{}` has no `fields`", f.name),
                    "list the nested fields under `fields:`",
                ),
                (_, Some(_)) => self.report(
                    Code::ConstraintMismatch,
                    format!("{fpath}.fields"),
                    format!("field `{}` has `fields` but is not an Object", f.name),
                    "remove `fields` or make the type Object",
                ),
                (_, None) => {}
            }
        }
    }

    fn field_constraints(&mut self, f: &Field, fpath: &str, table: Table) {
        let bad = |c: &mut Self, key: &str, why: String| {
            c.report(
                Code::ConstraintMismatch,
                format!("{fpath}.{key}"),
                why,
                "remove the key or change the field's type/format (spec/FORMAT.md)",
            );
        };
        let string = f.ty == FieldType::String;
        for (key, set) in [
            ("max_length", f.max_length.is_some()),
            ("min_length", f.min_length.is_some()),
            ("length", f.length.is_some()),
            ("enum", f.enum_name.is_some()),
            ("charset", f.charset.is_some()),
        ] {
            if set && !string {
                bad(self, key, format!("`{key}` applies to String fields, but `{}` is {:?}", f.name, f.ty));
            }
        }
        for (key, value) in [("max_length", f.max_length), ("min_length", f.min_length), ("length", f.length)] {
            if let Some(n) = value
                && n > MAX_LENGTH
            {
                bad(self, key, format!("{key} {n} is above {MAX_LENGTH}, the largest length the format allows"));
            }
        }
        if let (Some(min), Some(max)) = (f.min_length, f.max_length)
            && min > max
        {
            bad(self, "min_length", format!("min_length {min} is greater than max_length {max}"));
        }
        // Every length rule, and the lengths the format itself allows, must leave some value.
        let (mut lo, mut hi) = format_lengths(f.format);
        lo = lo.max(f.min_length.unwrap_or(0)).max(f.length.unwrap_or(0));
        hi = hi.min(f.max_length.unwrap_or(usize::MAX)).min(f.length.unwrap_or(usize::MAX));
        if string && lo > hi {
            let key = if f.length.is_some() {
                "length"
            } else if f.min_length.is_some() {
                "min_length"
            } else {
                "max_length"
            };
            bad(
                self,
                key,
                format!(
                    "the constraints of `{}` leave no valid length (at least {lo}, at most {hi} characters)",
                    f.name
                ),
            );
        }
        if f.min_cents.is_some() && f.format != Some(Format::Cents) {
            bad(self, "min_cents", format!("`min_cents` needs `format: cents` on `{}`", f.name));
        }
        if f.max_cents.is_some() && f.format != Some(Format::Cents) {
            bad(self, "max_cents", format!("`max_cents` needs `format: cents` on `{}`", f.name));
        }
        let limit = ottpay_runtime::Cents::MAX.get();
        if let Some(max) = f.max_cents
            && max > limit
        {
            bad(
                self,
                "max_cents",
                format!("max_cents {max} is above {limit}, the largest amount a signed 64-bit backend holds"),
            );
        }
        if let (Some(min), Some(max)) = (f.min_cents, f.max_cents)
            && min > max
        {
            bad(self, "min_cents", format!("min_cents {min} is greater than max_cents {max}"));
        }
        if table == Table::Request && f.format == Some(Format::Cents) && f.max_cents.is_none() {
            self.report(
                Code::MissingKey,
                fpath.to_owned(),
                format!("amount `{}` of a request has no `max_cents`", f.name),
                "state the largest amount it may carry (`max_cents: 9223372036854775807` if the vendor states none)",
            );
        }
        if f.allow_control && !(string && table == Table::Request) {
            bad(
                self,
                "allow_control",
                format!("`allow_control` applies to String fields of a request, not `{}`", f.name),
            );
        }
        if f.rust_type.is_some() && f.ty != FieldType::Object {
            bad(self, "rust_type", format!("`rust_type` applies to Object fields, but `{}` is {:?}", f.name, f.ty));
        }
        match (f.format, f.ty) {
            (Some(Format::Cents), FieldType::String | FieldType::Number)
            | (Some(Format::TimestampMs), FieldType::Number)
            | (None, _) => {}
            (Some(fmt), FieldType::String) if fmt != Format::TimestampMs => {}
            (Some(fmt), ty) => {
                bad(self, "format", format!("format {fmt:?} does not apply to {ty:?} field `{}`", f.name))
            }
        }
        if f.format == Some(Format::Cents) && (f.sensitive || f.enum_name.is_some()) {
            bad(self, "format", format!("`{}` cannot be both money and sensitive or an enum", f.name));
        }
        if f.ty == FieldType::Object && f.sensitive {
            bad(self, "sensitive", format!("object `{}` cannot be sensitive; mark its fields", f.name));
        }
        if f.charset.is_some() && (f.enum_name.is_some() || f.format.is_some()) {
            bad(
                self,
                "charset",
                format!("`charset` applies to plain String fields, but `{}` has a format or an enum", f.name),
            );
        }
        self.sdk_rules(f, fpath, table);
    }

    /// Each `sdk_rules` entry marks a rule the request field carries, with a reason.
    fn sdk_rules(&mut self, f: &Field, fpath: &str, table: Table) {
        let Some(rules) = &f.sdk_rules else { return };
        let carried: Vec<&'static str> = if table == Table::Request {
            Constraint::of(f).into_iter().map(Constraint::rule).collect()
        } else {
            Vec::new()
        };
        for (name, reason) in rules.entries() {
            let path = format!("{fpath}.sdk_rules.{name}");
            if table == Table::Response {
                self.report(
                    Code::SdkRuleMismatch,
                    path,
                    format!(
                        "`sdk_rules` marks `{name}` on response field `{}`, but answers are never validated",
                        f.name
                    ),
                    "remove `sdk_rules` from the response row",
                );
            } else if !carried.contains(&name) {
                let has = if carried.is_empty() { "none".to_owned() } else { carried.join(", ") };
                self.report(
                    Code::SdkRuleMismatch,
                    path,
                    format!("`sdk_rules` marks `{name}` as the SDK's own, but `{}` has no such rule (its rules: {has})", f.name),
                    "mark only rules the row carries (its format, a length or cents key, or `charset`), or add the rule",
                );
            } else if reason.trim().is_empty() {
                self.report(
                    Code::SdkRuleMismatch,
                    path,
                    format!("`sdk_rules` marks `{name}` on `{}` without a reason", f.name),
                    "say why the SDK checks a rule OTT Pay does not state",
                );
            }
        }
    }

    fn example(&mut self, fields: &[Field], value: &Value, path: &str, table: Table) {
        let Some(obj) = value.as_object() else {
            self.report(
                Code::ExampleShape,
                path.to_owned(),
                "the example is not a JSON object".to_owned(),
                "give the body as a mapping",
            );
            return;
        };
        for key in obj.keys() {
            if !fields.iter().any(|f| &f.name == key) && table == Table::Request {
                self.report(
                    Code::ExampleShape,
                    format!("{path}.{key}"),
                    format!("the example sends `{key}`, which the request table lacks"),
                    "add the field to the table or fix the example",
                );
            }
        }
        for f in fields {
            let vpath = format!("{path}.{}", f.name);
            let Some(v) = obj.get(&f.name) else {
                if table == Table::Request && f.required == Some(true) {
                    self.report(
                        Code::ExampleShape,
                        path.to_owned(),
                        format!("the example lacks required field `{}`", f.name),
                        "add it to the example or mark the field `required: false`",
                    );
                }
                continue;
            };
            let type_ok = match (f.ty, v) {
                (_, Value::Null) => table == Table::Response,
                (FieldType::String, Value::String(_))
                | (FieldType::Number, Value::Number(_))
                | (FieldType::Object, Value::Object(_)) => true,
                // Integers of answers may come as strings of digits (checked below).
                (FieldType::Number, Value::String(_)) if table == Table::Response => true,
                // Money is accepted in either wire form (the vendor's own examples mix them).
                (FieldType::String | FieldType::Number, Value::String(_) | Value::Number(_)) => {
                    f.format == Some(Format::Cents)
                }
                _ => false,
            };
            // Beyond the JSON type, what the generated Rust type will accept.
            let int = |v: &Value| match v {
                Value::Number(n) => n.is_i64(),
                Value::String(s) => table == Table::Response && s.trim().trim_start_matches('-').parse::<u64>().is_ok(),
                _ => false,
            };
            let cents = |v: &Value| match v {
                Value::Number(n) => n.as_u64().is_some_and(|c| c <= ottpay_runtime::Cents::MAX.get()),
                Value::String(s) => {
                    !s.is_empty()
                        && s.bytes().all(|b| b.is_ascii_digit())
                        && s.parse::<u64>().is_ok_and(|c| c <= ottpay_runtime::Cents::MAX.get())
                }
                _ => false,
            };
            let value_ok = match (f.ty, f.format) {
                _ if v.is_null() => true,
                (FieldType::String | FieldType::Number, Some(Format::Cents)) => table == Table::Response || cents(v),
                (FieldType::Number, _) => int(v),
                _ => true,
            };
            if type_ok && !value_ok {
                let what = if f.format == Some(Format::Cents) {
                    "a whole, non-negative number of cents"
                } else {
                    "an integer"
                };
                self.report(
                    Code::ExampleShape,
                    vpath.clone(),
                    format!("`{}` must be {what}, but the example has {v}", f.name),
                    "fix the example or the field's type",
                );
                continue;
            }
            if !type_ok {
                self.report(
                    Code::ExampleShape,
                    vpath.clone(),
                    format!("`{}` is {:?} in the table, but the example has {v}", f.name, f.ty),
                    "fix the example or the field's type",
                );
                continue;
            }
            if let (Some(nested), Value::Object(_)) = (&f.fields, v) {
                self.example(nested, v, &vpath, table);
            }
            let constraints = if table == Table::Request { Constraint::of(f) } else { Vec::new() };
            for c in constraints {
                if let Some(found) = c.violation(v) {
                    let shown = if f.sensitive
                        && !matches!(c, Constraint::MaxChars(_) | Constraint::MinChars(_) | Constraint::ExactChars(_))
                    {
                        "a sensitive value".to_owned()
                    } else {
                        found
                    };
                    self.report(Code::ExampleViolation, vpath.clone(), format!("the example breaks `{}` of `{}`: must be {}, found {shown}", c.rule(), f.name, c.describe()), "the vendor's examples are copied verbatim: fix the constraint if the vendor's own example breaks it");
                }
            }
        }
    }

    fn envelope(&mut self, fields: &[Field], value: &Value, path: &str, spec: &Spec) {
        let env = &spec.api.envelope;
        let status = value.get(&env.status).and_then(Value::as_str);
        if status == Some(env.success.as_str()) {
            match value.get(&env.result) {
                Some(result) => self.example(fields, result, &format!("{path}.{}", env.result), Table::Response),
                None => self.report(
                    Code::ExampleShape,
                    path.to_owned(),
                    format!("a {} answer without `{}`", env.success, env.result),
                    "copy the whole answer, envelope included",
                ),
            }
        } else if status != Some(env.error.as_str()) {
            self.report(
                Code::ExampleShape,
                path.to_owned(),
                format!("the answer's `{}` is neither {} nor {}", env.status, env.success, env.error),
                "copy the whole answer, envelope included",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = include_str!("../../../spec/ottpay.yaml");

    #[test]
    fn a_spec_without_problems_is_never_indexed() -> Result<(), Box<dyn std::error::Error>> {
        let spec = super::super::load::load("spec/ottpay.yaml", SPEC).map_err(crate::Diagnostics)?;
        let loc = Locator::new(SPEC);
        assert_eq!(check_located("spec/ottpay.yaml", &loc, &spec), Vec::new());
        assert!(!loc.is_indexed(), "the locator indexed a spec nothing had to be located in");
        Ok(())
    }

    #[test]
    fn a_problem_is_located() -> Result<(), Box<dyn std::error::Error>> {
        let mut spec = super::super::load::load("spec/ottpay.yaml", SPEC).map_err(crate::Diagnostics)?;
        let e = spec.enums.first_mut().ok_or("the spec has no enum")?;
        e.name = "not_camel".to_owned();
        let loc = Locator::new(SPEC);
        let found = check_located("spec/ottpay.yaml", &loc, &spec);
        let d = found.iter().find(|d| d.code == Code::BadIdentifier).ok_or("no BadIdentifier")?;
        assert_eq!(d.path, "enums[0].name");
        assert!(d.pos.is_some_and(|p| p.line > 1), "{d:?}");
        assert!(loc.is_indexed());
        Ok(())
    }
}
