//! What `ottpay::Client` costs over raw reqwest, on loopback.
//!
//! ```text
//! cargo bench -p ottpay-examples --bench client
//! ```
//!
//! The bench starts its own HTTP server on 127.0.0.1 (axum, on the same 2-worker tokio runtime
//! as the clients) answering the token endpoint and `alipay_wap_pay` with the spec's vendor
//! answer. Both sides share one `reqwest::Client` (same pool, timeouts, TLS setup) and send the
//! same request:
//!
//! - `raw`: what a hand-written call does: serialize the request, `POST` it with the same
//!   headers (JSON content type, accept, user agent, bearer token), read the body, decode the
//!   envelope with its typed `result` in one `serde_json::from_slice`, check the status.
//! - `sdk`: `client.alipay_wap_pay(&request)`: validation, serialization, token, exchange,
//!   envelope, typed result.
//!
//! `sequential_*`: one call per iteration. `concurrent_64_*`: 64 calls joined in one task per
//! iteration (`futures_util::future::join_all`), so the server and the pool work at 64 in
//! flight. The overhead is `sdk / raw - 1` of the medians of the same run.
//!
//! Wall times on a shared 2-core machine are noisy; instruction counts are not. Each bench runs
//! alone with `--exact`, and the setup (runtime, server, both clients, the token and one call of
//! each kind) is the same for all four, so under callgrind the difference between two sample
//! counts is the cost of the calls alone:
//!
//! ```text
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null <bench binary> --bench --exact \
//!     client::sequential_sdk --sample-count 10 --sample-size 100
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use divan::Bencher;
use divan::counter::ItemsCount;
use futures_util::future::join_all;
use ottpay::{AlipayWapPayRequest, AlipayWapPayResponse, Cents, Client};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use serde::Deserialize;
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

/// Calls in flight per iteration of the concurrent benches.
const IN_FLIGHT: usize = 64;

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.bench-token.c2lnbmF0dXJl";
const WAP_PAY_PATH: &str = "/api/v1/pay/alipay/wap-pay";
const USER_AGENT_VALUE: &str = concat!("ottpay-rust/", env!("CARGO_PKG_VERSION"));

/// The vendor answer of `alipay_wap_pay` from the spec's example.
const WAP_PAY_ANSWER: &str = r#"{"status":"SUCCESS","result":{"payInfo":"https://intlmapi.alipay.com/gateway.do?_input_charset=UTF-8&app_pay=Y&currency=CAD&notify_url=https%3A%2F%2Fuat-scanpay.ottpay.com%2Fonline%2Fnotify%2F&out_trade_no=AL4617197768383550&partner=2088721517311327&product_code=NEW_WAP_OVERSEAS_SELLER&return_url=https%3A%2F%2Fyour.return.url&secondary_merchant_id=ON00000097&secondary_merchant_industry=5331&secondary_merchant_name=THE+TFS+FOUNDATION+%28title+for+OTT+test%29&service=create_forex_trade_wap&subject=%28OTTITTT+Test%29THE+TFS+FOUNDATION&total_fee=0.01&sign_type=RSA&sign=QHEImSLHPvqyFb64l8nS0kA6zj%2BPye5Dazed9b8Hy2jWjMbwUpexVb21GKInNsReTigeqUyy6tGQBSZE0Y%2BI4cYbp8ajrSgcsy4STSVeYgI6FSsppp%2FCvL4AWHrrqqesQvwcGslbkDoq7eOXbCfHK%2Fn%2FifLFaXZQts2OXQ0gMwUU8dOgGJWMHAikn2BY9TSqzwXPJ2figz9WEEpRlUpyNm%2BMQYxK5Y0OftVBMHR%2FU%2FhEAhuEJpsBBO3%2BJKpWixRgW2bm1UMdbENdyY48j1qYU2LSMGCTP18r2%2FUCgLzZbPKCmkpKnYRPK7DJTA%2FOQ4Veqr0Ub4WYehX%2BanmqwPZWCg%3D%3D","merchantId":"ON00000097","paymentId":"DEMOORDERID0000013","amount":null}}"#;

/// The envelope as a raw caller decodes it: status and typed result in one pass.
#[derive(Deserialize)]
struct Envelope<T> {
    status: String,
    result: Option<T>,
}

/// A runtime, the server (running on it), the shared reqwest client and the SDK client with
/// its token cached.
struct Setup {
    runtime: Runtime,
    base: String,
    http: reqwest::Client,
    sdk: Client,
    bearer: HeaderValue,
    user_agent: HeaderValue,
}

