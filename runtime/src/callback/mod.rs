//! Payment-result callbacks: decrypt, verify and type the notification OTT Pay POSTs to the
//! merchant's `callbackURL`, and build such notifications (for tests and simulators).
//!
//! No HTTP stack is involved: hand [`decode_as`] the raw request body and the merchant's
//! [`SignKey`]; answer with [`ACKNOWLEDGEMENT`]. It works with any web framework and with default
//! features off. The generated `ottpay` crate wraps these functions for its typed notification
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
//! # Ok::<(), ottpay_runtime::callback::CallbackError>(())
//! ```

mod crypto;
mod error;
mod key;
mod object;

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use error::CallbackError;
pub use key::SignKey;

use error::bounded;
use object::ObjectError;

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

/// The only `rsp_code` that carries a payment result.
const RSP_CODE_SUCCESS: &str = "SUCCESS";

/// `rsp_msg` written by [`encode`].
const RSP_MSG_SUCCESS: &str = "success";

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

/// A notification that decrypted and passed the md5 check, with its data typed as `T`.
///
/// Its `Debug` shows the merchant id and the sizes only, never decrypted content; log the
/// fields you choose from [`data`](Self::data).
#[derive(Clone, PartialEq)]
pub struct Verified<T> {
    data: T,
    merchant_id: Option<String>,
    md5: String,
    raw_json: String,
}

impl<T> Verified<T> {
    /// The decrypted fields, typed.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The decrypted fields, typed, by value.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The merchant the notification is for: the outer `merchant_id`, or the encrypted one when the
    /// outer field is absent. (When both are present they are equal; decoding checks.)
    /// Compare it with your own merchant ID.
    pub fn merchant_id(&self) -> Option<&str> {
        self.merchant_id.as_deref()
    }

    /// The `md5` field as received: a digest of the content, usable as a dedupe key.
    pub fn md5(&self) -> &str {
        &self.md5
    }

    /// The decrypted JSON exactly as OTT Pay sent it (byte for byte), for an audit log. It contains
    /// payer data; store it accordingly.
    pub fn raw_json(&self) -> &str {
        &self.raw_json
    }
}

impl<T: crate::wire::WireFields> Verified<T> {
    /// The members of the decrypted JSON that `T` does not read (names not in
    /// [`T::WIRE_FIELDS`](crate::wire::WireFields::WIRE_FIELDS)), with their values: what OTT Pay
    /// sent beyond the fields the spec lists. Empty when it sent nothing more. Like
    /// [`raw_json`](Self::raw_json), it may hold payer data.
    pub fn unknown_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let text = self.raw_json.strip_prefix('\u{feff}').unwrap_or(&self.raw_json);
        // Decoding already proved the text a JSON object with distinct keys.
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
        object.into_iter().filter(|(name, _)| !T::WIRE_FIELDS.contains(&name.as_str())).collect()
    }
}

impl<T> fmt::Debug for Verified<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("merchant_id", &self.merchant_id)
            .field("raw_json_bytes", &self.raw_json.len())
            .finish_non_exhaustive()
    }
}

/// Decodes and verifies a payment-result callback from the raw request body, typing the
/// decrypted data as `T`.
///
/// Returns the typed, verified notification, or the first check that failed (see the
/// [module docs](self) for the order). A [`CallbackError::BadPadding`] on every notification
/// almost always means the signKey is wrong.
///
/// **Verification only proves the sender knew your signKey.** Afterwards, check that
/// [`merchant_id`](Verified::merchant_id) is yours and that the amount is what you
/// expected, handle repeats idempotently (dedupe on `order_id`), and confirm with the status query
/// before fulfilling. Then answer HTTP 200 with [`ACKNOWLEDGEMENT`].
///
/// # Errors
/// One [`CallbackError`] variant per failed check; none of them quotes the signKey, the AES key
/// or any decrypted content.
pub fn decode_as<T: DeserializeOwned>(body: &[u8], key: &SignKey) -> Result<Verified<T>, CallbackError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(CallbackError::BodyTooLarge { len: body.len(), max: MAX_BODY_BYTES });
    }
    let json = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let outer: Notification = serde_json::from_slice(json).map_err(|e| {
        let head = body.get(..64).unwrap_or(body);
        CallbackError::NotNotificationJson {
            reason: bounded(&e.to_string(), 160),
            snippet: bounded(&String::from_utf8_lossy(head), 48),
        }
    })?;
    decode_notification_as(&outer, key)
}

