//! JSON Schema (2020-12, the dialect of OpenAPI 3.1) of the request and response types. Requests
//! are as strict as the Rust validators: every constraint becomes the keywords that express it
//! exactly, and what no keyword can express is named in `x-ottpay-rules` (see [`PARTIAL_RULES`]).
//! Responses are as liberal as the Rust response types: every field nullable, unknown members
//! allowed, open enums as strings.

use std::collections::BTreeSet;

use ottpay_runtime::Cents;

use super::json::{Json, Obj};
use crate::ir::{Constraint, FieldIr, Format, Role, StructIr, Ty};
use crate::spec::model::Charset;

/// Where component schemas live.
pub const COMPONENTS: &str = "#/components/schemas/";

/// The rules a JSON Schema keyword expresses only in part, and what it leaves to the Rust
/// validator. A field carrying one lists its name in `x-ottpay-rules`.
pub const PARTIAL_RULES: &[(&str, &str)] = &[
    (
        "card_number",
        "The Luhn checksum. The schema checks 12 to 19 digits; the Rust validator (`Rule::CardNumber`) also checks the Luhn digit.",
    ),
    (
        "url",
        "Parsing as a URL. The schema checks the literal `http://` or `https://`, a first host character, and no whitespace, control character or backslash anywhere; the Rust validator (`Rule::Url`) also requires the text to parse (WHATWG URL) with a non-empty host.",
    ),
];

/// Control characters (Unicode general category Cc, as `char::is_control`), for a class.
const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";
/// White space (Unicode White_Space, as `char::is_whitespace`), for a class.
const SPACE: &str = r"\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The pattern of a rule that a pattern expresses (`None` for the others).
pub fn pattern(c: Constraint) -> Option<String> {
    Some(match c {
        Constraint::NoControl => format!("^[^{CONTROL}]*$"),
        // `Rule::Url`: the literal scheme, then a first host character that is not a slash.
        Constraint::Url => format!(r"^[Hh][Tt][Tt][Pp][Ss]?://[^/\\{SPACE}{CONTROL}][^\\{SPACE}{CONTROL}]*$"),
        Constraint::Email => format!(r"^[^@{SPACE}]+@[^@.{SPACE}]+(?:\.[^@.{SPACE}]+)+$"),
        Constraint::Mmyy => "^(?:0[1-9]|1[0-2])[0-9]{2}$".to_owned(),
        Constraint::Cvv => "^[0-9]{3,4}$".to_owned(),
        Constraint::CardNumber => "^[0-9]{12,19}$".to_owned(),
        Constraint::Charset(Charset::AlnumDashUnderscore) => "^[0-9A-Za-z_-]*$".to_owned(),
        _ => return None,
    })
}

/// The longest email address `Rule::Email` accepts, in characters.
const EMAIL_MAX: usize = 254;

/// Every country code `Rule::Country` accepts: the runtime's own table, never a copy.
pub fn country_codes() -> Vec<String> {
    ottpay_runtime::validate::country_codes().map(str::to_owned).collect()
}

/// A pattern matching exactly the strings of digits (leading zeros allowed) whose value lies in
/// `min..=max`, as `Cents` reads a string amount.
///
/// Every string amount of a spec has one, and most have the same bounds (a minimum of 1, the
/// largest `Cents`), so each thread keeps the patterns it built: building one is a recursion over
/// the digits that was 7% of a large spec's generation.
pub fn cents_pattern(min: u64, max: u64) -> String {
    thread_local! {
        static BUILT: std::cell::RefCell<std::collections::HashMap<(u64, u64), String>> = Default::default();
    }
    BUILT.with_borrow_mut(|built| built.entry((min, max)).or_insert_with(|| build_cents_pattern(min, max)).clone())
}

fn build_cents_pattern(min: u64, max: u64) -> String {
    if min > max {
        return "^[]$".to_owned();
    }
    let mut alts: Vec<String> = Vec::new();
    let mut lo = min;
    if lo == 0 {
        alts.push("0".to_owned());
        lo = 1;
        if max == 0 {
            return "^0+$".to_owned();
        }
    }
    let digits = |n: u64| n.to_string().len();
    // Whole decades (every number of d digits) in a row merge into one `[1-9][0-9]{a,b}`.
    let mut run: Option<(usize, usize)> = None;
    let flush = |run: &mut Option<(usize, usize)>, alts: &mut Vec<String>| {
        if let Some((a, b)) = run.take() {
            let (a, b) = (a - 1, b - 1);
            alts.push(match (a, b) {
                (0, 0) => "[1-9]".to_owned(),
                (a, b) if a == b => format!("[1-9][0-9]{{{a}}}"),
                (a, b) => format!("[1-9][0-9]{{{a},{b}}}"),
            });
        }
    };
    for d in digits(lo)..=digits(max) {
        let floor = 10u64.pow(u32::try_from(d - 1).unwrap_or(0));
        let ceil = 10u64.checked_pow(u32::try_from(d).unwrap_or(0)).map_or(u64::MAX, |p| p - 1);
        let a = if d == digits(lo) { lo } else { floor };
        let b = if d == digits(max) { max } else { ceil };
        if a == floor && b == ceil && d < 20 {
            run = Some(run.map_or((d, d), |(s, _)| (s, d)));
            continue;
        }
        flush(&mut run, &mut alts);
        same_length(&a.to_string(), &b.to_string(), &mut alts);
    }
    flush(&mut run, &mut alts);
    format!("^0*(?:{})$", alts.join("|"))
}

