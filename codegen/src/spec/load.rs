//! Loading: YAML text -> [`Spec`], with serde's errors turned into located diagnostics.
//!
//! serde_yaml is the loader: a spec it deserializes is the spec. serde stops at its first error,
//! so when it refuses the spec, the text is read once more into a [`serde_yaml::Value`] (a syntax
//! error is then the only problem reported alone) and the model is deserialized piece by piece:
//! each struct of the model (the root, `api` and its parts, each enum, error row, endpoint, field
//! row, example, callback) separately, and within one struct each key on its own, so that one bad
//! key hides neither another key nor another element. Missing keys come from the required lists
//! schemars derives from the same model (the ones `spec/ottpay.schema.json` states).
//!
//! Why not validate the `Value` against the JSON Schema instead: the only maintained validator
//! (`jsonschema`) is a heavy dependency that stays a dev-dependency, and a second description of
//! the format could disagree with serde about what loads. Here serde itself decides every key, so
//! the list of problems is exactly what serde would report one run at a time. If the piecewise
//! pass finds nothing (it should not happen), serde's own first error is reported.

use std::cell::RefCell;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

use super::locate::Locator;
use super::model::{
    Api, AuthConfig, Callback, CallbackExample, Endpoint, EnumDef, EnumValue, Envelope, ErrorDef, Example, Field,
    SdkRules, Servers, Spec,
};
use crate::diag::{Code, Diagnostic, Pos};

/// The text without a leading byte order mark (YAML allows one; it is not part of the content).
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Decodes the spec file's bytes: UTF-8 (a leading BOM is allowed), or an S007 diagnostic at the
/// first byte that is not.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, Box<Diagnostic>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.valid_up_to();
            // The valid prefix decodes, so line and column count characters like every position.
            let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            let bad: Vec<String> = bytes[at..]
                .iter()
                .take(e.error_len().unwrap_or(bytes.len() - at).max(1))
                .map(|b| format!("0x{b:02X}"))
                .collect();
            Err(Box::new(Diagnostic {
                code: Code::NotUtf8,
                file: file.to_owned(),
                path: String::new(),
                pos: Some(Pos { line, col }),
                message: format!("the spec is not UTF-8: byte {} (offset {at}) is not valid UTF-8", bad.join(" ")),
                hint: "save the file as UTF-8 (it is probably Latin-1 or Windows-1252 here); non-ASCII text is fine once encoded as UTF-8".to_owned(),
            }))
        }
    }
}

/// Parses the spec text. `file` is only used in diagnostics. Every structural problem (unknown,
/// missing and repeated keys, wrong types and values) is reported at once.
pub fn load(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    let text = strip_bom(text);
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(vec![Diagnostic {
            code: Code::EmptySpec,
            file: file.to_owned(),
            path: String::new(),
            pos: None,
            message: "the spec is empty".to_owned(),
            hint: "start from the `api:`, `errors:` and `endpoints:` sections described in spec/FORMAT.md".to_owned(),
        }]);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(crate::emit::MAX_THREADS));
    if text.len() >= SPLIT_FROM
        && let Some(spec) = load_split(text, threads)
    {
        return Ok(spec);
    }
    let first = match serde_yaml::from_str::<Spec>(text) {
        Ok(spec) => return Ok(spec),
        Err(e) => e,
    };
    let value = match read_value(text) {
        Ok(v) => v,
        // Not YAML at all: serde's error is the only one there is.
        Err(e) => return Err(vec![from_serde(file, text, &e)]),
    };
    let loc = Locator::new(text);
    let mut cx = Collect { file, loc: &loc, out: Vec::new() };
    for (path, key) in value.repeated {
        cx.push(Code::DuplicateKey, path, format!("duplicate key `{key}`"), At::Repeat);
    }
    spec(&mut cx, &value.value, "");
    if cx.out.is_empty() {
        return Err(vec![from_serde(file, text, &first)]);
    }
    // In the order of the text (a stable sort: one node's problems keep their order).
    cx.out.sort_by_key(|d| d.pos.map(|p| (p.line, p.col)));
    Err(cx.out)
}

/// From which size [`load`] reads a spec's endpoints on several threads ([`load_split`]).
pub const SPLIT_FROM: usize = 1 << 20;

