//! The Rust verdicts of `cargo xtask diff` are true: a downstream crate written against the `ottpay`
//! generated from mini.yaml is checked against the crate generated from a compatible edit (it must
//! still compile) and from a breaking one (it must not), and the report says the same. One test, so
//! CI stays fast; the scratch crates share a target directory under the workspace's `target/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::diff::{Report, rules::RustApi};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Code a merchant writes against the old crate: `new` with its three positional arguments, a
/// setter, a field read, and a match over the open enum.
const DOWNSTREAM: &str = r#"//! A merchant's code.
use ottpay::{CardPayRequest, CardPayResponse, Cents, PayState};

/// Builds a payment.
pub fn build() -> CardPayRequest {
    CardPayRequest::new(Cents::new(100), "https://shop.example/cb", "4111111111111111").country("CA")
}

/// Reads an answer.
pub fn state(answer: &CardPayResponse) -> &'static str {
    match &answer.payment_status {
        Some(PayState::Init) => "created",
        Some(PayState::OrderClosed) => "closed",
        Some(_) | None => "other",
    }
}
"#;

/// Writes the crate `spec` generates into `dir`.
fn generate(spec: &str, dir: &Path, runtime: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let files = ottpay_codegen::generate("spec.yaml", spec).map_err(|d| d.to_string())?;
    for f in &files {
        let Some(rel) = f.path.strip_prefix("generated/") else { continue };
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, &f.contents)?;
    }
    let manifest = format!(
        r#"[package]
name = "ottpay"
version = "0.0.0"
edition = "2024"
publish = false

[features]
default = []
client = []
callback = ["ottpay-runtime/callback"]
server = []

[dependencies]
ottpay-runtime = {{ path = {runtime:?}, default-features = false }}
serde = {{ version = "1", features = ["derive"] }}
"#
    );
    fs::write(dir.join("Cargo.toml"), manifest)?;
    Ok(())
}

/// Checks the downstream crate against the `ottpay` in `krate`; the compiler's output if it fails.
fn downstream_compiles(scratch: &Path, krate: &Path) -> Result<Result<(), String>, Box<dyn std::error::Error>> {
    let dir = scratch.join("downstream");
    fs::create_dir_all(dir.join("src"))?;
    fs::write(dir.join("src/lib.rs"), DOWNSTREAM)?;
    let manifest = format!(
        r#"[package]
name = "downstream"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
ottpay = {{ path = {krate:?} }}

[lints.rust]
warnings = "deny"

[workspace]
members = ["."]
"#
    );
    fs::write(dir.join("Cargo.toml"), manifest)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--offline"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/diff-downstream"))
        .env_remove("RUSTFLAGS")
        .output()?;
    Ok(if output.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&output.stderr).into_owned()) })
}

fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn the_rust_verdicts_hold_for_a_downstream_crate() -> Result<(), Box<dyn std::error::Error>> {
    let root = workspace();
    let old = fs::read_to_string(root.join("codegen/tests/fixtures/mini.yaml"))?;
    // Compatible: a new optional request field, a new response field, a new enum value.
    let compatible = edit(
        &old,
        &[
            (
                "      - name: extra\n",
                "      - {name: note, type: String, required: false, description: Note.}\n      - name: extra\n",
            ),
            (
                "      - {value: init, description: Created.}\n",
                "      - {value: init, description: Created.}\n      - {value: paid, description: Paid.}\n",
            ),
            (
                "      - {name: amount, type: String, description: Amount., format: cents}\n",
                "      - {name: amount, type: String, description: Amount., format: cents}\n      - {name: paidAt, type: Number, description: When.}\n",
            ),
        ],
    );
    // Breaking: an optional field made required (`new` takes a Required struct from 4 fields on).
    let breaking = edit(
        &old,
        &[
            ("{name: country, type: String, required: false", "{name: country, type: String, required: true"),
            (r#""accountNumber": "4111111111111111"}"#, r#""accountNumber": "4111111111111111", "country": "CA"}"#),
        ],
    );
    let worst_rust = |new: &str| -> Result<RustApi, Box<dyn std::error::Error>> {
        let r = Report::of_texts(("old", &old), ("new", new))?;
        Ok(r.changes.iter().map(|(_, rule)| rule.rust).max().unwrap_or(RustApi::Unchanged))
    };
    assert_eq!(worst_rust(&compatible)?, RustApi::Additive);
    assert_eq!(worst_rust(&breaking)?, RustApi::Breaking);

    let scratch = tempfile::tempdir()?;
    let runtime = root.join("runtime").canonicalize()?;
    for (name, spec) in [("old", &old), ("compatible", &compatible), ("breaking", &breaking)] {
        generate(spec, &scratch.path().join(name), &runtime)?;
    }
    let at = |name: &str| scratch.path().join(name);
    if let Err(log) = downstream_compiles(scratch.path(), &at("old"))? {
        panic!("the downstream crate must compile against the old crate:\n{log}");
    }
    if let Err(log) = downstream_compiles(scratch.path(), &at("compatible"))? {
        panic!("a compatible change broke downstream code:\n{log}");
    }
    match downstream_compiles(scratch.path(), &at("breaking"))? {
        Ok(()) => panic!("a change reported as breaking still compiles downstream"),
        Err(log) => assert!(log.contains("CardPayRequest::new") || log.contains("E0061"), "{log}"),
    }
    Ok(())
}
