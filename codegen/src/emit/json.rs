//! An ordered JSON value and its printer, for the JSON outputs. Members come out in the order the
//! emitter adds them, never in the order of a `serde_json::Map` (which a cargo feature of
//! serde_json, `preserve_order`, switches between sorted and insertion order), so the files are the
//! same bytes whatever else the build enables. Values taken from the spec (examples, samples) have
//! their members sorted.

use serde_json::{Number, Value};

/// A JSON value whose objects keep their members in the order they were added.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Num(Number),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object.
    Obj(Obj),
}

/// An object whose members keep the order they were added in.
///
/// Small objects find a member by scanning; from [`INDEXED`] members on, a map from name to
/// position finds it, so building an object of n members (the `paths` and `schemas` of 10,000
/// endpoints) is linear, not quadratic.
#[derive(Clone, Debug, Default)]
pub struct Obj(Vec<(String, Json)>, Option<std::collections::HashMap<String, usize>>);

/// The size from which an [`Obj`] keeps an index of its members.
const INDEXED: usize = 32;

impl PartialEq for Obj {
    fn eq(&self, other: &Obj) -> bool {
        self.0 == other.0
    }
}

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Obj(Vec::new(), None)
    }

    /// The position of member `key`.
    fn position(&self, key: &str) -> Option<usize> {
        match &self.1 {
            Some(index) => index.get(key).copied(),
            None => self.0.iter().position(|(k, _)| k == key),
        }
    }

    /// Sets member `key` (replacing its value where it exists, else appending it).
    pub fn set(mut self, key: &str, value: impl Into<Json>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets member `key` when `value` is `Some`.
    pub fn opt(self, key: &str, value: Option<impl Into<Json>>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// Sets member `key` in place.
    pub fn insert(&mut self, key: &str, value: impl Into<Json>) {
        let value = value.into();
        if let Some(slot) = self.position(key).and_then(|i| self.0.get_mut(i)) {
            slot.1 = value;
            return;
        }
        if let Some(index) = &mut self.1 {
            index.insert(key.to_owned(), self.0.len());
        }
        self.0.push((key.to_owned(), value));
        if self.1.is_none() && self.0.len() >= INDEXED {
            self.1 = Some(self.0.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect());
        }
    }

    /// The value of member `key`.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        let i = self.position(key)?;
        self.0.get_mut(i).map(|(_, v)| v)
    }

    /// The members, in order.
    pub fn into_members(self) -> Vec<(String, Json)> {
        self.0
    }

    /// Whether it has no member.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Obj> for Json {
    fn from(o: Obj) -> Json {
        Json::Obj(o)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::Str(s)
    }
}

impl From<&String> for Json {
    fn from(s: &String) -> Json {
        Json::Str(s.clone())
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Json {
        Json::Num(n.into())
    }
}

impl From<i64> for Json {
    fn from(n: i64) -> Json {
        Json::Num(n.into())
    }
}

impl From<usize> for Json {
    fn from(n: usize) -> Json {
        Json::Num((n as u64).into())
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(v: Vec<T>) -> Json {
        Json::Arr(v.into_iter().map(Into::into).collect())
    }
}

impl From<&Value> for Json {
    /// A value from the spec, its object members sorted by key.
    fn from(v: &Value) -> Json {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Num(n.clone()),
            Value::String(s) => Json::Str(s.clone()),
            Value::Array(a) => Json::Arr(a.iter().map(Json::from).collect()),
            Value::Object(m) => {
                let mut members: Vec<(&String, &Value)> = m.iter().collect();
                members.sort_by(|a, b| a.0.cmp(b.0));
                members.into_iter().fold(Obj::new(), |o, (k, v)| o.set(k, Json::from(v))).into()
            }
        }
    }
}

/// The document, indented by two spaces (as `serde_json::to_string_pretty` would), with a final
/// newline.
pub fn pretty(value: &Json) -> String {
    let mut out = String::new();
    write(value, 0, &mut out);
    out.push('\n');
    out
}

fn write(value: &Json, depth: usize, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Num(n) => out.push_str(&n.to_string()),
        Json::Str(s) => string(s, out),
        Json::Arr(items) if items.is_empty() => out.push_str("[]"),
        Json::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                write(item, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push(']');
        }
        Json::Obj(o) if o.is_empty() => out.push_str("{}"),
        Json::Obj(Obj(members, _)) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                string(k, out);
                out.push_str(": ");
                write(v, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push('}');
        }
    }
}

