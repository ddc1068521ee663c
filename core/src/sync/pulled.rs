//! What a device does with each envelope of a pulled page before anything of it is used: prove
//! its author against the verified roster, then open its body — spread over the device's cores.
//!
//! Invariants and why:
//! - A body is opened only after its author was proven ([`crate::sync::authorship::verify`]):
//!   nothing of an envelope the server could have made up is used, not even its plaintext.
//! - [`check_and_open_page`] answers one [`PulledVerdict`] per envelope, in the page's order,
//!   exactly as [`check_and_open`] would one by one. Both are pure (no store, no network, no
//!   clock), so running them on several threads changes only the time taken.
//! - Why threads: checking and opening cost about 130 µs of CPU an envelope (one Ed25519
//!   verification and one X25519 agreement; `cargo bench -p safeshare-core --bench
//!   envelope_seal`), so the 1,000 envelopes a phone pulls after days without signal are over
//!   the 100 ms budget (issue 12) on one core; phones have four to eight. A short page stays on
//!   the calling thread: below [`PARALLEL_FROM`] envelopes, starting threads costs more than it
//!   saves.

use crate::crypto::envelope_seal::{EncryptionKeyPair, SealError};
use crate::sync::authorship::{self, AuthorshipError};
use crate::sync::envelope::Envelope;
use crate::sync::roster::RosterBody;

/// Pages shorter than this are checked and opened on the calling thread.
pub const PARALLEL_FROM: usize = 32;

/// At most this many threads check and open one page.
pub const MAX_THREADS: usize = 8;

/// What became of one pulled envelope.
#[derive(Debug)]
pub enum PulledVerdict {
    /// Not proven to come from the device it names (or no roster is held): use nothing of it.
    NotAuthentic(AuthorshipError),
    /// Its author is proven; its body opened (the envelope with the plaintext body), or why
    /// it could not be opened on this device.
    Authentic(Result<Box<Envelope>, SealError>),
}

/// Proves `envelope`'s author against `roster` (none held: nothing can be proven), then opens
/// its body with one of `keys`.
pub fn check_and_open(
    envelope: &Envelope,
    roster: Option<&RosterBody>,
    keys: &[&EncryptionKeyPair],
) -> PulledVerdict {
    let proven = match roster {
        Some(roster) => authorship::verify(envelope, roster),
        None => Err(AuthorshipError::UnknownDevice(envelope.device)),
    };
    match proven {
        Ok(()) => PulledVerdict::Authentic(envelope.open_body(keys).map(Box::new)),
        Err(err) => PulledVerdict::NotAuthentic(err),
    }
}