/// A big spec loaded on up to `threads` threads, or `None` to load it whole.
///
/// serde_yaml reads a document on one thread, and a spec is mostly its `endpoints` list. So the
/// list, when it is a block sequence under a top-level `endpoints:` key, is cut at its items into
/// runs of about the same size ([`split_endpoints`]); each run is a YAML sequence of its own, read
/// as endpoints on a thread, while this thread reads the rest of the spec with `endpoints: []`.
/// The text before and after the list must also load as YAML on its own, so that no flow
/// collection or quoted string runs across the list. Each endpoint is read by the same serde code
/// either way, so when every part loads, the spec is the one a whole read gives. When any part does not (an alias to an anchor in another part, a
/// flow collection or quoted string running across a cut, any error at all), this gives up and
/// the whole text is read as before, so diagnostics are always those of the whole text.
/// `tests/split_load.rs` compares both reads on the real, synthetic and randomly damaged specs.
pub fn load_split(text: &str, threads: usize) -> Option<Spec> {
    if threads < 2 {
        return None;
    }
    let Split { head, runs, tail } = split_endpoints(text, threads)?;
    // What comes before and after the list must be YAML on its own: a flow collection or a quoted
    // string opened before the list and closed after it would make the whole text something else
    // (a block list inside a flow mapping does not load) while the rest, without the list, loads.
    serde_yaml::from_str::<serde_yaml::Value>(head).ok()?;
    serde_yaml::from_str::<serde_yaml::Value>(tail).ok()?;
    let mut rest = String::with_capacity(head.len() + tail.len() + 16);
    rest.push_str(head);
    rest.push_str("endpoints: []\n");
    rest.push_str(tail);
    std::thread::scope(|scope| {
        // A thread the system refuses is a part that did not load.
        let parts: Vec<_> = runs
            .iter()
            .map(|run| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || serde_yaml::from_str::<Vec<Endpoint>>(run).ok())
                    .ok()
            })
            .collect();
        let spec = serde_yaml::from_str::<Spec>(&rest).ok();
        let mut endpoints = Vec::new();
        for part in parts {
            endpoints.extend(part?.join().ok()??);
        }
        let mut spec = spec?;
        if !spec.endpoints.is_empty() {
            return None;
        }
        spec.endpoints = endpoints;
        Some(spec)
    })
}

/// A spec's text around its `endpoints:` list, and the list cut into runs ([`split_endpoints`]).
#[derive(Debug)]
pub struct Split<'t> {
    /// Everything before the `endpoints:` line.
    pub head: &'t str,
    /// The list's items, in runs of whole items, each a block sequence as the spec indents it.
    pub runs: Vec<&'t str>,
    /// Everything after the list.
    pub tail: &'t str,
}

