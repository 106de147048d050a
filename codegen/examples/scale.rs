//! Generates a synthetic spec of N endpoints (built from the real one, see
//! `benches/synthetic.rs`) once, in process, and prints the time of each phase. Peak memory:
//!
//! ```text
//! cargo build --release -p ottpay-codegen --example scale
//! /usr/bin/time -v target/release/examples/scale 10000   # "Maximum resident set size"
//! ```

use std::io::Write as _;
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
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(ottpay_codegen::emit::MAX_THREADS));
    let (files, times) = ottpay_codegen::emit::emit_timed(&ir, threads)?;
    let emit = t.elapsed();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    // Written, not `println!`ed: piped into `head`, the example stops with an error, not a panic.
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{n} endpoints ({} KB of spec): load {:.0} ms, check {:.0} ms, lower {:.0} ms, emit {:.0} ms, total {:.0} ms; {} files, {} KB",
        text.len() / 1024,
        ms(load),
        ms(check),
        ms(lower),
        ms(emit),
        ms(load + check + lower + emit),
        files.len(),
        bytes / 1024
    )?;
    // Where emit's time goes: the jobs' time summed per kind of file (the modules of the API, each
    // other file), on `threads` threads.
    let mut kinds: std::collections::BTreeMap<String, (std::time::Duration, usize)> = Default::default();
    for t in &times {
        let file = t.job.split('#').next().unwrap_or_default();
        let kind = if file.starts_with("generated/src/api/") { "generated/src/api/*.rs (the modules)" } else { file };
        let slot = kinds.entry(kind.to_owned()).or_default();
        slot.0 += t.took;
        slot.1 += 1;
    }
    let total: std::time::Duration = times.iter().map(|t| t.took).sum();
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by_key(|(_, (took, _))| std::cmp::Reverse(*took));
    writeln!(out, "emit on {threads} thread(s): {:.0} ms of jobs", ms(total))?;
    for (kind, (took, jobs)) in kinds {
        writeln!(
            out,
            "  {:>8.0} ms {:>4.1}% {jobs:>5} job(s) {kind}",
            ms(took),
            100.0 * took.as_secs_f64() / total.as_secs_f64()
        )?;
    }
    Ok(())
}
