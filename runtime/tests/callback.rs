//! Payment-result callbacks, tested against the runtime alone: the project's reference vector
//! (section 8 of the API reference), the vendor's own published notification, one test per
//! rejection with its own error, redaction, and an encode -> decode property test.
//!
//! The decrypted data is typed with [`PaymentData`], a test-only struct with the shape of the
//! generated crate's `PaymentResultData` (the runtime does not depend on the generated crate).
//!
//! Ciphertexts for the failure cases are built here with the RustCrypto crates directly, not with
//! the crate's encoder, so the tests also check the crate against an independent implementation.

use aes::Aes128;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ecb::cipher::block_padding::{NoPadding, Pkcs7};
use ecb::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit};
use md5::{Digest, Md5};
use ottpay_runtime::callback::{self, ACKNOWLEDGEMENT, CallbackError, MAX_BODY_BYTES, Notification, SignKey, Verified};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The decrypted fields of a `payment_result` notification: the same shape as the generated
/// crate's `PaymentResultData` (every field an optional string, absent fields not serialized,
/// unknown fields ignored, `sub_openId` on the wire).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct PaymentData {
    #[serde(skip_serializing_if = "Option::is_none")]
    finish_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merchant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bizpay_order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exchange_rate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sale_num: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    convenience_fee: Option<String>,
    #[serde(rename = "sub_openId", skip_serializing_if = "Option::is_none")]
    sub_open_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

impl ottpay_runtime::WireFields for PaymentData {
    const WIRE_FIELDS: &'static [&'static str] = &[
        "finish_time",
        "merchant_id",
        "order_id",
        "order_status",
        "amount",
        "tip",
        "bizpay_order_id",
        "remarks",
        "exchange_rate",
        "sale_num",
        "convenience_fee",
        "sub_openId",
        "reference",
    ];
}

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SIGN_KEY: &str = "3F6C1B7E9A2D4C58";
const AES_KEY: &str = "C145A8193558A019";
const MERCHANT: &str = "ON00000097";
const MD5: &str = "B63B153D7BF1DBE7327A6396B2D88C7F";
const DATA: &str = "lK4OqTkcine0lSmU/ZDBSoSrlwUxDKI8cdNZFuWbYI4qqLWNn+Mg4lVSJ1ccNv4O9iE5JbR53iwdqpOBoHxLpW22KzbP5dvmXNKcKU6V0bPGq4DSviCGTb7Ejp3sAtrg513GMfH533hODCQO6Xjya9ks0ritoYBDox1ldeuwsPPqfrDfVmKZ1FZ3PPgjteP4wiHPEV3ZoIOQ+HLVasA+e6JXhJuquz5Ap7BzA4BVCy3pyvaY9KiQjv5xaDsyOGFxUXdpiO/8a0zsRul1iNr6oRw937LdKbK7hNV85emtuZQI7QkJ+XnosO+m7j2orYEmm7rMJTY+C95Q6Ln8LEPMsA==";
const PLAINTEXT: &str = r#"{"order_id":"17647123456789012","merchant_id":"ON00000097","amount":"1000","tip":"0","bizpay_order_id":"AL7700112233445566","exchange_rate":"5.102030","finish_time":"2026-11-28 10:15:00","remarks":"订单-42","sub_openId":"2088000011112222"}"#;

/// The vendor's own example notification, from the Chinese edition of its callback page
/// (<https://apidocs.ottpay.com/zh/api/integration/callback/>): signKey, body and the plaintext the
/// page says it decrypts to. Independent of the project's vector above.
const VENDOR_SIGN_KEY: &str = "A8B5FE540E38A5A9";
const VENDOR_MERCHANT: &str = "ON00004652";
const VENDOR_MD5: &str = "5A917182659DE14DCB3022CA6518F34F";
const VENDOR_DATA: &str = "vg8LJmi7ryeVxUTVfPC6N1l5ebL9cgn4MdlyLFEL6eqZQN+XvkvNhZevFmRitDLTUTcAcRnKYs407K3ePY2pslEgZYDoa9x80PBh95s7aqAYCwUlY5j9IUtklLlzqNT0mFPS7Fn5p6cr1EkBRVh82QHueCdkWVoFhvVHVYYrwQqF5cmPO+JNuDOei6goomz1QTfvv7M8zc4TT+r/EwKIDm4eoV9EeTk98gSiUy4+2ThLRrtZOFHqVP7OAjJ318X2EIKoZRA5lp42kdRVmd/mXi8aZpTVEiAT2GK7p3TNXFNXuPLcl6DhEUK9FLMrHcl4";
const VENDOR_PLAINTEXT: &str = r#"{"amount":"3","bizpay_order_id":"AL5909918566288061","exchange_rate":"5.057030","tip":"1","merchant_id":"ON00004652","order_id":"16795056216014900","finish_time":"2023-03-23 01:21:53","remarks":"可以","sub_openId":"2088032832386722"}"#;

