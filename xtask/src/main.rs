//! `cargo run -p xtask -- gen [--check] | diff [...]`: the same command line as `cargo xtask`
//! (see [`xtask::cli`]).

fn main() -> std::process::ExitCode {
    xtask::cli::main()
}