/// Alternatives matching the digit strings of one length between `a` and `b`.
fn same_length(a: &str, b: &str, out: &mut Vec<String>) {
    let (Some(a0), Some(b0)) = (a.chars().next(), b.chars().next()) else {
        out.push(String::new());
        return;
    };
    let (ar, br) = (&a[1..], &b[1..]);
    if a0 == b0 {
        let mut inner = Vec::new();
        same_length(ar, br, &mut inner);
        out.extend(inner.into_iter().map(|r| format!("{a0}{r}")));
        return;
    }
    let n = ar.len();
    let any = match n {
        0 => String::new(),
        1 => "[0-9]".to_owned(),
        n => format!("[0-9]{{{n}}}"),
    };
    let class = |x: u32, y: u32| if x == y { x.to_string() } else { format!("[{x}-{y}]") };
    let (mut first, mut last) = (a0.to_digit(10).unwrap_or(0), b0.to_digit(10).unwrap_or(9));
    if !ar.bytes().all(|c| c == b'0') {
        let mut inner = Vec::new();
        same_length(ar, &"9".repeat(n), &mut inner);
        out.extend(inner.into_iter().map(|r| format!("{a0}{r}")));
        first += 1;
    }
    let mut tail = Vec::new();
    if !br.bytes().all(|c| c == b'9') {
        same_length(&"0".repeat(n), br, &mut tail);
        tail = tail.into_iter().map(|r| format!("{b0}{r}")).collect();
        last -= 1;
    }
    if first <= last {
        out.push(format!("{}{any}", class(first, last)));
    }
    out.extend(tail);
}

/// The Markdown description of a field: the table's Description, then its Remark.
pub fn field_text(f: &FieldIr) -> String {
    let mut text = f.description.trim().to_owned();
    if let Some(r) = &f.remark {
        text.push_str("\n\n");
        text.push_str(r.trim());
    }
    if f.observed {
        text.push_str("\n\nSeen only in third-party client code, not in OTT Pay's documentation.");
    }
    text
}

/// What the schemas of one document refer to: component names, and the rules used in part.
pub struct Names {
    /// The component holding the country codes, if a field needs it.
    pub country: String,
    /// Partial rules used by some field.
    pub partial: BTreeSet<&'static str>,
    /// Whether a field used the country component.
    pub country_used: bool,
}

fn reference(name: &str) -> Json {
    Obj::new().set("$ref", format!("{COMPONENTS}{name}")).into()
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Cents => "cents",
        Format::Url => "url",
        Format::Country => "country",
        Format::Mmyy => "mmyy",
        Format::CardNumber => "card_number",
        Format::Cvv => "cvv",
        Format::Email => "email",
        Format::TimestampMs => "timestamp_ms",
    }
}

/// The schema of one request field: every constraint as the keywords that express it.
fn request_field(f: &FieldIr, names: &mut Names) -> Obj {
    let mut o = Obj::new().set("description", field_text(f));
    let min_cents =
        f.constraints.iter().find_map(|c| if let Constraint::MinCents(m) = c { Some(*m) } else { None }).unwrap_or(0);
    let max_cents = f
        .constraints
        .iter()
        .find_map(|c| if let Constraint::MaxCents(m) = c { Some(*m) } else { None })
        .unwrap_or(Cents::MAX.get())
        .min(Cents::MAX.get());
    match &f.ty {
        Ty::Nested(n) => o.insert("$ref", format!("{COMPONENTS}{n}")),
        Ty::Enum(e) => o.insert("$ref", format!("{COMPONENTS}{e}")),
        Ty::Cents { string: false } => {
            o.insert("type", "integer");
            o.insert("minimum", min_cents);
            o.insert("maximum", max_cents);
        }
        Ty::Int => o.insert("type", "integer"),
        Ty::Cents { string: true } | Ty::Text | Ty::Secret | Ty::Reported => {
            if f.constraints.contains(&Constraint::Country) {
                names.country_used = true;
                o.insert("$ref", format!("{COMPONENTS}{}", names.country));
            } else {
                o.insert("type", "string");
            }
        }
    }
    let mut min_len: Option<usize> = None;
    let mut max_len: Option<usize> = None;
    let mut patterns: Vec<String> = Vec::new();
    let mut format = None;
    let mut partial: Vec<&'static str> = Vec::new();
    let tighten_max = |m: &mut Option<usize>, n: usize| *m = Some(m.map_or(n, |x| x.min(n)));
    let tighten_min = |m: &mut Option<usize>, n: usize| *m = Some(m.map_or(n, |x| x.max(n)));
    if let Ty::Cents { string: true } = f.ty {
        patterns.push(cents_pattern(min_cents, max_cents));
    }
    for c in &f.constraints {
        match *c {
            Constraint::MaxChars(n) => tighten_max(&mut max_len, n),
            Constraint::MinChars(n) => tighten_min(&mut min_len, n),
            Constraint::ExactChars(n) => {
                tighten_max(&mut max_len, n);
                tighten_min(&mut min_len, n);
            }
            Constraint::Email => {
                tighten_max(&mut max_len, EMAIL_MAX);
                format = Some("email");
            }
            Constraint::Url => format = Some("uri"),
            Constraint::MinCents(_) | Constraint::MaxCents(_) | Constraint::Country => {}
            Constraint::NoControl | Constraint::Mmyy | Constraint::Cvv | Constraint::CardNumber => {}
            Constraint::Charset(_) => {}
        }
        if let Some(p) = pattern(*c) {
            patterns.push(p);
        }
        if let Some((name, _)) = PARTIAL_RULES.iter().find(|(name, _)| *name == c.rule()) {
            partial.push(name);
            names.partial.insert(name);
        }
    }
    let mut o = o.opt("format", format).opt("minLength", min_len).opt("maxLength", max_len);
    let mut patterns = patterns.into_iter();
    if let Some(first) = patterns.next() {
        o.insert("pattern", first);
    }
    let rest: Vec<Json> = patterns.map(|p| Obj::new().set("pattern", p).into()).collect();
    if !rest.is_empty() {
        o.insert("allOf", rest);
    }
    if f.sensitive {
        o.insert("writeOnly", true);
        o.insert("x-sensitive", true);
    }
    let o = o.opt("x-ottpay-rules", (!partial.is_empty()).then_some(partial.clone()));
    // The rules the SDK adds (OTT Pay states none of them), by rule name, with the reason.
    let sdk = (!f.sdk_rules.is_empty())
        .then(|| f.sdk_rules.iter().fold(Obj::new(), |acc, (c, reason)| acc.set(c.rule(), reason.as_str())));
    extensions(f, o.opt("x-ottpay-sdk-rules", sdk), |v| request_sample_ok(f, v))
}

