//! Loading: YAML text -> [`Spec`], with serde's errors turned into located diagnostics.

use super::model::Spec;
use crate::diag::{Code, Diagnostic, Pos};

/// Parses the spec text. `file` is only used in diagnostics.
pub fn load(file: &str, text: &str) -> Result<Spec, Box<Diagnostic>> {
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(Box::new(Diagnostic {
            code: Code::EmptySpec,
            file: file.to_owned(),
            path: String::new(),
            pos: None,
            message: "the spec is empty".to_owned(),
            hint: "start from the `api:`, `errors:` and `endpoints:` sections described in spec/FORMAT.md".to_owned(),
        }));
    }
    serde_yaml::from_str(text).map_err(|e| Box::new(from_serde(file, &e)))
}

fn from_serde(file: &str, e: &serde_yaml::Error) -> Diagnostic {
    let pos = e.location().map(|l| Pos { line: l.line(), col: l.column() });
    let full = e.to_string();
    // serde_yaml appends " at line L column C"; the position is reported separately.
    let text = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    // Nested errors start with the YAML path: "endpoints[0].request[1]: unknown field ...".
    let (path, message) = match text.split_once(": ") {
        Some((p, m)) if !p.contains(' ') && !p.is_empty() => (p.to_owned(), m.to_owned()),
        _ => (String::new(), text.to_owned()),
    };
    let (code, hint) = classify(&message);
    Diagnostic { code, file: file.to_owned(), path, pos, message, hint: hint.to_owned() }
}

fn classify(message: &str) -> (Code, &'static str) {
    if message.starts_with("unknown field") {
        (Code::UnknownKey, "check the spelling; spec/FORMAT.md lists every key this node may have")
    } else if message.starts_with("duplicate field") || message.starts_with("duplicate entry") {
        (Code::DuplicateKey, "a key may appear once per mapping: remove or merge the repeated one")
    } else if message.starts_with("missing field") {
        (Code::MissingKey, "add the key; spec/FORMAT.md says which keys are required")
    } else if message.starts_with("unknown variant") {
        (Code::InvalidValue, "use one of the values listed in the message")
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        (Code::InvalidValue, "give the value the type spec/FORMAT.md describes for this key")
    } else {
        (Code::YamlSyntax, "fix the YAML syntax at this position (indentation, quotes, brackets)")
    }
}
