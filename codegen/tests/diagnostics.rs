//! Broken specs: each fixture under tests/fixtures/broken gets a located, readable diagnostic
//! (snapshotted verbatim), the generator returns no files, and no input makes it panic.

use std::fs;
use std::path::Path;

fn diagnose(name: &str) -> String {
    let path = format!("tests/fixtures/broken/{name}.yaml");
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap_or_default();
    match ottpay_codegen::generate(&path, &text) {
        Ok(files) => panic!("{path} generated {} files instead of failing", files.len()),
        Err(d) => d.to_string(),
    }
}

macro_rules! broken {
    ($($test:ident => $name:literal,)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!($name, diagnose($name));
        }
    )*};
}

broken! {
    typo_key => "01_typo_key",
    unknown_type => "02_unknown_type",
    duplicate_endpoint_id => "03_duplicate_endpoint_id",
    duplicate_field => "04_duplicate_field",
    error_code_not_in_table => "05_error_code_not_in_table",
    example_breaks_max_length => "06_example_breaks_max_length",
    path_without_slash => "07_path_without_slash",
    rust_name_collision => "08_rust_name_collision",
    yaml_syntax_error => "09_yaml_syntax_error",
    empty_file => "10_empty_file",
    max_length_on_number => "11_max_length_on_number",
    unknown_enum => "12_unknown_enum",
    many_problems_in_one_run => "13_many_problems",
    wrong_value_type => "14_wrong_value_type",
    missing_required_key => "15_missing_required_key",
    duplicate_yaml_key => "16_duplicate_yaml_key",
    nested_type_conflict => "17_nested_type_conflict",
}

/// Every line of the real spec removed in turn, and the spec cut at many points: the generator
/// answers with files or diagnostics, never a panic.
#[test]
fn mangled_specs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml");
    let spec = fs::read_to_string(root).unwrap_or_default();
    assert!(spec.len() > 1000, "the real spec should be readable from the test");
    let lines: Vec<&str> = spec.lines().collect();
    let mut variants: Vec<String> = Vec::new();
    for i in (0..lines.len()).step_by(lines.len() / 60 + 1) {
        let mut l = lines.clone();
        l.remove(i);
        variants.push(l.join("\n"));
        let mut l = lines.clone();
        l[i] = "  - {{{";
        variants.push(l.join("\n"));
    }
    for cut in (0..spec.len()).step_by(spec.len() / 40 + 1) {
        if spec.is_char_boundary(cut) {
            variants.push(spec[..cut].to_owned());
        }
    }
    variants.push("\u{0}\u{feff}".into());
    variants.push("[]".into());
    variants.push("api: 3".into());
    for v in &variants {
        let result = std::panic::catch_unwind(|| ottpay_codegen::generate("spec.yaml", v).map(|f| f.len()));
        match result {
            Ok(Ok(_)) | Ok(Err(_)) => {}
            Err(_) => panic!("the generator panicked on:\n{}", v.chars().take(300).collect::<String>()),
        }
    }
}
