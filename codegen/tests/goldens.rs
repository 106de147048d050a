//! Goldens: a small spec through every emitter, snapshotted file by file. (The real spec's output
//! is compiled as the `ottpay` crate itself, with warnings denied by CI's flags.)

use std::fs;
use std::path::Path;

#[test]
fn mini_spec_goldens() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini.yaml")).unwrap_or_default();
    let files = match ottpay_codegen::generate("tests/fixtures/mini.yaml", &text) {
        Ok(f) => f,
        Err(d) => panic!("mini.yaml should generate:\n{d}"),
    };
    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    insta::assert_debug_snapshot!("mini_files", names);
    for f in &files {
        assert!(ottpay_codegen::is_generated(&f.contents), "{} lacks the @generated line", f.path);
        let name = format!("mini__{}", f.path.replace('/', "__"));
        insta::assert_snapshot!(name, f.contents);
    }
}

#[test]
fn generation_is_deterministic() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml")).unwrap_or_default();
    let a = ottpay_codegen::generate("spec/ottpay.yaml", &text);
    let b = ottpay_codegen::generate("spec/ottpay.yaml", &text);
    assert!(a.is_ok(), "the real spec should generate");
    assert_eq!(a, b);
}
