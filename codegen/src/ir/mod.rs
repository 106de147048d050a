//! The resolved model the emitters read: Rust names, types, constraints and docs, decided once.

pub mod cases;
pub mod constraint;
pub mod docs;
mod lower;
pub mod names;

use std::collections::BTreeMap;

use serde_json::Value;

pub use crate::spec::model::{FieldType, Format};
pub use constraint::Constraint;
pub use lower::{KNOWN_GAP_HEAD, PARALLEL_FROM, SDK_RULES_HEAD, lower, lower_on};

/// Everything the emitters need.
#[derive(Debug)]
pub struct Ir {
    /// Crate-level prose lines.
    pub doc: Vec<String>,
    /// The crate's landing page (Markdown lines, emitted verbatim).
    pub guide: Vec<String>,
    /// What the runtime needs to know about the API.
    pub api: ApiIr,
    /// The open enums.
    pub enums: Vec<EnumIr>,
    /// The error-code table.
    pub errors: Vec<ErrorIr>,
    /// Endpoints by group (module), in spec order within a group.
    pub groups: BTreeMap<String, Vec<EndpointIr>>,
    /// Callbacks.
    pub callbacks: Vec<CallbackIr>,
    /// The API's title, as the spec writes it.
    pub title: String,
    /// The API's description, as the spec writes it (Markdown, not escaped for rustdoc).
    pub description: String,
}

impl Ir {
    /// Every endpoint in spec order (the groups are ordered by name).
    pub fn endpoints(&self) -> Vec<&EndpointIr> {
        let mut all: Vec<&EndpointIr> = self.groups.values().flatten().collect();
        all.sort_by_key(|ep| ep.position);
        all
    }
}

/// The API as the runtime sees it (`impl ottpay_runtime::Api`).
#[derive(Debug, Default)]
pub struct ApiIr {
    /// Production base URL.
    pub production: String,
    /// Sandbox base URL.
    pub sandbox: Option<String>,
    /// Envelope member names: status, result, success, error, code, message.
    pub envelope: [String; 6],
    /// The code meaning "token invalid".
    pub invalid_token_code: i64,
    /// Request type of the token endpoint.
    pub token_request: String,
    /// Response type of the token endpoint.
    pub token_response: String,
    /// The token request's `new` arguments in order: which credential each is, and its type.
    pub token_args: Vec<(Credential, Ty)>,
    /// Rust name of the token field of the answer.
    pub token_field: String,
    /// Rust name of the expiry field of the answer.
    pub expires_field: String,
    /// Wire names of the token and expiry fields.
    pub token_wire: (String, String),
}

/// A merchant credential the client passes to the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// The app id.
    AppId,
    /// The app key.
    AppKey,
}

/// An open enum.
#[derive(Debug)]
pub struct EnumIr {
    /// Type name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// (wire value, variant name, doc lines).
    pub values: Vec<(String, String, Vec<String>)>,
    /// The description as the spec writes it.
    pub description: String,
    /// The known values as the spec writes them, in spec order.
    pub known: Vec<KnownValue>,
}

/// One known value of an open enum, as the spec writes it.
#[derive(Debug)]
pub struct KnownValue {
    /// The wire value.
    pub value: String,
    /// What it means.
    pub description: String,
    /// Seen only in third-party code.
    pub observed: bool,
}

/// One error code.
#[derive(Debug)]
pub struct ErrorIr {
    /// `result.code`.
    pub code: i64,
    /// Variant name.
    pub variant: String,
    /// Vendor message.
    pub message: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// What it means, as the spec writes it.
    pub description: String,
    /// Seen only in third-party code.
    pub observed: bool,
}

