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

/// The files are built on several threads; the output must not depend on how many, nor on which
/// thread builds which file (each thread keeps its own doc placeholders).
#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml")).unwrap_or_default();
    let ir = match ottpay_codegen::resolve("spec/ottpay.yaml", &text) {
        Ok(ir) => ir,
        Err(d) => panic!("the real spec should resolve:\n{d}"),
    };
    let one = ottpay_codegen::emit::emit_on(&ir, 1).map_err(|e| e.to_string());
    assert!(one.as_ref().is_ok_and(|files| files.len() > 20), "{one:?}");
    for threads in [2, 3, 8] {
        let many = ottpay_codegen::emit::emit_on(&ir, threads).map_err(|e| e.to_string());
        assert!(one == many, "{threads} threads give other files than one");
    }
    // Same when emission repeats on threads that already emitted (no placeholder left over).
    assert!(one == ottpay_codegen::emit::emit_on(&ir, 2).map_err(|e| e.to_string()));
}
