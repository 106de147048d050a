//! Diagnostics: what is wrong with a spec, where, and how to fix it.

use std::fmt;

/// A stable diagnostic code. The code (`S104`) and slug never change meaning; tests snapshot them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// The file is not valid YAML.
    YamlSyntax,
    /// The file is empty or holds only comments.
    EmptySpec,
    /// A key the format does not know (usually a typo).
    UnknownKey,
    /// A required key is absent.
    MissingKey,
    /// A value of the wrong type or outside a closed set.
    InvalidValue,
    /// A mapping repeats a key.
    DuplicateKey,
    /// The file is not UTF-8.
    NotUtf8,
    /// The file contains a control character YAML does not allow (NUL, ...).
    ControlCharacter,
    /// Two endpoints share an id.
    DuplicateEndpoint,
    /// Two fields of one table share a wire name.
    DuplicateField,
    /// An endpoint lists an error code that the error table lacks.
    UnknownErrorCode,
    /// A vendor example breaks a constraint of its own table.
    ExampleViolation,
    /// A request path that does not start with `/`.
    PathWithoutSlash,
    /// Two spec names map to one Rust name.
    RustNameCollision,
    /// A field refers to an enum the spec does not define.
    UnknownEnum,
    /// A constraint that does not apply to the field's type.
    ConstraintMismatch,
    /// Two entries of the error table share a code, or two enums or enum values share a name.
    DuplicateDefinition,
    /// A name that is not a valid identifier in the required case.
    BadIdentifier,
    /// An example whose keys are not in the table, or lacks a required field.
    ExampleShape,
    /// An `sdk_rules` entry for a rule the field does not carry, or without a reason.
    SdkRuleMismatch,
}

impl Code {
    /// The stable code, e.g. `S104`.
    pub fn id(self) -> &'static str {
        match self {
            Code::YamlSyntax => "S001",
            Code::EmptySpec => "S002",
            Code::UnknownKey => "S003",
            Code::MissingKey => "S004",
            Code::InvalidValue => "S005",
            Code::DuplicateKey => "S006",
            Code::NotUtf8 => "S007",
            Code::ControlCharacter => "S008",
            Code::DuplicateEndpoint => "S101",
            Code::DuplicateField => "S102",
            Code::UnknownErrorCode => "S103",
            Code::ExampleViolation => "S104",
            Code::PathWithoutSlash => "S105",
            Code::RustNameCollision => "S106",
            Code::UnknownEnum => "S107",
            Code::ConstraintMismatch => "S108",
            Code::DuplicateDefinition => "S109",
            Code::BadIdentifier => "S110",
            Code::ExampleShape => "S111",
            Code::SdkRuleMismatch => "S112",
        }
    }

    /// The short name, e.g. `example-violation`.
    pub fn slug(self) -> &'static str {
        match self {
            Code::YamlSyntax => "yaml-syntax",
            Code::EmptySpec => "empty-spec",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::InvalidValue => "invalid-value",
            Code::DuplicateKey => "duplicate-key",
            Code::NotUtf8 => "not-utf8",
            Code::ControlCharacter => "control-character",
            Code::DuplicateEndpoint => "duplicate-endpoint",
            Code::DuplicateField => "duplicate-field",
            Code::UnknownErrorCode => "unknown-error-code",
            Code::ExampleViolation => "example-violation",
            Code::PathWithoutSlash => "path-without-slash",
            Code::RustNameCollision => "rust-name-collision",
            Code::UnknownEnum => "unknown-enum",
            Code::ConstraintMismatch => "constraint-mismatch",
            Code::DuplicateDefinition => "duplicate-definition",
            Code::BadIdentifier => "bad-identifier",
            Code::ExampleShape => "example-shape",
            Code::SdkRuleMismatch => "sdk-rule-mismatch",
        }
    }
}

/// A line and column, both 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

/// One problem in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which problem.
    pub code: Code,
    /// The spec file as given to the generator.
    pub file: String,
    /// The YAML path of the node, e.g. `endpoints[2].request[1].max_length` (empty for the root).
    pub path: String,
    /// Where the node starts, when it could be located.
    pub pos: Option<Pos>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error[{}/{}]: {}", self.code.id(), self.code.slug(), self.message)?;
        write!(f, "  --> {}", self.file)?;
        if let Some(p) = self.pos {
            write!(f, ":{}:{}", p.line, p.col)?;
        }
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, "\n  = hint: {}", self.hint)
    }
}

/// Every problem found in one run; never empty.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}\n")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found; nothing was written.", if n == 1 { "" } else { "s" })
    }
}