/// The spec's text around its endpoints, and the endpoints' items cut into at most `runs` runs of
/// whole items; `None` when the text does not have exactly one top-level `endpoints:` key followed
/// by a block sequence.
///
/// An item starts at a line of exactly the sequence's indentation followed by `- ` (or `-` and the
/// line's end); the list ends at the first line that is not blank, not a comment, and indented
/// less (or, at indentation 0, not an item). Lines inside an item's block scalars and nested
/// collections are indented more, so they neither start an item nor end the list; anything that
/// breaks this (a flow collection or quoted string continued on a less indented line) leaves a
/// part that does not load, and [`load_split`] then reads the whole text.
pub fn split_endpoints(text: &str, runs: usize) -> Option<Split<'_>> {
    // Each line as (start offset, text without its line break); only the first few bytes of most
    // lines are looked at.
    let lines = || {
        let mut offset = 0;
        text.split_inclusive('\n').map(move |l| {
            let start = offset;
            offset += l.len();
            (start, l.trim_end_matches(['\n', '\r']))
        })
    };
    let is_key = |l: &str| {
        l.strip_prefix("endpoints:").is_some_and(|r| {
            let r = r.trim_start_matches(' ');
            r.is_empty() || r.starts_with('#')
        })
    };
    let (key, key_line) = lines().find(|(_, l)| l.starts_with("endpoints:"))?;
    let after = key + key_line.len();
    if !is_key(key_line) || text[after..].contains("\nendpoints:") {
        return None;
    }
    let blank_or_comment = |l: &str| {
        let t = l.trim_start_matches(' ');
        t.is_empty() || t.starts_with('#')
    };
    let mut rest_lines = lines().skip_while(|&(start, _)| start <= key);
    let (first, first_line) = rest_lines.find(|(_, l)| !blank_or_comment(l))?;
    let indent = first_line.len() - first_line.trim_start_matches(' ').len();
    let is_item = |l: &[u8]| l.get(indent) == Some(&b'-') && matches!(l.get(indent + 1), None | Some(b' '));
    if !is_item(first_line.as_bytes()) {
        return None;
    }
    let mut items = vec![first];
    let mut list_end = text.len();
    for (start, l) in rest_lines {
        let b = l.as_bytes();
        // Spaces before the first other byte, counted up to one past the list's indentation.
        let lead = b.iter().take(indent + 1).take_while(|&&c| c == b' ').count();
        if lead > indent {
            continue; // inside an item
        }
        match b.get(lead) {
            None | Some(b'#') => continue, // blank, or a comment
            _ => {}
        }
        if lead == indent && is_item(b) {
            items.push(start);
        } else if lead < indent || indent == 0 {
            list_end = start;
            break;
        }
    }
    // Cut before the item nearest to each even share of the list's bytes.
    let share = (list_end - first) / runs.max(1);
    let mut cuts = vec![first];
    for k in 1..runs {
        let target = first + k * share;
        if let Some(&item) = items.iter().find(|&&i| i >= target)
            && item > *cuts.last()?
        {
            cuts.push(item);
        }
    }
    cuts.push(list_end);
    let runs = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    Some(Split { head: &text[..key], runs, tail: &text[list_end..] })
}

fn from_serde(file: &str, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let mut pos = e.location().map(|l| Pos { line: l.line(), col: l.column() });
    let full = e.to_string();
    // serde_yaml appends " at line L column C"; the position is reported separately.
    let text_msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    // Nested errors start with the YAML path: "endpoints[0].request[1]: unknown field ...".
    let (path, message) = match text_msg.split_once(": ") {
        Some((p, m)) if !p.contains(' ') && !p.is_empty() => (p.to_owned(), m.to_owned()),
        _ => (String::new(), text_msg.to_owned()),
    };
    if message.starts_with("control characters are not allowed") {
        // serde_yaml says 1:1 (and a character offset); the character itself is the position.
        if let Some((p, c)) = first_control(text) {
            return Diagnostic {
                code: Code::ControlCharacter,
                file: file.to_owned(),
                path,
                pos: Some(p),
                message: format!(
                    "the spec contains the control character U+{:04X}, which YAML does not allow",
                    u32::from(c)
                ),
                hint: "remove it; inside a double-quoted string it can be written as an escape such as \\0 or \\x01"
                    .to_owned(),
            };
        }
    }
    if pos.is_none() && !text.is_empty() {
        pos = Some(Pos { line: 1, col: 1 });
    }
    let (code, hint) = classify(&path, &message);
    Diagnostic { code, file: file.to_owned(), path, pos, message, hint: hint.to_owned() }
}

/// The first character YAML does not allow in a stream (C0 controls other than tab, LF and CR;
/// DEL; C1 controls other than NEL; U+FFFE and U+FFFF), with its line:column.
fn first_control(text: &str) -> Option<(Pos, char)> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || ('\u{7f}'..='\u{9f}').contains(&c) && c != '\u{85}'
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    for (i, line) in text.split('\n').enumerate() {
        if let Some((col, c)) = line.chars().enumerate().find(|(_, c)| bad(*c)) {
            return Some((Pos { line: i + 1, col: col + 1 }, c));
        }
    }
    None
}

