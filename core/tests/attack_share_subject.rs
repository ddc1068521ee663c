//! Attacks on the choice of who an ordinary incoming share is about
//! (`Session::resolve_share_subject`): the practitioner is offered the people recorded here
//! under the shared NHS number (`SubjectTakeOn::Confirm`), and for a share with no NHS number no
//! one (it is taken on as a new record). A shell, a stale screen or a wrong id can still call
//! `resolve_share_subject` with any person on the phone; each test makes a choice that was never
//! offered and checks it is refused with a typed error before anything is attached, recorded or
//! announced. The choices that were offered still work. Real SQLite stores; the share travels as
//! the sender's own envelope, as a sync would hand it over.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::transfer::add_child;
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{
    AppError, NewObservationInput, ShareRequest, SubjectChoice, SubjectTakeOn,
};
use safeshare_core::model::{ConcernCategory, Evidence, Person, PersonId, Severity, ShareId};
use safeshare_core::sync::EnvelopeKind;
use std::sync::Arc;

fn born() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

/// A concern about `about` captured on `sender` and shared with health visiting, delivered to
/// `receiver`; returns the share.
fn deliver(region: &Region, sender: &Device, about: PersonId, receiver: &Device) -> ShareId {
    let captured = sender
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Mother has a bruise on her forearm; says her partner grabbed her.".into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team: region.health_visiting,
                message: "Please visit this week.".into(),
                severity: None,
            }),
        })
        .unwrap();
    let share = captured.share.expect("shared").share;
    let envelope = sender
        .session
        .pending_envelopes()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == EnvelopeKind::Share && e.entity_id == share.ulid())
        .unwrap();
    receiver.session.apply_inbound(&envelope).unwrap();
    share
}

/// Everyone recorded on `device` in the households of `known`, and everyone under the child's
/// NHS number: what a wrong attachment or a second record would change.
fn everyone(device: &Device, known: &[&Person]) -> Vec<Person> {
    let mut people: Vec<Person> = known
        .iter()
        .flat_map(|p| device.session.household_members(p.household).unwrap())
        .chain(device.session.find_people_by_nhs_number(CHILD_NHS).unwrap())
        .collect();
    people.sort_by_key(|p| p.id.to_string());
    people.dedup();
    people
}

fn assert_not_offered(chose: Result<Person, AppError>) {
    assert!(
        matches!(&chose, Err(AppError::Validation { field, .. }) if field == "choice"),
        "a person never offered was accepted (or refused for another reason): {chose:?}"
    );
}

/// The midwife's baby with no NHS number, shared to the health visitor's phone, which holds
/// another family (mother and baby, with an NHS number) and a child of a third household.
struct NoNumber {
    hv: Device,
    share: ShareId,
    other_family: Family,
    stranger: Person,
}

fn no_number() -> NoNumber {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let baby = add_child(&midwife, CHILD_NAME, born(), None);
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let other_family = family(&hv.session);
    let stranger = add_child(
        &hv,
        "Ottoline Fairweather",
        NaiveDate::from_ymd_opt(2021, 5, 3).unwrap(),
        None,
    );
    let share = deliver(&region, &midwife, baby.id, &hv);
    NoNumber {
        hv,
        share,
        other_family,
        stranger,
    }
}

/// Refuses `choice` for `s.share` and checks nothing was attached, recorded or announced.
fn refused_and_nothing_attached(s: &NoNumber, choice: SubjectChoice) {
    let before = everyone(&s.hv, &[&s.stranger, &s.other_family.baby]);
    let heard = Arc::new(RecordingListener::default());
    s.hv.session.set_change_listener(Some(heard.clone()));

    assert_not_offered(s.hv.session.resolve_share_subject(s.share, choice));

    assert_eq!(
        everyone(&s.hv, &[&s.stranger, &s.other_family.baby]),
        before,
        "someone was recorded or changed"
    );
    assert!(heard.take().is_empty(), "a refused choice was announced");
}

#[test]
fn a_share_without_an_nhs_number_resolved_as_another_households_child_is_refused() {
    let s = no_number();
    refused_and_nothing_attached(&s, SubjectChoice::SamePerson(s.stranger.id));
    refused_and_nothing_attached(&s, SubjectChoice::SamePerson(s.other_family.baby.id));
}

