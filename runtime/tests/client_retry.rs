//! Automatic retries: a `Retry::Safe` endpoint is repeated with backoff on 5xx, timeouts and
//! transport errors; a `Retry::Never` endpoint (a payment) is never repeated once sent.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use ottpay_runtime::client::Backoff;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn query() -> StatusQuery {
    StatusQuery { payment_id: "1678715489187336".into() }
}

fn query_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(ok(json!({"paymentId": "1678715489187336", "paymentStatus": "success"})))
}

/// `first` for the first `n` calls to `at`, then `then`.
async fn mount_sequence(server: &MockServer, at: &str, first: ResponseTemplate, n: u64, then: ResponseTemplate) {
    Mock::given(method("POST")).and(path(at)).respond_with(first).up_to_n_times(n).with_priority(1).mount(server).await;
    mount_answer(server, at, then).await;
}

#[tokio::test]
async fn safe_endpoint_retries_503_then_succeeds() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_sequence(&server, QUERY_PATH, ResponseTemplate::new(503).set_body_string("busy"), 1, query_ok()).await;
    let answer = client(&server).send(&query()).await?;
    assert_eq!(answer.payment_status.as_deref(), Some("success"));
    assert_eq!(requests_to(&server, QUERY_PATH).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn safe_endpoint_gives_up_after_the_attempts() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, QUERY_PATH, ResponseTemplate::new(503).set_body_string("busy")).await;
    let err = client(&server).send(&query()).await.expect_err("503 forever");
    assert!(matches!(err, Error::HttpStatus { status: 503, .. }), "{err:?}");
    assert_eq!(requests_to(&server, QUERY_PATH).await.len(), 3, "3 attempts in all");
}

#[tokio::test]
async fn safe_endpoint_retries_a_timeout() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_sequence(&server, QUERY_PATH, query_ok().set_delay(Duration::from_secs(3)), 1, query_ok()).await;
    let client = builder(&server).request_timeout(Duration::from_millis(200)).build()?;
    client.send(&query()).await?;
    assert_eq!(requests_to(&server, QUERY_PATH).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn safe_endpoint_does_not_retry_an_api_error() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(
        &server,
        QUERY_PATH,
        ResponseTemplate::new(200).set_body_json(api_error(20019, "Original payment not exist")),
    )
    .await;
    let err = client(&server).send(&query()).await.expect_err("api error");
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(requests_to(&server, QUERY_PATH).await.len(), 1);
}

#[tokio::test]
async fn never_endpoint_is_not_retried_on_503() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_sequence(&server, WALLET_PATH, ResponseTemplate::new(503).set_body_string("busy"), 1, wallet_ok()).await;
    let err = client(&server).send(&wallet_pay()).await.expect_err("no retry");
    assert!(matches!(err, Error::HttpStatus { status: 503, .. }), "{err:?}");
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 1, "a payment is sent once");
}

#[tokio::test]
async fn never_endpoint_is_not_retried_on_an_error_envelope_with_500() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_sequence(
        &server,
        WALLET_PATH,
        ResponseTemplate::new(500).set_body_json(api_error(50003, "System error")),
        1,
        wallet_ok(),
    )
    .await;
    let err = client(&server).send(&wallet_pay()).await.expect_err("no retry");
    assert!(matches!(err, Error::Api { http_status: 500, .. }), "{err:?}");
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 1);
}

#[tokio::test]
async fn the_token_call_is_retried_as_safe() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        TOKEN_PATH,
        ResponseTemplate::new(502).set_body_string("<html>502</html>"),
        2,
        token_answer(TOKEN, 900_000),
    )
    .await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    client(&server).send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 3);
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 1);
    Ok(())
}

#[tokio::test]
async fn backoff_can_be_turned_off() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, QUERY_PATH, ResponseTemplate::new(503)).await;
    let client = builder(&server).backoff(Backoff::none()).build().expect("client");
    let err = client.send(&query()).await.expect_err("503");
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(requests_to(&server, QUERY_PATH).await.len(), 1);
}
