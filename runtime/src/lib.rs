//! # ottpay-runtime
//!
//! The hand-written support code of the [`ottpay`](https://docs.rs/ottpay) crate, which is generated
//! from a machine-readable spec of the OTT Pay e-commerce API. Merchants depend on `ottpay`; this
//! crate holds what does not change when the spec does:
//!
//! - [`money`]: [`Cents`] for amounts sent, [`ReportedAmount`] for amounts reported;
//! - [`secret`]: [`Sensitive`], a wrapper whose `Debug` never shows the value;
//! - [`validate`]: the validation rules ([`Rule`]) and the collector ([`Validator`]) that generated
//!   `Validate` impls call, one line per constrained field;
//! - [`endpoint`] and [`api`]: the sans-IO description of an endpoint ([`Endpoint`]) and of the API
//!   it belongs to ([`Api`]: servers, envelope, token flow, error table), implemented by generated
//!   code from the spec;
//! - [`callback`]: decryption and verification of payment-result notifications, generic over the
//!   decrypted type (feature `callback`; without it, only the notification's outer body type and
//!   the constants);
//! - [`wire`]: [`WireFields`], the member names the spec knows for an answer, so the ones it does
//!   not know can be read from the raw JSON;
//! - `client` (feature `client`): one generic HTTP client for every endpoint of an [`Api`].
//!
//! Nothing in this crate names an endpoint or a generated type.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
pub mod callback;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
pub mod endpoint;
pub mod lenient;
pub mod money;
pub mod secret;
pub mod validate;
pub mod wire;

#[cfg(test)]
mod test_api;

pub use api::{Api, ApiCode, Envelope, TokenAnswer};
pub use endpoint::{Auth, Endpoint, Retry};
pub use money::{Cents, ReportedAmount};
pub use secret::Sensitive;
pub use validate::{Charset, Pointer, Rule, Validate, ValidationErrors, Validator, Violation};
pub use wire::WireFields;
