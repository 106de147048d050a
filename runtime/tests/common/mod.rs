//! Shared helpers for the client tests: a small API written by hand for the tests ([`TestApi`]:
//! an error table, a token endpoint, a wallet payment, a status query and a card payment), a
//! wiremock server on 127.0.0.1 with the token endpoint, envelopes, a client pointed at the
//! server, and [`round_trip`] for vendor-style examples. Nothing here depends on generated code.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ottpay_runtime::client::{Backoff, Client, ClientBuilder, FromClient};
use ottpay_runtime::money::as_string;
use ottpay_runtime::{
    Api, ApiCode, Auth, Cents, Endpoint, Envelope, Pointer, ReportedAmount, Retry, Sensitive, TokenAnswer, Validate,
    Validator,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// The test API
// ---------------------------------------------------------------------------------------------

/// The error of a call to the test API.
pub type Error = ottpay_runtime::client::Error<ErrorCode>;

/// The test API: OTT Pay's envelope and token flow, with servers of its own.
#[derive(Debug)]
pub struct TestApi;

/// The production base URL of [`TestApi`].
pub const PRODUCTION_URL: &str = "https://api.test.example";
/// The sandbox base URL of [`TestApi`].
pub const SANDBOX_URL: &str = "https://sandbox.test.example";

impl Api for TestApi {
    type ErrorCode = ErrorCode;
    type TokenRequest = AuthTokenRequest;
    const PRODUCTION_URL: &'static str = PRODUCTION_URL;
    const SANDBOX_URL: Option<&'static str> = Some(SANDBOX_URL);
    const ENVELOPE: Envelope = Envelope {
        status: "status",
        result: "result",
        success: "SUCCESS",
        error: "ERROR",
        code: "code",
        message: "message",
    };
    const INVALID_TOKEN_CODE: Option<i64> = Some(90000);

    fn token_request(app_id: &str, app_key: &Sensitive<String>) -> AuthTokenRequest {
        AuthTokenRequest { app_id: app_id.to_owned(), app_key: app_key.clone() }
    }

    fn token_answer(response: &AuthTokenResponse) -> TokenAnswer<'_> {
        TokenAnswer { token: response.token.as_ref(), expires_at: response.expired }
    }
}

/// The error table of [`TestApi`] (a few of OTT Pay's codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `10003`
    ApiAuthorizationFailed,
    /// `10005`
    InvalidParameter,
    /// `20004`
    DatabaseError,
    /// `20019`
    OriginalPaymentNotExist,
    /// `50003`
    SystemError,
    /// `90000`: the token is invalid or expired.
    Unauthorized,
    /// Any other code.
    Unknown(i64),
}

impl ApiCode for ErrorCode {
    fn from_code(code: i64) -> Self {
        match code {
            10003 => ErrorCode::ApiAuthorizationFailed,
            10005 => ErrorCode::InvalidParameter,
            20004 => ErrorCode::DatabaseError,
            20019 => ErrorCode::OriginalPaymentNotExist,
            50003 => ErrorCode::SystemError,
            90000 => ErrorCode::Unauthorized,
            other => ErrorCode::Unknown(other),
        }
    }

    fn code(&self) -> i64 {
        match self {
            ErrorCode::ApiAuthorizationFailed => 10003,
            ErrorCode::InvalidParameter => 10005,
            ErrorCode::DatabaseError => 20004,
            ErrorCode::OriginalPaymentNotExist => 20019,
            ErrorCode::SystemError => 50003,
            ErrorCode::Unauthorized => 90000,
            ErrorCode::Unknown(code) => *code,
        }
    }

    fn message(&self) -> &'static str {
        match self {
            ErrorCode::ApiAuthorizationFailed => "API Authorization failed",
            ErrorCode::InvalidParameter => "Invalid parameter",
            ErrorCode::DatabaseError => "Database error",
            ErrorCode::OriginalPaymentNotExist => "Original payment not exist",
            ErrorCode::SystemError => "System error",
            ErrorCode::Unauthorized => "Unauthorized",
            ErrorCode::Unknown(_) => "",
        }
    }
}

/// The token endpoint: `Auth::None`, `Retry::Safe`, `{appId, appKey}` in, `{token, expired}` out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuthTokenRequest {
    /// The merchant's appId.
    #[serde(rename = "appId")]
    pub app_id: String,
    /// The merchant's appKey.
    #[serde(rename = "appKey")]
    pub app_key: Sensitive<String>,
}

impl AuthTokenRequest {
    /// A token request for these credentials.
    pub fn new(app_id: impl Into<String>, app_key: impl Into<Sensitive<String>>) -> Self {
        AuthTokenRequest { app_id: app_id.into(), app_key: app_key.into() }
    }
}

impl Validate for AuthTokenRequest {
    fn validate_into(&self, _at: &Pointer<'_>, _v: &mut Validator) {}
}

/// The answer of [`AuthTokenRequest`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AuthTokenResponse {
    /// The bearer token.
    pub token: Option<Sensitive<String>>,
    /// Its expiry, Unix milliseconds.
    pub expired: Option<i64>,
}

