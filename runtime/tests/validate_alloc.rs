//! Every validation rule, and the collector around it, allocates nothing on a valid value: counted
//! per thread by `allocation-counter` (so other test threads cannot disturb the count). A
//! violation allocates (its report), which shows the counter counts.

use std::hint::black_box;

use ottpay_runtime::{Cents, Pointer, Rule, Validate, ValidationErrors, Validator};

/// A valid value of every rule, and one that breaks it.
fn rules() -> Vec<(Rule, &'static str, &'static str)> {
    vec![
        (Rule::MaxChars(4), "订单-é", "订单-éé"),
        (Rule::MinChars(2), "éé", "é"),
        (Rule::ExactChars(2), "CA", "CAN"),
        (Rule::MinCents(1), "1", "0"),
        (Rule::MaxCents(100), "100", "101"),
        (Rule::Url, "https://shop.example:8443/cb?order=42#x", "https://shop example/"),
        (Rule::Url, "http://127.0.0.1:8080/cb", "http://127.0.0.1:99999/"),
        (Rule::NoControl, "订单 42", "a\nb"),
        (Rule::Country, "CA", "XX"),
        (Rule::Mmyy, "1230", "1330"),
        (Rule::CardNumber, "4111111111111111", "4111111111111112"),
        (Rule::Cvv, "737", "73"),
        (Rule::Email, "payer@shop.example", "payer@shop"),
    ]
}

fn count(f: impl FnOnce()) -> u64 {
    allocation_counter::measure(f).count_total
}

#[test]
fn every_rule_holds_without_allocating() {
    for (rule, good, bad) in rules() {
        let mut holds = false;
        let n = count(|| holds = black_box(&rule).holds_for_text(black_box(good)));
        assert!(holds, "{rule:?} should hold for {good:?}");
        assert_eq!(n, 0, "{rule:?} on {good:?} made {n} allocation(s)");
        assert!(!rule.holds_for_text(bad), "{rule:?} should not hold for {bad:?}");
    }
}

/// Every rule through the collector, at a nested pointer and in a list.
struct Request {
    values: Vec<(Rule, String)>,
    amount: Cents,
}

impl Validate for Request {
    fn validate_into(&self, at: &Pointer<'_>, v: &mut Validator) {
        let nested = at.member("nested");
        let list = nested.member("list");
        for (i, (rule, value)) in self.values.iter().enumerate() {
            let item = list.index(i);
            v.text(&item, "value", Some(value)).rule(rule.clone()).no_control();
            v.secret(&item, "secret", Some(value)).rule(rule.clone());
        }
        v.cents(&nested, "amount", Some(self.amount), 1, 100);
    }
}

fn validated(r: &Request) -> (Result<(), ValidationErrors>, u64) {
    let mut outcome = Ok(());
    let n = count(|| outcome = black_box(r).validate());
    (outcome, n)
}

#[test]
fn the_collector_allocates_only_to_report() {
    let good = Request {
        values: rules().into_iter().map(|(rule, good, _)| (rule, good.to_owned())).collect(),
        amount: Cents::new(100),
    };
    let (outcome, n) = validated(&good);
    assert_eq!(outcome, Ok(()));
    assert_eq!(n, 0, "validating a valid request made {n} allocation(s)");

    let bad = Request { values: vec![(Rule::Email, "payer@shop".to_owned())], amount: Cents::new(0) };
    let (outcome, n) = validated(&bad);
    let pointers: Vec<String> =
        outcome.err().map(|e| e.violations().iter().map(|v| v.pointer.clone()).collect()).unwrap_or_default();
    assert_eq!(pointers, ["/nested/list/0/value", "/nested/list/0/secret", "/nested/amount"]);
    assert!(n > 0, "recording violations allocated nothing: the counter does not count");
}