fn indent(depth: usize, out: &mut String) {
    const SPACES: &str = "                                                                ";
    match SPACES.get(..2 * depth) {
        Some(spaces) => out.push_str(spaces),
        None => out.extend(std::iter::repeat_n("  ", depth)),
    }
}

/// A JSON string literal, escaped as serde_json escapes it (`"`, `\\` and the controls below
/// U+0020). The text between escapes is copied as a whole: every byte escaped is ASCII, so each
/// cut falls on a character boundary.
fn string(s: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{:04x}", b));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::{Json, Obj, pretty};

    #[test]
    fn prints_like_serde_json_pretty() {
        let doc: Json = Obj::new()
            .set("b", "x\"\u{1}\n")
            .set("a", vec![Json::from(1u64), Json::Null])
            .set("e", Obj::new())
            .set("f", Vec::<Json>::new())
            .into();
        let text = pretty(&doc);
        assert_eq!(
            text,
            "{\n  \"b\": \"x\\\"\\u0001\\n\",\n  \"a\": [\n    1,\n    null\n  ],\n  \"e\": {},\n  \"f\": []\n}\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(parsed["b"], "x\"\u{1}\n");
    }

    #[test]
    fn members_keep_their_order_and_are_replaced_in_place_at_any_size() {
        for n in [3, super::INDEXED - 1, super::INDEXED, 3 * super::INDEXED] {
            let mut o = Obj::new();
            for i in 0..n {
                o.insert(&format!("k{i}"), i as u64);
            }
            // replacing keeps the position; a new key goes last
            o.insert("k0", "first");
            o.insert(&format!("k{}", n - 1), "last");
            o.insert("new", true);
            if let Some(v) = o.get_mut("k1") {
                *v = Json::Null;
            }
            assert!(o.get_mut("absent").is_none());
            let members = o.clone().into_members();
            assert_eq!(members.len(), n + 1, "{n}");
            assert_eq!(members[0], ("k0".to_owned(), Json::from("first")), "{n}");
            assert_eq!(members[1].1, if n > 1 { Json::Null } else { Json::from(1u64) }, "{n}");
            assert_eq!(members[n - 1], (format!("k{}", n - 1), Json::from("last")), "{n}");
            assert_eq!(members[n], ("new".to_owned(), Json::from(true)), "{n}");
            // equality is about the members, not the index
            let rebuilt = members.into_iter().fold(Obj::new(), |o, (k, v)| o.set(&k, v));
            assert_eq!(rebuilt, o);
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all_controls: String = (0u8..0x20).map(char::from).collect();
        all_controls.push_str("\"\\/\u{7f}é€😀\u{2028}");
        for s in ["", "plain", "é at the start", "at the end \"", "\\\\", &all_controls, "a\u{1}b\u{1f}c\nd"] {
            let mut ours = String::new();
            super::string(s, &mut ours);
            assert_eq!(ours, serde_json::to_string(s).unwrap_or_default(), "{s:?}");
        }
        let mut deep = String::new();
        super::indent(40, &mut deep);
        assert_eq!(deep, " ".repeat(80));
    }

    #[test]
    fn values_from_the_spec_are_sorted() {
        let v = serde_json::json!({"z": 1, "a": {"y": true, "b": null}});
        assert_eq!(pretty(&Json::from(&v)).replace([' ', '\n'], ""), r#"{"a":{"b":null,"y":true},"z":1}"#);
    }
}
