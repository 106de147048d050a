//! The token lifecycle over real HTTP on 127.0.0.1: header, reuse, expiry, single flight, and
//! the one re-authentication after 90000 or HTTP 401.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn token_is_fetched_once_and_sent_as_bearer() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);

    let first = client.send(&wallet_pay()).await?;
    let second = client.send(&wallet_pay()).await?;
    assert_eq!(first.payment_id.as_deref(), Some("DEMOORDERID0000013"));
    assert_eq!(first, second);

    let tokens = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 1, "the token is reused across calls");
    let body: Value = serde_json::from_slice(&tokens[0].body).expect("JSON");
    assert_eq!(body, json!({"appId": APP_ID, "appKey": APP_KEY}));
    assert_eq!(authorization(&tokens[0]), None, "the token call carries no Authorization");

    let calls = requests_to(&server, WALLET_PATH).await;
    assert_eq!(calls.len(), 2);
    for call in &calls {
        assert_eq!(authorization(call), Some(format!("Bearer {TOKEN}")));
        let ua = call.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(ua.starts_with("ottpay-rust/"), "{ua}");
    }
    Ok(())
}

#[tokio::test]
async fn clones_share_the_token() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);
    let clone = client.clone();
    client.send(&wallet_pay()).await?;
    clone.send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    Ok(())
}

#[tokio::test]
async fn token_is_refreshed_after_expiry() -> Result<(), Error> {
    let server = MockServer::start().await;
    // 400 ms of life: shorter than the 60 s margin, so it is reused for half of it.
    mount_two_tokens(&server, 400).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);

    client.send(&wallet_pay()).await?;
    client.send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "still fresh");
    tokio::time::sleep(Duration::from_millis(450)).await;
    client.send(&wallet_pay()).await?;

    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2, "expired token replaced");
    let calls = requests_to(&server, WALLET_PATH).await;
    let auths: Vec<_> = calls.iter().map(authorization).collect();
    assert_eq!(
        auths,
        [Some(format!("Bearer {TOKEN}")), Some(format!("Bearer {TOKEN}")), Some(format!("Bearer {TOKEN2}"))]
    );
    Ok(())
}

#[tokio::test]
async fn token_refreshed_before_the_margin() -> Result<(), Error> {
    let server = MockServer::start().await;
    // 1 s of life with a 300 ms margin: replaced 700 ms in, before it expires.
    mount_two_tokens(&server, 1_000).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = builder(&server).token_refresh_margin(Duration::from_millis(300)).build()?;
    client.send(&wallet_pay()).await?;
    client.send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(750)).await;
    client.send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn an_already_expired_token_is_used_once_then_replaced() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_two_tokens(&server, -5_000).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);
    client.send(&wallet_pay()).await?;
    client.send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_fetch_one_token() -> Result<(), Error> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer(TOKEN, 900_000).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);

    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.send(&wallet_pay()).await }));
    }
    for task in tasks {
        task.await.expect("task")?;
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "single flight");
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 50);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_rejections_refresh_once() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_two_tokens(&server, 900_000).await;
    // The first token is rejected, the second accepted.
    Mock::given(method("POST"))
        .and(path(WALLET_PATH))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(api_error(90000, "Unauthorized")))
        .mount(&server)
        .await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);
    client.send(&wallet_pay()).await?; // first call: TOKEN rejected, TOKEN2 fetched
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);

    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.send(&wallet_pay()).await }));
    }
    for task in tasks {
        task.await.expect("task")?;
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2, "the accepted token is reused");
    Ok(())
}

