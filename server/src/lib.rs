//! SafeShare regional sync server: devices enrol, push envelopes and pull what is addressed
//! to their teams; a safeguarding lead's admin commands report what is overdue.
//!
//! Modules, one job each:
//! - [`storage`]: the storage trait and its SQLite and PostgreSQL implementations.
pub mod storage;
