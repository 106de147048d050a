//! Compares two IRs, item by item, and names each difference with a rule id of [`super::rules`].
//! Only values are compared, so a reformatting of the YAML that changes none reports nothing.

use std::collections::BTreeMap;

use ottpay_codegen::ir::{CallbackIr, Constraint, EndpointIr, EnumIr, ErrorIr, FieldIr, Ir, StructIr, Ty};

/// One difference between the old and the new spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The rule it falls under (an id of [`super::rules::RULES`]).
    pub rule: &'static str,
    /// Where: endpoint, table, field by wire name, enum value, error code.
    pub place: String,
    /// The old value, when there is one to show.
    pub old: Option<String>,
    /// The new value, when there is one to show.
    pub new: Option<String>,
}

#[derive(Default)]
struct Out(Vec<Change>);

impl Out {
    fn push(&mut self, rule: &'static str, place: impl Into<String>, old: Option<String>, new: Option<String>) {
        self.0.push(Change { rule, place: place.into(), old, new });
    }
    /// Pushes `rule` when `old != new`, showing both.
    fn differs<T: PartialEq + std::fmt::Debug>(&mut self, rule: &'static str, place: &str, old: &T, new: &T) {
        if old != new {
            self.push(rule, place, Some(show(old)), Some(show(new)));
        }
    }
}

fn show<T: std::fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    let s = s.trim_matches('"').replace("\\n", " ");
    if s.chars().count() > 60 { format!("{}...", s.chars().take(57).collect::<String>()) } else { s }
}

/// Every difference from `old` to `new`, in a stable order (api, enums, errors, endpoints in the
/// new spec's order then removed ones, callbacks).
pub fn compare(old: &Ir, new: &Ir) -> Vec<Change> {
    let mut out = Out::default();
    api(&mut out, old, new);
    enums(&mut out, &old.enums, &new.enums);
    errors(&mut out, &old.errors, &new.errors);
    endpoints(&mut out, &old.endpoints(), &new.endpoints());
    callbacks(&mut out, &old.callbacks, &new.callbacks);
    out.0
}

fn api(out: &mut Out, old: &Ir, new: &Ir) {
    let (a, b) = (&old.api, &new.api);
    out.differs("server-changed", "api.servers.production", &a.production, &b.production);
    out.differs("server-changed", "api.servers.sandbox", &a.sandbox, &b.sandbox);
    out.differs("envelope-changed", "api.envelope", &a.envelope, &b.envelope);
    let token = |i: &Ir| {
        let ep = i.endpoints().into_iter().find(|e| e.request.name == i.api.token_request).map(|e| e.id.clone());
        (ep, i.api.invalid_token_code, i.api.token_wire.clone(), i.api.token_args.clone())
    };
    out.differs("token-flow-changed", "api.auth", &token(old), &token(new));
    out.differs("api-docs-changed", "api.title", &old.title, &new.title);
    out.differs("api-docs-changed", "api.description", &old.description, &new.description);
    out.differs("api-docs-changed", "api.guide", &old.guide, &new.guide);
}

fn enums(out: &mut Out, old: &[EnumIr], new: &[EnumIr]) {
    for e in new {
        let Some(o) = old.iter().find(|o| o.name == e.name) else {
            out.push("enum-added", format!("enum {}", e.name), None, Some(e.name.clone()));
            continue;
        };
        out.differs("enum-docs-changed", &format!("enum {}", e.name), &o.description, &e.description);
        for (i, (value, variant, _)) in e.values.iter().enumerate() {
            let place = format!("enum {} value {value:?}", e.name);
            let Some(j) = o.values.iter().position(|v| &v.0 == value) else {
                out.push("enum-value-added", place, None, Some(value.clone()));
                continue;
            };
            out.differs("enum-variant-renamed", &place, &o.values[j].1, variant);
            let (ok, nk) = (&o.known[j], &e.known[i]);
            out.differs("enum-docs-changed", &place, &(&ok.description, ok.observed), &(&nk.description, nk.observed));
        }
        for (value, _, _) in o.values.iter().filter(|v| !e.values.iter().any(|n| n.0 == v.0)) {
            out.push("enum-value-removed", format!("enum {} value {value:?}", e.name), Some(value.clone()), None);
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|e| e.name == o.name)) {
        out.push("enum-removed", format!("enum {}", o.name), Some(o.name.clone()), None);
    }
}