impl Endpoint for AuthTokenRequest {
    type Api = TestApi;
    type Response = AuthTokenResponse;
    const ID: &'static str = "auth_token";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/api/v1/auth/token";
    const AUTH: Auth = Auth::None;
    const RETRY: Retry = Retry::Safe;
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ApiAuthorizationFailed, ErrorCode::InvalidParameter];
}

/// A wallet payment (shaped like Alipay WAP): amount as a string of cents, two URLs, a remark.
/// `Auth::Bearer`, `Retry::Never`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WalletPayRequest {
    /// The amount, `"1000"` on the wire.
    #[serde(with = "as_string")]
    pub amount: Cents,
    /// Where the result is notified; an absolute http(s) URL.
    #[serde(rename = "callbackURL")]
    pub callback_url: String,
    /// Where the browser returns; an absolute http(s) URL.
    #[serde(rename = "returnURL")]
    pub return_url: String,
    /// At most 128 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

impl WalletPayRequest {
    /// A payment request from its required fields.
    pub fn new(amount: Cents, callback_url: impl Into<String>, return_url: impl Into<String>) -> Self {
        WalletPayRequest { amount, callback_url: callback_url.into(), return_url: return_url.into(), remark: None }
    }

    /// Sets the remark.
    pub fn remark(mut self, remark: impl Into<String>) -> Self {
        self.remark = Some(remark.into());
        self
    }
}

impl Validate for WalletPayRequest {
    fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator) {
        v.cents(at, "amount", Some(self.amount), 1, i64::MAX as u64);
        v.text(at, "callbackURL", Some(self.callback_url.as_str())).url().max_chars(255);
        v.text(at, "returnURL", Some(self.return_url.as_str())).url().max_chars(255);
        v.text(at, "remark", self.remark.as_deref()).max_chars(128);
    }
}

/// The answer of [`WalletPayRequest`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WalletPayResponse {
    /// The payment link.
    #[serde(rename = "payInfo")]
    pub pay_info: Option<String>,
    /// The merchant.
    #[serde(rename = "merchantId")]
    pub merchant_id: Option<String>,
    /// The payment.
    #[serde(rename = "paymentId")]
    pub payment_id: Option<String>,
    /// The amount as reported.
    pub amount: Option<ReportedAmount>,
}

impl ottpay_runtime::WireFields for WalletPayResponse {
    const WIRE_FIELDS: &'static [&'static str] = &["payInfo", "merchantId", "paymentId", "amount"];
}

impl Endpoint for WalletPayRequest {
    type Api = TestApi;
    type Response = WalletPayResponse;
    const ID: &'static str = "wallet_pay";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/api/v1/pay/wallet/pay";
    const AUTH: Auth = Auth::Bearer;
    const RETRY: Retry = Retry::Never;
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::ApiAuthorizationFailed,
        ErrorCode::InvalidParameter,
        ErrorCode::DatabaseError,
        ErrorCode::Unauthorized,
    ];
}

/// A `Retry::Safe` endpoint shaped like the wallet status query.
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
    fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator) {
        v.text(at, "paymentId", Some(&self.payment_id)).min_chars(1).max_chars(64);
    }
}

impl Endpoint for StatusQuery {
    type Api = TestApi;
    type Response = StatusResult;
    const ID: &'static str = "test_status_query";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/api/v1/pay/status-query";
    const AUTH: Auth = Auth::Bearer;
    const RETRY: Retry = Retry::Safe;
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::OriginalPaymentNotExist];
}

/// A card payment with sensitive card data: amount as a JSON number, `Auth::Bearer`,
/// `Retry::Never`.
#[derive(Clone, Debug, Serialize)]
pub struct CardPayRequest {
    /// The amount, `1000` on the wire.
    pub amount: Cents,
    /// The card number.
    #[serde(rename = "accountNumber")]
    pub card_number: Sensitive<String>,
    /// The expiry, `MMYY`.
    #[serde(rename = "accountExpire")]
    pub expiry: String,
    /// The card verification value.
    pub cvv: Sensitive<String>,
}

impl Validate for CardPayRequest {
    fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator) {
        v.cents(at, "amount", Some(self.amount), 1, i64::MAX as u64);
        v.secret(at, "accountNumber", Some(self.card_number.expose().as_str())).card_number();
        v.text(at, "accountExpire", Some(self.expiry.as_str())).mmyy();
        v.secret(at, "cvv", Some(self.cvv.expose().as_str())).cvv();
    }
}

impl Endpoint for CardPayRequest {
    type Api = TestApi;
    type Response = WalletPayResponse;
    const ID: &'static str = "card_pay";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/api/v1/pay/card/pay";
    const AUTH: Auth = Auth::Bearer;
    const RETRY: Retry = Retry::Never;
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::InvalidParameter];
}

/// A client wrapper with one method per endpoint, the way a generated crate wraps [`Client`].
#[derive(Clone, Debug)]
pub struct TestClient(Client<TestApi>);

