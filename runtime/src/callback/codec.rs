//! The scheme in both directions: [`decode_as`] and [`decode_notification_as`] decrypt and verify
//! a notification into a [`Verified`]; [`encode`] and [`encode_raw`] build one. Needs the `callback`
//! feature (the crypto crates); the parent module re-exports everything public here.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{CallbackError, bounded};
use super::key::SignKey;
use super::object::{self, ObjectError};
use super::{MAX_BODY_BYTES, Notification, crypto};

/// The only `rsp_code` that carries a payment result.
const RSP_CODE_SUCCESS: &str = "SUCCESS";

/// `rsp_msg` written by [`encode`].
const RSP_MSG_SUCCESS: &str = "success";

/// A notification that decrypted and passed the md5 check, with its data typed as `T`.
///
/// Its `Debug` shows the merchant id and the sizes only, never decrypted content; log the
/// fields you choose from [`data`](Self::data).
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
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
/// [module docs](crate::callback) for the order). A [`CallbackError::BadPadding`] on every notification
/// almost always means the signKey is wrong.
///
/// **Verification only proves the sender knew your signKey.** Afterwards, check that
/// [`merchant_id`](Verified::merchant_id) is yours and that the amount is what you
/// expected, handle repeats idempotently (dedupe on `order_id`), and confirm with the status query
/// before fulfilling. Then answer HTTP 200 with [`ACKNOWLEDGEMENT`](super::ACKNOWLEDGEMENT).
///
/// # Errors
/// One [`CallbackError`] variant per failed check; none of them quotes the signKey, the AES key
/// or any decrypted content.
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
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
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
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
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
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
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
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
