//! Broken specs: each fixture under tests/fixtures/broken gets a located, readable diagnostic
//! (snapshotted verbatim), the generator returns no files, and no input makes it panic.

#[path = "common/rng.rs"]
mod rng;

use rng::Rng;
use std::fs;
use std::path::Path;

fn diagnose(name: &str) -> String {
    let path = format!("tests/fixtures/broken/{name}.yaml");
    let bytes = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap_or_default();
    // As the xtask reads the spec: bytes, decoded with a located diagnostic when not UTF-8.
    match ottpay_codegen::decode(&path, &bytes).and_then(|text| ottpay_codegen::generate(&path, text)) {
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
    every_structural_problem_in_one_run => "18_many_structural",
    merge_key => "19_merge_key",
    nul_byte => "20_nul_byte",
    not_utf8 => "21_not_utf8",
    bom_tab_and_flow_continuation => "22_bom_tab_flow",
    sdk_rule_mismatch => "23_sdk_rule_mismatch",
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

/// `text` with one to three random single-character deletions, insertions or replacements, the
/// inserted characters being ones that matter to YAML (and a NUL and a BOM).
fn mutate(text: &str, rng: &mut Rng) -> String {
    const INSERT: &[char] = &[
        ' ', '\t', '\n', ':', '-', '{', '}', '[', ']', ',', '"', '\'', '#', '&', '*', '!', '<', '|', '>', 'x', '\0',
        '\u{feff}',
    ];
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(chars.len());
        let c = INSERT[rng.below(INSERT.len())];
        match rng.below(3) {
            0 if !chars.is_empty() => {
                chars.remove(at);
            }
            1 if !chars.is_empty() => chars[at] = c,
            _ => chars.insert(at, c),
        }
    }
    chars.into_iter().collect()
}

/// The real spec and mini.yaml with random single-character edits (seeded, a few hundred cases),
/// fed to both serde_yaml and the locator: no input panics; every diagnostic of an input that has
/// lines has a position; and on every input serde_yaml reads, the locator indexes the whole text
/// (it agrees with the loader rather than stopping early).
#[test]
fn mutated_specs_are_always_located() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = fs::read_to_string(dir.join("../spec/ottpay.yaml")).unwrap_or_default();
    let mini = fs::read_to_string(dir.join("tests/fixtures/mini.yaml")).unwrap_or_default();
    assert!(real.len() > 1000 && mini.len() > 1000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut diagnosed, mut partial) = (0, 0, Vec::new());
    for case in 0..400 {
        let base = if case % 4 == 0 { &real } else { &mini };
        let text = mutate(base, &mut rng);
        let result = std::panic::catch_unwind(|| ottpay_codegen::resolve("spec.yaml", &text).map(|_| ()));
        let Ok(result) = result else {
            panic!("case {case} panicked on:\n{text}");
        };
        match result {
            Ok(()) => accepted += 1,
            Err(d) => {
                diagnosed += 1;
                for d in &d.0 {
                    assert!(
                        d.pos.is_some() || text.trim_start_matches('\u{feff}').trim().is_empty(),
                        "case {case}: no position for\n{d}\nin\n{text}"
                    );
                }
            }
        }
        if serde_yaml::from_str::<serde_yaml::Value>(ottpay_codegen::spec::load::strip_bom(&text)).is_ok()
            && !ottpay_codegen::spec::locate::Locator::new(&text).is_complete()
        {
            partial.push(case);
        }
    }
    assert!(accepted > 0 && diagnosed > 100, "{accepted} accepted, {diagnosed} diagnosed");
    assert!(partial.is_empty(), "serde_yaml reads these cases, the locator stops early: {partial:?}");
}
