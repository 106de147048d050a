//! [`Simulator`]: a running simulator and its controls.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use crate::callbacks::{Delivery, DeliveryState};
use crate::clock::Clock;
use crate::config::{Config, Merchant, SimulatorBuilder};
use crate::core::Shared;
use crate::error::{SimError, StartError};
use crate::events::SimEvent;
use crate::faults::FaultRule;
use crate::state::Payment;
use crate::{admin, api, pages, server};

/// A running simulator: its address, its merchants, and the controls tests drive it with.
///
/// Dropping it stops the server, closes its connections and cancels pending callbacks.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let sim = ottpay_sim::Simulator::start().await?;
/// let merchant = sim.merchant();
/// println!("{} {} {}", sim.base_url(), merchant.app_id, merchant.app_key);
/// // ... take a payment with ottpay::Client against sim.base_url(), then:
/// // sim.pay(&payment_id)?;                   // the shopper pays in the cashier
/// // sim.callback_settled(&payment_id).await; // the callback was acknowledged (or gave up)
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl Simulator {
    /// Starts a simulator on `127.0.0.1` and a free port, with the demo merchant
    /// ([`Merchant::demo`]), the system clock and random ids.
    ///
    /// # Errors
    /// [`StartError::Bind`] if no port can be bound, [`StartError::NoRuntime`] outside a tokio
    /// runtime.
    pub async fn start() -> Result<Simulator, StartError> {
        Simulator::builder().start().await
    }

    /// A builder for merchants, address, seed, clock and timings.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    pub(crate) async fn start_with(config: Config) -> Result<Simulator, StartError> {
        if !config.listen.ip().is_loopback() {
            return Err(StartError::NotLoopback { addr: config.listen });
        }
        if config.merchants.is_empty() {
            return Err(StartError::NoMerchant);
        }
        for (i, m) in config.merchants.iter().enumerate() {
            if config.merchants[..i].iter().any(|other| other.app_id == m.app_id) {
                return Err(StartError::DuplicateMerchant { app_id: m.app_id.clone() });
            }
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| StartError::NoRuntime)?;
        let listen = config.listen;
        let listener = TcpListener::bind(listen).await.map_err(|source| StartError::Bind { addr: listen, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: listen, source })?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared::new(config, format!("http://{addr}"), shutdown_rx.clone(), runtime));
        let router = api::routes(&shared)?
            .merge(pages::routes().merge(admin::routes()).with_state(Arc::clone(&shared)))
            .fallback(not_found);
        let server = tokio::spawn(server::serve(listener, router, shutdown_rx));
        Ok(Simulator { shared, addr, shutdown, server })
    }

    /// The base URL clients use: `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first merchant (the demo merchant unless configured otherwise).
    pub fn merchant(&self) -> &Merchant {
        // `start_with` refuses an empty list, so the first merchant exists.
        &self.shared.config.merchants[0]
    }

    /// Every merchant.
    pub fn merchants(&self) -> &[Merchant] {
        &self.shared.config.merchants
    }

    /// The simulator's clock.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Moves the clock forward: tokens and unpaid orders expire, authorised card payments are
    /// captured and due callback retries are made, without sleeping.
    pub fn advance(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// The shopper pays the wallet order `payment_id` (the cashier's Pay button): it becomes
    /// `success` and its callback is sent.
    ///
    /// # Errors
    /// [`SimError`] if there is no such payment or it is not waiting for payment.
    pub fn pay(&self, payment_id: &str) -> Result<(), SimError> {
        self.shared.pay(payment_id)
    }

    /// The shopper's payment fails (the cashier's Fail button): `failure`, no callback. A card
    /// payment waiting for its challenge is refused instead.
    ///
    /// # Errors
    /// [`SimError`] if there is no such payment or it is not waiting for payment.
    pub fn fail(&self, payment_id: &str) -> Result<(), SimError> {
        self.shared.fail(payment_id)
    }

    /// Answers the 3-D Secure challenge of a card payment as the shopper would in the challenge
    /// form: `password` approves (`authorised`, callback sent), anything else refuses. Returns
    /// the new state.
    ///
    /// # Errors
    /// [`SimError`] if there is no such payment or no challenge is pending.
    pub fn answer_challenge(&self, payment_id: &str, password: &str) -> Result<crate::PaymentState, SimError> {
        self.shared.answer_challenge(payment_id, password).map(|o| o.state)
    }

    /// OTT Pay captures the authorised card payment now (`success`), instead of after
    /// [`capture_after`](SimulatorBuilder::capture_after).
    ///
    /// # Errors
    /// [`SimError`] if there is no such payment or it is not authorised.
    pub fn capture(&self, payment_id: &str) -> Result<(), SimError> {
        self.shared.capture(payment_id)
    }

    /// The payment `payment_id` as it stands now.
    pub fn payment(&self, payment_id: &str) -> Option<Payment> {
        self.shared.payment(payment_id)
    }

    /// Every payment, oldest first.
    pub fn payments(&self) -> Vec<Payment> {
        let mut all = self.shared.recent(usize::MAX);
        all.reverse();
        all
    }

    /// The number of payments created (whatever became of them): a client that retried a
    /// payment would show here.
    pub fn payment_count(&self) -> usize {
        self.shared.lock().orders.len()
    }

    /// The number of tokens issued.
    pub fn tokens_issued(&self) -> u64 {
        self.shared.lock().tokens_issued
    }

    /// The number of calls the endpoint `endpoint_id` received (every call, answered or not).
    pub fn calls(&self, endpoint_id: &str) -> u64 {
        self.shared.calls.get(endpoint_id).map_or(0, |n| n.load(Ordering::Relaxed))
    }

    /// Every bearer token expires now; the next call with one gets `90000`.
    pub fn expire_tokens(&self) {
        self.shared.expire_all_tokens();
    }

    /// Adds a fault rule ([`Fault`](crate::Fault) converts into one).
    pub fn inject(&self, rule: impl Into<FaultRule>) {
        self.shared.faults.add(rule.into());
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// The callback delivery of a payment: its body and every attempt so far.
    pub fn callback(&self, payment_id: &str) -> Option<Delivery> {
        self.shared.deliveries.get(payment_id)
    }

    /// Waits until the callback of `payment_id` is acknowledged or given up, and returns it;
    /// `None` if the payment has no callback (yet) when the simulator stops. Wrap it in a
    /// timeout: with the default schedule, a merchant that never acknowledges takes hours of
    /// simulated time.
    pub async fn callback_settled(&self, payment_id: &str) -> Option<Delivery> {
        self.wait_callback(payment_id, |d| d.state != DeliveryState::Pending).await
    }

    /// Waits until the callback of `payment_id` has at least `n` attempts, and returns it.
    pub async fn callback_attempts(&self, payment_id: &str, n: usize) -> Option<Delivery> {
        self.wait_callback(payment_id, |d| d.attempts.len() >= n || d.state != DeliveryState::Pending).await
    }

    async fn wait_callback(&self, payment_id: &str, done: impl Fn(&Delivery) -> bool) -> Option<Delivery> {
        let deliveries = &self.shared.deliveries;
        loop {
            let changed = deliveries.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if let Some(d) = deliveries.get(payment_id).filter(|d| done(d)) {
                return Some(d);
            }
            if self.server.is_finished() {
                return deliveries.get(payment_id);
            }
            changed.await;
        }
    }

    /// Every event from now on (payments, refunds, callbacks, faults); the binary prints them.
    pub fn events(&self) -> broadcast::Receiver<SimEvent> {
        self.shared.events.subscribe()
    }

    /// Stops the server and every pending callback.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        self.server.abort();
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.server.abort();
    }
}

async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    let body = serde_json::json!({ "error": format!("no endpoint at {}", uri.path()) });
    crate::answer::json(axum::http::StatusCode::NOT_FOUND, &body)
}