/// [`check_and_open`] for every envelope of a page, in order, on up to [`MAX_THREADS`] threads
/// (as many as the device has cores).
pub fn check_and_open_page(
    envelopes: &[&Envelope],
    roster: Option<&RosterBody>,
    keys: &[&EncryptionKeyPair],
) -> Vec<PulledVerdict> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores
        .min(MAX_THREADS)
        .min(envelopes.len() / PARALLEL_FROM.max(1));
    if threads <= 1 {
        return envelopes
            .iter()
            .map(|envelope| check_and_open(envelope, roster, keys))
            .collect();
    }
    let chunk = envelopes.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = envelopes
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|envelope| check_and_open(envelope, roster, keys))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(verdicts) => verdicts,
                // The work is pure and panic-free; should a worker still die, resume its
                // panic on the caller's thread, where the boundary's catch handles it.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::envelope_seal::Recipient;
    use crate::model::{DeviceId, PractitionerId, Severity, TeamId};
    use crate::sync::envelope::{Body, EnvelopeId, EnvelopeKind, WIRE_VERSION};
    use crate::sync::roster::RosterDevice;
    use crate::sync::DeviceKeyPair;
    use chrono::{TimeZone, Utc};
    use ulid::Ulid;

    struct Region {
        roster: RosterBody,
        signing: DeviceKeyPair,
        reader: EncryptionKeyPair,
        recipients: Vec<Recipient>,
    }

    fn region() -> Region {
        let signing = DeviceKeyPair::generate().unwrap();
        let reader = EncryptionKeyPair::generate().unwrap();
        let device = RosterDevice {
            device_id: DeviceId::new(),
            practitioner_id: PractitionerId::new(),
            teams: vec![TeamId::new()],
            signing_key: signing.public_key(),
            encryption_key: Some(reader.public_key()),
            enrolled_at: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
            revoked_at: None,
            retired_at: None,
        };
        Region {
            roster: RosterBody {
                version: 1,
                issued_at: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
                previous: None,
                devices: vec![device],
            },
            recipients: vec![reader.public_key().into()],
            signing,
            reader,
        }
    }

    fn share(region: &Region, body: &[u8]) -> Envelope {
        let author = &region.roster.devices[0];
        Envelope {
            id: EnvelopeId::new(),
            wire_version: WIRE_VERSION,
            kind: EnvelopeKind::Share,
            entity_id: Ulid::new(),
            entity_version: 1,
            author: author.practitioner_id,
            device: author.device_id,
            created_at: Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap(),
            audience: author.teams.clone(),
            severity: Some(Severity::Concern),
            due_at: Some(Utc.with_ymd_and_hms(2026, 3, 30, 9, 0, 0).unwrap()),
            answers: None,
            body: Body(body.to_vec()),
            signature: None,
        }
        .seal_body(&region.recipients, &region.signing)
        .unwrap()
    }

    /// A page mixing good envelopes, forged ones (signed by a key the roster does not hold)
    /// and bodies swapped between headers, long enough to run on several threads.
    fn mixed_page(region: &Region) -> Vec<Envelope> {
        let forger = DeviceKeyPair::generate().unwrap();
        (0..PARALLEL_FROM * 3 + 5)
            .map(|i| {
                let mut envelope = share(region, format!("body {i}").as_bytes());
                match i % 5 {
                    1 => {
                        envelope.signature = Some(authorship::sign(&envelope, &forger).unwrap());
                    }
                    3 => {
                        // The body of another envelope, re-signed by the real author: authentic
                        // header, but the body was sealed under another one.
                        let other = share(region, b"moved");
                        envelope.body = other.body;
                        envelope.signature =
                            Some(authorship::sign(&envelope, &region.signing).unwrap());
                    }
                    _ => {}
                }
                envelope
            })
            .collect()
    }

    fn summary(verdict: &PulledVerdict) -> String {
        match verdict {
            PulledVerdict::NotAuthentic(err) => format!("not authentic: {err}"),
            PulledVerdict::Authentic(Ok(opened)) => {
                format!("opened: {}", String::from_utf8_lossy(&opened.body.0))
            }
            PulledVerdict::Authentic(Err(err)) => format!("not opened: {err}"),
        }
    }

    #[test]
    fn a_page_on_several_threads_gives_the_one_by_one_verdicts_in_order() {
        let region = region();
        let page = mixed_page(&region);
        let refs: Vec<&Envelope> = page.iter().collect();
        let keys = [&region.reader];
        let together: Vec<String> = check_and_open_page(&refs, Some(&region.roster), &keys)
            .iter()
            .map(summary)
            .collect();
        let one_by_one: Vec<String> = page
            .iter()
            .map(|e| summary(&check_and_open(e, Some(&region.roster), &keys)))
            .collect();
        assert_eq!(together, one_by_one);
        assert_eq!(together.len(), page.len());
        assert_eq!(together[0], "opened: body 0");
        assert_eq!(
            together[1],
            "not authentic: the author signature does not verify"
        );
        assert!(together[3].starts_with("not opened: "), "{}", together[3]);
        assert_eq!(
            together[page.len() - 1],
            format!("opened: body {}", page.len() - 1)
        );
    }

    #[test]
    fn with_no_roster_nothing_is_opened() {
        let region = region();
        let page = mixed_page(&region);
        let refs: Vec<&Envelope> = page.iter().collect();
        let verdicts = check_and_open_page(&refs, None, &[&region.reader]);
        assert_eq!(verdicts.len(), page.len());
        assert!(verdicts.iter().all(|v| matches!(
            v,
            PulledVerdict::NotAuthentic(AuthorshipError::UnknownDevice(_))
        )));
    }

    #[test]
    fn an_empty_page_has_no_verdicts() {
        let region = region();
        assert!(check_and_open_page(&[], Some(&region.roster), &[&region.reader]).is_empty());
    }
}
