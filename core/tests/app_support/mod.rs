//! Shared set-up for the Session tests: a small fictional region (every number in an Ofcom
//! drama range), two practitioners in different trusts, and sessions on real SQLite files in
//! temporary directories driven by a `FixedClock`.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{
    ChangeEvent, ChangeListener, Identity, NewObservationInput, Session, ShareRequest,
    TeamMembership,
};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{
    ConcernCategory, DeviceId, Evidence, Household, Person, PersonDetails, PersonId, PersonRole,
    PractitionerId, Severity, TeamId,
};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::secrets::InMemorySecretStore;
use safeshare_core::sync::{Envelope, EnvelopeKind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tempfile::TempDir;

/// A distinctive name that must never appear in plaintext in the database files.
pub const CHILD_NAME: &str = "Zebedee Quartermain";
/// The mother's distinctive name.
pub const MOTHER_NAME: &str = "Philippa Quartermain";
/// A valid NHS number (modulus 11).
pub const CHILD_NHS: &str = "943 476 5919";

#[path = "../fixtures/region.rs"]
mod fixture;
pub use fixture::{region, Region};
pub mod casework_forms;
#[path = "../fixtures/team.rs"]
pub mod team;
pub mod transfer;

pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// One device: its store file, key, clock and session.
pub struct Device {
    pub dir: TempDir,
    pub path: PathBuf,
    pub secrets: Arc<InMemorySecretStore>,
    pub clock: Arc<FixedClock>,
    pub session: Session,
    pub identity: Identity,
}

pub fn identity(name: &str, team: TeamId, team_name: &str) -> Identity {
    Identity {
        practitioner: PractitionerId::new(),
        practitioner_name: name.into(),
        teams: vec![TeamMembership {
            id: team,
            name: team_name.into(),
        }],
        device: DeviceId::new(),
    }
}

/// Opens a device for `identity` at `now`, with the region's directory.
pub fn device(region: &Region, identity: Identity, now: DateTime<Utc>) -> Device {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let secrets = Arc::new(InMemorySecretStore::default());
    let clock = Arc::new(FixedClock::new(now));
    let session = Session::open(
        &path,
        secrets.clone(),
        clock.clone(),
        identity.clone(),
        Some(region.directory.clone()),
    )
    .unwrap();
    Device {
        dir,
        path,
        secrets,
        clock,
        session,
        identity,
    }
}

/// The health visitor's identity in two teams: East health visiting and the front door.
pub fn health_visitor_in_two_teams(region: &Region) -> Identity {
    Identity {
        teams: vec![
            TeamMembership {
                id: region.health_visiting,
                name: "East health visiting".into(),
            },
            TeamMembership {
                id: region.front_door,
                name: "Front door".into(),
            },
        ],
        ..identity("Health visitor Birch", region.health_visiting, "x")
    }
}

pub fn midwife(region: &Region, now: DateTime<Utc>) -> Device {
    device(
        region,
        identity("Midwife Ash", region.midwifery, "West community midwifery"),
        now,
    )
}

pub fn health_visitor(region: &Region, now: DateTime<Utc>) -> Device {
    device(
        region,
        identity(
            "Health visitor Birch",
            region.health_visiting,
            "East health visiting",
        ),
        now,
    )
}

/// A family on the device: a household, the mother and a three-week-old baby.
pub struct Family {
    pub household: Household,
    pub mother: Person,
    pub baby: Person,
}

pub fn family(session: &Session) -> Family {
    let household = session
        .add_household(Some("1 Fictional Row, Leeds".into()))
        .unwrap();
    let mother = session
        .add_person(
            household.id,
            PersonRole::MotherOrBirthingParent,
            PersonDetails {
                name: Some(MOTHER_NAME.into()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    let baby = session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some(CHILD_NAME.into()),
                date_of_birth: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
                nhs_number: Some(CHILD_NHS.into()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    Family {
        household,
        mother,
        baby,
    }
}

/// Every byte of the database and its WAL and shared-memory files.
pub fn store_bytes(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            std::fs::read(PathBuf::from(&name))
                .ok()
                .map(|bytes| (suffix.to_string(), bytes))
        })
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A change listener that keeps every event it hears, in order, for a test to take and assert.
#[derive(Default)]
pub struct RecordingListener {
    events: Mutex<Vec<ChangeEvent>>,
}

impl ChangeListener for RecordingListener {
    fn changed(&self, event: ChangeEvent) {
        self.events.lock().unwrap().push(event);
    }
}

impl RecordingListener {
    /// The events heard since the last take, oldest first.
    pub fn take(&self) -> Vec<ChangeEvent> {
        std::mem::take(&mut *self.events.lock().unwrap())
    }
}

/// A father found asleep and unwakeable (a concern about parental substance misuse) about
/// `about`, shared with `share` when given.
pub fn substance_misuse_concern(about: PersonId, share: Option<TeamId>) -> NewObservationInput {
    NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::ParentalSubstanceMisuse,
        severity: Severity::Concern,
        evidence: Evidence::ObservedFact,
        description: "Father asleep and could not be woken at 11am.".into(),
        observed_at: None,
        place: None,
        share: share.map(|team| ShareRequest {
            team,
            message: "Please follow up at your next contact.".into(),
            severity: None,
        }),
    }
}

/// A concern of immediate risk about `about` (a knife in front of the baby), not shared.
pub fn knife_threat(about: PersonId) -> NewObservationInput {
    NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::DomesticAbuse,
        severity: Severity::ImmediateRisk,
        evidence: Evidence::ObservedFact,
        description: "Partner threatened mother with a knife in front of the baby.".into(),
        observed_at: None,
        place: None,
        share: None,
    }
}

/// A short complete read-back, for the tests that carry acknowledgements by hand.
pub fn short_read_back() -> ReadBack {
    ReadBack {
        who: "Baby and mother at 1 Fictional Row".into(),
        risk: "Domestic abuse disclosed".into(),
        next_action: "Visit by Friday and see mother alone".into(),
    }
}

/// The envelopes of `kind` in `session`'s outbox not yet in `delivered` (by id), oldest first;
/// they are added to `delivered`, so each is carried once.
pub fn undelivered(
    session: &Session,
    kind: EnvelopeKind,
    delivered: &mut Vec<Envelope>,
) -> Vec<Envelope> {
    let fresh: Vec<Envelope> = session
        .pending_envelopes()
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == kind && !delivered.iter().any(|d| d.id == e.id))
        .collect();
    delivered.extend(fresh.iter().cloned());
    fresh
}