fn errors(out: &mut Out, old: &[ErrorIr], new: &[ErrorIr]) {
    for e in new {
        let place = format!("error {}", e.code);
        let Some(o) = old.iter().find(|o| o.code == e.code) else {
            out.push("error-code-added", place, None, Some(e.variant.clone()));
            continue;
        };
        out.differs("error-variant-renamed", &place, &o.variant, &e.variant);
        out.differs(
            "error-docs-changed",
            &place,
            &(&o.message, &o.description, o.observed),
            &(&e.message, &e.description, e.observed),
        );
    }
    for o in old.iter().filter(|o| !new.iter().any(|e| e.code == o.code)) {
        out.push("error-code-removed", format!("error {}", o.code), Some(o.variant.clone()), None);
    }
}

fn endpoints(out: &mut Out, old: &[&EndpointIr], new: &[&EndpointIr]) {
    for e in new {
        let Some(o) = old.iter().find(|o| o.id == e.id) else {
            out.push("endpoint-added", e.id.clone(), None, Some(format!("POST {}", e.path)));
            continue;
        };
        endpoint(out, o, e);
    }
    for o in old.iter().filter(|o| !new.iter().any(|e| e.id == o.id)) {
        out.push("endpoint-removed", o.id.clone(), Some(format!("POST {}", o.path)), None);
    }
}

fn endpoint(out: &mut Out, o: &EndpointIr, e: &EndpointIr) {
    let id = e.id.as_str();
    out.differs("endpoint-path-changed", id, &o.path, &e.path);
    match (o.bearer, e.bearer) {
        (false, true) => out.push("endpoint-auth-required", id, Some("none".into()), Some("bearer".into())),
        (true, false) => out.push("endpoint-auth-dropped", id, Some("bearer".into()), Some("none".into())),
        _ => {}
    }
    match (o.retry_safe, e.retry_safe) {
        (true, false) => out.push("endpoint-retry-never", id, Some("safe".into()), Some("never".into())),
        (false, true) => out.push("endpoint-retry-safe", id, Some("never".into()), Some("safe".into())),
        _ => {}
    }
    out.differs("endpoint-group-changed", id, &o.group, &e.group);
    out.differs("endpoint-kind-changed", id, &o.kind, &e.kind);
    out.differs("endpoint-docs-changed", &format!("{id} summary"), &o.summary, &e.summary);
    out.differs("endpoint-docs-changed", &format!("{id} description"), &o.description, &e.description);
    out.differs("endpoint-docs-changed", &format!("{id} docs"), &o.docs, &e.docs);
    out.differs("endpoint-docs-changed", &format!("{id} source"), &o.observed, &e.observed);
    out.differs(
        "endpoint-docs-changed",
        &format!("{id} unknown_outcome"),
        &o.unknown_outcome_text,
        &e.unknown_outcome_text,
    );
    out.differs("endpoint-docs-changed", &format!("{id} known_gap"), &o.known_gap_text, &e.known_gap_text);
    let examples = |ep: &EndpointIr| {
        ep.examples
            .iter()
            .map(|x| {
                (
                    x.title.clone(),
                    x.request.clone(),
                    x.sent.clone(),
                    x.response.clone(),
                    x.source.clone(),
                    x.note.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    if examples(o) != examples(e) {
        out.push(
            "endpoint-docs-changed",
            format!("{id} examples"),
            Some(format!("{} examples", o.examples.len())),
            Some(format!("{} examples", e.examples.len())),
        );
    }
    for code in e.error_codes.iter().filter(|c| !o.error_codes.contains(c)) {
        out.push("endpoint-error-listed", format!("{id} errors"), None, Some(code.to_string()));
    }
    for code in o.error_codes.iter().filter(|c| !e.error_codes.contains(c)) {
        out.push("endpoint-error-listed", format!("{id} errors"), Some(code.to_string()), None);
    }
    table(out, Side::Request, &format!("{id} request"), &o.request, &e.request);
    table(out, Side::Response, &format!("{id} response"), &o.response, &e.response);
}

fn callbacks(out: &mut Out, old: &[CallbackIr], new: &[CallbackIr]) {
    for c in new {
        let Some(o) = old.iter().find(|o| o.id == c.id) else {
            out.push("callback-added", format!("callback {}", c.id), None, Some(c.id.clone()));
            continue;
        };
        let place = format!("callback {}", c.id);
        out.differs("callback-docs-changed", &format!("{place} summary"), &o.summary, &c.summary);
        out.differs("callback-docs-changed", &format!("{place} description"), &o.description, &c.description);
        out.differs("callback-docs-changed", &format!("{place} docs"), &o.docs, &c.docs);
        out.differs("callback-docs-changed", &format!("{place} source"), &o.observed, &c.observed);
        if o.examples != c.examples || o.example_sources != c.example_sources {
            out.push(
                "callback-docs-changed",
                format!("{place} examples"),
                Some(format!("{} examples", o.examples.len())),
                Some(format!("{} examples", c.examples.len())),
            );
        }
        table(out, Side::Callback, &format!("{place} body"), &o.body, &c.body);
        table(out, Side::Callback, &format!("{place} data"), &o.data, &c.data);
    }
    for o in old.iter().filter(|o| !new.iter().any(|c| c.id == o.id)) {
        out.push("callback-removed", format!("callback {}", o.id), Some(o.id.clone()), None);
    }
}

/// Which table a struct is, which decides the rule of a field change.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
    Callback,
}

impl Side {
    fn added(self, required: bool) -> &'static str {
        match self {
            Side::Request if required => "request-field-added-required",
            Side::Request => "request-field-added-optional",
            Side::Response => "response-field-added",
            Side::Callback => "callback-field-added",
        }
    }
    fn removed(self) -> &'static str {
        match self {
            Side::Request => "request-field-removed",
            Side::Response => "response-field-removed",
            Side::Callback => "callback-field-removed",
        }
    }
    fn retyped(self) -> &'static str {
        match self {
            Side::Request => "request-field-type-changed",
            Side::Response => "response-field-type-changed",
            Side::Callback => "callback-field-type-changed",
        }
    }
}

