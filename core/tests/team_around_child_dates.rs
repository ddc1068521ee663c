//! The dates the team around the child records, held at the handle (`TeamAroundChildHandle`),
//! not only on the forms: "involved from" (a child's member, a household's member, a captured
//! contact), an involvement's end and a social care status's "since" are refused after today
//! (Europe/London, at both midnights of the year) and more than 42 weeks before the child's date
//! of birth, or an unborn baby's expected date of delivery. Every path (forms, bindings,
//! tests) goes through the handle, so each refusal here is one the forms show too. A transfer
//! pack's dates are the sender's record: taking the child on keeps them as sent. Real SQLite
//! stores driven by fixed clocks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::team::{child_in_need_since, family_nurse, refused_on, written};
use app_support::transfer::*;
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{AppError, TeamAroundChildHandle};
use safeshare_core::casework::team_around_child::{
    NewInvolvement, ProfessionalRole, SocialCareLevel,
};
use safeshare_core::model::{Person, PersonDetails, PersonId, PersonRole};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The family's baby is born on 1 November 2026: 42 weeks before is 11 January 2026.
const EARLIEST: (i32, u32, u32) = (2026, 1, 11);

fn earliest() -> NaiveDate {
    date(EARLIEST.0, EARLIEST.1, EARLIEST.2)
}

fn day_before_earliest() -> NaiveDate {
    earliest().pred_opt().unwrap()
}

fn health_visiting(region: &Region, from: NaiveDate) -> NewInvolvement {
    team::from_directory(region.health_visiting, ProfessionalRole::HealthVisitor, "")
        .with_from(from)
}

trait WithFrom {
    fn with_from(self, from: NaiveDate) -> Self;
}

impl WithFrom for NewInvolvement {
    fn with_from(mut self, from: NaiveDate) -> Self {
        self.from = from;
        self
    }
}

/// A refusal on `field` with the wording the forms show, and nothing recorded for `child`.
fn refused<T: std::fmt::Debug>(
    team: &TeamAroundChildHandle<'_>,
    child: PersonId,
    result: Result<T, AppError>,
    field: &str,
    words: &str,
    before: (usize, usize),
) {
    refused_on(result, field, words);
    assert_eq!(written(team, child), before, "something was written");
}

const TOO_EARLY: &str = "42 weeks before the child's date of birth";
const AFTER_TODAY: &str = "A date after today cannot be recorded.";

#[test]
fn involved_from_42_weeks_and_a_day_before_birth_is_refused_and_exactly_42_weeks_accepted() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let family = family(&hv.session);
    let team = hv.session.team_around_child();
    let child = family.baby.id;

    let before = written(&team, child);
    refused(
        &team,
        child,
        team.involve(child, health_visiting(&region, day_before_earliest())),
        "from",
        TOO_EARLY,
        before,
    );
    refused(
        &team,
        child,
        team.involve(child, family_nurse(day_before_earliest())),
        "from",
        TOO_EARLY,
        before,
    );
    refused(
        &team,
        child,
        team.involve(child, family_nurse(date(26, 11, 1))),
        "from",
        TOO_EARLY,
        before,
    );

    let member = team
        .involve(child, health_visiting(&region, earliest()))
        .unwrap();
    let recorded = team.members(child).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].id, recorded[0].from), (member, earliest()));
    team.involve(child, family_nurse(earliest())).unwrap();
}

#[test]
fn since_42_weeks_and_a_day_before_birth_is_refused_and_exactly_42_weeks_accepted() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let family = family(&hv.session);
    let team = hv.session.team_around_child();
    let child = family.baby.id;

    let before = written(&team, child);
    refused(
        &team,
        child,
        team.set_social_care_status(child, child_in_need_since(day_before_earliest())),
        "since",
        TOO_EARLY,
        before,
    );
    let recorded = team
        .set_social_care_status(child, child_in_need_since(earliest()))
        .unwrap();
    assert_eq!(recorded.since, earliest());
}

fn unborn(device: &Device, expected: NaiveDate) -> Person {
    let household = device.session.add_household(None).unwrap();
    device
        .session
        .add_person(
            household.id,
            PersonRole::UnbornBaby {
                expected_delivery: expected,
            },
            PersonDetails {
                name: Some("Baby Example".into()),
                ..PersonDetails::default()
            },
        )
        .unwrap()
}

/// An unborn baby has no date of birth: the bound is 42 weeks before the expected date of
/// delivery (1 March 2027: 11 May 2026), for a pre-birth plan or a midwife's booking.
#[test]
fn an_unborn_babys_dates_are_bound_by_the_expected_date_of_delivery() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 11, 0));
    let baby = unborn(&midwife, date(2027, 3, 1));
    let team = midwife.session.team_around_child();
    let before = written(&team, baby.id);

    refused(
        &team,
        baby.id,
        team.involve(baby.id, family_nurse(date(2026, 5, 10))),
        "from",
        TOO_EARLY,
        before,
    );
    refused(
        &team,
        baby.id,
        team.set_social_care_status(baby.id, child_in_need_since(date(2026, 5, 10))),
        "since",
        TOO_EARLY,
        before,
    );
    team.involve(baby.id, family_nurse(date(2026, 5, 11)))
        .unwrap();
    team.set_social_care_status(baby.id, child_in_need_since(date(2026, 5, 11)))
        .unwrap();
}