/// The vendor's example body, as the page shows it.
fn vendor_body() -> String {
    format!(
        r#"{{"data": "{VENDOR_DATA}", "rsp_code": "SUCCESS", "rsp_msg": "success", "merchant_id": "{VENDOR_MERCHANT}", "md5": "{VENDOR_MD5}"}}"#
    )
}

/// The reference body, formatted as the reference shows it.
fn vector_body() -> String {
    format!(
        r#"{{ "rsp_code": "SUCCESS", "rsp_msg": "success", "merchant_id": "{MERCHANT}",
  "data": "{DATA}",
  "md5": "{MD5}" }}"#
    )
}

fn key() -> SignKey {
    SignKey::new(SIGN_KEY)
}

fn upper_hex_md5(input: &[u8]) -> String {
    Md5::digest(input).iter().map(|b| format!("{b:02X}")).collect()
}

/// Section 8.3, written independently of the crate.
fn aes_key(md5: &str, sign_key: &str) -> Vec<u8> {
    upper_hex_md5(format!("{md5}{sign_key}").as_bytes()).as_bytes()[8..24].to_vec()
}

fn cipher_key(md5: &str, sign_key: &str) -> Result<aes::cipher::Key<Aes128>, Box<dyn std::error::Error>> {
    let bytes: [u8; 16] = aes_key(md5, sign_key).as_slice().try_into()?;
    Ok(bytes.into())
}

/// Base64(AES-128-ECB-PKCS7(plaintext)) under the key derived from `md5` and `sign_key`.
fn encrypt(md5: &str, sign_key: &str, plaintext: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
    let mut buf = plaintext.to_vec();
    buf.resize((plaintext.len() / 16 + 1) * 16, 0);
    let ct = ecb::Encryptor::<Aes128>::new(&cipher_key(md5, sign_key)?)
        .encrypt_padded::<Pkcs7>(&mut buf, plaintext.len())
        .map_err(|e| format!("{e:?}"))?;
    Ok(STANDARD.encode(ct))
}

/// Section 8.5, written independently of the crate (string values only).
fn md5_over_values(plaintext: &str) -> Result<String, Box<dyn std::error::Error>> {
    let map: std::collections::BTreeMap<String, String> = serde_json::from_str(plaintext)?;
    Ok(upper_hex_md5(map.into_values().collect::<String>().as_bytes()))
}

fn body(merchant_id: &str, data: &str, md5: &str) -> String {
    json!({"rsp_code": "SUCCESS", "rsp_msg": "success", "merchant_id": merchant_id, "data": data, "md5": md5})
        .to_string()
}

/// A body whose plaintext is `plaintext`, encrypted with the right key under the vector's md5.
fn body_with_plaintext(plaintext: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
    Ok(body(MERCHANT, &encrypt(MD5, SIGN_KEY, plaintext)?, MD5))
}

/// The runtime's decoder, typing the data as [`PaymentData`].
fn decode(body: &[u8], key: &SignKey) -> Result<Verified<PaymentData>, CallbackError> {
    callback::decode_as::<PaymentData>(body, key)
}

fn decode_err(body: &str) -> Result<CallbackError, Box<dyn std::error::Error>> {
    match decode(body.as_bytes(), &key()) {
        Ok(v) => Err(format!("expected an error, got {v:?}").into()),
        Err(e) => Ok(e),
    }
}

// ---------------------------------------------------------------- the reference vector