fn setup() -> Option<Setup> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().ok()?;
    let addr: SocketAddr = runtime.block_on(async {
        let expired = 4_102_444_800_000_i64; // 2100-01-01, in ms
        let token_answer = format!(r#"{{"status":"SUCCESS","result":{{"token":"{TOKEN}","expired":{expired}}}}}"#);
        let app = Router::new()
            .route(
                "/api/v1/auth/token",
                post(move || async move { ([(CONTENT_TYPE, "application/json")], token_answer) }),
            )
            .route(WAP_PAY_PATH, post(|| async { ([(CONTENT_TYPE, "application/json")], WAP_PAY_ANSWER) }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.ok()?;
        let addr = listener.local_addr().ok()?;
        tokio::spawn(async move { axum::serve(listener, app).await });
        Some(addr)
    })?;
    let base = format!("http://{addr}");
    // TLS as the SDK configures it (rustls with ring), though every call here is plain HTTP.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .ok()?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .ok()?;
    let sdk = Client::builder()
        .base_url(base.as_str())
        .credentials("bench-app", "bench-key")
        .http_client(http.clone())
        .build()
        .ok()?;
    // The first call fetches the token (and checks the server answers what both sides expect).
    let first = runtime.block_on(sdk.alipay_wap_pay(&request())).ok()?;
    assert!(first.pay_info.is_some());
    let mut bearer = HeaderValue::from_str(&format!("Bearer {TOKEN}")).ok()?;
    bearer.set_sensitive(true);
    let user_agent = HeaderValue::from_static(USER_AGENT_VALUE);
    let setup = Setup { runtime, base, http, sdk, bearer, user_agent };
    let raw = setup.runtime.block_on(setup.raw_call(&request()))?;
    assert_eq!(raw, first);
    Some(setup)
}

fn request() -> AlipayWapPayRequest {
    AlipayWapPayRequest::new(Cents::new(1000), "https://your.callback.url", "https://your.return.url")
        .remark("order 42")
}

impl Setup {
    /// The hand-written equivalent of `alipay_wap_pay`.
    async fn raw_call(&self, request: &AlipayWapPayRequest) -> Option<AlipayWapPayResponse> {
        let body = serde_json::to_vec(request).ok()?;
        let response = self
            .http
            .post(format!("{}{WAP_PAY_PATH}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, self.user_agent.clone())
            .header(AUTHORIZATION, self.bearer.clone())
            .body(body)
            .send()
            .await
            .ok()?;
        let bytes = response.bytes().await.ok()?;
        let envelope: Envelope<AlipayWapPayResponse> = serde_json::from_slice(&bytes).ok()?;
        if envelope.status == "SUCCESS" { envelope.result } else { None }
    }

    async fn sdk_call(&self, request: &AlipayWapPayRequest) -> Option<AlipayWapPayResponse> {
        self.sdk.alipay_wap_pay(request).await.ok()
    }
}

fn sequential(bencher: Bencher, sdk: bool) {
    let Some(s) = setup() else { return };
    let request = request();
    bencher.bench_local(|| {
        s.runtime.block_on(async {
            let answer = if sdk { s.sdk_call(&request).await } else { s.raw_call(&request).await };
            assert!(answer.is_some());
        })
    });
}

fn concurrent(bencher: Bencher, sdk: bool) {
    let Some(s) = setup() else { return };
    let request = request();
    bencher.counter(ItemsCount::new(IN_FLIGHT)).bench_local(|| {
        s.runtime.block_on(async {
            let ok = if sdk {
                join_all((0..IN_FLIGHT).map(|_| s.sdk_call(&request))).await
            } else {
                join_all((0..IN_FLIGHT).map(|_| s.raw_call(&request))).await
            };
            assert!(ok.iter().all(Option::is_some));
        })
    });
}

/// One hand-written call per iteration.
#[divan::bench(sample_count = 200, sample_size = 20)]
fn sequential_raw(bencher: Bencher) {
    sequential(bencher, false);
}

/// One `client.alipay_wap_pay` per iteration.
#[divan::bench(sample_count = 200, sample_size = 20)]
fn sequential_sdk(bencher: Bencher) {
    sequential(bencher, true);
}

/// 64 hand-written calls in flight per iteration.
#[divan::bench(sample_count = 60, sample_size = 2)]
fn concurrent_64_raw(bencher: Bencher) {
    concurrent(bencher, false);
}

/// 64 `client.alipay_wap_pay` calls in flight per iteration.
#[divan::bench(sample_count = 60, sample_size = 2)]
fn concurrent_64_sdk(bencher: Bencher) {
    concurrent(bencher, true);
}
