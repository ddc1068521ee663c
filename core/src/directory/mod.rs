//! The contacts directory and one-tap calling: "pick up the phone", made reliable.
//!
//! Owns the regional directory of out-of-area teams (organisations, teams, their numbers and
//! opening hours), search over it offline, its versioned updates and bundled import format,
//! the choice of the one number that is right at a given moment, and the log of calls made.
//! The directory is regional reference data about services, not personal data; the call log
//! is personal data and goes to the encrypted store.
//!
//! Submodules, one job each:
//! - [`phone`]: UK numbers to E.164 and RFC 3966 `tel:` URIs.
//! - [`area`]: postcode areas and districts a team covers.

pub mod area;
pub mod phone;

pub use area::{Area, AreaError};
pub use phone::{PhoneNumber, PhoneNumberError, Region};
