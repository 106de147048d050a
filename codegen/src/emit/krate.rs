//! The crate's frame: `lib.rs` (landing docs and re-exports), `client.rs` (the client type with a
//! method per endpoint, wrapping the runtime's generic client), `callback.rs` (the typed
//! notification entry points) and `api/service.rs` (the API as the runtime sees it). Imports here
//! are written out, never inferred from the emitted text.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::rust::{doc, ident, module_doc};
use crate::ir::{Credential, Ir, Ty};

/// The name of the type that implements `ottpay_runtime::Api`.
pub const API_TYPE: &str = "OttPay";

/// `generated/src/lib.rs`.
pub fn lib(ir: &Ir) -> TokenStream {
    let mut lines: Vec<String> = ir.guide.clone();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push("# The API".to_owned());
    lines.push(String::new());
    lines.extend(ir.doc.iter().cloned());
    lines.push(String::new());
    lines.push("# Endpoint groups".to_owned());
    lines.push(String::new());
    lines.push("Every type is also re-exported at the crate root.".to_owned());
    lines.push(String::new());
    for (group, eps) in &ir.groups {
        let ids: Vec<String> = eps.iter().map(|e| format!("[`{}`]({})", e.id, e.request.name)).collect();
        lines.push(format!("- [`api::{group}`] – {}", ids.join(", ")));
    }
    let docs = module_doc(&lines);
    let callback_exports = ir.callbacks.first().map(|_| {
        quote! {
            #[cfg(feature = "callback")]
            #[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
            pub use callback::VerifiedPaymentResult;
        }
    });
    quote! {
        #docs
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // The guide links items of the `client` and `callback` features. Without them those links
        // cannot resolve; every link is checked in the build with both (rustdoc on default features
        // in CI, all features on docs.rs).
        #![cfg_attr(not(all(feature = "client", feature = "callback")), allow(rustdoc::broken_intra_doc_links))]

        pub mod api;
        #[cfg(feature = "callback")]
        #[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
        pub mod callback;
        #[cfg(feature = "client")]
        mod client;
        pub mod registry;

        pub use api::*;
        #[cfg(feature = "callback")]
        #[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
        pub use callback::{CallbackError, SignKey};
        #callback_exports
        #[cfg(feature = "client")]
        #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
        pub use client::{Client, ClientBuilder, Error};
        #[cfg(feature = "client")]
        #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
        pub use ottpay_runtime::client::{Backoff, ConfigError, Environment, WithRaw};
        pub use ottpay_runtime::{
            Auth, Cents, Endpoint, ReportedAmount, Retry, Rule, Sensitive, Validate, ValidationErrors, Violation,
            WireFields,
        };
        /// The hand-written runtime this crate is generated against (`ottpay-runtime`).
        pub use ottpay_runtime as runtime;
        /// The HTTP client library, whose types appear in this crate's API
        /// ([`ClientBuilder::http_client`], [`Error`] sources).
        #[cfg(feature = "client")]
        #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
        pub use reqwest;
    }
}

