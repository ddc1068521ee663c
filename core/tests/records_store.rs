//! Every record of the model, checklists, sharing decisions, meeting packs and supervision
//! round-trips through the real encrypted field store (a SQLite file), and none of its
//! personal content is in the database, WAL or shared-memory bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::casework::checklist::{Checklist, ChecklistKind, DoneDetail, Template};
use safeshare_core::casework::decision::*;
use safeshare_core::casework::meeting::{
    EntryKind, MeetingPack, MeetingType, MinutesChallenge, NewMeetingPack, PackEntry,
};
use safeshare_core::casework::supervision::*;
use safeshare_core::model::*;
use safeshare_core::store::StoredRecord;
use safeshare_core::store::{FieldStore, ListFilter, StoreError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use store_support::{contains, raw_files, Fixture};

const NAME: &str = "Zephyrine Okonkwo-Baptiste";
const DAD: &str = "Thaddeus Vanderkloot";
const NHS: &str = "9434765919";
const SEEN: &str = "hole punched in the nursery door at head height";
const WORDS: &str = "the shouting man sleeps on our sofa";
const SHARED: &str = "partner has an outstanding warrant for assault";
const NOT_SHARED: &str = "grandmother's psychiatric history is not relevant";
const HANDOVER: &str = "handed to ward sister Magdalena Frobisher";
const CHALLENGE: &str = "minutes wrongly say the twins attended clinic";
const SUPERVISION: &str = "agreed referral after the third unexplained bruise";

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
}

struct Captured {
    household: Household,
    child: Person,
    dad: Person,
    observation: Observation,
    voice: VoiceOfChild,
    visit: Visit,
    checklist: Checklist,
    decision_to_share: DecisionRecord,
    decision_not_to_share: DecisionRecord,
    pack: MeetingPack,
    supervision: SupervisionRecord,
}

