//! Pure clinical rules: no I/O, no wall clock. Each submodule owns one rule and cites its source.

pub mod acknowledgement;
pub mod attention;
pub mod calendar;
pub mod escalation;
pub mod patterns;
pub mod referral;
pub mod working_time;

// Value checks the model owns (it is the leaf every layer builds on), re-exported so the rules
// read as one vocabulary.
pub use crate::model::{nhs_number, normalise, phrasing};
