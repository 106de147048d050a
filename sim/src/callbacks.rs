//! Payment-result callbacks: the encrypted notification POSTed to the payment's callback URL,
//! retried on the configured schedule (simulated time) until the merchant acknowledges it, with
//! every attempt recorded.
//!
//! The body is made by the runtime's encoder (`ottpay::callback::encode`) with the merchant's
//! signKey, from the spec's typed `PaymentResultData`, so it is exactly what a merchant's
//! `ottpay::callback::decode` accepts. The merchant acknowledges with HTTP 200 and the body
//! `SUCCESS` (also accepted: `{"rsp_code":"SUCCESS",…}`, which some integrations send); anything
//! else is retried. Callbacks go to loopback addresses only (`127.0.0.1`, `::1`, `localhost`),
//! over plain HTTP: the simulator never sends anything off the machine.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::Request;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use tokio::net::TcpStream;
use tokio::sync::Notify;
use url::{Host, Position, Url};

/// Largest answer body read from the merchant.
const MAX_ANSWER_BYTES: usize = 16 * 1024;
/// Longest answer body kept in an attempt record.
const MAX_KEPT_BYTES: usize = 200;

/// One delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CallbackAttempt {
    /// 1 for the first attempt.
    pub number: u32,
    /// When it was made (simulated Unix milliseconds).
    pub at_ms: i64,
    /// What came of it.
    pub outcome: AttemptOutcome,
}

/// What came of an attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// HTTP 200 with `SUCCESS`: delivery is over.
    Acknowledged {
        /// The HTTP status.
        status: u16,
    },
    /// An answer other than the acknowledgement: retried.
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// No answer (connection refused, reset, timeout): retried.
    Failed {
        /// What went wrong.
        error: String,
    },
    /// The URL is not one the simulator delivers to: never retried.
    NotSent {
        /// Why.
        reason: String,
    },
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveryState {
    /// More attempts are scheduled.
    Pending,
    /// The merchant acknowledged; no more attempts.
    Acknowledged,
    /// The schedule ran out (or the URL cannot be delivered to).
    GaveUp,
}

/// The callback of one payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Delivery {
    /// The payment id.
    pub payment_id: String,
    /// The callback URL.
    pub url: String,
    /// The JSON body POSTed (the encrypted notification).
    pub body: String,
    /// Every attempt so far.
    pub attempts: Vec<CallbackAttempt>,
    /// Where it stands.
    pub state: DeliveryState,
}

/// Every delivery, and a signal for whoever waits on them.
#[derive(Debug, Default)]
pub(crate) struct Deliveries {
    map: Mutex<HashMap<String, Delivery>>,
    pub(crate) changed: Notify,
}

impl Deliveries {
    pub(crate) fn start(&self, payment_id: &str, url: &str, body: &str) {
        let delivery = Delivery {
            payment_id: payment_id.to_owned(),
            url: url.to_owned(),
            body: body.to_owned(),
            attempts: Vec::new(),
            state: DeliveryState::Pending,
        };
        self.lock().insert(payment_id.to_owned(), delivery);
        self.changed.notify_waiters();
    }

    pub(crate) fn record(&self, payment_id: &str, attempt: CallbackAttempt, state: DeliveryState) {
        if let Some(d) = self.lock().get_mut(payment_id) {
            d.attempts.push(attempt);
            d.state = state;
        }
        self.changed.notify_waiters();
    }

    pub(crate) fn finish(&self, payment_id: &str, state: DeliveryState) {
        if let Some(d) = self.lock().get_mut(payment_id) {
            d.state = state;
        }
        self.changed.notify_waiters();
    }

    pub(crate) fn get(&self, payment_id: &str) -> Option<Delivery> {
        self.lock().get(payment_id).cloned()
    }

