//! Generates a synthetic spec of N endpoints (built from the real one, see
//! `benches/synthetic.rs`) once, in process, and prints the time of each phase. Peak memory:
//!
//! ```text
//! cargo build --release -p ottpay-codegen --example scale
//! /usr/bin/time -v target/release/examples/scale 10000   # "Maximum resident set size"
//! ```
//!
//! `scale ratio [ROUNDS]` generates 1,000 and 10,000 endpoints alternately, ROUNDS times each
//! (default 3), and prints t(10k)/t(1k) from the medians: alternating keeps a machine whose speed
//! drifts from skewing the ratio.

use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

#[path = "../benches/synthetic.rs"]
mod synthetic;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let real = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml"))?;
    let arg = std::env::args().nth(1);
    if arg.as_deref() == Some("ratio") {
        let rounds: usize = std::env::args().nth(2).map(|a| a.parse()).transpose()?.unwrap_or(3);
        return ratio(&real, rounds.max(1));
    }
    let n: usize = arg.map(|a| a.parse()).transpose()?.unwrap_or(10_000);
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

/// t(10k)/t(1k) from `rounds` alternating runs of each (the whole of [`ottpay_codegen::generate`]).
fn ratio(real: &str, rounds: usize) -> Result<(), Box<dyn std::error::Error>> {
    let sizes = [1_000, 10_000];
    let texts = sizes.map(|n| synthetic::synthetic(real, n));
    let mut times: [Vec<f64>; 2] = Default::default();
    let mut out = std::io::stdout().lock();
    for round in 0..rounds {
        for (i, text) in texts.iter().enumerate() {
            let text = text.as_ref().map_err(|e| e.to_string())?;
            let t = Instant::now();
            let files = ottpay_codegen::generate("synthetic.yaml", text)?;
            let took = t.elapsed().as_secs_f64();
            drop(files);
            writeln!(out, "round {}: {} endpoints in {took:.3} s", round + 1, sizes[i])?;
            times[i].push(took);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [small, big] = &mut times;
    let (small, big) = (median(small), median(big));
    writeln!(out, "medians: 1k {small:.3} s, 10k {big:.3} s; t(10k)/t(1k) = {:.2}", big / small)?;
    Ok(())
}