/// Whether a sample satisfies the field's type and constraints (only those become `examples`).
fn request_sample_ok(f: &FieldIr, v: &serde_json::Value) -> bool {
    let typed = match f.ty {
        Ty::Cents { string: false } | Ty::Int => v.is_u64() || v.is_i64(),
        Ty::Nested(_) => false,
        _ => v.is_string(),
    };
    typed && f.constraints.iter().all(|c| c.violation(v).is_none())
}

/// `x-ottpay-format`, `x-ottpay-source` and `examples` (the Sample column, never of a sensitive
/// field).
fn extensions(f: &FieldIr, o: Obj, sample_ok: impl Fn(&serde_json::Value) -> bool) -> Obj {
    let sample = f.sample.as_ref().filter(|s| !f.sensitive && !s.is_null() && sample_ok(s));
    o.opt("x-ottpay-format", f.format.map(format_name))
        .opt("x-ottpay-source", f.observed.then_some("observed"))
        .opt("examples", sample.map(|s| vec![Json::from(s)]))
}

/// The schema of one response field: as liberal as the Rust type.
fn response_field(f: &FieldIr) -> Obj {
    let nullable = |r: Json| Json::from(vec![r, Obj::new().set("type", "null").into()]);
    let o = Obj::new().set("description", field_text(f));
    let o = match &f.ty {
        Ty::Nested(n) | Ty::Enum(n) => o.set("anyOf", nullable(reference(n))),
        Ty::Reported | Ty::Cents { .. } => o.set("type", vec!["string", "number", "null"]),
        // Integers of answers are also read from strings of digits (`ottpay_runtime::lenient`).
        Ty::Int => o
            .set("type", vec!["integer", "string", "null"])
            .set("minimum", i64::MIN)
            .set("maximum", i64::MAX)
            .set("pattern", format!("^[{SPACE}]*-?[0-9]+[{SPACE}]*$")),
        Ty::Text | Ty::Secret => o.set("type", vec!["string", "null"]),
    };
    let o = if f.sensitive { o.set("x-sensitive", true) } else { o };
    extensions(f, o, |v| match f.ty {
        Ty::Int => v.is_i64(),
        Ty::Reported | Ty::Cents { .. } => v.is_string() || v.is_number(),
        Ty::Nested(_) => false,
        _ => v.is_string(),
    })
}

/// The schema of a struct: a strict request object, or a liberal answer object.
pub fn structure(s: &StructIr, description: &str, names: &mut Names) -> Json {
    let mut props = Obj::new();
    let mut required = Vec::new();
    for f in &s.fields {
        let schema = match s.role {
            Role::Request => request_field(f, names),
            Role::Response | Role::Notification => response_field(f),
        };
        props.insert(&f.wire, schema);
        if f.required {
            required.push(f.wire.clone());
        }
    }
    let o = Obj::new().set("type", "object").set("description", description);
    let o = if required.is_empty() { o } else { o.set("required", required) };
    let o = o.set("properties", props);
    match s.role {
        // Request types refuse unknown fields when deserialized.
        Role::Request => o.set("additionalProperties", false),
        Role::Response | Role::Notification => o,
    }
    .into()
}
