//! [`CallbackError`]: every way a payment-result callback can fail to decode or verify.

use thiserror::Error;

/// Why a payment-result callback was rejected (or could not be built).
///
/// Variants come in the order the checks run. None of them carries the signKey, the derived AES
/// key or any decrypted content: the texts quote at most a bounded snippet of the *outer* body,
/// which is ciphertext and public metadata only.
///
/// [`is_verification_failure`](Self::is_verification_failure) groups the variants that mean "this
/// was not produced with your signKey": a forged or tampered notification, or a misconfigured
/// signKey. Answer those with a non-2xx status and never fulfil anything.
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackError {
    /// The body is larger than [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES); nothing was parsed.
    #[error("callback body is {len} bytes, more than the {max} accepted")]
    BodyTooLarge {
        /// Size of the body received.
        len: usize,
        /// The limit.
        max: usize,
    },

    /// The body is not the outer JSON object (`rsp_code`, `rsp_msg`, `merchant_id`, `data`, `md5`).
    #[error("callback body is not the notification JSON: {reason} (body starts {snippet:?})")]
    NotNotificationJson {
        /// serde's message (with line and column), shortened to a bounded length.
        reason: String,
        /// The first characters of the body.
        snippet: String,
    },

    /// A field the notification needs (`rsp_code`, `data` or `md5`) is absent or empty.
    #[error("callback body has no `{field}`")]
    MissingField {
        /// Wire name of the field.
        field: &'static str,
    },

    /// `rsp_code` is not `SUCCESS`, so there is no payment result to act on.
    #[error("callback rsp_code is {rsp_code:?} (rsp_msg {rsp_msg:?}), not \"SUCCESS\"")]
    NotSuccess {
        /// The `rsp_code` received (shortened if long).
        rsp_code: String,
        /// The `rsp_msg` received, if any (shortened if long).
        rsp_msg: Option<String>,
    },

    /// `data` is not valid standard Base64.
    #[error("callback `data` is not valid Base64: {reason}")]
    Base64 {
        /// What the decoder found.
        reason: String,
    },

    /// The decoded ciphertext is empty or not a whole number of 16-byte AES blocks.
    #[error("callback ciphertext is {len} bytes, not a positive multiple of 16")]
    CiphertextLength {
        /// Length of the decoded ciphertext.
        len: usize,
    },

    /// The decrypted data does not end in valid PKCS#7 padding.
    ///
    /// With a well-formed ciphertext this almost always means **the signKey is wrong** (or the
    /// `md5` field, from which the AES key is derived, was altered): a wrong key yields random
    /// bytes, which end in valid padding only about once in 256 tries. Check the signKey first.
    #[error("callback did not decrypt (bad padding): wrong signKey, or data/md5 altered")]
    BadPadding,

    /// The decrypted bytes are not UTF-8 (a wrong key or altered ciphertext that still unpadded).
    #[error("decrypted callback is not UTF-8 (valid up to byte {valid_up_to}): wrong signKey or altered data")]
    PlaintextNotUtf8 {
        /// Length of the longest valid UTF-8 prefix.
        valid_up_to: usize,
    },

    /// The decrypted text is not JSON.
    #[error("decrypted callback is not JSON (syntax error at line {line} column {column})")]
    PlaintextNotJson {
        /// Line of the syntax error (1-based).
        line: usize,
        /// Column of the syntax error (1-based).
        column: usize,
    },

    /// The decrypted text is JSON but not an object.
    #[error("decrypted callback is a JSON {found}, not an object")]
    PlaintextNotObject {
        /// The kind of JSON value found (`array`, `string`, ...).
        found: &'static str,
    },

    /// The decrypted object has the same key twice, so its digest would be ambiguous.
    #[error("decrypted callback repeats a key")]
    DuplicateKey,

    /// The MD5 over the decrypted values does not equal the `md5` field: the data or the md5 was
    /// tampered with. Do not act on it.
    #[error("callback md5 does not match its decrypted content: data or md5 tampered with")]
    Md5Mismatch,

    /// A decrypted field has a JSON type other than the one the notification type expects.
    #[error("decrypted callback field `{field}` has the wrong type (found {found})")]
    FieldType {
        /// Wire name of the field (a field of the decrypted type).
        field: String,
        /// The kind of JSON value found.
        found: &'static str,
    },

    /// The outer `merchant_id` differs from the `merchant_id` inside the verified data.
    #[error("callback merchant_id {outer:?} differs from the merchant_id inside the encrypted data")]
    MerchantMismatch {
        /// The outer (unencrypted) `merchant_id`.
        outer: String,
    },

    /// Building a notification failed (encoder only; not expected with the crate's own types).
    #[error("could not build the callback notification: {reason}")]
    Encode {
        /// What went wrong.
        reason: String,
    },
}

impl CallbackError {
    /// True when the body was well-formed but did not verify under the signKey given: a wrong
    /// signKey, or a forged or tampered notification. (False for size, shape, `rsp_code` and
    /// Base64 problems, which say nothing about who sent the body.)
    pub fn is_verification_failure(&self) -> bool {
        matches!(
            self,
            Self::CiphertextLength { .. }
                | Self::BadPadding
                | Self::PlaintextNotUtf8 { .. }
                | Self::PlaintextNotJson { .. }
                | Self::PlaintextNotObject { .. }
                | Self::DuplicateKey
                | Self::Md5Mismatch
                | Self::MerchantMismatch { .. }
        )
    }
}

/// `text` cut to at most `max` characters, with `…` when something was cut.
pub(super) fn bounded(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
