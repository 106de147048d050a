//! Lowering spreads a big spec's endpoints over threads; the IR must not depend on how many.

#[path = "../benches/synthetic.rs"]
mod synthetic;

use std::path::Path;

#[test]
fn the_ir_does_not_depend_on_the_number_of_threads() -> Result<(), Box<dyn std::error::Error>> {
    let real = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml"))?;
    // Enough endpoints to be lowered on threads, and not a multiple of 2 or 3: the slices differ in
    // size and the last one is short.
    let n = ottpay_codegen::ir::PARALLEL_FROM + 45;
    let text = synthetic::synthetic(&real, n)?;
    let spec = ottpay_codegen::spec::load::load("synthetic.yaml", &text).map_err(ottpay_codegen::Diagnostics)?;
    let one = format!("{:?}", ottpay_codegen::ir::lower_on(&spec, 1));
    let endpoints = one.matches("EndpointIr {").count();
    assert_eq!(endpoints, n, "the IR of one thread does not hold every endpoint");
    for threads in [2, 3, 4] {
        let many = format!("{:?}", ottpay_codegen::ir::lower_on(&spec, threads));
        assert!(one == many, "{threads} threads lower the spec to another IR than one");
    }
    Ok(())
}
