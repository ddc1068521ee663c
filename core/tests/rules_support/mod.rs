//! Shared set-up for the pure rules tests (`rules_*.rs`, `mutants_rules.rs`): London wall-clock
//! instants and a referral as the rules see it. No store and no session: these tests call the
//! rules directly, so what they build here is the rules' own input.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used, dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use safeshare_core::model::{PersonId, PractitionerId, ReferralId, TeamId};
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
