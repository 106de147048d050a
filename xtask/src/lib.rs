//! `cargo xtask gen`: writes the files the spec produces, or (`--check`) verifies that the
//! committed ones are exactly what the spec produces, in the manner of rust-analyzer's
//! `ensure_file_contents`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ottpay_codegen::{GeneratedFile, is_generated};

pub mod cli;
pub mod diff;

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/ottpay.yaml";
/// Folders that belong to the generator: every file in them (at any depth) is generated, and one
/// the spec does not produce is drift (hand-added or orphaned).
pub const OWNED_DIRS: &[&str] = &["generated/src", "generated/tests"];
/// The one hand-written file of the generated crate.
pub const HAND_WRITTEN: &str = "generated/Cargo.toml";
/// The command that fixes drift.
pub const FIX: &str = "cargo xtask gen";

/// What a run found or did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files whose contents differ from the spec's output (written, or to be written), with a diff.
    pub stale: Vec<(String, String)>,
    /// `@generated` files the spec no longer produces (removed, or to be removed).
    pub orphans: Vec<String>,
    /// Files in the generator's folders without the @generated line: hand-added code, which the
    /// generator never deletes; move it out (drift in both modes).
    pub foreign: Vec<String>,
    /// Files produced.
    pub total: usize,
    /// Time spent generating (load, check, emit, format), once.
    pub took: Duration,
}

impl Report {
    /// Whether the committed files are exactly what the spec produces, with nothing foreign.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.orphans.is_empty() && self.foreign.is_empty()
    }
}

/// Errors of the xtask itself.
#[derive(Debug)]
pub enum Error {
    /// The spec could not be read.
    Read(PathBuf, std::io::Error),
    /// The spec is broken; nothing was written.
    Spec(ottpay_codegen::Diagnostics),
    /// Writing failed.
    Write(PathBuf, std::io::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Read(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            Error::Spec(d) => write!(f, "{d}"),
            Error::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

/// Generates from `root/spec/ottpay.yaml`.
pub fn generate(root: &Path) -> Result<(Vec<GeneratedFile>, Duration), Error> {
    let path = root.join(SPEC);
    // Bytes, not a String: a spec that is not UTF-8 is a located diagnostic, not an I/O error.
    let bytes = fs::read(&path).map_err(|e| Error::Read(path, e))?;
    let start = Instant::now();
    let text = ottpay_codegen::decode(SPEC, &bytes).map_err(Error::Spec)?;
    let files = ottpay_codegen::generate(SPEC, text).map_err(Error::Spec)?;
    Ok((files, start.elapsed()))
}

/// Compares (and unless `check`, writes) every generated file under `root`. The spec is generated
/// once in both modes (that generation is deterministic is proved by the codegen's tests).
pub fn run(root: &Path, check: bool) -> Result<Report, Error> {
    let (files, took) = generate(root)?;
    let mut report = Report { total: files.len(), took, ..Report::default() };
    for f in &files {
        let path = root.join(&f.path);
        let old = fs::read_to_string(&path).unwrap_or_default();
        if old == f.contents {
            continue;
        }
        report.stale.push((f.path.clone(), diff(&old, &f.contents)));
        if !check {
            write_atomic(&path, &f.contents)?;
        }
    }
    for dir in OWNED_DIRS {
        let mut paths = Vec::new();
        walk(&root.join(dir), &mut paths);
        paths.sort();
        for p in paths {
            let rel = p.strip_prefix(root).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            if files.iter().any(|f| f.path == rel) {
                continue;
            }
            let generated = fs::read_to_string(&p).is_ok_and(|t| is_generated(&t));
            if generated {
                if !check {
                    fs::remove_file(&p).map_err(|e| Error::Write(p.clone(), e))?;
                }
                report.orphans.push(rel);
            } else {
                report.foreign.push(rel);
            }
        }
    }
    Ok(report)
}

/// Every file under `dir`, at any depth (none if it does not exist).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The workspace root, found at run time from `start` upwards (as cargo finds a workspace): the
/// first folder holding both `Cargo.toml` and the spec.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|d| d.join("Cargo.toml").is_file() && d.join(SPEC).is_file()).map(Path::to_path_buf)
}

fn write_atomic(path: &Path, contents: &str) -> Result<(), Error> {
    let err = |e| Error::Write(path.to_owned(), e);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(err)?;
    }
    let mut name = path.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    fs::write(&tmp, contents).map_err(err)?;
    fs::rename(&tmp, path).map_err(err)
}

/// A short unified diff (at most 40 lines).
fn diff(old: &str, new: &str) -> String {
    let d = similar::TextDiff::from_lines(old, new);
    let text = d.unified_diff().context_radius(2).header("committed", "from the spec").to_string();
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    for l in lines.iter().take(40) {
        let _ = writeln!(out, "    {l}");
    }
    if lines.len() > 40 {
        let _ = writeln!(out, "    ... ({} more diff lines)", lines.len() - 40);
    }
    out
}

/// Renders a report for the terminal.
pub fn render(report: &Report, check: bool) -> String {
    let mut out = String::new();
    let verb = if check { "stale" } else { "updated" };
    for (path, diff) in &report.stale {
        let _ = writeln!(out, "{verb}: {path}\n{diff}");
    }
    for path in &report.orphans {
        let what =
            if check { "orphaned @generated file (the spec no longer produces it)" } else { "removed orphaned file" };
        let _ = writeln!(out, "{what}: {path}");
    }
    for path in &report.foreign {
        let _ = writeln!(
            out,
            "not generated: {path} (every file under {} is written by `{FIX}`; move hand-written code to runtime/ or examples/; the one hand-written file is {HAND_WRITTEN})",
            OWNED_DIRS.join(" and ")
        );
    }
    let changed = report.stale.len() + report.orphans.len() + report.foreign.len();
    let ms = report.took.as_secs_f64() * 1000.0;
    if check && changed > 0 {
        let _ = writeln!(out, "generated code is out of date with {SPEC}: run `{FIX}` and commit the result");
    } else if check {
        let _ = writeln!(
            out,
            "{} generated files are up to date ({ms:.1} ms to generate); {HAND_WRITTEN} is hand-written",
            report.total
        );
    } else {
        let _ = writeln!(out, "{} of {} files changed; generation took {ms:.1} ms", changed, report.total);
    }
    out
}
