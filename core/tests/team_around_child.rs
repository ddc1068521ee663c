//! The team around the child (issue 21, items 1 and 2) through the session, on real SQLite
//! files: history of the lead professional and of the social care status kept, nothing in
//! clear at rest, sharing suggests the involved teams not yet told, and the meeting pack's
//! health staff come from the team around the child.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::team::{from_directory, involve_health_visitor, involve_social_worker};
use app_support::*;
use chrono::{Duration, NaiveDate};
use safeshare_core::app::{AppError, NewObservationInput, ShareRequest};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::meeting::{
    EntryKind as PackKind, MeetingType, NewMeetingPack, SectionKind,
};
use safeshare_core::casework::team_around_child::{
    NewInvolvement, NewSocialCareStatus, ProfessionalRole, SocialCareLevel,
};
use safeshare_core::directory::{
    DirectoryChange, DirectoryPatch, OpeningHours, PhoneNumber, Service, Team, TeamNumbers,
};
use safeshare_core::model::{ConcernCategory, Evidence, PersonId, Severity, TeamId};
use safeshare_core::rules::patterns::EntryKind;

/// A social worker's name that must never be in clear in the store's files.
const SOCIAL_WORKER: &str = "Morwenna Tregothnan";
/// A captured contact's name (a family nurse not in the directory).
const FAMILY_NURSE: &str = "Ysolde Pengelly";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// The fictional region with a GP practice added (a third team to involve besides the
/// practitioner's own).
fn region_with_gp() -> (Region, TeamId) {
    let mut region = region();
    let east = region
        .directory
        .team(region.health_visiting)
        .unwrap()
        .organisation;
    let gp = Team {
        id: TeamId::new(),
        organisation: east,
        name: "Fictional Lane surgery".into(),
        service: Service::GpPractice,
        areas: vec![],
        numbers: TeamNumbers {
            in_hours: Some(PhoneNumber::parse_uk("0113 496 0401").unwrap()),
            ..TeamNumbers::default()
        },
        hours: OpeningHours::always(),
        out_of_hours_team: None,
    };
    let id = gp.id;
    region
        .directory
        .apply_patch(&DirectoryPatch {
            base_version: 1,
            version: 2,
            changes: vec![DirectoryChange::PutTeam { team: gp }],
            region: None,
            fictional: None,
        })
        .unwrap();
    (region, id)
}

fn concern(about: PersonId, share: Option<ShareRequest>) -> NewObservationInput {
    NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::ParentalMentalHealth,
        severity: Severity::Concern,
        evidence: Evidence::ObservedFact,
        description:
            "Mother tearful throughout the visit; says she has not slept for three nights.".into(),
        observed_at: None,
        place: None,
        share,
    }
}

