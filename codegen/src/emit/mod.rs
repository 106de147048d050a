//! IR -> files. Each Rust emitter returns a file's `rust::Pieces`: tokens, which syn parses, and
//! for what a file has most of (structs and fields, setters, per-field and per-constraint
//! statements) syntax trees built directly (`ast`), so that most of a file is never parsed back.
//! This module prints each file with prettyplease as soon as it is built (one file per job, the
//! jobs spread over a few threads), and sorts the files by path. The other outputs are text:
//! `generated/README.md`, `generated/API.md` ([`markdown`]), `generated/openapi.json` ([`openapi`],
//! schemas by [`schema`]) and `spec/ottpay.schema.json` ([`spec_schema`]), the JSON printed by
//! [`json`] in a fixed member order.

mod ast;
mod endpoint;
mod enums;
mod json;
mod krate;
mod markdown;
mod openapi;
mod rust;
mod schema;
mod spec_schema;
mod tests;
mod types;

pub use schema::{PARTIAL_RULES, cents_pattern};
pub use types::MAX_POSITIONAL;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::GeneratedFile;
use crate::ir::{Ir, Role, StructIr, Ty};
use rust::{Pieces, ident, module_doc};

/// The `use` items of a module: (path, name) pairs, decided from the IR (what the module's items
/// contain), never by scanning emitted text, so prose can never add or remove an import.
type Uses = BTreeSet<(&'static str, String)>;

const RT: &str = "ottpay_runtime";

/// What the structs `s` (and their nested structs) name.
fn struct_uses(s: &StructIr, out: &mut Uses) {
    for one in std::iter::once(s).chain(&s.nested) {
        // the directions derived unconditionally (see `types::structure`)
        if one.role != Role::Request {
            out.insert(("serde", "Deserialize".into()));
        }
        if one.role != Role::Response {
            out.insert(("serde", "Serialize".into()));
        }
        if one.role == Role::Request {
            out.insert((RT, "Pointer".into()));
            out.insert((RT, "Validate".into()));
            out.insert((RT, "Validator".into()));
        }
        for f in &one.fields {
            match &f.ty {
                Ty::Cents { .. } => {
                    out.insert((RT, "Cents".into()));
                }
                Ty::Reported => {
                    out.insert((RT, "ReportedAmount".into()));
                }
                Ty::Secret => {
                    out.insert((RT, "Sensitive".into()));
                }
                Ty::Enum(name) => {
                    out.insert(("super::enums", name.clone()));
                }
                Ty::Nested(_) | Ty::Text | Ty::Int => {}
            }
        }
    }
}

/// `use path::{names};` lines, grouped by path, in a stable order.
fn use_items(uses: &Uses) -> TokenStream {
    let mut by_path: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (path, name) in uses {
        by_path.entry(path).or_default().push(name);
    }
    let lines = by_path.into_iter().map(|(path, names)| {
        let path: TokenStream = path.parse().unwrap_or_default();
        let names = names.into_iter().map(ident);
        quote! { use #path::{#(#names),*}; }
    });
    quote! { #(#lines)* }
}

/// Every file the spec produces, keyed by path relative to the workspace root, sorted by path.
///
/// The files are independent, so they are built on up to [`std::thread::available_parallelism`]
/// threads (at most [`MAX_THREADS`]), each taking the next file from one list, biggest first. The
/// output does not depend on the number of threads (a test compares one thread with several).
pub fn emit(ir: &Ir) -> Result<Vec<GeneratedFile>, syn::Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS));
    emit_on(ir, threads)
}

/// The most threads [`emit`] uses: the real spec is about 0.1 s of work, which more threads would
/// split no further than their start-up costs.
pub const MAX_THREADS: usize = 4;

/// [`emit`] on exactly `threads` threads (1: on the caller's thread, spawning none).
pub fn emit_on(ir: &Ir, threads: usize) -> Result<Vec<GeneratedFile>, syn::Error> {
    emit_timed(ir, threads).map(|(files, _)| files)
}

/// The time one job took: building and printing a file, or one run of a file's items
/// (`path#run`); what `examples/scale.rs` sums per kind of file.
#[derive(Clone, Debug)]
pub struct JobTime {
    /// The file, with `#run` for a run of a Rust file's items.
    pub job: String,
    /// How long it took on its thread.
    pub took: std::time::Duration,
}