impl FromClient for TestClient {
    type Api = TestApi;
    fn from_client(client: Client<TestApi>) -> Self {
        TestClient(client)
    }
}

impl TestClient {
    /// A builder of this wrapper.
    pub fn builder() -> ClientBuilder<TestClient> {
        ClientBuilder::default()
    }

    /// The wallet payment.
    pub async fn wallet_pay(&self, request: &WalletPayRequest) -> Result<WalletPayResponse, Error> {
        self.0.send(request).await
    }
}

// ---------------------------------------------------------------------------------------------
// Server and client helpers
// ---------------------------------------------------------------------------------------------

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
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer(TOKEN2, lifetime_ms))
        .mount(server)
        .await;
}

/// Mounts `answer` for every POST to `at`.
pub async fn mount_answer(server: &MockServer, at: &str, answer: ResponseTemplate) {
    Mock::given(method("POST")).and(path(at)).respond_with(answer).mount(server).await;
}

/// The fast backoff of the test clients: 3 attempts, waiting 10 ms then 20 ms.
pub fn fast_backoff() -> Backoff {
    Backoff { max_attempts: 3, initial_delay: Duration::from_millis(10), max_delay: Duration::from_millis(20) }
}

/// A builder pointed at `server` with the test credentials and a fast backoff (3 attempts, 10 ms).
pub fn builder(server: &MockServer) -> ClientBuilder<Client<TestApi>> {
    Client::<TestApi>::builder().base_url(server.uri()).credentials(APP_ID, APP_KEY).backoff(fast_backoff())
}

/// A client pointed at `server`.
pub fn client(server: &MockServer) -> Client<TestApi> {
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

/// A valid wallet payment request (a `Retry::Never` endpoint).
pub fn wallet_pay() -> WalletPayRequest {
    WalletPayRequest::new(Cents::new(1000), "https://your.callback.url", "https://your.return.url")
}

/// The path of the wallet payment endpoint.
pub const WALLET_PATH: &str = <WalletPayRequest as Endpoint>::PATH;

/// The path of the status query endpoint.
pub const QUERY_PATH: &str = <StatusQuery as Endpoint>::PATH;

/// The path of the card payment endpoint.
pub const CARD_PATH: &str = <CardPayRequest as Endpoint>::PATH;

/// A successful wallet payment answer (Alipay WAP's vendor example).
pub fn wallet_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(ok(json!({
        "payInfo": "https://intlmapi.alipay.com/gateway.do?x=1",
        "merchantId": "ON00000097",
        "paymentId": "DEMOORDERID0000013",
        "amount": null
    })))
}

/// Sends `request` through a [`Client`] to a fresh wiremock server on 127.0.0.1 that serves the
/// token endpoint and answers `E::PATH` with `response_envelope`; asserts that the server
/// received exactly `expected_body` (as JSON) and `Authorization: Bearer <token>` exactly when
/// `E::AUTH` is `Bearer`; returns what the client decoded.
///
/// An invalid request is returned as `Err(Error::Invalid)` after checking nothing was sent.
pub async fn round_trip<E: Endpoint<Api = TestApi>>(
    request: &E,
    expected_body: &Value,
    response_envelope: &Value,
) -> Result<E::Response, Error> {
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
    if matches!(result, Err(Error::Invalid { .. })) {
        assert!(calls.is_empty(), "{}: an invalid request reached the server", E::ID);
        let received = server.received_requests().await.unwrap_or_default();
        assert!(received.is_empty(), "{}: an invalid request made a call (token included)", E::ID);
        return result;
    }
    assert_eq!(calls.len(), 1, "{}: expected exactly one request to {}", E::ID, E::PATH);
    let call = &calls[0];
    let body: Value = serde_json::from_slice(&call.body).expect("the request body is JSON");
    assert_eq!(&body, expected_body, "{}: the request body as the server received it", E::ID);
    let content_type = call.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("application/json"), "{}: content-type {content_type:?}", E::ID);
    match E::AUTH {
        Auth::Bearer => {
            assert_eq!(authorization(call).as_deref(), Some(format!("Bearer {TOKEN}").as_str()), "{}", E::ID)
        }
        Auth::None => assert_eq!(authorization(call), None, "{}: no Authorization on an Auth::None endpoint", E::ID),
    }
    result
}

/// A raw HTTP/1.1 server on 127.0.0.1, for failures wiremock cannot produce: for each connection
/// it reads the whole request (headers and body), answers the token call with [`TOKEN`], and hands
/// every other request's stream to `other`, which answers (or not) as the test needs.
pub fn raw_server(other: impl Fn(std::net::TcpStream) + Send + 'static) -> std::net::SocketAddr {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut stream = reader.into_inner();
            if request_line.contains(TOKEN_PATH) {
                let body = ok(json!({"token": TOKEN, "expired": now_ms() + 900_000})).to_string();
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            } else {
                other(stream);
            }
        }
    });
    addr
}
