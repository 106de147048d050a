//! The life of local-card payments through `ottpay::Client`: the vendor's test cards and a 3-D
//! Secure challenge answered in the challenge form, frictionless approval, declines with their
//! codes, capture, refunds and reversals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{Shop, client, form_action, http};
use ottpay::{
    CardPayment3dsRequest, CardPayment3dsRequired, CardRefundRequest, CardReverseRequest, CardTokenizedPaymentRequest,
    CardTokenizedPaymentRequired, Cents, ErrorCode, PaymentStatus, PaymentStatusQueryRequest, Purchase3dsAddition,
    Purchase3dsAdditionRequired, RefundStatus, Sensitive,
};
use ottpay_sim::{DeliveryState, PaymentState, Simulator};

const VISA_TEST_CARD: &str = "4000020000000000";
const OTHER_CARD: &str = "4111111111111111";

fn card(shop: &Shop, number: &str, expiry: &str, cvv: &str, holder: &str, amount: u64) -> CardPayment3dsRequest {
    CardPayment3dsRequest::new(CardPayment3dsRequired {
        amount: Cents::new(amount),
        callback_url: shop.callback_url.clone(),
        account_number: Sensitive::new(number.to_owned()),
        account_name: Sensitive::new(holder.to_owned()),
        account_expire: Sensitive::new(expiry.to_owned()),
        cvn2: Sensitive::new(cvv.to_owned()),
        ssl_avs_address: "3032920100 CORPORATE SQ".to_owned(),
        ssl_avs_city: "Atlanta".to_owned(),
        ssl_avs_province: "Georgia".to_owned(),
        ssl_avs_country: "US".to_owned(),
        ssl_avs_zip: "30327".to_owned(),
        front_url: shop.return_url.clone(),
        purchase_3ds_addition: Purchase3dsAddition::new(Purchase3dsAdditionRequired {
            version: "2.1.0".to_owned(),
            browser_user_agent: "Mozilla/5.0".to_owned(),
            browser_accept_header: "text/html".to_owned(),
            browser_language: "en-CA".to_owned(),
        }),
    })
    .reference("ORDER-7")
}

fn query(id: &str) -> PaymentStatusQueryRequest {
    PaymentStatusQueryRequest::new(id)
}

#[tokio::test]
async fn test_card_challenge_callback_capture_refunds() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let client = client(&sim);

    let answer =
        client.card_payment_3ds(&card(&shop, VISA_TEST_CARD, "0330", "737", "Jack Smith", 2000)).await.unwrap();
    assert_eq!(answer.payment_status, Some(PaymentStatus::ThreedsAuthChallenge));
    assert_eq!(answer.payment_id, None, "no paymentId while the challenge is pending (as observed)");
    let form = answer.escape_3ds_challenge_form.unwrap();
    assert!(form.contains("<form") && form.contains("VISA"));

    // The browser renders the form; the shopper types the documented password.
    let action = form_action(&form);
    let challenge =
        http("POST", &action, &[("content-type", "application/x-www-form-urlencoded")], "password=password").await;
    assert_eq!(challenge.status, 303, "{}", challenge.body);
    let location = challenge.location.unwrap();
    assert!(location.starts_with(&shop.return_url) && location.contains("paymentStatus=authorised"), "{location}");
    let payment_id = location.split("paymentId=").nth(1).and_then(|s| s.split('&').next()).unwrap().to_owned();
    assert_eq!(http("GET", &location, &[], "").await.status, 200);
    assert_eq!(shop.returns().len(), 1);

    let callbacks = shop.wait_callbacks(1).await;
    assert_eq!(callbacks[0].order_id.as_deref(), Some(payment_id.as_str()));
    assert_eq!(callbacks[0].order_status.as_deref(), Some("authorised"));
    assert_eq!(callbacks[0].reference.as_deref(), Some("ORDER-7"));
    assert_eq!(callbacks[0].amount.as_deref(), Some("2000"));
    let delivery = tokio::time::timeout(common::WAIT, sim.callback_settled(&payment_id)).await.unwrap().unwrap();
    assert_eq!(delivery.state, DeliveryState::Acknowledged);

    let status = client.payment_status_query(&query(&payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::Authorised));
    assert_eq!(status.reference.as_deref(), Some("ORDER-7"));
    let err = client.card_refund(&CardRefundRequest::new(&payment_id, Cents::new(1))).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::OriginalPaymentNotRevocable), "not captured yet");

    // OTT Pay captures after `capture_after` (10 minutes by default) of simulated time.
    sim.advance(Duration::from_secs(601));
    let status = client.payment_status_query(&query(&payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::Success));
    assert_eq!(status.state_code.map(|c| c.to_string()).as_deref(), Some("P00003"));

    let partial = client.card_refund(&CardRefundRequest::new(&payment_id, Cents::new(500))).await.unwrap();
    assert_eq!(partial.refund_status, Some(RefundStatus::Success));
    assert_eq!(partial.refund_amount.map(|a| a.to_string()).as_deref(), Some("500"));
    client.card_refund(&CardRefundRequest::new(&payment_id, Cents::new(1500))).await.unwrap();
    let status = client.payment_status_query(&query(&payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::FullyRefunded));
    let err = client.card_refund(&CardRefundRequest::new(&payment_id, Cents::new(1))).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::CannotBeRefunded));
    let err = client.card_reverse(&CardReverseRequest::new(&payment_id)).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::OriginalPaymentFinished));
    assert_eq!(shop.callbacks().len(), 1);
}

