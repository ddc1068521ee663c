//! A phone as the shells drive it, for the end-to-end stories: a [`Session`] over its own
//! encrypted store and file keystore in a temporary directory, enrolled with the real server
//! through the real sync client, plus the two steps every home-visit story starts with (a
//! child in a household; a concern captured and shared with a team).
//!
//! Written once here (issue 16 item 6) so each story test says only what it asserts; before,
//! `story.rs`, `session_restore.rs`, `retire.rs`, `acknowledgements.rs`, `attack_v3.rs` and
//! `sealed_at_rest.rs` each set a phone up in their own copy.
//!
//! Invariants and why:
//! - Each phone has its own directory, database and keystore file, as a real phone does: what
//!   one phone stores or wipes never touches another's.
//! - [`SessionPhone::open`] does not enrol, so a story can assert what enrolment does to a
//!   fresh store; [`SessionPhone::enrolled`] enrols with a code issued for the phone's own
//!   practitioner, the normal set-up.

use crate::server::TestServer;
use crate::Region;
use chrono::NaiveDate;
use safeshare_core::app::{Identity, NewObservationInput, Session, ShareRequest, TeamMembership};
use safeshare_core::clock::Clock;
use safeshare_core::model::{
    ConcernCategory, DeviceId, Evidence, Person, PersonDetails, PersonId, PersonRole,
    PractitionerId, Severity, ShareId, TeamId,
};
use safeshare_core::secrets::{FileSecretStore, SecretStore};
use safeshare_core::sync::client::{SeededJitter, SyncClient, SyncConfig, SyncReport};
use std::path::PathBuf;
use std::sync::Arc;

/// One practitioner's phone: its session, its sync client and where it keeps its files.
pub struct SessionPhone {
    _dir: tempfile::TempDir,
    /// The encrypted field store's file.
    pub db: PathBuf,
    /// The file keystore's directory.
    pub keystore: PathBuf,
    /// The keystore itself (what a thief of the phone could read).
    pub secrets: Arc<FileSecretStore>,
    /// The session the shells call.
    pub session: Session,
    /// The sync client, pointed at the test server.
    pub client: SyncClient,
    /// The practitioner the phone was set up for.
    pub practitioner: PractitionerId,
}

impl SessionPhone {
    /// A phone set up for a new practitioner called `name` in `team`, not yet enrolled.
    /// `seed` seeds the sync client's backoff jitter.
    pub fn open(
        server: &TestServer,
        region: &Region,
        clock: Arc<dyn Clock>,
        name: &str,
        team: TeamId,
        seed: u64,
    ) -> SessionPhone {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("field.db");
        let keystore = dir.path().join("keystore");
        let practitioner = PractitionerId::new();
        let secrets = Arc::new(FileSecretStore::new(&keystore).unwrap());
        let session = Session::open(
            db.clone(),
            Arc::clone(&secrets) as Arc<dyn SecretStore>,
            Arc::clone(&clock),
            Identity {
                practitioner,
                practitioner_name: name.into(),
                teams: vec![TeamMembership {
                    id: team,
                    name: region.directory.team(team).unwrap().name.clone(),
                }],
                device: DeviceId::new(),
            },
            Some(region.directory.clone()),
        )
        .unwrap();
        let client = SyncClient::new(
            SyncConfig::new(server.base_url()),
            clock,
            Arc::new(SeededJitter::new(seed)),
        )
        .unwrap();
        SessionPhone {
            _dir: dir,
            db,
            keystore,
            secrets,
            session,
            client,
            practitioner,
        }
    }

    /// [`SessionPhone::open`], then enrolled with a code issued for its practitioner.
    pub fn enrolled(
        server: &TestServer,
        region: &Region,
        clock: Arc<dyn Clock>,
        name: &str,
        team: TeamId,
        seed: u64,
    ) -> SessionPhone {
        let phone = SessionPhone::open(server, region, clock, name, team, seed);
        phone
            .session
            .enrol(
                &phone.client,
                &server.issue_code_for(phone.practitioner, vec![team]),
            )
            .unwrap();
        phone
    }

    /// One sync, which must succeed.
    pub fn sync(&self) -> SyncReport {
        self.session.sync_now(&self.client).unwrap()
    }

    /// The device id the server enrolled.
    pub fn device(&self) -> DeviceId {
        self.session.identity().device
    }

    /// Every byte of the field store's database and its WAL and shared-memory files, each with
    /// its suffix ("", "-wal", "-shm"), as a thief of the phone could read them.
    pub fn store_files(&self) -> Vec<(String, Vec<u8>)> {
        ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| {
                let mut name = self.db.as_os_str().to_owned();
                name.push(suffix);
                std::fs::read(PathBuf::from(&name))
                    .ok()
                    .map(|bytes| (suffix.to_string(), bytes))
            })
            .collect()
    }
}

/// A child called `name`, born on `born`, in a new household at `address`.
pub fn add_child(session: &Session, address: &str, name: &str, born: NaiveDate) -> PersonId {
    child_in_new_household(session, Some(address), name, born, None).id
}

/// A child called `name`, born on `born`, in a new household with no address recorded.
pub fn add_child_without_address(session: &Session, name: &str, born: NaiveDate) -> PersonId {
    child_in_new_household(session, None, name, born, None).id
}

/// A child called `name`, born on `born`, with the NHS number `nhs`, in a new household with
/// no address recorded: a child a phone already holds, for the stories that match on the
/// number.
pub fn add_child_with_nhs_number(
    session: &Session,
    name: &str,
    born: NaiveDate,
    nhs: &str,
) -> Person {
    child_in_new_household(session, None, name, born, Some(nhs))
}

fn child_in_new_household(
    session: &Session,
    address: Option<&str>,
    name: &str,
    born: NaiveDate,
    nhs: Option<&str>,
) -> Person {
    let household = session.add_household(address.map(str::to_owned)).unwrap();
    session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some(name.into()),
                date_of_birth: Some(born),
                nhs_number: nhs.map(str::to_owned),
                ..PersonDetails::default()
            },
        )
        .unwrap()
}

/// A domestic-abuse concern about `about`, observed as fact (`text`), shared with `team` with
/// `message`; returns the share's id.
pub fn share_concern(
    session: &Session,
    about: PersonId,
    team: TeamId,
    text: &str,
    message: &str,
) -> ShareId {
    share_concern_at(session, about, team, Severity::Concern, text, message)
}

/// [`share_concern`] at `severity`.
pub fn share_concern_at(
    session: &Session,
    about: PersonId,
    team: TeamId,
    severity: Severity,
    text: &str,
    message: &str,
) -> ShareId {
    session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity,
            evidence: Evidence::ObservedFact,
            description: text.into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team,
                message: message.into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .unwrap()
        .share
}