#[test]
fn reference_vector_decodes_to_exactly_its_plaintext_and_verifies() -> TestResult {
    let verified = decode(vector_body().as_bytes(), &key())?;
    assert_eq!(verified.raw_json().as_bytes(), PLAINTEXT.as_bytes());
    assert_eq!(verified.merchant_id(), Some(MERCHANT));
    assert_eq!(verified.md5(), MD5);
    let expected = PaymentData {
        order_id: Some("17647123456789012".into()),
        merchant_id: Some(MERCHANT.into()),
        amount: Some("1000".into()),
        tip: Some("0".into()),
        bizpay_order_id: Some("AL7700112233445566".into()),
        exchange_rate: Some("5.102030".into()),
        finish_time: Some("2026-11-28 10:15:00".into()),
        remarks: Some("订单-42".into()),
        sub_open_id: Some("2088000011112222".into()),
        ..PaymentData::default()
    };
    assert_eq!(verified.data(), &expected);
    assert_eq!(verified.clone().into_data(), expected);
    Ok(())
}

#[test]
fn reference_vector_key_is_the_documented_one() -> TestResult {
    assert_eq!(aes_key(MD5, SIGN_KEY), AES_KEY.as_bytes());
    // And that key really decrypts the vector (so the helpers above are a sound oracle).
    let mut ct = STANDARD.decode(DATA)?;
    let pt = ecb::Decryptor::<Aes128>::new(&cipher_key(MD5, SIGN_KEY)?)
        .decrypt_padded::<Pkcs7>(&mut ct)
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(pt, PLAINTEXT.as_bytes());
    assert_eq!(md5_over_values(PLAINTEXT)?, MD5);
    Ok(())
}

#[test]
fn encoder_reproduces_the_reference_vector() -> TestResult {
    let encoded = callback::encode_raw(PLAINTEXT, MERCHANT, &key())?;
    let outer: serde_json::Value = serde_json::from_str(&encoded)?;
    assert_eq!(outer["rsp_code"], "SUCCESS");
    assert_eq!(outer["merchant_id"], MERCHANT);
    assert_eq!(outer["md5"], MD5);
    assert_eq!(outer["data"], DATA);
    Ok(())
}

// ---------------------------------------------------------------- the vendor's own example

#[test]
fn vendor_example_decodes_to_exactly_its_plaintext_and_verifies() -> TestResult {
    let verified = decode(vendor_body().as_bytes(), &SignKey::new(VENDOR_SIGN_KEY))?;
    assert_eq!(verified.raw_json(), VENDOR_PLAINTEXT);
    assert_eq!(verified.merchant_id(), Some(VENDOR_MERCHANT));
    assert_eq!(verified.md5(), VENDOR_MD5);
    let expected = PaymentData {
        amount: Some("3".into()),
        bizpay_order_id: Some("AL5909918566288061".into()),
        exchange_rate: Some("5.057030".into()),
        tip: Some("1".into()),
        merchant_id: Some(VENDOR_MERCHANT.into()),
        order_id: Some("16795056216014900".into()),
        finish_time: Some("2023-03-23 01:21:53".into()),
        remarks: Some("可以".into()),
        sub_open_id: Some("2088032832386722".into()),
        ..PaymentData::default()
    };
    assert_eq!(verified.data(), &expected);
    Ok(())
}

#[test]
fn vendor_example_agrees_with_the_independent_oracle_and_the_encoder() -> TestResult {
    // Key framing: hex MD5 of (md5 field + signKey), upper case, characters [8..24].
    let mut ct = STANDARD.decode(VENDOR_DATA)?;
    let pt = ecb::Decryptor::<Aes128>::new(&cipher_key(VENDOR_MD5, VENDOR_SIGN_KEY)?)
        .decrypt_padded::<Pkcs7>(&mut ct)
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(pt, VENDOR_PLAINTEXT.as_bytes());
    // Digest: the values concatenated in ascending key order (`sub_openId` sorts before `tip`).
    assert_eq!(md5_over_values(VENDOR_PLAINTEXT)?, VENDOR_MD5);
    // ECB is deterministic, so the encoder reproduces the vendor's ciphertext byte for byte.
    let encoded = callback::encode_raw(VENDOR_PLAINTEXT, VENDOR_MERCHANT, &SignKey::new(VENDOR_SIGN_KEY))?;
    let outer: serde_json::Value = serde_json::from_str(&encoded)?;
    assert_eq!(outer["md5"], VENDOR_MD5);
    assert_eq!(outer["data"], VENDOR_DATA);
    Ok(())
}