/// [`emit_on`], and how long each job took, in job order.
pub fn emit_timed(ir: &Ir, threads: usize) -> Result<(Vec<GeneratedFile>, Vec<JobTime>), syn::Error> {
    let jobs = jobs(ir);
    let results: Vec<Done> = if threads <= 1 || jobs.len() <= 1 {
        jobs.into_iter().map(timed).collect()
    } else {
        // One queue of numbered jobs; each worker takes the next until none is left. (Taking a job
        // cannot panic, so the lock is never poisoned; were it, the queue is still sound.) The
        // caller is one of the workers, so a thread the system refuses only means fewer workers.
        let workers = threads.min(jobs.len());
        let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
        let next = || queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).next();
        let work = || {
            let mut mine = Vec::new();
            while let Some((i, job)) = next() {
                mine.push((i, timed(job)));
            }
            mine
        };
        let mut done: Vec<(usize, Done)> = std::thread::scope(|scope| {
            let others: Vec<_> =
                (1..workers).filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok()).collect();
            let mut done = work();
            // A worker only ends by panicking on a generator bug: re-raise it here.
            for w in others {
                done.extend(w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            done
        });
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    };
    // The first error in job order, so the report does not depend on the threads.
    let mut times = Vec::with_capacity(results.len());
    let mut made = Vec::with_capacity(results.len());
    for (result, took) in results {
        let m = result?;
        let job = match &m {
            Made::File(f) => f.path.clone(),
            Made::Part { path, part, .. } => format!("{path}#{part}"),
        };
        times.push(JobTime { job, took });
        made.push(m);
    }
    let mut out = Vec::new();
    let mut parts: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for m in made {
        match m {
            Made::File(f) => out.push(f),
            Made::Part { path, part, text } => parts.entry(path).or_default().push((part, text)),
        }
    }
    for (path, mut runs) in parts {
        runs.sort_by_key(|(part, _)| *part);
        let text: String = runs.into_iter().map(|(_, t)| t).collect();
        out.push(GeneratedFile { contents: rust::lay_out(&text), path });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, times))
}

/// What a job made, and how long it took.
type Done = (Result<Made, syn::Error>, std::time::Duration);

/// Runs a job, timing it.
fn timed(job: Job<'_>) -> Done {
    let start = std::time::Instant::now();
    let made = run(job);
    (made, start.elapsed())
}

/// What one job makes: a whole file, or a run of a Rust file's top-level items (printed, docs
/// filled in), which [`emit_on`] joins in `part` order and lays out as the file.
enum Made {
    File(GeneratedFile),
    Part { path: String, part: usize, text: String },
}

/// One job: builds and prints a file or a run of a file.
type Job<'a> = Box<dyn FnOnce() -> Result<Made, syn::Error> + Send + 'a>;

/// Runs a job with a fresh set of doc placeholders on this thread.
fn run(job: Job<'_>) -> Result<Made, syn::Error> {
    rust::emit_scope(job)
}

/// A job printing the whole Rust file at `path` from the tokens `build` returns.
fn rust_file<'a, P: Into<Pieces>>(path: String, build: impl FnOnce() -> P + Send + 'a) -> Job<'a> {
    rust_part(path, 0, build)
}

/// A job printing run `part` of the Rust file at `path` (run 0 holds its inner attributes).
fn rust_part<'a, P: Into<Pieces>>(path: String, part: usize, build: impl FnOnce() -> P + Send + 'a) -> Job<'a> {
    Box::new(move || Ok(Made::Part { text: rust::print_pieces(build().into())?, path, part }))
}

/// How many endpoints' tests one run of a whole-API test file holds: runs are printed on any
/// thread, so at 10,000 endpoints the test files spread over the threads like the modules do, and
/// only one run's syntax tree is alive per thread.
const TESTS_PER_RUN: usize = 8;

/// Jobs for a whole-API test file: its start (`head`), then the tests of [`TESTS_PER_RUN`]
/// endpoints per run, in the order of the groups.
fn test_file<'a, P: Into<Pieces> + 'a>(
    ir: &'a Ir,
    path: &str,
    head: impl FnOnce() -> TokenStream + Send + 'a,
    tests: fn(Vec<&'a crate::ir::EndpointIr>) -> P,
) -> Vec<Job<'a>> {
    let endpoints: Vec<&crate::ir::EndpointIr> = ir.groups.values().flatten().collect();
    let mut jobs = vec![rust_part(path.to_owned(), 0, head)];
    for (run, chunk) in endpoints.chunks(TESTS_PER_RUN).enumerate() {
        let chunk = chunk.to_vec();
        jobs.push(rust_part(path.to_owned(), run + 1, move || tests(chunk)));
    }
    jobs
}

/// A job printing the text file at `path`.
fn text_file<'a>(path: &str, build: impl FnOnce() -> String + Send + 'a) -> Job<'a> {
    let path = path.to_owned();
    Box::new(move || Ok(Made::File(GeneratedFile { contents: build(), path })))
}

