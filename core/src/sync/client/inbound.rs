//! Where pulled envelopes go: a small trait the `Session` implements, so the sync client
//! never needs to know what a share or an acknowledgement means.
//!
//! Contract: applying the same envelope twice must be harmless (the client re-applies a page
//! whose cursor it could not record, and a practitioner's own envelopes come back on pull).

use super::error::InboundError;
use crate::sync::{DirectoryVersion, Envelope};

/// Applies what the server sends to the device's store.
pub trait InboundSink {
    /// Applies one pulled envelope (a share for my team, an acknowledgement of my share, a
    /// decision on my referral, or my own envelope coming back). Idempotent by envelope id.
    fn apply_envelope(&self, envelope: &Envelope) -> Result<(), InboundError>;

    /// Applies a newer contacts directory. Idempotent by version.
    fn apply_directory(&self, directory: &DirectoryVersion) -> Result<(), InboundError>;
}