fn capture(hv: PractitionerId) -> Captured {
    let household = Household::new(Some("14 Larkspur Crescent".into()));
    let child = Person::new(
        household.id,
        PersonRole::Child,
        PersonDetails {
            name: Some(NAME.into()),
            date_of_birth: Some(NaiveDate::from_ymd_opt(2022, 6, 1).unwrap()),
            nhs_number: Some("943 476 5919".into()),
            ..PersonDetails::default()
        },
    )
    .unwrap();
    let dad = Person::new(
        household.id,
        PersonRole::FatherOrPartner,
        PersonDetails {
            name: Some(DAD.into()),
            phone: Some("07700 900456".into()),
            ..PersonDetails::default()
        },
    )
    .unwrap();
    let visit = Visit::new(NewVisit {
        household: household.id,
        practitioner: hv,
        started_at: at(20, 10),
        ended_at: Some(at(20, 11)),
        place: Place::new(PlaceKind::Home, None).unwrap(),
        present: vec![
            Attendee::Person { person: child.id },
            Attendee::Person { person: dad.id },
        ],
    })
    .unwrap();
    let observation = Observation::capture(
        NewObservation {
            about: child.id,
            visit: Some(visit.id),
            recorded_by: hv,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: SEEN.into(),
            observed_at: at(20, 10),
            place: None,
        },
        at(20, 11),
    )
    .unwrap();
    let voice = VoiceOfChild::capture(
        NewVoiceNote {
            child: child.id,
            visit: Some(visit.id),
            recorded_by: hv,
            words: WORDS.into(),
            mode: ExpressionMode::Speech,
            present: vec![Attendee::other(format!("{DAD}'s friend")).unwrap()],
            expressed_at: at(20, 10),
            input: InputMethod::Dictated,
        },
        &child,
        at(20, 11),
    )
    .unwrap();
    let mut checklist = Checklist::start(
        &Template::builtin(ChecklistKind::Handover).unwrap(),
        child.id,
        std::slice::from_ref(&observation),
        hv,
        at(21, 9),
    );
    checklist
        .mark_done(
            "handover_received_by",
            hv,
            at(21, 9),
            DoneDetail {
                note: Some(HANDOVER.into()),
                contacts: vec![],
            },
        )
        .unwrap();
    let decision_to_share = DecisionRecord::decision_to_share(NewDecisionToShare {
        about: vec![child.id],
        decided_by: hv,
        decided_at: at(20, 12),
        purpose: "new health visitor must know".into(),
        details: DecisionToShare {
            lawful_basis: LawfulBasis::PublicTask,
            special_category: None,
            recipient: Recipient::Team {
                team: TeamId::new(),
                team_name: "Westshire Health Visiting".into(),
                person: None,
            },
            channel: Channel::SecureMessage,
            shared: vec![SharedItem {
                nature: Nature::Fact,
                text: SHARED.into(),
                observation: Some(observation.id),
            }],
            extent: None,
            principles: Principles::all_affirmed(),
            individual_informed: IndividualInformed::NotToldRiskOfHarm {
                explanation: format!("{DAD} may retaliate"),
            },
            understanding: UnderstandingCheck::AwaitingAcknowledgement,
        },
    })
    .unwrap();
    let decision_not_to_share = DecisionRecord::decision_not_to_share(NewDecisionNotToShare {
        about: vec![child.id],
        decided_by: hv,
        decided_at: at(20, 13),
        purpose: "request from housing officer".into(),
        reason: NOT_SHARED.into(),
        requester_informed: Some(RequesterInformed::Informed {
            requester: "housing officer".into(),
            channel: Channel::Phone,
            at: at(20, 14),
        }),
    })
    .unwrap();
    let supervision = SupervisionRecord::record(
        NewSupervision {
            supervisee: hv,
            supervisor: Supervisor {
                practitioner: None,
                name: "named nurse".into(),
            },
            held_at: at(22, 10),
            cases: vec![CaseDiscussed {
                person: child.id,
                summary: SUPERVISION.into(),
            }],
            actions: vec![],
        },
        at(22, 11),
    )
    .unwrap();
    let mut pack = MeetingPack::assemble(
        NewMeetingPack {
            child: child.id,
            meeting_type: MeetingType::ChildProtectionConference,
            meeting_at: at(25, 10),
            prepared_by: hv,
            represents: vec!["health visiting".into()],
        },
        &[
            PackEntry {
                about: child.id,
                at: observation.observed_at,
                kind: EntryKind::Observation(Box::new(observation.clone())),
            },
            PackEntry {
                about: child.id,
                at: voice.expressed_at,
                kind: EntryKind::VoiceOfChild(Box::new(voice.clone())),
            },
        ],
        std::slice::from_ref(&supervision),
        OversightPolicy::default(),
        at(24, 10),
    )
    .unwrap();
    assert_eq!(pack.supervision_prompt, None);
    pack.challenge_minutes(MinutesChallenge {
        raised_by: hv,
        raised_at: at(26, 10),
        inaccuracy: CHALLENGE.into(),
        correction: "the twins were not brought".into(),
        raised_with: "conference chair".into(),
    })
    .unwrap();
    Captured {
        household,
        child,
        dad,
        observation,
        voice,
        visit,
        checklist,
        decision_to_share,
        decision_not_to_share,
        pack,
        supervision,
    }
}

fn insert<T: StoredRecord + Serialize>(
    tx: &mut safeshare_core::store::WriteTx<'_>,
    record: &T,
) -> Result<(), StoreError> {
    tx.insert(T::KIND, record.record_id(), record, &record.record_index())?;
    Ok(())
}

fn read_back<T>(store: &FieldStore, reader: PractitionerId, record: &T)
where
    T: StoredRecord + DeserializeOwned + PartialEq + Debug,
{
    let stored = store.get::<T>(reader, T::KIND, record.record_id()).unwrap();
    assert_eq!(&stored.body, record);
}

fn assert_no_plaintext(fixture: &Fixture, when: &str) {
    let needles = [
        NAME,
        "Okonkwo",
        DAD,
        NHS,
        "943 476 5919",
        "07700 900456",
        "Larkspur",
        SEEN,
        WORDS,
        SHARED,
        NOT_SHARED,
        HANDOVER,
        CHALLENGE,
        SUPERVISION,
    ];
    for (file, bytes) in raw_files(&fixture.db_path()) {
        for needle in needles {
            assert!(
                !contains(&bytes, needle.as_bytes()),
                "{when}: {file} contains {needle:?} in clear"
            );
        }
    }
}

