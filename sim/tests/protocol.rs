//! The wire protocol as the spec describes it, checked with raw HTTP (as a third-party client
//! would see it): the envelope, the token flow, authentication and validation errors with the
//! table's codes, 404 for unknown paths, and every endpoint of the registry routed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{post_json, token};
use ottpay::registry::ENDPOINTS;
use ottpay::{AlipayWapPayRequest, Cents, Client, ErrorCode};
use ottpay_sim::{Clock, Merchant, Simulator};
use serde_json::json;

const WAP: &str = "/api/v1/pay/alipay/wap-pay";

fn wap_body() -> String {
    json!({"amount": "1000", "callbackURL": "http://127.0.0.1:9/cb", "returnURL": "http://127.0.0.1:9/r"}).to_string()
}

#[tokio::test]
async fn token_flow_and_envelope() {
    let sim = Simulator::builder().clock(Clock::frozen_at(1_700_000_000_000)).start().await.unwrap();
    let m = sim.merchant();
    let url = format!("{}/api/v1/auth/token", sim.base_url());
    let ok = post_json(&url, None, &json!({"appId": m.app_id, "appKey": m.app_key}).to_string()).await;
    assert_eq!(ok.status, 200);
    assert!(ok.content_type.as_deref().unwrap().starts_with("application/json"));
    let body = ok.json();
    assert_eq!(body["status"], "SUCCESS");
    assert_eq!(body["result"]["expired"], 1_700_000_000_000i64 + 900_000);
    assert!(body["result"]["token"].as_str().unwrap().starts_with("eyJ"));

    for bad in [json!({"appId": m.app_id, "appKey": "nope"}), json!({"appId": "ON1", "appKey": m.app_key})] {
        let answer = post_json(&url, None, &bad.to_string()).await.json();
        assert_eq!(answer["status"], "ERROR");
        assert_eq!(answer["result"]["code"], 10003);
        assert_eq!(answer["result"]["message"], "API Authorization failed");
    }
    let client = Client::builder().base_url(sim.base_url()).credentials("ON00000185", "wrong").build().unwrap();
    let err = client.alipay_wap_pay(&AlipayWapPayRequest::new(Cents::new(1), "http://a.b/c", "http://a.b/d")).await;
    assert_eq!(err.unwrap_err().api_code(), Some(ErrorCode::ApiAuthorizationFailed));
}

#[tokio::test]
async fn missing_unknown_and_expired_tokens_are_90000() {
    let sim = Simulator::start().await.unwrap();
    let url = format!("{}{WAP}", sim.base_url());
    for token in [None, Some("not-a-token")] {
        let answer = post_json(&url, token, &wap_body()).await.json();
        assert_eq!((answer["status"].as_str(), answer["result"]["code"].as_i64()), (Some("ERROR"), Some(90000)));
    }
    let token = token(&sim).await;
    assert_eq!(post_json(&url, Some(&token), &wap_body()).await.json()["status"], "SUCCESS");
    sim.advance(Duration::from_secs(15 * 60));
    assert_eq!(post_json(&url, Some(&token), &wap_body()).await.json()["result"]["code"], 90000);

    let token = self::token(&sim).await;
    sim.expire_tokens();
    assert_eq!(post_json(&url, Some(&token), &wap_body()).await.json()["result"]["code"], 90000);
    assert_eq!(sim.payment_count(), 1);
}

#[tokio::test]
async fn bad_bodies_are_10005_naming_the_fields() {
    let sim = Simulator::start().await.unwrap();
    let url = format!("{}{WAP}", sim.base_url());
    let token = token(&sim).await;
    let call = |body: String| {
        let (url, token) = (url.clone(), token.clone());
        async move { post_json(&url, Some(&token), &body).await.json()["result"].clone() }
    };
    let not_json = call("{not json".to_owned()).await;
    assert_eq!(not_json["code"], 10005);
    assert!(not_json["message"].as_str().unwrap().contains("not JSON"));
    assert_eq!(call("[1]".to_owned()).await["code"], 10005);

    let unknown = call(
        json!({"amount": "1", "callbackURL": "http://a.b/c", "returnURL": "http://a.b/d", "tip": "1"}).to_string(),
    )
    .await;
    assert!(unknown["message"].as_str().unwrap().contains("tip"), "{unknown}");
    let missing = call(json!({"amount": "1", "returnURL": "http://a.b/d"}).to_string()).await;
    assert!(missing["message"].as_str().unwrap().contains("callbackURL"), "{missing}");
    let all_missing = call(json!({"remark": "x"}).to_string()).await;
    assert_eq!(all_missing["message"], "missing fields /amount, /callbackURL, /returnURL");
    let wrong_type =
        call(json!({"amount": "ten", "callbackURL": "http://a.b/c", "returnURL": "http://a.b/d"}).to_string()).await;
    assert!(wrong_type["message"].as_str().unwrap().starts_with("/amount"), "{wrong_type}");

    // validate(): every violation, each with its JSON pointer.
    let invalid = call(
        json!({"amount": "0", "callbackURL": "not a url", "returnURL": "http://a.b/d", "remark": "x".repeat(129)})
            .to_string(),
    )
    .await;
    assert_eq!(invalid["code"], 10005);
    let message = invalid["message"].as_str().unwrap();
    for field in ["/amount", "/callbackURL", "/remark"] {
        assert!(message.contains(field), "{message}");
    }
    assert_eq!(sim.payment_count(), 0);
}

