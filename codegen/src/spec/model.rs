//! The serde model of `spec/ottpay.yaml` (see spec/FORMAT.md). Unknown keys are rejected and every
//! enum is closed, so typos fail at load time with their location.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

/// The whole spec file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// API-wide metadata.
    pub api: Api,
    /// Open enums used by response fields.
    #[serde(default)]
    pub enums: Vec<EnumDef>,
    /// The error-code table.
    pub errors: Vec<ErrorDef>,
    /// Every endpoint.
    pub endpoints: Vec<Endpoint>,
    /// Notifications OTT Pay sends to the merchant.
    #[serde(default)]
    pub callbacks: Vec<Callback>,
}

/// API-wide metadata.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Title of the API.
    pub title: String,
    /// Crate-level prose.
    pub description: String,
    /// The crate's landing page in Markdown (what it is, features, quick start, callbacks), put
    /// first in the crate docs; its Rust code blocks run as doctests.
    #[serde(default)]
    pub guide: Option<String>,
    /// Base URLs.
    pub servers: Servers,
    /// Names of the envelope members.
    pub envelope: Envelope,
    /// The token flow.
    pub auth: AuthConfig,
    /// What a merchant can do when a call that moves money may have been processed but no answer
    /// arrived, by name; each `retry: never` endpoint names one with `unknown_outcome`.
    #[serde(default)]
    pub unknown_outcome: std::collections::BTreeMap<String, String>,
}

/// Base URLs of the environments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Servers {
    /// Production base URL.
    pub production: String,
    /// Sandbox base URL, if the API has one.
    #[serde(default)]
    pub sandbox: Option<String>,
}

/// Names of the response envelope's members and status values.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Member holding the status.
    pub status: String,
    /// Member holding the result.
    pub result: String,
    /// Status value of a success.
    pub success: String,
    /// Status value of a failure.
    pub error: String,
    /// Member of an error result holding the code.
    pub code: String,
    /// Member of an error result holding the message.
    pub message: String,
}

/// The bearer-token flow.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Id of the endpoint that issues tokens.
    pub token_endpoint: String,
    /// Request member of the token endpoint holding the merchant's app id.
    pub app_id: String,
    /// Request member of the token endpoint holding the merchant's app key.
    pub app_key: String,
    /// Response member holding the token.
    pub token: String,
    /// Response member holding the expiry (Unix ms).
    pub expires_at_ms: String,
    /// Error code meaning "token invalid".
    pub invalid_token_code: i64,
}

/// Where a fact comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Seen in the vendor's documentation.
    #[default]
    Documented,
    /// Seen only in third-party client code.
    Observed,
}

/// An open enum.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumDef {
    /// Rust type name.
    pub name: String,
    /// Doc text.
    pub description: String,
    /// Known values.
    pub values: Vec<EnumValue>,
}

/// One known value of an enum.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value.
    pub value: String,
    /// Doc text.
    pub description: String,
    /// Provenance.
    #[serde(default)]
    pub source: Source,
    /// Variant name override.
    pub rust_name: Option<String>,
}

/// One row of the error-code table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// `result.code`.
    pub code: i64,
    /// Rust variant name.
    pub name: String,
    /// The message as the vendor writes it.
    pub message: String,
    /// What it means.
    pub description: String,
    /// Provenance.
    #[serde(default)]
    pub source: Source,
}

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Method {
    /// POST, the only one the API uses.
    #[serde(rename = "POST")]
    Post,
}

/// Authentication of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// No Authorization header.
    None,
    /// Bearer token.
    Bearer,
}

/// Automatic retry policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetryKind {
    /// Read-only; retried on transport errors and 5xx.
    Safe,
    /// Moves money; never retried.
    Never,
}

/// What an endpoint does, for code that serves endpoints generically (the simulator).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// Issues bearer tokens.
    Token,
    /// Creates a wallet payment (WeChat Pay, Alipay, UnionPay) that the shopper completes.
    WalletPayment,
    /// Charges a card.
    CardPayment,
    /// Reports the state of a payment.
    StatusQuery,
    /// Refunds part or all of a payment.
    Refund,
    /// Voids an authorised card payment.
    Reverse,
    /// Anything else.
    #[default]
    Other,
}

