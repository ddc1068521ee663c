//! The set-up every transfer-of-care story starts with: a real server on 127.0.0.1 (the
//! backend the test names), the sending midwife's phone and the receiving health visitor's
//! phone, each a [`SessionPhone`] enrolled for its own team, all on one fixed clock the story
//! moves by hand; the region in which East health visiting covers LS6, where the family moves
//! to; and the baby each story moves, with an open concern for the transfer's pack to carry.
//!
//! Written once here (issue 16 item 6's kind) so each transfer story says only what it
//! asserts; before, `transfer.rs`, `transfer_take_on.rs` (three times) and
//! `attack_transfer.rs` each built the two phones in their own copy.
//!
//! Invariants and why:
//! - The server starts before either phone enrols and lives as long as the fixture: a story
//!   that lost it part-way would see a sync fail for a reason it does not test.
//! - The midwife is enrolled in `region.midwifery` and the health visitor in
//!   `region.health_visiting`: the transfer's sending and receiving teams in every story.
//! - Server and phones share the one clock, so "Friday 15:00" is the same instant on each.

use crate::phone::SessionPhone;
use crate::server::{Backend, TestServer};
use crate::{region, Region};
use chrono::{DateTime, NaiveDate, Utc};
use safeshare_core::app::NewObservationInput;
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::directory::{Area, DirectoryChange, DirectoryPatch};
use safeshare_core::model::{
    ConcernCategory, Evidence, Person, PersonDetails, PersonId, PersonRole, Severity,
};
use std::sync::Arc;

/// A server and the two phones of a transfer of care, on one fixed clock.
pub struct TransferPhones {
    /// The clock of the server and both phones.
    pub clock: Arc<FixedClock>,
    /// The server both phones are enrolled with.
    pub server: TestServer,
    /// The sending midwife's phone, in `region.midwifery`.
    pub midwife: SessionPhone,
    /// The receiving health visitor's phone, in `region.health_visiting`.
    pub hv: SessionPhone,
}

impl TransferPhones {
    /// [`TransferPhones::start_named`] with the usual practitioners, "Midwife Sam" and
    /// "Health Visitor Ash".
    pub fn start(backend: Backend, region: &Region, now: DateTime<Utc>, seed: u64) -> Self {
        Self::start_named(
            backend,
            region,
            now,
            ["Midwife Sam", "Health Visitor Ash"],
            seed,
        )
    }

    /// Starts a server on `backend` with `region`'s directory at `now`, then enrols the
    /// midwife and the health visitor named `[midwife, health visitor]`; their sync clients'
    /// jitter is seeded `seed` and `seed + 1`, so a test's phones each have their own.
    pub fn start_named(
        backend: Backend,
        region: &Region,
        now: DateTime<Utc>,
        names: [&str; 2],
        seed: u64,
    ) -> Self {
        let clock = Arc::new(FixedClock::new(now));
        let server = TestServer::start(backend, clock.clone() as Arc<dyn Clock>, region);
        let [midwife, hv] = names;
        let midwife = SessionPhone::enrolled(
            &server,
            region,
            clock.clone(),
            midwife,
            region.midwifery,
            seed,
        );
        let hv = SessionPhone::enrolled(
            &server,
            region,
            clock.clone(),
            hv,
            region.health_visiting,
            seed + 1,
        );
        TransferPhones {
            clock,
            server,
            midwife,
            hv,
        }
    }
}

/// The fictional region, with East health visiting covering LS6 (directory version 2), so a
/// receiving team can be found by the family's new postcode.
pub fn region_covering_ls6() -> Region {
    let mut region = region();
    let mut hv = region
        .directory
        .team(region.health_visiting)
        .unwrap()
        .clone();
    hv.areas = vec![Area::parse("LS6").unwrap()];
    region
        .directory
        .apply_patch(&DirectoryPatch {
            base_version: 1,
            version: 2,
            changes: vec![DirectoryChange::PutTeam { team: hv }],
            region: None,
            fictional: None,
        })
        .unwrap();
    region
}

/// The baby every transfer story moves: called `name`, born on 20 November 2026, NHS number
/// 943 476 5919 (valid, fictional), in a new household on the midwife's phone, at `address` if
/// one is recorded.
pub fn baby_on_the_caseload(midwife: &SessionPhone, name: &str, address: Option<&str>) -> Person {
    let household = midwife
        .session
        .add_household(address.map(str::to_owned))
        .unwrap();
    midwife
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some(name.into()),
                date_of_birth: NaiveDate::from_ymd_opt(2026, 11, 20),
                nhs_number: Some("943 476 5919".into()),
                ..PersonDetails::default()
            },
        )
        .unwrap()
}

/// An open concern about `about`, not shared: the mother's mental health, observed as fact,
/// at `severity`, in the words of `description`. A transfer's pack carries it.
pub fn open_concern(
    midwife: &SessionPhone,
    about: PersonId,
    severity: Severity,
    description: &str,
) {
    midwife
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::ParentalMentalHealth,
            severity,
            evidence: Evidence::ObservedFact,
            description: description.into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap();
}
