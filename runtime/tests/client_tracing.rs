//! The `ottpay.call` span: one per call with endpoint, HTTP status, API code, duration and
//! retries, and never a secret in any span or event.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use ottpay_runtime::ApiCode;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::{MockServer, ResponseTemplate};

/// A span or an event as recorded: name and `field=value` pairs.
#[derive(Clone, Debug, Default)]
struct Seen {
    name: String,
    fields: Vec<(String, String)>,
}

impl Seen {
    fn get(&self, field: &str) -> Option<&str> {
        self.fields.iter().rev().find(|(k, _)| k == field).map(|(_, v)| v.as_str())
    }
}

impl Visit for Seen {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields.push((field.name().to_owned(), format!("{value:?}")));
    }
}

/// A subscriber that keeps every span (with later `record`s) and every event.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<Seen>>>,
    events: Arc<Mutex<Vec<Seen>>>,
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut seen = Seen { name: attrs.metadata().name().to_owned(), fields: Vec::new() };
        attrs.record(&mut seen);
        let mut spans = self.spans.lock().unwrap();
        spans.push(seen);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some(seen) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(seen);
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut seen = Seen { name: event.metadata().target().to_owned(), fields: Vec::new() };
        event.record(&mut seen);
        self.events.lock().unwrap().push(seen);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn one_span_per_call_with_its_outcome_and_no_secret() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_answer(&server, WALLET_PATH, wallet_ok()).await;
    mount_answer(
        &server,
        QUERY_PATH,
        ResponseTemplate::new(200).set_body_json(api_error(20019, "Original payment not exist")),
    )
    .await;
    let client = client(&server);
    client.send(&wallet_pay()).await.expect("paid");
    let err = client.send(&StatusQuery { payment_id: "1".into() }).await.expect_err("api error");
    assert_eq!(err.api_code().map(|c| c.code()), Some(20019));

    let spans = recorder.spans.lock().unwrap().clone();
    let calls: Vec<_> = spans.iter().filter(|s| s.name == "ottpay.call").collect();
    let endpoints: Vec<_> = calls.iter().filter_map(|s| s.get("endpoint")).collect();
    assert_eq!(endpoints, ["\"wallet_pay\"", "\"auth_token\"", "\"test_status_query\""]);

    let pay = calls[0];
    assert_eq!(pay.get("http.status"), Some("200"));
    assert_eq!(pay.get("retries"), Some("0"));
    assert!(pay.get("duration_ms").is_some());
    assert_eq!(pay.get("api.code"), None);

    let query = calls[2];
    assert_eq!(query.get("api.code"), Some("20019"));
    assert_eq!(query.get("error.kind"), Some("\"api\""));

    let everything = format!("{spans:?} {:?}", recorder.events.lock().unwrap());
    assert!(!everything.contains(APP_KEY), "appKey in a span or event");
    assert!(!everything.contains(TOKEN) && !everything.contains("test-token"), "token in a span or event");
    assert!(!everything.contains("your.callback.url"), "request body in a span or event");
}

#[tokio::test(flavor = "current_thread")]
async fn retries_are_counted() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = MockServer::start().await;
    mount_two_tokens(&server, 900_000).await;
    mount_answer(&server, WALLET_PATH, ResponseTemplate::new(200).set_body_json(api_error(90000, "Unauthorized")))
        .await;
    let _ = client(&server).send(&wallet_pay()).await;
    let spans = recorder.spans.lock().unwrap().clone();
    let pay =
        spans.iter().find(|s| s.name == "ottpay.call" && s.get("endpoint") == Some("\"wallet_pay\"")).expect("span");
    assert_eq!(pay.get("retries"), Some("1"), "one re-authentication");
    assert_eq!(pay.get("api.code"), Some("90000"));
}
