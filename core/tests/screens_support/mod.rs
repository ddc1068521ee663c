//! Shared steps for the screen tests (`screens_*.rs`): a share captured and sent from one
//! device, and envelopes carried by hand to another device exactly as the sync client hands
//! pulled envelopes to `apply_inbound`. Real SQLite files and real sessions throughout
//! (`app_support`).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use super::app_support::{Device, Region};
use safeshare_core::app::{InboundOutcome, NewObservationInput, ShareReceipt, ShareRequest};
use safeshare_core::directory::{Area, Directory};
use safeshare_core::model::{ConcernCategory, Evidence, PersonId, Severity, TeamId};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::sync::EnvelopeKind;

/// Captures an observation about `about` and shares it with `team` at `severity`, now.
pub fn share(device: &Device, about: PersonId, team: TeamId, severity: Severity) -> ShareReceipt {
    device
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity,
            evidence: Evidence::ObservedFact,
            description: "Bruise on mother's left forearm; says partner grabbed her last night."
                .into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team,
                message: "Please visit this week: domestic abuse disclosed.".into(),
                severity: Some(severity),
            }),
        })
        .unwrap()
        .share
        .expect("shared")
}

/// Applies every envelope of `kind` waiting in `from`'s outbox on `to`.
pub fn carry(from: &Device, to: &Device, kind: EnvelopeKind) -> Vec<InboundOutcome> {
    from.session
        .pending_envelopes()
        .unwrap()
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| to.session.apply_inbound(e).unwrap())
        .collect()
}

/// A complete read-back.
pub fn read_back() -> ReadBack {
    ReadBack {
        who: "Three-week-old baby and mother at 1 Fictional Row".into(),
        risk: "Domestic abuse: mother grabbed by partner, bruise seen".into(),
        next_action: "Health visitor to visit by Friday and see mother alone".into(),
    }
}

/// Gives the fictional region areas (its version 2): East health visiting covers LS6; every
/// other team (the practitioner's own midwifery team, the front door) the whole LS area.
pub fn with_areas(device: &Device, region: &Region) {
    let teams = region
        .directory
        .teams()
        .cloned()
        .map(|mut t| {
            t.areas = if t.id == region.health_visiting {
                vec![Area::parse("LS6").unwrap()]
            } else {
                vec![Area::parse("LS").unwrap()]
            };
            t
        })
        .collect();
    let directory = Directory::new(
        2,
        "Fictional region",
        true,
        region.directory.organisations().cloned().collect(),
        teams,
    )
    .unwrap();
    device.session.set_directory(directory).unwrap();
}