#[test]
fn a_changed_lead_professional_and_social_care_status_keep_their_history() {
    let (region, _gp) = region_with_gp();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let team = midwife.session.team_around_child();
    let child = family.baby.id;

    let hv = involve_health_visitor(&team, &region, child);
    let social_worker = involve_social_worker(
        &team,
        &region,
        child,
        SOCIAL_WORKER,
        "the child protection plan",
    );
    team.set_lead(child, hv).unwrap();
    team.set_social_care_status(
        child,
        NewSocialCareStatus {
            level: SocialCareLevel::EarlyHelp,
            social_worker: None,
            since: day(3),
        },
    )
    .unwrap();

    midwife.clock.advance(Duration::days(1));
    team.set_lead(child, social_worker).unwrap();
    team.set_social_care_status(
        child,
        NewSocialCareStatus {
            level: SocialCareLevel::ChildProtectionPlan,
            social_worker: Some(social_worker),
            since: day(24),
        },
    )
    .unwrap();

    // The lead now is the social worker; every earlier lead is still in the history.
    let now = team.team(child).unwrap().unwrap();
    assert_eq!(now.lead_professional().unwrap().id, social_worker);
    let leads: Vec<_> = team
        .history(child)
        .unwrap()
        .iter()
        .map(|v| v.lead)
        .collect();
    assert_eq!(
        leads,
        vec![None, None, Some(hv), Some(social_worker)],
        "every version of the team is kept, in order"
    );
    let statuses: Vec<_> = team
        .social_care_history(child)
        .unwrap()
        .iter()
        .map(|s| (s.level, s.since))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (SocialCareLevel::EarlyHelp, day(3)),
            (SocialCareLevel::ChildProtectionPlan, day(24)),
        ]
    );
    let status = team.social_care_status(child).unwrap().unwrap();
    assert_eq!(
        status.summary(),
        format!(
            "Children's social care: child protection plan since 24 Nov 2026; {SOCIAL_WORKER}, \
             social worker (Fictional children's front door (MASH))"
        )
    );

    // Both changes are in the child's chronology, oldest first.
    let chronology = midwife.session.chronology_for_child(child).unwrap();
    let lines: Vec<&str> = chronology
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EntryKind::TeamAroundChild | EntryKind::SocialCareStatus
            )
        })
        .map(|e| e.summary.as_str())
        .collect();
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert!(lines[2].starts_with("Lead professional: health visitor"));
    assert!(lines[3].starts_with("Children's social care: early help since 3 Nov 2026"));
    assert!(lines[4].starts_with(&format!("Lead professional: {SOCIAL_WORKER}")));
    assert!(lines[5].starts_with("Children's social care: child protection plan"));

    // Sealed at rest: the social worker's name is in no database file.
    for (suffix, bytes) in store_bytes(&midwife.path) {
        assert!(
            !contains(&bytes, SOCIAL_WORKER.as_bytes()),
            "the social worker's name is in clear in field.db{suffix}"
        );
    }
}

#[test]
fn a_captured_contact_is_sealed_and_becomes_a_checklist_contact() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let team = midwife.session.team_around_child();
    team.involve(
        family.baby.id,
        NewInvolvement {
            contact: ContactRef::Captured {
                name: FAMILY_NURSE.into(),
                role: "family nurse, Fictional Family Nurse Partnership".into(),
                phone: "0113 496 0501".into(),
                out_of_hours_phone: None,
            },
            professional_name: None,
            role: ProfessionalRole::Other("family nurse".into()),
            leads_on: "parenting support".into(),
            from: day(2),
        },
    )
    .unwrap();
    let contacts = team.checklist_contacts(family.baby.id).unwrap();
    assert!(matches!(
        &contacts[..],
        [ContactRef::Captured { name, phone, .. }] if name == FAMILY_NURSE && phone == "0113 496 0501"
    ));
    for (suffix, bytes) in store_bytes(&midwife.path) {
        assert!(
            !contains(&bytes, FAMILY_NURSE.as_bytes()),
            "the captured contact's name is in clear in field.db{suffix}"
        );
    }
}

#[test]
fn the_team_around_the_child_is_kept_for_a_child_and_a_team_from_the_directory() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let team = midwife.session.team_around_child();
    let err = team
        .involve(
            family.mother.id,
            from_directory(region.health_visiting, ProfessionalRole::HealthVisitor, ""),
        )
        .unwrap_err();
    assert!(matches!(&err, AppError::Validation { field, .. } if field == "child"));
    let err = team
        .involve(
            family.baby.id,
            from_directory(TeamId::new(), ProfessionalRole::Gp, ""),
        )
        .unwrap_err();
    assert!(matches!(&err, AppError::NotFound { what, .. } if what == "team"));
    assert_eq!(team.team(family.baby.id).unwrap(), None, "nothing written");
}