    pub(crate) fn all(&self) -> Vec<Delivery> {
        self.lock().values().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Delivery>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A callback URL the simulator may deliver to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    addr: SocketAddr,
    host: String,
    path: String,
}

impl Target {
    /// Accepts `http://` URLs on a loopback address; the error says why any other is refused.
    pub(crate) fn parse(url: &str) -> Result<Target, String> {
        let url = Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
        if url.scheme() != "http" {
            return Err(format!(
                "{}:// callbacks are not delivered: the simulator sends plain http:// to loopback addresses only",
                url.scheme()
            ));
        }
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            Some(Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => IpAddr::V4(Ipv4Addr::LOCALHOST),
            _ => return Err(not_loopback(&url)),
        };
        if !ip.is_loopback() {
            return Err(not_loopback(&url));
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let host = url.host_str().map_or_else(String::new, str::to_owned);
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        Ok(Target {
            addr: SocketAddr::new(ip, port),
            host,
            path: url[Position::BeforePath..Position::AfterQuery].to_owned(),
        })
    }
}

fn not_loopback(url: &Url) -> String {
    format!(
        "{} is not a loopback address: the simulator delivers callbacks to 127.0.0.1, ::1 or localhost only",
        url.host_str().unwrap_or("(no host)")
    )
}

/// One attempt: POST `body`, read the answer, judge it.
pub(crate) async fn attempt(target: &Target, body: &str, timeout: Duration) -> AttemptOutcome {
    match tokio::time::timeout(timeout, exchange(target, body)).await {
        Err(_) => AttemptOutcome::Failed { error: format!("no answer within {} ms", timeout.as_millis()) },
        Ok(Err(error)) => AttemptOutcome::Failed { error },
        Ok(Ok((status, answer))) => {
            if status == 200 && acknowledges(&answer) {
                AttemptOutcome::Acknowledged { status }
            } else {
                let kept = answer.get(..MAX_KEPT_BYTES.min(answer.len())).unwrap_or_default();
                AttemptOutcome::Rejected { status, body: String::from_utf8_lossy(kept).into_owned() }
            }
        }
    }
}

async fn exchange(target: &Target, body: &str) -> Result<(u16, Bytes), String> {
    let stream =
        TcpStream::connect(target.addr).await.map_err(|e| format!("cannot connect to {}: {e}", target.addr))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| e.to_string())?;
    let connection = tokio::spawn(connection);
    let request = Request::post(target.path.as_str())
        .header(HOST, target.host.as_str())
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Full::new(Bytes::from(body.to_owned())))
        .map_err(|e| e.to_string());
    let outcome = async {
        let response = sender.send_request(request?).await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let answer = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map_err(|e| format!("reading the answer: {e}"))?
            .to_bytes();
        Ok((status, answer))
    }
    .await;
    connection.abort();
    outcome
}

/// `SUCCESS` (any case, surrounding space ignored), or a JSON object whose `rsp_code` is `SUCCESS`.
pub(crate) fn acknowledges(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let text = text.trim();
    if text.eq_ignore_ascii_case(ottpay::callback::ACKNOWLEDGEMENT) {
        return true;
    }
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
        v.get("rsp_code")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|c| c.eq_ignore_ascii_case(ottpay::callback::ACKNOWLEDGEMENT))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http() {
        let ok = Target::parse("http://127.0.0.1:3000/ottpay/callback?x=1");
        assert_eq!(ok.as_ref().map(|t| t.path.as_str()), Ok("/ottpay/callback?x=1"));
        assert_eq!(ok.as_ref().map(|t| t.host.as_str()), Ok("127.0.0.1:3000"));
        assert!(Target::parse("http://localhost/cb").is_ok_and(|t| t.addr.port() == 80));
        assert!(Target::parse("http://[::1]:9/cb").is_ok());
        for refused in ["https://127.0.0.1/cb", "http://shop.example/cb", "http://10.0.0.1/cb", "not a url"] {
            assert!(Target::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn acknowledgements() {
        assert!(acknowledges(b"SUCCESS"));
        assert!(acknowledges(b" success\n"));
        assert!(acknowledges(br#"{"rsp_code":"SUCCESS","rsp_msg":"ok"}"#));
        assert!(!acknowledges(b"OK"));
        assert!(!acknowledges(b""));
        assert!(!acknowledges(br#"{"rsp_code":"FAIL"}"#));
    }
}
