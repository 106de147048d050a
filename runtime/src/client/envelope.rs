//! The `{status, result}` envelope: turns an HTTP status and a body into the typed result or
//! the matching [`Error`]. Pure (no I/O), so every bad answer is unit-tested here. Member names
//! and status values come from the API's [`Envelope`]; OTT Pay's are shown.
//!
//! | HTTP | body | outcome |
//! |---|---|---|
//! | any | `{"status":"ERROR","result":{"code":..,"message":..}}` | [`Error::Api`] |
//! | 2xx | `{"status":"SUCCESS","result":{..}}` | the decoded `result`, or [`Error::Decode`] with its path |
//! | 2xx | anything else (empty, truncated, not JSON, unknown status) | [`Error::Decode`] |
//! | other | anything but an ERROR envelope | [`Error::HttpStatus`] with a snippet |

use std::fmt;

use bytes::Bytes;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::body::{redacted, snippet};
use super::core::Code;
use super::error::Error;
use crate::api::{ApiCode, Envelope};
use crate::endpoint::Retry;
use crate::validate::pointer as member;

/// How to quote bodies in errors: verbatim (bounded) or not at all (the token endpoint).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quote {
    /// Quote a bounded snippet.
    Snippet,
    /// The body may hold a secret: quote nothing of it.
    Redact,
}

/// A success envelope: the body and its `result` member, still JSON text, for the typed decode.
pub(crate) struct Success {
    endpoint: &'static str,
    retry: Retry,
    quote: Quote,
    /// The envelope's `result` member name.
    result_member: &'static str,
    /// The whole body, quoted by errors.
    body: Bytes,
    /// The JSON text of `result` (`None`: the member is missing, decoded as `null`).
    result: Option<Bytes>,
}

impl Success {
    /// The JSON text of `result` (`null` when it is missing).
    pub(crate) fn result_json(&self) -> &[u8] {
        self.result.as_deref().unwrap_or(b"null")
    }

    /// Decodes `result` into `T`. On failure only, decodes it again tracking the path, for the
    /// JSON pointer of the value that failed.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, Error<Code>> {
        let json = self.result_json();
        serde_json::from_slice(json).map_err(|first| {
            let tracked = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_slice(json));
            self.decode_error(first, tracked.err())
        })
    }

    fn decode_error(
        &self,
        first: serde_json::Error,
        tracked: Option<serde_path_to_error::Error<serde_json::Error>>,
    ) -> Error<Code> {
        let result_path = member("", self.result_member);
        let (path, message) = match tracked {
            Some(e) => (pointer(&result_path, e.path()), e.into_inner().to_string()),
            None => (result_path, first.to_string()),
        };
        Error::Decode {
            endpoint: self.endpoint,
            path,
            message: match self.quote {
                Quote::Snippet => message,
                Quote::Redact => redact_quoted(&message),
            },
            snippet: show(self.quote, &self.body),
            retry: self.retry,
        }
    }
}

fn show(quote: Quote, body: &[u8]) -> String {
    match quote {
        Quote::Snippet => snippet(body),
        Quote::Redact => redacted(body),
    }
}

/// Interprets one HTTP answer of `endpoint`; `messages` gives the table message of a code.
pub(crate) fn interpret(
    endpoint: &'static str,
    retry: Retry,
    env: &Envelope,
    status: u16,
    body: Bytes,
    quote: Quote,
    messages: fn(i64) -> &'static str,
) -> Result<Success, Error<Code>> {
    let success = |result| Success { endpoint, retry, quote, result_member: env.result, body: body.clone(), result };
    if (200..300).contains(&status)
        && let Some(result) = plain_success(env, &body)
    {
        return Ok(success(result.map(|range| body.slice(range))));
    }
    // Anything but a plain success: read the body as a `Value` to say exactly what is wrong.
    match interpret_slow(endpoint, retry, env, status, &body, quote, messages)? {
        None => Ok(success(None)),
        Some(result) => match serde_json::to_vec(&result) {
            Ok(json) => Ok(success(Some(Bytes::from(json)))),
            Err(e) => Err(Error::Decode {
                endpoint,
                path: member("", env.result),
                message: e.to_string(),
                snippet: show(quote, &body),
                retry,
            }),
        },
    }
}

