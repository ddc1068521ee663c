//! Attacks on Save of the Team around the child forms (issue 21 item 4,
//! `Session::save_team_form`): the shell passes back a draft it keeps, so a draft can hold
//! what the rendered form never offered — a team not in the directory, a social worker who is
//! not a current social worker of this child, a date in the future or not a date, an adult as
//! the child, fields of another form. Each is saved on a real SQLite store with a fixed clock
//! and must be refused with nothing recorded (or, for another form's fields, ignored), and no
//! refusal may echo what was typed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::AppError;
use safeshare_core::casework::team_around_child::{ProfessionalRole, SocialCareLevel};
use safeshare_core::model::{PersonId, TeamId};
use safeshare_core::screens::{
    TeamFormChoice, TeamFormDateKey, TeamFormDraft, TeamFormKind, TeamFormTextKey,
};

const WORKER: &str = "Morwenna Tregothnan";

fn involve(child: PersonId, team: TeamId, role: ProfessionalRole, from: &str) -> TeamFormDraft {
    TeamFormDraft::new(child, TeamFormKind::Involve)
        .with_choice(TeamFormChoice::Team { team })
        .with_choice(TeamFormChoice::Role { role })
        .with_text(TeamFormTextKey::ProfessionalName, WORKER.into())
        .with_date(TeamFormDateKey::From, from.into())
}

fn status(child: PersonId, worker: Option<ulid::Ulid>, since: &str) -> TeamFormDraft {
    TeamFormDraft::new(child, TeamFormKind::SocialCareStatus)
        .with_choice(TeamFormChoice::Level {
            level: SocialCareLevel::ChildProtectionPlan,
        })
        .with_choice(TeamFormChoice::SocialWorker { member: worker })
        .with_date(TeamFormDateKey::Since, since.into())
}

/// Saves `draft`, expecting a refusal; returns its words, which must not carry what was typed.
fn refused(device: &Device, draft: &TeamFormDraft) -> String {
    let err = device.session.save_team_form(draft).unwrap_err();
    assert!(
        matches!(err, AppError::Validation { .. } | AppError::NotFound { .. }),
        "{err:?}"
    );
    let words = format!("{err} {err:?}");
    for typed in [WORKER, CHILD_NAME, MOTHER_NAME] {
        assert!(
            !words.contains(typed),
            "personal data in a refusal: {words}"
        );
    }
    words
}

fn members(device: &Device, child: PersonId) -> usize {
    device
        .session
        .team_around_child()
        .members(child)
        .unwrap()
        .len()
}

#[test]
fn a_team_not_in_the_directory_is_refused_with_nothing_recorded() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let draft = involve(
        family.baby.id,
        TeamId::new(),
        ProfessionalRole::HealthVisitor,
        "2026-11-25",
    );
    refused(&midwife, &draft);
    assert_eq!(members(&midwife, family.baby.id), 0);
}

#[test]
fn dates_in_the_future_or_not_dates_are_refused_with_nothing_recorded() {
    let region = region();
    // 23:30 UTC on 1 December is still 1 December in London (GMT).
    let midwife = midwife(&region, utc(2026, 12, 1, 23, 30));
    let family = family(&midwife.session);
    for from in [
        "2026-12-02",
        "2027-01-01",
        "2026-02-30",
        "01/11/2026",
        "2026-11-01T00:00",
        "20261101",
        "2026-11-1x",
    ] {
        let draft = involve(
            family.baby.id,
            region.health_visiting,
            ProfessionalRole::HealthVisitor,
            from,
        );
        refused(&midwife, &draft);
        let draft = status(family.baby.id, None, from);
        refused(&midwife, &draft);
    }
    assert_eq!(members(&midwife, family.baby.id), 0);
    assert_eq!(
        midwife
            .session
            .team_around_child()
            .social_care_status(family.baby.id)
            .unwrap(),
        None
    );
    // Today itself is a date that can be recorded.
    midwife
        .session
        .save_team_form(&involve(
            family.baby.id,
            region.health_visiting,
            ProfessionalRole::HealthVisitor,
            "2026-12-01",
        ))
        .unwrap();
}

