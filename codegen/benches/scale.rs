//! How generation scales: synthetic specs of 1,000 and 10,000 endpoints built from the real one
//! (see `synthetic.rs`), each loaded, checked, lowered and emitted in process. The ratio
//! t(10k)/t(1k) is 10 for linear generation; a baseline measured in the same run is the real
//! spec's generation (17 endpoints).
//!
//! Run: `cargo bench -p ottpay-codegen --bench scale -- --sample-count 3`. Peak memory is measured
//! on `examples/scale.rs` (see there).

use std::path::Path;

mod synthetic;

fn main() {
    divan::main();
}

fn real() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml")).unwrap_or_default()
}

/// Baseline: the real spec.
#[divan::bench(sample_count = 5)]
fn real_spec(b: divan::Bencher) {
    let text = real();
    b.bench(|| ottpay_codegen::generate("spec/ottpay.yaml", divan::black_box(&text)).map(|f| f.len()).unwrap_or(0));
}

/// Load, check, lower, emit and format every file of a synthetic spec of `n` endpoints.
#[divan::bench(args = [1_000, 10_000], sample_count = 1, sample_size = 1)]
fn synthetic_spec(b: divan::Bencher, n: usize) {
    let text = synthetic::synthetic(&real(), n).unwrap_or_default();
    // A spec that does not generate would time the diagnostics, not the generator.
    assert!(ottpay_codegen::generate("synthetic.yaml", &text).is_ok(), "the synthetic spec of {n} does not generate");
    b.bench(|| ottpay_codegen::generate("synthetic.yaml", divan::black_box(&text)).map(|f| f.len()).unwrap_or(0));
}
