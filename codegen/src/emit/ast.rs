//! Syntax trees built directly, for what the files have most of: structs and their fields, and
//! the statements repeated per field (validation) and per constraint (the boundary tests).
//!
//! Most emitters build tokens, which [`super::rust::print_pieces`] parses with syn for
//! prettyplease. The structs are about 60% of a module's tokens (a field is its doc, a
//! `#[serde(...)]` attribute, a name and a type), and building their trees here skips that parse.
//! What is built is exactly the tree syn parses from the same tokens, so prettyplease prints the
//! same text: the drift check and the goldens compare every struct and statement of the real spec
//! and of the awkward specs, and the tests below compare each shape with its parsed tokens.

use proc_macro2::{Literal, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{
    AngleBracketedGenericArguments, AttrStyle, Attribute, Block, ClosureModifiers, Expr, ExprArray, ExprAssign,
    ExprCall, ExprClosure, ExprField, ExprLit, ExprMethodCall, ExprPath, ExprReference, Field, FieldModifiers, Fields,
    FieldsNamed, FnArg, FnModifiers, GenericArgument, Generics, ImplItem, ImplItemFn, Item, ItemStruct, Lit, LitStr,
    MacroDelimiter, Member, Meta, MetaList, MetaNameValue, Pat, PatIdent, PatType, Path, PathArguments, PathSegment,
    Receiver, ReceiverKind, ReturnType, Safety, Signature, Stmt, TraitBound, TraitBoundModifiers, Type, TypeImplTrait,
    TypeParamBound, TypePath, Visibility,
};

use super::rust::{doc_placeholder, ident};
use crate::ir::Ty;

/// `#[doc = "..."]` with the placeholder of `lines` (see [`super::rust::doc`]); none for no lines.
pub fn doc(lines: &[String]) -> Option<Attribute> {
    if lines.is_empty() {
        return None;
    }
    let text = doc_placeholder(lines);
    Some(outer(Meta::NameValue(MetaNameValue {
        path: path(&["doc"]),
        eq_token: Default::default(),
        value: Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Str(LitStr::new(&text, Span::call_site())) }),
    })))
}

/// `#[name(tokens)]`: syn keeps an attribute's arguments as tokens, unparsed.
pub fn list(name: &str, tokens: TokenStream) -> Attribute {
    outer(Meta::List(MetaList { path: path(&[name]), delimiter: MacroDelimiter::Paren(Default::default()), tokens }))
}

/// `#[name]`.
pub fn word(name: &str) -> Attribute {
    outer(Meta::Path(path(&[name])))
}

fn outer(meta: Meta) -> Attribute {
    Attribute { pound_token: Default::default(), style: AttrStyle::Outer, bracket_token: Default::default(), meta }
}

/// The path `a::b::c`.
fn path(segments: &[&str]) -> Path {
    Path {
        leading_colon: None,
        segments: segments.iter().map(|s| PathSegment { ident: ident(s), arguments: PathArguments::None }).collect(),
    }
}

/// The type `name` or `name<arg>`.
fn named(name: &str, arg: Option<Type>) -> Type {
    let arguments = match arg {
        None => PathArguments::None,
        Some(t) => PathArguments::AngleBracketed(AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: Punctuated::from_iter([GenericArgument::Type(t)]),
            gt_token: Default::default(),
        }),
    };
    Type::Path(TypePath {
        attrs: Vec::new(),
        qself: None,
        path: Path {
            leading_colon: None,
            segments: Punctuated::from_iter([PathSegment { ident: ident(name), arguments }]),
        },
    })
}

/// The Rust type of a field, in `Option` if `optional`.
pub fn ty(t: &Ty, optional: bool) -> Type {
    let base = match t {
        Ty::Text => named("String", None),
        Ty::Secret => named("Sensitive", Some(named("String", None))),
        Ty::Cents { .. } => named("Cents", None),
        Ty::Reported => named("ReportedAmount", None),
        Ty::Int => named("i64", None),
        Ty::Enum(n) | Ty::Nested(n) => named(n, None),
    };
    if optional { named("Option", Some(base)) } else { base }
}

