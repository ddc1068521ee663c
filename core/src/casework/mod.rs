//! Case work around a child beyond the visit itself: checklists, information-sharing decision
//! records, logged phone calls, what a share to a team carries, multi-agency meeting packs,
//! supervision records and the team around the child.
//!
//! Each submodule owns one kind of record: its fields, its validating constructor and the rules
//! that decide when it is complete. They build on [`crate::model`], [`crate::rules`] and
//! [`crate::clock`] only; storing them is [`crate::store`]'s job ([`crate::store::StoredRecord`])
//! and showing them the session's ([`crate::app`]), so nothing here reaches up a layer.

pub mod call_log;
pub mod checklist;
pub mod decision;
pub mod meeting;
pub mod share;
pub mod supervision;
pub mod team_around_child;
pub mod transfer;
