//! # ottpay
//!
//! A typed Rust SDK for the [OTT Pay](https://apidocs.ottpay.com) e-commerce payment API,
//! generated from `spec/ottpay.yaml` by `cargo xtask gen`.
//!
//! - Every endpoint has a request type whose required fields are arguments of `new` (a missing
//!   field is a compile error) and whose optional fields are setters.
//! - [`Validate::validate`] reports every violated constraint at once, each with the JSON pointer
//!   of the field, the rule and what was found; sensitive values are never quoted.
//! - Amounts are [`Cents`]; secrets and card data are [`Sensitive`] and never print.
//! - Response types accept what the server really sends: every field optional, unknown fields
//!   ignored, status enums open.
//!
//! ```
//! use ottpay::{AlipayWapPayRequest, Cents, Validate};
//!
//! let req = AlipayWapPayRequest::new(
//!     Cents::new(1000),
//!     "https://shop.example/ottpay/callback",
//!     "https://shop.example/thanks",
//! )
//! .remark("order 42");
//! assert!(req.validate().is_ok());
//! ```
#![deny(warnings)]

pub mod api;
pub mod runtime;

pub use api::*;
#[cfg(feature = "client")]
pub use runtime::client::{Backoff, Client, ClientBuilder, ConfigError, Environment, Error};
pub use runtime::callback::{self, CallbackError, SignKey, VerifiedPaymentResult};
pub use runtime::endpoint::{Auth, Endpoint, Retry};
pub use runtime::money::{Cents, ReportedAmount};
pub use runtime::secret::Sensitive;
pub use runtime::validate::{Rule, Validate, ValidationErrors, Violation};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