#[tokio::test]
async fn code_90000_reauthenticates_and_retries_once() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_two_tokens(&server, 900_000).await;
    Mock::given(method("POST"))
        .and(path(WALLET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(api_error(90000, "Unauthorized")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);

    let answer = client.send(&wallet_pay()).await?;
    assert!(answer.pay_info.is_some());
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    let auths: Vec<_> = requests_to(&server, WALLET_PATH).await.iter().map(authorization).collect();
    assert_eq!(auths, [Some(format!("Bearer {TOKEN}")), Some(format!("Bearer {TOKEN2}"))]);

    // The new token is kept.
    client.send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn code_90000_forever_is_not_a_loop() {
    let server = MockServer::start().await;
    mount_two_tokens(&server, 900_000).await;
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(200).set_body_json(api_error(90000, "Unauthorized")))
        .await;
    let client = client(&server);

    let err = client.send(&wallet_pay()).await.expect_err("90000 twice is an error");
    match &err {
        Error::Api { endpoint, code, message, .. } => {
            assert_eq!(*endpoint, "wallet_pay");
            assert_eq!(*code, ErrorCode::Unauthorized);
            assert_eq!(message, "Unauthorized");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 2);
}

#[tokio::test]
async fn http_401_reauthenticates_and_retries_once() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_two_tokens(&server, 900_000).await;
    Mock::given(method("POST"))
        .and(path(WALLET_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = client(&server);
    client.send(&wallet_pay()).await?;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn http_401_forever_is_not_a_loop() {
    let server = MockServer::start().await;
    mount_two_tokens(&server, 900_000).await;
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(401).set_body_string("Unauthorized")).await;
    let client = client(&server);
    let err = client.send(&wallet_pay()).await.expect_err("401 twice is an error");
    assert!(matches!(err, Error::HttpStatus { status: 401, .. }), "{err:?}");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 2);
}

#[tokio::test]
async fn token_endpoint_errors_are_typed() {
    // Wrong credentials: the API's error, naming the token endpoint; the call is not made.
    let server = MockServer::start().await;
    mount_answer(
        &server,
        TOKEN_PATH,
        ResponseTemplate::new(200).set_body_json(api_error(10003, "User does not exist")),
    )
    .await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let err = client(&server).send(&wallet_pay()).await.expect_err("no token");
    match &err {
        Error::Api { endpoint, code, message, .. } => {
            assert_eq!(
                (*endpoint, *code, message.as_str()),
                ("auth_token", ErrorCode::ApiAuthorizationFailed, "User does not exist")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(requests_to(&server, WALLET_PATH).await.is_empty());

    // The problems name the token and its expiry in words, not by member name: the member names
    // are the API's, not the runtime's.
    for (result, problem) in [
        (json!({"expired": now_ms() + 900_000}), "token is missing"),
        (json!({"token": "", "expired": now_ms() + 900_000}), "token is missing or empty"),
        (json!({"token": TOKEN}), "expiry time is missing"),
        (json!({"token": "bad\ntoken", "expired": now_ms() + 900_000}), "not a valid HTTP header"),
    ] {
        let server = MockServer::start().await;
        mount_answer(&server, TOKEN_PATH, ResponseTemplate::new(200).set_body_json(ok(result))).await;
        mount_answer(&server, WALLET_PATH, wallet_ok()).await;
        let err = client(&server).send(&wallet_pay()).await.expect_err("unusable token");
        assert!(
            matches!(&err, Error::TokenResponse { endpoint: "auth_token", problem: p } if p.contains(problem)),
            "{err:?}"
        );
        assert!(requests_to(&server, WALLET_PATH).await.is_empty());
        let text = format!("{err} {err:?}");
        assert!(
            !text.contains(TOKEN) && !text.contains("bad\ntoken") && !text.contains("bad\\ntoken"),
            "token leaked: {text}"
        );
    }
}

#[tokio::test]
async fn malformed_token_answer_is_a_decode_error_without_the_token() {
    let server = MockServer::start().await;
    let body = json!({"status": "SUCCESS", "result": {"token": TOKEN, "expired": TOKEN}});
    mount_answer(&server, TOKEN_PATH, ResponseTemplate::new(200).set_body_json(body)).await;
    let err = client(&server).send(&wallet_pay()).await.expect_err("bad expired");
    match &err {
        Error::Decode { endpoint, path, .. } => {
            assert_eq!((*endpoint, path.as_str()), ("auth_token", "/result/expired"))
        }
        other => panic!("{other:?}"),
    }
    let text = format!("{err} {err:?}");
    assert!(!text.contains(TOKEN) && !text.contains("test-token"), "{text}");
}