/// `generated/src/client.rs`; the per-endpoint methods are emitted in each group's module.
pub fn client() -> TokenStream {
    let api = ident(API_TYPE);
    let header = module_doc(&[
        "The API client: [`Client`] wraps the runtime's generic client for this API and adds one".to_owned(),
        "method per endpoint (emitted next to each endpoint's types).".to_owned(),
    ]);
    quote! {
        #header

        use ottpay_runtime::Endpoint;
        use ottpay_runtime::client::{FromClient, WithRaw};

        use crate::api::{ErrorCode, #api};

        /// The failure of one call: every variant names the endpoint; API errors carry the
        /// [`ErrorCode`] of the spec's table.
        pub type Error = ottpay_runtime::client::Error<ErrorCode>;

        /// Configures a [`Client`]: environment, credentials, timeouts, retries; start with
        /// [`Client::builder`].
        pub type ClientBuilder = ottpay_runtime::client::ClientBuilder<Client>;

        /// The API client. Cheap to clone; clones share the connection pool and the bearer token.
        ///
        /// Every call validates the request first (nothing invalid is sent), adds the bearer
        /// token where the endpoint needs one (fetched once, cached until shortly before it
        /// expires), posts the JSON body and unwraps the `{status, result}` envelope. See the
        /// [crate docs](crate) for a quick start and the runtime's `client` module for the retry
        /// policy.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: ottpay_runtime::client::Client<#api>,
        }

        impl FromClient for Client {
            type Api = #api;

            fn from_client(inner: ottpay_runtime::client::Client<#api>) -> Self {
                Client { inner }
            }
        }

        impl Client {
            /// A builder with the defaults: production, 10 s connect timeout, 30 s request
            /// timeout, validation on, 3 attempts for safe endpoints, 1 MiB body cap, 60 s token
            /// margin.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL calls go to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// Sends any request of this API and returns the decoded `result`; the per-endpoint
            /// methods call this.
            ///
            /// # Errors
            ///
            /// Every failure is an [`Error`] naming the endpoint (see its variants).
            pub async fn send<E: Endpoint<Api = #api>>(&self, request: &E) -> Result<E::Response, Error> {
                self.inner.send(request).await
            }

            /// Like [`send`](Self::send), but the answer also keeps the `result` object exactly as
            /// received: [`WithRaw::typed`] is what `send` returns, [`WithRaw::raw`] the JSON, and
            /// [`WithRaw::unknown_fields`] lists the members the spec does not know (yet), which the
            /// typed answer drops. Same validation, token handling, retries and errors as `send`.
            ///
            /// The raw JSON is not redacted: it holds sensitive values (tokens, keys) as sent.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            pub async fn send_with_raw<E: Endpoint<Api = #api>>(&self, request: &E) -> Result<WithRaw<E::Response>, Error> {
                self.inner.send_with_raw(request).await
            }
        }
    }
}

