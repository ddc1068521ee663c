//! Pure clinical rules: no I/O, no wall clock. Each submodule owns one rule and cites its source.

pub mod acknowledgement;
pub mod attention;
pub mod calendar;
pub mod escalation;
pub mod nhs_number;
pub mod normalise;
pub mod patterns;
pub mod phrasing;
pub mod referral;
pub mod working_time;
