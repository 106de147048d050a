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

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::body::{redacted, snippet};
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

/// Interprets one HTTP answer of `endpoint`.
pub(crate) fn interpret<T: DeserializeOwned, C: ApiCode>(
    endpoint: &'static str,
    retry: Retry,
    env: &Envelope,
    status: u16,
    body: &[u8],
    quote: Quote,
) -> Result<T, Error<C>> {
    let success = (200..300).contains(&status);
    let show = |body: &[u8]| match quote {
        Quote::Snippet => snippet(body),
        Quote::Redact => redacted(body),
    };
    let scrub = |message: String| match quote {
        Quote::Snippet => message,
        Quote::Redact => redact_quoted(&message),
    };
    let http_status = || Error::HttpStatus { endpoint, status, snippet: show(body), retry };
    let decode = |path: &str, message: String| Error::Decode {
        endpoint,
        path: path.to_owned(),
        message: scrub(message),
        snippet: show(body),
        retry,
    };

    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) if !success => return Err(http_status()),
        Err(e) => return Err(decode("", e.to_string())),
    };
    let Some(envelope) = value.as_object() else {
        return Err(if success {
            decode("", "expected the {status, result} envelope object".to_owned())
        } else {
            http_status()
        });
    };
    let status_path = || member("", env.status);
    let result_path = member("", env.result);
    match envelope.get(env.status).and_then(Value::as_str) {
        Some(s) if s == env.error => match api_error::<C>(env, &result_path, envelope.get(env.result)) {
            Ok((code, message)) => Err(Error::Api { endpoint, code, message, http_status: status }),
            Err(_) if !success => Err(http_status()),
            Err((path, message)) => Err(decode(&path, message)),
        },
        _ if !success => Err(http_status()),
        Some(s) if s == env.success => {
            let result = envelope.get(env.result).cloned().unwrap_or(Value::Null);
            serde_path_to_error::deserialize(result).map_err(|e| {
                let path = pointer(&result_path, e.path());
                decode(&path, e.into_inner().to_string())
            })
        }
        Some(other) => Err(decode(
            &status_path(),
            format!("unknown status {other:?}, expected {:?} or {:?}", env.success, env.error),
        )),
        None => Err(decode(&status_path(), "missing or not a string".to_owned())),
    }
}

/// Reads `{code, message}` of an error envelope. Liberal: the code may be a number or a string
/// of digits; the message may be missing or named `errorMessage`.
fn api_error<C: ApiCode>(
    env: &Envelope,
    result_path: &str,
    result: Option<&Value>,
) -> Result<(C, String), (String, String)> {
    let result = result
        .and_then(Value::as_object)
        .ok_or_else(|| (result_path.to_owned(), format!("an {} envelope needs a result object", env.error)))?;
    let code = match result.get(env.code) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| (member(result_path, env.code), format!("an {} envelope needs an integer code", env.error)))?;
    let code = C::from_code(code);
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
    use crate::test_api::{ENVELOPE, TestCode};
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct R {
        #[serde(rename = "payInfo")]
        pay_info: Option<String>,
        n: Option<i64>,
    }

    fn run(status: u16, body: &str) -> Result<R, Error<TestCode>> {
        interpret::<R, TestCode>("ep", Retry::Never, &ENVELOPE, status, body.as_bytes(), Quote::Snippet)
    }

    #[test]
    fn success_decodes_the_result() {
        let r = run(200, r#"{"status":"SUCCESS","result":{"payInfo":"x","n":1,"extra":true}}"#);
        assert_eq!(r.ok(), Some(R { pay_info: Some("x".into()), n: Some(1) }));
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
        let err = interpret::<R, TestCode>(
            "auth_token",
            Retry::Safe,
            &ENVELOPE,
            200,
            br#"{"status":"SUCCESS","result":{"n":"secret-token"}}"#,
            Quote::Redact,
        );
        let text = format!("{err:?} {}", err.as_ref().err().map(ToString::to_string).unwrap_or_default());
        assert!(!text.contains("secret-token"), "{text}");
    }
}
