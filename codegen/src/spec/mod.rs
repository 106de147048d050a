//! The spec: its serde model, loading, locating nodes, and semantic checks.

pub mod check;
pub mod load;
pub mod locate;
pub mod model;
mod strict;
