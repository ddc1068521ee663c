//! SafeShare regional sync server: devices enrol, push envelopes and pull what is addressed
//! to their teams; a safeguarding lead's admin commands report what is overdue.
//!
//! Modules, one job each:
//! - [`admin`]: directory import and the overdue report (the admin CLI prints these).
//! - [`demo`]: the fictional demo region.
//! - [`storage`]: the storage trait and its SQLite and PostgreSQL implementations.
//! - [`rules`]: the enrolment-code and directory-version rules, decided once above storage.
//! - [`auth`]: signed-request authentication (signature, revocation, clock, nonce).
//! - [`console`]: the regional web console under `/console/` (sign-in, pages, assets).
//! - [`push`]: per-envelope validation and storing of a pushed batch.
//! - [`enrolment`]: one-time enrolment codes.
//! - [`http`]: routes, limits, timeouts and error mapping.
//! - [`error`]: the HTTP error type.
//! - [`metrics`]: Prometheus metrics.
//! - [`serve`]: listening (HTTP or TLS) and graceful shutdown.
//!
//! The wire types and signing code are shared with devices from `safeshare_core::sync`; the
//! protocol is documented in `docs/protocol.md`.

pub mod admin;
pub mod auth;
pub mod conn_cap;
pub mod console;
pub mod demo;
pub mod enrolment;
pub mod error;
pub mod http;
pub mod metrics;
pub mod push;
pub mod roster;
pub mod rules;
pub mod serve;
pub mod storage;
