//! What an endpoint does, keyed by its kind in the registry (`EndpointKind`), never by its id:
//! an endpoint added to the spec with a known kind gets that kind's behaviour, and one of kind
//! `Other` (or a kind this simulator does not know yet) gets the generic answer.
//!
//! Request members are read by their wire names, case-insensitively, since the vendor spells
//! the same field several ways (`callbackURL`, `callBackURL`; `returnURL`, `returnUrl`): the
//! callback URL, the return URL (`returnURL`, or `frontURL` for cards), `amount`, `remark`,
//! `reference`, `saleNumber`, `userId`, the card fields, `paymentId`/`oriPaymentId`,
//! `refundAmount`, `appId`/`appKey`.

use std::sync::Arc;

use ottpay::ErrorCode;
use ottpay::registry::{EndpointInfo, EndpointKind};
use serde_json::{Map, Value};

use crate::answer::ApiError;
use crate::cards::{self, CardInput, Decision};
use crate::core::Shared;
use crate::events::SimEvent;
use crate::state::{self, CardInfo, Change, Family, More, Order, PaymentState};
use crate::{pages, timefmt};

/// A request body, read by wire names.
#[derive(Clone, Copy)]
pub(crate) struct Req<'a>(pub(crate) &'a Map<String, Value>);

impl<'a> Req<'a> {
    /// The member `name`, matched exactly, else ignoring ASCII case.
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).or_else(|| self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
    }

    /// The first of `names` that holds a non-empty string.
    pub(crate) fn text(&self, names: &[&str]) -> Option<&'a str> {
        names.iter().find_map(|n| self.get(n).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()))
    }

    /// An amount in cents, sent as a number or a string of digits.
    fn cents(&self, name: &str) -> Option<u64> {
        match self.get(name)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn require_cents(&self, name: &str) -> Result<u64, ApiError> {
        self.cents(name).ok_or_else(|| ApiError::invalid(format!("/{name}: an amount in cents is required")))
    }

    fn require_text(&self, names: &[&str]) -> Result<&'a str, ApiError> {
        self.text(names).ok_or_else(|| ApiError::invalid(format!("/{}: required", names.first().unwrap_or(&""))))
    }
}

/// What the state says about the call: members for the answer, and the key placeholders are
/// made from (the payment id).
#[derive(Debug, Default)]
pub(crate) struct Known {
    pub(crate) members: Map<String, Value>,
    pub(crate) key: String,
}

/// Runs the behaviour of `info.kind`. `merchant` is the authenticated merchant (none for
/// endpoints without a bearer token).
pub(crate) fn run(
    shared: &Arc<Shared>,
    info: &'static EndpointInfo,
    merchant: Option<usize>,
    req: Req<'_>,
) -> Result<Known, ApiError> {
    match info.kind {
        EndpointKind::Token => token(shared, req),
        EndpointKind::WalletPayment => wallet_payment(shared, info, merchant.unwrap_or(0), req),
        EndpointKind::CardPayment => card_payment(shared, info, merchant.unwrap_or(0), req),
        EndpointKind::StatusQuery => status_query(shared, merchant, req),
        EndpointKind::Refund => refund(shared, merchant, req),
        EndpointKind::Reverse => reverse(shared, merchant, req),
        // The generic answer: the response type filled from the request and placeholders keyed
        // by the payment the request names, or by a fresh id.
        _ => {
            let key = req.text(&["paymentId", "oriPaymentId"]).map_or_else(|| shared.ids.digits(17), str::to_owned);
            Ok(Known { members: Map::new(), key })
        }
    }
}