#[tokio::test]
async fn unknown_paths_are_404_and_other_methods_405() {
    let sim = Simulator::start().await.unwrap();
    let answer = post_json(&format!("{}/api/v1/pay/nothing-here", sim.base_url()), None, "{}").await;
    assert_eq!(answer.status, 404);
    let answer = common::http("GET", &format!("{}{WAP}", sim.base_url()), &[], "").await;
    assert_eq!(answer.status, 405);
}

/// Every endpoint of the registry is served (no endpoint is listed here): an empty body is
/// rejected by the endpoint's own request type with 10005, never a 404.
#[tokio::test]
async fn every_registry_endpoint_is_served() {
    let sim = Simulator::start().await.unwrap();
    let token = token(&sim).await;
    for endpoint in ENDPOINTS {
        let answer = post_json(&format!("{}{}", sim.base_url(), endpoint.path), Some(&token), "{}").await;
        assert_eq!(answer.status, 200, "{}", endpoint.id);
        let body = answer.json();
        assert_eq!(body["status"], "ERROR", "{}: {body}", endpoint.id);
        assert_eq!(body["result"]["code"], 10005, "{}: {body}", endpoint.id);
        assert!(sim.calls(endpoint.id) >= 1, "{}", endpoint.id);
    }
}

#[tokio::test]
async fn merchants_are_kept_apart_and_ids_are_seeded() {
    let other = Merchant::new("ON00000097", "other-key", "0123456789ABCDEF");
    let start = || {
        Simulator::builder()
            .merchant(Merchant::demo())
            .merchant(other.clone())
            .seed(7)
            .clock(Clock::frozen_at(1_700_000_000_000))
            .start()
    };
    let (a, b) = (start().await.unwrap(), start().await.unwrap());
    let pay = AlipayWapPayRequest::new(Cents::new(100), "http://127.0.0.1:9/cb", "http://127.0.0.1:9/r");
    let mut ids = Vec::new();
    for sim in [&a, &b] {
        let answer = common::client(sim).alipay_wap_pay(&pay).await.unwrap();
        ids.push(answer.payment_id.unwrap());
    }
    assert_eq!(ids[0], ids[1], "same seed, same calls, same ids");
    let stranger = common::client_for(&a, &other);
    let err = stranger.wallet_status_query(&ottpay::WalletStatusQueryRequest::new(&ids[0])).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::OriginalPaymentNotExist), "another merchant's payment");
    let payment = a.payment(&ids[0]).unwrap();
    assert_eq!((payment.merchant_id.as_str(), payment.created_ms), ("ON00000185", 1_700_000_000_000));
}

#[tokio::test]
async fn start_refuses_other_addresses_and_bad_merchants() {
    let public = std::net::SocketAddr::from(([0, 0, 0, 0], 0));
    assert!(matches!(
        Simulator::builder().listen(public).start().await,
        Err(ottpay_sim::StartError::NotLoopback { .. })
    ));
    let twice = Simulator::builder().merchant(Merchant::demo()).merchant(Merchant::demo()).start().await;
    assert!(matches!(twice, Err(ottpay_sim::StartError::DuplicateMerchant { .. })));
    assert!(Merchant::parse("A:B").is_err());
}

#[test]
fn start_outside_a_runtime_is_an_error() {
    // A future polled by a plain executor: no tokio runtime, no panic.
    let outcome = std::thread::spawn(|| {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut start = std::pin::pin!(Simulator::start());
        matches!(start.as_mut().poll(&mut cx), std::task::Poll::Ready(Err(ottpay_sim::StartError::NoRuntime)))
    })
    .join();
    assert!(matches!(outcome, Ok(true)));
}