/// `attrs pub name: ty`.
pub fn field(attrs: Vec<Attribute>, name: &str, ty: Type) -> Field {
    Field {
        attrs,
        vis: Visibility::Public(Default::default()),
        modifiers: FieldModifiers::default(),
        ident: Some(ident(name)),
        colon_token: Some(Default::default()),
        ty,
        default: None,
    }
}

/// `attrs pub struct name { fields }`.
pub fn structure(attrs: Vec<Attribute>, name: &str, fields: impl IntoIterator<Item = Field>) -> Item {
    Item::Struct(ItemStruct {
        attrs,
        vis: Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: ident(name),
        generics: Generics::default(),
        fields: Fields::Named(FieldsNamed { brace_token: Default::default(), named: fields.into_iter().collect() }),
        semi_token: None,
    })
}

/// The expression `name` (a local, `self`, `Some`).
pub fn var(name: &str) -> Expr {
    path_expr(&[name])
}

/// The expression `a::b::c`.
pub fn path_expr(segments: &[&str]) -> Expr {
    Expr::Path(ExprPath { attrs: Vec::new(), qself: None, path: path(segments) })
}

/// A literal expression.
pub fn lit(l: Literal) -> Expr {
    Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::new(l) })
}

/// The string literal `"text"`.
pub fn text(s: &str) -> Expr {
    Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Str(LitStr::new(s, Span::call_site())) })
}

/// `receiver.name(args)`.
pub fn method(receiver: Expr, name: &str, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::MethodCall(ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(name),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `name(args)`.
pub fn call(name: &str, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(ExprCall {
        attrs: Vec::new(),
        func: Box::new(var(name)),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `base.name`.
pub fn member(base: Expr, name: &str) -> Expr {
    Expr::Field(ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: Member::Named(ident(name)),
    })
}

/// `&expr`.
pub fn borrow(expr: Expr) -> Expr {
    Expr::Reference(ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `[elems]`.
pub fn array(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(ExprArray { attrs: Vec::new(), bracket_token: Default::default(), elems: elems.into_iter().collect() })
}

/// `|param| body`.
pub fn closure(param: &str, body: Expr) -> Expr {
    Expr::Closure(ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        modifiers: ClosureModifiers::default(),
        constness: None,
        asyncness: None,
        capture: None,
        inputs_begin: Default::default(),
        inputs: Punctuated::from_iter([Pat::Ident(PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: ident(param),
            subpat: None,
        })]),
        inputs_end: Default::default(),
        output: ReturnType::Default,
        body: Box::new(body),
    })
}

/// `expr;`.
pub fn stmt(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Default::default()))
}

/// `impl Into<inner>`.
pub fn impl_into(inner: Type) -> Type {
    let mut path = path(&["Into"]);
    if let Some(last) = path.segments.last_mut() {
        last.arguments = PathArguments::AngleBracketed(AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: Punctuated::from_iter([GenericArgument::Type(inner)]),
            gt_token: Default::default(),
        });
    }
    Type::ImplTrait(TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: Punctuated::from_iter([TypeParamBound::Trait(TraitBound {
            paren_token: None,
            lifetimes: None,
            modifiers: TraitBoundModifiers::default(),
            maybe: None,
            path,
        })]),
    })
}

