// PLACEHOLDER written by hand until `cargo xtask gen` exists; the generator replaces this file.
// The names and shapes below are the contract the generator will emit.
#![allow(missing_docs)]

use crate::runtime::endpoint::{Auth, Endpoint, Retry};
use crate::runtime::money::{Cents, ReportedAmount};
use crate::runtime::secret::Sensitive;
use crate::runtime::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Error codes (generated from `errors:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    ApiAuthorizationFailed,
    InvalidParameter,
    DatabaseError,
    Unauthorized,
    Unknown(i64),
}

impl ErrorCode {
    pub fn from_code(code: i64) -> Self {
        match code {
            10003 => Self::ApiAuthorizationFailed,
            10005 => Self::InvalidParameter,
            20004 => Self::DatabaseError,
            90000 => Self::Unauthorized,
            other => Self::Unknown(other),
        }
    }
    pub fn code(&self) -> i64 {
        match self {
            Self::ApiAuthorizationFailed => 10003,
            Self::InvalidParameter => 10005,
            Self::DatabaseError => 20004,
            Self::Unauthorized => 90000,
            Self::Unknown(c) => *c,
        }
    }
    pub fn message(&self) -> &'static str {
        match self {
            Self::ApiAuthorizationFailed => "API Authorization failed",
            Self::InvalidParameter => "Invalid parameter",
            Self::DatabaseError => "Database error",
            Self::Unauthorized => "Unauthorized",
            Self::Unknown(_) => "Unknown error code",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthTokenRequest {
    #[serde(rename = "appId")]
    pub app_id: String,
    #[serde(rename = "appKey")]
    pub app_key: Sensitive<String>,
}
impl AuthTokenRequest {
    pub fn new(app_id: impl Into<String>, app_key: impl Into<Sensitive<String>>) -> Self {
        Self { app_id: app_id.into(), app_key: app_key.into() }
    }
}
impl Validate for AuthTokenRequest {
    fn validate_into(&self, _at: &str, _v: &mut Validator) {}
}
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AuthTokenResponse {
    pub token: Option<Sensitive<String>>,
    pub expired: Option<i64>,
}
impl Endpoint for AuthTokenRequest {
    type Response = AuthTokenResponse;
    const ID: &'static str = "auth_token";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/api/v1/auth/token";
    const AUTH: Auth = Auth::None;
    const RETRY: Retry = Retry::Safe;
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ApiAuthorizationFailed];
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AlipayWapPayRequest {
    #[serde(rename = "amount", with = "crate::runtime::money::as_string")]
    pub amount: Cents,
    #[serde(rename = "callbackURL")]
    pub callback_url: String,
    #[serde(rename = "returnURL")]
    pub return_url: String,
    #[serde(rename = "remark", skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}
impl AlipayWapPayRequest {
    pub fn new(amount: Cents, callback_url: impl Into<String>, return_url: impl Into<String>) -> Self {
        Self { amount, callback_url: callback_url.into(), return_url: return_url.into(), remark: None }
    }
    pub fn remark(mut self, remark: impl Into<String>) -> Self {
        self.remark = Some(remark.into());
        self
    }
}
impl Validate for AlipayWapPayRequest {
    fn validate_into(&self, at: &str, v: &mut Validator) {
        v.cents(at, "amount", Some(self.amount), 1);
        v.text(at, "callbackURL", Some(&self.callback_url)).url().max_chars(255);
        v.text(at, "returnURL", Some(&self.return_url)).url().max_chars(255);
        v.text(at, "remark", self.remark.as_deref()).max_chars(128);
    }
}
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AlipayWapPayResponse {
    #[serde(rename = "payInfo")]
    pub pay_info: Option<String>,
    #[serde(rename = "merchantId")]
    pub merchant_id: Option<String>,
    #[serde(rename = "paymentId")]
    pub payment_id: Option<String>,
    pub amount: Option<ReportedAmount>,
}
impl Endpoint for AlipayWapPayRequest {
    type Response = AlipayWapPayResponse;
    const ID: &'static str = "alipay_wap_pay";
    const METHOD: &'static str = "POST";
    const PATH: &'static str = "/api/v1/pay/alipay/wap-pay";
    const AUTH: Auth = Auth::Bearer;
    const RETRY: Retry = Retry::Never;
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ApiAuthorizationFailed];
}

/// Outer body of the payment-result callback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct PaymentResultNotification {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rsp_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rsp_msg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

/// Decrypted fields of the payment-result callback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct PaymentResultData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bizpay_order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sale_num: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub convenience_fee: Option<String>,
    #[serde(rename = "sub_openId", skip_serializing_if = "Option::is_none")]
    pub sub_open_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}
