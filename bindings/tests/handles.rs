//! The per-feature handles reached from one `Session` (issue 16 items 1 and 4): the team
//! around the child and transfers of care are handles like the others, over the session's one
//! encrypted store, so what one handle records another handle and the screens see, and a wipe
//! made through the session is answered `Revoked` on every handle. Real store files, the
//! fictional sample directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::MapStore;
use safeshare_core::app::TeamMembership;
use safeshare_core::boundary::{Ulid, UtcInstant};
use safeshare_core::casework::checklist::{ChecklistKind, ContactRef};
use safeshare_core::casework::meeting::{MeetingType, SectionKind};
use safeshare_core::casework::team_around_child::{NewInvolvement, ProfessionalRole};
use safeshare_core::model::{HouseholdId, PersonDetails, PersonId, PersonRole, TeamId};
use safeshare_core::screens::ChecklistActionKind;
use safeshare_ffi::{
    empty_transfer_draft, identity_before_enrolment, Clock, ContactsDirectory, PlatformError,
    SafeShareError, Session,
};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const SAMPLE: &str = include_str!("../../data/directory/sample-fictional.jsonl");
const MIDWIFERY: &str = "01M6A6FT00TTZHYYZ9RZKXMQAR";
const HEALTH_VISITING_NORTH: &str = "01M6A6FT00C9H0VZ4YE6QQ9FM9";
const LANE_SURGERY: &str = "01M6A6FT00W77B31VJGWECDH0G";

/// 2026-11-24 10:00 GMT, a Tuesday.
struct TuesdayMorning;

impl Clock for TuesdayMorning {
    fn now(&self) -> Result<SystemTime, PlatformError> {
        Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_514_400))
    }
}

fn team(id: &str) -> TeamId {
    id.parse().unwrap()
}

/// A midwife's session on a fresh store file, with a household and its baby.
fn session_with_a_baby() -> (Arc<Session>, HouseholdId, PersonId) {
    let path = std::env::temp_dir().join(format!("safeshare-handles-{}.db", Ulid::new()));
    let identity = identity_before_enrolment(
        "Test Midwife".into(),
        vec![TeamMembership {
            id: team(MIDWIFERY),
            name: "Community Midwifery".into(),
        }],
    )
    .unwrap();
    let session = Session::open(
        path.to_string_lossy().into_owned(),
        Arc::new(MapStore::default()),
        Arc::new(TuesdayMorning),
        identity,
        Some(ContactsDirectory::from_jsonl(SAMPLE.into()).unwrap()),
    )
    .unwrap();
    let visits = session.visits();
    let household = visits
        .add_household(Some("4 Fictional Court".into()))
        .unwrap();
    let details = PersonDetails {
        name: Some("Demelza Example".into()),
        known_as: None,
        date_of_birth: NaiveDate::from_ymd_opt(2026, 11, 20),
        nhs_number: None,
        phone: None,
        address: None,
        parental_responsibility: None,
    };
    let baby = visits
        .add_person(household, PersonRole::Child, details)
        .unwrap();
    (session, household, baby.id)
}

#[test]
fn a_gp_added_for_the_household_is_in_the_childs_team_its_meeting_pack_and_checklist_contacts() {
    let (session, household, baby) = session_with_a_baby();
    let team_around_child = session.team_around_child();
    let gp = NewInvolvement {
        contact: ContactRef::Directory {
            team: team(LANE_SURGERY),
            label: String::new(),
        },
        professional_name: None,
        role: ProfessionalRole::Gp,
        leads_on: String::new(),
        from: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    };
    let member = team_around_child
        .involve_for_household(household, gp)
        .unwrap();

    // A second handle from the same session reads the same store: the child's team as the
    // screen shows it (the removed `members` and `householdTeam` calls' answer), the member
    // added for the household, marked so, current and none ended.
    let screen = session.team_around_child().screen(baby).unwrap();
    assert_eq!(screen.current.len(), 1);
    assert_eq!(screen.current[0].member, member);
    assert!(screen.current[0].household.is_some());
    assert_eq!(screen.current[0].dates, "From 20 Nov 2026");
    assert!(screen.ended.is_empty());
    // The health staff a meeting pack lists (the removed `healthStaff` call's answer), from the
    // team around the child.
    let casework = session.casework();
    let pack = casework
        .prepare_meeting_pack(
            baby,
            MeetingType::ChildProtectionConference,
            UtcInstant::from_timestamp(1_796_292_000, 0).unwrap(),
            vec!["midwifery".into()],
        )
        .unwrap();
    let pack = casework.meeting_pack_screen(pack).unwrap();

    let staff = pack
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::HealthStaff)
        .unwrap();
    assert_eq!(staff.lines.len(), 1, "{staff:?}");
    assert!(staff.lines[0].starts_with("Fictional Lane Surgery, "));
    // And the admission checklist's one tap records the same team (the removed
    // `teamAroundChildContacts` call's answer), the household's GP included.
    let checklists = session.checklists();
    let admission = checklists
        .start_checklist(ChecklistKind::Admission, baby)
        .unwrap();
    let screen = checklists.checklist_screen(admission.id).unwrap();
    let one_tap = screen
        .items
        .iter()
        .flat_map(|item| item.actions.iter())
        .find_map(|a| match &a.kind {
            ChecklistActionKind::RecordContacts { contacts, .. } => Some(contacts.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        one_tap,
        [ContactRef::Directory {
            team: team(LANE_SURGERY),
            label: "Fictional Lane Surgery".into(),
        }]
    );
}

#[test]
fn the_transfers_handle_finds_the_receiving_team_for_the_new_postcode_before_anything_is_sent() {
    let (session, _, baby) = session_with_a_baby();
    let transfers = session.transfers();
    let mut draft = empty_transfer_draft(baby);
    draft.new_postcode = "LS6 2AB".into();
    let screen = transfers.screen(draft).unwrap();
    assert_eq!(
        screen.teams.first().map(|row| row.team),
        Some(team(HEALTH_VISITING_NORTH))
    );
    assert!(screen.sent.is_empty());
    assert!(transfers
        .expected_families_screen()
        .unwrap()
        .families
        .is_empty());
}

#[test]
fn after_a_wipe_through_the_session_the_team_and_transfer_handles_answer_revoked() {
    let (session, household, baby) = session_with_a_baby();
    // Handles taken before the wipe: they share the one store, so they see it too.
    let team_around_child = session.team_around_child();
    let transfers = session.transfers();
    let casework = session.casework();
    session.wipe_local().unwrap();

    let revoked = |err: SafeShareError| matches!(err, SafeShareError::Revoked { .. });
    assert!(revoked(team_around_child.screen(baby).unwrap_err()));
    assert!(revoked(
        team_around_child
            .involve_for_household(
                household,
                NewInvolvement {
                    contact: ContactRef::Directory {
                        team: team(LANE_SURGERY),
                        label: String::new(),
                    },
                    professional_name: None,
                    role: ProfessionalRole::Gp,
                    leads_on: String::new(),
                    from: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                },
            )
            .unwrap_err()
    ));
    assert!(revoked(transfers.expected_families_screen().unwrap_err()));
    assert!(revoked(
        transfers.screen(empty_transfer_draft(baby)).unwrap_err()
    ));
    assert!(revoked(casework.supervision_screen().unwrap_err()));
    // And a handle reached after the wipe.
    assert!(revoked(
        session.transfers().expected_families_screen().unwrap_err()
    ));
}
