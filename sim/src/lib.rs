//! # ottpay-sim
//!
//! A stateful simulator of the OTT Pay e-commerce API, driven by the spec, for offline end-to-end
//! tests: every endpoint of `spec/ottpay.yaml`, payments that live (created, paid in a cashier
//! page or through a 3-D Secure challenge, captured, refunded, reversed), the vendor's error
//! codes on demand, and real encrypted callbacks to the merchant's URL.
//!
//! - As a program: `cargo run -p ottpay-sim` listens on `http://127.0.0.1:8380`
//!   ([`DEFAULT_PORT`]) and prints the demo merchant's credentials.
//! - As a library, in a merchant's own tests: [`Simulator::start`] on a free port, then point the
//!   client at [`Simulator::base_url`] with the credentials of [`Simulator::merchant`].
//!
//! ```no_run
//! use ottpay::{AlipayWapPayRequest, Cents, Client};
//!
//! # async fn test() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = ottpay_sim::Simulator::start().await?;
//! let m = sim.merchant();
//! let client = Client::builder().base_url(sim.base_url()).credentials(m.app_id.as_str(), m.app_key.as_str()).build()?;
//! let answer = client
//!     .alipay_wap_pay(&AlipayWapPayRequest::new(Cents::new(1000), "http://127.0.0.1:3000/cb", "http://127.0.0.1:3000/thanks"))
//!     .await?;
//! let payment_id = answer.payment_id.unwrap_or_default();
//! sim.pay(&payment_id)?; // or open answer.pay_info (the cashier page) in a browser and press Pay
//! # Ok(()) }
//! ```
//!
//! ## How the spec drives it
//!
//! The routes come from `ottpay::registry`, which the generator emits from the spec: one
//! `POST` route per endpoint, served by one generic handler that authenticates, deserializes the
//! body with the endpoint's generated request type, runs its `validate()`, and answers with a
//! result shaped by its generated response type. What an endpoint *does* is keyed by its `kind`
//! in the spec (token, wallet payment, card payment, status query, refund, reverse), never by
//! its id; an endpoint of another kind gets the generic answer. So an endpoint added to the spec
//! is served after `cargo xtask gen` without a change here.
//!
//! ## The payment life
//!
//! | state | `paymentStatus` | `stateCode` | how it gets there |
//! |---|---|---|---|
//! | [`NotPaid`](PaymentState::NotPaid) | `notpay` | `P00001` | a wallet payment call |
//! | [`Challenge`](PaymentState::Challenge) | `init` | `P00001` | a card payment that needs 3-D Secure |
//! | [`Authorised`](PaymentState::Authorised) | `authorised` | `P00002` | an approved card payment |
//! | [`Paid`](PaymentState::Paid) | `success` | `P00003` | the cashier's Pay button; a card payment captured |
//! | [`PartiallyRefunded`](PaymentState::PartiallyRefunded) | `partial_refunded` | `P00005` | a refund of less than what remains |
//! | [`FullyRefunded`](PaymentState::FullyRefunded) | `fully_refunded` | `P00004` | refunds adding up to the amount |
//! | [`Failed`](PaymentState::Failed) | `failure` | `P00008` | the cashier's Fail button |
//! | [`Refused`](PaymentState::Refused) | `orderclosed` | `P00006` | a declined card, a failed challenge |
//! | [`Reversed`](PaymentState::Reversed) | `orderclosed` | `P00007` | a reversal of an authorised card payment |
//! | [`Expired`](PaymentState::Expired) | `orderclosed` | `P00010` | not paid within the order lifetime |
//!
//! Refunds of an unknown payment answer `20019`, of an unpaid or uncaptured one `20021`, of a
//! closed one `20009`, beyond what remains `20014`, of a fully refunded one `20041`. A reversal
//! of a captured payment answers `20020`. Card paths are in the [`cards`](crate#card-payments)
//! table below.
//!
//! ## Card payments
//!
//! The vendor's published test cards (expiry 03/30, CVV 737, Amex 7373; UnionPay 12/29) ask for
//! a 3-D Secure challenge: the answer is `THREEDS_AUTH_CHALLENGE` with an HTML form
//! (`escape3DSChallengeForm`) that posts to the simulator; the password `password` (or `1234`)
//! approves and sends the shopper to `frontURL?paymentId=…&paymentStatus=authorised`. A test
//! card with another expiry or CVV, an expired card, or a cardholder named `DECLINED` is declined
//! (`20030`); `NOT_ENOUGH_BALANCE` gives `20007`, `UNSUPPORTED` `20008`, `TIMEOUT` `50002`,
//! `FAILURE` `50001`, `SYSTEM_ERROR` `50003`, `CHALLENGE` a challenge with any card. Any other
//! Luhn-valid card is approved without a challenge.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod admin;
mod answer;
mod api;
mod behave;
mod callbacks;
mod cards;
mod clock;
mod config;
mod core;
mod error;
mod events;
mod faults;
mod handle;
mod ids;
mod pages;
mod server;
mod state;
mod timefmt;

pub use callbacks::{AttemptOutcome, CallbackAttempt, Delivery, DeliveryState};
pub use clock::Clock;
pub use config::{DEFAULT_PORT, Merchant, SimulatorBuilder};
pub use error::{SimError, StartError};
pub use events::SimEvent;
pub use faults::{Fault, FaultRule};
pub use handle::Simulator;
pub use state::{Family, Payment, PaymentState, Refund};

/// The README's examples, compiled as doctests, so it cannot drift from the crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
