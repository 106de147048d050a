//! A small API of the runtime's own for its unit tests: an error table, a token endpoint and a
#![cfg_attr(not(feature = "client"), allow(dead_code))]
//! payment endpoint, written by hand so the runtime is tested without any generated code.

use serde::{Deserialize, Serialize};

use crate::api::{Api, ApiCode, Envelope, TokenAnswer};
use crate::endpoint::{Auth, Endpoint, Retry};
use crate::money::Cents;
use crate::secret::Sensitive;
use crate::validate::{Pointer, Validate, Validator};

pub(crate) const ENVELOPE: Envelope = Envelope {
    status: "status",
    result: "result",
    success: "SUCCESS",
    error: "ERROR",
    code: "code",
    message: "message",
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TestCode {
    Unauthorized,
    Unknown(i64),
}

impl ApiCode for TestCode {
    fn from_code(code: i64) -> Self {
        if code == 90000 { TestCode::Unauthorized } else { TestCode::Unknown(code) }
    }
    fn code(&self) -> i64 {
        match self {
            TestCode::Unauthorized => 90000,
            TestCode::Unknown(c) => *c,
        }
    }
    fn message(&self) -> &'static str {
        match self {
            TestCode::Unauthorized => "Unauthorized",
            TestCode::Unknown(_) => "",
        }
    }
}

pub(crate) struct TestApi;

#[derive(Serialize)]
pub(crate) struct TokenRequest {
    #[serde(rename = "appId")]
    app_id: String,
    #[serde(rename = "appKey")]
    app_key: Sensitive<String>,
}

impl Validate for TokenRequest {
    fn validate_into(&self, _at: &Pointer<'_>, _v: &mut Validator) {}
}

#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    token: Option<Sensitive<String>>,
    expired: Option<i64>,
}

impl Endpoint for TokenRequest {
    type Api = TestApi;
    type Response = TokenResponse;
    const ID: &'static str = "token";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/token";
    const AUTH: Auth = Auth::None;
    const RETRY: Retry = Retry::Safe;
    const ERRORS: &'static [TestCode] = &[];
}

impl Api for TestApi {
    type ErrorCode = TestCode;
    type TokenRequest = TokenRequest;
    const PRODUCTION_URL: &'static str = "https://api.test.example";
    const SANDBOX_URL: Option<&'static str> = None;
    const ENVELOPE: Envelope = ENVELOPE;
    const INVALID_TOKEN_CODE: Option<i64> = Some(90000);

    fn token_request(app_id: &str, app_key: &Sensitive<String>) -> TokenRequest {
        TokenRequest { app_id: app_id.to_owned(), app_key: app_key.clone() }
    }

    fn token_answer(response: &TokenResponse) -> TokenAnswer<'_> {
        TokenAnswer { token: response.token.as_ref(), expires_at: response.expired }
    }
}

#[derive(Serialize)]
pub(crate) struct Pay {
    pub(crate) amount: Cents,
}

impl Validate for Pay {
    fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator) {
        v.cents(at, "amount", Some(self.amount), 1, i64::MAX as u64);
    }
}

impl Endpoint for Pay {
    type Api = TestApi;
    type Response = serde_json::Value;
    const ID: &'static str = "pay";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/pay";
    const AUTH: Auth = Auth::Bearer;
    const RETRY: Retry = Retry::Never;
    const ERRORS: &'static [TestCode] = &[];
}
