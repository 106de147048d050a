//! The simulator's memory: payments with their life, refunds, tokens. Pure data and transitions;
//! no I/O and no locking (the caller holds the lock), so every rule is unit-tested here.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use ottpay::ErrorCode;
use ottpay::registry::EndpointInfo;
use serde::Serialize;

use crate::answer::ApiError;

/// Where a payment is in its life. Each state has the wire `paymentStatus` and `stateCode` the
/// status queries report ([`payment_status`](Self::payment_status), [`state_code`](Self::state_code)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentState {
    /// A wallet order waiting for the shopper (`notpay`, `P00001`).
    NotPaid,
    /// A card payment waiting for its 3-D Secure challenge (`init`, `P00001`).
    Challenge,
    /// A card payment approved by the issuer, not yet captured (`authorised`, `P00002`).
    Authorised,
    /// Paid: a wallet payment completed or a card payment captured (`success`, `P00003`).
    Paid,
    /// Partly refunded (`partial_refunded`, `P00005`).
    PartiallyRefunded,
    /// Fully refunded (`fully_refunded`, `P00004`).
    FullyRefunded,
    /// The shopper's wallet payment failed (`failure`, `P00008`).
    Failed,
    /// The card was declined or failed its challenge (`orderclosed`, `P00006`).
    Refused,
    /// An authorised card payment voided by a reversal (`orderclosed`, `P00007`).
    Reversed,
    /// Not paid in time (`orderclosed`, `P00010`).
    Expired,
}

impl PaymentState {
    /// The `paymentStatus` status queries report.
    pub fn payment_status(self) -> &'static str {
        match self {
            PaymentState::NotPaid => "notpay",
            PaymentState::Challenge => "init",
            PaymentState::Authorised => "authorised",
            PaymentState::Paid => "success",
            PaymentState::PartiallyRefunded => "partial_refunded",
            PaymentState::FullyRefunded => "fully_refunded",
            PaymentState::Failed => "failure",
            PaymentState::Refused | PaymentState::Reversed | PaymentState::Expired => "orderclosed",
        }
    }

    /// The `stateCode` of the general status query (the table third-party code carries).
    pub fn state_code(self) -> &'static str {
        match self {
            PaymentState::NotPaid | PaymentState::Challenge => "P00001",
            PaymentState::Authorised => "P00002",
            PaymentState::Paid => "P00003",
            PaymentState::FullyRefunded => "P00004",
            PaymentState::PartiallyRefunded => "P00005",
            PaymentState::Refused => "P00006",
            PaymentState::Reversed => "P00007",
            PaymentState::Failed => "P00008",
            PaymentState::Expired => "P00010",
        }
    }
}

/// Wallet (WeChat Pay, Alipay, UnionPay) or card: decides the answers' extra fields (exchange
/// rate for wallets, card brand for cards) and the callback's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Family {
    /// Created by a `WalletPayment` endpoint.
    Wallet,
    /// Created by a `CardPayment` endpoint.
    Card,
}

/// One refund of a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Refund {
    /// The refund id (`REF…`).
    pub refund_id: String,
    /// The amount refunded, in cents.
    pub amount: u64,
    /// When (simulated Unix milliseconds).
    pub at_ms: i64,
}

/// The card a card payment was made with (never the number itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CardInfo {
    pub(crate) brand: &'static str,
    pub(crate) last4: Box<str>,
}

/// A payment as the simulator keeps it: what every payment has inline (144 bytes), the rest
/// behind one pointer that stays null for most wallet payments, so 100,000 orders stay small.
#[derive(Clone, Debug)]
pub(crate) struct Order {
    /// The payment id (17 decimal digits).
    pub(crate) id: u64,
    pub(crate) merchant: u32,
    pub(crate) family: Family,
    pub(crate) state: PaymentState,
    pub(crate) endpoint: &'static EndpointInfo,
    pub(crate) amount: u64,
    pub(crate) refunded: u64,
    pub(crate) created_ms: i64,
    /// When an unpaid order (or a pending challenge) closes.
    pub(crate) deadline_ms: i64,
    /// When the payment was paid (wallet) or authorised (card).
    pub(crate) finished_ms: Option<i64>,
    pub(crate) callback_url: Option<Arc<str>>,
    pub(crate) return_url: Option<Arc<str>>,
    pub(crate) remark: Option<Box<str>>,
    pub(crate) more: Option<Box<More>>,
}