/// A builder method of a request:
///
/// ```text
/// attrs
/// pub fn name(mut self, value: param) -> Self {
///     self.name = Some(value);        // or Some(value.into())
///     self
/// }
/// ```
pub fn setter(attrs: Vec<Attribute>, name: &str, param: Type, into: bool) -> ImplItem {
    let value = if into { method(var("value"), "into", []) } else { var("value") };
    let assign = Expr::Assign(ExprAssign {
        attrs: Vec::new(),
        left: Box::new(member(var("self"), name)),
        eq_token: Default::default(),
        right: Box::new(call("Some", [value])),
    });
    let inputs = [
        FnArg::Receiver(Receiver {
            attrs: Vec::new(),
            mutability: Some(Default::default()),
            self_token: Default::default(),
            kind: ReceiverKind::Value,
        }),
        FnArg::Typed(PatType {
            attrs: Vec::new(),
            pat: Box::new(Pat::Ident(PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident: ident("value"),
                subpat: None,
            })),
            colon_token: Default::default(),
            ty: Box::new(param),
        }),
    ];
    ImplItem::Fn(ImplItemFn {
        attrs,
        vis: Visibility::Public(Default::default()),
        modifiers: FnModifiers::default(),
        sig: Signature {
            constness: None,
            asyncness: None,
            safety: Safety::Default,
            abi: None,
            fn_token: Default::default(),
            ident: ident(name),
            generics: Generics::default(),
            paren_token: Default::default(),
            inputs: Punctuated::from_iter(inputs),
            variadic: None,
            output: ReturnType::Type(Default::default(), Box::new(named("Self", None))),
        },
        block: Block { brace_token: Default::default(), stmts: vec![stmt(assign), Stmt::Expr(var("self"), None)] },
    })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::emit::rust::{Pieces, emit_scope, print, print_pieces};

    /// Every shape built here prints as the same tokens parsed by syn would.
    #[test]
    fn built_trees_print_like_parsed_tokens() -> Result<(), syn::Error> {
        let lines = vec!["A doc line with `code`.".to_owned(), String::new(), "Another.".to_owned()];
        let tys = [
            (Ty::Text, quote! { String }),
            (Ty::Secret, quote! { Sensitive<String> }),
            (Ty::Cents { string: true }, quote! { Cents }),
            (Ty::Reported, quote! { ReportedAmount }),
            (Ty::Int, quote! { i64 }),
            (Ty::Enum("PaymentStatus".into()), quote! { PaymentStatus }),
            (Ty::Nested("CardPaymentBilling".into()), quote! { CardPaymentBilling }),
        ];
        for (i, (t, tokens)) in tys.iter().enumerate() {
            for optional in [false, true] {
                let t_tokens = if optional {
                    quote! { Option<#tokens> }
                } else {
                    tokens.clone()
                };
                let serde = quote! { rename = "wireName", skip_serializing_if = "Option::is_none" };
                let parsed = emit_scope(|| {
                    let d = crate::emit::rust::doc(&lines);
                    print(quote! {
                        #d
                        #[derive(Clone, Debug, PartialEq, Serialize)]
                        #[cfg_attr(feature = "server", derive(serde::Deserialize), serde(deny_unknown_fields))]
                        #[non_exhaustive]
                        pub struct Name { #d #[serde(#serde)] pub field_name: #t_tokens, pub plain: String, }
                    })
                })?;
                let built = emit_scope(|| {
                    let field_attrs = doc(&lines).into_iter().chain([list("serde", serde.clone())]).collect();
                    let attrs = doc(&lines)
                        .into_iter()
                        .chain([
                            list("derive", quote! { Clone, Debug, PartialEq, Serialize }),
                            list(
                                "cfg_attr",
                                quote! { feature = "server", derive(serde::Deserialize), serde(deny_unknown_fields) },
                            ),
                            word("non_exhaustive"),
                        ])
                        .collect();
                    let mut pieces = Pieces::default();
                    pieces.item(structure(
                        attrs,
                        "Name",
                        [
                            field(field_attrs, "field_name", ty(t, optional)),
                            field(Vec::new(), "plain", ty(&Ty::Text, false)),
                        ],
                    ));
                    print_pieces(pieces)
                })?;
                assert_eq!(built, parsed, "type {i}, optional {optional}");
            }
        }
        Ok(())
    }

    /// The statement shapes built here print as the same tokens parsed by syn would.
    #[test]
    fn built_statements_print_like_parsed_tokens() -> Result<(), syn::Error> {
        let raw: Literal = match r##"r#""quoted" and \ backslash"#"##.parse() {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let this = || member(var("self"), "field_name");
        let shapes: Vec<(Stmt, TokenStream)> = vec![
            (
                stmt(method(
                    method(
                        method(
                            var("v"),
                            "text",
                            [var("at"), text("wireName"), call("Some", [method(this(), "as_str", [])])],
                        ),
                        "max_chars",
                        [lit(Literal::usize_unsuffixed(128))],
                    ),
                    "no_control",
                    [],
                )),
                quote! { v.text(at, "wireName", Some(self.field_name.as_str())).max_chars(128).no_control(); },
            ),
            (
                stmt(method(
                    method(var("v"), "text", [var("at"), text("w"), method(this(), "as_deref", [])]),
                    "charset",
                    [path_expr(&["ottpay_runtime", "Charset", "AlnumDashUnderscore"])],
                )),
                quote! { v.text(at, "w", self.field_name.as_deref()).charset(ottpay_runtime::Charset::AlnumDashUnderscore); },
            ),
            (
                stmt(method(
                    var("v"),
                    "cents",
                    [
                        var("at"),
                        text("amount"),
                        call("Some", [this()]),
                        lit(Literal::u64_unsuffixed(1)),
                        lit(Literal::u64_unsuffixed(u64::MAX)),
                    ],
                )),
                quote! { v.cents(at, "amount", Some(self.field_name), 1, 18446744073709551615); },
            ),
            (
                stmt(method(
                    method(
                        var("v"),
                        "secret",
                        [
                            var("at"),
                            text("cvv"),
                            method(
                                method(this(), "as_ref", []),
                                "map",
                                [closure("s", method(method(var("s"), "expose", []), "as_str", []))],
                            ),
                        ],
                    ),
                    "cvv",
                    [],
                )),
                quote! { v.secret(at, "cvv", self.field_name.as_ref().map(|s| s.expose().as_str())).cvv(); },
            ),
            (
                stmt(method(
                    this(),
                    "validate_into",
                    [borrow(method(var("at"), "member", [text("nested")])), var("v")],
                )),
                quote! { self.field_name.validate_into(&at.member("nested"), v); },
            ),
            (
                stmt(method(
                    var("cases"),
                    "boundary",
                    [
                        text("/a/b"),
                        text("max_length"),
                        borrow(array([lit(raw.clone()), lit(raw.clone())])),
                        borrow(array([])),
                    ],
                )),
                quote! { cases.boundary("/a/b", "max_length", &[#raw, #raw], &[]); },
            ),
        ];
        for (i, (built, tokens)) in shapes.into_iter().enumerate() {
            let parsed = print(quote! { fn f() { #tokens } })?;
            let mut pieces = Pieces::default();
            pieces.item_with_body(quote! { fn f() {} }, vec![built.into()]);
            assert_eq!(print_pieces(pieces)?, parsed, "shape {i}");
        }
        Ok(())
    }

    /// Setters built here print as the same tokens parsed by syn would.
    #[test]
    fn built_setters_print_like_parsed_tokens() -> Result<(), syn::Error> {
        let lines = vec!["Sets the optional `wire`: a doc line.".to_owned()];
        let shapes = [
            (impl_into(ty(&Ty::Text, false)), true, quote! { impl Into<String> }, quote! { value.into() }),
            (impl_into(ty(&Ty::Secret, false)), true, quote! { impl Into<Sensitive<String>> }, quote! { value.into() }),
            (ty(&Ty::Cents { string: true }, false), false, quote! { Cents }, quote! { value }),
            (ty(&Ty::Enum("PaymentStatus".into()), false), false, quote! { PaymentStatus }, quote! { value }),
        ];
        for (i, (param, into, param_tokens, value)) in shapes.into_iter().enumerate() {
            let parsed = emit_scope(|| {
                let d = crate::emit::rust::doc(&lines);
                print(quote! {
                    impl Name {
                        pub fn new() -> Self { Self { field_name: None } }
                        #d
                        pub fn field_name(mut self, value: #param_tokens) -> Self {
                            self.field_name = Some(#value);
                            self
                        }
                    }
                })
            })?;
            let built = emit_scope(|| {
                let mut pieces = Pieces::default();
                pieces.impl_with_items(
                    quote! { impl Name { pub fn new() -> Self { Self { field_name: None } } } },
                    vec![setter(doc(&lines).into_iter().collect(), "field_name", param, into)],
                );
                print_pieces(pieces)
            })?;
            assert_eq!(built, parsed, "shape {i}");
        }
        Ok(())
    }
}