/// Verifies a notification whose outer JSON your framework has already parsed.
///
/// Same checks and guidance as [`decode_as`], minus the body size and outer JSON steps.
///
/// # Errors
/// As [`decode_as`].
pub fn decode_notification_as<T: DeserializeOwned>(
    outer: &Notification,
    key: &SignKey,
) -> Result<Verified<T>, CallbackError> {
    let rsp_code = present(&outer.rsp_code, "rsp_code")?;
    if !rsp_code.trim().eq_ignore_ascii_case(RSP_CODE_SUCCESS) {
        return Err(CallbackError::NotSuccess {
            rsp_code: bounded(rsp_code, 64),
            rsp_msg: outer.rsp_msg.as_deref().map(|m| bounded(m, 128)),
        });
    }
    let data = present(&outer.data, "data")?;
    let md5 = present(&outer.md5, "md5")?;

    let ciphertext = decode_base64(data)?;
    let len = ciphertext.len();
    let aes_key = crypto::derive_key(md5, key);
    let plaintext = crypto::decrypt(&aes_key, ciphertext).map_err(|e| match e {
        crypto::DecryptError::Length => CallbackError::CiphertextLength { len },
        crypto::DecryptError::Padding => CallbackError::BadPadding,
    })?;
    let raw_json = String::from_utf8(plaintext)
        .map_err(|e| CallbackError::PlaintextNotUtf8 { valid_up_to: e.utf8_error().valid_up_to() })?;

    let text = raw_json.strip_prefix('\u{feff}').unwrap_or(&raw_json);
    let entries = object::sorted_entries(text).map_err(object_error)?;
    let expected =
        object::digest(&entries).map_err(|e| CallbackError::PlaintextNotJson { line: e.line(), column: e.column() })?;
    let received = md5.trim().to_ascii_uppercase();
    if !bool::from(received.as_bytes().ct_eq(&expected)) {
        return Err(CallbackError::Md5Mismatch);
    }

    let data: T = match serde_json::from_str(text) {
        Ok(data) => data,
        Err(_) => return Err(field_type_error::<T>(&entries)),
    };
    // The encrypted merchant id must be a string when present, whatever `T` makes of it: a number
    // or an object there would otherwise skip the comparison with the outer id.
    let inner_id = match entries.iter().find(|(name, _)| name == Notification::MERCHANT_ID) {
        None => None,
        Some((_, raw)) if object::json_kind(raw) == "null" => None,
        Some((_, raw)) => match serde_json::from_str::<String>(raw.get()) {
            Ok(id) => Some(id),
            Err(_) => {
                return Err(CallbackError::FieldType {
                    field: Notification::MERCHANT_ID.to_owned(),
                    found: object::json_kind(raw),
                });
            }
        },
    };
    if let (Some(outer_id), Some(inner_id)) = (&outer.merchant_id, &inner_id)
        && outer_id != inner_id
    {
        return Err(CallbackError::MerchantMismatch { outer: bounded(outer_id, 64) });
    }
    Ok(Verified { data, merchant_id: outer.merchant_id.clone().or(inner_id), md5: md5.to_owned(), raw_json })
}

