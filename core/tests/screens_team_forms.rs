//! The Team around the child screen's forms as core builds them (issue 21 item 4), on a real
//! SQLite store with a fixed clock: Involve a team from the directory (found by name, the
//! chosen team kept while the search changes), Add a contact (a phone number checked as typed),
//! and Record social care status (the social workers who can be named); what each requires,
//! whether Save is enabled with why not, no date filled in for the practitioner, and Save
//! recording through the team around the child — refused with nothing written while the form
//! is incomplete.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::AppError;
use safeshare_core::casework::team_around_child::{ProfessionalRole, SocialCareLevel};
use safeshare_core::screens::{
    TeamFormChoice, TeamFormDate, TeamFormDateKey, TeamFormDraft, TeamFormItem, TeamFormKind,
    TeamFormList, TeamFormListKey, TeamFormScreen, TeamFormText, TeamFormTextKey,
};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn list(screen: &TeamFormScreen, key: TeamFormListKey) -> &TeamFormList {
    screen
        .items
        .iter()
        .find_map(|i| match i {
            TeamFormItem::Choices { list } if list.key == key => Some(list),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no list {key:?} in {screen:#?}"))
}

fn has_list(screen: &TeamFormScreen, key: TeamFormListKey) -> bool {
    screen
        .items
        .iter()
        .any(|i| matches!(i, TeamFormItem::Choices { list } if list.key == key))
}

fn text(screen: &TeamFormScreen, key: TeamFormTextKey) -> &TeamFormText {
    screen
        .items
        .iter()
        .find_map(|i| match i {
            TeamFormItem::Text { field } if field.key == key => Some(field),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no field {key:?} in {screen:#?}"))
}

fn date(screen: &TeamFormScreen, key: TeamFormDateKey) -> &TeamFormDate {
    screen
        .items
        .iter()
        .find_map(|i| match i {
            TeamFormItem::Date { field } if field.key == key => Some(field),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no date {key:?} in {screen:#?}"))
}

fn refused_as_incomplete(device: &Device, draft: &TeamFormDraft) -> String {
    match device.session.save_team_form(draft) {
        Err(AppError::Validation { field, reason }) => {
            assert_eq!(field, "form");
            reason.to_string()
        }
        other => panic!("expected the form refused, got {other:?}"),
    }
}

#[test]
fn involving_a_directory_team_finds_it_by_name_and_saves_only_once_every_required_field_is_given() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let session = &midwife.session;

    let draft = TeamFormDraft::new(family.baby.id, TeamFormKind::Involve);
    let screen = session.team_form(&draft).unwrap();
    assert_eq!(screen.title, "Involve a team from the directory");
    assert!(screen.about.starts_with(CHILD_NAME), "{}", screen.about);
    let teams = list(&screen, TeamFormListKey::Team);
    assert!(teams.required && teams.options.is_empty());
    assert_eq!(
        teams.empty.as_deref(),
        Some("Type a name to find the team in this phone's directory.")
    );
    // Every role the issue lists, then "other".
    let roles: Vec<&str> = list(&screen, TeamFormListKey::Role)
        .options
        .iter()
        .map(|o| o.label.as_str())
        .collect();
    assert_eq!(
        roles,
        [
            "Midwife",
            "Health visitor",
            "GP",
            "School nurse",
            "Paediatrician",
            "CAMHS",
            "Social worker",
            "Early help worker",
            "Other (name the role)"
        ]
    );
    // No date is filled in for her.
    let from = date(&screen, TeamFormDateKey::From);
    assert_eq!(
        (from.value.as_str(), from.shown.as_str(), from.date),
        ("", "Not given", None)
    );
    assert!(from.required && from.hint.ends_with("Written YYYY-MM-DD."));
    assert!(!screen.save_enabled);
    assert_eq!(screen.save_detail, "Choose the team.");
    assert_eq!(screen.save_label, "Involve");
    assert!(
        refused_as_incomplete(&midwife, &draft).contains("Choose the team"),
        "nothing is saved from an empty form"
    );
    assert!(session
        .team_around_child()
        .members(family.baby.id)
        .unwrap()
        .is_empty());

    // Searching by part of the name, folded as a phone keyboard types it.
    let draft = draft.with_text(TeamFormTextKey::TeamSearch, "east HEALTH".into());
    let screen = session.team_form(&draft).unwrap();
    let teams = list(&screen, TeamFormListKey::Team);
    assert_eq!(teams.options.len(), 1, "{teams:#?}");
    assert_eq!(teams.options[0].label, "East health visiting");
    assert!(!teams.options[0].selected);
    let choice = teams.options[0].choice.clone();
    assert_eq!(
        choice,
        TeamFormChoice::Team {
            team: region.health_visiting
        }
    );

    // Chosen, then the search changes: the chosen team stays offered, first and selected.
    let draft = draft
        .with_choice(choice)
        .with_text(TeamFormTextKey::TeamSearch, "front door".into());
    let screen = session.team_form(&draft).unwrap();
    let teams = list(&screen, TeamFormListKey::Team);
    assert_eq!(teams.options[0].label, "East health visiting");
    assert!(teams.options[0].selected);
    assert_eq!(
        teams.options[1].label,
        "Fictional children's front door (MASH)"
    );
    assert_eq!(screen.save_label, "Involve East health visiting");
    assert_eq!(screen.save_detail, "Choose their role.");

    // "Other" asks for the role's name.
    let draft = draft.with_choice(TeamFormChoice::Role {
        role: ProfessionalRole::Other(String::new()),
    });
    let screen = session.team_form(&draft).unwrap();
    assert!(text(&screen, TeamFormTextKey::OtherRole).required);
    assert_eq!(screen.save_detail, "Fill in \"The role\".");
    let draft = draft.with_choice(TeamFormChoice::Role {
        role: ProfessionalRole::HealthVisitor,
    });
    let screen = session.team_form(&draft).unwrap();
    assert!(
        !screen.items.iter().any(
            |i| matches!(i, TeamFormItem::Text { field } if field.key == TeamFormTextKey::OtherRole)
        ),
        "the role's name is asked only for other"
    );
    assert_eq!(screen.save_detail, "Give \"Involved from\".");

    // Core reads the typed date: not a date, then a date after today, are refused.
    let draft = draft.with_date(TeamFormDateKey::From, "2/11/2026".into());
    let screen = session.team_form(&draft).unwrap();
    let from = date(&screen, TeamFormDateKey::From);
    assert_eq!(from.shown, "Not a date");
    assert!(from.problem.as_deref().unwrap().contains("YYYY-MM-DD"));
    assert!(!screen.save_enabled);
    let draft = draft.with_date(TeamFormDateKey::From, "2026-12-02".into());
    let screen = session.team_form(&draft).unwrap();
    assert_eq!(
        date(&screen, TeamFormDateKey::From).problem.as_deref(),
        Some("A date after today cannot be recorded.")
    );
    assert!(!screen.save_enabled);

    let draft = draft
        .with_date(TeamFormDateKey::From, " 2026-11-02 ".into())
        .with_text(TeamFormTextKey::LeadsOn, "feeding and weight".into());
    let screen = session.team_form(&draft).unwrap();
    assert!(screen.save_enabled, "{screen:#?}");
    assert_eq!(date(&screen, TeamFormDateKey::From).shown, "2 Nov 2026");
    let saved = session.save_team_form(&draft).unwrap();
    assert_eq!(
        saved.message,
        "Health visitor (East health visiting) joined the team around the child"
    );
    let members = session.team_around_child().members(family.baby.id).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(Some(members[0].id), saved.member);
    assert_eq!(members[0].team(), Some(region.health_visiting));
    assert_eq!(members[0].role, ProfessionalRole::HealthVisitor);
    assert_eq!(members[0].leads_on, "feeding and weight");
    assert_eq!(members[0].from, day(11, 2));
    assert!(!members[0].household);

    // The same team in the same role again: the team around the child refuses it.
    assert!(matches!(
        session.save_team_form(&draft),
        Err(AppError::Validation { field, .. }) if field == "contact"
    ));
    // The form says who is already involved.
    let screen = session
        .team_form(&draft.with_text(TeamFormTextKey::TeamSearch, "east".into()))
        .unwrap();
    assert_eq!(
        list(&screen, TeamFormListKey::Team).options[0]
            .detail
            .as_deref(),
        Some("Fictional East Trust · already involved as health visitor")
    );
}

#[test]
fn a_contact_not_in_the_directory_needs_a_phone_number_and_can_join_the_whole_household() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let session = &midwife.session;

    let draft = TeamFormDraft::new(family.baby.id, TeamFormKind::AddContact);
    let screen = session.team_form(&draft).unwrap();
    assert_eq!(screen.title, "Add a contact not in the directory");
    assert!(!has_list(&screen, TeamFormListKey::Team));
    for key in [
        TeamFormTextKey::ContactName,
        TeamFormTextKey::ContactRole,
        TeamFormTextKey::Phone,
    ] {
        assert!(text(&screen, key).required, "{key:?}");
    }
    assert!(!text(&screen, TeamFormTextKey::OutOfHoursPhone).required);
    assert_eq!(screen.save_detail, "Fill in \"Name\".");

    let draft = draft
        .with_text(TeamFormTextKey::ContactName, "Ysolde Pengelly".into())
        .with_text(
            TeamFormTextKey::ContactRole,
            "family nurse, Fictional Family Nurse Partnership".into(),
        )
        .with_text(TeamFormTextKey::Phone, "0113 496".into())
        .with_choice(TeamFormChoice::Role {
            role: ProfessionalRole::Other(String::new()),
        })
        .with_text(TeamFormTextKey::OtherRole, "family nurse".into())
        .with_date(TeamFormDateKey::From, "2026-11-20".into())
        .with_household(true);
    let screen = session.team_form(&draft).unwrap();
    assert_eq!(
        text(&screen, TeamFormTextKey::Phone).problem.as_deref(),
        Some("Not a UK phone number: check the digits.")
    );
    assert!(!screen.save_enabled);
    assert!(refused_as_incomplete(&midwife, &draft).starts_with("Phone number:"));

    let draft = draft.with_text(TeamFormTextKey::Phone, "0113 496 0501".into());
    let screen = session.team_form(&draft).unwrap();
    assert!(screen.save_enabled, "{screen:#?}");
    assert!(screen
        .items
        .iter()
        .any(|i| matches!(i, TeamFormItem::Household { toggle } if toggle.value)));
    let saved = session.save_team_form(&draft).unwrap();
    assert!(
        saved.message.contains("every child of the household"),
        "{}",
        saved.message
    );
    // Added for the household: it shows in the child's team, marked so, with the role named.
    let household = session
        .team_around_child()
        .household_team(family.household.id)
        .unwrap()
        .unwrap();
    assert_eq!(household.members.len(), 1);
    let members = session.team_around_child().members(family.baby.id).unwrap();
    assert_eq!(members.len(), 1);
    assert!(members[0].household);
    assert_eq!(
        members[0].role,
        ProfessionalRole::Other("family nurse".into())
    );
}

#[test]
fn the_social_care_status_names_only_a_current_social_worker_and_asks_since_when() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let session = &midwife.session;

    let draft = TeamFormDraft::new(family.baby.id, TeamFormKind::SocialCareStatus);
    let screen = session.team_form(&draft).unwrap();
    assert_eq!(screen.title, "Record children's social care status");
    let levels: Vec<&str> = list(&screen, TeamFormListKey::Level)
        .options
        .iter()
        .map(|o| o.label.as_str())
        .collect();
    assert_eq!(
        levels,
        [
            "Not open to children's social care",
            "Early help",
            "Child in need",
            "Child protection plan",
            "Looked after"
        ]
    );
    let workers = list(&screen, TeamFormListKey::SocialWorker);
    assert_eq!(
        workers.options.len(),
        1,
        "only \"not recorded\" with no one"
    );
    assert!(workers.options[0].selected);
    assert!(workers.hint.contains("add them first"), "{}", workers.hint);
    assert_eq!(screen.save_detail, "Choose the status.");

    // The social worker joins the team (through the Involve form).
    let involve = TeamFormDraft::new(family.baby.id, TeamFormKind::Involve)
        .with_choice(TeamFormChoice::Team {
            team: region.front_door,
        })
        .with_choice(TeamFormChoice::Role {
            role: ProfessionalRole::SocialWorker,
        })
        .with_text(
            TeamFormTextKey::ProfessionalName,
            "Morwenna Tregothnan".into(),
        )
        .with_date(TeamFormDateKey::From, "2026-11-25".into());
    let worker = session.save_team_form(&involve).unwrap().member.unwrap();

    let draft = draft.with_choice(TeamFormChoice::Level {
        level: SocialCareLevel::ChildInNeed,
    });
    let screen = session.team_form(&draft).unwrap();
    let workers = list(&screen, TeamFormListKey::SocialWorker);
    assert_eq!(workers.options.len(), 2);
    assert!(
        workers.options[1].label.starts_with("Morwenna Tregothnan"),
        "{}",
        workers.options[1].label
    );
    let choice = workers.options[1].choice.clone();
    let draft = draft.with_choice(choice);
    let screen = session.team_form(&draft).unwrap();
    assert!(list(&screen, TeamFormListKey::SocialWorker).options[1].selected);
    assert_eq!(screen.save_detail, "Give \"Since\".");
    assert!(refused_as_incomplete(&midwife, &draft).contains("Since"));
    assert_eq!(
        session
            .team_around_child()
            .social_care_status(family.baby.id)
            .unwrap(),
        None,
        "nothing recorded while incomplete"
    );

    let draft = draft.with_date(TeamFormDateKey::Since, "2026-11-26".into());
    let saved = session.save_team_form(&draft).unwrap();
    let status = session
        .team_around_child()
        .social_care_status(family.baby.id)
        .unwrap()
        .unwrap();
    assert_eq!(saved.message, status.summary());
    assert_eq!(status.level, SocialCareLevel::ChildInNeed);
    assert_eq!(status.since, day(11, 26));
    assert_eq!(status.social_worker.map(|w| w.id), Some(worker));

    // "Not open" hides the social worker and names none, even one left in the draft.
    let closed = draft.with_choice(TeamFormChoice::Level {
        level: SocialCareLevel::NotOpen,
    });
    assert_eq!(closed.social_worker, None);
    let screen = session.team_form(&closed).unwrap();
    assert!(!has_list(&screen, TeamFormListKey::SocialWorker));
    let still_named = TeamFormDraft {
        social_worker: Some(worker),
        ..closed
    };
    session.save_team_form(&still_named).unwrap();
    let history = session
        .team_around_child()
        .social_care_history(family.baby.id)
        .unwrap();
    assert_eq!(history.len(), 2, "the earlier status is kept");
    assert_eq!(history[1].level, SocialCareLevel::NotOpen);
    assert_eq!(history[1].social_worker, None);
}

#[test]
fn the_forms_are_for_a_child() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let draft = TeamFormDraft::new(family.mother.id, TeamFormKind::Involve);
    assert!(matches!(
        midwife.session.team_form(&draft),
        Err(AppError::Validation { field, .. }) if field == "child"
    ));
    assert!(midwife.session.save_team_form(&draft).is_err());
}
