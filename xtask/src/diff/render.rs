//! The report as a table, JSON or a CHANGELOG section; the rules as a table.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Report;
use super::compare::Change;
use super::rules::{Bump, RULES, Rule, RustApi, Severity, Wire};

/// Lower-case name of a severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Docs => "docs",
        Severity::Compatible => "compatible",
        Severity::Attention => "attention",
        Severity::Breaking => "breaking",
    }
}

/// Lower-case name of a bump.
pub fn bump(b: Bump) -> &'static str {
    match b {
        Bump::None => "none",
        Bump::Patch => "patch",
        Bump::Minor => "minor",
        Bump::Major => "major",
    }
}

/// Lower-case name of a wire effect.
pub fn wire(w: Wire) -> &'static str {
    match w {
        Wire::Unchanged => "unchanged",
        Wire::Compatible => "compatible",
        Wire::Attention => "attention",
        Wire::Breaking => "breaking",
    }
}

/// Lower-case name of a Rust effect.
pub fn rust(r: RustApi) -> &'static str {
    match r {
        RustApi::Unchanged => "unchanged",
        RustApi::Additive => "additive",
        RustApi::Breaking => "breaking",
    }
}

fn what(c: &Change) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => format!("{o} -> {n}"),
        (None, Some(n)) => format!("+ {n}"),
        (Some(o), None) => format!("- {o}"),
        (None, None) => String::new(),
    }
}

fn summary(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no changes to the wire, the Rust API or the docs".to_owned();
    }
    let count = |s: Severity| report.changes.iter().filter(|(_, r)| r.severity() == s).count();
    let b = report.bump();
    let note = if b == Bump::Major { " (while ottpay is 0.x: the minor number, 0.1 -> 0.2)" } else { "" };
    format!(
        "{} changes: {} breaking, {} attention, {} compatible, {} docs; ottpay needs a {} release{note}",
        report.changes.len(),
        count(Severity::Breaking),
        count(Severity::Attention),
        count(Severity::Compatible),
        count(Severity::Docs),
        bump(b),
    )
}

/// Columns padded to their widest cell.
fn grid(rows: &[Vec<String>]) -> String {
    let mut widths = vec![0; rows.first().map_or(0, Vec::len)];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// The report for the terminal: one row per change, then what each rule used means.
pub fn table(report: &Report) -> String {
    let mut out = format!("spec diff: {} -> {}\n", report.old, report.new);
    if !report.changes.is_empty() {
        let mut rows =
            vec![["SEVERITY", "BUMP", "WIRE", "RUST", "RULE", "PLACE", "CHANGE"].map(str::to_owned).to_vec()];
        for (c, r) in &report.changes {
            rows.push(vec![
                severity(r.severity()).to_owned(),
                bump(r.bump()).to_owned(),
                wire(r.wire).to_owned(),
                rust(r.rust).to_owned(),
                r.id.to_owned(),
                c.place.clone(),
                what(c),
            ]);
        }
        out.push_str(&grid(&rows));
        out.push('\n');
        let mut seen: Vec<&str> = Vec::new();
        for (_, r) in &report.changes {
            if !seen.contains(&r.id) {
                seen.push(r.id);
                let _ = writeln!(out, "{}: {}", r.id, r.explanation);
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

fn rule_json(r: &Rule) -> Value {
    json!({
        "id": r.id,
        "category": r.category.name(),
        "wire": wire(r.wire),
        "rust": rust(r.rust),
        "severity": severity(r.severity()),
        "bump": bump(r.bump()),
        "explanation": r.explanation,
    })
}

/// The report as JSON.
pub fn json(report: &Report) -> String {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|(c, r)| {
            let mut v = rule_json(r);
            if let Value::Object(m) = &mut v {
                m.insert("rule".into(), m.get("id").cloned().unwrap_or(Value::Null));
                m.remove("id");
                m.insert("place".into(), json!(c.place));
                m.insert("old".into(), json!(c.old));
                m.insert("new".into(), json!(c.new));
            }
            v
        })
        .collect();
    let doc = json!({
        "old": report.old,
        "new": report.new,
        "severity": report.severity().map(severity),
        "bump": bump(report.bump()),
        "changes": changes,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// The report as a CHANGELOG section, most severe first.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("## Spec changes\n\n{}.\n", summary(report));
    let sections = [
        (Severity::Breaking, "Breaking"),
        (Severity::Attention, "Needs attention"),
        (Severity::Compatible, "Compatible"),
        (Severity::Docs, "Documentation"),
    ];
    for (s, title) in sections {
        let items: Vec<_> = report.changes.iter().filter(|(_, r)| r.severity() == s).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n");
        for (c, r) in items {
            let change = what(c);
            let change = if change.is_empty() { String::new() } else { format!(": {}", change.replace('|', "\\|")) };
            let _ = writeln!(
                out,
                "- `{}`{change} ({}; wire: {}, Rust: {}). {}",
                c.place,
                r.id,
                wire(r.wire),
                rust(r.rust),
                r.explanation
            );
        }
    }
    out
}

/// The rules, as a table or JSON.
pub fn rules(format: super::Format) -> String {
    match format {
        super::Format::Json => {
            serde_json::to_string_pretty(&RULES.iter().map(rule_json).collect::<Vec<_>>()).unwrap_or_default() + "\n"
        }
        super::Format::Markdown => {
            let mut out =
                "| id | category | wire | rust | severity | bump | explanation |\n|---|---|---|---|---|---|---|\n"
                    .to_owned();
            for r in RULES {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} | {} | {} |",
                    r.id,
                    r.category.name(),
                    wire(r.wire),
                    rust(r.rust),
                    severity(r.severity()),
                    bump(r.bump()),
                    r.explanation.replace('|', "\\|")
                );
            }
            out
        }
        super::Format::Table => {
            let mut rows =
                vec![["ID", "CATEGORY", "WIRE", "RUST", "SEVERITY", "BUMP", "EXPLANATION"].map(str::to_owned).to_vec()];
            for r in RULES {
                rows.push(vec![
                    r.id.to_owned(),
                    r.category.name().to_owned(),
                    wire(r.wire).to_owned(),
                    rust(r.rust).to_owned(),
                    severity(r.severity()).to_owned(),
                    bump(r.bump()).to_owned(),
                    r.explanation.to_owned(),
                ]);
            }
            format!("{}{} rules\n", grid(&rows), RULES.len())
        }
    }
}

/// The report in `format`.
pub fn report(report: &Report, format: super::Format) -> String {
    match format {
        super::Format::Table => table(report),
        super::Format::Json => json(report),
        super::Format::Markdown => markdown(report),
    }
}
