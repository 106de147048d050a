//! Structs: request types with `new`, setters and `Validate`; response and notification types.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ast;
use super::rust::{Pieces, Stmt, doc, ident};
use crate::ir::{Constraint, FieldIr, Role, StructIr, Ty};
use crate::spec::model::Charset;

/// A struct, and for requests its constructor, setters and validation. Nested structs are
/// emitted by the caller, once per file (identical nested objects share one type).
///
/// The struct, its setters and its validation statements are built as syntax trees ([`ast`]); the
/// rest of its impls as tokens.
pub fn structure(s: &StructIr) -> Pieces {
    let name = ident(&s.name);
    // Each type derives the direction a client needs: requests serialize, responses deserialize.
    // The reverse directions only serve the API (the simulator, test servers, faked answers in
    // tests) and are behind the `server` feature: they are a third of what the crate compiles.
    // Requests are strict when deserialized: an unknown field is an error naming it. Responses
    // stay liberal. Notifications go both ways (`callback::encode` and `decode`).
    let derives = match s.role {
        Role::Request => vec![
            ast::list("derive", quote! { Clone, Debug, PartialEq, Serialize }),
            ast::list(
                "cfg_attr",
                quote! { feature = "server", derive(serde::Deserialize), serde(deny_unknown_fields) },
            ),
        ],
        Role::Response => vec![
            ast::list("derive", quote! { Clone, Debug, Default, PartialEq, Deserialize }),
            ast::list("cfg_attr", quote! { feature = "server", derive(serde::Serialize) }),
        ],
        Role::Notification => {
            vec![ast::list("derive", quote! { Clone, Debug, Default, PartialEq, Serialize, Deserialize })]
        }
    };
    let attrs = ast::doc(&s.doc).into_iter().chain(derives).chain([ast::word("non_exhaustive")]).collect();
    let fields = s.fields.iter().map(|f| field(f, s.role));
    let extra = if s.role == Role::Request {
        request_impls(s)
    } else {
        // The wire names it reads, so the members it drops can be listed from the raw JSON
        // (`WithRaw::unknown_fields`, `Verified::unknown_fields`).
        let wires = s.fields.iter().map(|f| &f.wire);
        Pieces::from(quote! {
            impl ottpay_runtime::WireFields for #name {
                const WIRE_FIELDS: &'static [&'static str] = &[#(#wires),*];
            }
        })
    };
    let mut out = Pieces::default();
    out.item(ast::structure(attrs, &s.name, fields));
    out.append(extra);
    out
}

/// The outer body of a callback: the runtime's notification type (the check made sure the spec
/// lists only its fields), documented from the spec.
pub fn notification_alias(s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let mut lines = s.doc.clone();
    lines.push(String::new());
    lines.push("Fields (all optional on the wire):".to_owned());
    for f in &s.fields {
        let first = f.doc.first().cloned().unwrap_or_default();
        lines.push(format!("- `{}`: {first}", f.wire));
    }
    let sdoc = doc(&lines);
    quote! {
        #sdoc
        pub type #name = ottpay_runtime::callback::Notification;
    }
}

/// The name of the module-private function that deserializes the sensitive field `wire`.
pub fn secret_fn(wire: &str, optional: bool) -> String {
    let base = format!("de_secret_{}", heck::ToSnakeCase::to_snake_case(wire));
    if optional { format!("{base}_opt") } else { base }
}