/// The fast path, one pass over the body without building a tree: `Some(range of result)` when
/// the body is exactly an object whose status member is the success string (the range is `None`
/// when there is no result member). Anything unusual (an escaped key or status, invalid JSON,
/// another status) gives `None` and is left to the exact, slower reading.
fn plain_success(env: &Envelope, body: &[u8]) -> Option<Option<std::ops::Range<usize>>> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let parts = PartsSeed { env }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    let status = parts.status?.get();
    if status.strip_prefix('"')?.strip_suffix('"')? != env.success {
        return None;
    }
    let Some(result) = parts.result else { return Some(None) };
    let text = result.get().as_bytes();
    let start = (text.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    let end = start.checked_add(text.len())?;
    (end <= body.len()).then_some(Some(start..end))
}

/// The status and result members of an envelope, as borrowed JSON text.
#[derive(Default)]
struct Parts<'a> {
    status: Option<&'a RawValue>,
    result: Option<&'a RawValue>,
}

struct PartsSeed<'e> {
    env: &'e Envelope,
}

impl<'de> DeserializeSeed<'de> for PartsSeed<'_> {
    type Value = Parts<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Parts<'de>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PartsSeed<'_> {
    type Value = Parts<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the {status, result} envelope object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Parts<'de>, M::Error> {
        let mut parts = Parts::default();
        while let Some(Key(key)) = map.next_key()? {
            match key {
                Some(k) if k == self.env.status => parts.status = Some(map.next_value()?),
                Some(k) if k == self.env.result => parts.result = Some(map.next_value()?),
                Some(_) => {
                    map.next_value::<IgnoredAny>()?;
                }
                None => return Err(de::Error::custom("an escaped key")),
            }
        }
        Ok(parts)
    }
}

/// A member name as it is in the body; `None` when it holds escapes (it is not compared then).
struct Key<'a>(Option<&'a str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Some(v)))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Key<'de>, E> {
                Ok(Key(None))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The exact reading: `Ok(Some(result))` or `Ok(None)` (no result member) for a success
/// envelope, otherwise the error that says what is wrong.
fn interpret_slow(
    endpoint: &'static str,
    retry: Retry,
    env: &Envelope,
    status: u16,
    body: &[u8],
    quote: Quote,
    messages: fn(i64) -> &'static str,
) -> Result<Option<Value>, Error<Code>> {
    let success = (200..300).contains(&status);
    let scrub = |message: String| match quote {
        Quote::Snippet => message,
        Quote::Redact => redact_quoted(&message),
    };
    let http_status = || Error::HttpStatus { endpoint, status, snippet: show(quote, body), retry };
    let decode = |path: &str, message: String| Error::Decode {
        endpoint,
        path: path.to_owned(),
        message: scrub(message),
        snippet: show(quote, body),
        retry,
    };

    let mut value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) if !success => return Err(http_status()),
        Err(e) => return Err(decode("", e.to_string())),
    };
    let Some(envelope) = value.as_object_mut() else {
        return Err(if success {
            decode("", "expected the {status, result} envelope object".to_owned())
        } else {
            http_status()
        });
    };
    let status_path = || member("", env.status);
    let result_path = member("", env.result);
    match envelope.get(env.status).and_then(Value::as_str) {
        Some(s) if s == env.error => match api_error(env, &result_path, envelope.get(env.result), messages) {
            Ok((code, message)) => Err(Error::Api { endpoint, code, message, http_status: status }),
            Err(_) if !success => Err(http_status()),
            Err((path, message)) => Err(decode(&path, message)),
        },
        _ if !success => Err(http_status()),
        Some(s) if s == env.success => Ok(envelope.remove(env.result)),
        Some(other) => Err(decode(
            &status_path(),
            format!("unknown status {other:?}, expected {:?} or {:?}", env.success, env.error),
        )),
        None => Err(decode(&status_path(), "missing or not a string".to_owned())),
    }
}

