//! The Team around the child screen as core builds it (issue 21 item 4), on a real SQLite
//! store with a fixed clock: current and ended members with role, what they lead on, dates and
//! the household marker; the lead professional; the social care status with the social worker
//! and since when; who has not yet been told about the latest concern (its date read in London
//! time just after midnight, the day after the clocks go forward); and every action with its enabled state, the call
//! button's number chosen for a weekend, Easter Monday and then a working day.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::team::{involve_health_visitor, involve_social_worker};
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{AppError, NewObservationInput, ShareRequest};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::team_around_child::{
    NewInvolvement, NewSocialCareStatus, ProfessionalRole, SocialCareLevel,
};
use safeshare_core::model::{ConcernCategory, Evidence, Severity};
use safeshare_core::screens::{TeamActionKind, TeamMemberRow, TeamScreen};

const SOCIAL_WORKER: &str = "Morwenna Tregothnan";
const FAMILY_NURSE: &str = "Ysolde Pengelly";
const SCHOOL_NURSE: &str = "Demelza Trevithick";

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn captured(name: &str, role: ProfessionalRole) -> NewInvolvement {
    NewInvolvement {
        contact: ContactRef::Captured {
            name: name.into(),
            role: "Fictional Community Trust".into(),
            phone: "0113 496 0999".into(),
            out_of_hours_phone: None,
        },
        professional_name: Some(name.into()),
        role,
        leads_on: String::new(),
        from: day(11, 5),
    }
}

fn row<'a>(screen: &'a TeamScreen, starts: &str) -> &'a TeamMemberRow {
    screen
        .current
        .iter()
        .chain(&screen.ended)
        .find(|r| r.title.starts_with(starts))
        .unwrap_or_else(|| panic!("no member {starts} in {screen:#?}"))
}

#[test]
fn a_new_child_has_an_empty_team_with_every_way_to_add_one() {
    let region = region();
    let midwife = midwife(&region, utc(2027, 3, 27, 10, 0));
    let family = family(&midwife.session);
    let screen = midwife.session.team_screen(family.baby.id).unwrap();
    assert_eq!(screen.title, "Team around the child");
    assert!(screen.about.starts_with(CHILD_NAME), "{}", screen.about);
    assert!(screen.current.is_empty() && screen.ended.is_empty());
    assert!(screen.current_empty.is_some());
    assert_eq!(screen.lead, "No lead professional named");
    assert_eq!(
        screen.social_care,
        "No children's social care status recorded"
    );
    assert_eq!(screen.social_worker, None);
    assert_eq!(screen.not_told_heading, None);
    let labels: Vec<(&str, bool)> = screen
        .actions
        .iter()
        .map(|a| (a.label.as_str(), a.enabled))
        .collect();
    assert_eq!(
        labels,
        vec![
            ("Involve a team from the directory", true),
            ("Add a contact not in the directory", true),
            ("Record social care status", true),
            ("Transfer of care", true),
        ]
    );
    assert!(
        screen.actions[2]
            .detail
            .as_deref()
            .unwrap()
            .contains("No social worker"),
        "the status can be recorded, but says a social worker must be in the team to be named"
    );

    // The mother is not a child: no team screen for her.
    let err = midwife.session.team_screen(family.mother.id).unwrap_err();
    assert!(matches!(err, AppError::Validation { .. }), "{err:?}");
}

