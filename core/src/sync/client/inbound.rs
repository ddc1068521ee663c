//! Where pulled envelopes go: a small trait the `Session` implements, so the sync client
//! never needs to know what a share or an acknowledgement means.
//!
//! Contract: applying the same envelope twice must be harmless (the client re-applies a page
//! whose cursor it could not record, and a practitioner's own envelopes come back on pull).
//! The client hands over only envelopes whose author signature it verified against the region
//! roster, with the author device as that roster lists it ([`InboundSink::apply_verified`]),
//! so a sink can hold an answer to what its author could really have answered (their teams,
//! their revocation) rather than to what the body claims.

use super::error::InboundError;
use crate::sync::{DirectoryVersion, Envelope, RosterDevice};

/// Applies what the server sends to the device's store.
pub trait InboundSink {
    /// Applies one pulled envelope (a share for my team, an acknowledgement of my share, a
    /// decision on my referral, or my own envelope coming back). Idempotent by envelope id.
    fn apply_envelope(&self, envelope: &Envelope) -> Result<(), InboundError>;

    /// Applies one pulled envelope whose author signature the client verified: `author` is
    /// its author device as the verified roster lists it (teams, revocation). The default
    /// ignores `author`; a sink that applies answers to records should use it.
    fn apply_verified(
        &self,
        envelope: &Envelope,
        author: &RosterDevice,
    ) -> Result<(), InboundError> {
        let _ = author;
        self.apply_envelope(envelope)
    }

    /// Applies a newer contacts directory. Idempotent by version.
    fn apply_directory(&self, directory: &DirectoryVersion) -> Result<(), InboundError>;
}