/// Reads `{code, message}` of an error envelope. Liberal: the code may be a number or a string
/// of digits; the message may be missing or named `errorMessage`.
fn api_error(
    env: &Envelope,
    result_path: &str,
    result: Option<&Value>,
    messages: fn(i64) -> &'static str,
) -> Result<(Code, String), (String, String)> {
    let result = result
        .and_then(Value::as_object)
        .ok_or_else(|| (result_path.to_owned(), format!("an {} envelope needs a result object", env.error)))?;
    let code = match result.get(env.code) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| (member(result_path, env.code), format!("an {} envelope needs an integer code", env.error)))?;
    let code = Code::new(code, messages(code));
    let message = [env.message, "errorMessage"]
        .iter()
        .find_map(|k| result.get(*k).and_then(Value::as_str))
        .map_or_else(|| code.message().to_owned(), str::to_owned);
    Ok((code, message))
}

/// `prefix` plus the path serde_path_to_error tracked, as a JSON pointer (`/result/items/0/id`).
fn pointer(prefix: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = prefix.to_owned();
    for segment in path.iter() {
        out = match segment {
            Segment::Seq { index } => format!("{out}/{index}"),
            Segment::Map { key } => member(&out, key),
            Segment::Enum { variant } => format!("{out}/{variant}"),
            Segment::Unknown => format!("{out}/?"),
        };
    }
    out
}

