//! IR -> files. Each Rust emitter returns tokens; this module formats each file with prettyplease
//! as soon as its tokens are built, and sorts the files by path. The other outputs are text:
//! `generated/README.md`, `generated/API.md` ([`markdown`]), `generated/openapi.json` ([`openapi`],
//! schemas by [`schema`]) and `spec/ottpay.schema.json` ([`spec_schema`]), the JSON printed by
//! [`json`] in a fixed member order.

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
use rust::{ident, module_doc};

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

/// Every file the spec produces, keyed by path relative to the workspace root.
pub fn emit(ir: &Ir) -> Result<Vec<GeneratedFile>, syn::Error> {
    rust::emit_scope(|| files(ir))
}

fn files(ir: &Ir) -> Result<Vec<GeneratedFile>, syn::Error> {
    // Each file is formatted as soon as its tokens are built, so only one file's tokens (several
    // times the size of its text) are alive at a time.
    let mut files = Files::default();
    let module = |doc: Vec<String>, uses: &Uses, body: TokenStream| {
        let uses = use_items(uses);
        let doc = module_doc(&doc);
        quote! { #doc #uses #body }
    };
    let fmt: Uses = [("std", "fmt".to_owned())].into_iter().collect();

    files.insert(
        "generated/src/api/errors.rs",
        module(vec!["The error-code table of the API.".into()], &fmt, enums::error_code(&ir.errors)),
    )?;
    if !ir.enums.is_empty() {
        let body = ir.enums.iter().map(enums::open_enum);
        files.insert(
            "generated/src/api/enums.rs",
            module(
                vec!["Open enums: known values as variants, unknown ones kept in `Unknown`.".into()],
                &[("serde", "Deserialize"), ("serde", "Serialize"), ("serde", "Serializer"), ("std", "fmt")]
                    .into_iter()
                    .map(|(p, n)| (p, n.to_owned()))
                    .collect(),
                quote! { #(#body)* },
            ),
        )?;
    }
    for (group, eps) in &ir.groups {
        let mut seen = HashSet::new();
        let items: Vec<TokenStream> = eps
            .iter()
            .map(|ep| {
                let req = types::structure(&ep.request);
                let req_nested = nested(&ep.request, &mut seen);
                let resp = types::structure(&ep.response);
                let resp_nested = nested(&ep.response, &mut seen);
                let imp = endpoint::endpoint_impl(ep);
                quote! { #req #req_nested #imp #resp #resp_nested }
            })
            .collect();
        let mut secrets = BTreeMap::new();
        for ep in eps.iter() {
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
        files.insert(
            &format!("generated/src/api/{group}.rs"),
            module(doc, &uses, quote! { #(#items)* #secret_fns #client }),
        )?;
    }
    if !ir.callbacks.is_empty() {
        let mut seen = HashSet::new();
        let body: Vec<TokenStream> = ir
            .callbacks
            .iter()
            .map(|cb| {
                let b = types::notification_alias(&cb.body);
                let d = types::structure(&cb.data);
                let dn = nested(&cb.data, &mut seen);
                quote! { #b #d #dn }
            })
            .collect();
        let mut callback_uses = Uses::new();
        for cb in &ir.callbacks {
            struct_uses(&cb.data, &mut callback_uses);
        }
        files.insert(
            "generated/src/api/callbacks.rs",
            module(
                vec![
                    "Notifications OTT Pay POSTs to the merchant (decode them with [`crate::callback::decode`])."
                        .into(),
                ],
                &callback_uses,
                quote! { #(#body)* },
            ),
        )?;
    }
    files.insert("generated/src/api/service.rs", krate::service(ir))?;
    files.insert("generated/src/lib.rs", krate::lib(ir))?;
    files.insert("generated/src/client.rs", krate::client())?;
    files.insert("generated/src/callback.rs", krate::callback(ir))?;
    files.insert("generated/src/registry.rs", krate::registry(ir))?;

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
    files.insert("generated/src/api/mod.rs", quote! { #doc #(#decls)* })?;

    files.insert("generated/tests/spec_examples.rs", tests::examples(ir))?;
    files.insert("generated/tests/spec_constraints.rs", tests::constraints(ir))?;
    files.insert("generated/tests/spec_http.rs", tests::http(ir))?;
    files.insert("generated/tests/spec_alloc.rs", tests::alloc(ir))?;

    let mut out = files.0;
    out.push(GeneratedFile { path: "generated/README.md".into(), contents: krate::readme(ir) });
    out.push(GeneratedFile { path: "generated/openapi.json".into(), contents: openapi::openapi(ir) });
    out.push(GeneratedFile { path: "generated/API.md".into(), contents: markdown::reference(ir) });
    out.push(GeneratedFile { path: "spec/ottpay.schema.json".into(), contents: spec_schema::spec_schema() });
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The Rust files, formatted.
#[derive(Default)]
struct Files(Vec<GeneratedFile>);

impl Files {
    /// Formats `tokens` as the file at `path`.
    fn insert(&mut self, path: &str, tokens: TokenStream) -> Result<(), syn::Error> {
        self.0.push(GeneratedFile { path: path.to_owned(), contents: rust::format(tokens)? });
        Ok(())
    }
}

/// The nested structs of `s` not yet emitted in this file.
fn nested(s: &StructIr, seen: &mut HashSet<String>) -> TokenStream {
    let items = s.nested.iter().filter(|n| seen.insert(n.name.clone())).map(types::structure);
    quote! { #(#items)* }
}
