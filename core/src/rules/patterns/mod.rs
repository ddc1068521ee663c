//! Chronology and patterns: what happened to a child (and a household), in time order, and the
//! alerts that fire when low-level concerns add up.
//!
//! Low-level concerns matter in aggregate: the briefing asks practitioners to "capture and record
//! low-level concerns over a period of time" so the potential for intervention can be shown.
//! [`chronology`] orders the record; [`alerts`] finds the patterns (configurable thresholds) and
//! records when an alert was shown and when, and why, it was dismissed.

pub mod alerts;
pub mod chronology;

pub use alerts::{
    detect, outstanding, AlertEvent, AlertKey, CountWithin, PatternAlert, PatternError,
    PatternKind, PatternThresholds, Window,
};
pub use chronology::{for_child, for_household, ChronologyEntry, EntryKind};
