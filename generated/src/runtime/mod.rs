//! Hand-written support code that the generated code calls: money, secrets, validation and the
//! endpoint description. Nothing in here is generated.

pub mod endpoint;
pub mod money;
pub mod secret;
pub mod validate;
