//! Shared helpers for the client tests: a wiremock server on 127.0.0.1 with the token endpoint,
//! envelopes, a client pointed at the server, and [`round_trip`] for vendor examples.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ottpay::runtime::validate::Validator;
use ottpay::{AuthTokenRequest, Auth, Backoff, Client, ClientBuilder, Endpoint, ErrorCode, Retry, Validate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The appId every test client uses.
pub const APP_ID: &str = "ON00000185";
/// The appKey every test client uses; must never show up in any output.
pub const APP_KEY: &str = "0e83678f102d188d8875e8e4c781b984";
/// The first token the test token endpoint hands out; must never show up in any output.
pub const TOKEN: &str = "eyJhbGciOiJIUzUxMiJ9.test-token-one.c2lnbmF0dXJl";
/// The second token, for refresh tests.
pub const TOKEN2: &str = "eyJhbGciOiJIUzUxMiJ9.test-token-two.c2lnbmF0dXJl";

/// The token endpoint's path.
pub const TOKEN_PATH: &str = <AuthTokenRequest as Endpoint>::PATH;

/// Now as Unix milliseconds.
pub fn now_ms() -> i64 {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// `{"status":"SUCCESS","result":result}`.
pub fn ok(result: Value) -> Value {
    json!({"status": "SUCCESS", "result": result})
}

/// `{"status":"ERROR","result":{"code":code,"message":message}}`.
pub fn api_error(code: i64, message: &str) -> Value {
    json!({"status": "ERROR", "result": {"code": code, "message": message}})
}

/// A successful token answer for `token`, valid for `lifetime_ms`.
pub fn token_answer(token: &str, lifetime_ms: i64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(ok(json!({"token": token, "expired": now_ms() + lifetime_ms})))
}

/// Mounts a token endpoint that always hands out [`TOKEN`], valid for 15 minutes.
pub async fn mount_token(server: &MockServer) {
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer(TOKEN, 900_000)).mount(server).await;
}

/// Mounts a token endpoint that hands out [`TOKEN`] once, then [`TOKEN2`], each valid for `lifetime_ms`.
pub async fn mount_two_tokens(server: &MockServer, lifetime_ms: i64) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer(TOKEN, lifetime_ms))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(token_answer(TOKEN2, lifetime_ms)).mount(server).await;
}

/// Mounts `answer` for every POST to `at`.
pub async fn mount_answer(server: &MockServer, at: &str, answer: ResponseTemplate) {
    Mock::given(method("POST")).and(path(at)).respond_with(answer).mount(server).await;
}

/// A builder pointed at `server` with the test credentials and a fast backoff (3 attempts, 10 ms).
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .credentials(APP_ID, APP_KEY)
        .backoff(Backoff { max_attempts: 3, initial_delay: Duration::from_millis(10), max_delay: Duration::from_millis(20) })
}

/// A client pointed at `server`.
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("the test client builds")
}

/// Every request the server received at `at`, in order.
pub async fn requests_to(server: &MockServer, at: &str) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default().into_iter().filter(|r| r.url.path() == at).collect()
}

/// The `Authorization` header of `request`, if any.
pub fn authorization(request: &Request) -> Option<String> {
    request.headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A valid Alipay WAP payment request (a `Retry::Never` endpoint).
pub fn wap_pay() -> ottpay::AlipayWapPayRequest {
    ottpay::AlipayWapPayRequest::new(ottpay::Cents::new(1000), "https://your.callback.url", "https://your.return.url")
}

/// The path of the Alipay WAP payment endpoint.
pub const WAP_PATH: &str = <ottpay::AlipayWapPayRequest as Endpoint>::PATH;

/// A successful Alipay WAP answer.
pub fn wap_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(ok(json!({
        "payInfo": "https://intlmapi.alipay.com/gateway.do?x=1",
        "merchantId": "ON00000097",
        "paymentId": "DEMOORDERID0000013",
        "amount": null
    })))
}

/// A test-only `Retry::Safe` endpoint shaped like the wallet status query, so the retry tests do
/// not depend on which endpoints the generator has emitted yet.
#[derive(Clone, Debug, Serialize)]
pub struct StatusQuery {
    /// The payment to look up.
    #[serde(rename = "paymentId")]
    pub payment_id: String,
}

/// The answer of [`StatusQuery`].
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct StatusResult {
    /// `success`, `fully_refunded`, ...
    #[serde(rename = "paymentStatus")]
    pub payment_status: Option<String>,
}

impl Validate for StatusQuery {
    fn validate_into(&self, at: &str, v: &mut Validator) {
        v.text(at, "paymentId", Some(&self.payment_id)).min_chars(1).max_chars(64);
    }
}

impl Endpoint for StatusQuery {
    type Response = StatusResult;
    const ID: &'static str = "test_status_query";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/api/v1/pay/status-query";
    const AUTH: Auth = Auth::Bearer;
    const RETRY: Retry = Retry::Safe;
    const ERRORS: &'static [ErrorCode] = &[];
}

/// Sends `request` through a [`Client`] to a fresh wiremock server on 127.0.0.1 that serves the
/// token endpoint and answers `E::PATH` with `response_envelope`; asserts that the server
/// received exactly `expected_body` (as JSON) and `Authorization: Bearer <token>` exactly when
/// `E::AUTH` is `Bearer`; returns what the client decoded.
///
/// An invalid request is returned as `Err(Error::Invalid)` after checking nothing was sent.
pub async fn round_trip<E: Endpoint>(
    request: &E,
    expected_body: &Value,
    response_envelope: &Value,
) -> Result<E::Response, ottpay::Error> {
    let server = MockServer::start().await;
    if E::PATH != TOKEN_PATH {
        mount_token(&server).await;
    }
    Mock::given(method(E::METHOD))
        .and(path(E::PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_envelope))
        .mount(&server)
        .await;
    let client = builder(&server).build()?;
    let result = client.send(request).await;
    let calls = requests_to(&server, E::PATH).await;
    if matches!(result, Err(ottpay::Error::Invalid { .. })) {
        assert!(calls.is_empty(), "{}: an invalid request reached the server", E::ID);
        return result;
    }
    assert_eq!(calls.len(), 1, "{}: expected exactly one request to {}", E::ID, E::PATH);
    let call = &calls[0];
    let body: Value = serde_json::from_slice(&call.body).expect("the request body is JSON");
    assert_eq!(&body, expected_body, "{}: the request body as the server received it", E::ID);
    let content_type = call.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("application/json"), "{}: content-type {content_type:?}", E::ID);
    match E::AUTH {
        Auth::Bearer => assert_eq!(authorization(call).as_deref(), Some(format!("Bearer {TOKEN}").as_str()), "{}", E::ID),
        Auth::None => assert_eq!(authorization(call), None, "{}: no Authorization on an Auth::None endpoint", E::ID),
    }
    result
}