/// `generated/src/api/service.rs`: `impl ottpay_runtime::Api`, from the spec's `api:` section.
pub fn service(ir: &Ir) -> TokenStream {
    let a = &ir.api;
    let api = ident(API_TYPE);
    let req = ident(&a.token_request);
    let resp = ident(&a.token_response);
    let production = &a.production;
    let sandbox = match &a.sandbox {
        Some(url) => quote! { Some(#url) },
        None => quote! { None },
    };
    let [status, result, success, error, code, message] = &a.envelope;
    let invalid = Literal::i64_unsuffixed(a.invalid_token_code);
    let args = a.token_args.iter().map(|(cred, ty)| match (cred, ty) {
        (Credential::AppId, Ty::Secret) => quote! { Sensitive::new(app_id.to_owned()) },
        (Credential::AppId, _) => quote! { app_id },
        (Credential::AppKey, Ty::Secret) => quote! { app_key.clone() },
        (Credential::AppKey, _) => quote! { app_key.expose().as_str() },
    });
    let token = ident(&a.token_field);
    let expires = ident(&a.expires_field);
    let header = module_doc(&["The API as the runtime sees it: servers, envelope, token flow and error table, from the spec's `api:` section.".to_owned()]);
    let sdoc = doc(&[
        "The API described by the spec; the runtime's client and every [`Endpoint`](ottpay_runtime::Endpoint) impl of this crate name it.".to_owned(),
        String::new(),
        format!("Production: <{production}>."),
    ]);
    quote! {
        #header

        use ottpay_runtime::{Api, Envelope, Sensitive, TokenAnswer};

        use super::{ErrorCode, #req, #resp};

        #sdoc
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #api;

        impl Api for #api {
            type ErrorCode = ErrorCode;
            type TokenRequest = #req;

            const PRODUCTION_URL: &'static str = #production;
            const SANDBOX_URL: Option<&'static str> = #sandbox;
            const ENVELOPE: Envelope = Envelope {
                status: #status,
                result: #result,
                success: #success,
                error: #error,
                code: #code,
                message: #message,
            };
            const INVALID_TOKEN_CODE: Option<i64> = Some(#invalid);

            fn token_request(app_id: &str, app_key: &Sensitive<String>) -> #req {
                #req::new(#(#args),*)
            }

            fn token_answer(response: &#resp) -> TokenAnswer<'_> {
                TokenAnswer { token: response.#token.as_ref(), expires_at: response.#expires }
            }
        }
    }
}

/// `generated/src/callback.rs`: the runtime's callback scheme, typed with the spec's notification.
pub fn callback(ir: &Ir) -> TokenStream {
    let Some(cb) = ir.callbacks.first() else {
        let header =
            module_doc(&["Callbacks: the spec describes none; the runtime's scheme is re-exported.".to_owned()]);
        return quote! {
            #header
            pub use ottpay_runtime::callback::{ACKNOWLEDGEMENT, CallbackError, MAX_BODY_BYTES, Notification, SignKey, Verified, decode_as, encode, encode_raw};
        };
    };
    let data = ident(&cb.data.name);
    let data_name = &cb.data.name;
    let header = module_doc(&[
        format!("Payment-result callbacks (`{}`): decrypt, verify and type the notification OTT Pay POSTs to", cb.id),
        format!("the merchant's callback URL, as [`{data_name}`]; and build such notifications for tests."),
        String::new(),
        "The scheme (AES-128-ECB with a key derived from the `md5` field and the merchant's signKey, and".to_owned(),
        "an md5 over the decrypted values) is implemented once in `ottpay-runtime`; see".to_owned(),
        "[`ottpay_runtime::callback`] for the order of checks, and what verification proves and what it".to_owned(),
        "does not. In short: check the merchant and the amount, record each payment once, confirm with".to_owned(),
        "the status query, then answer HTTP 200 with [`ACKNOWLEDGEMENT`].".to_owned(),
    ]);
    quote! {
        #header

        pub use ottpay_runtime::callback::{ACKNOWLEDGEMENT, CallbackError, MAX_BODY_BYTES, Notification, SignKey, Verified, encode_raw};

        use crate::api::#data;

        /// A verified notification, its data typed.
        pub type VerifiedPaymentResult = Verified<#data>;

        /// Decodes and verifies a notification from the raw request body.
        ///
        /// # Errors
        ///
        /// One [`CallbackError`] per failed check; none quotes the signKey or decrypted content.
        pub fn decode(body: &[u8], key: &SignKey) -> Result<VerifiedPaymentResult, CallbackError> {
            ottpay_runtime::callback::decode_as(body, key)
        }

        /// Verifies a notification whose outer JSON a web framework has already parsed.
        ///
        /// # Errors
        ///
        /// As [`decode`].
        pub fn decode_notification(outer: &Notification, key: &SignKey) -> Result<VerifiedPaymentResult, CallbackError> {
            ottpay_runtime::callback::decode_notification_as(outer, key)
        }

        /// Builds the body OTT Pay would POST for `data` (for tests and simulators); [`decode`]
        /// with the same key accepts it.
        ///
        /// # Errors
        ///
        /// [`CallbackError::Encode`] if `data` cannot be serialized.
        pub fn encode(data: &#data, merchant_id: &str, key: &SignKey) -> Result<String, CallbackError> {
            ottpay_runtime::callback::encode(data, merchant_id, key)
        }
    }
}

/// `generated/README.md`, the package's readme: the guide as plain Markdown (intra-doc links
/// become code, hidden doctest lines are dropped, fences are marked `rust`).
pub fn readme(ir: &Ir) -> String {
    let mut out =
        String::from("<!-- @generated by `cargo xtask gen` from spec/ottpay.yaml. Do not edit. -->\n# ottpay\n\n");
    let mut in_code = false;
    for line in &ir.guide {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push_str(if in_code {
                "```"
            } else if trimmed == "```" || trimmed.starts_with("```no_run") || trimmed.starts_with("```rust") {
                "```rust"
            } else {
                trimmed
            });
            out.push('\n');
            in_code = !in_code;
            continue;
        }
        if in_code {
            if trimmed == "#" || trimmed.starts_with("# ") {
                continue;
            }
            out.push_str(line);
        } else {
            out.push_str(&plain_links(line));
        }
        out.push('\n');
    }
    out.push_str("\nThe API reference is on docs.rs: <https://docs.rs/ottpay>.\n");
    out
}

/// `` [`X`](target) `` and `` [`X`] `` as `` `X` ``; other links stay.
fn plain_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("[`") {
        let Some(len) = rest[start..].find("`]") else { break };
        let end = start + len;
        out.push_str(&rest[..start]);
        out.push_str(&rest[start + 1..end + 1]);
        rest = &rest[end + 2..];
        if rest.starts_with('(')
            && let Some(close) = rest.find(')')
            && !rest[1..close].contains("://")
        {
            rest = &rest[close + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// `generated/src/registry.rs`: every endpoint with its types, for code that serves or routes
/// them generically (the simulator): a visitor is called once per endpoint with its request type.
pub fn registry(ir: &Ir) -> TokenStream {
    use crate::spec::model::EndpointKind as K;
    let api = ident(API_TYPE);
    let eps: Vec<_> = ir.groups.iter().flat_map(|(g, eps)| eps.iter().map(move |e| (g, e))).collect();
    let infos = eps.iter().map(|(group, ep)| {
        let (id, path) = (&ep.id, &ep.path);
        let kind = ident(match ep.kind {
            K::Token => "Token",
            K::WalletPayment => "WalletPayment",
            K::CardPayment => "CardPayment",
            K::StatusQuery => "StatusQuery",
            K::Refund => "Refund",
            K::Reverse => "Reverse",
            K::Other => "Other",
        });
        let observed = ep.observed;
        quote! { EndpointInfo { id: #id, group: #group, path: #path, kind: EndpointKind::#kind, observed: #observed }, }
    });
    let visits = eps.iter().enumerate().map(|(i, (_, ep))| {
        let req = ident(&ep.request.name);
        quote! { visitor.visit::<crate::api::#req>(&ENDPOINTS[#i]); }
    });
    let header = module_doc(&[
        "Every endpoint of the spec, for code that serves or routes them generically (a simulator, a".to_owned(),
        "proxy, a test harness): [`ENDPOINTS`] describes them; with the `server` feature,".to_owned(),
        "`visit_endpoints` hands each request type to an `EndpointVisitor`. Adding an endpoint to the".to_owned(),
        "spec adds it here.".to_owned(),
    ]);
    quote! {
        #header

        #[cfg(feature = "server")]
        use ottpay_runtime::Endpoint;
        #[cfg(feature = "server")]
        use serde::Serialize;
        #[cfg(feature = "server")]
        use serde::de::DeserializeOwned;

        #[cfg(feature = "server")]
        use crate::api::#api;

        /// What an endpoint does, as the spec states it (`kind:`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum EndpointKind {
            /// Issues bearer tokens.
            Token,
            /// Creates a wallet payment the shopper completes in the wallet.
            WalletPayment,
            /// Charges a card.
            CardPayment,
            /// Reports the state of a payment.
            StatusQuery,
            /// Refunds part or all of a payment.
            Refund,
            /// Voids an authorised card payment.
            Reverse,
            /// Anything else.
            Other,
        }

        /// One endpoint: its id, group, path and kind.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct EndpointInfo {
            /// The spec id (`alipay_wap_pay`), also the client method's name.
            pub id: &'static str,
            /// The group (module) it belongs to.
            pub group: &'static str,
            /// The request URI.
            pub path: &'static str,
            /// What it does.
            pub kind: EndpointKind,
            /// Seen only in third-party code, not on a vendor page.
            pub observed: bool,
        }

        /// Every endpoint, in spec order (the order `visit_endpoints` visits them).
        pub const ENDPOINTS: &[EndpointInfo] = &[#(#infos)*];

        /// Called once per endpoint with its request type `E` (whose `E::Response` is its answer).
        /// Needs the `server` feature: requests deserialize and responses serialize only there.
        #[cfg(feature = "server")]
        #[cfg_attr(docsrs, doc(cfg(feature = "server")))]
        pub trait EndpointVisitor {
            /// Visits one endpoint.
            fn visit<E>(&mut self, info: &'static EndpointInfo)
            where
                E: Endpoint<Api = #api> + DeserializeOwned + Send + Sync + 'static,
                E::Response: Serialize + Default + Send + Sync + 'static;
        }

        /// Hands every endpoint's request type to `visitor`.
        #[cfg(feature = "server")]
        #[cfg_attr(docsrs, doc(cfg(feature = "server")))]
        pub fn visit_endpoints<V: EndpointVisitor>(visitor: &mut V) {
            #(#visits)*
        }
    }
}
