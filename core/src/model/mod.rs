//! The domain model: plain serde types, no storage or FFI concerns. (Issue 3 completes it.)

pub mod concern;
pub mod ids;

pub use concern::{ConcernCategory, Severity};
pub use ids::*;