#[test]
fn vendor_example_does_not_verify_under_the_project_key() -> TestResult {
    let err = match decode(vendor_body().as_bytes(), &key()) {
        Ok(v) => {
            return Err(format!("the vendor's notification verified under another key: {v:?}").into());
        }
        Err(e) => e,
    };
    assert!(err.is_verification_failure(), "{err:?}");
    Ok(())
}

#[test]
fn acknowledgement_is_plain_success() {
    assert_eq!(ACKNOWLEDGEMENT, "SUCCESS");
}

// ---------------------------------------------------------------- accepted variations

#[test]
fn unknown_fields_and_non_string_values_count_in_the_digest() -> TestResult {
    let plaintext =
        r#"{"amount":"1000","merchant_id":"ON00000097","new_field":"x","rate":1.50,"paid":true,"note":null}"#;
    // values in key order: 1000, ON00000097, x, "" (null), true, 1.50 (as sent)
    let md5 = upper_hex_md5("1000ON00000097xtrue1.50".as_bytes());
    let ok = decode(body(MERCHANT, &encrypt(&md5, SIGN_KEY, plaintext.as_bytes())?, &md5).as_bytes(), &key())?;
    assert_eq!(ok.raw_json(), plaintext);
    assert_eq!(ok.data().amount.as_deref(), Some("1000"));

    // The same content signed as if the unknown field did not exist is rejected.
    let without = upper_hex_md5("1000ON00000097".as_bytes());
    let body = body(MERCHANT, &encrypt(&without, SIGN_KEY, plaintext.as_bytes())?, &without);
    assert_eq!(decode_err(&body)?, CallbackError::Md5Mismatch);
    Ok(())
}

#[test]
fn accepts_lower_case_md5_and_wrapped_base64() -> TestResult {
    let md5 = MD5.to_ascii_lowercase();
    let data = encrypt(&md5, SIGN_KEY, PLAINTEXT.as_bytes())?;
    let wrapped: String =
        data.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("\r\n");
    let verified = decode(body(MERCHANT, &wrapped, &md5).as_bytes(), &key())?;
    assert_eq!(verified.raw_json(), PLAINTEXT);
    Ok(())
}

#[test]
fn outer_merchant_id_may_be_absent() -> TestResult {
    let body = json!({"rsp_code": "SUCCESS", "data": DATA, "md5": MD5}).to_string();
    let verified = decode(body.as_bytes(), &key())?;
    assert_eq!(verified.merchant_id(), Some(MERCHANT));
    Ok(())
}

/// A data type with no `merchant_id` field at all.
#[derive(Debug, Deserialize)]
struct AmountOnly {
    amount: Option<String>,
}

/// A data type whose field *named* `merchant_id` reads another wire field.
#[derive(Debug, Deserialize)]
struct Misnamed {
    #[serde(rename = "order_id")]
    merchant_id: Option<String>,
}

#[test]
fn merchant_id_falls_back_to_the_encrypted_entry_whatever_the_data_type() -> TestResult {
    let no_outer = json!({"rsp_code": "SUCCESS", "data": DATA, "md5": MD5}).to_string();

    // The data type has no merchant_id: the encrypted entry is still found.
    let verified = callback::decode_as::<AmountOnly>(no_outer.as_bytes(), &key())?;
    assert_eq!(verified.data().amount.as_deref(), Some("1000"));
    assert_eq!(verified.merchant_id(), Some(MERCHANT));

    // Not even a struct.
    let verified = callback::decode_as::<serde::de::IgnoredAny>(no_outer.as_bytes(), &key())?;
    assert_eq!(verified.merchant_id(), Some(MERCHANT));

    // A typed field called merchant_id that reads something else is not what is returned.
    let verified = callback::decode_as::<Misnamed>(no_outer.as_bytes(), &key())?;
    assert_eq!(verified.data().merchant_id.as_deref(), Some("17647123456789012"));
    assert_eq!(verified.merchant_id(), Some(MERCHANT));

    // With the outer field present, it is the one returned (and equal).
    let verified = callback::decode_as::<AmountOnly>(vector_body().as_bytes(), &key())?;
    assert_eq!(verified.merchant_id(), Some(MERCHANT));
    Ok(())
}

