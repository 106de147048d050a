//! Hand-written support code that the generated code calls: money, secrets, validation, the
//! endpoint description and (feature `client`) the HTTP client. Nothing in here is generated.

pub mod callback;
#[cfg(feature = "client")]
pub mod client;
pub mod endpoint;
pub mod money;
pub mod secret;
pub mod validate;
