//! [`Shared`]: the state every route and the handle share, and the operations on payments that
//! both the HTTP routes and the [`Simulator`](crate::Simulator) handle perform.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use ottpay::ErrorCode;
use ottpay::PaymentResultData;
use ottpay::registry::ENDPOINTS;
use tokio::sync::{broadcast, watch};

use crate::answer::ApiError;
use crate::callbacks::{self, AttemptOutcome, CallbackAttempt, Deliveries, DeliveryState, Target};
use crate::clock::Clock;
use crate::config::{Config, Merchant};
use crate::error::SimError;
use crate::events::SimEvent;
use crate::faults::Faults;
use crate::ids::Ids;
use crate::state::{self, Change, Family, Order, Payment, PaymentState, Store, Timings, TokenRecord};
use crate::timefmt;

/// Everything the simulator shares between its routes, its tasks and its handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) ids: Ids,
    pub(crate) store: Mutex<Store>,
    pub(crate) faults: Faults,
    pub(crate) deliveries: Deliveries,
    pub(crate) events: broadcast::Sender<SimEvent>,
    pub(crate) base_url: String,
    /// Calls received per endpoint id.
    pub(crate) calls: HashMap<&'static str, AtomicU64>,
    pub(crate) shutdown: watch::Receiver<bool>,
    /// Where callback deliveries run (handle methods may be called outside the runtime).
    pub(crate) runtime: tokio::runtime::Handle,
}

/// The outcome of a 3-D Secure challenge, for the browser page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChallengeOutcome {
    pub(crate) state: PaymentState,
    pub(crate) front_url: Option<String>,
}

