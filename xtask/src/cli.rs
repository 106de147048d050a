//! The command line of `cargo xtask`, shared by the two binaries that run it: `xtask` (this
//! package, `cargo run -p xtask -- ...` from anywhere in the workspace) and `xtask-cli`
//! (`xtask/cli/`, its own small workspace, which the `cargo xtask` alias runs from the repository
//! root so that cargo resolves the generator's ~60 packages instead of the workspace's ~270).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diff;

/// The command line: `gen [--check]` or `diff [...]`, from `std::env::args`.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["gen"] => false,
        ["gen", "--check"] => true,
        ["diff", ..] => return run_diff(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask gen [--check] | cargo xtask diff [...]\n  gen          write generated/ from spec/ottpay.yaml\n  gen --check  write nothing; exit 1 if generated/ differs from the spec\n  diff         what a spec change does to the wire and to Rust code (`cargo xtask diff --help`)"
            );
            return ExitCode::from(2);
        }
    };
    let Some(root) = root() else { return ExitCode::FAILURE };
    match crate::run(&root, check) {
        Ok(report) => {
            print!("{}", crate::render(&report, check));
            let drift = !(report.stale.is_empty() && report.orphans.is_empty());
            if (check && drift) || !report.foreign.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace, found from the current directory at run time, never from where the xtask binary
/// was compiled (a target directory shared by two clones must not mix them up).
fn root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = crate::find_root(&cwd);
    if root.is_none() {
        eprintln!(
            "cannot find the workspace: no folder from {} upwards holds Cargo.toml and {}",
            cwd.display(),
            crate::SPEC
        );
    }
    root
}

/// Exit codes: 0 report printed, 1 `--fail-on` reached, 2 usage error or no diff possible.
fn run_diff(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{}", diff::USAGE);
        return ExitCode::SUCCESS;
    }
    let options = match diff::parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}\n{}", diff::USAGE);
            return ExitCode::from(2);
        }
    };
    if options.rules {
        print!("{}", diff::render::rules(options.format));
        return ExitCode::SUCCESS;
    }
    let Some(root) = root() else { return ExitCode::from(2) };
    let new = options.new.clone().unwrap_or_else(|| diff::Source::File(root.join(crate::SPEC)));
    match diff::Report::of(&root, &options.old, &new) {
        Ok(report) => {
            print!("{}", diff::render::report(&report, options.format));
            if options.fail_on.is_some_and(|t| report.fails(t)) { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
