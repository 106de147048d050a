//! Vendor examples round-tripped through the client over real HTTP on 127.0.0.1 with
//! [`common::round_trip`]: the body as the server received it, and the answer as decoded.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{AuthTokenRequest, Error, ErrorCode, WalletPayRequest, round_trip};
use ottpay_runtime::Cents;
use serde_json::json;

#[tokio::test]
async fn wallet_pay_vendor_example() -> Result<(), Error> {
    let request =
        WalletPayRequest::new(Cents::new(1000), "https://your.callback.url", "https://your.return.url").remark("");
    let answer = round_trip(
        &request,
        &json!({"amount": "1000", "callbackURL": "https://your.callback.url", "returnURL": "https://your.return.url", "remark": ""}),
        &json!({"status": "SUCCESS", "result": {
            "payInfo": "https://intlmapi.alipay.com/gateway.do?_input_charset=UTF-8&app_pay=Y&currency=CAD&out_trade_no=AL4617197768383550",
            "merchantId": "ON00000097", "paymentId": "DEMOORDERID0000013", "amount": null}}),
    )
    .await?;
    assert_eq!(
        answer.pay_info.as_deref(),
        Some(
            "https://intlmapi.alipay.com/gateway.do?_input_charset=UTF-8&app_pay=Y&currency=CAD&out_trade_no=AL4617197768383550"
        )
    );
    assert_eq!(answer.merchant_id.as_deref(), Some("ON00000097"));
    assert_eq!(answer.payment_id.as_deref(), Some("DEMOORDERID0000013"));
    assert_eq!(answer.amount, None);
    Ok(())
}

#[tokio::test]
async fn auth_token_vendor_example() -> Result<(), Error> {
    let request = AuthTokenRequest::new("ON00000185", "0e83678f102d188d8875e8e4c781b984");
    let answer = round_trip(
        &request,
        &json!({"appId": "ON00000185", "appKey": "0e83678f102d188d8875e8e4c781b984"}),
        &json!({"status": "SUCCESS", "result": {"token": "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJPTjAwMDAwMTg1Mjc5NyIs", "expired": 1677688934293_i64}}),
    )
    .await?;
    assert_eq!(
        answer.token.as_ref().map(|t| t.expose().as_str()),
        Some("eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJPTjAwMDAwMTg1Mjc5NyIs")
    );
    assert_eq!(answer.expired, Some(1677688934293));
    Ok(())
}

#[tokio::test]
async fn round_trip_reports_an_api_error() {
    let request = WalletPayRequest::new(Cents::new(1000), "https://your.callback.url", "https://your.return.url");
    let result = round_trip(
        &request,
        &json!({"amount": "1000", "callbackURL": "https://your.callback.url", "returnURL": "https://your.return.url"}),
        &json!({"status": "ERROR", "result": {"code": 10003, "message": "User does not exist"}}),
    )
    .await;
    assert!(matches!(result, Err(Error::Api { code: ErrorCode::ApiAuthorizationFailed, .. })), "{result:?}");
}

#[tokio::test]
async fn round_trip_of_an_invalid_request_sends_nothing() {
    let request = WalletPayRequest::new(Cents::new(1000), "not a url", "https://your.return.url");
    let result = round_trip(&request, &json!({}), &json!({})).await;
    assert!(matches!(result, Err(Error::Invalid { .. })), "{result:?}");
}

/// A wrapper client built through `ClientBuilder<C: FromClient>` (as a generated crate's is)
/// sends its per-endpoint methods through `Client::send`.
#[tokio::test]
async fn wrapper_method_goes_through_send() -> Result<(), Error> {
    let server = wiremock::MockServer::start().await;
    common::mount_token(&server).await;
    common::mount_answer(&server, common::WALLET_PATH, common::wallet_ok()).await;
    let client = common::TestClient::builder()
        .base_url(server.uri())
        .credentials(common::APP_ID, common::APP_KEY)
        .backoff(common::fast_backoff())
        .build()?;
    let answer = client.wallet_pay(&common::wallet_pay()).await?;
    assert_eq!(answer.payment_id.as_deref(), Some("DEMOORDERID0000013"));
    assert_eq!(common::requests_to(&server, common::WALLET_PATH).await.len(), 1);
    Ok(())
}
