//! The drift check, run by `cargo test`: the committed generated/ must be exactly what
//! spec/ottpay.yaml produces. Plus the behaviour of `gen` and `gen --check` on a scratch tree.

use std::fs;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn committed_code_matches_the_spec() {
    match xtask::run(&workspace(), true) {
        Ok(report) => assert!(report.is_clean(), "{}", xtask::render(&report, true)),
        Err(e) => panic!("{e}"),
    }
}

/// A scratch workspace holding only the real spec.
fn scratch() -> Result<tempfile::TempDir, std::io::Error> {
    let dir = tempfile::tempdir()?;
    fs::create_dir_all(dir.path().join("spec"))?;
    fs::copy(workspace().join(xtask::SPEC), dir.path().join(xtask::SPEC))?;
    Ok(dir)
}

fn check(root: &Path) -> xtask::Report {
    match xtask::run(root, true) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn gen_writes_then_check_is_clean() -> Result<(), Box<dyn std::error::Error>> {
    let dir = scratch()?;
    let first = check(dir.path());
    assert_eq!(first.stale.len(), first.total, "nothing is written yet, so everything is stale");
    assert!(!dir.path().join("generated").exists(), "--check must write nothing");
    let written = xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    assert_eq!(written.stale.len(), written.total);
    let again = check(dir.path());
    assert!(again.is_clean());
    Ok(())
}

#[test]
fn an_edited_description_is_drift_naming_the_file() -> Result<(), Box<dyn std::error::Error>> {
    let dir = scratch()?;
    xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    let spec = dir.path().join(xtask::SPEC);
    let text = fs::read_to_string(&spec)?;
    // Prefix the summary of alipay_wap_pay, wherever it is and whatever it says.
    let at = text.find("- id: alipay_wap_pay").ok_or("alipay_wap_pay is in the spec")?;
    let summary = at + text[at..].find("summary: ").ok_or("it has a summary")? + "summary: ".len();
    let edited = format!("{}Edited. {}", &text[..summary], &text[summary..]);
    fs::write(&spec, edited)?;
    let report = check(dir.path());
    let names: Vec<&str> = report.stale.iter().map(|(p, _)| p.as_str()).collect();
    // The summary is in the Rust docs, the reference and the OpenAPI document.
    assert_eq!(names, ["generated/API.md", "generated/openapi.json", "generated/src/api/alipay.rs"]);
    let diff = &report.stale[2].1;
    assert!(diff.lines().any(|l| l.trim_start().starts_with("+") && l.contains("/// Edited. ")), "{diff}");
    let rendered = xtask::render(&report, true);
    assert!(
        rendered.contains("stale: generated/src/api/alipay.rs") && rendered.contains("run `cargo xtask gen`"),
        "{rendered}"
    );
    xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    assert!(check(dir.path()).stale.is_empty(), "gen fixes the drift");
    Ok(())
}

#[test]
fn hand_edits_and_orphans_are_caught() -> Result<(), Box<dyn std::error::Error>> {
    let dir = scratch()?;
    xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    let file = dir.path().join("generated/src/api/card.rs");
    let text = fs::read_to_string(&file)?;
    fs::write(&file, text.replacen("pub struct", "pub(crate) struct", 1))?;
    let orphan = dir.path().join("generated/src/api/old_group.rs");
    fs::write(&orphan, format!("{}\npub struct Old;\n", ottpay_codegen::GENERATED_MARKER))?;
    let hand_written = dir.path().join("generated/tests/by_hand.rs");
    fs::write(&hand_written, "// a test a person wrote\n")?;
    let report = check(dir.path());
    assert_eq!(report.stale.len(), 1);
    assert_eq!(report.stale[0].0, "generated/src/api/card.rs");
    assert_eq!(report.orphans, ["generated/src/api/old_group.rs"]);
    xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    assert!(!orphan.exists(), "gen removes orphaned @generated files");
    assert!(hand_written.exists(), "gen never touches files without the @generated line");
    assert!(check(dir.path()).stale.is_empty());
    Ok(())
}

#[test]
fn a_broken_spec_writes_nothing() -> Result<(), Box<dyn std::error::Error>> {
    let dir = scratch()?;
    let spec = dir.path().join(xtask::SPEC);
    let text = fs::read_to_string(&spec)?;
    fs::write(&spec, text.replacen("path: /api/v1/pay/alipay/wap-pay", "path: api/v1/pay/alipay/wap-pay", 1))?;
    match xtask::run(dir.path(), false) {
        Ok(_) => panic!("a broken spec must fail"),
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains("S105/path-without-slash") && text.contains("spec/ottpay.yaml:"), "{text}");
        }
    }
    assert!(!dir.path().join("generated").exists(), "nothing may be written");
    assert!(!dir.path().join("spec/ottpay.schema.json").exists(), "nothing may be written");
    Ok(())
}

#[test]
fn the_json_and_markdown_outputs_are_checked_too() -> Result<(), Box<dyn std::error::Error>> {
    let dir = scratch()?;
    xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    for path in ["generated/openapi.json", "generated/API.md", "spec/ottpay.schema.json"] {
        let file = dir.path().join(path);
        let text = fs::read_to_string(&file)?;
        assert!(ottpay_codegen::is_generated(&text), "{path} carries the @generated marker");
        fs::write(&file, text.replacen("OTT Pay", "OTT-Pay", 1))?;
        let report = check(dir.path());
        let names: Vec<&str> = report.stale.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, [path], "a hand edit of {path} is drift");
        xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    }
    assert!(check(dir.path()).is_clean());
    Ok(())
}

#[test]
fn a_hand_written_file_in_generated_is_drift_naming_it() -> Result<(), Box<dyn std::error::Error>> {
    let dir = scratch()?;
    xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    fs::create_dir_all(dir.path().join("generated/src/extra"))?;
    fs::write(dir.path().join("generated/src/extra/helper.rs"), "pub fn helper() {}\n")?;
    fs::write(dir.path().join("generated/tests/mine.rs"), "#[test]\nfn mine() {}\n")?;
    let report = check(dir.path());
    assert_eq!(report.foreign, ["generated/src/extra/helper.rs", "generated/tests/mine.rs"]);
    let text = xtask::render(&report, true);
    assert!(text.contains("not generated: generated/src/extra/helper.rs"), "{text}");
    // `gen` never deletes a hand-written file, and still reports it.
    let written = xtask::run(dir.path(), false).map_err(|e| e.to_string())?;
    assert_eq!(written.foreign.len(), 2);
    assert!(dir.path().join("generated/tests/mine.rs").exists());
    Ok(())
}

#[test]
fn the_workspace_is_found_from_the_current_directory() -> Result<(), Box<dyn std::error::Error>> {
    let dir = scratch()?;
    fs::write(dir.path().join("Cargo.toml"), "[workspace]\n")?;
    fs::create_dir_all(dir.path().join("generated/src/api"))?;
    let found = xtask::find_root(&dir.path().join("generated/src/api"));
    assert_eq!(found.as_deref(), Some(dir.path()));
    assert_eq!(xtask::find_root(Path::new("/")), None);
    Ok(())
}
