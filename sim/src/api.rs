//! The API routes: one per endpoint of the generated registry, all served by one generic handler.
//!
//! `ottpay::registry::visit_endpoints` hands every request type of the spec to [`ApiRoutes`],
//! which routes `POST <path>` to [`serve::<E>`]. Nothing here names an endpoint: an endpoint
//! added to the spec is served after `cargo xtask gen`, with the behaviour of its kind.
//!
//! A call goes through, in order: faults planned before processing (latency, 5xx, reset, error
//! code, token expiry); the bearer token (`90000` when missing, unknown or expired); the body as
//! JSON and as the endpoint's request type `E` (`10005` naming the field); `E::validate()`, the
//! same rules the client runs (`10005` listing every violation); the behaviour of the endpoint's
//! kind; the answer, shaped by `E::Response`; faults planned after processing.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use ottpay::registry::{EndpointInfo, EndpointVisitor, visit_endpoints};
use ottpay::{Auth, Endpoint};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::answer::{self, ApiError, ResponsePlan};
use crate::behave::{self, Req};
use crate::core::Shared;
use crate::error::StartError;
use crate::events::SimEvent;
use crate::faults::Fault;
use crate::server::ResetConnection;

/// What the handler of one endpoint needs.
struct EndpointCtx {
    shared: Arc<Shared>,
    info: &'static EndpointInfo,
    plan: ResponsePlan,
}

/// Builds the API routes from the registry.
pub(crate) fn routes(shared: &Arc<Shared>) -> Result<Router, StartError> {
    let mut routes =
        ApiRoutes { shared: Arc::clone(shared), router: Router::new(), paths: HashSet::new(), error: None };
    visit_endpoints(&mut routes);
    match routes.error {
        Some(e) => Err(e),
        None => Ok(routes.router),
    }
}

/// The registry visitor that adds one route per endpoint.
struct ApiRoutes {
    shared: Arc<Shared>,
    router: Router,
    paths: HashSet<&'static str>,
    error: Option<StartError>,
}

impl EndpointVisitor for ApiRoutes {
    fn visit<E>(&mut self, info: &'static EndpointInfo)
    where
        E: Endpoint<Api = ottpay::api::OttPay> + DeserializeOwned + Send + Sync + 'static,
        E::Response: Serialize + Default + Send + Sync + 'static,
    {
        if self.error.is_some() {
            return;
        }
        if let Err(reason) = routable(info.path) {
            self.error = Some(StartError::Route { endpoint: info.id, path: info.path, reason });
            return;
        }
        if !self.paths.insert(info.path) {
            let reason = "another endpoint has the same path";
            self.error = Some(StartError::Route { endpoint: info.id, path: info.path, reason });
            return;
        }
        let ctx =
            Arc::new(EndpointCtx { shared: Arc::clone(&self.shared), info, plan: ResponsePlan::of::<E::Response>() });
        let router = std::mem::take(&mut self.router);
        self.router = router.route(info.path, post(serve::<E>).with_state(ctx));
    }
}

/// Whether axum can route `path` literally (it panics on paths it cannot).
fn routable(path: &str) -> Result<(), &'static str> {
    if !path.starts_with('/') {
        return Err("the path must start with /");
    }
    if path.contains(['{', '}', '*', '?', '#']) || path.contains("//") || path.chars().any(char::is_whitespace) {
        return Err("the path has characters the router reads as parameters or cannot match");
    }
    Ok(())
}

/// The generic handler of every endpoint.
async fn serve<E>(State(ctx): State<Arc<EndpointCtx>>, headers: HeaderMap, body: Bytes) -> Response
where
    E: Endpoint<Api = ottpay::api::OttPay> + DeserializeOwned + Send + Sync + 'static,
    E::Response: Serialize + Default + Send + Sync + 'static,
{
    let shared = &ctx.shared;
    let id = ctx.info.id;
    shared.count_call(id);
    let plan = shared.faults.take(id);
    if !plan.delay_before.is_zero() {
        tokio::time::sleep(plan.delay_before).await;
    }
    let token = bearer(&headers);
    if let Some(fault) = &plan.before {
        shared.emit(|| SimEvent::Fault { endpoint: id, fault: fault.clone() });
        return fault_answer(shared, fault, token.as_deref());
    }
    let outcome = process::<E>(&ctx, token.as_deref(), &body);
    if let Err(e) = &outcome {
        shared.emit(|| SimEvent::Rejected { endpoint: id, code: e.code, message: e.message.clone() });
    }
    if !plan.delay_after.is_zero() {
        tokio::time::sleep(plan.delay_after).await;
    }
    if let Some(fault) = &plan.after {
        shared.emit(|| SimEvent::Fault { endpoint: id, fault: fault.clone() });
        if *fault == Fault::ExpireToken {
            if let Some(token) = &token {
                shared.expire_token(token);
            }
        } else {
            return fault_answer(shared, fault, token.as_deref());
        }
    }
    answer::envelope(outcome)
}

