//! Answers: the `{status, result}` envelope, error answers with the table's codes, and the
//! success `result` built for any endpoint from what the simulator knows, shaped by the
//! endpoint's generated response type.
//!
//! The response types are generated and `#[non_exhaustive]`, so the simulator cannot name their
//! fields. It learns them from serde instead: [`ResponsePlan::of`] asks the type's `Deserialize`
//! impl for its field list (the wire names), once per endpoint at start-up. An answer is then
//! built member by member: what the payment's state says (`paymentId`, `paymentStatus`, amounts,
//! ...), else the request member of the same name, else, for fields the simulator has no meaning
//! for (`prepayId`, `tn`, ...), a stable placeholder. The result must deserialize as the
//! endpoint's response type, or the call answers a system error (a simulator bug, which the
//! every-endpoint test catches).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ottpay::ErrorCode;
use ottpay::api::OttPay;
use ottpay::runtime::Api;
use serde::de::{DeserializeOwned, Deserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

/// An `ERROR` answer: a code of the table and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) code: i64,
    pub(crate) message: String,
}

impl ApiError {
    /// The code with a message saying what was wrong.
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code: code.code(), message: message.into() }
    }

    /// The code with the table's own message.
    pub(crate) fn of(code: ErrorCode) -> Self {
        ApiError { code: code.code(), message: code.message().to_owned() }
    }

    /// `10005` Invalid parameter, saying which.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::InvalidParameter, message)
    }
}

/// The wire names the simulator fills from its own state when it knows them (or echoes from the
/// request), and never invents.
const ROLES: &[&str] = &[
    "token",
    "expired",
    "paymentId",
    "payInfo",
    "codeUrl",
    "merchantId",
    "amount",
    "totalAmount",
    "payAmount",
    "receiveAmount",
    "receiptAmount",
    "refundFee",
    "refundAmount",
    "refundId",
    "refundStatus",
    "reverseId",
    "paymentStatus",
    "stateCode",
    "tradeTime",
    "localeTradeTime",
    "timeZoneId",
    "tip",
    "exchangeRate",
    "bizPayOrderId",
    "reference",
    "ccType",
    "escape3DSChallengeForm",
    "saleNumber",
    "buyerLoginId",
    "convenienceFee",
];

/// How to answer one endpoint: the fields of its response type, and which of them take a
/// placeholder string.
#[derive(Clone, Debug, Default)]
pub(crate) struct ResponsePlan {
    /// The wire names of the response type, or `None` when serde does not list them (then the
    /// answer is what the state knows).
    fields: Option<&'static [&'static str]>,
    /// Fields outside [`ROLES`] that accept a string.
    open: Vec<&'static str>,
}

impl ResponsePlan {
    /// Learns the fields of `R` from its `Deserialize` impl.
    pub(crate) fn of<R: DeserializeOwned>() -> Self {
        let mut fields = None;
        let _ = R::deserialize(FieldProbe(&mut fields));
        let open = fields
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|f| !ROLES.contains(f))
            .filter(|f| {
                let mut one = Map::new();
                one.insert((*f).to_owned(), Value::String("x".to_owned()));
                serde_json::from_value::<R>(Value::Object(one)).is_ok()
            })
            .collect();
        ResponsePlan { fields, open }
    }

    /// The `result` of a success answer: `known` members first, then request members of the
    /// same name, then placeholders (made from `key`, the payment id when there is one).
    ///
    /// # Errors
    /// `50003` System error if the result does not deserialize as `R`.
    pub(crate) fn build<R: DeserializeOwned>(
        &self,
        mut known: Map<String, Value>,
        request: &Map<String, Value>,
        key: &str,
    ) -> Result<Value, ApiError> {
        let result = match self.fields {
            None => known,
            Some(fields) => {
                let mut out = Map::new();
                for &field in fields {
                    if let Some(value) = known.remove(field) {
                        out.insert(field.to_owned(), value);
                    } else if let Some(value) = request.get(field).filter(|v| !v.is_null()) {
                        out.insert(field.to_owned(), value.clone());
                    } else if self.open.contains(&field) {
                        out.insert(field.to_owned(), Value::String(format!("sim-{field}-{key}")));
                    }
                }
                out
            }
        };
        let result = Value::Object(result);
        match R::deserialize(&result) {
            Ok(_) => Ok(result),
            Err(e) => Err(ApiError::new(
                ErrorCode::SystemError,
                format!("the simulator built an answer its response type rejects ({e}); please report this"),
            )),
        }
    }
}

/// A success answer: `{"status":"SUCCESS","result":…}` with HTTP 200.
pub(crate) fn success(result: Value) -> Response {
    let env = OttPay::ENVELOPE;
    let mut body = Map::new();
    body.insert(env.status.to_owned(), Value::String(env.success.to_owned()));
    body.insert(env.result.to_owned(), result);
    json(StatusCode::OK, &Value::Object(body))
}

/// An error answer: `{"status":"ERROR","result":{"code":…,"message":…}}` with HTTP 200 (the
/// vendor does not document other statuses for error answers).
pub(crate) fn error(err: &ApiError) -> Response {
    let env = OttPay::ENVELOPE;
    let mut result = Map::new();
    result.insert(env.code.to_owned(), Value::from(err.code));
    result.insert(env.message.to_owned(), Value::String(err.message.clone()));
    let mut body = Map::new();
    body.insert(env.status.to_owned(), Value::String(env.error.to_owned()));
    body.insert(env.result.to_owned(), Value::Object(result));
    json(StatusCode::OK, &Value::Object(body))
}

/// Either answer.
pub(crate) fn envelope(outcome: Result<Value, ApiError>) -> Response {
    match outcome {
        Ok(result) => success(result),
        Err(e) => error(&e),
    }
}

/// A JSON body with its content type.
pub(crate) fn json(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// A deserializer that answers nothing, but records the field list a derived struct passes to
/// `deserialize_struct`.
struct FieldProbe<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for FieldProbe<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("field probe"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(serde::de::Error::custom("field probe"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ottpay::{AlipayWapPayResponse, WechatInappPayResponse};
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn learns_the_wire_names() {
        let plan = ResponsePlan::of::<AlipayWapPayResponse>();
        let fields = plan.fields.unwrap_or_default();
        assert!(fields.contains(&"payInfo") && fields.contains(&"paymentId"), "{fields:?}");
    }

    #[test]
    fn known_then_request_then_placeholder() {
        let plan = ResponsePlan::of::<WechatInappPayResponse>();
        let known = map(json!({"paymentId": "17", "amount": "1000", "notAField": 1}));
        let request = map(json!({"appId": "wx2f194e1f2a4e1645", "amount": "1000"}));
        let built = plan.build::<WechatInappPayResponse>(known, &request, "17");
        let built = built.unwrap_or(Value::Null);
        assert_eq!(built["paymentId"], "17");
        assert_eq!(built["appId"], "wx2f194e1f2a4e1645");
        assert_eq!(built["prepayId"], "sim-prepayId-17");
        assert!(built.get("notAField").is_none());
        assert!(built.get("signType").is_some());
    }

    #[test]
    fn a_result_of_the_wrong_shape_is_a_system_error() {
        let plan = ResponsePlan::of::<AlipayWapPayResponse>();
        let err = plan.build::<AlipayWapPayResponse>(map(json!({"paymentId": {"no": 1}})), &Map::new(), "k");
        assert_eq!(err.err().map(|e| e.code), Some(50003));
    }
}