/// One endpoint.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// snake_case id, unique: the client method, the Rust type names and the OpenAPI operationId
    /// derive from it.
    pub id: String,
    /// snake_case group: one file `generated/src/api/<group>.rs`, one OpenAPI tag.
    pub group: String,
    /// One line, ending with a period.
    pub summary: String,
    /// Longer prose.
    pub description: Option<String>,
    /// Reference pages.
    #[serde(default)]
    pub docs: Vec<String>,
    /// Provenance.
    pub source: Source,
    /// HTTP method.
    pub method: Method,
    /// Request URI, starting with `/`.
    #[schemars(pattern("^/"))]
    pub path: String,
    /// Authentication.
    pub auth: AuthKind,
    /// Retry policy.
    pub retry: RetryKind,
    /// What the endpoint does (default `other`).
    #[serde(default)]
    pub kind: EndpointKind,
    /// For `retry: never`: the key of `api.unknown_outcome` that says what to do when the outcome
    /// of a call is unknown.
    #[serde(default)]
    pub unknown_outcome: Option<String>,
    /// What the vendor's documentation leaves open that a caller has to work around (Markdown):
    /// shown as "Not yet specified" on the request type, the client method, API.md and OpenAPI.
    #[serde(default)]
    pub known_gap: Option<String>,
    /// The request table, row by row.
    pub request: Vec<Field>,
    /// The response table: the `result` object of a SUCCESS answer.
    pub response: Vec<Field>,
    /// Codes from `errors:` this endpoint is documented to return.
    #[serde(default)]
    pub errors: Vec<i64>,
    /// The vendor's examples, verbatim.
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// Wire type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum FieldType {
    /// JSON string.
    String,
    /// JSON number.
    Number,
    /// JSON object with nested fields.
    Object,
}

/// Meaning of a field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Minor units of money.
    Cents,
    /// Absolute http(s) URL.
    Url,
    /// ISO 3166-1 alpha-2.
    Country,
    /// Card expiry MMYY.
    Mmyy,
    /// Card number (Luhn).
    CardNumber,
    /// Card verification value.
    Cvv,
    /// Email address.
    Email,
    /// Unix epoch milliseconds.
    TimestampMs,
}

/// A closed set of allowed characters (`charset:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Charset {
    /// ASCII letters and digits, `_` and `-` (`[0-9A-Za-z_-]`).
    AlnumDashUnderscore,
}

impl Charset {
    /// The runtime's set.
    pub fn runtime(self) -> ottpay_runtime::Charset {
        match self {
            Charset::AlnumDashUnderscore => ottpay_runtime::Charset::AlnumDashUnderscore,
        }
    }
}

/// Rules of a request field that the SDK adds and OTT Pay never states, each with the reason the
/// SDK checks it anyway. A key names a rule the field carries (its `format`, a length or cents key,
/// or `charset`); every other rule of a request field is the vendor's.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SdkRules {
    /// Why the SDK checks `format: url` (an absolute http(s) URL).
    pub url: Option<String>,
    /// Why the SDK checks `format: country` (an assigned ISO 3166-1 alpha-2 code).
    pub country: Option<String>,
    /// Why the SDK checks `format: mmyy`.
    pub mmyy: Option<String>,
    /// Why the SDK checks `format: card_number` (12 to 19 digits, Luhn).
    pub card_number: Option<String>,
    /// Why the SDK checks `format: cvv` (3 or 4 digits).
    pub cvv: Option<String>,
    /// Why the SDK checks `format: email`.
    pub email: Option<String>,
    /// Why the SDK checks `max_length`.
    pub max_length: Option<String>,
    /// Why the SDK checks `min_length`.
    pub min_length: Option<String>,
    /// Why the SDK checks `length`.
    pub length: Option<String>,
    /// Why the SDK checks `min_cents`.
    pub min_cents: Option<String>,
    /// Why the SDK checks `max_cents`.
    pub max_cents: Option<String>,
    /// Why the SDK checks `charset`.
    pub charset: Option<String>,
}

