//! [`Api`]: what the runtime needs to know about the API an [`Endpoint`] belongs
//! to. The generated crate implements it from the `api:` section of its spec, so server URLs,
//! envelope member names, the token flow and the error table are data, not code in this crate.

use std::fmt::Debug;
use std::hash::Hash;

use crate::endpoint::Endpoint;
use crate::secret::Sensitive;

/// An error-code table: the `code` of an error answer, mapped onto named codes.
///
/// Generated from the spec's `errors:` table; a code the table lacks must still be representable
/// (an `Unknown(code)` variant), because servers add codes before documents do.
pub trait ApiCode: Copy + Debug + PartialEq + Eq + Hash + Send + Sync + 'static {
    /// The named code for `code`, or the catch-all that keeps it.
    fn from_code(code: i64) -> Self;
    /// The numeric code.
    fn code(&self) -> i64;
    /// The table's message for the code (empty for unknown codes).
    fn message(&self) -> &'static str;
}

/// The names of the response envelope's members: `{"status": "SUCCESS", "result": {..}}` and
/// `{"status": "ERROR", "result": {"code": .., "message": ..}}` for OTT Pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// Member holding the status.
    pub status: &'static str,
    /// Member holding the result.
    pub result: &'static str,
    /// Status value of a success.
    pub success: &'static str,
    /// Status value of an error.
    pub error: &'static str,
    /// Member of an error result holding the numeric code.
    pub code: &'static str,
    /// Member of an error result holding the message.
    pub message: &'static str,
}

/// What a token answer held: the token and its expiry, either of which may be missing.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenAnswer<'a> {
    /// The bearer token.
    pub token: Option<&'a Sensitive<String>>,
    /// When it expires, as Unix milliseconds (seconds are recognised and converted).
    pub expires_at: Option<i64>,
}

/// An API: its servers, envelope, token flow and error table. Implemented by generated code.
pub trait Api: Send + Sync + 'static {
    /// The error-code table.
    type ErrorCode: ApiCode;
    /// The request type of the token endpoint.
    type TokenRequest: Endpoint<Api = Self>;

    /// The production base URL.
    const PRODUCTION_URL: &'static str;
    /// The sandbox base URL, if the API has one.
    const SANDBOX_URL: Option<&'static str>;
    /// The envelope's member names.
    const ENVELOPE: Envelope;
    /// The error code meaning "the bearer token is invalid or expired": the client fetches a new
    /// token and repeats the call once.
    const INVALID_TOKEN_CODE: Option<i64>;

    /// The token request for a merchant's credentials.
    fn token_request(app_id: &str, app_key: &Sensitive<String>) -> Self::TokenRequest;

    /// The token and its expiry in a token answer.
    fn token_answer(response: &<Self::TokenRequest as Endpoint>::Response) -> TokenAnswer<'_>;
}