/// A table (struct) and the nested structs its object fields refer to.
fn table(out: &mut Out, side: Side, place: &str, old: &StructIr, new: &StructIr) {
    fields(out, side, place, (&old.fields, &old.nested), (&new.fields, &new.nested));
    if side == Side::Request {
        let order = |s: &StructIr| s.fields.iter().filter(|f| f.required).map(|f| f.wire.clone()).collect::<Vec<_>>();
        let (a, b) = (order(old), order(new));
        let positional = b.len() <= ottpay_codegen::emit::MAX_POSITIONAL;
        let mut same_set = a.clone();
        let mut b_sorted = b.clone();
        same_set.sort();
        b_sorted.sort();
        if positional && a != b && same_set == b_sorted {
            out.push("request-field-order-changed", place, Some(a.join(", ")), Some(b.join(", ")));
        }
    }
}

type Fields<'a> = (&'a [FieldIr], &'a [StructIr]);

fn fields(out: &mut Out, side: Side, place: &str, old: Fields<'_>, new: Fields<'_>) {
    let om: BTreeMap<&str, &FieldIr> = old.0.iter().map(|f| (f.wire.as_str(), f)).collect();
    let nm: BTreeMap<&str, &FieldIr> = new.0.iter().map(|f| (f.wire.as_str(), f)).collect();
    let mut gone: Vec<&FieldIr> = old.0.iter().filter(|f| !nm.contains_key(f.wire.as_str())).collect();
    for f in new.0 {
        let fplace = format!("{place}.{}", f.wire);
        if let Some(o) = om.get(f.wire.as_str()) {
            field(out, side, &fplace, o, f, old.1, new.1);
            continue;
        }
        // A field whose wire name differs from a removed one only by case is a rename.
        if let Some(i) = gone.iter().position(|o| o.wire.eq_ignore_ascii_case(&f.wire)) {
            let o = gone.remove(i);
            let rule = if o.rust == f.rust { "field-renamed-case" } else { "field-renamed-case-rust" };
            out.push(rule, format!("{place}.{}", o.wire), Some(o.wire.clone()), Some(f.wire.clone()));
            field(out, side, &fplace, o, f, old.1, new.1);
            continue;
        }
        out.push(side.added(f.required), fplace, None, Some(describe(f)));
    }
    for o in gone {
        out.push(side.removed(), format!("{place}.{}", o.wire), Some(describe(o)), None);
    }
}