/// One endpoint.
#[derive(Debug)]
pub struct EndpointIr {
    /// Spec id, also the client method name.
    pub id: String,
    /// What the endpoint does.
    pub kind: crate::spec::model::EndpointKind,
    /// Documented (false) or seen only in third-party code (true).
    pub observed: bool,
    /// One-line summary.
    pub summary: String,
    /// Request URI.
    pub path: String,
    /// Bearer token needed.
    pub bearer: bool,
    /// Retry::Safe.
    pub retry_safe: bool,
    /// What to do when the outcome of a call is unknown (doc lines), for endpoints that move money.
    pub unknown_outcome: Vec<String>,
    /// The request struct (its doc carries the endpoint's full description).
    pub request: StructIr,
    /// The response struct.
    pub response: StructIr,
    /// Variant names of the documented error codes.
    pub errors: Vec<String>,
    /// Vendor examples.
    pub examples: Vec<ExampleIr>,
    /// Position in the spec's `endpoints:` list.
    pub position: usize,
    /// The group (module) it belongs to.
    pub group: String,
    /// The longer description as the spec writes it (Markdown).
    pub description: Option<String>,
    /// The vendor pages it comes from.
    pub docs: Vec<String>,
    /// What to do when the outcome is unknown, as the spec writes it (Markdown).
    pub unknown_outcome_text: Option<String>,
    /// What the vendor's documentation leaves open (doc lines); empty when nothing is.
    pub known_gap: Vec<String>,
    /// The same, as the spec writes it (Markdown).
    pub known_gap_text: Option<String>,
    /// The documented error codes, in spec order.
    pub error_codes: Vec<i64>,
}

/// What a struct is for; decides derives and field types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Sent by us: required fields, `new`, setters, `validate`.
    Request,
    /// Received: every field optional.
    Response,
    /// Received and re-encoded (callbacks): every field optional, serializable, `Default`.
    Notification,
}

/// A struct.
#[derive(Debug)]
pub struct StructIr {
    /// Type name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Role.
    pub role: Role,
    /// Fields in table order.
    pub fields: Vec<FieldIr>,
    /// Nested object structs (depth-first).
    pub nested: Vec<StructIr>,
}

/// A field.
#[derive(Debug)]
pub struct FieldIr {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Rust type (without the `Option` of optional fields).
    pub ty: Ty,
    /// Required (requests only; response fields are never required).
    pub required: bool,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Constraints checked by `validate`.
    pub constraints: Vec<Constraint>,
    /// The constraints the SDK adds (OTT Pay never states them), each with the spec's reason, in
    /// constraint order.
    pub sdk_rules: Vec<(Constraint, String)>,
    /// The wire type the table gives.
    pub wire_ty: FieldType,
    /// The format the spec gives.
    pub format: Option<Format>,
    /// Secret or card data.
    pub sensitive: bool,
    /// The table's Description column, as the spec writes it.
    pub description: String,
    /// The table's Remark column.
    pub remark: Option<String>,
    /// The table's Sample column.
    pub sample: Option<Value>,
    /// Seen only in third-party code.
    pub observed: bool,
}

/// A field's Rust type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    Text,
    /// `Sensitive<String>`.
    Secret,
    /// `Cents`, as a JSON string (`true`) or number (`false`).
    Cents {
        /// Wire form is a string.
        string: bool,
    },
    /// `ReportedAmount`.
    Reported,
    /// `i64`.
    Int,
    /// An open enum.
    Enum(String),
    /// A nested struct.
    Nested(String),
}

/// A vendor example.
#[derive(Debug)]
pub struct ExampleIr {
    /// Title.
    pub title: String,
    /// Request body as the vendor wrote it.
    pub request: Option<Value>,
    /// What the SDK sends for it.
    pub sent: Option<Value>,
    /// The whole answer.
    pub response: Option<Value>,
    /// Where it comes from.
    pub source: Option<String>,
    /// Why it departs from the page, if it does.
    pub note: Option<String>,
}

/// A callback.
#[derive(Debug)]
pub struct CallbackIr {
    /// Spec id.
    pub id: String,
    /// The outer body struct.
    pub body: StructIr,
    /// The decrypted data struct.
    pub data: StructIr,
    /// (title, signKey, body, plaintext).
    pub examples: Vec<(String, String, Value, String)>,
    /// Where each example comes from (parallel to `examples`).
    pub example_sources: Vec<Option<String>>,
    /// One-line summary, as the spec writes it.
    pub summary: String,
    /// The longer description, as the spec writes it (Markdown).
    pub description: Option<String>,
    /// The vendor pages it comes from.
    pub docs: Vec<String>,
    /// Seen only in third-party code.
    pub observed: bool,
}