fn classify(path: &str, message: &str) -> (Code, &'static str) {
    if message.starts_with("unknown field `<<`") || path.ends_with("<<") {
        (
            Code::UnknownKey,
            "merge keys (`<<`) are not supported by the spec format: write the keys out in full (an alias `*name` of a whole node is fine)",
        )
    } else if message.starts_with("unknown field") {
        (Code::UnknownKey, "check the spelling; spec/FORMAT.md lists every key this node may have")
    } else if message.starts_with("duplicate field")
        || message.starts_with("duplicate entry")
        || message.starts_with("duplicate key")
    {
        (Code::DuplicateKey, "a key may appear once per mapping: remove or merge the repeated one")
    } else if message.starts_with("missing field") {
        (Code::MissingKey, "add the key; spec/FORMAT.md says which keys are required")
    } else if message.starts_with("unknown variant") {
        (Code::InvalidValue, "use one of the values listed in the message")
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
    {
        (Code::InvalidValue, "give the value the type spec/FORMAT.md describes for this key")
    } else {
        (Code::YamlSyntax, "fix the YAML syntax at this position (indentation, quotes, brackets)")
    }
}

/// Which position a piecewise problem is reported at.
#[derive(Clone, Copy)]
enum At {
    /// The key of the node (unknown keys).
    Key,
    /// The second occurrence of the key (repeated keys).
    Repeat,
    /// The node's value.
    Value,
}

struct Collect<'a> {
    file: &'a str,
    loc: &'a Locator<'a>,
    out: Vec<Diagnostic>,
}

impl Collect<'_> {
    fn push(&mut self, code: Code, path: String, message: String, at: At) {
        let pos = match at {
            At::Key => self.loc.find_key(&path),
            At::Repeat => self.loc.find_repeat(&path),
            At::Value => self.loc.find(&path),
        };
        let (_, hint) = classify(&path, &message);
        self.out.push(Diagnostic { code, file: self.file.to_owned(), path, pos, message, hint: hint.to_owned() });
    }

    /// Reports a serde error about the node at `path`.
    fn error(&mut self, path: String, e: &serde_yaml::Error) {
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_owned(),
            None => full,
        };
        let (code, _) = classify(&path, &message);
        let at = if code == Code::UnknownKey { At::Key } else { At::Value };
        self.push(code, path, message, at);
    }

    /// Checks one struct of the model at `path`: its own keys one at a time (each with serde, the
    /// others left out so they cannot hide it), the keys in `children` by their own functions,
    /// then its missing keys.
    fn object<T: DeserializeOwned + JsonSchema>(&mut self, v: &Value, path: &str, children: &[(&str, Child)]) {
        let Some(map) = v.as_mapping() else {
            if let Err(e) = serde_yaml::from_value::<T>(v.clone()) {
                self.error(path.to_owned(), &e);
            }
            return;
        };
        for (k, val) in map {
            let Some(key) = k.as_str() else {
                self.push(
                    Code::InvalidValue,
                    path.to_owned(),
                    format!("a key must be a string, found {}", kind(k)),
                    At::Value,
                );
                continue;
            };
            let kpath = if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
            if let Some((_, child)) = children.iter().find(|(c, _)| *c == key) {
                child(self, val, &kpath);
                continue;
            }
            let mut one = Mapping::new();
            one.insert(k.clone(), val.clone());
            match serde_yaml::from_value::<T>(Value::Mapping(one)) {
                Err(e) if !e.to_string().starts_with("missing field") => self.error(kpath, &e),
                _ => {}
            }
        }
        for req in required::<T>() {
            if !map.contains_key(req.as_str()) {
                self.push(Code::MissingKey, path.to_owned(), format!("missing field `{req}`"), At::Value);
            }
        }
    }

    /// A list of `T`, each element by `each`; `optional` when the key may be null.
    fn list<T: DeserializeOwned>(&mut self, v: &Value, path: &str, each: Child) {
        match v.as_sequence() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    each(self, item, &format!("{path}[{i}]"));
                }
            }
            None => {
                if let Err(e) = serde_yaml::from_value::<T>(v.clone()) {
                    self.error(path.to_owned(), &e);
                }
            }
        }
    }
}

type Child = fn(&mut Collect<'_>, &Value, &str);

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a sequence",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The keys of `T` that serde requires (schemars derives them from the same serde attributes).
fn required<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    match schema.get("required").and_then(|r| r.as_array()) {
        Some(list) => list.iter().filter_map(|r| r.as_str().map(str::to_owned)).collect(),
        None => Vec::new(),
    }
}

