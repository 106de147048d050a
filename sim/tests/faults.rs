//! Faults on demand against `ottpay::Client`: every kind gives the typed client error, and a
//! payment is never sent twice (the simulator counts calls and payments). Token expiry, by fault
//! or by the clock, costs exactly one refresh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::client;
use ottpay::{AlipayWapPayRequest, Cents, Client, ErrorCode, PaymentStatus, WalletStatusQueryRequest};
use ottpay_sim::{Fault, FaultRule, Simulator};

const PAY: &str = "alipay_wap_pay";

fn pay() -> AlipayWapPayRequest {
    AlipayWapPayRequest::new(Cents::new(1000), "http://127.0.0.1:9/cb", "http://127.0.0.1:9/back")
}

/// A client that has its token already, so the calls counted are the payment's.
async fn ready(sim: &Simulator) -> Client {
    let client = client(sim);
    client.alipay_wap_pay(&pay()).await.unwrap();
    client
}

#[tokio::test]
async fn http_5xx_with_an_html_body() {
    let sim = Simulator::start().await.unwrap();
    let client = ready(&sim).await;
    sim.inject(FaultRule::new(Fault::http_status(502)).endpoint(PAY).times(1));
    let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
    assert_eq!(err.http_status(), Some(502));
    assert!(matches!(&err, ottpay::Error::HttpStatus { snippet, .. } if snippet.contains("502 Bad Gateway")), "{err}");
    assert!(err.is_outcome_unknown());
    assert_eq!((sim.calls(PAY), sim.payment_count()), (2, 1), "not repeated, nothing created");

    sim.inject(FaultRule::new(Fault::http_status(503)).endpoint(PAY).times(1).after_processing());
    let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!((sim.calls(PAY), sim.payment_count()), (3, 2), "processed once, answer lost, not repeated");
    assert!(client.alipay_wap_pay(&pay()).await.is_ok(), "the fault was for one call");
}

#[tokio::test]
async fn connection_reset() {
    let sim = Simulator::start().await.unwrap();
    let client = ready(&sim).await;
    sim.inject(FaultRule::new(Fault::Reset).endpoint(PAY).times(1).after_processing());
    let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
    assert!(matches!(err, ottpay::Error::Transport { .. }), "{err:?}");
    assert!(err.is_outcome_unknown());
    assert_eq!((sim.calls(PAY), sim.payment_count()), (2, 2), "processed, answer lost, never repeated");

    sim.inject(FaultRule::new(Fault::Reset).endpoint(PAY).times(1));
    let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
    assert!(matches!(err, ottpay::Error::Transport { .. }), "{err:?}");
    assert_eq!((sim.calls(PAY), sim.payment_count()), (3, 2));
}

#[tokio::test]
async fn latency_beyond_the_client_timeout() {
    let sim = Simulator::start().await.unwrap();
    let m = sim.merchant();
    let client = Client::builder()
        .base_url(sim.base_url())
        .credentials(m.app_id.as_str(), m.app_key.as_str())
        .request_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    client.alipay_wap_pay(&pay()).await.unwrap();
    sim.inject(FaultRule::new(Fault::latency(Duration::from_secs(60))).endpoint(PAY).times(1).after_processing());
    let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_outcome_unknown());
    assert_eq!(sim.calls(PAY), 2, "never repeated");
    assert!(sim.payment_count() <= 2);
}

#[tokio::test]
async fn error_code_of_choice() {
    let sim = Simulator::start().await.unwrap();
    let client = ready(&sim).await;
    sim.inject(FaultRule::new(Fault::error(ErrorCode::DatabaseError)).endpoint(PAY).times(2));
    for _ in 0..2 {
        let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
        assert_eq!(err.api_code(), Some(ErrorCode::DatabaseError));
        assert!(err.to_string().contains("Database error"), "{err}");
    }
    assert_eq!((sim.calls(PAY), sim.payment_count()), (3, 1));
    // A code outside the table is kept as sent.
    sim.inject(FaultRule::new(Fault::Error { code: 77777 }).times(1));
    let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::Unknown(77777)));
}

#[tokio::test]
async fn token_expiry_fault_costs_one_refresh() {
    let sim = Simulator::start().await.unwrap();
    let client = ready(&sim).await;
    sim.inject(FaultRule::new(Fault::ExpireToken).endpoint(PAY).times(1));
    client.alipay_wap_pay(&pay()).await.unwrap();
    assert_eq!(sim.tokens_issued(), 2);
    assert_eq!((sim.calls(PAY), sim.payment_count()), (3, 2), "the rejected call created nothing");

    // After processing: this call succeeds, the next one refreshes.
    sim.inject(FaultRule::new(Fault::ExpireToken).endpoint(PAY).times(1).after_processing());
    client.alipay_wap_pay(&pay()).await.unwrap();
    assert_eq!(sim.tokens_issued(), 2);
    client.alipay_wap_pay(&pay()).await.unwrap();
    assert_eq!(sim.tokens_issued(), 3);
    assert_eq!(sim.payment_count(), 4);
}

#[tokio::test]
async fn token_expiring_mid_session_by_the_clock() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim);
    let id = client.alipay_wap_pay(&pay()).await.unwrap().payment_id.unwrap();
    sim.pay(&id).unwrap();
    // Sixteen minutes later for the simulator; an instant for the client, whose token cache
    // still holds the 15-minute token.
    sim.advance(Duration::from_secs(16 * 60));
    let status = client.wallet_status_query(&WalletStatusQueryRequest::new(&id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::Success));
    assert_eq!(sim.tokens_issued(), 2, "exactly one refresh");
    assert_eq!(sim.calls("wallet_status_query"), 2, "the rejected call, then its one repeat");
    client.wallet_status_query(&WalletStatusQueryRequest::new(&id)).await.unwrap();
    assert_eq!(sim.tokens_issued(), 2);
}

#[tokio::test]
async fn safe_calls_are_retried_through_5xx() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim);
    let id = client.alipay_wap_pay(&pay()).await.unwrap().payment_id.unwrap();
    sim.inject(FaultRule::new(Fault::http_status(503)).endpoint("wallet_status_query").times(2));
    let status = client.wallet_status_query(&WalletStatusQueryRequest::new(&id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::NotPay));
    assert_eq!(sim.calls("wallet_status_query"), 3);
}

#[tokio::test]
async fn faults_through_the_admin_route() {
    let sim = Simulator::start().await.unwrap();
    let client = ready(&sim).await;
    let rule = r#"{"fault":{"kind":"error","code":20005},"endpoint":"alipay_wap_pay","times":1}"#;
    let added = common::post_json(&format!("{}/_sim/faults", sim.base_url()), None, rule).await;
    assert_eq!(added.status, 200, "{}", added.body);
    let err = client.alipay_wap_pay(&pay()).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::NoMerchantPermission));
    let bad = common::post_json(&format!("{}/_sim/faults", sim.base_url()), None, r#"{"fault":"boom"}"#).await;
    assert_eq!(bad.status, 400);

    sim.inject(Fault::http_status(500));
    assert!(client.alipay_wap_pay(&pay()).await.is_err());
    let cleared = common::http("DELETE", &format!("{}/_sim/faults", sim.base_url()), &[], "").await;
    assert_eq!(cleared.status, 200);
    assert!(client.alipay_wap_pay(&pay()).await.is_ok());
}