#[tokio::test]
async fn wrong_challenge_password_refuses() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let answer = client(&sim).card_payment_3ds(&card(&shop, "2222400010000008", "0330", "737", "J", 900)).await;
    let action = form_action(&answer.unwrap().escape_3ds_challenge_form.unwrap());
    let payment_id = action.rsplit('/').next().unwrap().to_owned();
    let refused = http("POST", &action, &[], "password=guess").await;
    assert_eq!(refused.status, 303);
    assert!(refused.location.unwrap().contains("paymentStatus=orderclosed"));
    let payment = sim.payment(&payment_id).unwrap();
    assert_eq!((payment.state, payment.state_code), (PaymentState::Refused, "P00006"));
    assert!(sim.callback(&payment_id).is_none());
    // The handle answers challenges too.
    let answer = client(&sim).card_payment_3ds(&card(&shop, "6243030000000001", "1229", "737", "J", 900)).await;
    let action = form_action(&answer.unwrap().escape_3ds_challenge_form.unwrap());
    let id = action.rsplit('/').next().unwrap();
    assert_eq!(sim.answer_challenge(id, "1234"), Ok(PaymentState::Authorised));
    assert!(sim.answer_challenge(id, "password").is_err());
}

#[tokio::test]
async fn frictionless_card_and_reversal() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let client = client(&sim);
    let answer = client.card_payment_3ds(&card(&shop, OTHER_CARD, "1230", "123", "Jack Smith", 3000)).await.unwrap();
    assert_eq!(answer.payment_status, Some(PaymentStatus::Authorised));
    assert_eq!(answer.cc_type.as_deref(), Some("VISA"));
    assert_eq!(answer.reference.as_deref(), Some("ORDER-7"));
    let payment_id = answer.payment_id.unwrap();
    shop.wait_callbacks(1).await;

    let reversed = client.card_reverse(&CardReverseRequest::new(&payment_id)).await.unwrap();
    assert_eq!(reversed.payment_status, Some(PaymentStatus::Cancelled));
    assert!(reversed.reverse_id.is_some_and(|id| id.starts_with("VOID")));
    let status = client.payment_status_query(&query(&payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::OrderClosed));
    assert_eq!(status.state_code.map(|c| c.to_string()).as_deref(), Some("P00007"));
    let again = client.card_reverse(&CardReverseRequest::new(&payment_id)).await.unwrap_err();
    assert_eq!(again.api_code(), Some(ErrorCode::PaymentClosed));
    let refund = client.card_refund(&CardRefundRequest::new(&payment_id, Cents::new(1))).await.unwrap_err();
    assert_eq!(refund.api_code(), Some(ErrorCode::PaymentClosed));
    let unknown = client.card_reverse(&CardReverseRequest::new("42")).await.unwrap_err();
    assert_eq!(unknown.api_code(), Some(ErrorCode::OriginalPaymentNotExist));
}

#[tokio::test]
async fn declines_carry_their_codes() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let client = client(&sim);
    let cases = [
        (VISA_TEST_CARD, "0330", "000", "J", ErrorCode::PaymentFailed),
        (VISA_TEST_CARD, "0430", "737", "J", ErrorCode::PaymentFailed),
        (OTHER_CARD, "1230", "123", "DECLINED", ErrorCode::PaymentFailed),
        (OTHER_CARD, "1230", "123", "not_enough_balance", ErrorCode::InsufficientBalance),
        (OTHER_CARD, "1230", "123", "UNSUPPORTED", ErrorCode::UnsupportedCard),
        (OTHER_CARD, "1230", "123", "TIMEOUT", ErrorCode::Timeout),
        (OTHER_CARD, "0120", "123", "J", ErrorCode::PaymentFailed),
    ];
    for (number, expiry, cvv, holder, code) in cases {
        let err = client.card_payment_3ds(&card(&shop, number, expiry, cvv, holder, 100)).await.unwrap_err();
        assert_eq!(err.api_code(), Some(code), "{number} {expiry} {cvv} {holder}");
    }
    assert!(sim.payments().iter().all(|p| p.state == PaymentState::Refused));
    assert_eq!(sim.payment_count(), cases.len());
    assert!(shop.callbacks().is_empty());
}

#[tokio::test]
async fn tokenized_payment_has_no_challenge() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let request = CardTokenizedPaymentRequest::new(CardTokenizedPaymentRequired {
        amount: Cents::new(700),
        callback_url: shop.callback_url.clone(),
        account_number: Sensitive::new(VISA_TEST_CARD.to_owned()),
        account_name: Sensitive::new("Jack Smith".to_owned()),
        account_expire: Sensitive::new("0330".to_owned()),
        cvn2: Sensitive::new("737".to_owned()),
        ssl_avs_address: "1 Main St".to_owned(),
        ssl_avs_city: "Toronto".to_owned(),
        ssl_avs_province: "ON".to_owned(),
        ssl_avs_country: "CA".to_owned(),
        ssl_avs_zip: "M5V 2T6".to_owned(),
    });
    let answer = client(&sim).card_tokenized_payment(&request).await.unwrap();
    assert_eq!(answer.payment_status, Some(PaymentStatus::Authorised));
    let id = answer.payment_id.unwrap();
    sim.capture(&id).unwrap();
    assert_eq!(sim.payment(&id).map(|p| p.payment_status), Some("success"));
    assert!(sim.capture(&id).is_err());
}