#[test]
fn every_record_round_trips_through_the_encrypted_store_with_no_plaintext_at_rest() {
    let fixture = Fixture::new();
    let hv = PractitionerId::new();
    let c = capture(hv);
    {
        let store = fixture.open();
        store
            .write(hv, |tx| {
                insert(tx, &c.household)?;
                insert(tx, &c.child)?;
                insert(tx, &c.dad)?;
                insert(tx, &c.visit)?;
                insert(tx, &c.observation)?;
                insert(tx, &c.voice)?;
                insert(tx, &c.checklist)?;
                insert(tx, &c.decision_to_share)?;
                insert(tx, &c.decision_not_to_share)?;
                insert(tx, &c.pack)?;
                insert(tx, &c.supervision)?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        // While open (WAL and SHM present) ...
        assert_no_plaintext(&fixture, "store open");
        read_back(&store, hv, &c.household);
        read_back(&store, hv, &c.child);
        read_back(&store, hv, &c.dad);
        read_back(&store, hv, &c.visit);
        read_back(&store, hv, &c.observation);
        read_back(&store, hv, &c.voice);
        read_back(&store, hv, &c.checklist);
        read_back(&store, hv, &c.decision_to_share);
        read_back(&store, hv, &c.decision_not_to_share);
        read_back(&store, hv, &c.pack);
        read_back(&store, hv, &c.supervision);
    }
    // ... and after close, and after reopening and reading again.
    assert_no_plaintext(&fixture, "store closed");
    let store = fixture.open();
    read_back(&store, hv, &c.voice);
    read_back(&store, hv, &c.decision_to_share);
    let found: Vec<Person> = store
        .find_by_nhs_number::<Person>(hv, Person::KIND, "943-476-5919")
        .unwrap()
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(found, vec![c.child.clone()]);
    assert_no_plaintext(&fixture, "after reopening");
}

#[test]
fn open_observations_and_decisions_are_found_by_their_clear_columns() {
    let fixture = Fixture::new();
    let hv = PractitionerId::new();
    let c = capture(hv);
    let store = fixture.open();
    let closed = c
        .observation
        .close(hv, at(27, 10), "partner moved out; door repaired, seen")
        .unwrap();
    store
        .write(hv, |tx| {
            insert(tx, &c.observation)?;
            insert(tx, &c.decision_to_share)?;
            insert(tx, &c.decision_not_to_share)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let open = |store: &FieldStore| {
        store
            .list::<Observation>(
                hv,
                Observation::KIND,
                &ListFilter {
                    subject_person: Some(c.child.id),
                    status: Some("open".into()),
                    ..ListFilter::default()
                },
            )
            .unwrap()
    };
    assert_eq!(open(&store).len(), 1);
    store
        .write(hv, |tx| {
            tx.amend(
                Observation::KIND,
                closed.record_id(),
                1,
                &closed,
                &closed.record_index(),
                "closed: concern resolved",
            )
        })
        .unwrap();
    assert!(
        open(&store).is_empty(),
        "a closed observation is no longer open"
    );
    let history = store
        .history::<Observation>(hv, Observation::KIND, c.observation.record_id())
        .unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[0].body.as_ref().unwrap().is_open());
    assert!(!history[1].body.as_ref().unwrap().is_open());

    let not_shared = store
        .list::<DecisionRecord>(
            hv,
            DecisionRecord::KIND,
            &ListFilter {
                status: Some("not_share".into()),
                ..ListFilter::default()
            },
        )
        .unwrap();
    assert_eq!(not_shared.len(), 1);
    assert_eq!(not_shared[0].body, c.decision_not_to_share);
}

#[test]
fn a_checklist_worked_through_is_kept_version_by_version() {
    let fixture = Fixture::new();
    let hv = PractitionerId::new();
    let c = capture(hv);
    let store = fixture.open();
    store.write(hv, |tx| insert(tx, &c.checklist)).unwrap();
    let mut list = c.checklist.clone();
    list.mark_not_applicable(
        "acute_has_community_numbers",
        hv,
        at(21, 10),
        "baby discharged directly to community; no acute team",
    )
    .unwrap();
    store
        .write(hv, |tx| {
            tx.amend(
                Checklist::KIND,
                list.record_id(),
                1,
                &list,
                &list.record_index(),
                "item marked not applicable",
            )
        })
        .unwrap();
    let history = store
        .history::<Checklist>(hv, Checklist::KIND, list.record_id())
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].body.as_ref().unwrap(), &c.checklist);
    assert_eq!(history[1].body.as_ref().unwrap(), &list);
    assert_eq!(history[1].body.as_ref().unwrap().template_version, 1);
    assert_no_plaintext(&fixture, "after amending");
}
