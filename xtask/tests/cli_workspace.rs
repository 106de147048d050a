//! `cargo xtask` runs `xtask/cli`, a launcher in its own small workspace (see its Cargo.toml).
//! These tests keep that workspace in step with the main one: the same package versions (so both
//! build the generator from the same sources into the shared target directory) and the same dev
//! profile (profiles are read from the workspace root, and the generator's speed depends on them),
//! except that the launcher also optimizes syn, quote, proc-macro2 and unicode-ident, which the main
//! workspace must not (its proc macros build on them).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    let path = repo().join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// (name, version, source) of every `[[package]]` of a Cargo.lock.
fn packages(lock: &str) -> BTreeSet<(String, String, String)> {
    let value = |line: &str, key: &str| {
        line.strip_prefix(key)
            .and_then(|v| v.strip_prefix(" = \""))
            .and_then(|v| v.strip_suffix('"'))
            .map(str::to_owned)
    };
    let mut out = BTreeSet::new();
    for block in lock.split("[[package]]").skip(1) {
        let (mut name, mut version, mut source) = (None, None, String::new());
        for line in block.lines() {
            name = name.or_else(|| value(line, "name"));
            version = version.or_else(|| value(line, "version"));
            if let Some(s) = value(line, "source") {
                source = s;
            }
        }
        match (name, version) {
            (Some(n), Some(v)) => {
                out.insert((n, v, source));
            }
            _ => panic!("a [[package]] without name or version:\n{block}"),
        }
    }
    out
}

#[test]
fn the_launcher_locks_the_main_workspace_versions() {
    let main = packages(&read("Cargo.lock"));
    let cli = packages(&read("xtask/cli/Cargo.lock"));
    assert!(cli.iter().any(|(n, _, _)| n == "ottpay-codegen"), "xtask/cli/Cargo.lock does not hold the generator");
    let strays: Vec<_> = cli.iter().filter(|p| p.0 != "xtask-cli" && !main.contains(*p)).collect();
    assert!(
        strays.is_empty(),
        "xtask/cli/Cargo.lock locks versions the main Cargo.lock does not: {strays:?}\n\
         fix: cp Cargo.lock xtask/cli/Cargo.lock && cargo xtask gen"
    );
}

/// The text from the `[profile.dev]` header line to the end (both files end with their profiles).
fn dev_profile(manifest: &str) -> &str {
    manifest.find("\n[profile.dev]\n").map_or("", |i| &manifest[i + 1..])
}

/// What the launcher's profile adds to the main one: opt-level 1 for exactly these packages (the
/// generator's token and syntax-tree crates, which every proc macro also builds on, so the main
/// workspace leaves them at opt-level 0).
const LAUNCHER_ONLY: [&str; 4] = ["\"syn@3\"", "proc-macro2", "quote", "unicode-ident"];

/// The `[profile.dev.package.NAME]` sections of a profile text that set `opt-level = 1`, by NAME.
fn optimized(profile: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut section = None;
    for line in profile.lines() {
        if let Some(name) = line.strip_prefix("[profile.dev.package.").and_then(|l| l.strip_suffix(']')) {
            section = Some(name.to_owned());
        } else if line.starts_with('[') {
            section = None;
        } else if line.replace(' ', "") == "opt-level=1" {
            out.extend(section.clone());
        }
    }
    out
}

#[test]
fn the_launcher_has_the_main_dev_profile_and_optimizes_the_generator() {
    let main = read("Cargo.toml");
    let cli = read("xtask/cli/Cargo.toml");
    let (main, cli) = (dev_profile(&main), dev_profile(&cli));
    assert!(main.contains("[profile.dev.package.prettyplease]"), "the main dev profile has moved");
    assert!(
        cli.starts_with(main),
        "xtask/cli/Cargo.toml must go on with the main Cargo.toml's [profile.dev] sections, verbatim"
    );
    let extra = &cli[main.len()..];
    let expected: BTreeSet<String> = LAUNCHER_ONLY.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(optimized(extra), expected, "after the main sections, the launcher optimizes exactly these");
    // Nothing else in the launcher's own part: comments, blank lines and those sections.
    let stray: Vec<&str> = extra
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("[profile.dev.package."))
        .filter(|l| l.replace(' ', "") != "opt-level=1")
        .collect();
    assert!(stray.is_empty(), "the launcher's own profile part has other settings: {stray:?}");
    // The main workspace leaves them alone: every proc macro of the API's graph builds on them.
    let both: Vec<String> = optimized(main).intersection(&expected).cloned().collect();
    assert!(both.is_empty(), "the main dev profile optimizes {both:?}, which slows every proc macro there");
}

#[test]
fn the_alias_runs_the_launcher_into_the_shared_target_directory() {
    let config = read(".cargo/config.toml");
    let alias = config.lines().find(|l| l.starts_with("xtask = ")).unwrap_or_default();
    assert!(alias.contains("--manifest-path xtask/cli/Cargo.toml"), "{alias}");
    assert!(repo().join("xtask/cli/Cargo.toml").is_file());
    assert!(config.lines().any(|l| l == "target-dir = \"target\""), "build.target-dir must be the main target/");
    let root = read("Cargo.toml");
    assert!(root.contains("exclude = [\"xtask/cli\"]"), "the main workspace must exclude the launcher");
}

/// The distinct `package|features` lines `cargo tree` prints for `spec`, in the graph of
/// `manifest` (normal and build dependencies: the generator's and the proc macros' copies).
fn feature_sets(manifest: &str, spec: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = std::process::Command::new(cargo)
        .current_dir(repo())
        .args(["tree", "--offline", "--manifest-path", manifest, "-e", "normal,build", "--prefix", "none"])
        .args(["-f", "{p}|{f}", "-i", spec])
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo tree: {e}"));
    assert!(out.status.success(), "cargo tree -i {spec} failed: {}", String::from_utf8_lossy(&out.stderr));
    let name = spec.split('@').next().unwrap_or(spec);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with(&format!("{name} v")))
        .map(str::to_owned)
        .collect()
}

/// syn, quote and proc-macro2 are built once for the generator and the proc macros: one set of
/// features each (see the root Cargo.toml). Two sets mean two builds of syn, about 20 s more CPU
/// on a first `cargo xtask gen`.
#[test]
fn the_generator_shares_syn_with_the_proc_macros() {
    for manifest in ["xtask/cli/Cargo.toml", "Cargo.toml"] {
        for spec in ["syn@3", "quote", "proc-macro2"] {
            let sets = feature_sets(manifest, spec);
            assert_eq!(
                sets.len(),
                1,
                "{manifest}: {spec} is built with {} sets of features, {sets:?}; the generator's copy must ask for \
                 the proc macros' features (root Cargo.toml, codegen's build-dependencies)",
                sets.len()
            );
        }
        let syn = feature_sets(manifest, "syn@3");
        assert!(syn.iter().all(|s| s.contains("full")), "{manifest}: prettyplease needs syn's `full`: {syn:?}");
    }
}
