//! Issue 21, item 3, the receiving side: taking a transferred child onto the caseload, end to
//! end. Two real phones (each a session over its own encrypted store and the real sync client)
//! and a real server on 127.0.0.1 (SQLite, and PostgreSQL when configured), one fixed clock.
//!
//! Friday 4 December 2026: a baby on the West midwife's caseload is on a child protection plan;
//! the family's social worker (from the council's front door) was added for the whole
//! household, and the midwife leads. The family moves to LS6 and the midwife sends a transfer
//! of care to East health visiting. The health visitor's phone lists the family as expected
//! before anyone acknowledges, refuses to take the baby on until she acknowledges with her
//! read-back, then takes her on: a new record (no one there has the NHS number), with the team
//! around the child seeded from the pack — the social worker still involved, West midwifery as
//! previously involved, East health visiting joined, no lead (the lead was the sending team,
//! said in the chronology) — and the child protection plan with its social worker. Taking on
//! again gives the same child. The midwife's team around the child gains the receiving team.
//!
//! A second phone already holding someone under the baby's NHS number with another date of
//! birth is asked to choose, attaching nothing until it does.
//! A third already holding the baby (same NHS number and date of birth) with its own team takes
//! her on as that record: its own entry kept, the pack's members added, no one twice.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{AppError, SubjectChoice, TransferTakeOn};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::team_around_child::{
    NewInvolvement, NewSocialCareStatus, ProfessionalRole, SocialCareLevel,
};
use safeshare_core::casework::transfer::{NewTransfer, TransferStatus};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{Person, PersonId, Severity, ShareId, TeamId};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::rules::patterns::EntryKind;
use safeshare_tests::phone::{add_child_with_nhs_number, SessionPhone};
use safeshare_tests::transfer::{
    baby_on_the_caseload, open_concern, region_covering_ls6, TransferPhones,
};
use safeshare_tests::{backends, Backend, Region};

const BABY: &str = "Demelza Fictional-Angove";
const NHS: &str = "943 476 5919";
const SOCIAL_WORKER: &str = "Wenna Carlyon";

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The health visitor's read-back of the transfer, acknowledging it on her phone.
fn acknowledge(hv: &SessionPhone, share: ShareId) {
    hv.session
        .acknowledge_share(
            share,
            ReadBack {
                who: "Baby moving into LS6 with her mother".into(),
                risk: "On a child protection plan; mother's low mood".into(),
                next_action: "New birth visit this week; contact the social worker".into(),
            },
        )
        .unwrap();
}

/// A child already on the health visitor's caseload under the baby's NHS number, called
/// `name` and born on `born`, in a household of her own.
fn already_on_the_caseload(hv: &SessionPhone, name: &str, born: NaiveDate) -> Person {
    add_child_with_nhs_number(&hv.session, name, born, NHS)
}

fn directory_member(team: TeamId, role: ProfessionalRole, name: Option<&str>) -> NewInvolvement {
    NewInvolvement {
        contact: ContactRef::Directory {
            team,
            label: String::new(),
        },
        professional_name: name.map(str::to_owned),
        role,
        leads_on: String::new(),
        from: date(2026, 11, 20),
    }
}

/// The baby on the midwife's phone, her team around the child (the social worker added for the
/// household, the midwife's own team leading), a child protection plan and an open concern;
/// then the transfer to East health visiting, sent on Friday at 15:00. Returns the baby's id and
/// the share.
fn baby_transferred(
    midwife: &SessionPhone,
    region: &Region,
    clock: &FixedClock,
) -> (PersonId, ShareId) {
    let baby = baby_on_the_caseload(midwife, BABY, Some("4 Fictional Court, Leeds"));
    let team = midwife.session.team_around_child();
    let own = team
        .involve(
            baby.id,
            directory_member(region.midwifery, ProfessionalRole::Midwife, None),
        )
        .unwrap();
    team.set_lead(baby.id, own).unwrap();
    let social_worker = team
        .involve_for_household(
            baby.household,
            directory_member(
                region.front_door,
                ProfessionalRole::SocialWorker,
                Some(SOCIAL_WORKER),
            ),
        )
        .unwrap();
    team.set_social_care_status(
        baby.id,
        NewSocialCareStatus {
            level: SocialCareLevel::ChildProtectionPlan,
            social_worker: Some(social_worker),
            since: date(2026, 11, 27),
        },
    )
    .unwrap();
    open_concern(
        midwife,
        baby.id,
        Severity::Concern,
        "Mother tearful; says she is not sleeping and dreads the move.",
    );

    clock.set(at(4, 15, 0));
    let transfer = midwife
        .session
        .transfers()
        .send(NewTransfer {
            child: baby.id,
            team: region.health_visiting,
            new_postcode: "LS6 2AB".into(),
            new_address: None,
            moving_on: Some(date(2026, 12, 7)),
            message: "Family moving to your area on Monday; please take on the baby's care.".into(),
            severity: None,
            health_needs: "none known".into(),
            medication: "none known".into(),
            follow_up_appointments: "6-8 week check due 15 January 2027 with the GP".into(),
        })
        .unwrap();
    (baby.id, transfer.share)
}