/// What only some payments have.
#[derive(Clone, Debug, Default)]
pub(crate) struct More {
    pub(crate) reference: Option<Box<str>>,
    pub(crate) sale_number: Option<Box<str>>,
    /// The payer id the request named (`userId`).
    pub(crate) payer_id: Option<Box<str>>,
    pub(crate) card: Option<CardInfo>,
    pub(crate) refunds: Vec<Refund>,
}

impl Order {
    /// What remains refundable, in cents.
    pub(crate) fn refundable(&self) -> u64 {
        self.amount.saturating_sub(self.refunded)
    }

    /// The payment id as the wire carries it.
    pub(crate) fn id_text(&self) -> String {
        self.id.to_string()
    }

    pub(crate) fn reference(&self) -> Option<&str> {
        self.more.as_ref().and_then(|m| m.reference.as_deref())
    }

    pub(crate) fn sale_number(&self) -> Option<&str> {
        self.more.as_ref().and_then(|m| m.sale_number.as_deref())
    }

    pub(crate) fn card(&self) -> Option<&CardInfo> {
        self.more.as_ref().and_then(|m| m.card.as_ref())
    }

    pub(crate) fn refunds(&self) -> &[Refund] {
        self.more.as_ref().map_or(&[], |m| &m.refunds)
    }

    /// The optional part, created on first use.
    pub(crate) fn more_mut(&mut self) -> &mut More {
        self.more.get_or_insert_with(Box::default)
    }

    /// The order number at the payment channel: two letters of the endpoint's group and 16
    /// digits, derived from the payment id (stable, and nothing to store).
    pub(crate) fn channel_order_id(&self) -> String {
        let prefix: String = self.endpoint.group.chars().filter(char::is_ascii_alphabetic).take(2).collect();
        format!("{}{:016}", prefix.to_ascii_uppercase(), mix(self.id) % 10_000_000_000_000_000)
    }

    /// The wallet payer's id: the request's `userId`, else one derived from the payment id.
    pub(crate) fn payer_id(&self) -> String {
        match self.more.as_ref().and_then(|m| m.payer_id.as_deref()) {
            Some(id) => id.to_owned(),
            None => format!("2088{:012}", mix(self.id ^ 0x5157) % 1_000_000_000_000),
        }
    }
}

/// A 64-bit mix (SplitMix64's finalizer), for ids derived from the payment id.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A payment id as the simulator writes them: digits with no leading zero.
pub(crate) fn parse_id(id: &str) -> Option<u64> {
    if id.is_empty() || id.starts_with('0') || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// A payment as the [`Simulator`](crate::Simulator) handle and the admin routes show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Payment {
    /// The payment id.
    pub payment_id: String,
    /// The id of the endpoint that created it (`alipay_wap_pay`).
    pub endpoint: &'static str,
    /// Wallet or card.
    pub family: Family,
    /// The merchant id.
    pub merchant_id: String,
    /// The amount, in cents.
    pub amount: u64,
    /// The amount refunded so far, in cents.
    pub refunded: u64,
    /// Its state.
    pub state: PaymentState,
    /// The `paymentStatus` a status query reports now.
    pub payment_status: &'static str,
    /// The `stateCode` the general status query reports now.
    pub state_code: &'static str,
    /// The callback URL of the request.
    pub callback_url: Option<String>,
    /// The return (or front) URL of the request.
    pub return_url: Option<String>,
    /// The remark of the request.
    pub remark: Option<String>,
    /// The merchant reference of a card request.
    pub reference: Option<String>,
    /// The card brand of a card payment.
    pub card_brand: Option<&'static str>,
    /// Its refunds, oldest first.
    pub refunds: Vec<Refund>,
    /// When it was created (simulated Unix milliseconds).
    pub created_ms: i64,
}

/// A bearer token the simulator issued.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenRecord {
    pub(crate) merchant: usize,
    pub(crate) expires_ms: i64,
}

/// What changed in a transition that the caller must act on once the lock is released.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// Nothing to do.
    None,
    /// The payment succeeded (wallet paid, card authorised): send the callback.
    Succeeded,
    /// A lazy transition happened (capture or expiry).
    Moved(PaymentState),
}

