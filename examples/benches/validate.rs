//! `validate()` on valid requests, with divan's `AllocProfiler` so allocation counts show, against
//! two baselines measured in the same run:
//!
//! - `old_*`: the validation as it was before issue 13, kept here bench-only: the same checks,
//!   with the JSON pointer of a nested struct built as a `String` before descending into it, and
//!   every URL parsed with `url::Url::parse`;
//! - `json_*`: serializing the same request with `serde_json` (what sending it costs anyway).
//!
//! Run: `cargo bench -p ottpay-examples --bench validate`.

use divan::{AllocProfiler, Bencher, black_box};
use ottpay::runtime::validate::pointer;
use ottpay::*;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

fn wap() -> AlipayWapPayRequest {
    AlipayWapPayRequest::new(Cents::new(100), "https://your.callback.url", "https://your.return.url").remark("Order 42")
}

/// A 3-D Secure card payment with its nested browser data, every optional field set.
const CARD: &str = r#"{"amount":2500,"callBackURL":"https://shop.example/ottpay/callback","accountNumber":"4111111111111111",
"accountName":"Jane Doe","accountExpire":"1230","cvn2":"737","sslAvsAddress":"100 Queen St W","sslAvsCity":"Toronto",
"sslAvsProvince":"ON","sslAvsCountry":"CA","sslAvsZip":"M5H 2N2","frontURL":"https://shop.example/checkout/done",
"sslEciInd":"05","ssl3dsecureValue":"AAABBBCCC","sslDirServerTranId":"f25084f0-5b16-4c0a-ae5d-b24808a95e4b",
"reference":"order-42","sessionId":"ABC123","email":"jane@shop.example",
"purchase3DSAddition":{"version":"2.1.0","sessionID":"ABC123","browserUserAgent":"Mozilla/5.0 (X11; Linux x86_64)",
"browserAcceptHeader":"text/html,application/xhtml+xml","browserLanguage":"en-CA","browserJavaScriptEnabledVal":"1",
"browserJavaEnabledVal":"0","browserScreenHeight":"1080","browserScreenWidth":"1920","browserTimezone":"300",
"browserScreenColorDepth":"24"}}"#;

fn card() -> CardPayment3dsRequest {
    match serde_json::from_str(CARD) {
        Ok(r) => r,
        Err(e) => panic!("the bench's card request does not deserialize: {e}"),
    }
}

#[divan::bench]
fn validate_alipay_wap_pay(b: Bencher) {
    let r = wap();
    assert!(r.validate().is_ok());
    b.bench_local(|| black_box(&r).validate());
}

#[divan::bench]
fn old_alipay_wap_pay(b: Bencher) {
    let r = wap();
    assert!(old::alipay_wap_pay(&r));
    b.bench_local(|| old::alipay_wap_pay(black_box(&r)));
}

#[divan::bench]
fn json_alipay_wap_pay(b: Bencher) {
    let r = wap();
    b.bench_local(|| serde_json::to_vec(black_box(&r)).map(|v| v.len()));
}

#[divan::bench]
fn validate_card_payment_3ds(b: Bencher) {
    let r = card();
    assert!(r.validate().is_ok());
    b.bench_local(|| black_box(&r).validate());
}

#[divan::bench]
fn old_card_payment_3ds(b: Bencher) {
    let r = card();
    assert!(old::card_payment_3ds(&r));
    b.bench_local(|| old::card_payment_3ds(black_box(&r)));
}

#[divan::bench]
fn json_card_payment_3ds(b: Bencher) {
    let r = card();
    b.bench_local(|| serde_json::to_vec(black_box(&r)).map(|v| v.len()));
}

/// The pre-issue-13 validation, bench-only: the generated checks of the two requests as they were,
/// over a collector that takes the pointer as `&str` (so a nested struct's pointer is a `String`
/// built up front), checks URLs by parsing them with `url::Url::parse` and control characters
/// char by char; the other rules are the runtime's, unchanged.
mod old {
    use super::*;

    /// Whether the request is valid.
    pub fn alipay_wap_pay(r: &AlipayWapPayRequest) -> bool {
        let mut v = Old::default();
        let at = "";
        v.cents(at, "amount", Some(r.amount), 1, 9223372036854775807);
        v.text(at, "callbackURL", Some(r.callback_url.as_str())).url().max_chars(255);
        v.text(at, "returnURL", Some(r.return_url.as_str())).url().max_chars(255);
        v.text(at, "remark", r.remark.as_deref()).max_chars(128).no_control();
        v.violations.is_empty()
    }