/// The functions behind `secret_fn`, one per (wire name, optionality) used in a module; those
/// only requests use exist with the `server` feature (requests deserialize only there).
pub fn secret_fns(uses: &std::collections::BTreeMap<(String, bool), bool>) -> TokenStream {
    let fns = uses.iter().map(|((wire, opt), requests_only)| {
        let name = ident(&secret_fn(wire, *opt));
        let gate = if *requests_only {
            quote! { #[cfg(feature = "server")] }
        } else {
            quote! {}
        };
        if *opt {
            quote! {
                #gate
                fn #name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Sensitive<String>>, D::Error> {
                    ottpay_runtime::secret::deserialize_optional_field(d, #wire)
                }
            }
        } else {
            quote! {
                #gate
                fn #name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Sensitive<String>, D::Error> {
                    ottpay_runtime::secret::deserialize_field(d, #wire)
                }
            }
        }
    });
    quote! { #(#fns)* }
}

/// The sensitive fields of `s` (and its nested structs) as (wire name, optional) -> whether only
/// requests use it so far.
pub fn secret_uses(s: &StructIr, out: &mut std::collections::BTreeMap<(String, bool), bool>) {
    for one in std::iter::once(s).chain(&s.nested) {
        for f in one.fields.iter().filter(|f| f.ty == Ty::Secret) {
            let request = one.role == Role::Request;
            let entry = out.entry((f.wire.clone(), optional(f, one.role))).or_insert(request);
            *entry &= request;
        }
    }
}

fn optional(f: &FieldIr, role: Role) -> bool {
    role != Role::Request || !f.required
}

fn field(f: &FieldIr, role: Role) -> syn::Field {
    let opt = optional(f, role);
    let mut serde = Vec::new();
    if f.wire != f.rust {
        let wire = &f.wire;
        serde.push(quote! { rename = #wire });
    }
    if let Ty::Cents { string: true } = f.ty {
        let with = if opt { "ottpay_runtime::money::as_string_opt" } else { "ottpay_runtime::money::as_string" };
        serde.push(quote! { with = #with });
        if opt {
            serde.push(quote! { default });
        }
    }
    if f.ty == Ty::Secret {
        // Names the field and never quotes the value when the input has the wrong type.
        let with = secret_fn(&f.wire, opt);
        serde.push(quote! { deserialize_with = #with });
        if opt {
            serde.push(quote! { default });
        }
    }
    if f.ty == Ty::Int && role != Role::Request {
        // Liberal: third-party servers and clients send integers as strings of digits too.
        serde.push(quote! { default, deserialize_with = "ottpay_runtime::lenient::int_opt" });
    }
    if opt {
        serde.push(quote! { skip_serializing_if = "Option::is_none" });
    }
    let mut attrs: Vec<syn::Attribute> = ast::doc(&f.doc).into_iter().collect();
    if !serde.is_empty() {
        attrs.push(ast::list("serde", quote! { #(#serde),* }));
    }
    ast::field(attrs, &f.rust, ast::ty(&f.ty, opt))
}

/// The argument type of a constructor or setter for a field: `impl Into<..>` for the texts.
fn param(t: &Ty) -> syn::Type {
    if converts(t) { ast::impl_into(ast::ty(t, false)) } else { ast::ty(t, false) }
}

fn converts(t: &Ty) -> bool {
    matches!(t, Ty::Text | Ty::Secret)
}

/// Above this many required fields, `new` takes them as a named struct (`<Name>Required`), so
/// two values of one type cannot be swapped silently; a missing one is still a compile error.
pub const MAX_POSITIONAL: usize = 3;

fn request_impls(s: &StructIr) -> Pieces {
    let name = ident(&s.name);
    let required: Vec<&FieldIr> = s.fields.iter().filter(|f| f.required).collect();
    let named = required.len() > MAX_POSITIONAL;
    let listed: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
    let (required_struct, params, inits, new_doc) = if named {
        let rname = ident(&crate::ir::names::required(&s.name));
        let fields = required.iter().map(|f| {
            let fdoc = doc(&f.doc);
            let r = ident(&f.rust);
            let t = ast::ty(&f.ty, false);
            quote! { #fdoc pub #r: #t, }
        });
        let sdoc = format!(
            " The required fields of [`{}`], by name: a struct literal of this type is the argument of [`{}::new`], so every required field is named and none can be left out.",
            s.name, s.name
        );
        let decl = quote! {
            #[doc = #sdoc]
            #[derive(Clone, Debug, PartialEq)]
            pub struct #rname { #(#fields)* }
        };
        let names: Vec<_> = required.iter().map(|f| ident(&f.rust)).collect();
        let inits = s.fields.iter().map(|f| {
            let r = ident(&f.rust);
            if f.required {
                quote! { #r }
            } else {
                quote! { #r: None }
            }
        });
        let inits = quote! { let #rname { #(#names),* } = required; Self { #(#inits),* } };
        let doc = format!(
            " Creates the value from its required fields ({}), named in a [`{}`]; set optional ones with the setters.",
            listed.join(", "),
            crate::ir::names::required(&s.name)
        );
        (decl, quote! { required: #rname }, inits, doc)
    } else {
        let args = required.iter().map(|f| {
            let r = ident(&f.rust);
            let p = param(&f.ty);
            quote! { #r: #p }
        });
        let inits = s.fields.iter().map(|f| {
            let r = ident(&f.rust);
            match (f.required, converts(&f.ty)) {
                (true, true) => quote! { #r: #r.into() },
                (true, false) => quote! { #r },
                (false, _) => quote! { #r: None },
            }
        });
        let doc = if listed.is_empty() {
            " Creates the value; it has no required fields.".to_owned()
        } else {
            format!(
                " Creates the value from its required fields ({}); set optional ones with the setters.",
                listed.join(", ")
            )
        };
        (quote! {}, quote! { #(#args),* }, quote! { Self { #(#inits),* } }, doc)
    };
    let setters = s
        .fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| {
            let first = f.doc.first().cloned().unwrap_or_default();
            let mut lines = vec![format!("Sets the optional `{}`: {first}", f.wire)];
            if !f.sdk_rules.is_empty() {
                let rules: Vec<String> = f.sdk_rules.iter().map(|(c, _)| c.describe()).collect();
                lines.push(String::new());
                lines.push(format!(
                    "Besides OTT Pay's rules, `validate()` checks rules of this SDK's own ({}); the field's docs say why.",
                    rules.join("; ")
                ));
            }
            ast::setter(ast::doc(&lines).into_iter().collect(), &f.rust, param(&f.ty), converts(&f.ty))
        })
        .collect();
    let checks: Vec<Stmt> = s.fields.iter().filter_map(check).collect();
    let (at, v) = if checks.is_empty() { (quote! { _at }, quote! { _v }) } else { (quote! { at }, quote! { v }) };
    let mut out = Pieces::from(required_struct);
    out.impl_with_items(
        quote! {
            impl #name {
                #[doc = #new_doc]
                pub fn new(#params) -> Self {
                    #inits
                }
            }
        },
        setters,
    );
    out.item_with_body(
        quote! {
            impl Validate for #name {
                fn validate_into(&self, #at: &Pointer<'_>, #v: &mut Validator) {}
            }
        },
        checks,
    );
    out
}

/// The validation statement of one field, if it has anything to check: built as a tree
/// ([`ast`]), but for the rare `if let` of an optional nested struct, as tokens.
fn check(f: &FieldIr) -> Option<Stmt> {
    let r = ident(&f.rust);
    let wire = &f.wire;
    let this = || ast::member(ast::var("self"), &f.rust);
    match &f.ty {
        Ty::Nested(_) => Some(if f.required {
            // self.r.validate_into(&at.member(wire), v);
            let at = ast::borrow(ast::method(ast::var("at"), "member", [ast::text(wire)]));
            ast::stmt(ast::method(this(), "validate_into", [at, ast::var("v")])).into()
        } else {
            quote! { if let Some(nested) = &self.#r { nested.validate_into(&at.member(#wire), v); } }.into()
        }),
        Ty::Cents { .. } => {
            let min = f.constraints.iter().find_map(|c| if let Constraint::MinCents(m) = c { Some(*m) } else { None });
            let max = f.constraints.iter().find_map(|c| if let Constraint::MaxCents(m) = c { Some(*m) } else { None });
            let value = if f.required { ast::call("Some", [this()]) } else { this() };
            let min = Literal::u64_unsuffixed(min.unwrap_or(0));
            let max = Literal::u64_unsuffixed(max.unwrap_or(ottpay_runtime::Cents::MAX.get()));
            let args = [ast::var("at"), ast::text(wire), value, ast::lit(min), ast::lit(max)];
            Some(ast::stmt(ast::method(ast::var("v"), "cents", args)).into())
        }
        Ty::Text | Ty::Secret if !f.constraints.is_empty() => {
            let secret = f.ty == Ty::Secret;
            let value = match (secret, f.required) {
                (false, true) => ast::call("Some", [ast::method(this(), "as_str", [])]),
                (false, false) => ast::method(this(), "as_deref", []),
                (true, true) => ast::call("Some", [ast::method(ast::method(this(), "expose", []), "as_str", [])]),
                (true, false) => {
                    let expose = ast::method(ast::method(ast::var("s"), "expose", []), "as_str", []);
                    ast::method(ast::method(this(), "as_ref", []), "map", [ast::closure("s", expose)])
                }
            };
            let mut call = ast::method(
                ast::var("v"),
                if secret { "secret" } else { "text" },
                [ast::var("at"), ast::text(wire), value],
            );
            for c in &f.constraints {
                call = match *c {
                    Constraint::Url => ast::method(call, "url", []),
                    Constraint::Country => ast::method(call, "country", []),
                    Constraint::Mmyy => ast::method(call, "mmyy", []),
                    Constraint::CardNumber => ast::method(call, "card_number", []),
                    Constraint::Cvv => ast::method(call, "cvv", []),
                    Constraint::Email => ast::method(call, "email", []),
                    Constraint::MaxChars(n) => ast::method(call, "max_chars", [ast::lit(Literal::usize_unsuffixed(n))]),
                    Constraint::MinChars(n) => ast::method(call, "min_chars", [ast::lit(Literal::usize_unsuffixed(n))]),
                    Constraint::ExactChars(n) => {
                        ast::method(call, "exact_chars", [ast::lit(Literal::usize_unsuffixed(n))])
                    }
                    Constraint::NoControl => ast::method(call, "no_control", []),
                    Constraint::Charset(c) => {
                        let set = match c {
                            Charset::AlnumDashUnderscore => "AlnumDashUnderscore",
                        };
                        ast::method(call, "charset", [ast::path_expr(&["ottpay_runtime", "Charset", set])])
                    }
                    Constraint::MinCents(_) | Constraint::MaxCents(_) => call,
                };
            }
            Some(ast::stmt(call).into())
        }
        _ => None,
    }
}