#[test]
fn the_team_screen_shows_members_lead_status_and_who_is_not_told_the_latest_concern() {
    let region = region();
    // Saturday 27 March 2027, 10:00 GMT: the health visiting team is closed.
    let midwife = midwife(&region, utc(2027, 3, 27, 10, 0));
    let family = family(&midwife.session);
    let team = midwife.session.team_around_child();
    let child = family.baby.id;

    let hv = involve_health_visitor(&team, &region, child);
    let sw = involve_social_worker(
        &team,
        &region,
        child,
        SOCIAL_WORKER,
        "the child in need plan",
    );
    let nurse = team
        .involve(
            child,
            captured(FAMILY_NURSE, ProfessionalRole::Other("family nurse".into())),
        )
        .unwrap();
    let school = team
        .involve_for_household(
            family.household.id,
            captured(SCHOOL_NURSE, ProfessionalRole::SchoolNurse),
        )
        .unwrap();
    team.set_lead(child, hv).unwrap();
    team.set_social_care_status(
        child,
        NewSocialCareStatus {
            level: SocialCareLevel::ChildInNeed,
            social_worker: Some(sw),
            since: day(11, 3),
        },
    )
    .unwrap();
    team.end_involvement(child, nurse, day(11, 20)).unwrap();

    let screen = midwife.session.team_screen(child).unwrap();
    assert_eq!(
        screen.lead,
        "Lead professional: health visitor (East health visiting)"
    );
    assert_eq!(screen.social_care, "Children's social care: child in need");
    assert_eq!(
        screen.social_care_since.as_deref(),
        Some("Since 3 Nov 2026")
    );
    assert_eq!(
        screen.social_worker.as_deref(),
        Some(
            format!(
                "Social worker: {SOCIAL_WORKER}, social worker (Fictional children's front door \
                 (MASH))"
            )
            .as_str()
        )
    );

    // Current: the child's own first, then the household's; the ended nurse below with dates.
    let current: Vec<&str> = screen.current.iter().map(|r| r.role.as_str()).collect();
    assert_eq!(
        current,
        vec!["Health visitor", "Social worker", "School nurse"]
    );
    assert_eq!(screen.ended.len(), 1);
    let hv_row = row(&screen, "health visitor");
    assert_eq!(hv_row.member, hv);
    assert_eq!(
        hv_row.leads_on.as_deref(),
        Some("Leads on feeding and weight")
    );
    assert_eq!(hv_row.dates, "From 2 Nov 2026");
    assert_eq!(hv_row.lead.as_deref(), Some("Lead professional"));
    assert_eq!(hv_row.household, None);
    let nurse_row = &screen.ended[0];
    assert_eq!(nurse_row.member, nurse);
    assert_eq!(nurse_row.dates, "5 Nov 2026 to 20 Nov 2026");
    assert!(
        nurse_row.actions.is_empty(),
        "an ended member has no actions"
    );
    let school_row = row(&screen, SCHOOL_NURSE);
    assert_eq!(school_row.member, school);
    assert_eq!(
        school_row.household.as_deref(),
        Some("For the whole household")
    );

    // Member actions: End, Make lead professional (disabled for the lead and a household
    // member, with why), Call for a directory team with the weekend's number.
    let hv_actions: Vec<(&str, bool)> = hv_row
        .actions
        .iter()
        .map(|a| (a.label.as_str(), a.enabled))
        .collect();
    assert_eq!(
        hv_actions,
        vec![
            ("End involvement", true),
            ("Make lead professional", false),
            ("Call East health visiting (out of hours)", true),
        ]
    );
    assert_eq!(
        hv_row.actions[1].detail.as_deref(),
        Some("Already the lead professional.")
    );
    let sw_row = row(&screen, SOCIAL_WORKER);
    assert!(matches!(
        sw_row.actions[1].kind,
        TeamActionKind::SetLead { member, .. } if member == sw
    ));
    assert!(sw_row.actions[1].enabled);
    assert!(matches!(
        school_row.actions[0].kind,
        TeamActionKind::EndInvolvement { member, household: Some(h), .. }
            if member == school && h == family.household.id
    ));
    assert!(!school_row.actions[1].enabled);
    assert!(school_row.actions[1]
        .detail
        .as_deref()
        .unwrap()
        .contains("whole household"));
    assert_eq!(
        school_row.actions.len(),
        2,
        "a captured contact has no Call"
    );

    // A concern at 00:30 BST on Monday 29 March (23:30 UTC on the 28th, the day the clocks
    // went forward), shared with health
    // visiting only: the social worker (a directory team) and the school nurse (a captured
    // contact, to phone) are not yet told; the practitioner's own team is not listed.
    midwife.clock.set(utc(2027, 3, 28, 23, 30));
    let concern = midwife
        .session
        .capture_observation(NewObservationInput {
            about: child,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Bruise on mother's left forearm; says partner grabbed her.".into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team: region.health_visiting,
                message: "Please visit this week.".into(),
                severity: None,
            }),
        })
        .unwrap();
    // Monday 29 March, 11:00 BST.
    midwife.clock.set(utc(2027, 3, 29, 10, 0));
    let screen = midwife.session.team_screen(child).unwrap();
    assert_eq!(
        screen.not_told_heading.as_deref(),
        Some("Not yet told about the latest concern (Domestic abuse, recorded 29 Mar 2027)")
    );
    assert_eq!(
        screen.not_told,
        vec![
            format!("{SOCIAL_WORKER}, social worker (Fictional children's front door (MASH))"),
            format!(
                "{SCHOOL_NURSE}, school nurse ({SCHOOL_NURSE}, Fictional Community Trust): phone \
                 them, the app cannot send to them"
            ),
        ]
    );
    assert_eq!(
        screen.told,
        vec!["health visitor (East health visiting): sent 29 Mar 2027, not yet acknowledged"]
    );
    let share = screen
        .actions
        .iter()
        .find(|a| a.label == "Share the latest concern")
        .unwrap();
    assert!(share.enabled);
    assert!(matches!(
        share.kind,
        TeamActionKind::ShareLatestConcern { observation, .. } if observation == concern.record.id
    ));
    // Monday 29 March 2027 is Easter Monday, a bank holiday: still the out-of-hours number.
    assert_eq!(
        row(&screen, "health visitor").actions[2].label,
        "Call East health visiting (out of hours)"
    );
    let recorded = screen
        .actions
        .iter()
        .find(|a| a.label == "Record social care status")
        .unwrap();
    assert_eq!(recorded.detail, None, "a social worker is in the team");

    // Once the social worker is sent it too, only the captured contact is left, and Share is
    // disabled with why.
    midwife
        .session
        .share_with_team(
            child,
            &[concern.record.id],
            &[],
            ShareRequest {
                team: region.front_door,
                message: "For the child in need plan.".into(),
                severity: None,
            },
        )
        .unwrap();
    // Tuesday 30 March, 10:00 BST: a working day, the in-hours number.
    midwife.clock.set(utc(2027, 3, 30, 9, 0));
    let screen = midwife.session.team_screen(child).unwrap();
    assert_eq!(
        row(&screen, "health visitor").actions[2].label,
        "Call East health visiting (in hours)"
    );
    assert_eq!(screen.not_told.len(), 1);
    assert!(screen.not_told[0].starts_with(SCHOOL_NURSE));
    let share = screen
        .actions
        .iter()
        .find(|a| a.label == "Share the latest concern")
        .unwrap();
    assert!(!share.enabled);
    assert_eq!(
        share.detail.as_deref(),
        Some("Every involved team in the directory has been sent it.")
    );
}