fn taken_on_with_the_team_seeded_from_the_pack(backend: Backend) {
    let region = region_covering_ls6();
    let phones = TransferPhones::start(backend, &region, at(4, 14, 0), 1);
    let (clock, midwife, hv) = (&phones.clock, &phones.midwife, &phones.hv);
    let (baby, share) = baby_transferred(midwife, &region, clock);
    clock.set(at(5, 10, 0));
    midwife.sync();
    hv.sync();

    // Saturday: the family is expected on the health visitor's phone before anyone acknowledges.
    let expected = hv.session.transfers().expected().unwrap();
    assert_eq!(expected.len(), 1);
    let family = &expected[0];
    assert_eq!(family.share, share);
    assert_eq!(family.about.name.as_deref(), Some(BABY));
    assert_eq!(family.team, region.health_visiting);
    assert_eq!(family.severity, Severity::Concern);
    assert_eq!(family.pack.moving_on, Some(date(2026, 12, 7)));
    assert_eq!(family.observations.len(), 1, "the open concern");
    assert!(!family.acknowledged);
    assert_eq!(family.taken_on, None);
    assert_eq!(
        family.pack.social_care_level,
        Some(SocialCareLevel::ChildProtectionPlan)
    );
    let carried: Vec<(Option<TeamId>, bool)> = family
        .pack
        .members
        .iter()
        .map(|m| (m.team(), m.household))
        .collect();
    assert_eq!(
        carried,
        vec![
            (Some(region.midwifery), false),
            (Some(region.front_door), true)
        ],
        "the household's social worker travels with the child's own team"
    );

    // Not before the read-back: taking on is refused and nothing is recorded.
    let refused = hv.session.transfers().take_on(share);
    assert!(
        matches!(refused, Err(AppError::Refused { .. })),
        "{refused:?}"
    );
    assert!(hv
        .session
        .find_people_by_nhs_number(NHS)
        .unwrap()
        .is_empty());

    // Monday 09:30: acknowledged with the read-back, then taken on: a new record here.
    clock.set(at(7, 9, 30));
    acknowledge(hv, share);
    let TransferTakeOn::TakenOn { child, existing } =
        hv.session.transfers().take_on(share).unwrap()
    else {
        panic!("no one here has the NHS number: a new record");
    };
    assert!(!existing);
    assert_eq!(child.name.as_deref(), Some(BABY));

    let team = hv
        .session
        .team_around_child()
        .team(child.id)
        .unwrap()
        .expect("seeded from the pack");
    let current: Vec<(Option<TeamId>, String)> = team
        .current()
        .map(|m| (m.team(), m.role.label().to_owned()))
        .collect();
    assert_eq!(
        current,
        vec![
            (Some(region.front_door), "social worker".to_owned()),
            (Some(region.health_visiting), "health visitor".to_owned()),
        ]
    );
    let sending = team
        .members
        .iter()
        .find(|m| m.team() == Some(region.midwifery))
        .expect("the sending team, previously involved");
    assert_eq!(sending.to, Some(date(2026, 12, 7)));
    assert_eq!(team.lead, None, "the lead was the sending team");
    let status = hv
        .session
        .team_around_child()
        .social_care_status(child.id)
        .unwrap()
        .expect("the child protection plan travels");
    assert_eq!(status.level, SocialCareLevel::ChildProtectionPlan);
    assert_eq!(status.since, date(2026, 11, 27));
    assert_eq!(
        status.social_worker.and_then(|w| w.professional_name),
        Some(SOCIAL_WORKER.to_owned())
    );
    let chronology = hv.session.chronology_for_child(child.id).unwrap();
    let line = chronology
        .iter()
        .find(|e| e.kind == EntryKind::TeamAroundChild)
        .expect("the take-on is in the chronology");
    assert!(
        line.summary
            .starts_with("Taken on by transfer of care: 1 from the transfer pack; ")
            && line.summary.ends_with("no lead professional now"),
        "{}",
        line.summary
    );

    // Done once: the list says so, and taking on again gives the same child.
    let expected = hv.session.transfers().expected().unwrap();
    assert!(expected[0].acknowledged);
    assert_eq!(expected[0].taken_on, Some(child.id));
    assert_eq!(
        hv.session.transfers().take_on(share).unwrap(),
        TransferTakeOn::TakenOn {
            child: child.clone(),
            existing: true
        }
    );
    assert_eq!(
        hv.session
            .team_around_child()
            .history(child.id)
            .unwrap()
            .len(),
        1,
        "no second seeding"
    );
    hv.sync();

    // The midwife's phone: transferred, and her team around the child gains the receiving team.
    clock.set(at(7, 9, 45));
    midwife.sync();
    let record = &midwife.session.transfers().transfers_of(baby).unwrap()[0];
    assert_eq!(
        record.status,
        TransferStatus::Transferred { on: at(7, 9, 30) }
    );
    let team = midwife
        .session
        .team_around_child()
        .team(baby)
        .unwrap()
        .unwrap();
    assert!(team
        .current()
        .any(|m| m.team() == Some(region.health_visiting)));
    assert!(team.current().any(|m| m.team() == Some(region.midwifery)));
}

