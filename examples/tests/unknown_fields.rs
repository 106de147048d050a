//! A member of an answer that the spec does not name (as the token of a tokenized card payment is,
//! until the vendor's page shows its name) stays reachable through the generated client's
//! `send_with_raw`, against a server on 127.0.0.1 that this test starts. The member name used here
//! is made up for the test; it is not OTT Pay's.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::post;
use ottpay::{CardTokenizedPaymentRequest, CardTokenizedPaymentRequired, Cents, Client, WireFields};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const MADE_UP: &str = "tokenMemberMadeUpForThisTest";

async fn server() -> Result<SocketAddr, std::io::Error> {
    let app = Router::new()
        .route(
            "/api/v1/auth/token",
            post(|| async {
                json!({"status": "SUCCESS", "result": {"token": "test-token", "expired": i64::MAX}}).to_string()
            }),
        )
        .route(
            "/api/v1/payment/local-card/tokenized",
            post(|| async {
                json!({"status": "SUCCESS", "result": {
                    "paymentStatus": "authorised", "paymentId": "1694723098440263", "amount": "2000",
                    MADE_UP: "a-stored-card-token"}})
                .to_string()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

fn request() -> CardTokenizedPaymentRequest {
    CardTokenizedPaymentRequest::new(CardTokenizedPaymentRequired {
        amount: Cents::new(2000),
        callback_url: "https://shop.example/ottpay/callback".into(),
        account_number: "4000020000000000".into(),
        account_name: "Jack Smith".into(),
        account_expire: "0330".into(),
        cvn2: "737".into(),
        ssl_avs_address: "3032920100 CORPORATE SQ".into(),
        ssl_avs_city: "Atlanta".into(),
        ssl_avs_province: "Georgia".into(),
        ssl_avs_country: "US".into(),
        ssl_avs_zip: "30327".into(),
    })
}

#[tokio::test]
async fn a_member_the_spec_does_not_name_is_reachable() -> TestResult {
    let addr = server().await?;
    let client = Client::builder().base_url(format!("http://{addr}")).credentials("ON00000185", "key").build()?;

    let answer = client.send_with_raw(&request()).await?;
    assert_eq!(answer.typed().payment_id.as_deref(), Some("1694723098440263"));
    let unknown: Vec<(&str, &Value)> = answer.unknown_fields().collect();
    assert_eq!(unknown, vec![(MADE_UP, &json!("a-stored-card-token"))]);
    assert!(!format!("{answer:?}").contains("a-stored-card-token"), "Debug shows member names only");

    // The typed half is what `send` (and the per-endpoint method) returns.
    assert_eq!(&client.card_tokenized_payment(&request()).await?, answer.typed());
    // The generated list of wire names is the response table's.
    assert!(ottpay::CardTokenizedPaymentResponse::WIRE_FIELDS.contains(&"paymentStatus"));
    assert!(!ottpay::CardTokenizedPaymentResponse::WIRE_FIELDS.contains(&MADE_UP));
    Ok(())
}

#[test]
fn the_sample_card_of_the_vendor_table_is_refused_and_a_test_card_is_not() {
    use ottpay::Validate;
    let mut r = request();
    r.account_number = "4000620000000123".into();
    let err = r.validate().err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("/accountNumber: must be a card number of 12 to 19 digits passing the Luhn check"), "{err}");
    assert!(!err.contains("4000620000000123"));
    for card in [
        "4000020000000000",
        "4400000000000008",
        "2222400010000008",
        "2222400060000007",
        "374101012180018",
        "6011601160116611",
        "3569990010095841",
        "6243030000000001",
        "36006666333344",
    ] {
        let mut r = request();
        r.account_number = card.into();
        assert_eq!(r.validate(), Ok(()), "{card}");
    }
}