fn spec(cx: &mut Collect<'_>, v: &Value, path: &str) {
    cx.object::<Spec>(
        v,
        path,
        &[
            ("api", api),
            ("enums", |cx, v, p| cx.list::<Vec<EnumDef>>(v, p, enum_def)),
            ("errors", |cx, v, p| cx.list::<Vec<ErrorDef>>(v, p, |cx, v, p| cx.object::<ErrorDef>(v, p, &[]))),
            ("endpoints", |cx, v, p| cx.list::<Vec<Endpoint>>(v, p, endpoint)),
            ("callbacks", |cx, v, p| cx.list::<Vec<Callback>>(v, p, callback)),
        ],
    );
}

fn api(cx: &mut Collect<'_>, v: &Value, path: &str) {
    cx.object::<Api>(
        v,
        path,
        &[
            ("servers", |cx, v, p| cx.object::<Servers>(v, p, &[])),
            ("envelope", |cx, v, p| cx.object::<Envelope>(v, p, &[])),
            ("auth", |cx, v, p| cx.object::<AuthConfig>(v, p, &[])),
        ],
    );
}

fn enum_def(cx: &mut Collect<'_>, v: &Value, path: &str) {
    cx.object::<EnumDef>(
        v,
        path,
        &[("values", |cx, v, p| cx.list::<Vec<EnumValue>>(v, p, |cx, v, p| cx.object::<EnumValue>(v, p, &[])))],
    );
}

fn endpoint(cx: &mut Collect<'_>, v: &Value, path: &str) {
    cx.object::<Endpoint>(
        v,
        path,
        &[
            ("request", fields),
            ("response", fields),
            ("examples", |cx, v, p| cx.list::<Vec<Example>>(v, p, |cx, v, p| cx.object::<Example>(v, p, &[]))),
        ],
    );
}

fn fields(cx: &mut Collect<'_>, v: &Value, path: &str) {
    cx.list::<Vec<Field>>(v, path, field);
}

fn field(cx: &mut Collect<'_>, v: &Value, path: &str) {
    cx.object::<Field>(
        v,
        path,
        &[
            ("fields", |cx, v, p| {
                if !v.is_null() {
                    fields(cx, v, p)
                }
            }),
            ("sdk_rules", |cx, v, p| {
                if !v.is_null() {
                    cx.object::<SdkRules>(v, p, &[])
                }
            }),
        ],
    );
}

fn callback(cx: &mut Collect<'_>, v: &Value, path: &str) {
    cx.object::<Callback>(
        v,
        path,
        &[
            ("body", fields),
            ("data", fields),
            ("examples", |cx, v, p| {
                cx.list::<Vec<CallbackExample>>(v, p, |cx, v, p| cx.object::<CallbackExample>(v, p, &[]))
            }),
        ],
    );
}

/// A YAML document read into a [`Value`] the lenient way: a repeated key keeps its first value and
/// is listed in `repeated` (serde_yaml's own `Value` stops at the first one).
struct Read {
    value: Value,
    /// (path of the repeated key, the key).
    repeated: Vec<(String, String)>,
}

fn read_value(text: &str) -> Result<Read, serde_yaml::Error> {
    let repeated = RefCell::new(Vec::new());
    let value =
        Seed { path: String::new(), repeated: &repeated }.deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok(Read { value, repeated: repeated.into_inner() })
}

struct Seed<'r> {
    path: String,
    repeated: &'r RefCell<Vec<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) =
            seq.next_element_seed(Seed { path: format!("{}[{}]", self.path, items.len()), repeated: self.repeated })?
        {
            items.push(v);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some(key) = map.next_key_seed(Seed { path: self.path.clone(), repeated: self.repeated })? {
            let name = match &key {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => "?".to_owned(),
            };
            let path = if self.path.is_empty() { name.clone() } else { format!("{}.{name}", self.path) };
            let value = map.next_value_seed(Seed { path: path.clone(), repeated: self.repeated })?;
            if out.contains_key(&key) {
                self.repeated.borrow_mut().push((path, name));
            } else {
                out.insert(key, value);
            }
        }
        Ok(Value::Mapping(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, variant) = data.variant::<String>()?;
        let value = variant.newtype_variant_seed(self)?;
        Ok(Value::Tagged(Box::new(TaggedValue { tag: Tag::new(tag), value })))
    }
}
