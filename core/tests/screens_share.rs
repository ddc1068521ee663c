//! The Share screen as core builds it (issue 17 item 1), on real SQLite stores with fixed
//! clocks: the involved teams not yet told first, then the teams covering the child's postcode;
//! each severity's acknowledgement due time from the rule, worded in London time across Easter
//! and the spring clock change, a weekend past midnight, Christmas bank holidays and the repeated
//! autumn hour; severities below what the share carries disabled; and "Send" and "Call" with
//! their enabled state, then a real send.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{NewObservationInput, ShareRequest};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::team_around_child::{NewInvolvement, ProfessionalRole};
use safeshare_core::model::{ConcernCategory, Evidence, ObservationId, Severity};
use safeshare_core::screens::{ShareActionKind, ShareDraft, ShareScreen};
use screens_support::with_areas;

fn observe(device: &Device, about: &Family, severity: Severity) -> ObservationId {
    device
        .session
        .capture_observation(NewObservationInput {
            about: about.baby.id,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity,
            evidence: Evidence::ObservedFact,
            description: "Bruise on mother's left forearm; says partner grabbed her.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap()
        .record
        .id
}

fn draft(family: &Family, observations: Vec<ObservationId>) -> ShareDraft {
    ShareDraft {
        about: family.baby.id,
        observations,
        voice_notes: Vec::new(),
        postcode: None,
        team: None,
        severity: None,
        message: String::new(),
    }
}

fn dues(screen: &ShareScreen) -> Vec<(&str, &str)> {
    screen
        .severities
        .iter()
        .map(|s| (s.label.as_str(), s.due.as_str()))
        .collect()
}

#[test]
fn teams_come_from_the_postcode_and_the_involved_teams_not_yet_told_come_first() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    with_areas(&midwife, &region);
    let family = family(&midwife.session);
    let concern = observe(&midwife, &family, Severity::Concern);

    // The address has no postcode: the practitioner is asked for it.
    let screen = midwife
        .session
        .share_screen(&draft(&family, vec![concern]))
        .unwrap();
    assert_eq!(screen.title, "Share this concern");
    assert_eq!(
        screen.about,
        format!("{CHILD_NAME} (child, 3 weeks 2 days)")
    );
    assert_eq!(
        screen.carrying,
        vec![
            "Domestic abuse · concern: Bruise on mother's left forearm; says partner grabbed her."
        ]
    );
    assert_eq!(screen.postcode.value, "");
    assert_eq!(
        screen.postcode.problem.as_deref(),
        Some("No full postcode in the address: type the child's postcode.")
    );
    assert!(screen.found.is_empty());
    assert_eq!(
        screen.found_empty.as_deref(),
        Some("Type a postcode to find the teams that cover it.")
    );
    assert!(screen.suggested.is_empty());
    assert!(
        screen.clock_warning.is_some(),
        "never synced: times may be out"
    );

    // Typed as a phone keyboard gives it: the district's team first, then the area's, service
    // by service (health visiting, midwifery, then the front door).
    let mut typed = draft(&family, vec![concern]);
    typed.postcode = Some("ls6\u{00A0}2ab".into());
    let screen = midwife.session.share_screen(&typed).unwrap();
    assert_eq!(screen.postcode.problem, None);
    assert_eq!(screen.found_heading, "Teams covering LS6");
    assert_eq!(
        screen
            .found
            .iter()
            .map(|t| (t.title.as_str(), t.why.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("East health visiting", "Covers LS6"),
            ("West community midwifery", "Covers the LS area"),
            (
                "Fictional children's front door (MASH)",
                "Covers the LS area"
            ),
        ]
    );
    let hv = &screen.found[0];
    assert_eq!(hv.subtitle, "Fictional East Trust · health visiting");
    assert_eq!(hv.open_words, "Open now");
    assert_eq!(
        hv.actions[0].kind,
        ShareActionKind::ChooseTeam {
            team: region.health_visiting
        }
    );
    assert_eq!(hv.actions[0].label, "Choose");
    assert_eq!(hv.actions[1].label, "Call East health visiting (in hours)");
    assert!(hv.actions[1].enabled);

    typed.postcode = Some("Leeds".into());
    let screen = midwife.session.share_screen(&typed).unwrap();
    assert_eq!(
        screen.postcode.problem.as_deref(),
        Some("That is not a UK postcode or postcode district.")
    );

    // The health visiting team is involved with the child and has not been told: it is offered
    // first, with who is involved, and not again among the teams found.
    midwife
        .session
        .team_around_child()
        .involve(
            family.baby.id,
            NewInvolvement {
                contact: ContactRef::Directory {
                    team: region.health_visiting,
                    label: String::new(),
                },
                professional_name: None,
                role: ProfessionalRole::HealthVisitor,
                leads_on: String::new(),
                from: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            },
        )
        .unwrap();
    typed.postcode = Some("LS6 2AB".into());
    let screen = midwife.session.share_screen(&typed).unwrap();
    assert_eq!(
        screen.suggested_heading,
        "Involved with the child, not yet told"
    );
    assert_eq!(screen.suggested.len(), 1);
    assert_eq!(screen.suggested[0].team, region.health_visiting);
    assert!(screen.suggested[0]
        .why
        .starts_with("Involved: health visitor"));
    assert!(screen.suggested[0].why.ends_with("not yet told"));
    assert!(screen
        .found
        .iter()
        .all(|t| t.team != region.health_visiting));

    // Sent to them, they are told: no longer suggested.
    typed.team = Some(region.health_visiting);
    typed.message = "Please visit this week: domestic abuse disclosed.".into();
    let screen = midwife.session.share_screen(&typed).unwrap();
    assert!(screen.suggested[0].chosen);
    assert_eq!(screen.suggested[0].actions[0].label, "Chosen");
    assert_eq!(
        screen.chosen.as_deref(),
        Some("Sharing with East health visiting")
    );
    let send = &screen.actions[0];
    assert_eq!(
        send.kind,
        ShareActionKind::Send {
            team: Some(region.health_visiting),
            severity: Some(Severity::Concern)
        }
    );
    assert_eq!(send.label, "Send to East health visiting");
    assert!(send.enabled);
    let receipt = midwife
        .session
        .share_with_team(
            family.baby.id,
            &[concern],
            &[],
            ShareRequest {
                team: region.health_visiting,
                message: typed.message.clone(),
                severity: Some(Severity::Concern),
            },
        )
        .unwrap();
    // The screen's due time is the one the share was given.
    assert_eq!(screen.severities[1].due_at, receipt.due_at);
    let screen = midwife.session.share_screen(&typed).unwrap();
    assert!(screen.suggested.is_empty());
}

#[test]
fn severities_below_what_is_carried_are_disabled_and_send_says_what_is_missing() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    let family = family(&midwife.session);
    let concern = observe(&midwife, &family, Severity::Concern);
    let mut d = draft(&family, vec![concern]);
    let screen = midwife.session.share_screen(&d).unwrap();
    let low = &screen.severities[0];
    assert!(!low.enabled);
    assert_eq!(
        low.detail.as_deref(),
        Some("What you are sharing was recorded as concern: the share cannot be less serious.")
    );
    assert!(
        screen.severities[1].selected,
        "what it carries is what it goes at"
    );
    assert!(screen.severities[1].enabled && screen.severities[2].enabled);
    let send = &screen.actions[0];
    assert!(!send.enabled);
    assert_eq!(
        send.detail.as_deref(),
        Some("Choose the team to share with.")
    );
    assert_eq!(screen.actions.len(), 1);

    d.team = Some(region.health_visiting);
    let screen = midwife.session.share_screen(&d).unwrap();
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Say why you are sharing and what you ask of the team.")
    );

    // A lower severity asked for still goes at what it carries.
    d.severity = Some(Severity::LowLevelConcern);
    d.message = "Please visit.".into();
    let screen = midwife.session.share_screen(&d).unwrap();
    assert!(screen.severities[1].selected && !screen.severities[0].selected);
    assert!(screen.actions[0].enabled);

    // Immediate risk: the advice to phone, and "Call" beside "Send".
    d.severity = Some(Severity::ImmediateRisk);
    let screen = midwife.session.share_screen(&d).unwrap();
    assert!(screen.severities[2].selected);
    assert!(screen.severities[2]
        .advice
        .as_deref()
        .unwrap()
        .starts_with("Phone the team now"));
    assert_eq!(screen.actions.len(), 2);
    assert_eq!(
        screen.actions[1].kind,
        ShareActionKind::Call {
            team: region.health_visiting,
            about: family.baby.id
        }
    );
    assert_eq!(
        screen.actions[1].label,
        "Call East health visiting (in hours)"
    );

    // A team not in this phone's directory cannot be sent to.
    d.team = Some(safeshare_core::model::TeamId::new());
    let screen = midwife.session.share_screen(&d).unwrap();
    assert!(!screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("That team is not in this phone's directory: choose another.")
    );
}

