//! The pages a shopper's browser sees: the wallet cashier (Pay and Fail buttons), the 3-D Secure
//! challenge, the simulator's index and a "back at the shop" page for demos.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use ottpay::registry::ENDPOINTS;
use url::Url;

use crate::core::Shared;
use crate::state::{Family, Order, PaymentState};

/// The browser routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(index))
        .route("/cashier/{id}", get(cashier))
        .route("/cashier/{id}/pay", post(cashier_pay))
        .route("/cashier/{id}/fail", post(cashier_fail))
        .route("/3ds/{id}", get(challenge_page).post(challenge_answer))
        .route("/_sim/thanks", get(thanks))
}

/// The `escape3DSChallengeForm` of a card payment: a form posting the password to the simulator.
pub(crate) fn challenge_form(action: &str, order: &Order) -> String {
    let (brand, last4) = order.card().map_or(("card", ""), |c| (c.brand, &*c.last4));
    format!(
        r#"<form id="ottpay-sim-3ds" method="post" action="{action}"><p>3-D Secure check (OTT Pay simulator): {brand} ending {last4}, {amount}. The password <code>password</code> approves the payment; anything else declines it.</p><label>Password <input type="password" name="password" autocomplete="off" autofocus></label> <button type="submit">Submit</button></form>"#,
        action = escape(action),
        brand = escape(brand),
        last4 = escape(last4),
        amount = dollars(order.amount),
    )
}

async fn index(State(shared): State<Arc<Shared>>) -> Html<String> {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>OTT Pay simulator</h1><p>Base URL: <code>{}</code>. API calls: <code>POST</code> JSON with the \
         <code>{{status, result}}</code> envelope; the token call first.</p><h2>Merchants</h2><table>\
         <tr><th>appId</th><th>appKey</th><th>signKey</th><th>merchant id</th></tr>",
        escape(&shared.base_url)
    );
    for m in &shared.config.merchants {
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            escape(&m.app_id),
            escape(&m.app_key),
            escape(&m.sign_key),
            escape(&m.merchant_id)
        );
    }
    body.push_str("</table><h2>Endpoints</h2><table><tr><th>id</th><th>path</th><th>kind</th></tr>");
    for e in ENDPOINTS {
        let _ = write!(
            body,
            "<tr><td>{}</td><td><code>POST {}</code></td><td>{:?}</td></tr>",
            escape(e.id),
            escape(e.path),
            e.kind
        );
    }
    body.push_str("</table><h2>Recent payments</h2><table><tr><th>payment</th><th>endpoint</th><th>amount</th><th>status</th></tr>");
    for p in shared.recent(20) {
        let link = match p.family {
            Family::Wallet => format!("/cashier/{}", p.payment_id),
            Family::Card => format!("/3ds/{}", p.payment_id),
        };
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&link),
            escape(&p.payment_id),
            p.endpoint,
            dollars(p.amount),
            p.payment_status
        );
    }
    body.push_str("</table><p>Admin routes (JSON): <code>GET /_sim/payments</code>, <code>GET /_sim/callbacks</code>, <code>GET /_sim/stats</code>; see the README.</p>");
    page("OTT Pay simulator", &body)
}

async fn cashier(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let Some(p) = shared.payment(&id) else { return not_found(&id) };
    let mut body = format!(
        "<h1>Cashier</h1><p class=\"sub\">OTT Pay simulator: a stand-in for the WeChat Pay, Alipay or UnionPay page</p>\
         <dl><dt>Merchant</dt><dd>{}</dd><dt>Amount</dt><dd>{}</dd><dt>Payment</dt><dd><code>{}</code> ({})</dd>",
        escape(&p.merchant_id),
        dollars(p.amount),
        escape(&p.payment_id),
        escape(p.endpoint),
    );
    if let Some(remark) = &p.remark {
        let _ = write!(body, "<dt>Remark</dt><dd>{}</dd>", escape(remark));
    }
    let _ = write!(body, "<dt>Status</dt><dd><b>{}</b></dd></dl>", p.payment_status);
    if p.state == PaymentState::NotPaid {
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/cashier/{id}/pay\"><button class=\"pay\" type=\"submit\">Pay {}</button></form>\
             <form method=\"post\" action=\"/cashier/{id}/fail\"><button class=\"fail\" type=\"submit\">Fail the payment</button></form>",
            dollars(p.amount),
            id = escape(&p.payment_id),
        );
    } else if let Some(url) = p.return_url.as_deref().and_then(|u| Url::parse(u).ok()) {
        let _ = write!(body, "<p><a href=\"{}\">Back to the shop</a></p>", escape(url.as_str()));
    }
    page("Cashier - OTT Pay simulator", &body).into_response()
}

