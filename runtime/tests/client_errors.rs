//! Every bad answer the server (or the network) can give maps to its typed error, over real
//! HTTP on 127.0.0.1, and no error or Debug output ever shows the appKey or the token.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use ottpay_runtime::client::{Backoff, Client, ConfigError, Environment};
use ottpay_runtime::{ApiCode, Cents, Retry};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

/// Sends one wallet payment to a server that answers it with `answer`.
async fn answered_with(answer: ResponseTemplate) -> (Error, MockServer) {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, answer).await;
    let err = client(&server).send(&wallet_pay()).await.expect_err("the answer is an error");
    assert_no_secret(&err);
    (err, server)
}

fn assert_no_secret(err: &Error) {
    let text = format!("{err} | {err:?}");
    assert!(!text.contains(APP_KEY), "appKey leaked: {text}");
    assert!(!text.contains(TOKEN) && !text.contains("test-token"), "token leaked: {text}");
}

#[tokio::test]
async fn api_error_with_a_known_code() {
    let (err, _) =
        answered_with(ResponseTemplate::new(200).set_body_json(api_error(10005, "Invalid parameter: amount"))).await;
    match &err {
        Error::Api { endpoint, code, message, http_status } => {
            assert_eq!(*endpoint, "wallet_pay");
            assert_eq!(*code, ErrorCode::InvalidParameter);
            assert_eq!(code.code(), 10005);
            assert_eq!(message, "Invalid parameter: amount");
            assert_eq!(*http_status, 200);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.api_code(), Some(ErrorCode::InvalidParameter));
    assert!(err.to_string().contains("10005"), "{err}");
}

#[tokio::test]
async fn api_error_with_an_unknown_code() {
    let (err, _) = answered_with(ResponseTemplate::new(200).set_body_json(api_error(77777, "Something new"))).await;
    match &err {
        Error::Api { code: ErrorCode::Unknown(77777), message, .. } => assert_eq!(message, "Something new"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn api_error_on_an_http_error_status() {
    let (err, server) =
        answered_with(ResponseTemplate::new(400).set_body_json(api_error(10005, "Invalid parameter"))).await;
    assert!(matches!(err, Error::Api { code: ErrorCode::InvalidParameter, http_status: 400, .. }), "{err:?}");
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 1);
}

#[tokio::test]
async fn html_502_is_an_http_status_with_a_snippet() {
    let page = format!("<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>", "x".repeat(10_000));
    let (err, server) = answered_with(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    match &err {
        Error::HttpStatus { endpoint, status, snippet, retry } => {
            assert_eq!(*retry, Retry::Never);
            assert_eq!((*endpoint, *status), ("wallet_pay", 502));
            assert!(snippet.starts_with("<html><head><title>502 Bad Gateway"), "{snippet}");
            assert!(snippet.len() < 400, "bounded: {} bytes", snippet.len());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 1, "a payment is not retried on 502");
}

#[tokio::test]
async fn empty_body_is_a_decode_error() {
    let (err, _) = answered_with(ResponseTemplate::new(200)).await;
    match &err {
        Error::Decode { endpoint, path, snippet, .. } => {
            assert_eq!((*endpoint, path.as_str(), snippet.as_str()), ("wallet_pay", "", "(empty body)"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_the_position() {
    let (err, _) = answered_with(
        ResponseTemplate::new(200).set_body_raw(r#"{"status":"SUCCESS","result":{"payIn"#, "application/json"),
    )
    .await;
    match &err {
        Error::Decode { path, message, snippet, .. } => {
            assert_eq!(path, "");
            assert!(message.contains("line 1 column"), "{message}");
            assert!(snippet.contains("payIn"), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn non_json_success_is_a_decode_error() {
    let (err, _) = answered_with(ResponseTemplate::new(200).set_body_raw("OK", "text/plain")).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let (err, _) = answered_with(ResponseTemplate::new(200).set_body_json(json!({"payInfo": "no envelope"}))).await;
    assert!(matches!(&err, Error::Decode { path, .. } if path == "/status"), "{err:?}");
}

#[tokio::test]
async fn result_of_the_wrong_shape_names_the_path() {
    let body = ok(json!({"payInfo": {"nested": true}, "merchantId": "ON00000097"}));
    let (err, _) = answered_with(ResponseTemplate::new(200).set_body_json(body)).await;
    match &err {
        Error::Decode { endpoint, path, message, snippet, retry } => {
            assert_eq!(*retry, Retry::Never);
            assert_eq!((*endpoint, path.as_str()), ("wallet_pay", "/result/payInfo"));
            assert!(message.contains("invalid type"), "{message}");
            assert!(snippet.contains("nested"), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("/result/payInfo"), "{err}");
}

#[tokio::test]
async fn body_over_the_cap_is_refused() {
    // Over the default 1 MiB cap, with and without a Content-Length the client can trust.
    let huge = format!(r#"{{"status":"SUCCESS","result":{{"payInfo":"{}"}}}}"#, "x".repeat(2 * 1024 * 1024));
    let (err, _) = answered_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json")).await;
    assert!(
        matches!(err, Error::BodyTooLarge { endpoint: "wallet_pay", limit: 1_048_576, retry: Retry::Never }),
        "{err:?}"
    );

    // A configured cap.
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = builder(&server).max_response_bytes(100).build().expect("client");
    let err = client.send(&wallet_pay()).await.expect_err("over 100 bytes");
    assert!(matches!(err, Error::BodyTooLarge { limit: 100, .. }), "{err:?}");
}

#[tokio::test]
async fn timeout_is_distinct_from_transport() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok().set_delay(Duration::from_secs(3))).await;
    let client = builder(&server).request_timeout(Duration::from_millis(200)).build().expect("client");
    let started = std::time::Instant::now();
    let err = client.send(&wallet_pay()).await.expect_err("times out");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Timeout { endpoint: "wallet_pay", .. }));
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 1, "a payment is not retried after a timeout");
    assert_no_secret(&err);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // A port on 127.0.0.1 that was just free: nobody listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port");
    let client = Client::<TestApi>::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials(APP_ID, APP_KEY)
        .backoff(Backoff::none())
        .build()
        .expect("client");
    let err = client.send(&wallet_pay()).await.expect_err("refused");
    // The token call is the first to fail.
    assert!(matches!(err, Error::Transport { endpoint: "auth_token", .. }), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn invalid_request_never_reaches_the_server() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let request =
        WalletPayRequest::new(Cents::new(1000), "not a url", "https://your.return.url").remark("r".repeat(200));
    let err = client(&server).send(&request).await.expect_err("invalid");
    match &err {
        Error::Invalid { endpoint, errors } => {
            assert_eq!(*endpoint, "wallet_pay");
            let pointers: Vec<_> = errors.violations().iter().map(|v| v.pointer.as_str()).collect();
            assert_eq!(pointers, ["/callbackURL", "/remark"], "every violation at once");
        }
        other => panic!("{other:?}"),
    }
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 0, "nothing at all was sent, not even the token call");
}

#[tokio::test]
async fn validation_can_be_turned_off() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let client = builder(&server).validate_requests(false).build().expect("client");
    let request = WalletPayRequest::new(Cents::new(1000), "not a url", "https://your.return.url");
    client.send(&request).await.expect("sent as is");
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 1);
}

#[tokio::test]
async fn no_secret_in_client_or_builder_output() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    let builder = builder(&server);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().expect("client");
    client.send(&wallet_pay()).await.expect("a token is cached now");
    let client_debug = format!("{client:?}");
    for text in [&builder_debug, &client_debug] {
        assert!(text.contains(APP_ID), "{text}");
        assert!(!text.contains(APP_KEY), "appKey leaked: {text}");
        assert!(!text.contains(TOKEN) && !text.contains("test-token"), "token leaked: {text}");
    }
}

#[test]
fn configuration_errors_are_typed() {
    let err = Client::<TestApi>::builder()
        .base_url("ftp://example.com")
        .credentials(APP_ID, APP_KEY)
        .build()
        .expect_err("bad scheme");
    assert!(matches!(err, ConfigError::BaseUrl { .. }), "{err:?}");
    let err =
        Client::<TestApi>::builder().base_url("not a url").credentials(APP_ID, APP_KEY).build().expect_err("bad url");
    assert!(matches!(err, ConfigError::BaseUrl { .. }), "{err:?}");
    let err = Client::<TestApi>::builder().build().expect_err("no credentials");
    assert!(matches!(err, ConfigError::MissingCredentials), "{err:?}");
    let err = Client::<TestApi>::builder()
        .credentials(APP_ID, APP_KEY)
        .user_agent("bad\nagent")
        .build()
        .expect_err("bad agent");
    assert!(matches!(err, ConfigError::UserAgent(_)), "{err:?}");
    // Converts into the client's Error for `?`.
    let err: Error = err.into();
    assert!(matches!(err, Error::Config(_)));
    let client = Client::<TestApi>::builder()
        .environment(Environment::Sandbox)
        .credentials(APP_ID, APP_KEY)
        .build()
        .expect("sandbox");
    assert_eq!(client.base_url(), SANDBOX_URL);
    assert_eq!(client.base_url(), "https://sandbox.test.example");
    let client = Client::<TestApi>::builder().credentials(APP_ID, APP_KEY).build().expect("production");
    assert_eq!(client.base_url(), PRODUCTION_URL);
    assert_eq!(client.base_url(), "https://api.test.example");
}

/// A raw HTTP server on 127.0.0.1 that answers the token call properly and every other call with
/// headers promising 1000 bytes, then 10 bytes, then a closed connection.
fn cut_short_server() -> std::net::SocketAddr {
    use std::io::Write;
    raw_server(|mut stream| {
        let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{\"status\":";
        let _ = stream.write_all(reply.as_bytes());
    })
}

#[tokio::test]
async fn body_cut_short_is_a_transport_error() {
    let addr = cut_short_server();
    let client = Client::<TestApi>::builder()
        .base_url(format!("http://{addr}"))
        .credentials(APP_ID, APP_KEY)
        .build()
        .expect("client");
    let err = client.send(&wallet_pay()).await.expect_err("cut short");
    assert!(matches!(err, Error::Transport { endpoint: "wallet_pay", .. }), "{err:?}");
    assert!(err.to_string().contains("broke while reading the response"), "{err}");
    assert!(err.is_outcome_unknown() && !err.is_retryable() && !err.is_not_sent(), "{err:?}");
    assert_no_secret(&err);
}

/// Card data (`Sensitive`) goes on the wire but never into an error, whether the request is
/// refused by validation or by the server.
#[tokio::test]
async fn card_data_never_in_errors() {
    const NUMBER: &str = "4111111111111111";
    const BAD_NUMBER: &str = "4111111111111112";
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, CARD_PATH, ResponseTemplate::new(400).set_body_json(api_error(10005, "Invalid parameter")))
        .await;
    let client = client(&server);

    let invalid = CardPayRequest {
        amount: Cents::new(1000),
        card_number: BAD_NUMBER.into(),
        expiry: "1299".into(),
        cvv: "98".into(),
    };
    let err = client.send(&invalid).await.expect_err("invalid card");
    match &err {
        Error::Invalid { endpoint, errors } => {
            assert_eq!(*endpoint, "card_pay");
            let pointers: Vec<_> = errors.violations().iter().map(|v| v.pointer.as_str()).collect();
            assert_eq!(pointers, ["/accountNumber", "/cvv"]);
        }
        other => panic!("{other:?}"),
    }
    let text = format!("{err} | {err:?} | {invalid:?}");
    assert!(!text.contains(BAD_NUMBER) && !text.contains("\"98\""), "card data leaked: {text}");
    assert_no_secret(&err);
    assert!(server.received_requests().await.unwrap_or_default().is_empty());

    let valid = CardPayRequest {
        amount: Cents::new(1000),
        card_number: NUMBER.into(),
        expiry: "1299".into(),
        cvv: "987".into(),
    };
    let err = client.send(&valid).await.expect_err("refused by the server");
    assert!(
        matches!(err, Error::Api { endpoint: "card_pay", code: ErrorCode::InvalidParameter, http_status: 400, .. }),
        "{err:?}"
    );
    let text = format!("{err} | {err:?} | {valid:?}");
    assert!(!text.contains(NUMBER) && !text.contains("987"), "card data leaked: {text}");
    assert_no_secret(&err);

    let calls = requests_to(&server, CARD_PATH).await;
    assert_eq!(calls.len(), 1, "a card payment is sent once");
    let body: serde_json::Value = serde_json::from_slice(&calls[0].body).expect("JSON");
    assert_eq!(
        body,
        json!({"amount": 1000, "accountNumber": NUMBER, "accountExpire": "1299", "cvv": "987"}),
        "on the wire as is"
    );
}