/// Timings the transitions need.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timings {
    pub(crate) now_ms: i64,
    pub(crate) capture_after_ms: i64,
}

/// Every payment, refund index and token.
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Payments in creation order.
    pub(crate) orders: Vec<Order>,
    /// Payment id -> index in `orders`.
    index: HashMap<u64, usize>,
    /// Refund id -> payment id.
    pub(crate) refunds: HashMap<Box<str>, u64>,
    pub(crate) tokens: HashMap<Box<str>, TokenRecord>,
    /// URLs are repeated across orders: each is kept once.
    urls: HashSet<Arc<str>>,
    pub(crate) tokens_issued: u64,
}

impl Store {
    /// The shared copy of `url`.
    pub(crate) fn intern(&mut self, url: &str) -> Arc<str> {
        if let Some(known) = self.urls.get(url) {
            return Arc::clone(known);
        }
        let url: Arc<str> = Arc::from(url);
        self.urls.insert(Arc::clone(&url));
        url
    }

    /// Whether a payment has this id.
    pub(crate) fn contains(&self, id: u64) -> bool {
        self.index.contains_key(&id)
    }

    /// Records a new payment.
    pub(crate) fn insert(&mut self, order: Order) {
        self.index.insert(order.id, self.orders.len());
        self.orders.push(order);
    }