impl SdkRules {
    /// (rule name, reason) for every rule given, in the order of the keys above. The names are
    /// the runtime's `Rule::name()`s.
    pub fn entries(&self) -> Vec<(&'static str, &str)> {
        [
            ("url", &self.url),
            ("country", &self.country),
            ("mmyy", &self.mmyy),
            ("card_number", &self.card_number),
            ("cvv", &self.cvv),
            ("email", &self.email),
            ("max_length", &self.max_length),
            ("min_length", &self.min_length),
            ("length", &self.length),
            ("min_cents", &self.min_cents),
            ("max_cents", &self.max_cents),
            ("charset", &self.charset),
        ]
        .into_iter()
        .filter_map(|(name, reason)| reason.as_deref().map(|r| (name, r)))
        .collect()
    }

    /// The reason given for rule `name`, if the SDK marks it as its own.
    pub fn reason(&self, name: &str) -> Option<&str> {
        self.entries().into_iter().find(|(n, _)| *n == name).map(|(_, r)| r)
    }
}

/// One row of a parameter table.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name.
    pub name: String,
    /// Wire type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Whether the field is required: every request field says it; response fields omit it.
    pub required: Option<bool>,
    /// The table's Description column.
    pub description: String,
    /// The table's Remark column.
    pub remark: Option<String>,
    /// The table's Sample column.
    #[serde(default, deserialize_with = "super::strict::option")]
    pub sample: Option<Value>,
    /// What the value means; a request field's format brings its rule.
    pub format: Option<Format>,
    /// Maximum length in characters (String only).
    pub max_length: Option<usize>,
    /// Minimum length in characters (String only).
    pub min_length: Option<usize>,
    /// Exact length in characters (String only).
    pub length: Option<usize>,
    /// Minimum amount in cents (`format: cents` only).
    pub min_cents: Option<u64>,
    /// At most this many cents (`format: cents`; at most 9223372036854775807). Required on every
    /// amount of a request table.
    pub max_cents: Option<u64>,
    /// Only these characters (String only): a closed set.
    pub charset: Option<Charset>,
    /// Rules of this request field that the SDK adds and OTT Pay never states, by rule name,
    /// each with the reason; shown as such in the generated docs, API.md and OpenAPI.
    #[serde(default)]
    pub sdk_rules: Option<SdkRules>,
    /// Whether a request string may contain control characters (default false: every request
    /// string is checked for them).
    #[serde(default)]
    pub allow_control: bool,
    /// Name of an enum from `enums:` (String only).
    #[serde(rename = "enum")]
    pub enum_name: Option<String>,
    /// Secret or card data: redacted in `Debug` and in violations, `writeOnly` in OpenAPI.
    #[serde(default)]
    pub sensitive: bool,
    /// Rust field name override (default: heck snake_case of the wire name).
    pub rust_name: Option<String>,
    /// Object only: the nested struct's Rust name; identical objects of one group may share it.
    pub rust_type: Option<String>,
    /// Object only (required there): the nested fields.
    pub fields: Option<Vec<Field>>,
    /// Provenance.
    #[serde(default)]
    pub source: Source,
}

/// A vendor example.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Title.
    pub title: String,
    /// Where it comes from.
    pub source: Option<String>,
    /// Request body.
    #[serde(default, deserialize_with = "super::strict::option")]
    pub request: Option<Value>,
    /// Whole answer, envelope included.
    #[serde(default, deserialize_with = "super::strict::option")]
    pub response: Option<Value>,
    /// What the SDK sends for `request`, where that differs.
    #[serde(default, deserialize_with = "super::strict::option")]
    pub normalized_request: Option<Value>,
    /// Why.
    pub note: Option<String>,
}

/// A notification sent by OTT Pay.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    /// snake_case id.
    pub id: String,
    /// One line.
    pub summary: String,
    /// Longer prose.
    pub description: Option<String>,
    /// Reference pages.
    #[serde(default)]
    pub docs: Vec<String>,
    /// Provenance.
    pub source: Source,
    /// Outer JSON body.
    pub body: Vec<Field>,
    /// Decrypted JSON.
    pub data: Vec<Field>,
    /// Examples.
    #[serde(default)]
    pub examples: Vec<CallbackExample>,
}

/// A callback example.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackExample {
    /// Title.
    pub title: String,
    /// Where it comes from.
    pub source: Option<String>,
    /// The signKey it was made with.
    pub sign_key: String,
    /// Outer body.
    #[serde(deserialize_with = "super::strict::value")]
    pub body: Value,
    /// Decrypted JSON text.
    pub plaintext: String,
}
