//! The endpoints the life tests do not take, each called once through `ottpay::Client`: the answer
//! decodes as the endpoint's response type and carries what the state knows, the request's echo and
//! placeholders for the fields the simulator has no meaning for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use ottpay::{
    AlipayInappPayRequest, AlipayInappPayRequired, AlipayWebPayRequest, CardPayment3dsV2Request,
    CardPayment3dsV2Required, Cents, PaymentStatus, Purchase3dsAddition, Purchase3dsAdditionRequired, Sensitive,
    WechatActivePayRequest, WechatInappPayRequest, WechatPublicPayRequest,
};
use ottpay_sim::{PaymentState, Simulator};

const CB: &str = "http://127.0.0.1:9/ottpay/callback";
const BACK: &str = "http://127.0.0.1:9/thanks";

#[tokio::test]
async fn wallet_endpoints() {
    let sim = Simulator::start().await.unwrap();
    let client = common::client(&sim);
    let merchant_id = sim.merchant().merchant_id.clone();

    let active = client.wechat_active_pay(&WechatActivePayRequest::new(Cents::new(100), CB, "")).await.unwrap();
    let id = active.payment_id.unwrap();
    assert!(active.pay_info.unwrap().ends_with(&format!("/cashier/{id}")));

    let public = client.wechat_public_pay(&WechatPublicPayRequest::new(Cents::new(200), CB, BACK)).await.unwrap();
    assert_eq!(public.merchant_id.as_deref(), Some(merchant_id.as_str()));
    assert_eq!(public.amount.map(|a| a.to_string()).as_deref(), Some("200"));

    let inapp = client
        .wechat_inapp_pay(&WechatInappPayRequest::new("wx2f194e1f2a4e1645", Cents::new(300), CB).sale_number("S-1"))
        .await
        .unwrap();
    let inapp_id = inapp.payment_id.clone().unwrap();
    assert_eq!(inapp.app_id.as_deref(), Some("wx2f194e1f2a4e1645"), "echoed from the request");
    assert_eq!(inapp.prepay_id, Some(format!("sim-prepayId-{inapp_id}")), "a placeholder");

    let web = client.alipay_web_pay(&AlipayWebPayRequest::new(Cents::new(400), CB, BACK)).await.unwrap();
    assert!(web.biz_pay_order_id.is_some_and(|id| id.starts_with("AL")));

    let request = AlipayInappPayRequest::new(AlipayInappPayRequired {
        user_id: "2088222545687337".to_owned(),
        amount: Cents::new(500),
        callback_url: CB.to_owned(),
        return_url: BACK.to_owned(),
    });
    let alipay_app = client.alipay_inapp_pay(&request).await.unwrap();
    assert!(alipay_app.pay_info.is_some());

    assert_eq!(sim.payment_count(), 5);
    assert!(sim.payments().iter().all(|p| p.state == PaymentState::NotPaid));
    sim.pay(&inapp_id).unwrap();
    let payment = sim.payment(&inapp_id).unwrap();
    assert_eq!((payment.amount, payment.payment_status), (300, "success"));
}

#[tokio::test]
async fn card_3ds_v2() {
    let sim = Simulator::start().await.unwrap();
    let request = CardPayment3dsV2Request::new(CardPayment3dsV2Required {
        amount: Cents::new(1200),
        callback_url: CB.to_owned(),
        account_number: Sensitive::new("5555555555554444".to_owned()),
        account_name: Sensitive::new("Jack Smith".to_owned()),
        account_expire: Sensitive::new("1230".to_owned()),
        cvn2: Sensitive::new("123".to_owned()),
        ssl_avs_address: "1 Main St".to_owned(),
        ssl_avs_city: "Toronto".to_owned(),
        ssl_avs_province: "ON".to_owned(),
        ssl_avs_country: "CA".to_owned(),
        ssl_avs_zip: "M5V 2T6".to_owned(),
        front_url: BACK.to_owned(),
        purchase_3ds_addition: Purchase3dsAddition::new(Purchase3dsAdditionRequired {
            version: "2.1.0".to_owned(),
            browser_user_agent: "Mozilla/5.0".to_owned(),
            browser_accept_header: "text/html".to_owned(),
            browser_language: "en-CA".to_owned(),
        }),
    });
    let answer = common::client(&sim).card_payment_3ds_v2(&request).await.unwrap();
    assert_eq!(answer.payment_status, Some(PaymentStatus::Authorised));
    assert_eq!(answer.cc_type.as_deref(), Some("MC"));
    assert!(answer.trade_time.is_some_and(|t| t.ends_with(" EST")));
    assert_eq!(answer.total_amount.map(|a| a.to_string()).as_deref(), Some("1200"));
}
