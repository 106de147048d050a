//! Decoding and verifying a payment-result callback, against a baseline measured in the same run:
//! parsing the same body as plain JSON (the floor any handler pays to read it).
//!
//! Run: `cargo bench -p ottpay-runtime --bench callback`.

use ottpay_runtime::callback::{self, SignKey};

/// The decrypted fields, typed as a merchant's handler would (the generated crate's type has the
/// same shape: every field an optional string).
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Data {
    order_id: Option<String>,
    merchant_id: Option<String>,
    amount: Option<String>,
    tip: Option<String>,
    bizpay_order_id: Option<String>,
    exchange_rate: Option<String>,
    finish_time: Option<String>,
    remarks: Option<String>,
    #[serde(rename = "sub_openId")]
    sub_open_id: Option<String>,
}

const BODY: &str = r#"{"rsp_code":"SUCCESS","rsp_msg":"success","merchant_id":"ON00000097","data":"lK4OqTkcine0lSmU/ZDBSoSrlwUxDKI8cdNZFuWbYI4qqLWNn+Mg4lVSJ1ccNv4O9iE5JbR53iwdqpOBoHxLpW22KzbP5dvmXNKcKU6V0bPGq4DSviCGTb7Ejp3sAtrg513GMfH533hODCQO6Xjya9ks0ritoYBDox1ldeuwsPPqfrDfVmKZ1FZ3PPgjteP4wiHPEV3ZoIOQ+HLVasA+e6JXhJuquz5Ap7BzA4BVCy3pyvaY9KiQjv5xaDsyOGFxUXdpiO/8a0zsRul1iNr6oRw937LdKbK7hNV85emtuZQI7QkJ+XnosO+m7j2orYEmm7rMJTY+C95Q6Ln8LEPMsA==","md5":"B63B153D7BF1DBE7327A6396B2D88C7F"}"#;

fn main() {
    divan::main();
}

/// Baseline: the body parsed as untyped JSON.
#[divan::bench]
fn baseline_json_parse() -> bool {
    serde_json::from_str::<serde_json::Value>(divan::black_box(BODY)).is_ok()
}

/// Base64, AES-128-ECB, JSON, md5 check and typed decode of the project's test vector.
#[divan::bench]
fn decode_and_verify(b: divan::Bencher) {
    let key = SignKey::new("3F6C1B7E9A2D4C58");
    b.bench(|| callback::decode_as::<Data>(divan::black_box(BODY.as_bytes()), &key).is_ok());
}
