//! Synthetic specs of any size, built from the real `spec/ottpay.yaml`: its endpoints (all but the
//! token endpoint, which must stay unique) copied and renamed until there are `n` endpoints. Copy
//! `c` of endpoint `id` is `id_c` (so its Rust types are new names), at `path/c`, with its nested
//! `rust_type`s suffixed by `c`, in group `<group>_<c / 8>`: about eight copies of each real group
//! per module, so the files stay the size the real ones are and the number of files grows with `n`.
//!
//! Shared by `benches/scale.rs` and `examples/scale.rs` (peak memory is measured on the example).

use serde_yaml::Value;

/// How many copies of an endpoint share one group (module).
const PER_GROUP: usize = 8;

/// The real spec with `n` endpoints (`n` >= 1: the token endpoint is always the first).
pub fn synthetic(real: &str, n: usize) -> Result<String, Box<dyn std::error::Error>> {
    let mut spec: Value = serde_yaml::from_str(real)?;
    let endpoints = spec.get_mut("endpoints").and_then(Value::as_sequence_mut).ok_or("the spec has no endpoints")?;
    let is_token = |e: &Value| e.get("kind").and_then(Value::as_str) == Some("token");
    let token: Vec<Value> = endpoints.iter().filter(|e| is_token(e)).cloned().collect();
    let others: Vec<Value> = endpoints.iter().filter(|e| !is_token(e)).cloned().collect();
    if others.is_empty() {
        return Err("the spec has no endpoint to copy".into());
    }
    let mut out = token;
    let mut copy = 0;
    while out.len() < n {
        for e in &others {
            if out.len() == n {
                break;
            }
            out.push(renamed(e, copy)?);
        }
        copy += 1;
    }
    out.truncate(n.max(1));
    *endpoints = out;
    Ok(serde_yaml::to_string(&spec)?)
}

/// Copy `c` of the endpoint `e`.
fn renamed(e: &Value, c: usize) -> Result<Value, Box<dyn std::error::Error>> {
    let mut e = e.clone();
    let map = e.as_mapping_mut().ok_or("an endpoint is not a mapping")?;
    let text = |m: &serde_yaml::Mapping, k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
    let id = text(map, "id").ok_or("an endpoint without id")?;
    let group = text(map, "group").ok_or("an endpoint without group")?;
    let path = text(map, "path").ok_or("an endpoint without path")?;
    map.insert("id".into(), format!("{id}_{c}").into());
    map.insert("group".into(), format!("{group}_{}", c / PER_GROUP).into());
    map.insert("path".into(), format!("{path}/{c}").into());
    for table in ["request", "response"] {
        if let Some(fields) = map.get_mut(table) {
            suffix_types(fields, c);
        }
    }
    Ok(e)
}

/// Suffixes every `rust_type` under `v` with `c`.
fn suffix_types(v: &mut Value, c: usize) {
    match v {
        Value::Mapping(m) => {
            if let Some(Value::String(t)) = m.get_mut("rust_type") {
                t.push_str(&c.to_string());
            }
            m.iter_mut().for_each(|(_, v)| suffix_types(v, c));
        }
        Value::Sequence(s) => s.iter_mut().for_each(|v| suffix_types(v, c)),
        _ => {}
    }
}