/// Replaces the contents of every double-quoted string in `message` with `***`: serde quotes
/// the values it rejects, and a value of the token endpoint may be the token.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    let mut escaped = false;
    for c in message.chars() {
        if inside {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                inside = false;
                out.push_str("***\"");
            }
        } else {
            out.push(c);
            inside = c == '"';
        }
    }
    if inside {
        out.push_str("***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::core::table_message;
    use crate::test_api::{ENVELOPE, TestCode};
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct R {
        #[serde(rename = "payInfo")]
        pay_info: Option<String>,
        n: Option<i64>,
    }

    fn decode(
        endpoint: &'static str,
        retry: Retry,
        status: u16,
        body: &[u8],
        quote: Quote,
    ) -> Result<R, Error<TestCode>> {
        interpret(endpoint, retry, &ENVELOPE, status, Bytes::copy_from_slice(body), quote, table_message::<TestCode>)
            .and_then(|success| success.decode::<R>())
            .map_err(Error::from_core)
    }

    fn run(status: u16, body: &str) -> Result<R, Error<TestCode>> {
        decode("ep", Retry::Never, status, body.as_bytes(), Quote::Snippet)
    }

    #[test]
    fn success_decodes_the_result() {
        let r = run(200, r#"{"status":"SUCCESS","result":{"payInfo":"x","n":1,"extra":true}}"#);
        assert_eq!(r.ok(), Some(R { pay_info: Some("x".into()), n: Some(1) }));
    }

    #[test]
    fn the_fast_path_borrows_the_result_and_unusual_bodies_read_the_same() {
        let plain = br#" { "n" : 0, "status" : "SUCCESS" , "result" : {"payInfo":"x","n":1} } "#;
        assert_eq!(
            plain_success(&ENVELOPE, plain).flatten().map(|r| &plain[r]),
            Some(&br#"{"payInfo":"x","n":1}"#[..])
        );
        let expected = Some(R { pay_info: Some("x".into()), n: Some(1) });
        for body in [
            // the fast path
            r#"{"status":"SUCCESS","result":{"payInfo":"x","n":1}}"#,
            r#"{"result":{"payInfo":"x","n":1},"status":"SUCCESS","extra":[1,{"a":null}]}"#,
            // escapes and repeated members: the exact reading, same outcome
            r#"{"st\u0061tus":"SUCCESS","result":{"payInfo":"x","n":1}}"#,
            r#"{"status":"SUCC\u0045SS","result":{"payInfo":"x","n":1}}"#,
            r#"{"status":"SUCCESS","re\u0073ult":{"payInfo":"x","n":1}}"#,
            r#"{"status":"SUCCESS","result":{"n":2},"result":{"payInfo":"x","n":1}}"#,
            r#"{"status":"ERROR","status":"SUCCESS","result":{"payInfo":"x","n":1}}"#,
        ] {
            assert_eq!(run(200, body).ok(), expected, "{body}");
        }
        // A missing or null result decodes as null.
        for body in [r#"{"status":"SUCCESS"}"#, r#"{"status":"SUCCESS","result":null}"#] {
            match run(200, body) {
                Err(Error::Decode { path, .. }) => assert_eq!(path, "/result"),
                other => panic!("{body}: {other:?}"),
            }
        }
        // Not a plain success: never the fast path.
        for body in [
            r#"{"status":"SUCCESS","result":{}} x"#,
            r#"{"status":"ERROR","result":{"code":90000}}"#,
            r#"{"status":"success","result":{}}"#,
            r#"{"status":["SUCCESS"],"result":{}}"#,
            r#"{"status":"SUCCESS","result":{"a":}}"#,
            r#"[{"status":"SUCCESS","result":{}}]"#,
        ] {
            assert_eq!(plain_success(&ENVELOPE, body.as_bytes()), None, "{body}");
            assert!(run(200, body).is_err(), "{body}");
        }
        match run(200, r#"{"status":"SUCCESS","result":{}} x"#) {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, "");
                assert!(message.contains("trailing characters"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // A success envelope with a non-success HTTP status is not a success.
        match run(500, r#"{"status":"SUCCESS","result":{"n":1}}"#) {
            Err(Error::HttpStatus { status: 500, .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn error_envelope_maps_to_api_on_any_status() {
        for status in [200, 400, 500] {
            match run(status, r#"{"status":"ERROR","result":{"code":90000,"message":"Unauthorized"}}"#) {
                Err(Error::Api { code: TestCode::Unauthorized, message, http_status, .. }) => {
                    assert_eq!(message, "Unauthorized");
                    assert_eq!(http_status, status);
                }
                other => panic!("{other:?}"),
            }
        }
        match run(200, r#"{"status":"ERROR","result":{"code":"77","errorMessage":"odd"}}"#) {
            Err(Error::Api { code: TestCode::Unknown(77), message, .. }) => assert_eq!(message, "odd"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_shapes_name_the_path() {
        match run(200, r#"{"status":"SUCCESS","result":{"payInfo":5}}"#) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "/result/payInfo"),
            other => panic!("{other:?}"),
        }
        match run(200, r#"{"status":"MAYBE","result":{}}"#) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "/status"),
            other => panic!("{other:?}"),
        }
        match run(200, r#"{"status":"ERROR","result":{"message":"no code"}}"#) {
            Err(Error::Decode { path, .. }) => assert_eq!(path, "/result/code"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_never_panics() {
        for body in ["", "{", "{\"status\":\"SUCC", "<html>502</html>", "null", "[]", "\"x\"", "\u{0}"] {
            assert!(run(200, body).is_err(), "{body:?}");
            match run(502, body) {
                Err(Error::HttpStatus { status: 502, .. }) => {}
                other => panic!("{body:?}: {other:?}"),
            }
        }
        match run(200, "{\"status\":\"SUCC") {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, "");
                assert!(message.contains("line 1 column"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn redaction_hides_values() {
        assert_eq!(
            redact_quoted(r#"invalid type: string "eyJ\"x", expected i64"#),
            r#"invalid type: string "***", expected i64"#
        );
        let err = decode(
            "auth_token",
            Retry::Safe,
            200,
            br#"{"status":"SUCCESS","result":{"n":"secret-token"}}"#,
            Quote::Redact,
        );
        let text = format!("{err:?} {}", err.as_ref().err().map(ToString::to_string).unwrap_or_default());
        assert!(!text.contains("secret-token"), "{text}");
    }
}