/// Builds the JSON body OTT Pay would POST for `data`: `rsp_code` `SUCCESS`, the given outer
/// `merchant_id`, the encrypted `data` and its `md5`. For tests, simulators and replaying a
/// recorded notification; [`decode_as`] with the same key accepts it.
///
/// Absent (`null`) fields are left out of the encrypted JSON, as OTT Pay does.
///
/// # Errors
/// [`CallbackError::Encode`] if `data` cannot be serialized as a JSON object.
pub fn encode<T: Serialize + ?Sized>(data: &T, merchant_id: &str, key: &SignKey) -> Result<String, CallbackError> {
    let encode_err = |e: serde_json::Error| CallbackError::Encode { reason: e.to_string() };
    let mut value = serde_json::to_value(data).map_err(encode_err)?;
    if let serde_json::Value::Object(map) = &mut value {
        map.retain(|_, v| !v.is_null());
    }
    encode_raw(&value.to_string(), merchant_id, key)
}

/// Like [`encode`], but encrypts `plaintext` byte for byte: any JSON object, including fields
/// a typed struct does not know and non-string values. The `md5` is computed from it by the same
/// rule [`decode_as`] checks.
///
/// # Errors
/// [`CallbackError::PlaintextNotJson`], [`CallbackError::PlaintextNotObject`] or
/// [`CallbackError::DuplicateKey`] if `plaintext` is not a JSON object with distinct keys.
pub fn encode_raw(plaintext: &str, merchant_id: &str, key: &SignKey) -> Result<String, CallbackError> {
    let entries = object::sorted_entries(plaintext).map_err(object_error)?;
    let hex = object::digest(&entries).map_err(|e| CallbackError::Encode { reason: e.to_string() })?;
    let md5 = String::from_utf8_lossy(&hex).into_owned();
    let aes_key = crypto::derive_key(&md5, key);
    let ciphertext = crypto::encrypt(&aes_key, plaintext.as_bytes())
        .ok_or_else(|| CallbackError::Encode { reason: "AES padding buffer too small".to_owned() })?;

    let outer = Notification {
        rsp_code: Some(RSP_CODE_SUCCESS.to_owned()),
        rsp_msg: Some(RSP_MSG_SUCCESS.to_owned()),
        merchant_id: Some(merchant_id.to_owned()),
        data: Some(STANDARD.encode(ciphertext)),
        md5: Some(md5),
    };
    serde_json::to_string(&outer).map_err(|e| CallbackError::Encode { reason: e.to_string() })
}

/// The field's value, or `MissingField` if it is absent or blank.
fn present<'a>(field: &'a Option<String>, name: &'static str) -> Result<&'a str, CallbackError> {
    match field.as_deref() {
        Some(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(CallbackError::MissingField { field: name }),
    }
}

/// Standard Base64, padded; line breaks and spaces (as some encoders insert) are ignored.
fn decode_base64(data: &str) -> Result<Vec<u8>, CallbackError> {
    let result = if data.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        STANDARD.decode(compact)
    } else {
        STANDARD.decode(data)
    };
    result.map_err(|e| CallbackError::Base64 { reason: e.to_string() })
}

fn object_error(e: ObjectError) -> CallbackError {
    match e {
        ObjectError::NotJson { line, column } => CallbackError::PlaintextNotJson { line, column },
        ObjectError::NotObject { found } => CallbackError::PlaintextNotObject { found },
        ObjectError::DuplicateKey => CallbackError::DuplicateKey,
    }
}

/// Finds which field made the typed decode fail, without quoting serde's message (it can contain
/// decrypted values): each entry is tried alone.
fn field_type_error<T: DeserializeOwned>(entries: &[object::Entry<'_>]) -> CallbackError {
    for (name, raw) in entries {
        let single = format!("{{{}:{}}}", serde_json::Value::String(name.clone()), raw.get());
        if serde_json::from_str::<T>(&single).is_err() {
            return CallbackError::FieldType { field: bounded(name, 64), found: object::json_kind(raw) };
        }
    }
    CallbackError::FieldType { field: String::new(), found: "object" }
}
