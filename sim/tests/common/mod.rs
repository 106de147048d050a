//! Test helpers: a shop (an axum app that receives and verifies callbacks and the shopper's
//! return), a plain HTTP helper that plays the browser, and a client for a simulator.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use ottpay::callback::{self, ACKNOWLEDGEMENT};
use ottpay::{Client, PaymentResultData, SignKey};
use ottpay_sim::{Merchant, Simulator};
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// How long any wait in a test may take before it fails (generous: a busy 2-core machine).
pub const WAIT: Duration = Duration::from_secs(30);

/// A client of the simulator's first merchant.
pub fn client(sim: &Simulator) -> Client {
    client_for(sim, sim.merchant())
}

/// A client of `merchant`.
pub fn client_for(sim: &Simulator, merchant: &Merchant) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .credentials(merchant.app_id.as_str(), merchant.app_key.as_str())
        .request_timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

/// What the shop has seen.
#[derive(Default)]
struct Seen {
    callbacks: Mutex<Vec<PaymentResultData>>,
    bad_callbacks: AtomicUsize,
    returns: Mutex<Vec<String>>,
    reject: AtomicUsize,
    changed: Notify,
}

struct ShopState {
    key: SignKey,
    merchant_id: String,
    seen: Arc<Seen>,
}

/// A merchant's shop on 127.0.0.1: `POST /ottpay/callback` verifies callbacks with
/// `ottpay::callback::decode` and acknowledges them; `GET /thanks` records the shopper's return.
pub struct Shop {
    pub callback_url: String,
    pub return_url: String,
    seen: Arc<Seen>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Shop {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Shop {
    pub async fn start(merchant: &Merchant) -> Shop {
        let seen = Arc::new(Seen::default());
        let state = Arc::new(ShopState {
            key: merchant.sign_key(),
            merchant_id: merchant.merchant_id.clone(),
            seen: seen.clone(),
        });
        let app =
            Router::new().route("/ottpay/callback", post(receive)).route("/thanks", get(returned)).with_state(state);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Shop {
            callback_url: format!("http://{addr}/ottpay/callback"),
            return_url: format!("http://{addr}/thanks"),
            seen,
            server,
        }
    }

    /// Answers the next `n` callbacks with HTTP 500.
    pub fn reject_next(&self, n: usize) {
        self.seen.reject.store(n, Ordering::SeqCst);
    }

    /// Verified callbacks so far.
    pub fn callbacks(&self) -> Vec<PaymentResultData> {
        self.seen.callbacks.lock().unwrap().clone()
    }

    /// Callbacks that failed verification.
    pub fn bad_callbacks(&self) -> usize {
        self.seen.bad_callbacks.load(Ordering::SeqCst)
    }

    /// Query strings of the shopper's visits to the return URL.
    pub fn returns(&self) -> Vec<String> {
        self.seen.returns.lock().unwrap().clone()
    }

    /// Waits until `n` verified callbacks arrived.
    pub async fn wait_callbacks(&self, n: usize) -> Vec<PaymentResultData> {
        tokio::time::timeout(WAIT, async {
            loop {
                let changed = self.seen.changed.notified();
                tokio::pin!(changed);
                changed.as_mut().enable();
                let got = self.callbacks();
                if got.len() >= n {
                    return got;
                }
                changed.await;
            }
        })
        .await
        .expect("callbacks in time")
    }
}

async fn receive(State(shop): State<Arc<ShopState>>, body: Bytes) -> (StatusCode, &'static str) {
    let outcome = callback::decode(&body, &shop.key);
    let seen = &shop.seen;
    let answer = match outcome {
        Ok(verified) if verified.merchant_id() == Some(shop.merchant_id.as_str()) => {
            seen.callbacks.lock().unwrap().push(verified.into_data());
            let reject = seen.reject.load(Ordering::SeqCst);
            if reject > 0 {
                seen.reject.store(reject - 1, Ordering::SeqCst);
                (StatusCode::INTERNAL_SERVER_ERROR, "try again later")
            } else {
                (StatusCode::OK, ACKNOWLEDGEMENT)
            }
        }
        _ => {
            seen.bad_callbacks.fetch_add(1, Ordering::SeqCst);
            (StatusCode::BAD_REQUEST, "rejected")
        }
    };
    seen.changed.notify_waiters();
    answer
}

async fn returned(State(shop): State<Arc<ShopState>>, RawQuery(query): RawQuery) -> &'static str {
    shop.seen.returns.lock().unwrap().push(query.unwrap_or_default());
    shop.seen.changed.notify_waiters();
    "thanks"
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// One HTTP/1.1 request, as a browser or a third-party client would send it (no redirects
/// followed).
pub async fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    tokio::time::timeout(WAIT, async {
        let uri: hyper::Uri = url.parse().expect("uri");
        let authority = uri.authority().expect("authority").clone();
        let stream = tokio::net::TcpStream::connect(authority.as_str()).await.expect("connect");
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
        let conn = tokio::spawn(conn);
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(uri.path_and_query().map_or("/", |p| p.as_str()))
            .header("host", authority.as_str());
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let request = request.body(Full::new(Bytes::from(body.to_owned()))).expect("request");
        let response = sender.send_request(request).await.expect("response");
        let status = response.status().as_u16();
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (location, content_type) = (header("location"), header("content-type"));
        let body = response.into_body().collect().await.expect("body").to_bytes();
        conn.abort();
        Answer { status, location, content_type, body: String::from_utf8_lossy(&body).into_owned() }
    })
    .await
    .expect("HTTP answer in time")
}

/// `POST url` with a JSON body and, if given, a bearer token.
pub async fn post_json(url: &str, token: Option<&str>, body: &str) -> Answer {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth.as_str()));
    }
    http("POST", url, &headers, body).await
}

/// A token for the simulator's first merchant, by a raw call.
pub async fn token(sim: &Simulator) -> String {
    let m = sim.merchant();
    let body = serde_json::json!({"appId": m.app_id, "appKey": m.app_key}).to_string();
    let answer = post_json(&format!("{}/api/v1/auth/token", sim.base_url()), None, &body).await;
    answer.json()["result"]["token"].as_str().expect("token").to_owned()
}

/// The `action` URL of the first HTML form in `html`.
pub fn form_action(html: &str) -> String {
    let start = html.find("action=\"").expect("a form action") + "action=\"".len();
    let end = html[start..].find('"').expect("end of the action") + start;
    html[start..end].replace("&amp;", "&")
}
