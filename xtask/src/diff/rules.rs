//! The rules of `cargo xtask diff`, as data: one entry per kind of change, with its effect on the
//! wire and on downstream Rust code. The severity and the semver bump derive from those two.

/// What a change does to the wire, between a client built from one spec and a server following
/// the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wire {
    /// No bytes on the wire change.
    Unchanged,
    /// Bytes change, but old clients and the new server still understand each other.
    Compatible,
    /// Old clients may fail against the new server for some values or flows.
    Attention,
    /// Old clients fail against the new server.
    Breaking,
}

/// What a change does to Rust code written against the old `ottpay` crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RustApi {
    /// The public API is the same (docs or runtime behaviour only).
    Unchanged,
    /// New public items; code written against the old crate still compiles.
    Additive,
    /// Code written against the old crate may stop compiling.
    Breaking,
}

/// How much a change matters, the larger of its wire and Rust effects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Only documentation changes.
    Docs,
    /// Nothing written or deployed against the old spec breaks.
    Compatible,
    /// Something may break: read the explanation.
    Attention,
    /// Deployed clients or downstream code break.
    Breaking,
}

/// The semver bump a change implies for the `ottpay` crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing to release.
    None,
    /// Docs or behaviour fixes.
    Patch,
    /// New API, or behaviour that users must pick up (the Rust API stays source-compatible).
    Minor,
    /// The Rust API breaks (while the crate is 0.x, that is the minor number: 0.1 -> 0.2).
    Major,
}

/// What a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// The `api:` section: servers, envelope, token flow, prose.
    Api,
    /// Endpoints, their path, auth, retry policy and docs.
    Endpoint,
    /// Request fields.
    Request,
    /// Response fields.
    Response,
    /// Enums and their values.
    Enum,
    /// Error codes.
    Error,
    /// Callbacks and their fields.
    Callback,
    /// Fields of any table (request, response, callback).
    Field,
}

impl Category {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Category::Api => "api",
            Category::Endpoint => "endpoint",
            Category::Request => "request",
            Category::Response => "response",
            Category::Enum => "enum",
            Category::Error => "error",
            Category::Callback => "callback",
            Category::Field => "field",
        }
    }
}

/// One rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable id, kebab-case.
    pub id: &'static str,
    /// What it is about.
    pub category: Category,
    /// Effect on the wire.
    pub wire: Wire,
    /// Effect on downstream Rust code.
    pub rust: RustApi,
    /// Why, in one or two sentences.
    pub explanation: &'static str,
}

impl Rule {
    /// The larger of the wire and Rust effects.
    pub fn severity(&self) -> Severity {
        match (self.wire, self.rust) {
            (Wire::Breaking, _) | (_, RustApi::Breaking) => Severity::Breaking,
            (Wire::Attention, _) => Severity::Attention,
            (Wire::Compatible, _) | (_, RustApi::Additive) => Severity::Compatible,
            (Wire::Unchanged, RustApi::Unchanged) => Severity::Docs,
        }
    }

