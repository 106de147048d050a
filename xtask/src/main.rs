//! `cargo xtask gen [--check]`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["gen"] => false,
        ["gen", "--check"] => true,
        _ => {
            eprintln!("usage: cargo xtask gen [--check]\n  gen          write generated/ from spec/ottpay.yaml\n  gen --check  write nothing; exit 1 if generated/ differs from the spec");
            return ExitCode::from(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    match xtask::run(&root, check) {
        Ok(report) => {
            print!("{}", xtask::render(&report, check));
            if check && !(report.stale.is_empty() && report.orphans.is_empty()) { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
