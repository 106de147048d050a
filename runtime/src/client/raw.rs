//! [`Client::send_with_raw`]: a call whose answer keeps the raw `result` JSON next to the typed
//! value, so members the spec does not list yet (a field the vendor added, or one a cut-off
//! vendor page never showed) are still reachable.
//!
//! It runs the same path as [`Client::send`] (validation, token, retries, envelope) and decodes
//! the one answer twice: into the typed value and into a [`serde_json::Value`].

use std::fmt;

use serde_json::Value;

use super::core::{Call, Meta, encode};
use super::{Client, Error};
use crate::api::Api;
use crate::endpoint::Endpoint;
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

impl<A: Api> Client<A> {
    /// Like [`send`](Self::send), but the answer also keeps the `result` object exactly as
    /// received ([`WithRaw::raw`]), so members the spec does not list are not lost:
    /// [`WithRaw::unknown_fields`] lists them.
    ///
    /// Same validation, token handling, retries and errors as [`send`](Self::send): a `result`
    /// that does not fit the typed answer is the same [`Error::Decode`], with the path of the
    /// member.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub async fn send_with_raw<E: Endpoint<Api = A>>(
        &self,
        request: &E,
    ) -> Result<WithRaw<E::Response>, Error<A::ErrorCode>> {
        let core = &*self.core;
        let mut call = Call::start(E::ID);
        let result = match encode(request, core.validate) {
            Ok(body) => core.call(&mut call, Meta::of::<E>(), body).await.and_then(|success| {
                let typed = success.decode::<E::Response>()?;
                let raw = success.decode::<Value>()?;
                Ok(WithRaw { typed, raw })
            }),
            Err(e) => Err(e),
        };
        call.finish(result.as_ref().err());
        result.map_err(Error::from_core)
    }
}
