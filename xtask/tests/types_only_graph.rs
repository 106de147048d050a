//! The types-only build (`ottpay` with `default-features = false`) compiles no callback crypto and
//! no serde_json: the crates the `callback` feature brings are absent from its normal dependency
//! graph, and present once the feature is on (so the check cannot pass vacuously, say after a
//! crate is renamed). `cargo tree --offline` only resolves, from Cargo.lock and the local registry cache: no
//! network and no build.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates the types-only build must not compile and the `callback` feature brings: the callback
/// crypto, the core of the RustCrypto crates under it, and serde_json (which reads the raw JSON of
/// callbacks, and of answers with the `client` feature).
const CALLBACK_ONLY: &[&str] = &["aes", "ecb", "md-5", "base64", "subtle", "cipher", "digest", "serde_json"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `cargo tree --offline -p ottpay -e normal --no-default-features` with `args`; its stdout.
fn cargo_tree(args: &[&str]) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["tree", "--offline", "-p", "ottpay", "-e", "normal", "--no-default-features"])
        .args(args)
        .current_dir(workspace())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo tree {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The names of the packages in `ottpay`'s normal dependency graph, sorted, each once.
fn packages(features: &[&str]) -> Result<Vec<String>, String> {
    let mut args = vec!["--prefix", "none"];
    args.extend_from_slice(features);
    let text = cargo_tree(&args)?;
    // Lines are `name vX.Y.Z`, maybe followed by a path, `(proc-macro)` or `(*)`.
    let mut names: Vec<String> = text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect();
    names.sort();
    names.dedup();
    for expected in ["ottpay", "ottpay-runtime", "serde"] {
        if !names.iter().any(|n| n == expected) {
            return Err(format!("`{expected}` is not in the output of cargo tree, which is not read right:\n{text}"));
        }
    }
    Ok(names)
}

#[test]
fn the_types_only_build_has_no_callback_crypto() -> Result<(), String> {
    let types_only = packages(&[])?;
    let found: Vec<&str> = CALLBACK_ONLY.iter().copied().filter(|c| types_only.iter().any(|n| n == c)).collect();
    if let Some(first) = found.first() {
        let how = cargo_tree(&["--invert", first]).unwrap_or_else(|e| e);
        panic!(
            "ottpay with default-features = false depends on {found:?}, which only its `callback` feature \
             may bring. How `{first}` gets in (cargo tree -p ottpay -e normal --no-default-features -i {first}):\n{how}"
        );
    }

    let with_callback = packages(&["--features", "callback"])?;
    let missing: Vec<&str> = CALLBACK_ONLY.iter().copied().filter(|c| !with_callback.iter().any(|n| n == c)).collect();
    assert!(
        missing.is_empty(),
        "with --features callback, ottpay's graph lacks {missing:?}: update the list of crates the \
         feature brings, or the check above proves nothing"
    );
    Ok(())
}
