//! `cargo xtask diff`: what a spec change does to the wire and to downstream Rust code.
//!
//! Both specs are loaded, checked and lowered to the generator's IR, and compared there
//! ([`compare`]), so only values count: a reformatting of the YAML reports nothing. Each change
//! falls under one rule of [`rules::RULES`], which says its effect on the wire and on Rust code;
//! severity and semver bump derive from those.

pub mod compare;
pub mod render;
pub mod rules;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use compare::{Change, compare};
pub use rules::{Bump, RULES, Rule, Severity};

use crate::SPEC;

/// Why a diff could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// git could not be run.
    #[error("cannot run git: {0}")]
    GitRun(#[source] std::io::Error),
    /// git refused (unknown revision, no spec at that revision).
    #[error("cannot read {SPEC} at revision `{rev}`: {message}")]
    Git {
        /// The revision asked for.
        rev: String,
        /// What git said.
        message: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// One of the specs is broken.
    #[error("the {which} spec is broken:\n{diagnostics}")]
    Spec {
        /// "old" or "new".
        which: &'static str,
        /// Every problem of it.
        diagnostics: ottpay_codegen::Diagnostics,
    },
}

/// Where a spec comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `git show REV:spec/ottpay.yaml` in the workspace.
    Rev(String),
    /// A file.
    File(PathBuf),
}

impl Source {
    /// Its text, read from the workspace at `root`.
    pub fn read(&self, root: &Path) -> Result<String, DiffError> {
        match self {
            Source::File(p) => std::fs::read_to_string(p).map_err(|source| DiffError::Read { path: p.clone(), source }),
            Source::Rev(rev) => {
                let output = Command::new("git")
                    .arg("-C")
                    .arg(root)
                    .args(["show", &format!("{rev}:{SPEC}")])
                    .output()
                    .map_err(DiffError::GitRun)?;
                if !output.status.success() {
                    let message = String::from_utf8_lossy(&output.stderr).trim().to_owned();
                    return Err(DiffError::Git { rev: rev.clone(), message });
                }
                String::from_utf8(output.stdout)
                    .map_err(|_| DiffError::Git { rev: rev.clone(), message: "the spec is not UTF-8".into() })
            }
        }
    }

    /// How it reads in the report.
    pub fn label(&self) -> String {
        match self {
            Source::Rev(rev) => format!("{SPEC} at {rev}"),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// The differences between two specs, each with its rule.
#[derive(Debug)]
pub struct Report {
    /// What was compared: old.
    pub old: String,
    /// What was compared: new.
    pub new: String,
    /// The changes, in a stable order.
    pub changes: Vec<(Change, &'static Rule)>,
}

impl Report {
    /// Compares two spec texts.
    pub fn of_texts(old: (&str, &str), new: (&str, &str)) -> Result<Report, DiffError> {
        let old_ir = ottpay_codegen::resolve(old.0, old.1)
            .map_err(|diagnostics| DiffError::Spec { which: "old", diagnostics })?;
        let new_ir = ottpay_codegen::resolve(new.0, new.1)
            .map_err(|diagnostics| DiffError::Spec { which: "new", diagnostics })?;
        let changes =
            compare(&old_ir, &new_ir).into_iter().filter_map(|c| rules::rule(c.rule).map(|r| (c, r))).collect();
        Ok(Report { old: old.0.to_owned(), new: new.0.to_owned(), changes })
    }

    /// Compares the specs `old` and `new` of the workspace at `root`.
    pub fn of(root: &Path, old: &Source, new: &Source) -> Result<Report, DiffError> {
        let (ot, nt) = (old.read(root)?, new.read(root)?);
        Report::of_texts((&old.label(), &ot), (&new.label(), &nt))
    }

    /// The highest severity, if anything changed.
    pub fn severity(&self) -> Option<Severity> {
        self.changes.iter().map(|(_, r)| r.severity()).max()
    }

    /// The bump the changes imply together.
    pub fn bump(&self) -> Bump {
        self.changes.iter().map(|(_, r)| r.bump()).max().unwrap_or(Bump::None)
    }

    /// Whether a `--fail-on` threshold is reached.
    pub fn fails(&self, threshold: FailOn) -> bool {
        let min = match threshold {
            FailOn::Breaking => Severity::Breaking,
            FailOn::Attention => Severity::Attention,
        };
        self.severity().is_some_and(|s| s >= min)
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A table for the terminal.
    #[default]
    Table,
    /// JSON.
    Json,
    /// A CHANGELOG section.
    Markdown,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Exit 1 on a breaking change.
    Breaking,
    /// Exit 1 on a breaking change or one that needs attention.
    Attention,
}

/// Parsed arguments of `cargo xtask diff`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The old spec.
    pub old: Source,
    /// The new spec (`None`: the working tree's).
    pub new: Option<Source>,
    /// Output format.
    pub format: Format,
    /// Exit 1 at this severity.
    pub fail_on: Option<FailOn>,
    /// List the rules instead.
    pub rules: bool,
}

/// The usage text.
pub const USAGE: &str = "usage: cargo xtask diff [REV | --base REV | OLD.yaml NEW.yaml] [--format table|json|markdown] [--fail-on breaking|attention] [--rules]
  compares spec/ottpay.yaml at REV (default HEAD) with the working tree, or two spec files, through
  the generator's IR; prints each change with its effect on the wire and on Rust code, a severity
  and the semver bump it implies for the ottpay crate
  --rules      list the rules (id, category, wire, rust, severity, bump, explanation)
  --fail-on    exit 1 when a change reaches this severity (default: never)
  exit codes: 0 report printed; 1 --fail-on threshold reached; 2 usage error or no diff possible";

/// Parses the arguments after `diff`.
pub fn parse(args: &[String]) -> Result<Options, String> {
    let mut positional = Vec::new();
    let mut base = None;
    let mut format = Format::Table;
    let mut fail_on = None;
    let mut rules = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--base" => base = Some(value("--base")?),
            "--format" => {
                format = match value("--format")?.as_str() {
                    "table" => Format::Table,
                    "json" => Format::Json,
                    "markdown" | "md" => Format::Markdown,
                    other => return Err(format!("unknown format `{other}` (table, json, markdown)")),
                }
            }
            "--fail-on" => {
                fail_on = Some(match value("--fail-on")?.as_str() {
                    "breaking" => FailOn::Breaking,
                    "attention" => FailOn::Attention,
                    other => return Err(format!("unknown --fail-on `{other}` (breaking, attention)")),
                })
            }
            "--rules" => rules = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            _ => positional.push(a.clone()),
        }
    }
    let (old, new) = match (base, positional.as_slice()) {
        (Some(rev), []) => (Source::Rev(rev), None),
        (None, []) => (Source::Rev("HEAD".into()), None),
        (None, [rev]) => (Source::Rev(rev.clone()), None),
        (None, [a, b]) => (Source::File(a.into()), Some(Source::File(b.into()))),
        _ => return Err("give a revision (or --base REV), or two spec files".into()),
    };
    Ok(Options { old, new, format, fail_on, rules })
}
