//! "Did it reach the server?": a failed call says whether it is safe to repeat
//! ([`Error::is_retryable`]) and whether a call that moves money may have been processed
//! ([`Error::is_outcome_unknown`]), and its text never claims a request was not sent unless the
//! connection could not be opened.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use ottpay_runtime::client::{Backoff, Client};
use wiremock::{MockServer, ResponseTemplate};

/// A raw HTTP server on 127.0.0.1 that answers the token call properly and, for every other call,
/// reads the whole request (headers and body) and then closes the connection without answering:
/// the server has the payment, the client has no answer. Counts the non-token requests it read.
fn read_then_close_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let addr = raw_server(move |stream| {
        counter.fetch_add(1, Ordering::SeqCst);
        // Close without a byte of answer, after the whole request was read.
        let _ = stream.shutdown(std::net::Shutdown::Both);
    });
    (addr, seen)
}

fn client_for(addr: SocketAddr) -> Client<TestApi> {
    Client::<TestApi>::builder()
        .base_url(format!("http://{addr}"))
        .credentials(APP_ID, APP_KEY)
        .backoff(fast_backoff())
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_payment_whose_connection_closed_after_sending_has_an_unknown_outcome() {
    let (addr, seen) = read_then_close_server();
    let err = client_for(addr).send(&wallet_pay()).await.expect_err("no answer");
    assert!(matches!(err, Error::Transport { endpoint: "wallet_pay", .. }), "{err:?}");
    let text = err.to_string();
    assert!(!text.contains("could not be sent") && !text.contains("nothing was sent"), "{text}");
    assert!(text.contains("may have reached the server"), "{text}");
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert!(!err.is_retryable(), "repeating a payment that may have been processed is not safe");
    assert!(!err.is_not_sent());
    assert_eq!(seen.load(Ordering::SeqCst), 1, "a Retry::Never call is never repeated");
}

#[tokio::test]
async fn a_read_whose_connection_closed_after_sending_is_retryable() {
    let (addr, seen) = read_then_close_server();
    let query = StatusQuery { payment_id: "DEMOORDERID0000013".into() };
    let err = client_for(addr).send(&query).await.expect_err("no answer");
    assert!(err.is_retryable(), "{err:?}");
    assert!(!err.is_outcome_unknown(), "a read moves no money: {err:?}");
    assert_eq!(seen.load(Ordering::SeqCst), fast_backoff().max_attempts as usize, "reads are retried");
}

#[tokio::test]
async fn a_refused_connection_sent_nothing() {
    // Bind and drop a listener: the port is closed.
    let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("addr");
    let client = Client::<TestApi>::builder()
        .base_url(format!("http://{addr}"))
        .credentials(APP_ID, APP_KEY)
        .backoff(Backoff::none())
        .build()
        .expect("client");
    let err = client.send(&wallet_pay()).await.expect_err("refused");
    // The token call fails first: the payment was never sent either.
    assert!(err.is_not_sent() && err.is_retryable() && !err.is_outcome_unknown(), "{err:?}");
    assert!(err.to_string().contains("nothing was sent"), "{err}");
}

#[tokio::test]
async fn a_5xx_on_a_payment_is_unknown_and_on_a_read_retryable() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(503).set_body_string("<html>busy</html>")).await;
    mount_answer(&server, QUERY_PATH, ResponseTemplate::new(503).set_body_string("<html>busy</html>")).await;
    let client = client(&server);
    let pay = client.send(&wallet_pay()).await.expect_err("503");
    assert!(pay.is_outcome_unknown() && !pay.is_retryable(), "{pay:?}");
    let query = client.send(&StatusQuery { payment_id: "X1".into() }).await.expect_err("503");
    assert!(query.is_retryable() && !query.is_outcome_unknown(), "{query:?}");
}

#[tokio::test]
async fn a_timed_out_payment_is_unknown() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok().set_delay(Duration::from_secs(5))).await;
    let client = builder(&server).request_timeout(Duration::from_millis(300)).build().expect("client");
    let err = client.send(&wallet_pay()).await.expect_err("timeout");
    assert!(err.is_timeout() && err.is_outcome_unknown() && !err.is_retryable(), "{err:?}");
    assert!(err.to_string().contains("may have reached the server"), "{err}");
}

#[tokio::test]
async fn api_errors_and_invalid_requests_have_known_outcomes() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(200).set_body_json(api_error(10005, "Invalid parameter")))
        .await;
    let client = client(&server);
    let err = client.send(&wallet_pay()).await.expect_err("api error");
    assert!(!err.is_outcome_unknown() && !err.is_retryable() && !err.is_not_sent(), "{err:?}");
    let mut bad = wallet_pay();
    bad.callback_url = "not a url".into();
    let err = client.send(&bad).await.expect_err("invalid");
    assert!(err.is_not_sent() && !err.is_retryable() && !err.is_outcome_unknown(), "{err:?}");
}
