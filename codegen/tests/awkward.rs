//! Every spec the checks accept compiles warning-free with its generated tests passing: a spec full
//! of awkward names and prose (tests/fixtures/accepted/awkward.yaml) is generated into a scratch
//! crate and built and tested there, with warnings denied by the crate's lints.
//!
//! The scratch crate has its own target directory under the workspace's `target/`, so its
//! dependencies are built once and reused by later runs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn an_awkward_spec_compiles_and_its_tests_pass() -> Result<(), Box<dyn std::error::Error>> {
    let root = workspace();
    let text = fs::read_to_string(root.join("codegen/tests/fixtures/accepted/awkward.yaml"))?;
    let files = match ottpay_codegen::generate("awkward.yaml", &text) {
        Ok(files) => files,
        Err(d) => panic!("the awkward spec should be accepted:\n{d}"),
    };
    let dir = tempfile::tempdir()?;
    for f in &files {
        let Some(rel) = f.path.strip_prefix("generated/") else { continue };
        let path = dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, &f.contents)?;
    }
    let runtime = root.join("runtime").canonicalize()?;
    let manifest = format!(
        r#"[package]
name = "ottpay"
version = "0.0.0"
edition = "2024"
publish = false

[features]
default = ["callback"]
client = ["ottpay-runtime/client", "dep:reqwest"]
callback = ["ottpay-runtime/callback"]
server = []

[dependencies]
ottpay-runtime = {{ path = {runtime:?}, default-features = false }}
serde = {{ version = "1", features = ["derive"] }}
reqwest = {{ version = "0.13", default-features = false, optional = true }}

[dev-dependencies]
serde_json = "1"
allocation-counter = "0.8"
ottpay = {{ path = ".", features = ["server"] }}

[lints.rust]
warnings = "deny"
missing_docs = "deny"

[workspace]
"#
    );
    fs::write(dir.path().join("Cargo.toml"), manifest)?;
    let target = root.join("target/awkward");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--offline"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()?;
    let log = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the awkward crate does not build or its tests fail:\n{log}");
    assert!(log.contains("test result: ok"), "no test ran:\n{log}");

    // The client methods too (one per endpoint, named by its id), and the crate without the
    // `callback` feature (the tests above ran with it).
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "--offline", "--no-default-features", "--features", "client"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()?;
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the awkward crate does not build with its client:\n{log}");
    Ok(())
}