    /// The semver bump it implies for `ottpay`.
    pub fn bump(&self) -> Bump {
        match (self.wire, self.rust) {
            (_, RustApi::Breaking) => Bump::Major,
            (_, RustApi::Additive) | (Wire::Attention | Wire::Breaking, _) => Bump::Minor,
            _ => Bump::Patch,
        }
    }
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

macro_rules! rules {
    ($($id:literal, $cat:ident, $wire:ident, $rust:ident, $why:literal;)*) => {
        /// Every rule, in the order `--rules` lists them.
        pub static RULES: &[Rule] = &[$(Rule {
            id: $id,
            category: Category::$cat,
            wire: Wire::$wire,
            rust: RustApi::$rust,
            explanation: $why,
        }),*];
    };
}

rules! {
    // api
    "server-changed", Api, Breaking, Unchanged,
        "A base URL changed: clients built from the old spec call the old host.";
    "envelope-changed", Api, Breaking, Unchanged,
        "A member name or status value of the {status, result} envelope changed: old clients cannot read any answer.";
    "token-flow-changed", Api, Breaking, Unchanged,
        "The token endpoint, its credential or answer members, or the invalid-token code changed: old clients cannot authenticate or refresh.";
    "api-docs-changed", Api, Unchanged, Unchanged,
        "The API's title, description, guide or unknown-outcome texts changed: documentation only.";
    // endpoints
    "endpoint-added", Endpoint, Compatible, Additive,
        "A new endpoint: new request and response types and a new client method; nothing existing changes.";
    "endpoint-removed", Endpoint, Breaking, Breaking,
        "An endpoint is gone: old clients call a path the server no longer serves, and its types and client method disappear.";
    "endpoint-path-changed", Endpoint, Breaking, Unchanged,
        "The endpoint moved: old clients post to the old path; Rust code compiles unchanged but must upgrade to keep working.";
    "endpoint-auth-required", Endpoint, Breaking, Unchanged,
        "The endpoint now needs a bearer token: old clients call it without one and are refused.";
    "endpoint-auth-dropped", Endpoint, Attention, Unchanged,
        "The endpoint no longer needs a token: old clients still send one, which servers usually ignore.";
    "endpoint-retry-never", Endpoint, Attention, Unchanged,
        "The endpoint is now `retry: never` (it moves money): old clients retry it on timeouts and 5xx and may repeat a payment.";
    "endpoint-retry-safe", Endpoint, Compatible, Unchanged,
        "The endpoint is now `retry: safe`: new clients retry it; old clients merely do not.";
    "endpoint-group-changed", Endpoint, Unchanged, Breaking,
        "The endpoint moved to another group: its types move from `ottpay::api::<old>` to `ottpay::api::<new>` (the root re-exports stay).";
    "endpoint-kind-changed", Endpoint, Unchanged, Unchanged,
        "The endpoint's `kind` changed: `ottpay::registry` reports it differently (the simulator serves it differently).";
    "endpoint-docs-changed", Endpoint, Unchanged, Unchanged,
        "Summary, description, vendor pages, provenance, unknown-outcome text or examples changed: documentation and generated tests only.";
    "endpoint-error-listed", Endpoint, Unchanged, Unchanged,
        "An error code is now or no longer documented for the endpoint: docs only (any code decodes whatever the list says).";
    // request fields
    "request-field-added-optional", Request, Compatible, Additive,
        "A new optional request field: a new setter; request structs are #[non_exhaustive], so nothing breaks.";
    "request-field-added-required", Request, Breaking, Breaking,
        "A new required request field: old clients do not send it, and `new()` gains an argument (or its Required struct a member).";
    "request-field-removed", Request, Attention, Breaking,
        "A request field is gone: old clients still send it (the server may refuse it), and its setter or `new()` argument disappears.";
    "request-field-now-required", Request, Breaking, Breaking,
        "An optional request field became required: old clients may omit it, and it moves from a setter to `new()`.";
    "request-field-now-optional", Request, Compatible, Breaking,
        "A required request field became optional: the wire accepts more, but it leaves `new()` for a setter and becomes an Option.";
    "request-field-order-changed", Request, Unchanged, Breaking,
        "The required fields changed order: `new()` takes its positional arguments in another order (two strings can swap silently).";
    "request-field-type-changed", Request, Breaking, Breaking,
        "A request field's type changed (String, Number, enum, nested object): old clients send the old JSON type, and its Rust type changes.";
    "request-field-wire-form-changed", Request, Breaking, Unchanged,
        "An amount moved between a JSON string and a JSON number: old clients send the old form; `Cents` stays `Cents` in Rust.";
    "request-format-added", Request, Attention, Unchanged,
        "A request field gained a format (url, country, email, ...): the server may refuse values old clients send; `validate()` checks more.";
    "request-format-removed", Request, Compatible, Unchanged,
        "A request field lost its format: the wire accepts more; `validate()` checks less.";
    "request-format-changed", Request, Attention, Unchanged,
        "A request field's format changed: values valid before may be refused now.";
    "request-length-tightened", Request, Attention, Unchanged,
        "A length limit became stricter: values old clients send may be refused; `validate()` refuses them first.";
    "request-length-loosened", Request, Compatible, Unchanged,
        "A length limit became looser or went away: everything valid before is still valid.";
    "request-cents-tightened", Request, Attention, Unchanged,
        "A cents bound became stricter: amounts old clients send may be refused.";
    "request-cents-loosened", Request, Compatible, Unchanged,
        "A cents bound became looser or went away: every amount valid before is still valid.";
    "request-control-forbidden", Request, Attention, Unchanged,
        "Control characters are now refused in the field (`allow_control` removed).";
    "request-control-allowed", Request, Compatible, Unchanged,
        "Control characters are now allowed in the field (`allow_control: true`).";
    "request-charset-added", Request, Attention, Unchanged,
        "A request field gained a character set (`charset`) or changed it: values old clients send may be refused; `validate()` refuses them first.";
    "request-charset-removed", Request, Compatible, Unchanged,
        "A request field lost its character set: every value valid before is still valid.";
    // fields of any table
    "field-renamed-case", Field, Breaking, Unchanged,
        "A field's wire name changed only by case (callbackURL -> callBackURL) and its Rust name stayed: old clients send or read the old key.";
    "field-renamed-case-rust", Field, Breaking, Breaking,
        "A field's wire name changed by case and so did its Rust name: old clients use the old key and old code the old field and setter.";
    "field-rust-renamed", Field, Unchanged, Breaking,
        "A field's Rust name changed (`rust_name`) with the same wire name: the struct field and setter are renamed.";
    "field-nested-type-renamed", Field, Unchanged, Breaking,
        "A nested object's Rust type was renamed (`rust_type`): code naming the type breaks.";
    "field-now-sensitive", Field, Unchanged, Breaking,
        "A field became sensitive: it is redacted from now on and its type changes from String to Sensitive<String>.";
    "field-no-longer-sensitive", Field, Attention, Breaking,
        "A field is no longer sensitive: it will appear in Debug output and violations, and its type changes from Sensitive<String> to String.";
    "field-docs-changed", Field, Unchanged, Unchanged,
        "A field's description, remark, sample or provenance changed: documentation only.";
    // response fields
    "response-field-added", Response, Compatible, Additive,
        "A new response field: old clients ignore it; response structs are #[non_exhaustive].";
    "response-field-removed", Response, Attention, Breaking,
        "A response field is gone: old clients read None where they read a value, and the struct field disappears.";
    "response-field-type-changed", Response, Breaking, Breaking,
        "A response field's type changed: old clients fail to decode the answer, and the field's Rust type changes.";
    "response-wire-type-changed", Response, Attention, Unchanged,
        "A response or callback field's JSON type changed with the same Rust type (an amount as string or number): decoding accepts both, but check consumers of the raw JSON.";
    "response-format-changed", Response, Attention, Unchanged,
        "A response or callback field's format changed with the same Rust type: the value means something else (e.g. milliseconds).";
    // enums
    "enum-added", Enum, Unchanged, Additive,
        "A new enum type.";
    "enum-removed", Enum, Unchanged, Breaking,
        "An enum type is gone: code naming it breaks.";
    "enum-value-added", Enum, Compatible, Additive,
        "A new enum value: old clients see it as Unknown(value); the enums are open and #[non_exhaustive], so matches still compile.";
    "enum-value-removed", Enum, Compatible, Breaking,
        "An enum value is gone: it still decodes as Unknown(value) if sent, but code naming its variant breaks.";
    "enum-variant-renamed", Enum, Unchanged, Breaking,
        "An enum value's Rust variant name changed (`rust_name`): code naming the variant breaks.";
    "enum-docs-changed", Enum, Unchanged, Unchanged,
        "An enum's or value's description or provenance changed: documentation only.";
    // errors
    "error-code-added", Error, Compatible, Additive,
        "A new error code: old clients report it as an unknown code; ErrorCode is #[non_exhaustive].";
    "error-code-removed", Error, Compatible, Breaking,
        "An error code is gone: code naming its ErrorCode variant breaks.";
    "error-variant-renamed", Error, Unchanged, Breaking,
        "An error code's variant name changed: code naming it breaks.";
    "error-docs-changed", Error, Unchanged, Unchanged,
        "An error code's message, description or provenance changed: documentation only.";
    // callbacks
    "callback-added", Callback, Compatible, Additive,
        "A new callback: new notification types.";
    "callback-removed", Callback, Breaking, Breaking,
        "A callback is gone: its notification types disappear.";
    "callback-field-added", Callback, Compatible, Additive,
        "A new callback field: old handlers ignore it; notification structs are #[non_exhaustive].";
    "callback-field-removed", Callback, Attention, Breaking,
        "A callback field is gone: old handlers read None, and the struct field disappears.";
    "callback-field-type-changed", Callback, Breaking, Breaking,
        "A callback field's type changed: old handlers fail to decode the notification.";
    "callback-docs-changed", Callback, Unchanged, Unchanged,
        "A callback's summary, description, pages, provenance or examples changed: documentation only.";
}
