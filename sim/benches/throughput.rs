//! Requests per second of `alipay_wap_pay` through `ottpay::Client` against the simulator on
//! loopback, and the same client and request against the simulator's no-op route (a constant
//! answer, no authentication, parsing or state): the ratio is what the simulator's own work costs.
//!
//! ```text
//! cargo bench -p ottpay-sim --bench throughput
//! ```
//!
//! `sequential`: one call per iteration (requests/s = 1 / median time). `concurrent`: 32 calls in
//! flight per iteration (divan reports items/s).

use std::time::Duration;

use divan::Bencher;
use divan::counter::ItemsCount;
use ottpay::{AlipayWapPayRequest, Cents, Client};
use ottpay_sim::Simulator;
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

/// What a bench needs: a runtime, a running simulator and a client whose token is cached.
struct Setup {
    runtime: Runtime,
    _sim: Simulator,
    client: Client,
}

/// `noop`: the client's base URL is the simulator's no-op route, which answers every path with
/// a constant success envelope (that also reads as a token answer).
fn setup(noop: bool) -> Option<Setup> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().ok()?;
    let (sim, client) = runtime.block_on(async {
        let sim = Simulator::start().await.ok()?;
        let m = sim.merchant();
        let base = if noop { format!("{}/_sim/noop", sim.base_url()) } else { sim.base_url().to_owned() };
        let client = Client::builder()
            .base_url(base)
            .credentials(m.app_id.as_str(), m.app_key.as_str())
            .request_timeout(Duration::from_secs(30))
            .build()
            .ok()?;
        client.alipay_wap_pay(&request()).await.ok()?;
        Some((sim, client))
    })?;
    Some(Setup { runtime, _sim: sim, client })
}

fn request() -> AlipayWapPayRequest {
    AlipayWapPayRequest::new(Cents::new(1000), "http://127.0.0.1:9/ottpay/callback", "http://127.0.0.1:9/thanks")
        .remark("order 42")
}

fn sequential(bencher: Bencher, noop: bool) {
    let Some(s) = setup(noop) else { return };
    let request = request();
    bencher.bench_local(|| s.runtime.block_on(s.client.alipay_wap_pay(&request)).is_ok());
}

fn concurrent(bencher: Bencher, noop: bool) {
    const IN_FLIGHT: usize = 32;
    let Some(s) = setup(noop) else { return };
    bencher.counter(ItemsCount::new(IN_FLIGHT)).bench_local(|| {
        s.runtime.block_on(async {
            let mut calls = tokio::task::JoinSet::new();
            for _ in 0..IN_FLIGHT {
                let client = s.client.clone();
                calls.spawn(async move { client.alipay_wap_pay(&request()).await.is_ok() });
            }
            calls.join_all().await.into_iter().filter(|ok| *ok).count()
        })
    });
}

/// `alipay_wap_pay` served by the simulator: token check, request type, `validate()`, a new
/// order, the answer shaped by the response type.
#[divan::bench(sample_count = 300, sample_size = 10)]
fn sequential_alipay_wap_pay(bencher: Bencher) {
    sequential(bencher, false);
}

/// The same call answered by the no-op route.
#[divan::bench(sample_count = 300, sample_size = 10)]
fn sequential_noop_route(bencher: Bencher) {
    sequential(bencher, true);
}

/// 32 concurrent `alipay_wap_pay` calls per iteration.
#[divan::bench(sample_count = 100, sample_size = 4)]
fn concurrent_alipay_wap_pay(bencher: Bencher) {
    concurrent(bencher, false);
}

/// 32 concurrent calls per iteration answered by the no-op route.
#[divan::bench(sample_count = 100, sample_size = 4)]
fn concurrent_noop_route(bencher: Bencher) {
    concurrent(bencher, true);
}
