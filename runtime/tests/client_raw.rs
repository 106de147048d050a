//! `Client::send_with_raw` over real HTTP on 127.0.0.1: the typed answer plus the `result` as
//! received, members the spec does not list reachable, and the same validation, errors and
//! redaction as `Client::send`.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{AuthTokenRequest, Error, WALLET_PATH, client, mount_answer, mount_token, ok, requests_to, wallet_pay};
use ottpay_runtime::Cents;
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

#[tokio::test]
async fn members_the_spec_lacks_stay_reachable() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let result = json!({
        "payInfo": "https://intlmapi.alipay.com/gateway.do?x=1",
        "paymentId": "1694723098440263",
        "paymentTokenId": "PT-0001",
        "card": {"last4": "0000"}
    });
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(200).set_body_json(ok(result.clone()))).await;
    let client = client(&server);

    let answer = client.send_with_raw(&wallet_pay()).await?;
    assert_eq!(answer.typed().payment_id.as_deref(), Some("1694723098440263"));
    assert_eq!(answer.raw(), &result);
    assert_eq!(answer.get("paymentTokenId"), Some(&json!("PT-0001")));
    let unknown: Vec<(&str, &Value)> = answer.unknown_fields().collect();
    assert_eq!(unknown, vec![("card", &json!({"last4": "0000"})), ("paymentTokenId", &json!("PT-0001"))]);

    // The typed half is what `send` returns for the same answer.
    let typed = client.send(&wallet_pay()).await?;
    assert_eq!(&typed, answer.typed());
    assert_eq!(requests_to(&server, WALLET_PATH).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn a_result_without_unknown_members_lists_none() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, common::wallet_ok()).await;
    let answer = client(&server).send_with_raw(&wallet_pay()).await?;
    assert_eq!(answer.unknown_fields().count(), 0);
    assert_eq!(answer.typed().merchant_id.as_deref(), Some("ON00000097"));
    Ok(())
}

#[tokio::test]
async fn a_wrong_shape_is_the_same_decode_error_as_send() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let answer = ok(json!({"paymentId": 5, "extra": "kept"}));
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(200).set_body_json(answer)).await;
    let client = client(&server);
    let raw = client.send_with_raw(&wallet_pay()).await;
    let plain = client.send(&wallet_pay()).await;
    match (raw, plain) {
        (
            Err(Error::Decode { path, message, retry, .. }),
            Err(Error::Decode { path: p2, message: m2, retry: r2, .. }),
        ) => {
            assert_eq!(path, "/result/paymentId");
            assert_eq!((path, message, retry), (p2, m2, r2));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_invalid_request_sends_nothing() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, common::wallet_ok()).await;
    let request = common::WalletPayRequest::new(Cents::new(0), "not a url", "https://your.return.url");
    let result = client(&server).send_with_raw(&request).await;
    match result {
        Err(Error::Invalid { endpoint, errors }) => {
            assert_eq!(endpoint, "wallet_pay");
            assert_eq!(errors.violations().len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(requests_to(&server, WALLET_PATH).await.is_empty());
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let answer = ok(json!({"paymentId": "1", "wxApiKey": "0f84fcdfd195751864bee462377fb843"}));
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(200).set_body_json(answer)).await;
    let answer = client(&server).send_with_raw(&wallet_pay()).await?;
    let debug = format!("{answer:?}");
    assert!(debug.contains("wxApiKey"), "{debug}");
    assert!(!debug.contains("0f84fcdf"), "{debug}");

    // The token endpoint's answer holds the token: a decode failure quotes none of it.
    let server = MockServer::start().await;
    let token = json!({"token": "eyJ-secret-token", "expired": "not a number"});
    mount_answer(&server, common::TOKEN_PATH, ResponseTemplate::new(200).set_body_json(ok(token))).await;
    let request = AuthTokenRequest::new(common::APP_ID, common::APP_KEY);
    match client(&server).send_with_raw(&request).await {
        Err(e @ Error::Decode { .. }) => {
            let text = format!("{e} {e:?}");
            assert!(text.contains("/result/expired"), "{text}");
            assert!(!text.contains("eyJ-secret-token") && !text.contains("not a number"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}
