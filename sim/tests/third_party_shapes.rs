//! Requests shaped the way third-party OTT Pay integrations send them (raw JSON, not our client):
//! empty strings for optional fields, amounts as numbers where the tables say strings, wallet
//! payments polled through the general status query, `{"rsp_code":"SUCCESS"}` acknowledgements.
//! The shapes are those of the integrations `../shared/ottpay-api.md` cites (a local-card 3DS2
//! client and a WeChat/Alipay client).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Shop, WAIT, post_json, token};
use ottpay_sim::{DeliveryState, Simulator};
use serde_json::{Value, json};

fn card_body(shop: &Shop, number: &str) -> String {
    json!({
        "accountNumber": number, "accountName": "Jack Smith", "accountExpire": "0330", "cvn2": "123",
        "sslAvsAddress": "1 Main St", "sslAvsCity": "Toronto", "sslAvsProvince": "ON", "sslAvsCountry": "CA",
        "sslAvsZip": "M5V2T6", "amount": 2000, "callBackURL": shop.callback_url, "frontURL": shop.return_url,
        "sslEciInd": "", "ssl3dsecureValue": "", "sslDirServerTranId": "", "reference": "TEA-1",
        "sessionId": "", "email": "",
        "purchase3DSAddition": {
            "version": "2.1.0", "sessionID": "TEA1", "browserUserAgent": "Mozilla/5.0",
            "browserAcceptHeader": "text/html", "browserLanguage": "en-CA", "browserJavaScriptEnabledVal": "1",
            "browserJavaEnabledVal": "2", "browserScreenHeight": "", "browserScreenWidth": "",
            "browserTimezone": "", "browserScreenColorDepth": "24"
        }
    })
    .to_string()
}

async fn call(sim: &Simulator, token: &str, path: &str, body: &str) -> Value {
    let answer = post_json(&format!("{}{path}", sim.base_url()), Some(token), body).await;
    assert_eq!(answer.status, 200);
    answer.json()
}

#[tokio::test]
async fn card_client_with_empty_optional_fields_and_numeric_refunds() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let token = token(&sim).await;
    let paid =
        call(&sim, &token, "/api/v1/payment/local-card/payment3dsV2", &card_body(&shop, "4111111111111111")).await;
    assert_eq!(paid["status"], "SUCCESS", "{paid}");
    assert_eq!(paid["result"]["paymentStatus"], "authorised");
    let id = paid["result"]["paymentId"].as_str().unwrap().to_owned();
    shop.wait_callbacks(1).await;

    let query = json!({ "paymentId": id }).to_string();
    let status = call(&sim, &token, "/api/v1/payment/status-query", &query).await;
    assert_eq!(
        (status["result"]["paymentStatus"].as_str(), status["result"]["stateCode"].as_str()),
        (Some("authorised"), Some("P00002"))
    );
    sim.capture(&id).unwrap();
    let refund = json!({ "oriPaymentId": id, "refundAmount": 2000 }).to_string();
    let refunded = call(&sim, &token, "/api/v1/payment/local-card/refund", &refund).await;
    assert_eq!(refunded["result"]["refundStatus"], "success", "{refunded}");
    let again = call(&sim, &token, "/api/v1/payment/local-card/refund", &refund).await;
    assert_eq!(again["result"]["code"], 20041);

    // An empty string where a value is required is still checked (and a URL cannot be empty).
    let bad = card_body(&shop, "4111111111111111").replace(&shop.callback_url, "");
    let rejected = call(&sim, &token, "/api/v1/payment/local-card/payment3dsV2", &bad).await;
    assert_eq!(rejected["result"]["code"], 10005, "{rejected}");
    assert!(rejected["result"]["message"].as_str().unwrap().contains("/callBackURL"), "{rejected}");
}

#[tokio::test]
async fn wallet_client_polling_the_general_status_query() {
    let sim = Simulator::start().await.unwrap();
    let shop = Shop::start(sim.merchant()).await;
    let token = token(&sim).await;
    let body = json!({ "amount": "200", "callbackURL": shop.callback_url, "remark": "TOPUP1" }).to_string();
    let created = call(&sim, &token, "/api/v1/pay/weixin/active-pay", &body).await;
    let id = created["result"]["paymentId"].as_str().unwrap().to_owned();
    let query = json!({ "paymentId": id }).to_string();
    let pending = call(&sim, &token, "/api/v1/payment/status-query", &query).await;
    assert_eq!(pending["result"]["paymentStatus"], "notpay");

    sim.pay(&id).unwrap();
    let callbacks = shop.wait_callbacks(1).await;
    assert_eq!(callbacks[0].remarks.as_deref(), Some("TOPUP1"));
    let delivery = tokio::time::timeout(WAIT, sim.callback_settled(&id)).await.unwrap().unwrap();
    assert_eq!(delivery.state, DeliveryState::Acknowledged);
    let settled = call(&sim, &token, "/api/v1/payment/status-query", &query).await;
    assert_eq!(settled["result"]["paymentStatus"], "success");
}
