//! sync: the wire between a device and the regional server, shared by both sides.
//!
//! Owns the envelope (the unit of sync), the request and response bodies of every `/v1/`
//! endpoint, the error codes the server answers with, and Ed25519 request signing. Both the
//! device's sync client and `safeshare-server` use these types, so the two cannot drift apart.
//!
//! Invariants:
//! - An envelope is immutable and idempotent by its ULID id: the server compares the SHA-256
//!   of its canonical serialisation ([`Envelope::content_hash`]) to tell a duplicate from a
//!   conflict.
//! - The server routes and reports by header fields only; the body is a container sealed end to
//!   end to the recipient devices of a signed region roster ([`roster`], `docs/security.md`),
//!   and since [`WIRE_VERSION`] 3 signed by its author device over header and sealed body
//!   ([`authorship`]), so the server can neither read nor make one.
//! - Every request after enrolment is signed over device, method, path with query,
//!   timestamp, nonce and body SHA-256 ([`signing`]).
//!
//! The protocol is documented for third-party clients in `docs/protocol.md`.

pub mod api;
pub mod authorship;
pub mod client;
pub mod envelope;
pub mod pulled;
pub mod roster;
pub mod signing;

pub use api::*;
pub use envelope::*;
pub use roster::*;
pub use signing::*;
