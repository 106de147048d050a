//! Takes an Alipay payment from a mobile browser and prints the link to send the shopper to.
//!
//! By default it pays against the simulator (`cargo run -p ottpay-sim`, on
//! `http://127.0.0.1:8380`) as its demo merchant, with the callback going to the `axum_callback`
//! example (`http://127.0.0.1:3000/ottpay/callback`) and the shopper coming back to the
//! simulator's demo "thanks" page; the printed link is the simulator's cashier page:
//!
//! ```text
//! cargo run -p ottpay-examples --example alipay_wap_pay              # 100 cents, against the simulator
//! cargo run -p ottpay-examples --example alipay_wap_pay -- "" 1000   # 1000 cents, against the simulator
//! ```
//!
//! Against OTT Pay itself, give the base URL and the credentials:
//!
//! ```text
//! OTTPAY_APP_ID=ON00000185 OTTPAY_APP_KEY=... \
//!     cargo run -p ottpay-examples --example alipay_wap_pay -- https://sandbox-api.ottpay.com [AMOUNT_CENTS]
//! ```
//!
//! The base URL is the first argument, or `OTTPAY_BASE_URL`. The amount defaults to 100 cents.
//! The callback and return URLs come from `OTTPAY_CALLBACK_URL` and `OTTPAY_RETURN_URL`
//! (defaults: the local ones above for the simulator, `https://shop.example/ottpay/callback` and
//! `https://shop.example/thanks` otherwise).

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
    let base_url = args.next().filter(|url| !url.is_empty()).or_else(|| std::env::var("OTTPAY_BASE_URL").ok());
    let amount = match args.next() {
        Some(text) => {
            text.parse::<u64>().map_err(|_| format!("the amount must be a whole number of cents, not {text:?}"))?
        }
        None => 100,
    };
    let (base_url, app_id, app_key, callback_url, return_url) = match base_url {
        // The simulator and its demo merchant (simulator credentials, printed by the simulator).
        None => {
            let sim = format!("http://127.0.0.1:{}", ottpay_sim::DEFAULT_PORT);
            let demo = ottpay_sim::Merchant::demo();
            eprintln!("against the simulator at {sim} (start it with `cargo run -p ottpay-sim`)");
            (
                sim.clone(),
                env_or("OTTPAY_APP_ID", &demo.app_id),
                env_or("OTTPAY_APP_KEY", &demo.app_key),
                env_or("OTTPAY_CALLBACK_URL", "http://127.0.0.1:3000/ottpay/callback"),
                env_or("OTTPAY_RETURN_URL", &format!("{sim}/_sim/thanks")),
            )
        }
        Some(url) => (
            url,
            env("OTTPAY_APP_ID")?,
            env("OTTPAY_APP_KEY")?,
            env_or("OTTPAY_CALLBACK_URL", "https://shop.example/ottpay/callback"),
            env_or("OTTPAY_RETURN_URL", "https://shop.example/thanks"),
        ),
    };

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

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}
