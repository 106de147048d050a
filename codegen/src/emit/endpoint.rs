//! Per endpoint: its `Endpoint` impl (sans-IO description) and its one-line client method.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident};
use crate::ir::EndpointIr;

/// The `Endpoint` impl of an endpoint's request type.
pub fn endpoint_impl(ep: &EndpointIr) -> TokenStream {
    let req = ident(&ep.request.name);
    let resp = ident(&ep.response.name);
    let api = ident(super::krate::API_TYPE);
    let id = &ep.id;
    let path = &ep.path;
    let auth = if ep.bearer {
        quote! { Auth::Bearer }
    } else {
        quote! { Auth::None }
    };
    let retry = if ep.retry_safe {
        quote! { Retry::Safe }
    } else {
        quote! { Retry::Never }
    };
    let errors = ep.errors.iter().map(|e| {
        let e = ident(e);
        quote! { ErrorCode::#e }
    });
    quote! {
        impl Endpoint for #req {
            type Api = #api;
            type Response = #resp;
            const ID: &'static str = #id;
            const METHOD: &'static str = "POST";
            const PATH: &'static str = #path;
            const AUTH: Auth = #auth;
            const RETRY: Retry = #retry;
            const ERRORS: &'static [ErrorCode] = &[#(#errors),*];
        }
    }
}

/// The client methods of a group's endpoints, behind the `client` feature.
pub fn client_methods(eps: &[EndpointIr]) -> TokenStream {
    let methods = eps.iter().map(|ep| {
        let m = ident(&ep.id);
        let req = ident(&ep.request.name);
        let resp = ident(&ep.response.name);
        let retry = if ep.retry_safe {
            "Retry: read-only, so transport errors, timeouts and 5xx answers are retried with bounded backoff."
        } else {
            "Retry: never retried automatically once the request may have reached the server, so it cannot move money twice. When the error's `is_outcome_unknown()` is true (a timeout, a connection broken after sending, a 5xx), the request may have been processed: find out before sending it again."
        };
        let errors = if ep.errors.is_empty() {
            "Documented error codes: none listed.".to_owned()
        } else {
            format!("Documented error codes: {}.", ep.errors.iter().map(|e| format!("[`ErrorCode::{e}`]")).collect::<Vec<_>>().join(", "))
        };
        let mut lines = vec![
            format!("{} See [`{req}`].", crate::ir::docs::sanitize(&ep.summary)),
            String::new(),
            format!("Validates the request first (an invalid request is never sent), then sends `POST {}`.", ep.path),
            String::new(),
            retry.to_owned(),
            String::new(),
            errors,
        ];
        if ep.observed {
            lines.extend([
                String::new(),
                "**Not documented by OTT Pay.** This endpoint's path and answer come from third-party client code, not from the vendor's pages: expect differences, and check the answer you get.".to_owned(),
            ]);
        }
        if !ep.known_gap.is_empty() {
            lines.extend([String::new(), format!("# {}", crate::ir::KNOWN_GAP_HEAD), String::new()]);
            lines.extend(ep.known_gap.iter().cloned());
        }
        if !ep.unknown_outcome.is_empty() {
            lines.extend([String::new(), "# If the outcome is unknown".to_owned(), String::new()]);
            lines.extend(ep.unknown_outcome.iter().cloned());
        }
        let mdoc = doc(&lines);
        quote! {
            #mdoc
            pub async fn #m(&self, request: &#req) -> Result<#resp, crate::Error> {
                self.send(request).await
            }
        }
    });
    quote! {
        #[cfg(feature = "client")]
        #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
        impl crate::Client {
            #(#methods)*
        }
    }
}