    /// The payment `id`, as it was last brought up to date.
    pub(crate) fn get(&self, id: &str) -> Option<&Order> {
        parse_id(id).and_then(|id| self.index.get(&id)).and_then(|&i| self.orders.get(i))
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Order> {
        parse_id(id).and_then(|id| self.index.get(&id).copied()).and_then(|i| self.orders.get_mut(i))
    }

    /// The payment `id` of `merchant`, brought up to date with the clock. Another merchant's
    /// payment is reported as not existing.
    pub(crate) fn order_mut(
        &mut self,
        id: &str,
        merchant: Option<usize>,
        t: Timings,
    ) -> Result<(&mut Order, Change), ApiError> {
        let order = self
            .get_mut(id)
            .filter(|o| merchant.is_none_or(|m| o.merchant as usize == m))
            .ok_or_else(|| ApiError::new(ErrorCode::OriginalPaymentNotExist, format!("no payment {id}")))?;
        let change = touch(order, t);
        Ok((order, change))
    }

    /// Drops tokens that expired more than an hour ago (called when issuing tokens, so the
    /// table stays as small as the number of live tokens).
    pub(crate) fn purge_tokens(&mut self, now_ms: i64) {
        if self.tokens.len() > 64 {
            self.tokens.retain(|_, t| t.expires_ms > now_ms - 3_600_000);
        }
    }
}

/// The lazy transitions: an unpaid order or a pending challenge past its deadline expires; an
/// authorised card payment is captured once `capture_after` has passed.
pub(crate) fn touch(order: &mut Order, t: Timings) -> Change {
    match order.state {
        PaymentState::NotPaid | PaymentState::Challenge if t.now_ms >= order.deadline_ms => {
            order.state = PaymentState::Expired;
            Change::Moved(PaymentState::Expired)
        }
        PaymentState::Authorised
            if order.finished_ms.is_some_and(|at| t.now_ms >= at.saturating_add(t.capture_after_ms)) =>
        {
            order.state = PaymentState::Paid;
            Change::Moved(PaymentState::Paid)
        }
        _ => Change::None,
    }
}

/// The shopper paid a wallet order.
pub(crate) fn pay(order: &mut Order, now_ms: i64) -> Result<Change, PaymentState> {
    match order.state {
        PaymentState::NotPaid => {
            order.state = PaymentState::Paid;
            order.finished_ms = Some(now_ms);
            Ok(Change::Succeeded)
        }
        other => Err(other),
    }
}

/// The shopper's wallet payment failed (or a pending challenge was abandoned).
pub(crate) fn fail(order: &mut Order) -> Result<Change, PaymentState> {
    match order.state {
        PaymentState::NotPaid => {
            order.state = PaymentState::Failed;
            Ok(Change::Moved(PaymentState::Failed))
        }
        PaymentState::Challenge => {
            order.state = PaymentState::Refused;
            Ok(Change::Moved(PaymentState::Refused))
        }
        other => Err(other),
    }
}

/// The card issuer approved the payment (frictionless, or after its challenge).
pub(crate) fn authorise(order: &mut Order, now_ms: i64) -> Result<Change, PaymentState> {
    match order.state {
        PaymentState::Challenge => {
            order.state = PaymentState::Authorised;
            order.finished_ms = Some(now_ms);
            Ok(Change::Succeeded)
        }
        other => Err(other),
    }
}

/// OTT Pay captured an authorised card payment.
pub(crate) fn capture(order: &mut Order) -> Result<Change, PaymentState> {
    match order.state {
        PaymentState::Authorised => {
            order.state = PaymentState::Paid;
            Ok(Change::Moved(PaymentState::Paid))
        }
        other => Err(other),
    }
}

/// Checks a refund of `amount` cents against the payment; the codes are the table's.
pub(crate) fn check_refund(order: &Order, amount: u64) -> Result<(), ApiError> {
    let id = &order.id;
    match order.state {
        PaymentState::Paid | PaymentState::PartiallyRefunded => {}
        PaymentState::FullyRefunded => {
            return Err(ApiError::new(ErrorCode::CannotBeRefunded, format!("payment {id} is already fully refunded")));
        }
        PaymentState::NotPaid | PaymentState::Challenge | PaymentState::Authorised => {
            return Err(ApiError::new(
                ErrorCode::OriginalPaymentNotRevocable,
                format!(
                    "payment {id} is {} (not paid or not captured yet): nothing to refund",
                    order.state.payment_status()
                ),
            ));
        }
        PaymentState::Failed | PaymentState::Refused | PaymentState::Reversed | PaymentState::Expired => {
            return Err(ApiError::new(ErrorCode::PaymentClosed, format!("payment {id} is closed")));
        }
    }
    if amount > order.refundable() {
        return Err(ApiError::new(
            ErrorCode::RefundAmountExceedsPaid,
            format!(
                "refund of {amount} cents is more than the {} cents left to refund on payment {id}",
                order.refundable()
            ),
        ));
    }
    Ok(())
}

/// Records a refund that [`check_refund`] accepted.
pub(crate) fn refund(order: &mut Order, refund_id: &str, amount: u64, now_ms: i64) {
    order.refunded = order.refunded.saturating_add(amount).min(order.amount);
    order.state = if order.refundable() == 0 { PaymentState::FullyRefunded } else { PaymentState::PartiallyRefunded };
    order.more_mut().refunds.push(Refund { refund_id: refund_id.to_owned(), amount, at_ms: now_ms });
}

/// Voids an authorised card payment; the codes are the table's.
pub(crate) fn reverse(order: &mut Order) -> Result<(), ApiError> {
    let id = &order.id;
    match order.state {
        PaymentState::Authorised => {
            order.state = PaymentState::Reversed;
            Ok(())
        }
        PaymentState::Paid | PaymentState::PartiallyRefunded | PaymentState::FullyRefunded => Err(ApiError::new(
            ErrorCode::OriginalPaymentFinished,
            format!("payment {id} is already captured: refund it instead"),
        )),
        PaymentState::Reversed | PaymentState::Refused | PaymentState::Failed | PaymentState::Expired => {
            Err(ApiError::new(ErrorCode::PaymentClosed, format!("payment {id} is closed")))
        }
        PaymentState::NotPaid | PaymentState::Challenge => Err(ApiError::new(
            ErrorCode::OriginalPaymentNotRevocable,
            format!(
                "payment {id} is {}: only an authorised card payment can be reversed",
                order.state.payment_status()
            ),
        )),
    }
}

/// The public view of an order.
pub(crate) fn snapshot(order: &Order, merchant_id: &str) -> Payment {
    Payment {
        payment_id: order.id_text(),
        endpoint: order.endpoint.id,
        family: order.family,
        merchant_id: merchant_id.to_owned(),
        amount: order.amount,
        refunded: order.refunded,
        state: order.state,
        payment_status: order.state.payment_status(),
        state_code: order.state.state_code(),
        callback_url: order.callback_url.as_deref().map(str::to_owned),
        return_url: order.return_url.as_deref().map(str::to_owned),
        remark: order.remark.as_deref().map(str::to_owned),
        reference: order.reference().map(str::to_owned),
        card_brand: order.card().map(|c| c.brand),
        refunds: order.refunds().to_vec(),
        created_ms: order.created_ms,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ottpay::registry::ENDPOINTS;

    pub(crate) fn order(state: PaymentState, amount: u64) -> Order {
        Order {
            id: 17_000_000_000_000_001,
            merchant: 0,
            endpoint: &ENDPOINTS[0],
            family: Family::Wallet,
            amount,
            refunded: 0,
            state,
            created_ms: 0,
            deadline_ms: 1_000,
            finished_ms: None,
            callback_url: None,
            return_url: None,
            remark: None,
            more: None,
        }
    }

    fn code(r: Result<(), ApiError>) -> Option<i64> {
        r.err().map(|e| e.code)
    }

    #[test]
    fn refunds_partial_then_full_then_rejected() {
        let mut o = order(PaymentState::Paid, 1000);
        assert_eq!(code(check_refund(&o, 1001)), Some(20014));
        assert!(check_refund(&o, 400).is_ok());
        refund(&mut o, "REF1", 400, 5);
        assert_eq!(o.state, PaymentState::PartiallyRefunded);
        assert_eq!(code(check_refund(&o, 601)), Some(20014));
        refund(&mut o, "REF2", 600, 6);
        assert_eq!(o.state, PaymentState::FullyRefunded);
        assert_eq!(code(check_refund(&o, 1)), Some(20041));
        assert_eq!(o.refunds().len(), 2);
    }

    #[test]
    fn unpaid_and_closed_payments_are_not_refundable() {
        for state in [PaymentState::NotPaid, PaymentState::Authorised, PaymentState::Challenge] {
            assert_eq!(code(check_refund(&order(state, 10), 1)), Some(20021), "{state:?}");
        }
        for state in [PaymentState::Failed, PaymentState::Reversed, PaymentState::Expired, PaymentState::Refused] {
            assert_eq!(code(check_refund(&order(state, 10), 1)), Some(20009), "{state:?}");
        }
    }

    #[test]
    fn reversal_only_of_authorised() {
        let mut o = order(PaymentState::Authorised, 10);
        assert!(reverse(&mut o).is_ok());
        assert_eq!(o.state, PaymentState::Reversed);
        assert_eq!(code(reverse(&mut o)), Some(20009));
        assert_eq!(code(reverse(&mut order(PaymentState::Paid, 10))), Some(20020));
        assert_eq!(code(reverse(&mut order(PaymentState::NotPaid, 10))), Some(20021));
    }

    #[test]
    fn lazy_expiry_and_capture() {
        let t = |now_ms| Timings { now_ms, capture_after_ms: 100 };
        let mut o = order(PaymentState::NotPaid, 10);
        assert_eq!(touch(&mut o, t(999)), Change::None);
        assert_eq!(touch(&mut o, t(1_000)), Change::Moved(PaymentState::Expired));
        assert_eq!(pay(&mut o, 1_000), Err(PaymentState::Expired));

        let mut o = order(PaymentState::Challenge, 10);
        assert_eq!(authorise(&mut o, 50), Ok(Change::Succeeded));
        assert_eq!(touch(&mut o, t(149)), Change::None);
        assert_eq!(touch(&mut o, t(150)), Change::Moved(PaymentState::Paid));
    }

    #[test]
    fn orders_stay_small_and_ids_parse_strictly() {
        assert!(std::mem::size_of::<Order>() <= 144, "{}", std::mem::size_of::<Order>());
        assert_eq!(parse_id("17000000000000001"), Some(17_000_000_000_000_001));
        for bad in ["", "017000000000000001", "+1", "12a", "99999999999999999999"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
        let o = order(PaymentState::Paid, 1);
        assert_eq!(o.channel_order_id().len(), 18);
        assert!(o.channel_order_id().starts_with("AL"));
        assert_eq!(o.payer_id(), o.clone().payer_id());
        let mut store = Store::default();
        store.insert(o);
        assert!(store.get("17000000000000001").is_some() && store.get("17000000000000002").is_none());
    }

    #[test]
    fn wire_values() {
        assert_eq!(PaymentState::NotPaid.payment_status(), "notpay");
        assert_eq!(PaymentState::Reversed.payment_status(), "orderclosed");
        assert_eq!(PaymentState::Reversed.state_code(), "P00007");
        assert_eq!(PaymentState::Paid.state_code(), "P00003");
    }
}