    /// Whether the request is valid.
    pub fn card_payment_3ds(r: &CardPayment3dsRequest) -> bool {
        let mut v = Old::default();
        let at = "";
        v.cents(at, "amount", Some(r.amount), 1, 9223372036854775807);
        v.text(at, "callBackURL", Some(r.callback_url.as_str())).url().max_chars(255);
        v.text(at, "accountNumber", Some(r.account_number.expose().as_str())).card_number();
        v.text(at, "accountName", Some(r.account_name.expose().as_str())).no_control();
        v.text(at, "accountExpire", Some(r.account_expire.expose().as_str())).mmyy();
        v.text(at, "cvn2", Some(r.cvn2.expose().as_str())).cvv();
        v.text(at, "sslAvsAddress", Some(r.ssl_avs_address.as_str())).max_chars(50).no_control();
        v.text(at, "sslAvsCity", Some(r.ssl_avs_city.as_str())).max_chars(40).no_control();
        v.text(at, "sslAvsProvince", Some(r.ssl_avs_province.as_str())).max_chars(40).min_chars(2).no_control();
        v.text(at, "sslAvsCountry", Some(r.ssl_avs_country.as_str())).country().exact_chars(2);
        v.text(at, "sslAvsZip", Some(r.ssl_avs_zip.as_str())).max_chars(10).no_control();
        v.text(at, "frontURL", Some(r.front_url.as_str())).url().max_chars(255);
        v.text(at, "sslEciInd", r.ssl_eci_ind.as_deref()).no_control();
        v.text(at, "ssl3dsecureValue", r.ssl_3dsecure_value.as_deref()).max_chars(64).no_control();
        v.text(at, "sslDirServerTranId", r.ssl_dir_server_tran_id.as_deref()).max_chars(64).no_control();
        v.text(at, "reference", r.reference.as_deref()).no_control();
        v.text(at, "sessionId", r.session_id.as_deref()).max_chars(32).no_control();
        v.text(at, "email", r.email.as_deref()).email().no_control();
        purchase_3ds_addition(&r.purchase_3ds_addition, &pointer(at, "purchase3DSAddition"), &mut v);
        v.violations.is_empty()
    }

    fn purchase_3ds_addition(r: &Purchase3dsAddition, at: &str, v: &mut Old) {
        v.text(at, "version", Some(r.version.as_str())).no_control();
        v.text(at, "sessionID", r.session_id.as_deref()).max_chars(32).no_control();
        v.text(at, "browserUserAgent", Some(r.browser_user_agent.as_str())).max_chars(512).no_control();
        v.text(at, "browserAcceptHeader", Some(r.browser_accept_header.as_str())).max_chars(512).no_control();
        v.text(at, "browserLanguage", Some(r.browser_language.as_str())).max_chars(35).no_control();
        v.text(at, "browserJavaScriptEnabledVal", r.browser_javascript_enabled_val.as_deref()).no_control();
        v.text(at, "browserJavaEnabledVal", r.browser_java_enabled_val.as_deref()).no_control();
        v.text(at, "browserScreenHeight", r.browser_screen_height.as_deref()).no_control();
        v.text(at, "browserScreenWidth", r.browser_screen_width.as_deref()).no_control();
        v.text(at, "browserTimezone", r.browser_timezone.as_deref()).no_control();
        v.text(at, "browserScreenColorDepth", r.browser_screen_color_depth.as_deref()).no_control();
    }

    /// The old collector: `at` is the parent's pointer as text.
    #[derive(Default)]
    struct Old {
        violations: Vec<(String, Rule)>,
    }

    impl Old {
        fn text<'v>(&'v mut self, at: &'v str, name: &'v str, value: Option<&'v str>) -> Check<'v> {
            Check { v: self, at, name, value }
        }

        fn cents(&mut self, at: &str, name: &str, value: Option<Cents>, min: u64, max: u64) {
            if let Some(c) = value {
                for rule in [Rule::MinCents(min), Rule::MaxCents(max)] {
                    if !rule.holds_for_cents(c.get()) {
                        self.violations.push((pointer(at, name), rule));
                    }
                }
            }
        }
    }

    struct Check<'v> {
        v: &'v mut Old,
        at: &'v str,
        name: &'v str,
        value: Option<&'v str>,
    }

    impl Check<'_> {
        fn rule(&mut self, rule: Rule, holds: impl Fn(&str) -> bool) -> &mut Self {
            if let Some(s) = self.value
                && !holds(s)
            {
                self.v.violations.push((pointer(self.at, self.name), rule));
            }
            self
        }

        fn text_rule(&mut self, rule: Rule) -> &mut Self {
            let r = rule.clone();
            self.rule(rule, move |s| r.holds_for_text(s))
        }

        fn url(&mut self) -> &mut Self {
            self.rule(Rule::Url, old_is_http_url)
        }

        fn max_chars(&mut self, n: usize) -> &mut Self {
            self.text_rule(Rule::MaxChars(n))
        }

        fn min_chars(&mut self, n: usize) -> &mut Self {
            self.text_rule(Rule::MinChars(n))
        }

        fn exact_chars(&mut self, n: usize) -> &mut Self {
            self.text_rule(Rule::ExactChars(n))
        }

        fn no_control(&mut self) -> &mut Self {
            self.rule(Rule::NoControl, |s| !s.chars().any(char::is_control))
        }

        fn country(&mut self) -> &mut Self {
            self.text_rule(Rule::Country)
        }

        fn mmyy(&mut self) -> &mut Self {
            self.text_rule(Rule::Mmyy)
        }

        fn card_number(&mut self) -> &mut Self {
            self.text_rule(Rule::CardNumber)
        }

        fn cvv(&mut self) -> &mut Self {
            self.text_rule(Rule::Cvv)
        }

        fn email(&mut self) -> &mut Self {
            self.text_rule(Rule::Email)
        }
    }

    /// The URL rule as it was: the literal-text checks, then `url::Url::parse` every time.
    fn old_is_http_url(s: &str) -> bool {
        let has_prefix =
            |prefix: &str| s.as_bytes().get(..prefix.len()).is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()));
        let rest = if has_prefix("https://") {
            &s[8..]
        } else if has_prefix("http://") {
            &s[7..]
        } else {
            return false;
        };
        if rest.is_empty()
            || rest.starts_with('/')
            || s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return false;
        }
        match url::Url::parse(s) {
            Ok(u) => matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()),
            Err(_) => false,
        }
    }
}
