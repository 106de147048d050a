//! The test cases of a request type, derived once from its constraints: a request whose every field
//! is valid, and per constraint the values at its boundary. The generated Rust tests
//! (`generated/tests/spec_constraints.rs`) check them against the Rust validators, and the codegen
//! tests check the same cases against the exported JSON Schema (the differential test).

use serde_json::{Map, Value};

use super::constraint::{self, Constraint};
use super::{FieldType, StructIr, Ty};

/// A JSON value that satisfies every constraint of a field.
pub fn valid_value(ty: &Ty, constraints: &[Constraint], nested: &[StructIr]) -> Value {
    match ty {
        Ty::Cents { string } => {
            let min = constraints.iter().find_map(|c| if let Constraint::MinCents(m) = c { Some(*m) } else { None });
            let max = constraints.iter().find_map(|c| if let Constraint::MaxCents(m) = c { Some(*m) } else { None });
            let c = min.unwrap_or(0).max(100).min(max.unwrap_or(u64::MAX));
            if *string { Value::String(c.to_string()) } else { Value::from(c) }
        }
        Ty::Int => Value::from(1),
        // Open enums accept any string; an unknown value is kept, never rejected.
        Ty::Enum(_) => Value::String(String::new()),
        Ty::Nested(n) => nested.iter().find(|s| &s.name == n).map_or(Value::Null, |s| valid_object(s, nested)),
        Ty::Text | Ty::Secret | Ty::Reported => Value::String(constraint::valid_text(constraints)),
    }
}

/// A request object with every field present and valid.
pub fn valid_object(s: &StructIr, nested: &[StructIr]) -> Value {
    let mut m = Map::new();
    for f in &s.fields {
        m.insert(f.wire.clone(), valid_value(&f.ty, &f.constraints, nested));
    }
    Value::Object(m)
}

/// One generated check of a request field.
#[derive(Clone, Debug, PartialEq)]
pub enum Case {
    /// The boundary of a constraint: values that pass, values that break `rule` at `pointer`.
    Boundary {
        /// JSON pointer of the field.
        pointer: String,
        /// The rule's name (`Rule::name`).
        rule: &'static str,
        /// Values that pass every constraint of the field.
        ok: Vec<Value>,
        /// Values that break `rule`.
        bad: Vec<Value>,
    },
    /// A sensitive field given a wrong-typed value: the error names the field, never the value.
    Secret {
        /// JSON pointer of the field.
        pointer: String,
    },
    /// An amount past `Cents::MAX`: refused when deserialized, in the field's wire form.
    TooLarge {
        /// JSON pointer of the field.
        pointer: String,
        /// The wire form is a string.
        string: bool,
    },
}

/// Every case of the fields of `s` (under JSON pointer `at`), nested objects included.
pub fn cases(s: &StructIr, at: &str, nested: &[StructIr], out: &mut Vec<Case>) {
    for f in &s.fields {
        let pointer = ottpay_runtime::validate::pointer(at, &f.wire);
        let wire_ty = match f.ty {
            Ty::Cents { string: false } | Ty::Int => FieldType::Number,
            _ => FieldType::String,
        };
        for c in &f.constraints {
            let (ok, bad) = c.boundary(&f.constraints, wire_ty);
            out.push(Case::Boundary { pointer: pointer.clone(), rule: c.rule(), ok, bad });
        }
        match &f.ty {
            Ty::Secret => out.push(Case::Secret { pointer: pointer.clone() }),
            Ty::Cents { string } => out.push(Case::TooLarge { pointer: pointer.clone(), string: *string }),
            Ty::Nested(n) => {
                if let Some(inner) = nested.iter().find(|x| &x.name == n) {
                    cases(inner, &pointer, nested, out);
                }
            }
            _ => {}
        }
    }
}

/// The value `Cents::MAX + 1`, in the wire form of a `TooLarge` case.
pub fn too_large(string: bool) -> Value {
    let n = u128::from(ottpay_runtime::Cents::MAX.get()) + 1;
    if string {
        Value::String(n.to_string())
    } else {
        // serde_json reads 9223372036854775808 as a u64.
        serde_json::from_str(&n.to_string()).unwrap_or(Value::Null)
    }
}