fn describe(f: &FieldIr) -> String {
    let req = if f.required { "required " } else { "" };
    format!("{req}{:?} {}", f.wire_ty, ty_name(&f.ty))
}

fn ty_name(t: &Ty) -> String {
    match t {
        Ty::Text => "String".into(),
        Ty::Secret => "Sensitive<String>".into(),
        Ty::Cents { .. } => "Cents".into(),
        Ty::Reported => "ReportedAmount".into(),
        Ty::Int => "i64".into(),
        Ty::Enum(n) | Ty::Nested(n) => n.clone(),
    }
}

fn field(out: &mut Out, side: Side, place: &str, o: &FieldIr, f: &FieldIr, on: &[StructIr], nn: &[StructIr]) {
    if o.wire == f.wire {
        out.differs("field-rust-renamed", place, &o.rust, &f.rust);
    }
    if side == Side::Request {
        match (o.required, f.required) {
            (false, true) => {
                out.push("request-field-now-required", place, Some("optional".into()), Some("required".into()))
            }
            (true, false) => {
                out.push("request-field-now-optional", place, Some("required".into()), Some("optional".into()))
            }
            _ => {}
        }
    }
    // A retyped field brings or drops its format and constraints with its type: one change.
    let mut retyped = false;
    match (&o.ty, &f.ty) {
        (a, b) if a == b => {}
        (Ty::Cents { .. }, Ty::Cents { .. }) => {
            let (a, b) = (format!("{:?}", o.wire_ty), format!("{:?}", f.wire_ty));
            out.push("request-field-wire-form-changed", place, Some(a), Some(b));
        }
        (Ty::Text, Ty::Secret) => {
            out.push("field-now-sensitive", place, Some("String".into()), Some("Sensitive<String>".into()));
        }
        (Ty::Secret, Ty::Text) => {
            out.push("field-no-longer-sensitive", place, Some("Sensitive<String>".into()), Some("String".into()));
        }
        (Ty::Nested(a), Ty::Nested(b)) => {
            out.push("field-nested-type-renamed", place, Some(a.clone()), Some(b.clone()));
        }
        (a, b) => {
            retyped = true;
            let (a, b) = (format!("{:?} {}", o.wire_ty, ty_name(a)), format!("{:?} {}", f.wire_ty, ty_name(b)));
            out.push(side.retyped(), place, Some(a), Some(b));
        }
    }
    // Same Rust type, other JSON type or format.
    if o.ty == f.ty && side != Side::Request && o.wire_ty != f.wire_ty {
        out.push(
            "response-wire-type-changed",
            place,
            Some(format!("{:?}", o.wire_ty)),
            Some(format!("{:?}", f.wire_ty)),
        );
    }
    if o.format != f.format && !retyped {
        let (a, b) = (o.format.map(|x| format!("{x:?}")), f.format.map(|x| format!("{x:?}")));
        let rule = match (side, o.format, f.format) {
            (Side::Request, None, Some(_)) => "request-format-added",
            (Side::Request, Some(_), None) => "request-format-removed",
            (Side::Request, _, _) => "request-format-changed",
            _ => "response-format-changed",
        };
        out.push(rule, place, a, b);
    }
    if o.sensitive != f.sensitive && o.ty == f.ty {
        let rule = if f.sensitive { "field-now-sensitive" } else { "field-no-longer-sensitive" };
        out.push(rule, place, Some(o.sensitive.to_string()), Some(f.sensitive.to_string()));
    }
    if !retyped {
        let same_kind = o.ty == f.ty && o.format == f.format && o.wire_ty == f.wire_ty;
        constraints(out, place, &o.constraints, &f.constraints, same_kind);
    }
    out.differs(
        "field-docs-changed",
        place,
        &(&o.description, &o.remark, &o.sample, o.observed, &o.sdk_rules),
        &(&f.description, &f.remark, &f.sample, f.observed, &f.sdk_rules),
    );
    if let (Ty::Nested(a), Ty::Nested(b)) = (&o.ty, &f.ty)
        && let (Some(os), Some(ns)) = (on.iter().find(|s| &s.name == a), nn.iter().find(|s| &s.name == b))
    {
        fields(out, side, place, (&os.fields, on), (&ns.fields, nn));
    }
}

