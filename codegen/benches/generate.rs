//! How long generation of the whole spec takes, against a baseline measured in the same run:
//! parsing the same YAML into an untyped `serde_yaml::Value` (the floor any YAML-driven generator pays).
//!
//! Run: `cargo bench -p ottpay-codegen --bench generate`.

use std::path::Path;

fn main() {
    divan::main();
}

fn spec() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml")).unwrap_or_default()
}

/// Baseline: YAML parse only.
#[divan::bench]
fn baseline_yaml_parse(b: divan::Bencher) {
    let text = spec();
    b.bench(|| serde_yaml::from_str::<serde_yaml::Value>(divan::black_box(&text)).is_ok());
}

/// Load, check, lower, emit and format every file.
#[divan::bench]
fn generate_all_files(b: divan::Bencher) {
    let text = spec();
    b.bench(|| ottpay_codegen::generate("spec/ottpay.yaml", divan::black_box(&text)).map(|f| f.len()).unwrap_or(0));
}
