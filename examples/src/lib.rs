//! Example programs of the `ottpay` crate live in `examples/` beside this file:
//!
//! - `alipay_wap_pay`: takes an Alipay payment from a mobile browser and prints the pay link (against
//!   the simulator, `cargo run -p ottpay-sim`, unless given a base URL);
//! - `axum_callback`: an axum handler that verifies OTT Pay's payment-result callbacks.
//!
//! This library only runs the repository README's code blocks as doctests, so the README cannot
//! drift from the crate it documents.

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
