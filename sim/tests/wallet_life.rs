//! The whole life of a wallet payment, per wallet family, through `ottpay::Client`: token, payment,
//! the cashier page (a browser's requests) or the handle, the callback verified by the shop's
//! axum handler, status queries, a partial refund, a full refund, and a further refund rejected.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Shop, client, form_action, http};
use ottpay::{
    AlipayWapPayRequest, Cents, Client, ErrorCode, PaymentStatus, PaymentStatusQueryRequest, RefundStatus,
    UnionpayInappSecurePayRequest, WalletRefundRequest, WalletStatusQueryRequest, WechatH5PayRequest,
};
use ottpay_sim::{DeliveryState, PaymentState, Simulator};

/// Everything after the payment call: the shop got the callback, the queries say `success`,
/// refunds go partial, full, then rejected.
async fn after_payment(sim: &Simulator, shop: &Shop, client: &Client, payment_id: &str, amount: u64) {
    let delivery = tokio::time::timeout(common::WAIT, sim.callback_settled(payment_id)).await.unwrap().unwrap();
    assert_eq!(delivery.state, DeliveryState::Acknowledged);
    assert_eq!(delivery.attempts.len(), 1);
    let callbacks = shop.wait_callbacks(1).await;
    assert_eq!(shop.bad_callbacks(), 0);
    let data = &callbacks[0];
    assert_eq!(data.order_id.as_deref(), Some(payment_id));
    assert_eq!(data.merchant_id.as_deref(), Some(sim.merchant().merchant_id.as_str()));
    assert_eq!(data.amount.as_deref(), Some(amount.to_string().as_str()));
    assert!(data.finish_time.is_some() && data.bizpay_order_id.is_some() && data.exchange_rate.is_some());

    let status = client.wallet_status_query(&WalletStatusQueryRequest::new(payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::Success));
    assert_eq!(status.payment_id.as_deref(), Some(payment_id));
    let general = client.payment_status_query(&PaymentStatusQueryRequest::new(payment_id)).await.unwrap();
    assert_eq!(general.payment_status, Some(PaymentStatus::Success));
    assert_eq!(general.state_code.map(|c| c.to_string()).as_deref(), Some("P00003"));

    let partial = client.wallet_refund(&WalletRefundRequest::new(payment_id, Cents::new(amount / 4))).await.unwrap();
    assert_eq!(partial.refund_status, Some(RefundStatus::Success));
    assert!(partial.refund_id.as_deref().is_some_and(|id| id.starts_with("REF")));
    let status = client.wallet_status_query(&WalletStatusQueryRequest::new(payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::PartialRefunded));

    let too_much = client.wallet_refund(&WalletRefundRequest::new(payment_id, Cents::new(amount))).await.unwrap_err();
    assert_eq!(too_much.api_code(), Some(ErrorCode::RefundAmountExceedsPaid));

    let rest = amount - amount / 4;
    client.wallet_refund(&WalletRefundRequest::new(payment_id, Cents::new(rest))).await.unwrap();
    let status = client.wallet_status_query(&WalletStatusQueryRequest::new(payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::FullyRefunded));
    assert_eq!(status.refund_fee.map(|a| a.to_string()).as_deref(), Some(amount.to_string().as_str()));

    let again = client.wallet_refund(&WalletRefundRequest::new(payment_id, Cents::new(1))).await.unwrap_err();
    assert_eq!(again.api_code(), Some(ErrorCode::CannotBeRefunded));

    assert_eq!(sim.tokens_issued(), 1);
    assert_eq!(sim.payment_count(), 1);
}

