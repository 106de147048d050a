//! Generates a synthetic spec of N endpoints (built from the real one, see
//! `benches/synthetic.rs`) once, in process, and prints the time of each phase. Peak memory:
//!
//! ```text
//! cargo build --release -p ottpay-codegen --example scale
//! /usr/bin/time -v target/release/examples/scale 10000   # "Maximum resident set size"
//! ```

use std::path::Path;
use std::time::Instant;

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(10_000);
    let real = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml"))?;
    let text = synthetic::synthetic(&real, n)?;
    let file = "synthetic.yaml";
    let t = Instant::now();
    let spec = ottpay_codegen::spec::load::load(file, &text).map_err(ottpay_codegen::Diagnostics)?;
    let load = t.elapsed();
    let t = Instant::now();
    let problems = ottpay_codegen::spec::check::check(file, &text, &spec);
    if !problems.is_empty() {
        return Err(ottpay_codegen::Diagnostics(problems).into());
    }
    let check = t.elapsed();
    let t = Instant::now();
    let ir = ottpay_codegen::ir::lower(&spec);
    let lower = t.elapsed();
    let t = Instant::now();
    let files = ottpay_codegen::emit::emit(&ir)?;
    let emit = t.elapsed();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} endpoints ({} KB of spec): load {:.0} ms, check {:.0} ms, lower {:.0} ms, emit {:.0} ms, total {:.0} ms; {} files, {} KB",
        text.len() / 1024,
        ms(load),
        ms(check),
        ms(lower),
        ms(emit),
        ms(load + check + lower + emit),
        files.len(),
        bytes / 1024
    );
    Ok(())
}