/// Authenticates, decodes, validates and runs the behaviour of one call.
fn process<E>(ctx: &EndpointCtx, token: Option<&str>, body: &[u8]) -> Result<Value, ApiError>
where
    E: Endpoint<Api = ottpay::api::OttPay> + DeserializeOwned,
{
    let merchant = match E::AUTH {
        Auth::Bearer => Some(ctx.shared.authenticate(token)?),
        Auth::None => None,
    };
    let mut value: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::invalid(format!("the body is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::invalid("the body must be a JSON object"));
    }
    if let Err(first) = check::<E>(&value) {
        // An optional field sent as "" reads as absent (the vendor's own examples send
        // `"remark": ""`; third-party clients send `"email": ""`); then check again.
        if !drop_empty_optionals::<E>(&mut value) {
            return Err(with_missing::<E>(&value, first));
        }
        check::<E>(&value).map_err(|e| with_missing::<E>(&value, e))?;
    }
    let Value::Object(members) = &value else {
        return Err(ApiError::invalid("the body must be a JSON object"));
    };
    let known = behave::run(&ctx.shared, ctx.info, merchant, Req(members))?;
    ctx.plan.build::<E::Response>(known.members, members, &known.key)
}

/// Deserializes the body as `E` (`10005` naming the field) and runs `E::validate()` (`10005`
/// listing every violation).
fn check<E: Endpoint + DeserializeOwned>(value: &Value) -> Result<(), ApiError> {
    let request: E = serde_path_to_error::deserialize(value).map_err(|e| ApiError::invalid(located(e)))?;
    request.validate().map_err(|errors| ApiError::invalid(errors.to_string()))
}

/// A serde error with the JSON pointer of the value it is about (none for the body itself).
fn located(e: serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    if path == "." { e.into_inner().to_string() } else { format!("/{}: {}", path.replace('.', "/"), e.into_inner()) }
}

/// serde stops at the first missing field; a body missing several gets them all named: each is
/// filled with a stand-in (a string, a number, an object) until the type reads past it. Only the
/// body's own members are named (a missing member of a nested object ends the search). With every
/// missing field stood in for, `validate()` names the violations of the fields that were sent.
fn with_missing<E: Endpoint + DeserializeOwned>(value: &Value, error: ApiError) -> ApiError {
    let Value::Object(mut probe) = value.clone() else { return error };
    // The path and message of the first problem serde finds.
    let problem = |probe: &serde_json::Map<String, Value>| {
        serde_path_to_error::deserialize::<_, E>(Value::Object(probe.clone()))
            .err()
            .map(|e| (e.path().to_string(), e.into_inner().to_string()))
    };
    let missing_field = |(path, message): &(String, String)| {
        let field = message.strip_prefix("missing field `")?.split('`').next()?;
        (path == ".").then(|| field.to_owned())
    };
    let mut missing: Vec<String> = Vec::new();
    while let Some(field) = problem(&probe).as_ref().and_then(missing_field) {
        if missing.contains(&field) || missing.len() >= 32 {
            break;
        }
        let stand_ins = [Value::from("1"), Value::from(1), Value::Object(serde_json::Map::new())];
        let filled = stand_ins.into_iter().any(|stand_in| {
            probe.insert(field.clone(), stand_in);
            problem(&probe).is_none_or(|p| p.0 != field && missing_field(&p).as_ref() != Some(&field))
        });
        missing.push(field);
        if !filled {
            break;
        }
    }
    // With every missing field stood in for, the rules of the fields that were sent can run too.
    let stood_in = |pointer: &str| {
        missing.iter().any(|f| pointer.strip_prefix('/').is_some_and(|p| p == f || p.starts_with(&format!("{f}/"))))
    };
    let violations: Vec<String> = match serde_json::from_value::<E>(Value::Object(probe)) {
        Ok(request) => match request.validate() {
            Err(errors) => {
                errors.violations().iter().filter(|v| !stood_in(&v.pointer)).map(ToString::to_string).collect()
            }
            Ok(()) => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    if missing.len() < 2 && violations.is_empty() {
        return error;
    }
    let fields: Vec<String> = missing.iter().map(|f| format!("/{f}")).collect();
    let mut message = format!("missing field{} {}", if fields.len() == 1 { "" } else { "s" }, fields.join(", "));
    for v in violations {
        message.push_str("; ");
        message.push_str(&v);
    }
    ApiError::invalid(message)
}

/// Removes every member holding `""` (at any depth) whose absence `E` accepts, that is every
/// optional one. Whether anything was removed.
fn drop_empty_optionals<E: DeserializeOwned>(value: &mut Value) -> bool {
    let mut paths = Vec::new();
    empty_strings(value, &mut Vec::new(), &mut paths);
    let mut removed = false;
    for path in paths {
        let mut candidate = value.clone();
        if remove_at(&mut candidate, &path) && serde_json::from_value::<E>(candidate.clone()).is_ok() {
            *value = candidate;
            removed = true;
        }
    }
    removed
}

/// The paths of the object members that hold `""`.
fn empty_strings(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Value::Object(members) = value {
        for (name, member) in members {
            at.push(name.clone());
            match member {
                Value::String(s) if s.is_empty() => out.push(at.clone()),
                Value::Object(_) => empty_strings(member, at, out),
                _ => {}
            }
            at.pop();
        }
    }
}

fn remove_at(value: &mut Value, path: &[String]) -> bool {
    match path {
        [] => false,
        [last] => value.as_object_mut().is_some_and(|m| m.remove(last).is_some()),
        [first, rest @ ..] => value.get_mut(first).is_some_and(|v| remove_at(v, rest)),
    }
}

/// The bearer token of the `Authorization` header.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The answer a fault gives instead of the real one.
fn fault_answer(shared: &Shared, fault: &Fault, token: Option<&str>) -> Response {
    match fault {
        Fault::HttpStatus { status } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY);
            let reason = status.canonical_reason().unwrap_or("Error");
            let body = format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                code = status.as_u16()
            );
            (status, [(header::CONTENT_TYPE, "text/html")], body).into_response()
        }
        Fault::Reset => {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(ResetConnection);
            response
        }
        Fault::Error { code } => {
            let table = ottpay::ErrorCode::from_code(*code);
            let message = if table.message().is_empty() { "Error" } else { table.message() };
            answer::error(&ApiError { code: *code, message: message.to_owned() })
        }
        Fault::ExpireToken => {
            if let Some(token) = token {
                shared.expire_token(token);
            }
            answer::error(&ApiError::new(ottpay::ErrorCode::Unauthorized, "Unauthorized: the token has expired"))
        }
        Fault::Latency { .. } => answer::envelope(Err(ApiError::of(ottpay::ErrorCode::SystemError))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_missing_field_is_named() {
        let err = with_missing::<ottpay::AlipayWapPayRequest>(
            &serde_json::json!({"remark": "x"}),
            ApiError::invalid("first"),
        );
        assert_eq!(err.message, "missing fields /amount, /callbackURL, /returnURL");
        let bad = with_missing::<ottpay::AlipayWapPayRequest>(
            &serde_json::json!({"amount": "0", "returnURL": "x"}),
            ApiError::invalid("first"),
        );
        assert!(
            bad.message.starts_with("missing field /callbackURL; /amount: must be at least 1 cent"),
            "{}",
            bad.message
        );
        assert!(bad.message.contains("/returnURL: must be an absolute http(s) URL"), "{}", bad.message);
        let one = with_missing::<ottpay::AlipayWapPayRequest>(
            &serde_json::json!({"amount": "1", "callbackURL": "http://a.b/c"}),
            ApiError::invalid("first"),
        );
        assert_eq!(one.message, "first");
        let card = with_missing::<ottpay::CardReverseRequest>(&serde_json::json!({}), ApiError::invalid("first"));
        assert_eq!(card.message, "first", "one missing field: serde's own message");
    }

    #[test]
    fn empty_optional_strings_read_as_absent() {
        let mut value = serde_json::json!({
            "amount": "1", "callbackURL": "", "returnURL": "http://a.b/c", "remark": ""
        });
        assert!(drop_empty_optionals::<ottpay::AlipayWapPayRequest>(&mut value));
        // the required callbackURL stays (its absence is not accepted); the optional remark goes
        assert_eq!(value, serde_json::json!({"amount": "1", "callbackURL": "", "returnURL": "http://a.b/c"}));
    }

    #[test]
    fn bearer_tokens() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer(&headers), None);
        headers.insert(AUTHORIZATION, header::HeaderValue::from_static("Bearer abc.def"));
        assert_eq!(bearer(&headers).as_deref(), Some("abc.def"));
        headers.insert(AUTHORIZATION, header::HeaderValue::from_static("bearer  xyz "));
        assert_eq!(bearer(&headers).as_deref(), Some("xyz"));
        headers.insert(AUTHORIZATION, header::HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&headers), None);
    }

    #[test]
    fn routable_paths() {
        assert!(routable("/api/v1/pay/alipay/wap-pay").is_ok());
        for bad in ["api/v1", "/api/{id}", "/a//b", "/a b", "/a/*rest"] {
            assert!(routable(bad).is_err(), "{bad}");
        }
    }
}
