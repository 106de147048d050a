//! A failing token endpoint: callers waiting on one fetch share its outcome, error included, and
//! a failed fetch is not repeated for a short, configurable interval (no stampede).
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures_util::future::join_all;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount_token_answer(server: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(answer).mount(server).await;
}

/// Sends `n` payments at once on one cold client; returns the results and the slowest caller's time.
async fn concurrent_payments(
    client: &ottpay_runtime::client::Client<TestApi>,
    n: usize,
) -> (Vec<Result<WalletPayResponse, Error>>, Duration) {
    let started = Instant::now();
    let calls = (0..n).map(|_| async {
        let result = client.send(&wallet_pay()).await;
        (result, started.elapsed())
    });
    let outcomes = join_all(calls).await;
    let slowest = outcomes.iter().map(|(_, t)| *t).max().unwrap_or_default();
    (outcomes.into_iter().map(|(r, _)| r).collect(), slowest)
}

/// The time one failed fetch takes on its own (with its retries), measured in the same run.
async fn one_fetch_time(server: &MockServer) -> Duration {
    let client = builder(server).build().expect("client");
    let started = Instant::now();
    let _ = client.send(&wallet_pay()).await;
    started.elapsed()
}

#[tokio::test]
async fn a_token_endpoint_answering_500_is_fetched_once_for_100_callers() {
    let server = MockServer::start().await;
    mount_token_answer(&server, ResponseTemplate::new(500).set_body_string("<html>oops</html>")).await;
    let single = one_fetch_time(&server).await;
    let before = requests_to(&server, TOKEN_PATH).await.len();
    assert_eq!(before, 3, "one fetch is its own 3 attempts");

    let client = builder(&server).build().expect("client");
    let (results, slowest) = concurrent_payments(&client, 100).await;
    let fetched = requests_to(&server, TOKEN_PATH).await.len() - before;
    assert!(fetched <= 3, "100 callers made {fetched} token requests; one fetch makes at most 3");
    for r in &results {
        let err = r.as_ref().expect_err("no token");
        assert!(matches!(err, Error::HttpStatus { endpoint: "auth_token", status: 500, .. }), "{err:?}");
        assert!(err.is_not_sent() || err.is_retryable(), "the payment was never sent: {err:?}");
    }
    assert!(requests_to(&server, WALLET_PATH).await.is_empty(), "no payment went out without a token");
    // Every caller returns within about one fetch time (generous slack for a busy machine).
    assert!(slowest < single * 3 + Duration::from_secs(1), "slowest caller {slowest:?}, one fetch {single:?}");
}

#[tokio::test]
async fn an_error_answer_of_the_token_endpoint_is_shared() {
    let server = MockServer::start().await;
    mount_token_answer(&server, ResponseTemplate::new(200).set_body_json(api_error(10003, "API Authorization failed")))
        .await;
    let client = client(&server);
    let (results, _) = concurrent_payments(&client, 100).await;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "an ERROR answer is not retried, and is shared");
    for r in &results {
        let err = r.as_ref().expect_err("no token");
        assert!(matches!(err, Error::Api { code: ErrorCode::ApiAuthorizationFailed, .. }), "{err:?}");
    }
}

#[tokio::test]
async fn a_token_endpoint_that_never_answers_costs_one_fetch() {
    let server = MockServer::start().await;
    mount_token_answer(&server, token_answer(TOKEN, 900_000).set_delay(Duration::from_secs(30))).await;
    let client = builder(&server).request_timeout(Duration::from_millis(300)).build().expect("client");
    let (results, slowest) = concurrent_payments(&client, 20).await;
    let fetched = requests_to(&server, TOKEN_PATH).await.len();
    assert!(fetched <= 3, "20 callers made {fetched} token requests");
    assert!(results.iter().all(|r| matches!(r, Err(e) if e.is_timeout())), "every caller gets the timeout");
    // One fetch: 3 attempts of 300 ms plus 10 + 20 ms of backoff.
    assert!(slowest < Duration::from_secs(3), "slowest caller {slowest:?}");
}

#[tokio::test]
async fn a_failure_is_not_refetched_within_the_cooldown_and_is_after_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(api_error(10003, "API Authorization failed")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;

    let client = builder(&server).token_failure_cooldown(Duration::from_millis(300)).build().expect("client");
    assert!(client.send(&wallet_pay()).await.is_err(), "the first fetch fails");
    let again = client.send(&wallet_pay()).await.expect_err("within the cooldown the failure is shared");
    assert!(matches!(again, Error::Api { code: ErrorCode::ApiAuthorizationFailed, .. }), "{again:?}");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "no fetch within the cooldown");

    tokio::time::sleep(Duration::from_millis(400)).await;
    client.send(&wallet_pay()).await.expect("after the cooldown a new fetch succeeds");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_zero_cooldown_still_shares_the_failure_with_waiting_callers() {
    let server = MockServer::start().await;
    mount_token_answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(api_error(10003, "API Authorization failed"))
            .set_delay(Duration::from_millis(100)),
    )
    .await;
    let client = builder(&server).token_failure_cooldown(Duration::ZERO).build().expect("client");
    let (results, _) = concurrent_payments(&client, 50).await;
    assert!(results.iter().all(Result::is_err));
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "callers that waited share the one failed fetch");
    // With no cooldown, the next new call fetches again.
    let _ = client.send(&wallet_pay()).await;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
}