/// A bound of a constraint: its name, how to read it, the rules for (tightened, loosened), and
/// whether it is an upper bound (`None`: exact).
type Bound = (&'static str, fn(&Constraint) -> Option<u64>, (&'static str, &'static str), Option<bool>);

/// Length, cents and control-character constraints; formats are compared on the field.
fn constraints(out: &mut Out, place: &str, old: &[Constraint], new: &[Constraint], same_kind: bool) {
    let pick = |cs: &[Constraint], f: fn(&Constraint) -> Option<u64>| cs.iter().find_map(f);
    let max_chars: fn(&Constraint) -> Option<u64> =
        |c| if let Constraint::MaxChars(n) = c { Some(*n as u64) } else { None };
    let min_chars: fn(&Constraint) -> Option<u64> =
        |c| if let Constraint::MinChars(n) = c { Some(*n as u64) } else { None };
    let exact: fn(&Constraint) -> Option<u64> =
        |c| if let Constraint::ExactChars(n) = c { Some(*n as u64) } else { None };
    let min_cents: fn(&Constraint) -> Option<u64> = |c| if let Constraint::MinCents(n) = c { Some(*n) } else { None };
    let max_cents: fn(&Constraint) -> Option<u64> = |c| if let Constraint::MaxCents(n) = c { Some(*n) } else { None };
    let shown = |v: Option<u64>| Some(v.map_or_else(|| "none".to_owned(), |n| n.to_string()));
    let bounds: [Bound; 5] = [
        ("max_length", max_chars, ("request-length-tightened", "request-length-loosened"), Some(true)),
        ("min_length", min_chars, ("request-length-tightened", "request-length-loosened"), Some(false)),
        ("length", exact, ("request-length-tightened", "request-length-loosened"), None),
        ("min_cents", min_cents, ("request-cents-tightened", "request-cents-loosened"), Some(false)),
        ("max_cents", max_cents, ("request-cents-tightened", "request-cents-loosened"), Some(true)),
    ];
    for (name, get, (tight, loose), upper) in bounds {
        let (a, b) = (pick(old, get), pick(new, get));
        if a == b {
            continue;
        }
        let tighter = match (a, b, upper) {
            (None, Some(_), _) => true,
            (Some(_), None, _) => false,
            (Some(x), Some(y), Some(true)) => y < x,
            (Some(x), Some(y), Some(false)) => y > x,
            // An exact length that changes refuses every value valid before.
            _ => true,
        };
        out.push(if tighter { tight } else { loose }, format!("{place} {name}"), shown(a), shown(b));
    }
    let charset = |cs: &[Constraint]| cs.iter().find(|c| matches!(c, Constraint::Charset(_))).copied();
    match (charset(old), charset(new)) {
        (a, b) if a == b => {}
        (a, None) => out.push("request-charset-removed", format!("{place} charset"), a.map(|c| c.describe()), None),
        (a, b) => out.push(
            "request-charset-added",
            format!("{place} charset"),
            a.map(|c| c.describe()),
            b.map(|c| c.describe()),
        ),
    }
    // A character set excludes control characters by itself.
    let ctl = |cs: &[Constraint]| cs.contains(&Constraint::NoControl) || charset(cs).is_some();
    // A type or format change brings or drops the rule by itself; that is reported there.
    match (ctl(old), ctl(new)) {
        (false, true) if same_kind => out.push("request-control-forbidden", place, None, None),
        (true, false) if same_kind => out.push("request-control-allowed", place, None, None),
        _ => {}
    }
}
