//! `cargo xtask ...` (the alias in .cargo/config.toml runs this binary): see [`xtask::cli`].

fn main() -> std::process::ExitCode {
    xtask::cli::main()
}