#[test]
fn a_social_worker_who_is_not_a_current_social_worker_of_this_child_is_refused() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let session = &midwife.session;
    // A second child of another household, with its own social worker.
    let other_household = session.add_household(None).unwrap();
    let other = session
        .add_person(
            other_household.id,
            safeshare_core::model::PersonRole::Child,
            safeshare_core::model::PersonDetails {
                name: Some("Ottoline Fairweather".into()),
                date_of_birth: Some(NaiveDate::from_ymd_opt(2024, 3, 3).unwrap()),
                ..Default::default()
            },
        )
        .unwrap();
    let others_worker = session
        .save_team_form(&involve(
            other.id,
            region.front_door,
            ProfessionalRole::SocialWorker,
            "2026-11-20",
        ))
        .unwrap()
        .member
        .unwrap();
    // On the baby's team: a GP (current, but not a social worker) and a social worker who left.
    let gp = session
        .save_team_form(&involve(
            family.baby.id,
            region.health_visiting,
            ProfessionalRole::Gp,
            "2026-11-20",
        ))
        .unwrap()
        .member
        .unwrap();
    let former = session
        .save_team_form(&involve(
            family.baby.id,
            region.front_door,
            ProfessionalRole::SocialWorker,
            "2026-11-20",
        ))
        .unwrap()
        .member
        .unwrap();
    session
        .team_around_child()
        .end_involvement(
            family.baby.id,
            former,
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        )
        .unwrap();

    for worker in [others_worker, gp, former, ulid::Ulid::new()] {
        refused(
            &midwife,
            &status(family.baby.id, Some(worker), "2026-11-29"),
        );
    }
    assert_eq!(
        session
            .team_around_child()
            .social_care_status(family.baby.id)
            .unwrap(),
        None,
        "nothing recorded"
    );
}

#[test]
fn the_forms_refuse_an_adult_or_someone_not_on_this_phone_for_every_kind() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    for child in [family.mother.id, PersonId::new()] {
        refused(
            &midwife,
            &involve(
                child,
                region.health_visiting,
                ProfessionalRole::HealthVisitor,
                "2026-11-25",
            ),
        );
        refused(&midwife, &status(child, None, "2026-11-25"));
        let contact = TeamFormDraft::new(child, TeamFormKind::AddContact)
            .with_text(TeamFormTextKey::ContactName, WORKER.into())
            .with_text(TeamFormTextKey::ContactRole, "family nurse".into())
            .with_text(TeamFormTextKey::Phone, "0113 496 0001".into())
            .with_choice(TeamFormChoice::Role {
                role: ProfessionalRole::Other(String::new()),
            })
            .with_text(TeamFormTextKey::OtherRole, "family nurse".into())
            .with_date(TeamFormDateKey::From, "2026-11-25".into())
            .with_household(true);
        refused(&midwife, &contact);
    }
    assert_eq!(members(&midwife, family.baby.id), 0);
    assert!(midwife
        .session
        .team_around_child()
        .household_team(family.household.id)
        .unwrap()
        .is_none_or(|h| h.members.is_empty()));
}

#[test]
fn another_forms_fields_in_a_draft_record_nothing_of_that_form() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let session = &midwife.session;
    // A social care status draft carrying a team, a role and a start date: only the status.
    let mixed = status(family.baby.id, None, "2026-11-25")
        .with_choice(TeamFormChoice::Team {
            team: region.front_door,
        })
        .with_choice(TeamFormChoice::Role {
            role: ProfessionalRole::SocialWorker,
        })
        .with_date(TeamFormDateKey::From, "2026-11-25".into());
    let saved = session.save_team_form(&mixed).unwrap();
    assert_eq!(saved.member, None);
    assert_eq!(members(&midwife, family.baby.id), 0);
    // An Add a contact draft carrying a directory team records the captured contact only.
    let contact = TeamFormDraft::new(family.baby.id, TeamFormKind::AddContact)
        .with_choice(TeamFormChoice::Team {
            team: region.front_door,
        })
        .with_text(TeamFormTextKey::ContactName, WORKER.into())
        .with_text(TeamFormTextKey::ContactRole, "family nurse".into())
        .with_text(TeamFormTextKey::Phone, "0113 496 0001".into())
        .with_choice(TeamFormChoice::Role {
            role: ProfessionalRole::Other(String::new()),
        })
        .with_text(TeamFormTextKey::OtherRole, "family nurse".into())
        .with_date(TeamFormDateKey::From, "2026-11-25".into());
    session.save_team_form(&contact).unwrap();
    let members = session.team_around_child().members(family.baby.id).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].team(), None, "not the directory team");
}

#[test]
fn a_date_long_before_the_child_was_expected_is_refused_but_pregnancy_is_not() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    // The baby was born on 1 November 2026.
    let family = family(&midwife.session);
    for year_slip in ["0026-11-01", "1900-01-01", "2016-11-01", "2026-01-10"] {
        let words = refused(&midwife, &status(family.baby.id, None, year_slip));
        assert!(words.contains("42 weeks"), "{words}");
        refused(
            &midwife,
            &involve(
                family.baby.id,
                region.health_visiting,
                ProfessionalRole::HealthVisitor,
                year_slip,
            ),
        );
    }
    assert_eq!(members(&midwife, family.baby.id), 0);
    // A pre-birth plan, made during the pregnancy, is recorded.
    midwife
        .session
        .save_team_form(&status(family.baby.id, None, "2026-03-01"))
        .unwrap();
}