fn token(shared: &Arc<Shared>, req: Req<'_>) -> Result<Known, ApiError> {
    let app_id = req.text(&["appId"]).unwrap_or_default();
    let app_key = req.text(&["appKey"]).unwrap_or_default();
    let merchant = shared
        .config
        .merchants
        .iter()
        .position(|m| m.app_id == app_id && constant_time_eq(m.app_key.as_bytes(), app_key.as_bytes()))
        .ok_or_else(|| ApiError::of(ErrorCode::ApiAuthorizationFailed))?;
    let (token, expired) = shared.issue_token(merchant);
    let mut members = Map::new();
    members.insert("token".to_owned(), Value::String(token));
    members.insert("expired".to_owned(), Value::from(expired));
    Ok(Known { members, key: app_id.to_owned() })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new order from the fields every payment request has.
fn new_order(
    shared: &Shared,
    store: &mut state::Store,
    info: &'static EndpointInfo,
    merchant: usize,
    family: Family,
    req: Req<'_>,
) -> Result<Order, ApiError> {
    let amount = req.require_cents("amount")?;
    let now = shared.clock.now_ms();
    let id = shared.new_payment_id(store);
    let callback_url = req.text(&["callbackURL"]).map(|u| store.intern(u));
    let return_url = req.text(&["returnURL", "frontURL"]).map(|u| store.intern(u));
    let boxed = |names: &[&str]| req.text(names).map(Box::from);
    let more = More {
        reference: boxed(&["reference"]),
        sale_number: boxed(&["saleNumber"]),
        payer_id: boxed(&["userId"]),
        card: None,
        refunds: Vec::new(),
    };
    let has_more = more.reference.is_some() || more.sale_number.is_some() || more.payer_id.is_some();
    Ok(Order {
        id,
        merchant: u32::try_from(merchant).unwrap_or(0),
        family,
        state: PaymentState::NotPaid,
        endpoint: info,
        amount,
        refunded: 0,
        created_ms: now,
        deadline_ms: now.saturating_add(crate::core::millis(shared.config.order_ttl)),
        finished_ms: None,
        callback_url,
        return_url,
        remark: boxed(&["remark"]),
        more: has_more.then(|| Box::new(more)),
    })
}

fn wallet_payment(
    shared: &Arc<Shared>,
    info: &'static EndpointInfo,
    merchant: usize,
    req: Req<'_>,
) -> Result<Known, ApiError> {
    let mut store = shared.lock();
    let order = new_order(shared, &mut store, info, merchant, Family::Wallet, req)?;
    let mut members = order_members(shared, &order);
    let key = order.id_text();
    let cashier = shared.cashier_url(&key);
    members.insert("payInfo".to_owned(), Value::String(cashier.clone()));
    members.insert("codeUrl".to_owned(), Value::String(cashier.clone()));
    let amount = order.amount;
    store.insert(order);
    drop(store);
    shared.emit(|| SimEvent::PaymentCreated {
        payment_id: key.clone(),
        endpoint: info.id,
        amount,
        state: PaymentState::NotPaid,
        page: cashier,
    });
    Ok(Known { members, key })
}

fn card_payment(
    shared: &Arc<Shared>,
    info: &'static EndpointInfo,
    merchant: usize,
    req: Req<'_>,
) -> Result<Known, ApiError> {
    let number = req.require_text(&["accountNumber"])?;
    let input = CardInput {
        number,
        expiry: req.text(&["accountExpire"]),
        cvv: req.text(&["cvn2"]),
        holder: req.text(&["accountName"]),
        now: timefmt::year_month(shared.clock.now_ms()),
    };
    let mut decision = cards::decide(&input);
    if decision == Decision::Challenge && req.text(&["frontURL", "returnURL"]).is_none() {
        // No page to come back to after a challenge: the issuer approves without one.
        decision = Decision::Approve;
    }
    let mut store = shared.lock();
    let mut order = new_order(shared, &mut store, info, merchant, Family::Card, req)?;
    order.more_mut().card =
        Some(CardInfo { brand: cards::brand(number), last4: cards::last4(number).into_boxed_str() });
    let key = order.id_text();
    let page = shared.challenge_url(&key);
    let (members, change, outcome) = match decision {
        Decision::Approve => {
            order.state = PaymentState::Challenge;
            let change = state::authorise(&mut order, shared.clock.now_ms()).unwrap_or(Change::None);
            (order_members(shared, &order), change, Ok(()))
        }
        Decision::Challenge => {
            order.state = PaymentState::Challenge;
            let mut members = Map::new();
            members.insert("paymentStatus".to_owned(), Value::String("THREEDS_AUTH_CHALLENGE".to_owned()));
            members.insert("escape3DSChallengeForm".to_owned(), Value::String(pages::challenge_form(&page, &order)));
            if let Some(reference) = order.reference() {
                members.insert("reference".to_owned(), Value::String(reference.to_owned()));
            }
            (members, Change::None, Ok(()))
        }
        Decision::Decline(err) => {
            order.state = PaymentState::Refused;
            (Map::new(), Change::None, Err(err))
        }
    };
    let (amount, state) = (order.amount, order.state);
    store.insert(order);
    drop(store);
    shared.emit(|| SimEvent::PaymentCreated { payment_id: key.clone(), endpoint: info.id, amount, state, page });
    shared.after(&key, change);
    outcome.map(|()| Known { members, key })
}

fn status_query(shared: &Arc<Shared>, merchant: Option<usize>, req: Req<'_>) -> Result<Known, ApiError> {
    let id = req.require_text(&["paymentId"])?;
    let t = shared.timings();
    let mut store = shared.lock();
    // A refund id reads as its payment, with that refund's amount as `refundFee`.
    let (payment_id, refund) = match store.refunds.get(id) {
        Some(payment_id) => (payment_id.to_string(), Some(id)),
        None => (id.to_owned(), None),
    };
    let (order, change) = store.order_mut(&payment_id, merchant, t)?;
    let mut members = order_members(shared, order);
    if let Some(refund) = refund.and_then(|r| order.refunds().iter().find(|x| x.refund_id == r)) {
        members.insert("paymentId".to_owned(), Value::String(refund.refund_id.clone()));
        members.insert("refundFee".to_owned(), Value::String(refund.amount.to_string()));
    }
    drop(store);
    shared.after(&payment_id, change);
    Ok(Known { members, key: payment_id })
}

fn refund(shared: &Arc<Shared>, merchant: Option<usize>, req: Req<'_>) -> Result<Known, ApiError> {
    let id = req.require_text(&["oriPaymentId", "paymentId"])?;
    let amount = req.require_cents("refundAmount")?;
    let t = shared.timings();
    let mut store = shared.lock();
    let refund_id = loop {
        let candidate = format!("REF{}", shared.ids.digits(15));
        if !store.refunds.contains_key(candidate.as_str()) {
            break candidate;
        }
    };
    let (order, touched) = store.order_mut(id, merchant, t)?;
    let checked = state::check_refund(order, amount);
    let answer = checked.map(|()| {
        state::refund(order, &refund_id, amount, t.now_ms);
        let mut members = Map::new();
        let time = match order.family {
            Family::Wallet => timefmt::wallet(t.now_ms),
            Family::Card => timefmt::card(t.now_ms),
        };
        let rate = if order.family == Family::Wallet { shared.config.exchange_rate.clone() } else { String::new() };
        members.insert("refundId".to_owned(), Value::String(refund_id.clone()));
        members.insert("refundAmount".to_owned(), Value::String(amount.to_string()));
        members.insert("refundStatus".to_owned(), Value::String("success".to_owned()));
        members.insert("tradeTime".to_owned(), Value::String(time));
        members.insert("exchangeRate".to_owned(), Value::String(rate));
        members.insert("paymentId".to_owned(), Value::String(id.to_owned()));
        if let Some(sale) = order.sale_number() {
            members.insert("saleNumber".to_owned(), Value::String(sale.to_owned()));
        }
        (members, order.state, order.id)
    });
    if let Ok((_, _, payment)) = &answer {
        store.refunds.insert(refund_id.clone().into_boxed_str(), *payment);
    }
    drop(store);
    shared.after(id, touched);
    let (members, state, _) = answer?;
    shared.emit(|| SimEvent::Refunded { payment_id: id.to_owned(), refund_id: refund_id.clone(), amount });
    shared.emit(|| SimEvent::PaymentChanged { payment_id: id.to_owned(), state });
    Ok(Known { members, key: refund_id })
}

fn reverse(shared: &Arc<Shared>, merchant: Option<usize>, req: Req<'_>) -> Result<Known, ApiError> {
    let id = req.require_text(&["paymentId", "oriPaymentId"])?;
    let t = shared.timings();
    let mut store = shared.lock();
    let (order, touched) = store.order_mut(id, merchant, t)?;
    let reversed = state::reverse(order);
    drop(store);
    shared.after(id, touched);
    reversed?;
    shared.emit(|| SimEvent::PaymentChanged { payment_id: id.to_owned(), state: PaymentState::Reversed });
    let reverse_id = format!("VOID{}", shared.ids.digits(16));
    let mut members = Map::new();
    members.insert("reverseId".to_owned(), Value::String(reverse_id.clone()));
    // The vendor's example answers `cancelled`; its table says the payment becomes `orderclosed`.
    members.insert("paymentStatus".to_owned(), Value::String("cancelled".to_owned()));
    members.insert("paymentId".to_owned(), Value::String(id.to_owned()));
    Ok(Known { members, key: reverse_id })
}

/// Everything the state knows about a payment, by the wire names answers use.
pub(crate) fn order_members(shared: &Shared, order: &Order) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_owned(), Value::String(v));
    };
    let amount = order.amount.to_string();
    let settled = matches!(
        order.state,
        PaymentState::Authorised | PaymentState::Paid | PaymentState::PartiallyRefunded | PaymentState::FullyRefunded
    );
    let at = order.finished_ms.unwrap_or(order.created_ms);
    put("paymentId", order.id_text());
    put("merchantId", shared.merchant_id(order.merchant as usize).to_owned());
    put("amount", amount.clone());
    put("totalAmount", amount.clone());
    for paid in ["payAmount", "receiveAmount", "receiptAmount"] {
        put(paid, if settled { amount.clone() } else { "0".to_owned() });
    }
    put("paymentStatus", order.state.payment_status().to_owned());
    put("stateCode", order.state.state_code().to_owned());
    put("tip", "0".to_owned());
    put("bizPayOrderId", order.channel_order_id());
    put("timeZoneId", "America/Toronto".to_owned());
    if order.refunded > 0 {
        put("refundFee", order.refunded.to_string());
        put("refundAmount", order.refunded.to_string());
    }
    if let Some(reference) = order.reference() {
        put("reference", reference.to_owned());
    }
    if let Some(sale) = order.sale_number() {
        put("saleNumber", sale.to_owned());
    }
    match order.family {
        Family::Wallet => {
            put("tradeTime", timefmt::wallet(at));
            put("localeTradeTime", timefmt::wallet(at));
            put("exchangeRate", shared.config.exchange_rate.clone());
            put("convenienceFee", "0".to_owned());
            put("payInfo", shared.cashier_url(&order.id_text()));
            if settled {
                put("buyerLoginId", order.payer_id());
            }
        }
        Family::Card => {
            put("tradeTime", timefmt::card(at));
            put("localeTradeTime", timefmt::card(at));
            if let Some(card) = order.card() {
                put("ccType", card.brand.to_owned());
            }
        }
    }
    m
}