/// A module's file: its doc, its `use` items, its items.
fn module(doc: Vec<String>, uses: &Uses, body: impl Into<Pieces>) -> Pieces {
    let uses = use_items(uses);
    let doc = module_doc(&doc);
    let mut out = Pieces::from(quote! { #doc #uses });
    out.append(body.into());
    out
}

/// Every output file's job, the biggest (most fields) first, so the last to finish is small.
fn jobs(ir: &Ir) -> Vec<Job<'_>> {
    let mut groups: Vec<(&String, &Vec<crate::ir::EndpointIr>)> = ir.groups.iter().collect();
    let fields = |eps: &Vec<crate::ir::EndpointIr>| -> usize {
        eps.iter()
            .flat_map(|ep| [&ep.request, &ep.response])
            .flat_map(|s| std::iter::once(s).chain(&s.nested))
            .map(|s| s.fields.len())
            .sum()
    };
    groups.sort_by_key(|(name, eps)| (std::cmp::Reverse(fields(eps)), *name));
    let mut jobs: Vec<Job<'_>> = Vec::new();
    let mut groups = groups.into_iter();
    // The biggest group, then the whole-API files, then the other groups and the small files.
    if let Some((group, eps)) = groups.next() {
        jobs.push(group_file(group, eps));
    }
    jobs.push(text_file("generated/openapi.json", || openapi::openapi(ir)));
    jobs.extend(groups.map(|(group, eps)| group_file(group, eps)));
    jobs.push(rust_file("generated/tests/spec_examples.rs".into(), || tests::examples(ir)));
    jobs.extend(test_file(ir, "generated/tests/spec_constraints.rs", tests::constraints, tests::constraint_tests));
    jobs.extend(test_file(ir, "generated/tests/spec_http.rs", || tests::http(ir), tests::http_tests));
    jobs.extend(test_file(ir, "generated/tests/spec_alloc.rs", tests::alloc, tests::alloc_tests));
    jobs.push(text_file("generated/API.md", || markdown::reference(ir)));
    jobs.push(rust_file("generated/src/api/errors.rs".into(), || {
        let fmt: Uses = [("std", "fmt".to_owned())].into_iter().collect();
        module(vec!["The error-code table of the API.".into()], &fmt, enums::error_code(&ir.errors))
    }));
    if !ir.enums.is_empty() {
        jobs.push(rust_file("generated/src/api/enums.rs".into(), || {
            let body = ir.enums.iter().map(enums::open_enum);
            module(
                vec!["Open enums: known values as variants, unknown ones kept in `Unknown`.".into()],
                &[("serde", "Deserialize"), ("serde", "Serialize"), ("serde", "Serializer"), ("std", "fmt")]
                    .into_iter()
                    .map(|(p, n)| (p, n.to_owned()))
                    .collect(),
                quote! { #(#body)* },
            )
        }));
    }
    if !ir.callbacks.is_empty() {
        jobs.push(rust_file("generated/src/api/callbacks.rs".into(), || callbacks(ir)));
    }
    jobs.push(rust_file("generated/src/lib.rs".into(), || krate::lib(ir)));
    jobs.push(rust_file("generated/src/registry.rs".into(), || krate::registry(ir)));
    jobs.push(rust_file("generated/src/api/service.rs".into(), || krate::service(ir)));
    jobs.push(rust_file("generated/src/callback.rs".into(), || krate::callback(ir)));
    jobs.push(rust_file("generated/src/client.rs".into(), krate::client));
    jobs.push(rust_file("generated/src/api/mod.rs".into(), || api_mod(ir)));
    jobs.push(text_file("generated/README.md", || krate::readme(ir)));
    jobs.push(text_file("spec/ottpay.schema.json", spec_schema::spec_schema));
    jobs
}

/// The module of one endpoint group: its request and response types, their `impl Endpoint`, the
/// secret helpers and the client methods.
fn group_file<'a>(group: &'a str, eps: &'a [crate::ir::EndpointIr]) -> Job<'a> {
    rust_file(format!("generated/src/api/{group}.rs"), move || {
        let mut seen = HashSet::new();
        let mut items = Pieces::default();
        for ep in eps {
            items.append(types::structure(&ep.request));
            items.append(nested(&ep.request, &mut seen));
            items.tokens(endpoint::endpoint_impl(ep));
            items.append(types::structure(&ep.response));
            items.append(nested(&ep.response, &mut seen));
        }
        let mut secrets = BTreeMap::new();
        for ep in eps {
            types::secret_uses(&ep.request, &mut secrets);
            types::secret_uses(&ep.response, &mut secrets);
        }
        let secret_fns = types::secret_fns(&secrets);
        let client = endpoint::client_methods(eps);
        let ids: Vec<String> = eps.iter().map(|e| format!("`{}`", e.id)).collect();
        let doc = vec![format!("The `{group}` endpoints: {}.", ids.join(", "))];
        // Every `impl Endpoint` names these (its `ERRORS` is typed `&[ErrorCode]`, even when empty).
        let mut uses: Uses = [
            (RT, "Auth"),
            (RT, "Endpoint"),
            (RT, "Retry"),
            ("super::service", "OttPay"),
            ("super::errors", "ErrorCode"),
        ]
        .into_iter()
        .map(|(p, n)| (p, n.to_owned()))
        .collect();
        for ep in eps {
            struct_uses(&ep.request, &mut uses);
            struct_uses(&ep.response, &mut uses);
        }
        items.tokens(quote! { #secret_fns #client });
        module(doc, &uses, items)
    })
}

/// The notifications' module.
fn callbacks(ir: &Ir) -> Pieces {
    let mut seen = HashSet::new();
    let mut body = Pieces::default();
    for cb in &ir.callbacks {
        body.tokens(types::notification_alias(&cb.body));
        body.append(types::structure(&cb.data));
        body.append(nested(&cb.data, &mut seen));
    }
    let mut callback_uses = Uses::new();
    for cb in &ir.callbacks {
        struct_uses(&cb.data, &mut callback_uses);
    }
    module(
        vec![
            "Notifications OTT Pay POSTs to the merchant (decode them with [`crate::callback::decode`], feature".into(),
            "`callback`).".into(),
        ],
        &callback_uses,
        body,
    )
}

/// `api/mod.rs`: one module per group, each re-exported.
fn api_mod(ir: &Ir) -> TokenStream {
    let mut mods: Vec<&str> = vec!["errors", "service"];
    if !ir.enums.is_empty() {
        mods.push("enums");
    }
    mods.extend(ir.groups.keys().map(String::as_str));
    if !ir.callbacks.is_empty() {
        mods.push("callbacks");
    }
    mods.sort_unstable();
    let decls = mods.iter().map(|m| {
        let m = ident(m);
        quote! { pub mod #m; pub use #m::*; }
    });
    let mut doc = ir.doc.clone();
    doc.extend([
        String::new(),
        "One module per endpoint group; every item is re-exported here and at the crate root.".to_owned(),
    ]);
    let doc = module_doc(&doc);
    quote! { #doc #(#decls)* }
}

/// The nested structs of `s` not yet emitted in this file.
fn nested(s: &StructIr, seen: &mut HashSet<String>) -> Pieces {
    let mut out = Pieces::default();
    for n in s.nested.iter().filter(|n| seen.insert(n.name.clone())) {
        out.append(types::structure(n));
    }
    out
}

#[cfg(test)]
mod tests_in_runs {
    use super::*;

    /// A whole-API test file printed whole: its start and the tests of every endpoint, in one
    /// token stream.
    fn printed_whole<'a, P: Into<Pieces>>(
        ir: &'a Ir,
        head: &dyn Fn() -> TokenStream,
        tests: fn(Vec<&'a crate::ir::EndpointIr>) -> P,
    ) -> Result<String, syn::Error> {
        rust::emit_scope(|| {
            let mut file = Pieces::from(head());
            file.append(tests(ir.groups.values().flatten().collect()).into());
            rust::format(file)
        })
    }

    /// The whole-API test files are printed in runs of [`TESTS_PER_RUN`] endpoints; joined, the runs
    /// must be exactly the file printed whole.
    #[test]
    fn a_file_printed_in_runs_is_the_file_printed_whole() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ottpay.yaml");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let ir = match crate::resolve("spec/ottpay.yaml", &text) {
            Ok(ir) => ir,
            Err(d) => panic!("the real spec should resolve:\n{d}"),
        };
        let endpoints = ir.groups.values().map(Vec::len).sum::<usize>();
        assert!(endpoints > 2 * TESTS_PER_RUN, "the spec no longer spans three runs: {endpoints} endpoints");
        let files = match emit_on(&ir, 2) {
            Ok(files) => files,
            Err(e) => panic!("{e}"),
        };
        let emitted = |path: &str| files.iter().find(|f| f.path == path).map(|f| f.contents.clone());
        let whole = [
            ("generated/tests/spec_constraints.rs", printed_whole(&ir, &tests::constraints, tests::constraint_tests)),
            ("generated/tests/spec_http.rs", printed_whole(&ir, &|| tests::http(&ir), tests::http_tests)),
            ("generated/tests/spec_alloc.rs", printed_whole(&ir, &tests::alloc, tests::alloc_tests)),
        ];
        for (path, whole) in whole {
            let whole = whole.map_err(|e| e.to_string());
            assert!(whole.is_ok(), "{path}: {whole:?}");
            assert!(emitted(path) == whole.ok(), "{path}: printed in runs differs from printed whole");
        }
    }
}
