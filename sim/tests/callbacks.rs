//! Callback delivery: the encrypted notification is retried on the schedule (simulated time)
//! until the merchant answers `SUCCESS`, every attempt is recorded, nothing is sent after the
//! acknowledgement, and nothing leaves the machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{Shop, WAIT, client};
use ottpay::{AlipayWapPayRequest, Cents};
use ottpay_sim::{AttemptOutcome, Clock, DeliveryState, SimEvent, Simulator};

fn schedule() -> [Duration; 4] {
    [Duration::ZERO, Duration::from_secs(10), Duration::from_secs(60), Duration::from_secs(600)]
}

#[tokio::test]
async fn retried_on_schedule_until_success_then_never_again() {
    let sim = Simulator::builder()
        .clock(Clock::frozen_at(1_700_000_000_000))
        .callback_schedule(schedule())
        .start()
        .await
        .unwrap();
    let shop = Shop::start(sim.merchant()).await;
    shop.reject_next(2);
    let answer = client(&sim)
        .alipay_wap_pay(&AlipayWapPayRequest::new(Cents::new(1000), &shop.callback_url, &shop.return_url))
        .await
        .unwrap();
    let id = answer.payment_id.unwrap();
    sim.pay(&id).unwrap();

    // The first attempt is immediate; the clock is frozen, so the second waits for it to move.
    let first = tokio::time::timeout(WAIT, sim.callback_attempts(&id, 1)).await.unwrap().unwrap();
    assert_eq!(first.attempts.len(), 1);
    assert!(matches!(first.attempts[0].outcome, AttemptOutcome::Rejected { status: 500, .. }));
    assert_eq!(first.state, DeliveryState::Pending);
    sim.advance(Duration::from_secs(9));
    tokio::task::yield_now().await;
    assert_eq!(sim.callback(&id).unwrap().attempts.len(), 1, "not due yet");
    sim.advance(Duration::from_secs(1));
    let second = tokio::time::timeout(WAIT, sim.callback_attempts(&id, 2)).await.unwrap().unwrap();
    assert_eq!(second.attempts[1].at_ms, 1_700_000_010_000);
    sim.advance(Duration::from_secs(60));
    let done = tokio::time::timeout(WAIT, sim.callback_settled(&id)).await.unwrap().unwrap();
    assert_eq!(done.state, DeliveryState::Acknowledged);
    assert_eq!(done.attempts.len(), 3);
    assert!(matches!(done.attempts[2].outcome, AttemptOutcome::Acknowledged { status: 200 }));
    assert_eq!(done.attempts.iter().map(|a| a.number).collect::<Vec<_>>(), [1, 2, 3]);

    // Every attempt carried the same verified notification; none follows the acknowledgement.
    assert_eq!(shop.callbacks().len(), 3);
    sim.advance(Duration::from_secs(24 * 3600));
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(shop.callbacks().len(), 3);
    assert_eq!(sim.callback(&id).unwrap().attempts.len(), 3);
}

#[tokio::test]
async fn gives_up_when_the_schedule_runs_out() {
    let sim = Simulator::builder()
        .clock(Clock::frozen_at(0))
        .callback_schedule([Duration::ZERO, Duration::from_secs(5)])
        .start()
        .await
        .unwrap();
    let shop = Shop::start(sim.merchant()).await;
    shop.reject_next(10);
    let answer = client(&sim)
        .alipay_wap_pay(&AlipayWapPayRequest::new(Cents::new(1), &shop.callback_url, &shop.return_url))
        .await;
    let id = answer.unwrap().payment_id.unwrap();
    let mut events = sim.events();
    sim.pay(&id).unwrap();
    tokio::time::timeout(WAIT, sim.callback_attempts(&id, 1)).await.unwrap();
    sim.advance(Duration::from_secs(5));
    let done = tokio::time::timeout(WAIT, sim.callback_settled(&id)).await.unwrap().unwrap();
    assert_eq!((done.state, done.attempts.len()), (DeliveryState::GaveUp, 2));
    let mut callback_events = 0;
    while let Ok(event) = events.try_recv() {
        if matches!(event, SimEvent::Callback { .. }) {
            callback_events += 1;
        }
    }
    assert_eq!(callback_events, 2);
}

#[tokio::test]
async fn a_merchant_that_is_down_is_retried() {
    let sim = Simulator::builder()
        .clock(Clock::frozen_at(0))
        .callback_schedule([Duration::ZERO, Duration::from_secs(5)])
        .start()
        .await
        .unwrap();
    // A port nobody listens on: bind one, note it, close it.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let answer = client(&sim)
        .alipay_wap_pay(&AlipayWapPayRequest::new(Cents::new(1), format!("http://{closed}/cb"), "http://127.0.0.1:9/r"))
        .await;
    let id = answer.unwrap().payment_id.unwrap();
    sim.pay(&id).unwrap();
    let first = tokio::time::timeout(WAIT, sim.callback_attempts(&id, 1)).await.unwrap().unwrap();
    assert!(matches!(&first.attempts[0].outcome, AttemptOutcome::Failed { error } if error.contains("connect")));
    assert_eq!(first.state, DeliveryState::Pending);
}

#[tokio::test]
async fn nothing_is_sent_off_the_machine() {
    let sim = Simulator::start().await.unwrap();
    let client = client(&sim);
    for url in ["https://shop.example/cb", "http://203.0.113.7/cb"] {
        let answer =
            client.alipay_wap_pay(&AlipayWapPayRequest::new(Cents::new(1), url, "https://shop.example/r")).await;
        let id = answer.unwrap().payment_id.unwrap();
        sim.pay(&id).unwrap();
        let done = tokio::time::timeout(WAIT, sim.callback_settled(&id)).await.unwrap().unwrap();
        assert_eq!((done.state, done.attempts.len()), (DeliveryState::GaveUp, 1), "{url}");
        assert!(matches!(&done.attempts[0].outcome, AttemptOutcome::NotSent { .. }), "{url}");
        // The notification was still made, for a test to deliver by hand.
        assert!(ottpay::callback::decode(done.body.as_bytes(), &sim.merchant().sign_key()).is_ok());
    }
}
