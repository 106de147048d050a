//! A payment-result callback endpoint in axum: reads the raw body, decrypts and verifies it,
//! checks the merchant, records the order once, and acknowledges with HTTP 200 `SUCCESS`.
//!
//! ```text
//! OTTPAY_SIGN_KEY=... OTTPAY_MERCHANT_ID=ON00000097 \
//!     cargo run -p ottpay-examples --example axum_callback
//! ```
//!
//! It listens on `127.0.0.1:3000` (`POST /ottpay/callback`); put your TLS-terminating proxy in
//! front of it. What it leaves to you is marked `TODO`: compare the amount with the order, and
//! confirm the payment with the status query before fulfilling.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use ottpay::SignKey;
use ottpay::callback::{self, ACKNOWLEDGEMENT, MAX_BODY_BYTES};

struct App {
    sign_key: SignKey,
    merchant_id: String,
    /// Orders already recorded (use your database, keyed on `order_id`).
    seen: Mutex<HashSet<String>>,
}

async fn payment_result(State(app): State<Arc<App>>, body: Bytes) -> (StatusCode, &'static str) {
    let verified = match callback::decode(&body, &app.sign_key) {
        Ok(verified) => verified,
        Err(err) => {
            // Safe to log: errors never carry the signKey or decrypted content.
            eprintln!("rejected callback: {err}");
            let status = if err.is_verification_failure() { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
            return (status, "rejected");
        }
    };
    if verified.merchant_id() != Some(app.merchant_id.as_str()) {
        return (StatusCode::FORBIDDEN, "wrong merchant");
    }
    let Some(order_id) = verified.data().order_id.clone() else {
        return (StatusCode::BAD_REQUEST, "no order_id");
    };
    let first_time = match app.seen.lock() {
        Ok(mut seen) => seen.insert(order_id.clone()),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "retry later"),
    };
    if first_time {
        // TODO: check verified.data().amount against the order, then confirm with the status
        // query (ottpay::WalletStatusQueryRequest or ottpay::PaymentStatusQueryRequest) first.
        println!("payment notified: order {order_id}, amount {:?}", verified.data().amount);
    }
    // A repeat is acknowledged too, so OTT Pay stops sending it.
    (StatusCode::OK, ACKNOWLEDGEMENT)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = Arc::new(App {
        sign_key: SignKey::new(std::env::var("OTTPAY_SIGN_KEY").map_err(|_| "set OTTPAY_SIGN_KEY")?),
        merchant_id: std::env::var("OTTPAY_MERCHANT_ID").map_err(|_| "set OTTPAY_MERCHANT_ID")?,
        seen: Mutex::new(HashSet::new()),
    });
    let router = Router::new()
        .route("/ottpay/callback", post(payment_result))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}/ottpay/callback", listener.local_addr()?);
    axum::serve(listener, router).await?;
    Ok(())
}
