//! 200 concurrent payments through one `ottpay::Client`: 200 distinct orders and one token.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use ottpay::{AlipayWapPayRequest, Cents};
use ottpay_sim::Simulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_payments() {
    let sim = Simulator::start().await.unwrap();
    let client = common::client(&sim);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200u64 {
        let client = client.clone();
        tasks.spawn(async move {
            let request =
                AlipayWapPayRequest::new(Cents::new(100 + i), "http://127.0.0.1:9/cb", "http://127.0.0.1:9/r")
                    .remark(format!("order {i}"));
            client.alipay_wap_pay(&request).await
        });
    }
    let mut ids = HashSet::new();
    let all = tokio::time::timeout(common::WAIT, async {
        while let Some(joined) = tasks.join_next().await {
            ids.insert(joined.unwrap().unwrap().payment_id.unwrap());
        }
    })
    .await;
    assert!(all.is_ok(), "200 payments in time");
    assert_eq!(ids.len(), 200);
    assert_eq!(sim.payment_count(), 200);
    assert_eq!(sim.calls("alipay_wap_pay"), 200);
    assert_eq!(sim.tokens_issued(), 1);
    let amounts: HashSet<u64> = sim.payments().iter().map(|p| p.amount).collect();
    assert_eq!(amounts.len(), 200);
}