impl Shared {
    pub(crate) fn new(
        config: Config,
        base_url: String,
        shutdown: watch::Receiver<bool>,
        runtime: tokio::runtime::Handle,
    ) -> Self {
        let seed = config.seed.unwrap_or_else(crate::ids::random_seed);
        let (events, _) = broadcast::channel(1024);
        Shared {
            clock: config.clock.clone(),
            ids: Ids::new(seed),
            store: Mutex::new(Store::default()),
            faults: Faults::default(),
            deliveries: Deliveries::default(),
            events,
            base_url,
            calls: ENDPOINTS.iter().map(|e| (e.id, AtomicU64::new(0))).collect(),
            shutdown,
            runtime,
            config,
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn timings(&self) -> Timings {
        Timings { now_ms: self.clock.now_ms(), capture_after_ms: millis(self.config.capture_after) }
    }

    pub(crate) fn merchant(&self, index: usize) -> Option<&Merchant> {
        self.config.merchants.get(index)
    }

    pub(crate) fn merchant_id(&self, index: usize) -> &str {
        self.merchant(index).map_or("", |m| m.merchant_id.as_str())
    }

    /// Broadcasts an event, built only when someone listens.
    pub(crate) fn emit(&self, event: impl FnOnce() -> SimEvent) {
        if self.events.receiver_count() > 0 {
            let _ = self.events.send(event());
        }
    }

    pub(crate) fn count_call(&self, endpoint: &str) {
        if let Some(n) = self.calls.get(endpoint) {
            n.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn cashier_url(&self, payment_id: &str) -> String {
        format!("{}/cashier/{payment_id}", self.base_url)
    }

    pub(crate) fn challenge_url(&self, payment_id: &str) -> String {
        format!("{}/3ds/{payment_id}", self.base_url)
    }

    /// A payment id no payment has.
    pub(crate) fn new_payment_id(&self, store: &Store) -> u64 {
        loop {
            let id = self.ids.payment_id();
            if !store.contains(id) {
                return id;
            }
        }
    }

    /// The merchant a bearer token belongs to; a missing, unknown or expired token is `90000`.
    pub(crate) fn authenticate(&self, token: Option<&str>) -> Result<usize, ApiError> {
        let unauthorized = |why: &str| ApiError::new(ErrorCode::Unauthorized, format!("Unauthorized: {why}"));
        let token = token.ok_or_else(|| unauthorized("no bearer token"))?;
        let now = self.clock.now_ms();
        match self.lock().tokens.get(token) {
            None => Err(unauthorized("unknown token")),
            Some(t) if t.expires_ms <= now => Err(unauthorized("the token has expired")),
            Some(t) => Ok(t.merchant),
        }
    }

    /// Issues a token to `merchant`: the token and its expiry (Unix milliseconds).
    pub(crate) fn issue_token(&self, merchant: usize) -> (String, i64) {
        let now = self.clock.now_ms();
        let expires_ms = now.saturating_add(millis(self.config.token_ttl));
        let app_id = self.merchant(merchant).map_or("", |m| m.app_id.as_str());
        let token = self.ids.token(app_id, now, expires_ms);
        let mut store = self.lock();
        store.purge_tokens(now);
        store.tokens.insert(token.clone().into_boxed_str(), TokenRecord { merchant, expires_ms });
        store.tokens_issued += 1;
        drop(store);
        self.emit(|| SimEvent::TokenIssued { app_id: app_id.to_owned() });
        (token, expires_ms)
    }

    /// Expires one token now.
    pub(crate) fn expire_token(&self, token: &str) {
        let now = self.clock.now_ms();
        if let Some(t) = self.lock().tokens.get_mut(token) {
            t.expires_ms = t.expires_ms.min(now);
        }
    }

    /// Expires every token now.
    pub(crate) fn expire_all_tokens(&self) {
        let now = self.clock.now_ms();
        for t in self.lock().tokens.values_mut() {
            t.expires_ms = t.expires_ms.min(now);
        }
    }

    /// Acts on a transition once the lock is released: events, and the callback of a success.
    pub(crate) fn after(self: &Arc<Self>, payment_id: &str, change: Change) {
        match change {
            Change::None => {}
            Change::Moved(state) => {
                self.emit(|| SimEvent::PaymentChanged { payment_id: payment_id.to_owned(), state });
            }
            Change::Succeeded => {
                let state = self.lock().get(payment_id).map(|o| o.state);
                if let Some(state) = state {
                    self.emit(|| SimEvent::PaymentChanged { payment_id: payment_id.to_owned(), state });
                }
                self.send_callback(payment_id);
            }
        }
    }

    /// Runs `f` on the payment `id` (brought up to date with the clock), then acts on what
    /// changed.
    fn with_order<T>(
        self: &Arc<Self>,
        id: &str,
        f: impl FnOnce(&mut Order, Timings) -> Result<(T, Change), SimError>,
    ) -> Result<T, SimError> {
        let t = self.timings();
        let mut store = self.lock();
        let (order, touched) =
            store.order_mut(id, None, t).map_err(|_| SimError::UnknownPayment { payment_id: id.to_owned() })?;
        let result = f(order, t);
        drop(store);
        self.after(id, touched);
        let (value, change) = result?;
        self.after(id, change);
        Ok(value)
    }

    /// The shopper pays a wallet order.
    pub(crate) fn pay(self: &Arc<Self>, id: &str) -> Result<(), SimError> {
        self.with_order(id, |order, t| Ok(((), state::pay(order, t.now_ms).map_err(|s| wrong(id, s, "pay"))?)))
    }

    /// The shopper's wallet payment fails (or a pending challenge is abandoned).
    pub(crate) fn fail(self: &Arc<Self>, id: &str) -> Result<(), SimError> {
        self.with_order(id, |order, _| Ok(((), state::fail(order).map_err(|s| wrong(id, s, "fail"))?)))
    }

    /// OTT Pay captures an authorised card payment now.
    pub(crate) fn capture(self: &Arc<Self>, id: &str) -> Result<(), SimError> {
        self.with_order(id, |order, _| Ok(((), state::capture(order).map_err(|s| wrong(id, s, "capture"))?)))
    }

    /// The shopper answers the 3-D Secure challenge of a card payment.
    pub(crate) fn answer_challenge(self: &Arc<Self>, id: &str, password: &str) -> Result<ChallengeOutcome, SimError> {
        self.with_order(id, |order, t| {
            if order.state != PaymentState::Challenge {
                return Err(wrong(id, order.state, "answer a 3-D Secure challenge"));
            }
            let change = if crate::cards::CHALLENGE_PASSWORDS.contains(&password) {
                state::authorise(order, t.now_ms).map_err(|s| wrong(id, s, "authorise"))?
            } else {
                state::fail(order).map_err(|s| wrong(id, s, "refuse"))?
            };
            let front_url = order.return_url.as_deref().map(str::to_owned);
            Ok((ChallengeOutcome { state: order.state, front_url }, change))
        })
    }

    /// The payment `id`, up to date.
    pub(crate) fn payment(self: &Arc<Self>, id: &str) -> Option<Payment> {
        self.with_order(id, |order, _| {
            Ok((state::snapshot(order, self.merchant_id(order.merchant as usize)), Change::None))
        })
        .ok()
    }

    /// The last `limit` payments, newest first.
    pub(crate) fn recent(self: &Arc<Self>, limit: usize) -> Vec<Payment> {
        let ids: Vec<String> = self.lock().orders.iter().rev().take(limit).map(Order::id_text).collect();
        ids.iter().filter_map(|id| self.payment(id)).collect()
    }

    /// Encrypts the payment-result notification of a successful payment and starts delivering it.
    pub(crate) fn send_callback(self: &Arc<Self>, payment_id: &str) {
        if self.config.callback_schedule.is_empty() {
            return;
        }
        let prepared = {
            let store = self.lock();
            store.get(payment_id).and_then(|order| {
                let url = order.callback_url.as_deref()?.to_owned();
                Some((url, order.merchant as usize, self.callback_data(order)))
            })
        };
        let Some((url, merchant, data)) = prepared else { return };
        let Some(merchant) = self.merchant(merchant) else { return };
        let body = match ottpay::callback::encode(&data, &merchant.merchant_id, &merchant.sign_key()) {
            Ok(body) => body,
            Err(e) => {
                let attempt = CallbackAttempt {
                    number: 0,
                    at_ms: self.clock.now_ms(),
                    outcome: AttemptOutcome::NotSent { reason: format!("cannot encode the notification: {e}") },
                };
                self.deliveries.start(payment_id, &url, "");
                self.deliveries.record(payment_id, attempt, DeliveryState::GaveUp);
                return;
            }
        };
        self.deliveries.start(payment_id, &url, &body);
        let shared = Arc::clone(self);
        let payment_id = payment_id.to_owned();
        self.runtime.spawn(async move { shared.deliver(payment_id, url, body).await });
    }

    /// The decrypted fields of the notification, in the spec's shape.
    fn callback_data(&self, order: &Order) -> PaymentResultData {
        let mut data = PaymentResultData::default();
        data.finish_time = Some(timefmt::plain(order.finished_ms.unwrap_or(order.created_ms)));
        data.merchant_id = Some(self.merchant_id(order.merchant as usize).to_owned());
        data.order_id = Some(order.id_text());
        data.amount = Some(order.amount.to_string());
        data.tip = Some("0".to_owned());
        data.bizpay_order_id = Some(order.channel_order_id());
        match order.family {
            Family::Wallet => {
                data.remarks = order.remark.as_deref().map(str::to_owned);
                data.exchange_rate = Some(self.config.exchange_rate.clone());
                data.convenience_fee = Some("0".to_owned());
                data.sale_num = order.sale_number().map(str::to_owned);
                data.sub_open_id = Some(order.payer_id());
            }
            Family::Card => {
                data.order_status = Some(order.state.payment_status().to_owned());
                data.reference = order.reference().map(str::to_owned);
            }
        }
        data
    }

    /// Delivers one notification on the schedule until it is acknowledged.
    async fn deliver(self: Arc<Self>, payment_id: String, url: String, body: String) {
        let mut shutdown = self.shutdown.clone();
        let record = |number: u32, outcome: AttemptOutcome, state: DeliveryState| {
            let attempt = CallbackAttempt { number, at_ms: self.clock.now_ms(), outcome };
            self.emit(|| SimEvent::Callback { payment_id: payment_id.clone(), attempt: attempt.clone() });
            self.deliveries.record(&payment_id, attempt, state);
        };
        let target = match Target::parse(&url) {
            Ok(target) => target,
            Err(reason) => return record(1, AttemptOutcome::NotSent { reason }, DeliveryState::GaveUp),
        };
        let schedule = &self.config.callback_schedule;
        let mut last = self.clock.now_ms();
        for (i, delay) in schedule.iter().enumerate() {
            let due = last.saturating_add(millis(*delay));
            let outcome = tokio::select! {
                outcome = async {
                    self.clock.sleep_until(due).await;
                    callbacks::attempt(&target, &body, self.config.callback_timeout).await
                } => outcome,
                _ = shutdown.changed() => return,
            };
            last = self.clock.now_ms();
            let acknowledged = matches!(outcome, AttemptOutcome::Acknowledged { .. });
            let state = if acknowledged {
                DeliveryState::Acknowledged
            } else if i + 1 == schedule.len() {
                DeliveryState::GaveUp
            } else {
                DeliveryState::Pending
            };
            record(u32::try_from(i + 1).unwrap_or(u32::MAX), outcome, state);
            if acknowledged {
                return;
            }
        }
        self.deliveries.finish(&payment_id, DeliveryState::GaveUp);
    }
}

fn wrong(id: &str, state: PaymentState, action: &'static str) -> SimError {
    SimError::WrongState { payment_id: id.to_owned(), state, action }
}

/// A duration in milliseconds, saturating.
pub(crate) fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