#[tokio::test]
async fn wechat_h5_through_the_cashier_page() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let client = client(&sim);
    let answer = client
        .wechat_h5_pay(
            &WechatH5PayRequest::new(Cents::new(1000), &shop.callback_url, &shop.return_url).remark("order 42"),
        )
        .await
        .unwrap();
    let payment_id = answer.payment_id.clone().unwrap();
    let status = client.wallet_status_query(&WalletStatusQueryRequest::new(&payment_id)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::NotPay));

    // The browser opens payInfo, the cashier page, and presses Pay.
    let cashier = http("GET", answer.pay_info.as_deref().unwrap(), &[], "").await;
    assert_eq!(cashier.status, 200);
    assert!(cashier.content_type.as_deref().is_some_and(|t| t.starts_with("text/html")));
    assert!(cashier.body.contains("order 42") && cashier.body.contains("$10.00"));
    let pay_url = format!("{}{}", sim.base_url(), form_action(&cashier.body));
    assert!(pay_url.ends_with("/pay"), "{pay_url}");
    let paid = http("POST", &pay_url, &[("content-type", "application/x-www-form-urlencoded")], "").await;
    assert_eq!(paid.status, 303);
    assert_eq!(paid.location.as_deref(), Some(shop.return_url.as_str()));
    let back = http("GET", paid.location.as_deref().unwrap(), &[], "").await;
    assert_eq!(back.status, 200);

    after_payment(&sim, &shop, &client, &payment_id, 1000).await;
    assert_eq!(shop.callbacks()[0].remarks.as_deref(), Some("order 42"));
}

#[tokio::test]
async fn alipay_wap_through_the_handle() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let client = client(&sim);
    let answer = client
        .alipay_wap_pay(&AlipayWapPayRequest::new(Cents::new(2500), &shop.callback_url, &shop.return_url))
        .await
        .unwrap();
    let payment_id = answer.payment_id.unwrap();
    assert!(answer.pay_info.is_some_and(|link| link.contains(&payment_id)));
    sim.pay(&payment_id).unwrap();
    assert_eq!(sim.payment(&payment_id).map(|p| p.state), Some(PaymentState::Paid));
    after_payment(&sim, &shop, &client, &payment_id, 2500).await;
}

#[tokio::test]
async fn unionpay_in_app_through_the_admin_route() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let client = client(&sim);
    let answer = client
        .unionpay_inapp_secure_pay(&UnionpayInappSecurePayRequest::new(Cents::new(800), &shop.callback_url))
        .await;
    let payment_id = answer.unwrap().payment_id.unwrap();
    let paid = http("POST", &format!("{}/_sim/payments/{payment_id}/pay", sim.base_url()), &[], "").await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    assert_eq!(paid.json()["payment_status"], "success");
    after_payment(&sim, &shop, &client, &payment_id, 800).await;
}

#[tokio::test]
async fn the_fail_button_and_unpaid_refunds() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let client = client(&sim);
    let pay = |amount| AlipayWapPayRequest::new(Cents::new(amount), &shop.callback_url, &shop.return_url);
    let unpaid = client.alipay_wap_pay(&pay(100)).await.unwrap().payment_id.unwrap();
    let err = client.wallet_refund(&WalletRefundRequest::new(&unpaid, Cents::new(1))).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::OriginalPaymentNotRevocable));

    let cashier = http("GET", &format!("{}/cashier/{unpaid}", sim.base_url()), &[], "").await;
    let fail_url = cashier.body.split("action=\"").nth(2).and_then(|s| s.split('"').next()).unwrap().to_owned();
    let failed = http("POST", &format!("{}{fail_url}", sim.base_url()), &[], "").await;
    assert_eq!(failed.status, 303);
    let status = client.wallet_status_query(&WalletStatusQueryRequest::new(&unpaid)).await.unwrap();
    assert_eq!(status.payment_status, Some(PaymentStatus::Failure));
    let err = client.wallet_refund(&WalletRefundRequest::new(&unpaid, Cents::new(1))).await.unwrap_err();
    assert_eq!(err.api_code(), Some(ErrorCode::PaymentClosed));

    let unknown = client.wallet_refund(&WalletRefundRequest::new("12345", Cents::new(1))).await.unwrap_err();
    assert_eq!(unknown.api_code(), Some(ErrorCode::OriginalPaymentNotExist));
    let unknown = client.payment_status_query(&PaymentStatusQueryRequest::new("12345")).await.unwrap_err();
    assert_eq!(unknown.api_code(), Some(ErrorCode::OriginalPaymentNotExist));

    // A failed payment sends no callback; an expired one closes.
    assert!(sim.callback(&unpaid).is_none());
    let later = client.alipay_wap_pay(&pay(100)).await.unwrap().payment_id.unwrap();
    sim.advance(std::time::Duration::from_secs(3 * 3600));
    assert_eq!(sim.payment(&later).map(|p| p.state), Some(PaymentState::Expired));
    assert!(sim.pay(&later).is_err());
    assert!(shop.callbacks().is_empty());
}