#[test]
fn merchant_id_is_none_when_neither_outer_nor_encrypted() -> TestResult {
    let encoded = callback::encode_raw(r#"{"amount":"1000","order_id":"17647123456789012"}"#, MERCHANT, &key())?;
    let mut outer: serde_json::Value = serde_json::from_str(&encoded)?;
    outer.as_object_mut().ok_or("not an object")?.remove("merchant_id");
    let verified = decode(outer.to_string().as_bytes(), &key())?;
    assert_eq!(verified.merchant_id(), None);
    assert_eq!(verified.data().merchant_id, None);
    Ok(())
}

#[test]
fn merchant_mismatch_is_checked_on_the_encrypted_entry_whatever_the_data_type() -> TestResult {
    let body = callback::encode_raw(PLAINTEXT, "ON99999999", &key())?;
    let expected = CallbackError::MerchantMismatch { outer: "ON99999999".into() };
    assert_eq!(callback::decode_as::<AmountOnly>(body.as_bytes(), &key()).err(), Some(expected.clone()));
    assert_eq!(callback::decode_as::<Misnamed>(body.as_bytes(), &key()).err(), Some(expected.clone()));
    assert_eq!(callback::decode_as::<serde::de::IgnoredAny>(body.as_bytes(), &key()).err(), Some(expected));
    Ok(())
}

#[test]
fn a_non_string_encrypted_merchant_id_is_rejected_whatever_the_data_type() -> TestResult {
    for inner in ["97", "{\"id\":\"ON99999999\"}", "[\"ON99999999\"]", "true"] {
        let plain = format!(r#"{{"order_id":"1","merchant_id":{inner},"amount":"1000"}}"#);
        let body = callback::encode_raw(&plain, "ON99999999", &key())?;
        let err = callback::decode_as::<AmountOnly>(body.as_bytes(), &key()).err();
        assert!(
            matches!(&err, Some(CallbackError::FieldType { field, .. }) if field == "merchant_id"),
            "{inner}: {err:?}"
        );
        let err = callback::decode_as::<serde::de::IgnoredAny>(body.as_bytes(), &key()).err();
        assert!(
            matches!(&err, Some(CallbackError::FieldType { field, .. }) if field == "merchant_id"),
            "{inner}: {err:?}"
        );
    }
    Ok(())
}

#[test]
fn pre_parsed_notification_decodes_like_the_body() -> TestResult {
    for (body, sign_key) in [(vector_body(), SIGN_KEY), (vendor_body(), VENDOR_SIGN_KEY)] {
        let key = SignKey::new(sign_key);
        let outer: Notification = serde_json::from_str(&body)?;
        let from_outer = callback::decode_notification_as::<PaymentData>(&outer, &key)?;
        let from_body = decode(body.as_bytes(), &key)?;
        assert!(from_outer == from_body, "{from_outer:?} != {from_body:?}");
    }
    // Same checks, same errors.
    let mut outer: Notification = serde_json::from_str(&vector_body())?;
    outer.md5 = Some("B63B153D7BF1DBE7327A6396B2D88C7E".into());
    let err = callback::decode_notification_as::<PaymentData>(&outer, &key()).err();
    assert_eq!(err, Some(CallbackError::BadPadding));
    let err = callback::decode_notification_as::<PaymentData>(&Notification::default(), &key()).err();
    assert_eq!(err, Some(CallbackError::MissingField { field: "rsp_code" }));
    Ok(())
}

#[test]
fn encoded_body_has_exactly_the_wire_fields() -> TestResult {
    let encoded =
        callback::encode(&PaymentData { amount: Some("1".into()), ..PaymentData::default() }, MERCHANT, &key())?;
    let outer: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&encoded)?;
    let mut keys: Vec<&str> = outer.keys().map(String::as_str).collect();
    let mut wire = Notification::WIRE_FIELDS.to_vec();
    keys.sort_unstable();
    wire.sort_unstable();
    assert_eq!(keys, wire);
    // Absent fields are left out of the encrypted JSON.
    let verified = decode(encoded.as_bytes(), &key())?;
    assert_eq!(verified.raw_json(), r#"{"amount":"1"}"#);
    Ok(())
}

// ---------------------------------------------------------------- one rejection each

#[test]
fn wrong_sign_key_is_bad_padding() -> TestResult {
    let err = match decode(vector_body().as_bytes(), &SignKey::new("3F6C1B7E9A2D4C59")) {
        Ok(_) => return Err("a wrong signKey verified".into()),
        Err(e) => e,
    };
    assert_eq!(err, CallbackError::BadPadding);
    assert!(err.is_verification_failure());
    Ok(())
}

#[test]
fn tampered_ciphertext_is_rejected() -> TestResult {
    // Flip one bit in each block in turn: every variant is rejected as unverified.
    let ct = STANDARD.decode(DATA)?;
    for i in (0..ct.len()).step_by(16) {
        let mut bad = ct.clone();
        bad[i + 3] ^= 0x01;
        let err = decode_err(&body(MERCHANT, &STANDARD.encode(&bad), MD5))?;
        assert!(err.is_verification_failure(), "block {}: {err:?}", i / 16);
    }
    // The first block decrypts to noise, which is not UTF-8.
    let mut bad = ct.clone();
    bad[0] ^= 0x01;
    let err = decode_err(&body(MERCHANT, &STANDARD.encode(&bad), MD5))?;
    assert!(matches!(err, CallbackError::PlaintextNotUtf8 { .. }), "{err:?}");
    // The last block carries the padding.
    let mut bad = ct;
    let last = bad.len() - 1;
    bad[last] ^= 0x01;
    assert_eq!(decode_err(&body(MERCHANT, &STANDARD.encode(&bad), MD5))?, CallbackError::BadPadding);
    Ok(())
}

#[test]
fn tampered_data_is_an_md5_mismatch() -> TestResult {
    // Someone who could encrypt (but not recompute the md5) changes the amount.
    let tampered = PLAINTEXT.replace(r#""amount":"1000""#, r#""amount":"1""#);
    assert_eq!(decode_err(&body_with_plaintext(tampered.as_bytes())?)?, CallbackError::Md5Mismatch);
    Ok(())
}

#[test]
fn tampered_md5_is_rejected() -> TestResult {
    // Changing the md5 changes the AES key: the data no longer decrypts.
    let other = "B63B153D7BF1DBE7327A6396B2D88C7E";
    assert_eq!(decode_err(&body(MERCHANT, DATA, other))?, CallbackError::BadPadding);
    // Re-encrypted under the altered md5, it decrypts but does not match its content.
    let body = body(MERCHANT, &encrypt(other, SIGN_KEY, PLAINTEXT.as_bytes())?, other);
    assert_eq!(decode_err(&body)?, CallbackError::Md5Mismatch);
    Ok(())
}

#[test]
fn bad_base64_is_rejected() -> TestResult {
    let err = decode_err(&body(MERCHANT, "lK4O*qTk", MD5))?;
    assert!(matches!(err, CallbackError::Base64 { .. }), "{err:?}");
    assert!(!err.is_verification_failure());
    Ok(())
}

#[test]
fn bad_padding_is_rejected() -> TestResult {
    // The right key, but the plaintext is zero-padded instead of PKCS#7-padded.
    let mut buf = PLAINTEXT.as_bytes().to_vec();
    buf.resize(buf.len().div_ceil(16) * 16 + 16, 0);
    let n = buf.len();
    let ct = ecb::Encryptor::<Aes128>::new(&cipher_key(MD5, SIGN_KEY)?)
        .encrypt_padded::<NoPadding>(&mut buf, n)
        .map_err(|e| format!("{e:?}"))?;
    assert_eq!(decode_err(&body(MERCHANT, &STANDARD.encode(ct), MD5))?, CallbackError::BadPadding);
    Ok(())
}

#[test]
fn ciphertext_not_whole_blocks_is_rejected() -> TestResult {
    let short = STANDARD.encode(&STANDARD.decode(DATA)?[..20]);
    assert_eq!(decode_err(&body(MERCHANT, &short, MD5))?, CallbackError::CiphertextLength { len: 20 });
    Ok(())
}

#[test]
fn plaintext_not_utf8_is_rejected() -> TestResult {
    let err = decode_err(&body_with_plaintext(b"{\"a\":\"\xff\xfe\"}")?)?;
    assert_eq!(err, CallbackError::PlaintextNotUtf8 { valid_up_to: 6 });
    Ok(())
}

#[test]
fn plaintext_not_json_is_rejected() -> TestResult {
    let err = decode_err(&body_with_plaintext(b"order 42 paid")?)?;
    assert!(matches!(err, CallbackError::PlaintextNotJson { line: 1, .. }), "{err:?}");
    Ok(())
}

#[test]
fn plaintext_not_an_object_is_rejected() -> TestResult {
    let err = decode_err(&body_with_plaintext(br#"["1000","ON00000097"]"#)?)?;
    assert_eq!(err, CallbackError::PlaintextNotObject { found: "array" });
    Ok(())
}

#[test]
fn plaintext_with_a_repeated_key_is_rejected() -> TestResult {
    let err = decode_err(&body_with_plaintext(br#"{"amount":"1","amount":"1000"}"#)?)?;
    assert_eq!(err, CallbackError::DuplicateKey);
    Ok(())
}

#[test]
fn field_of_the_wrong_type_is_rejected_after_verifying() -> TestResult {
    let body = callback::encode_raw(r#"{"amount":1000,"order_id":"17647123456789012"}"#, MERCHANT, &key())?;
    assert_eq!(decode_err(&body)?, CallbackError::FieldType { field: "amount".into(), found: "number" });
    Ok(())
}

#[test]
fn merchant_mismatch_is_rejected() -> TestResult {
    let body = callback::encode_raw(PLAINTEXT, "ON99999999", &key())?;
    assert_eq!(decode_err(&body)?, CallbackError::MerchantMismatch { outer: "ON99999999".into() });
    Ok(())
}

#[test]
fn body_not_json_is_rejected() -> TestResult {
    for bad in ["not json", "", "data=abc&md5=def", r#"{"rsp_code": 1}"#, "[]"] {
        let err = decode_err(bad)?;
        assert!(matches!(err, CallbackError::NotNotificationJson { .. }), "{bad:?}: {err:?}");
    }
    Ok(())
}

#[test]
fn oversized_body_is_rejected_before_parsing() -> TestResult {
    let huge = format!("{{\"data\":\"{}\"}}", "A".repeat(MAX_BODY_BYTES));
    let err = decode_err(&huge)?;
    assert_eq!(err, CallbackError::BodyTooLarge { len: huge.len(), max: MAX_BODY_BYTES });
    Ok(())
}

#[test]
fn rsp_code_fail_is_rejected_with_code_and_message() -> TestResult {
    let body =
        json!({"rsp_code": "FAIL", "rsp_msg": "channel error", "merchant_id": MERCHANT, "data": DATA, "md5": MD5});
    let err = decode_err(&body.to_string())?;
    assert_eq!(err, CallbackError::NotSuccess { rsp_code: "FAIL".into(), rsp_msg: Some("channel error".into()) });
    Ok(())
}

#[test]
fn missing_fields_are_named() -> TestResult {
    let cases = [
        (json!({"rsp_code": "SUCCESS", "merchant_id": MERCHANT, "md5": MD5}), "data"),
        (json!({"rsp_code": "SUCCESS", "merchant_id": MERCHANT, "data": "", "md5": MD5}), "data"),
        (json!({"rsp_code": "SUCCESS", "merchant_id": MERCHANT, "data": DATA}), "md5"),
        (json!({"merchant_id": MERCHANT, "data": DATA, "md5": MD5}), "rsp_code"),
    ];
    for (body, field) in cases {
        assert_eq!(decode_err(&body.to_string())?, CallbackError::MissingField { field });
    }
    Ok(())
}

// ---------------------------------------------------------------- redaction

#[test]
fn no_secret_or_decrypted_content_in_any_text() -> TestResult {
    let secrets = [
        SIGN_KEY,
        AES_KEY,
        "17647123456789012",
        "AL7700112233445566",
        "订单",
        "2088000011112222",
        "5.102030",
        VENDOR_SIGN_KEY,
        "16795056216014900",
        "AL5909918566288061",
        "可以",
        "2088032832386722",
        "5.057030",
    ];
    let vendor_key = SignKey::new(VENDOR_SIGN_KEY);
    let mut texts = vec![
        format!("{:?}", key()),
        format!("{:?}", decode(vector_body().as_bytes(), &key())?),
        format!("{vendor_key:?}"),
        format!("{:?}", decode(vendor_body().as_bytes(), &vendor_key)?),
    ];
    let wrong = SignKey::new("0000000000000000");
    let errors = [
        decode(vector_body().as_bytes(), &wrong).err(),
        decode(vendor_body().as_bytes(), &wrong).err(),
        decode_err(&body_with_plaintext(PLAINTEXT.replace("1000", "1").as_bytes())?).ok(),
        decode_err(&body_with_plaintext(b"remarks 2088000011112222 17647123456789012")?).ok(),
        decode_err(&body_with_plaintext("[\"订单\",\"2088000011112222\"]".as_bytes())?).ok(),
        decode_err(&callback::encode_raw(
            r#"{"remarks":{"card":"2088000011112222"},"order_id":"17647123456789012"}"#,
            MERCHANT,
            &key(),
        )?)
        .ok(),
        decode_err(&body_with_plaintext(b"{\"remarks\":\"2088000011112222\xff\"}")?).ok(),
    ];
    for err in errors.into_iter() {
        let err = err.ok_or("expected an error")?;
        texts.push(format!("{err}"));
        texts.push(format!("{err:?}"));
    }
    for text in &texts {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret:?} leaked in {text:?}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- round trip

fn text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![Just(String::new()), "[订单é€😀 a-z0-9\"\\\\/]{0,12}", any::<String>(),])
}

prop_compose! {
    fn payment_data()(
        a in text(), b in text(), c in text(), d in text(), e in text(), f in text(), g in text(),
        h in text(), i in text(), j in text(), k in text(), l in text(), m in text(),
    ) -> PaymentData {
        PaymentData {
            finish_time: a,
            merchant_id: b,
            order_id: c,
            order_status: d,
            amount: e,
            tip: f,
            bizpay_order_id: g,
            remarks: h,
            exchange_rate: i,
            sale_num: j,
            convenience_fee: k,
            sub_open_id: l,
            reference: m,
        }
    }
}

proptest! {
    #[test]
    fn encode_then_decode_round_trips(data in payment_data(), merchant in "[A-Z0-9]{1,12}", sign_key in "\\PC{1,32}") {
        let mut data = data;
        // The outer merchant_id must agree with the encrypted one when both are present.
        if data.merchant_id.is_some() {
            data.merchant_id = Some(merchant.clone());
        }
        let key = SignKey::new(sign_key);
        let body = callback::encode(&data, &merchant, &key).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let verified = decode(body.as_bytes(), &key).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(verified.data(), &data);
        prop_assert_eq!(verified.merchant_id(), Some(merchant.as_str()));
    }
}

/// Members of the decrypted data that the data type does not read are reachable, with their
/// values; a notification with none lists none.
#[test]
fn unknown_fields_of_the_decrypted_data() -> TestResult {
    let plain = r#"{"order_id":"17647123456789012","merchant_id":"ON00000097","amount":"1000","payment_token":"PT-1","card":{"last4":"0000"}}"#;
    let body = callback::encode_raw(plain, MERCHANT, &key())?;
    let verified = decode(body.as_bytes(), &key())?;
    assert_eq!(verified.data().order_id.as_deref(), Some("17647123456789012"));
    let unknown = verified.unknown_fields();
    assert_eq!(unknown.len(), 2);
    assert_eq!(unknown.get("payment_token"), Some(&json!("PT-1")));
    assert_eq!(unknown.get("card"), Some(&json!({"last4": "0000"})));

    let verified = decode(vector_body().as_bytes(), &key())?;
    assert!(verified.unknown_fields().is_empty());
    Ok(())
}
