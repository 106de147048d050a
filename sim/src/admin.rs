//! The admin routes under `/_sim/`: the handle's controls over HTTP (JSON), for tests written in
//! other languages and for poking at a running simulator with `curl`.
//!
//! | route | what |
//! |---|---|
//! | `GET /_sim/payments` | the last 100 payments, newest first |
//! | `GET /_sim/payments/{id}` | one payment |
//! | `POST /_sim/payments/{id}/pay`, `/fail`, `/capture` | the shopper pays or fails; OTT Pay captures |
//! | `GET /_sim/payments/{id}/callback` | the callback delivery of a payment, every attempt |
//! | `GET /_sim/callbacks` | every delivery |
//! | `GET /_sim/faults`, `POST /_sim/faults`, `DELETE /_sim/faults` | list, add (a [`FaultRule`] as JSON), clear |
//! | `POST /_sim/clock/advance` | `{"seconds": 900}` or `{"ms": 900000}`: moves the clock |
//! | `POST /_sim/tokens/expire` | every token expires now |
//! | `GET /_sim/stats` | payments, tokens issued, calls per endpoint |
//! | `POST /_sim/noop`, `POST /_sim/noop/{*path}` | a constant success answer (the benchmark baseline) |

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::SimError;
use crate::answer;
use crate::core::Shared;
use crate::faults::FaultRule;

/// The admin routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/payments", get(payments))
        .route("/_sim/payments/{id}", get(payment))
        .route("/_sim/payments/{id}/pay", post(pay))
        .route("/_sim/payments/{id}/fail", post(fail))
        .route("/_sim/payments/{id}/capture", post(capture))
        .route("/_sim/payments/{id}/callback", get(callback))
        .route("/_sim/callbacks", get(callbacks))
        .route("/_sim/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/_sim/clock/advance", post(advance))
        .route("/_sim/tokens/expire", post(expire_tokens))
        .route("/_sim/stats", get(stats))
        .route("/_sim/noop", post(noop))
        .route("/_sim/noop/{*path}", post(noop))
}

/// The constant answer of the no-op route: a success envelope whose result also reads as a token
/// answer (a client pointed at `/_sim/noop` as its base URL gets a token that never expires).
const NOOP: &str = r#"{"status":"SUCCESS","result":{"token":"noop","expired":253402300799000}}"#;

async fn noop() -> Response {
    let mut response = axum::response::IntoResponse::into_response(NOOP);
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn ok(value: &impl serde::Serialize) -> Response {
    match serde_json::to_value(value) {
        Ok(v) => answer::json(StatusCode::OK, &v),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

fn problem(status: StatusCode, message: &str) -> Response {
    answer::json(status, &json!({ "error": message }))
}

fn sim_error(e: &SimError) -> Response {
    let status = match e {
        SimError::UnknownPayment { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::CONFLICT,
    };
    problem(status, &e.to_string())
}

async fn payments(State(shared): State<Arc<Shared>>) -> Response {
    ok(&shared.recent(100))
}

async fn payment(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match shared.payment(&id) {
        Some(p) => ok(&p),
        None => sim_error(&SimError::UnknownPayment { payment_id: id }),
    }
}

async fn pay(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    transition(&shared, &id, shared.pay(&id))
}

async fn fail(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    transition(&shared, &id, shared.fail(&id))
}

async fn capture(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    transition(&shared, &id, shared.capture(&id))
}

fn transition(shared: &Arc<Shared>, id: &str, outcome: Result<(), SimError>) -> Response {
    match outcome.map(|()| shared.payment(id)) {
        Ok(Some(p)) => ok(&p),
        Ok(None) => sim_error(&SimError::UnknownPayment { payment_id: id.to_owned() }),
        Err(e) => sim_error(&e),
    }
}

async fn callback(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match shared.deliveries.get(&id) {
        Some(d) => ok(&d),
        None => problem(StatusCode::NOT_FOUND, &format!("no callback for payment {id}")),
    }
}

async fn callbacks(State(shared): State<Arc<Shared>>) -> Response {
    ok(&shared.deliveries.all())
}

async fn faults(State(shared): State<Arc<Shared>>) -> Response {
    ok(&shared.faults.list())
}

async fn add_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultRule>(&body) {
        Ok(rule) => {
            shared.faults.add(rule);
            ok(&shared.faults.list())
        }
        Err(e) => problem(StatusCode::BAD_REQUEST, &format!("expected a fault rule: {e}")),
    }
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    shared.faults.clear();
    ok(&Vec::<FaultRule>::new())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    #[serde(default)]
    seconds: u64,
    #[serde(default)]
    ms: u64,
}

async fn advance(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Advance>(&body) {
        Ok(a) => {
            shared.clock.advance(Duration::from_secs(a.seconds).saturating_add(Duration::from_millis(a.ms)));
            ok(&json!({ "now_ms": shared.clock.now_ms() }))
        }
        Err(e) => problem(StatusCode::BAD_REQUEST, &format!("expected {{\"seconds\": n}} or {{\"ms\": n}}: {e}")),
    }
}

async fn expire_tokens(State(shared): State<Arc<Shared>>) -> Response {
    shared.expire_all_tokens();
    ok(&json!({ "expired": true }))
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let calls: BTreeMap<&str, u64> = shared.calls.iter().map(|(k, v)| (*k, v.load(Ordering::Relaxed))).collect();
    let store = shared.lock();
    let stats = json!({
        "payments": store.orders.len(),
        "refunds": store.refunds.len(),
        "tokens_issued": store.tokens_issued,
        "now_ms": shared.clock.now_ms(),
        "calls": calls,
    });
    drop(store);
    ok(&stats)
}
