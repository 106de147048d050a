//! Reading a response body under a size cap, and the bounded snippet errors quote.

use bytes::Bytes;

/// How many characters of a body an error quotes.
const SNIPPET_CHARS: usize = 200;

/// Why a body could not be read whole.
pub(crate) enum BodyError {
    /// The body exceeded the cap; reading stopped at the cap.
    TooLarge,
    /// The connection failed or timed out while reading.
    Read(reqwest::Error),
}

/// Reads the body chunk by chunk and gives up as soon as it exceeds `cap` bytes, so an
/// enormous (or endless) body costs at most `cap` bytes of memory.
///
/// A body that arrives in one chunk (the usual case for an API answer) is returned as that
/// chunk, without a copy.
pub(crate) async fn read_capped(response: &mut reqwest::Response, cap: usize) -> Result<Bytes, BodyError> {
    if response.content_length().is_some_and(|len| len > cap as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut first = Bytes::new();
    let mut joined: Option<Vec<u8>> = None;
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        let len = joined.as_ref().map_or(first.len(), Vec::len);
        if len + chunk.len() > cap {
            return Err(BodyError::TooLarge);
        }
        match &mut joined {
            Some(body) => body.extend_from_slice(&chunk),
            None if first.is_empty() => first = chunk,
            None => {
                let mut body = Vec::with_capacity(first.len() + chunk.len());
                body.extend_from_slice(&first);
                body.extend_from_slice(&chunk);
                joined = Some(body);
            }
        }
    }
    Ok(joined.map_or(first, Bytes::from))
}

/// The start of `body` for an error message: lossy UTF-8, at most [`SNIPPET_CHARS`] characters,
/// control characters escaped, with the total size when it was cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty body)".to_owned();
    }
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut chars = text.chars();
    for c in chars.by_ref().take(SNIPPET_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() {
        out.push_str(&format!("... ({} bytes in all)", body.len()));
    }
    out
}

/// The placeholder quoted instead of a body that may hold a secret (the token endpoint's).
pub(crate) fn redacted(body: &[u8]) -> String {
    format!("(redacted: {} bytes from the token endpoint)", body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_bounded_and_escaped() {
        assert_eq!(snippet(b""), "(empty body)");
        assert_eq!(snippet(b"<html>\n502"), "<html>\\n502");
        let long = vec![b'x'; 5000];
        let s = snippet(&long);
        assert!(s.starts_with(&"x".repeat(SNIPPET_CHARS)));
        assert!(s.ends_with("... (5000 bytes in all)"));
        assert_eq!(snippet(&[0xff, b'a']), "\u{fffd}a");
    }
}