async fn cashier_pay(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let outcome = shared.pay(&id);
    finish_cashier(&shared, &id, outcome)
}

async fn cashier_fail(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let outcome = shared.fail(&id);
    finish_cashier(&shared, &id, outcome)
}

/// After the Pay or Fail button: back to the shop's return URL, or to the cashier page.
fn finish_cashier(shared: &Arc<Shared>, id: &str, outcome: Result<(), crate::SimError>) -> Response {
    let Some(p) = shared.payment(id) else { return not_found(id) };
    if let Err(e) = outcome {
        return (
            StatusCode::CONFLICT,
            page("Cashier - OTT Pay simulator", &format!("<p>{}</p>", escape(&e.to_string()))),
        )
            .into_response();
    }
    match p.return_url.as_deref().and_then(|u| Url::parse(u).ok()) {
        Some(url) => see_other(url.as_str()),
        None => see_other(&format!("/cashier/{id}")),
    }
}

async fn challenge_page(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let Some(p) = shared.payment(&id) else { return not_found(&id) };
    if p.state != PaymentState::Challenge {
        let body = format!("<p>Payment <code>{}</code> is <b>{}</b>.</p>", escape(&id), p.payment_status);
        return page("3-D Secure - OTT Pay simulator", &body).into_response();
    }
    let form = {
        let store = shared.lock();
        store.get(&id).map(|o| challenge_form(&shared.challenge_url(&id), o))
    };
    page("3-D Secure - OTT Pay simulator", &form.unwrap_or_default()).into_response()
}

async fn challenge_answer(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let password = form_urlencoded::parse(&body).find(|(k, _)| k == "password").map(|(_, v)| v.into_owned());
    match shared.answer_challenge(&id, password.as_deref().unwrap_or_default()) {
        Err(crate::SimError::UnknownPayment { .. }) => not_found(&id),
        Err(e) => {
            (StatusCode::CONFLICT, page("3-D Secure", &format!("<p>{}</p>", escape(&e.to_string())))).into_response()
        }
        Ok(outcome) => {
            let status = outcome.state.payment_status();
            match outcome.front_url.as_deref().and_then(|u| Url::parse(u).ok()) {
                Some(mut url) => {
                    url.query_pairs_mut().append_pair("paymentId", &id).append_pair("paymentStatus", status);
                    see_other(url.as_str())
                }
                None => page("3-D Secure", &format!("<p>Payment <code>{}</code> is <b>{status}</b>.</p>", escape(&id)))
                    .into_response(),
            }
        }
    }
}

async fn thanks(RawQuery(query): RawQuery) -> Html<String> {
    let mut body =
        "<h1>Back at the shop</h1><p>The simulator sent the shopper here (the demo return URL).</p>".to_owned();
    if let Some(query) = query {
        body.push_str("<dl>");
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let _ = write!(body, "<dt>{}</dt><dd>{}</dd>", escape(&k), escape(&v));
        }
        body.push_str("</dl>");
    }
    page("Thanks - OTT Pay simulator", &body)
}

/// A `303 See Other` to `location` (already an ASCII URL or path).
fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => page("Redirect", &format!("<p><a href=\"{0}\">{0}</a></p>", escape(location))).into_response(),
    }
}

fn not_found(id: &str) -> Response {
    (StatusCode::NOT_FOUND, page("Not found", &format!("<p>No payment <code>{}</code>.</p>", escape(id))))
        .into_response()
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width\"><title>{}</title><style>body{{font-family:system-ui,sans-serif;max-width:42rem;\
         margin:2rem auto;padding:0 1rem}}button{{font-size:1.1rem;padding:.6rem 1.2rem;margin:.3rem 0}}\
         .pay{{background:#1677ff;color:#fff;border:0}}.sub{{color:#666}}td,th{{padding:.2rem .6rem;text-align:left}}\
         dt{{font-weight:bold}}</style></head><body>{body}</body></html>",
        escape(title)
    ))
}

/// `$10.00 (1000 cents)`.
pub(crate) fn dollars(cents: u64) -> String {
    format!("${}.{:02} ({cents} cents)", cents / 100, cents % 100)
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_formats() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(dollars(1005), "$10.05 (1005 cents)");
    }
}