#[test]
fn a_share_without_an_nhs_number_resolved_as_an_adult_is_refused() {
    let s = no_number();
    refused_and_nothing_attached(&s, SubjectChoice::SamePerson(s.other_family.mother.id));
}

#[test]
fn a_share_without_an_nhs_number_resolved_as_an_unknown_id_is_refused_as_not_offered() {
    let s = no_number();
    refused_and_nothing_attached(&s, SubjectChoice::SamePerson(PersonId::new()));
}

#[test]
fn a_share_without_an_nhs_number_is_still_taken_on_as_someone_new() {
    let s = no_number();
    let before = everyone(&s.hv, &[&s.stranger, &s.other_family.baby]);
    let taken =
        s.hv.session
            .resolve_share_subject(s.share, SubjectChoice::NewPerson)
            .unwrap();
    assert_eq!(taken.name.as_deref(), Some(CHILD_NAME));
    assert_eq!(taken.date_of_birth, Some(born()));
    assert_eq!(
        everyone(&s.hv, &[&s.stranger, &s.other_family.baby]),
        before,
        "the known families are untouched"
    );
    assert_eq!(
        s.hv.session.household_members(taken.household).unwrap(),
        vec![taken.clone()]
    );
    assert_ne!(taken.household, s.stranger.household);
}

/// A share about the midwife's baby (with the NHS number) to a phone holding a baby with the
/// same number but another date of birth, and a child of another household: one candidate.
#[test]
fn a_share_with_an_nhs_number_accepts_only_the_candidate_offered() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let baby = add_child(&midwife, CHILD_NAME, born(), Some(CHILD_NHS));
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let candidate = add_child(
        &hv,
        CHILD_NAME,
        NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
        Some(CHILD_NHS),
    );
    let stranger = add_child(
        &hv,
        "Ottoline Fairweather",
        NaiveDate::from_ymd_opt(2021, 5, 3).unwrap(),
        None,
    );
    let share = deliver(&region, &midwife, baby.id, &hv);
    let SubjectTakeOn::Confirm(conflict) = hv.session.take_on_share_subject(share).unwrap() else {
        panic!("a number alone must not decide");
    };
    assert_eq!(conflict.candidates.len(), 1);
    assert_eq!(conflict.candidates[0].person.id, candidate.id);

    let before = everyone(&hv, &[&candidate, &stranger]);
    assert!(hv
        .session
        .resolve_share_subject(share, SubjectChoice::SamePerson(stranger.id))
        .is_err());
    assert_eq!(everyone(&hv, &[&candidate, &stranger]), before);

    let heard = Arc::new(RecordingListener::default());
    hv.session.set_change_listener(Some(heard.clone()));
    let chosen = hv
        .session
        .resolve_share_subject(share, SubjectChoice::SamePerson(candidate.id))
        .unwrap();
    assert_eq!(chosen.id, candidate.id);
    assert_eq!(
        everyone(&hv, &[&candidate, &stranger]),
        before,
        "choosing a candidate records no one"
    );
    assert_eq!(heard.take().len(), 1, "the choice is announced once");
}

/// "Someone else" is offered only beside candidates (or where no one has the number): for a
/// share whose child is matched plainly it would split the child's record in two under one
/// NHS number.
#[test]
fn someone_new_for_a_share_matched_plainly_is_refused() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let baby = add_child(&midwife, CHILD_NAME, born(), Some(CHILD_NHS));
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let same = add_child(&hv, CHILD_NAME, born(), Some(CHILD_NHS));
    let share = deliver(&region, &midwife, baby.id, &hv);
    let before = everyone(&hv, &[&same]);

    assert_not_offered(
        hv.session
            .resolve_share_subject(share, SubjectChoice::NewPerson),
    );
    assert_eq!(everyone(&hv, &[&same]), before, "a second record was made");
    assert_eq!(
        hv.session
            .resolve_share_subject(share, SubjectChoice::SamePerson(same.id))
            .unwrap()
            .id,
        same.id
    );
}