#[test]
fn due_times_over_easter_and_the_spring_clock_change_are_the_rules_in_london_time() {
    let region = region();
    // Thursday 25 March 2027, 16:00 GMT. Good Friday, the weekend (clocks forward on Sunday 28)
    // and Easter Monday are not working days.
    let midwife = midwife(&region, utc(2027, 3, 25, 16, 0));
    let family = family(&midwife.session);
    let screen = midwife
        .session
        .share_screen(&draft(&family, vec![]))
        .unwrap();
    assert_eq!(
        dues(&screen),
        vec![
            (
                "Low-level concern",
                "To be acknowledged by Tue 30 Mar 16:00"
            ),
            ("Concern", "To be acknowledged by Tue 30 Mar 12:00"),
            ("Immediate risk", "To be acknowledged by today 17:00"),
        ]
    );
    assert!(screen.severities.iter().all(|s| s.enabled && !s.selected));
}

#[test]
fn due_times_past_midnight_into_a_weekend_and_over_christmas() {
    let region = region();
    // Friday 27 November 2026, 23:30 GMT.
    let midwife = midwife(&region, utc(2026, 11, 27, 23, 30));
    let family = family(&midwife.session);
    let screen = midwife
        .session
        .share_screen(&draft(&family, vec![]))
        .unwrap();
    assert_eq!(
        dues(&screen),
        vec![
            (
                "Low-level concern",
                "To be acknowledged by Mon 30 Nov 17:00"
            ),
            ("Concern", "To be acknowledged by Mon 30 Nov 13:00"),
            ("Immediate risk", "To be acknowledged by tomorrow 00:30"),
        ]
    );

    // Thursday 24 December 2026, 15:00 GMT: Christmas Day (Friday), the weekend, and Boxing
    // Day's substitute bank holiday (Monday 28) are not working days.
    midwife.clock.set(utc(2026, 12, 24, 15, 0));
    let screen = midwife
        .session
        .share_screen(&draft(&family, vec![]))
        .unwrap();
    assert_eq!(
        dues(&screen),
        vec![
            (
                "Low-level concern",
                "To be acknowledged by Tue 29 Dec 15:00"
            ),
            ("Concern", "To be acknowledged by Tue 29 Dec 11:00"),
            ("Immediate risk", "To be acknowledged by today 16:00"),
        ]
    );
}

#[test]
fn an_immediate_risk_in_the_repeated_autumn_hour_names_its_zone() {
    let region = region();
    // Sunday 31 October 2027, 00:45 UTC = 01:45 BST; an hour later is 01:45 GMT.
    let midwife = midwife(&region, utc(2027, 10, 31, 0, 45));
    let family = family(&midwife.session);
    let screen = midwife
        .session
        .share_screen(&draft(&family, vec![]))
        .unwrap();
    assert_eq!(
        screen.severities[2].due,
        "To be acknowledged by today 01:45 GMT"
    );
    assert_eq!(screen.severities[2].due_at, utc(2027, 10, 31, 1, 45));
}
