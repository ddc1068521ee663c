//! Shared set-up for the pure rules tests (`rules_*.rs`, `mutants_rules*.rs`): London wall-clock
//! instants, a referral and an observation's chronology entry as the rules see them. No store and no session: these tests call the
//! rules directly, so what they build here is the rules' own input.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used, dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use safeshare_core::model::{
    ConcernCategory, ObservationId, PersonId, PractitionerId, ReferralId, Severity, TeamId,
};
use safeshare_core::rules::patterns::{ChronologyEntry, EntryKind};
use safeshare_core::rules::referral::{Referral, ReferralChannel, ReferralRecord};
use safeshare_core::rules::working_time::london_to_utc;

/// The instant London's clocks show `y-m-d h:min`.
pub fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    london_to_utc(
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap(),
    )
    .unwrap()
}

/// A referral `by` about `about` to a front door, sent by secure email at `sent_at`.
pub fn referral(by: PractitionerId, about: PersonId, sent_at: DateTime<Utc>) -> ReferralRecord {
    ReferralRecord::new(Referral {
        id: ReferralId::new(),
        about,
        referrer: by,
        front_door: TeamId::new(),
        front_door_name: "Northshire MASH".into(),
        sent_at,
        summary: "Concern about the baby's care".into(),
        channel: ReferralChannel::SecureEmail,
    })
    .unwrap()
}

/// An observation about `child` at `at`, as the chronology holds it: no household, a fixed
/// summary ("seen at the visit") and a fresh observation id.
pub fn observation(
    child: PersonId,
    at: DateTime<Utc>,
    category: ConcernCategory,
    severity: Severity,
) -> ChronologyEntry {
    ChronologyEntry {
        at,
        about: Some(child),
        household: None,
        kind: EntryKind::Observation {
            id: ObservationId::new(),
            category,
            severity,
        },
        summary: "seen at the visit".into(),
    }
}