#[test]
fn a_child_with_three_involved_teams_sharing_suggests_the_two_not_yet_told() {
    let (region, gp) = region_with_gp();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let team = midwife.session.team_around_child();
    let child = family.baby.id;
    team.involve(
        child,
        from_directory(region.health_visiting, ProfessionalRole::HealthVisitor, ""),
    )
    .unwrap();
    team.involve(
        child,
        from_directory(region.front_door, ProfessionalRole::SocialWorker, ""),
    )
    .unwrap();
    team.involve(child, from_directory(gp, ProfessionalRole::Gp, ""))
        .unwrap();
    // The practitioner's own team is on the team too; it is never suggested.
    team.involve(
        child,
        from_directory(
            region.midwifery,
            ProfessionalRole::Midwife,
            "antenatal care",
        ),
    )
    .unwrap();

    // The concern is captured and shared with the health visitors only.
    let captured = midwife
        .session
        .capture_observation(concern(
            child,
            Some(ShareRequest {
                team: region.health_visiting,
                message: "Please visit this week: mother's mental health.".into(),
                severity: None,
            }),
        ))
        .unwrap();
    let share = captured.share.expect("shared").share;
    assert_eq!(
        team.prompt_after_capture(captured.record.id)
            .unwrap()
            .as_deref(),
        Some(
            "Do not assume they already know. Share with the involved teams not yet told: \
             social worker (Fictional children's front door (MASH)); GP (Fictional Lane surgery)"
        )
    );

    let state = team.telling_state(captured.record.id).unwrap();
    assert_eq!(state.suggested_teams(), vec![region.front_door, gp]);
    assert_eq!(state.told.len(), 1);
    assert_eq!(state.told[0].member.team(), Some(region.health_visiting));
    assert_eq!(state.told[0].share, share);
    assert!(!state.told[0].acknowledged);

    // The share shows who has and has not been told about what it carried.
    let of_share = team.telling_state_of_share(share).unwrap();
    assert_eq!(of_share, vec![state.clone()]);

    // Once shared with the front door too, only the GP is left to tell.
    midwife
        .session
        .share_with_team(
            child,
            &[captured.record.id],
            &[],
            ShareRequest {
                team: region.front_door,
                message: "For the allocated social worker: mother's mental health.".into(),
                severity: None,
            },
        )
        .unwrap();
    let state = team.telling_state(captured.record.id).unwrap();
    assert_eq!(state.suggested_teams(), vec![gp]);
    midwife
        .session
        .share_with_team(
            child,
            &[captured.record.id],
            &[],
            ShareRequest {
                team: gp,
                message: "For the GP: mother's mental health.".into(),
                severity: None,
            },
        )
        .unwrap();
    assert_eq!(team.prompt_after_capture(captured.record.id).unwrap(), None);
}

#[test]
fn the_meeting_packs_health_staff_come_from_the_team_around_the_child() {
    let (region, gp) = region_with_gp();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let team = midwife.session.team_around_child();
    let child = family.baby.id;
    let hv = involve_health_visitor(&team, &region, child);
    team.involve(child, from_directory(gp, ProfessionalRole::Gp, ""))
        .unwrap();
    involve_social_worker(&team, &region, child, SOCIAL_WORKER, "");
    team.set_lead(child, hv).unwrap();

    let pack = team
        .prepare_meeting_pack(NewMeetingPack {
            child,
            meeting_type: MeetingType::CoreGroup,
            meeting_at: utc(2026, 11, 30, 14, 0),
            prepared_by: midwife.identity.practitioner,
            represents: vec!["antenatal and postnatal care".into()],
        })
        .unwrap();
    let staff: Vec<(String, String)> = pack
        .section(SectionKind::HealthStaff)
        .unwrap()
        .entries
        .iter()
        .map(|e| match &e.kind {
            PackKind::HealthStaff { name, role, .. } => (name.clone(), role.clone()),
            other => panic!("not health staff: {other:?}"),
        })
        .collect();
    assert_eq!(
        staff,
        vec![
            (
                "East health visiting".to_owned(),
                "health visitor, East health visiting; leads on feeding and weight — lead \
                 professional"
                    .to_owned()
            ),
            (
                "Fictional Lane surgery".to_owned(),
                "GP, Fictional Lane surgery".to_owned()
            ),
        ],
        "health roles only: the social worker is not health staff"
    );
}