/// A date is in the future by the London calendar: at 00:30 BST on 1 July (23:30 UTC on 30 June)
/// 1 July is today and 2 July is not; at 23:59 GMT on 1 December, 2 December is still to come,
/// and a minute later it is today.
#[test]
fn a_future_date_is_refused_by_the_london_calendar_at_both_midnights() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 6, 30, 23, 30));
    let household = hv.session.add_household(None).unwrap();
    let child = hv
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some("Robin Example".into()),
                date_of_birth: Some(date(2026, 6, 1)),
                ..PersonDetails::default()
            },
        )
        .unwrap()
        .id;
    let team = hv.session.team_around_child();

    let before = written(&team, child);
    refused(
        &team,
        child,
        team.involve(child, family_nurse(date(2026, 7, 2))),
        "from",
        AFTER_TODAY,
        before,
    );
    refused(
        &team,
        child,
        team.set_social_care_status(child, child_in_need_since(date(2026, 7, 2))),
        "since",
        AFTER_TODAY,
        before,
    );
    refused(
        &team,
        child,
        team.involve_for_household(household.id, family_nurse(date(2026, 7, 2))),
        "from",
        AFTER_TODAY,
        before,
    );
    // 1 July is today in London (still 30 June in UTC).
    let member = team.involve(child, family_nurse(date(2026, 7, 1))).unwrap();
    team.set_social_care_status(child, child_in_need_since(date(2026, 7, 1)))
        .unwrap();

    // Winter: 23:59 GMT on 1 December.
    hv.clock.set(utc(2026, 12, 1, 23, 59));
    let before = written(&team, child);
    refused(
        &team,
        child,
        team.end_involvement(child, member, date(2026, 12, 2)),
        "to",
        AFTER_TODAY,
        before,
    );
    refused(
        &team,
        child,
        team.set_social_care_status(child, child_in_need_since(date(2026, 12, 2))),
        "since",
        AFTER_TODAY,
        before,
    );
    hv.clock.set(utc(2026, 12, 2, 0, 0));
    team.end_involvement(child, member, date(2026, 12, 2))
        .unwrap();
    team.set_social_care_status(child, child_in_need_since(date(2026, 12, 2)))
        .unwrap();
}

/// A household member may have started with an older sibling, before this child could have
/// been expected: no lower bound; but never a date still to come, nor an end still to come.
#[test]
fn a_household_member_has_no_lower_bound_but_no_future_date() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let family = family(&hv.session);
    let team = hv.session.team_around_child();
    let child = family.baby.id;
    let household = family.household.id;

    let before = written(&team, child);
    refused(
        &team,
        child,
        team.involve_for_household(household, family_nurse(date(2026, 12, 2))),
        "from",
        AFTER_TODAY,
        before,
    );
    assert_eq!(team.household_team(household).unwrap(), None);
    let member = team
        .involve_for_household(household, health_visiting(&region, date(2019, 4, 1)))
        .unwrap();
    let versions = team.household_team(household).unwrap().unwrap();
    assert_eq!(
        team.end_household_involvement(household, member, date(2026, 12, 2))
            .map_err(|e| matches!(e, AppError::Validation { ref field, .. } if field == "to")),
        Err(true)
    );
    assert_eq!(team.household_team(household).unwrap().unwrap(), versions);
    team.end_household_involvement(household, member, date(2026, 12, 1))
        .unwrap();
}

/// A transfer pack's dates are the sending phone's record, checked there when they were
/// entered (or older than this rule): taking the child on keeps them as sent rather than
/// refusing the child's care or dropping a professional from the team. Here a member dated
/// before the baby could have been expected, and one dated after the receiving phone's today
/// (the sender's clock ran ahead), as a crafted or older sender could send them.
#[test]
fn taking_on_a_pack_with_dates_outside_the_bounds_keeps_the_senders_dates() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let (share, mut envelope) = send_transfer(&region, &midwife, family.baby.id);
    let old = pack_member(ProfessionalRole::Gp, "Dr Early", date(1900, 1, 1), None);
    let ahead = pack_member(
        ProfessionalRole::SchoolNurse,
        "Nurse Ahead",
        date(2027, 1, 5),
        None,
    );
    edit_pack(&mut envelope, |pack| {
        pack.members.push(old.clone());
        pack.members.push(ahead.clone());
        pack.social_care_level = Some(SocialCareLevel::ChildInNeed);
        pack.social_care_since = Some(date(1900, 1, 1));
    });

    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    hv.session.apply_inbound(&envelope).unwrap();
    acknowledge_transfer(&hv, share);
    let (child, _) = taken_on_as(hv.session.transfers().take_on(share).unwrap());
    let members = hv.session.team_around_child().members(child).unwrap();
    let from_of = |id| members.iter().find(|m| m.id == id).map(|m| m.from);
    assert_eq!(from_of(old.id), Some(old.from));
    assert_eq!(from_of(ahead.id), Some(ahead.from));
    let status = hv
        .session
        .team_around_child()
        .social_care_status(child)
        .unwrap()
        .expect("the pack's status is carried over");
    assert_eq!(status.since, date(1900, 1, 1));

    // Entered here, the same dates are refused.
    let team = hv.session.team_around_child();
    let before = written(&team, child);
    refused(
        &team,
        child,
        team.involve(child, family_nurse(date(2027, 1, 5))),
        "from",
        AFTER_TODAY,
        before,
    );
}
