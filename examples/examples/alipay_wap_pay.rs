//! Takes an Alipay payment from a mobile browser and prints the link to send the shopper to.
//!
//! ```text
//! OTTPAY_APP_ID=ON00000185 OTTPAY_APP_KEY=... \
//!     cargo run -p ottpay-examples --example alipay_wap_pay -- https://sandbox-api.ottpay.com [AMOUNT_CENTS]
//! ```
//!
//! The base URL is the first argument, or `OTTPAY_BASE_URL`. The amount defaults to 100 cents.
//! The callback and return URLs come from `OTTPAY_CALLBACK_URL` and `OTTPAY_RETURN_URL`
//! (defaults: `https://shop.example/ottpay/callback` and `https://shop.example/thanks`).

use std::process::ExitCode;

use ottpay::{AlipayWapPayRequest, Cents, Client};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(link) => {
            println!("{link}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let base_url = args
        .next()
        .or_else(|| std::env::var("OTTPAY_BASE_URL").ok())
        .ok_or("give the base URL as the first argument or in OTTPAY_BASE_URL")?;
    let amount = match args.next() {
        Some(text) => {
            text.parse::<u64>().map_err(|_| format!("the amount must be a whole number of cents, not {text:?}"))?
        }
        None => 100,
    };
    let app_id = env("OTTPAY_APP_ID")?;
    let app_key = env("OTTPAY_APP_KEY")?;
    let callback_url =
        std::env::var("OTTPAY_CALLBACK_URL").unwrap_or_else(|_| "https://shop.example/ottpay/callback".into());
    let return_url = std::env::var("OTTPAY_RETURN_URL").unwrap_or_else(|_| "https://shop.example/thanks".into());

    let client =
        Client::builder().base_url(base_url).credentials(app_id, app_key).build().map_err(|e| e.to_string())?;
    let request = AlipayWapPayRequest::new(Cents::new(amount), callback_url, return_url).remark("ottpay-rust example");
    let answer = client.send(&request).await.map_err(|e| with_causes(&e))?;
    if let Some(payment_id) = &answer.payment_id {
        eprintln!("paymentId: {payment_id}");
    }
    answer.pay_info.ok_or_else(|| "the server answered SUCCESS without a payInfo link".to_owned())
}

/// The error and its causes on one line (`... : connection refused`).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(&format!(": {e}"));
        cause = e.source();
    }
    text
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}
