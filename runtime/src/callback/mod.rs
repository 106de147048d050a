//! Payment-result callbacks: decrypt, verify and type the notification OTT Pay POSTs to the
//! merchant's `callbackURL`, and build such notifications (for tests and simulators).
//!
//! Decrypting, verifying and building notifications need the `callback` feature (on by default),
//! which brings the crypto crates (`aes`, `ecb`, `md-5`, `base64`, `subtle`). Without it this
//! module holds only what describes a notification: its outer body [`Notification`] and the
//! constants [`ACKNOWLEDGEMENT`] and [`MAX_BODY_BYTES`].
//!
//! No HTTP stack is involved: hand [`decode_as`] the raw request body and the merchant's
//! [`SignKey`]; answer with [`ACKNOWLEDGEMENT`]. It works with any web framework and without the
//! `client` feature. The generated `ottpay` crate wraps these functions for its typed notification
//! (`ottpay::callback::decode`).
//!
//! # The scheme
//!
//! The body is JSON: `{"rsp_code":"SUCCESS","rsp_msg":"success","merchant_id":"…","data":"…","md5":"…"}`
//! (a [`Notification`]). `data` is Base64 of AES-128-ECB (PKCS#7) ciphertext; the key is the 16
//! ASCII characters `[8..24]` of the upper-case hex MD5 of (`md5` + signKey). The plaintext is a
//! JSON object, and `md5` must equal the upper-case hex MD5 of its values concatenated in
//! ascending key order. [`decode_as`] checks, in this order: body size, outer JSON, `rsp_code`,
//! Base64, decryption and padding, UTF-8, JSON object, the md5 (in constant time), the field
//! types, and that the outer `merchant_id` agrees with the encrypted one. Each failure is its own
//! [`CallbackError`]. Source: <https://apidocs.ottpay.com/api/integration/callback/> and its
//! Chinese edition <https://apidocs.ottpay.com/zh/api/integration/callback/>.
//!
//! # What verification proves, and what it does not
//!
//! A verified notification proves only that its sender knew the signKey. Before shipping
//! anything:
//!
//! 1. **Check the merchant**: [`Verified::merchant_id`] must be *your* merchant ID.
//! 2. **Check the amount** in the decrypted data against what you charged for that order.
//! 3. **Be idempotent**: OTT Pay may send the same notification again (and will, if you do not
//!    acknowledge it). Dedupe on the payment id (or on [`Verified::md5`]) and treat a repeat as
//!    already handled, answering [`ACKNOWLEDGEMENT`] again.
//! 4. **Confirm with the status query** before fulfilling: the callback is a hint that the state
//!    changed, the status query is the authority.
//!
//! Answer `200` with the body [`ACKNOWLEDGEMENT`] once the notification is *recorded* (not
//! necessarily fulfilled); answer a non-2xx status for anything [`decode_as`] rejects.
//!
//! ```
//! # #[cfg(feature = "callback")]
//! # fn main() -> Result<(), ottpay_runtime::callback::CallbackError> {
//! use ottpay_runtime::callback::{self, SignKey, ACKNOWLEDGEMENT};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Data { order_id: String, merchant_id: String, amount: String }
//!
//! let key = SignKey::new("3F6C1B7E9A2D4C58");
//! # let sent = Data { order_id: "17647123456789012".into(), merchant_id: "ON00000097".into(), amount: "1000".into() };
//! # let body = callback::encode(&sent, "ON00000097", &key)?;
//! // `body`: the raw bytes of the POST request.
//! let verified = callback::decode_as::<Data>(body.as_bytes(), &key)?;
//! assert_eq!(verified.merchant_id(), Some("ON00000097")); // yours?
//! assert_eq!(verified.data().amount, "1000"); // what you charged?
//! // ... record it once per order_id, confirm with the status query, then:
//! let reply: &str = ACKNOWLEDGEMENT; // HTTP 200, text/plain
//! # assert_eq!(reply, "SUCCESS");
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "callback"))]
//! # fn main() {}
//! ```

// Without the `callback` feature the docs here still name the items it adds, and their links do not
// resolve; every link is checked in the builds that have the feature (CI's rustdoc run, docs.rs).
#![cfg_attr(not(feature = "callback"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "callback")]
mod codec;
#[cfg(feature = "callback")]
mod crypto;
#[cfg(feature = "callback")]
mod error;
#[cfg(feature = "callback")]
mod key;
#[cfg(feature = "callback")]
mod object;

use serde::{Deserialize, Serialize};

#[cfg(feature = "callback")]
pub use codec::{Verified, decode_as, decode_notification_as, encode, encode_raw};
#[cfg(feature = "callback")]
pub use error::CallbackError;
#[cfg(feature = "callback")]
pub use key::SignKey;

/// The largest callback body [`decode_as`] reads: 64 KiB. A genuine notification is well under 2 KiB
/// (the vendor's example is 500 bytes); anything bigger is rejected before parsing.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What the merchant answers to a notification it has recorded: HTTP 200 with this plain-text
/// body.
///
/// The acknowledgement is not documented by OTT Pay. Third-party
/// integrations answer either plain `SUCCESS` or `{"rsp_code":"SUCCESS",…}`, both with HTTP 200;
/// a bare `SUCCESS` matches the `rsp_code` convention of the notification itself and of OTT's
/// older API, so it is the safest choice. Any other answer may make OTT Pay send the notification
/// again, which is harmless if your handler is idempotent.
pub const ACKNOWLEDGEMENT: &str = "SUCCESS";

/// The outer JSON body of a notification: the fields the scheme reads, all optional on the wire.
///
/// The generated crate documents the same body from its spec (and checks at generation time that
/// the spec lists exactly [`Notification::WIRE_FIELDS`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Notification {
    /// Notification code: `SUCCESS` for a payment result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rsp_code: Option<String>,
    /// Notification message (`success`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rsp_msg: Option<String>,
    /// The merchant the notification is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<String>,
    /// The payment result JSON, AES-128-ECB encrypted and Base64 encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Upper-case hex MD5 of the decrypted values in ascending key order; also the first half of
    /// the key derivation input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

impl Notification {
    /// The wire names of the outer body's fields, in the order the vendor lists them.
    pub const WIRE_FIELDS: &'static [&'static str] = &["rsp_code", "rsp_msg", "merchant_id", "data", "md5"];

    /// The wire name of the merchant id, outside and inside the encrypted data.
    pub const MERCHANT_ID: &'static str = "merchant_id";
}