fn a_different_date_of_birth_asks_before_attaching(backend: Backend) {
    let region = region_covering_ls6();
    let phones = TransferPhones::start(backend, &region, at(4, 14, 0), 3);
    let (clock, midwife, hv) = (&phones.clock, &phones.midwife, &phones.hv);
    // Someone already on the health visitor's caseload under the same NHS number, born on
    // another day (a mistyped number somewhere): not to be merged silently.
    let other = already_on_the_caseload(hv, "Someone Else-Fictional", date(2025, 3, 2));
    let (_baby, share) = baby_transferred(midwife, &region, clock);
    clock.set(at(7, 9, 0));
    midwife.sync();
    hv.sync();
    acknowledge(hv, share);

    let TransferTakeOn::Confirm {
        incoming,
        candidates,
    } = hv.session.transfers().take_on(share).unwrap()
    else {
        panic!("the dates differ: the practitioner chooses");
    };
    assert_eq!(incoming.date_of_birth, Some(date(2026, 11, 20)));
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].person, other);
    assert!(candidates[0]
        .differences
        .iter()
        .any(|d| d == "date_of_birth"));
    assert_eq!(
        hv.session.team_around_child().team(other.id).unwrap(),
        None,
        "nothing attached before the choice"
    );
    assert_eq!(hv.session.transfers().expected().unwrap()[0].taken_on, None);

    // She checks: a different child. A new record, seeded from the pack.
    let TransferTakeOn::TakenOn { child, existing } = hv
        .session
        .transfers()
        .take_on_resolved(share, SubjectChoice::NewPerson)
        .unwrap()
    else {
        panic!("taken on as a new record");
    };
    assert!(!existing);
    assert_ne!(child.id, other.id);
    assert!(hv
        .session
        .team_around_child()
        .team(child.id)
        .unwrap()
        .unwrap()
        .current()
        .any(|m| m.team() == Some(region.health_visiting)));
    assert_eq!(hv.session.team_around_child().team(other.id).unwrap(), None);
}

fn the_same_child_already_here_gains_what_the_pack_adds(backend: Backend) {
    let region = region_covering_ls6();
    let phones = TransferPhones::start(backend, &region, at(4, 14, 0), 5);
    let (clock, midwife, hv) = (&phones.clock, &phones.midwife, &phones.hv);
    // The health visitor already has the baby (same NHS number, same date of birth), with her
    // own team on the baby's team around the child.
    let known = already_on_the_caseload(hv, BABY, date(2026, 11, 20));
    hv.session
        .team_around_child()
        .involve(
            known.id,
            directory_member(
                region.health_visiting,
                ProfessionalRole::HealthVisitor,
                None,
            ),
        )
        .unwrap();
    let (_baby, share) = baby_transferred(midwife, &region, clock);
    clock.set(at(7, 9, 0));
    midwife.sync();
    hv.sync();
    acknowledge(hv, share);

    let taken = hv.session.transfers().take_on(share).unwrap();
    assert_eq!(
        taken,
        TransferTakeOn::TakenOn {
            child: known.clone(),
            existing: true
        }
    );
    let team = hv
        .session
        .team_around_child()
        .team(known.id)
        .unwrap()
        .unwrap();
    let current: Vec<Option<TeamId>> = team.current().map(|m| m.team()).collect();
    assert_eq!(
        current,
        vec![Some(region.health_visiting), Some(region.front_door)],
        "her own entry kept, the social worker added, the health visitor not twice"
    );
    assert!(team
        .members
        .iter()
        .any(|m| m.team() == Some(region.midwifery) && m.to == Some(date(2026, 12, 7))));
    let versions = hv.session.team_around_child().history(known.id).unwrap();
    assert_eq!(versions.len(), 2, "one new version, nothing overwritten");
}

#[test]
fn a_child_already_on_the_caseload_keeps_its_team_and_gains_the_packs_members() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        the_same_child_already_here_gains_what_the_pack_adds(backend);
    }
}

#[test]
fn a_transferred_child_is_taken_on_after_the_read_back_with_the_team_seeded_from_the_pack() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        taken_on_with_the_team_seeded_from_the_pack(backend);
    }
}

#[test]
fn taking_on_a_transfer_never_attaches_to_someone_with_another_date_of_birth() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        a_different_date_of_birth_asks_before_attaching(backend);
    }
}
