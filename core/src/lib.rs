//! SafeShare core: everything a midwife's or health visitor's phone decides, stores and sends.
//!
//! Plain Rust with no FFI types, no UI and no global state, so every rule runs headless in
//! `cargo test`. Platform services (secret storage, time) come in through the [`secrets`] and
//! [`clock`] traits; the bindings crate only translates. One module per concern:
//!
//! - [`model`]: the domain types (household, people, practitioners, visits, observations,
//!   voice of the child) and the values they are made of, each checked once (NHS number, phone
//!   number, ODS code, pasted-text normalising, capture prompts). A leaf: it imports nothing
//!   of this crate.
//! - [`rules`]: pure clinical rules (calendar, working time, deadlines, escalation,
//!   acknowledgement and read-back, chronology patterns, needs attention).
//! - [`casework`]: checklists, information-sharing decision records
//!   ([`casework::decision`]), multi-agency meeting packs and supervision records. "Share"
//!   means one thing across the crate: a share sent to a team; the record of a decision to
//!   share or not is a decision record.
//! - [`crypto`]: ring-based sealing, key derivation and blind indexes.
//! - [`store`]: the encrypted SQLite field store (migrations, sealed rows, versions,
//!   outbox, audit) and what each record kind keeps in clear ([`store::StoredRecord`]).
//! - [`directory`]: contacts directory and `tel:` number choice.
//! - [`json_fault`]: the one form in which a JSON failure is kept as a cause (category and
//!   position, never serde's message, which can quote record text). A leaf.
//! - [`sync`]: wire types, request signing and the sync client.
//! - [`app`]: the `Session` facade that the bindings expose to the shells.
//! - [`boundary`]: the public error the shells see (one mapping from core's errors) and, with
//!   the `uniffi` feature, the custom types (ids, instants, dates) that let the generated
//!   Kotlin and Swift use core's own records and enums.

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("safeshare_core");

pub mod app;
pub mod boundary;
pub mod casework;
pub mod clock;
pub mod crypto;
pub mod directory;
pub mod json_fault;
pub mod model;
pub mod rules;
pub mod screens;
pub mod secrets;
pub mod store;
pub mod sync;
