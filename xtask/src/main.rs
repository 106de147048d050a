//! `cargo xtask gen [--check]`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["gen"] => false,
        ["gen", "--check"] => true,
        _ => {
            eprintln!(
                "usage: cargo xtask gen [--check]\n  gen          write generated/ from spec/ottpay.yaml\n  gen --check  write nothing; exit 1 if generated/ differs from the spec"
            );
            return ExitCode::from(2);
        }
    };
    // The workspace is found from the current directory at run time, never from where the
    // xtask binary was compiled (a target directory shared by two clones must not mix them up).
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let Some(root) = xtask::find_root(&cwd) else {
        eprintln!(
            "cannot find the workspace: no folder from {} upwards holds Cargo.toml and {}",
            cwd.display(),
            xtask::SPEC
        );
        return ExitCode::FAILURE;
    };
    match xtask::run(&root, check) {
        Ok(report) => {
            print!("{}", xtask::render(&report, check));
            let drift = !(report.stale.is_empty() && report.orphans.is_empty());
            if (check && drift) || !report.foreign.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
