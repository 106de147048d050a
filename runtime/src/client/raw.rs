//! [`Client::send_with_raw`]: a call whose answer keeps the raw `result` JSON next to the typed
//! value, so members the spec does not list yet (a field the vendor added, or one a cut-off
//! vendor page never showed) are still reachable.
//!
//! It runs the same path as [`Client::send`] (validation, token, retries, envelope) with a
//! request wrapper ([`KeepRaw`]) whose answer type is the `result` as a [`serde_json::Value`],
//! then decodes the typed value from it.

use std::fmt;
use std::time::Instant;

use serde::{Serialize, Serializer};
use serde_json::Value;
use tracing::Instrument;

use super::body::{redacted, snippet};
use super::{Client, Error, Stats, call_span, finish};
use crate::api::Api;
use crate::endpoint::{Auth, Endpoint, Retry};
use crate::validate::{Validate, Validator, pointer};
use crate::wire::{WireFields, unknown_members};

/// A typed answer together with the `result` object exactly as it was received.
///
/// The typed value reads the fields the spec lists; [`raw`](Self::raw) holds every member the
/// server sent, including those the spec does not know yet, which
/// [`unknown_fields`](Self::unknown_fields) lists.
///
/// **The raw JSON is not redacted**: it holds the values of sensitive fields (a token, an API key)
/// as sent. Its `Debug` shows the typed value (which redacts them) and the raw member names only.
#[derive(Clone, PartialEq)]
pub struct WithRaw<T> {
    typed: T,
    raw: Value,
}

impl<T> WithRaw<T> {
    /// Pairs a typed answer with its raw `result` (for tests and fakes).
    pub fn new(typed: T, raw: Value) -> Self {
        WithRaw { typed, raw }
    }

    /// The typed answer, as [`Client::send`] returns it.
    pub fn typed(&self) -> &T {
        &self.typed
    }

    /// The `result` member of the answer exactly as received (usually an object).
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The member `name` of the raw `result`, whether or not the spec lists it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.raw.get(name)
    }

    /// The typed answer and the raw `result`, by value.
    pub fn into_parts(self) -> (T, Value) {
        (self.typed, self.raw)
    }
}

impl<T: WireFields> WithRaw<T> {
    /// The members of the raw `result` that `T` does not read (names not in
    /// [`T::WIRE_FIELDS`](WireFields::WIRE_FIELDS)), in the order received. Empty when the server
    /// sent nothing beyond the spec, or when `result` is not an object.
    pub fn unknown_fields(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.raw.as_object().into_iter().flat_map(|object| unknown_members(T::WIRE_FIELDS, object))
    }
}

impl<T: fmt::Debug> fmt::Debug for WithRaw<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let members: Vec<&str> =
            self.raw.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        f.debug_struct("WithRaw").field("typed", &self.typed).field("raw_members", &members).finish()
    }
}

/// A request of `E` whose answer is the raw `result` (what [`Client::send_with_raw`] sends): the
/// same endpoint, body, validation and retry policy as `E`.
struct KeepRaw<'a, E>(&'a E);

impl<E: Serialize> Serialize for KeepRaw<'_, E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<E: Validate> Validate for KeepRaw<'_, E> {
    fn validate_into(&self, at: &str, v: &mut Validator) {
        self.0.validate_into(at, v);
    }
}

impl<E: Endpoint> Endpoint for KeepRaw<'_, E> {
    type Api = E::Api;
    type Response = Value;
    const ID: &'static str = E::ID;
    const METHOD: &'static str = E::METHOD;
    const PATH: &'static str = E::PATH;
    const AUTH: Auth = E::AUTH;
    const RETRY: Retry = E::RETRY;
    const ERRORS: &'static [<E::Api as Api>::ErrorCode] = E::ERRORS;
}

impl<A: Api> Client<A> {
    /// Like [`send`](Self::send), but the answer also keeps the `result` object exactly as
    /// received ([`WithRaw::raw`]), so members the spec does not list are not lost:
    /// [`WithRaw::unknown_fields`] lists them.
    ///
    /// Same validation, token handling, retries and errors as [`send`](Self::send); a `result`
    /// that does not fit the typed answer is an [`Error::Decode`] with the path of the member, as
    /// there (its snippet quotes the `result`, or nothing for an endpoint without a token).
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_with_raw<E: Endpoint<Api = A>>(
        &self,
        request: &E,
    ) -> Result<WithRaw<E::Response>, Error<A::ErrorCode>> {
        let span = call_span(E::ID);
        let started = Instant::now();
        let mut stats = Stats::default();
        let result = self
            .send_inner(&KeepRaw(request), &mut stats)
            .instrument(span.clone())
            .await
            .and_then(|raw| typed::<E, A>(raw));
        finish(&span, started, &stats, &result);
        result
    }
}

/// Decodes the typed answer from the raw `result`, with the member's path on failure.
fn typed<E: Endpoint<Api = A>, A: Api>(raw: Value) -> Result<WithRaw<E::Response>, Error<A::ErrorCode>> {
    match serde_path_to_error::deserialize::<_, E::Response>(&raw) {
        Ok(typed) => Ok(WithRaw { typed, raw }),
        Err(e) => {
            let mut path = pointer("", A::ENVELOPE.result);
            for segment in e.path().iter() {
                path = match segment {
                    serde_path_to_error::Segment::Seq { index } => format!("{path}/{index}"),
                    serde_path_to_error::Segment::Map { key } => pointer(&path, key),
                    serde_path_to_error::Segment::Enum { variant } => format!("{path}/{variant}"),
                    serde_path_to_error::Segment::Unknown => format!("{path}/?"),
                };
            }
            let text = serde_json::to_vec(&raw).unwrap_or_default();
            let (message, snippet) = if E::AUTH == Auth::None {
                // The token endpoint's answer holds the token: quote none of it.
                (
                    "the value does not fit the answer type (details withheld: this answer holds a secret)".to_owned(),
                    redacted(&text),
                )
            } else {
                (e.into_inner().to_string(), snippet(&text))
            };
            Err(Error::Decode { endpoint: E::ID, path, message, snippet, retry: E::RETRY })
        }
    }
}
