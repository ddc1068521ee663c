//! The Meeting pack screens as core builds them (issue 17 item 1), on a real store: a Child
//! Protection Conference pack prepared in BST for a meeting after the clocks go back, with what
//! is missing before it (supervision oversight, health staff, the child's voice), health staff
//! taken from the team around the child as it is now with the directory's numbers, supervision
//! recorded clearing the prompt, and after the meeting what was shared and a challenge to the
//! minutes recorded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::SupervisionInput;
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::meeting::{MeetingType, NewMeetingPack, SectionKind};
use safeshare_core::casework::supervision::CaseDiscussed;
use safeshare_core::casework::team_around_child::{NewInvolvement, ProfessionalRole};
use safeshare_core::model::TeamId;
use safeshare_core::screens::{MeetingActionKind, Tone};

fn involve(
    device: &Device,
    child: safeshare_core::model::PersonId,
    team: TeamId,
    role: ProfessionalRole,
) {
    device
        .session
        .team_around_child()
        .involve(
            child,
            NewInvolvement {
                contact: ContactRef::Directory {
                    team,
                    label: String::new(),
                },
                professional_name: None,
                role,
                leads_on: String::new(),
                from: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            },
        )
        .unwrap();
}

#[test]
fn a_conference_pack_shows_what_is_missing_then_what_was_shared() {
    let region = region();
    // Monday 25 October 2027, 10:00 UTC = 11:00 BST; the conference is on Monday 1 November at
    // 10:00 GMT, after the clocks go back on Sunday 31 October.
    let hv = health_visitor(&region, utc(2027, 10, 25, 10, 0));
    let family = family(&hv.session);
    let baby = family.baby.id;

    let list = hv.session.meeting_packs_screen(baby).unwrap();
    assert_eq!(list.title, "Meeting packs");
    assert_eq!(list.child, CHILD_NAME);
    assert_eq!(
        list.empty.as_deref(),
        Some("No meeting packs for this child yet.")
    );
    assert_eq!(
        list.actions[0].kind,
        MeetingActionKind::Prepare { child: baby }
    );
    assert_eq!(list.actions[0].label, "Prepare a meeting pack");

    let pack = hv
        .session
        .prepare_meeting_pack(NewMeetingPack {
            child: baby,
            meeting_type: MeetingType::ChildProtectionConference,
            meeting_at: utc(2027, 11, 1, 10, 0),
            prepared_by: hv.identity.practitioner,
            represents: vec!["health visiting".into(), " ".into()],
        })
        .unwrap();
    let screen = hv.session.meeting_pack_screen(pack.id).unwrap();
    assert_eq!(
        screen.title,
        format!("Child Protection Conference: {CHILD_NAME}")
    );
    assert_eq!(screen.meeting, "Meeting Mon 1 Nov 10:00");
    assert_eq!(screen.prepared, "Prepared today 11:00");
    assert_eq!(screen.represents, "Representing: health visiting");
    assert_eq!(screen.tone, Tone::ActionNeeded);
    assert_eq!(
        screen.missing,
        [
            "Seek safeguarding supervision for this child before the Child Protection \
             Conference: no supervision is recorded.",
            "No health staff recorded in the team around the child: add who is involved so \
             their names and numbers go to the meeting.",
            "The child's voice is not in this pack: record what the child said or how they \
             seemed, then prepare the pack again.",
        ]
    );
    let titles: Vec<&str> = screen.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Health needs and long-term conditions",
            "Medication and its significance",
            "Was not brought",
            "Growth",
            "Follow-up appointments",
            "Health care plan",
            "The child's voice",
            "Other concerns recorded",
            "Health staff involved",
        ]
    );
    assert!(screen
        .sections
        .iter()
        .all(|s| s.lines.is_empty() && s.empty.as_deref() == Some("None recorded")));
    let kinds: Vec<&MeetingActionKind> = screen.actions.iter().map(|a| &a.kind).collect();
    assert_eq!(
        kinds,
        [
            &MeetingActionKind::RecordSupervision { child: baby },
            &MeetingActionKind::AddHealthStaff { child: baby },
            &MeetingActionKind::RecordShared { pack: pack.id },
            &MeetingActionKind::ChallengeMinutes { pack: pack.id },
        ]
    );
    // Nothing to record about the meeting before it starts.
    assert!(!screen.actions[2].enabled);
    assert_eq!(
        screen.actions[2].detail.as_deref(),
        Some("From the meeting's start (Mon 1 Nov 10:00).")
    );
    assert!(!screen.actions[3].enabled);

    // The health visiting team and the social worker join the team around the child after
    // the pack was prepared: the pack's health staff are the team as it is now, health roles
    // only, with the directory's numbers.
    involve(
        &hv,
        baby,
        region.health_visiting,
        ProfessionalRole::HealthVisitor,
    );
    involve(&hv, baby, region.front_door, ProfessionalRole::SocialWorker);
    // Tuesday 26 October, 14:00 UTC = 15:00 BST: supervision about the child.
    hv.clock.set(utc(2027, 10, 26, 14, 0));
    hv.session
        .record_supervision(SupervisionInput {
            supervisor: "Alex Lead, named nurse for safeguarding".into(),
            held_at: utc(2027, 10, 26, 13, 0),
            cases: vec![CaseDiscussed {
                person: baby,
                summary: "Bruising explained; conference recommendation discussed.".into(),
            }],
            actions: vec![],
        })
        .unwrap();
    let screen = hv.session.meeting_pack_screen(pack.id).unwrap();
    assert_eq!(
        screen.missing,
        [
            "The child's voice is not in this pack: record what the child said or how they \
          seemed, then prepare the pack again."
        ]
    );
    let staff = screen
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::HealthStaff)
        .unwrap();
    assert_eq!(
        staff.lines,
        [
            "East health visiting, health visitor, East health visiting · 0113 496 0201 / \
          0113 496 0202 / 0113 496 0900"
        ]
    );
    assert_eq!(staff.empty, None);
    assert_eq!(
        screen.actions.len(),
        2,
        "only the after-meeting actions remain"
    );

    let list = hv.session.meeting_packs_screen(baby).unwrap();
    assert_eq!(list.rows[0].title, "Child Protection Conference");
    assert_eq!(list.rows[0].meeting, "Mon 1 Nov 10:00");
    assert_eq!(list.rows[0].status, "1 thing missing before the meeting");
    assert_eq!(list.rows[0].tone, Tone::ActionNeeded);

    // Monday 1 November, 11:30 GMT: the conference has been held.
    hv.clock.set(utc(2027, 11, 1, 11, 30));
    let screen = hv.session.meeting_pack_screen(pack.id).unwrap();
    assert!(screen.missing.is_empty());
    assert_eq!(screen.meeting, "Meeting today 10:00");
    assert_eq!(screen.prepared, "Prepared Mon 25 Oct 11:00");
    assert_eq!(
        screen.tone,
        Tone::ActionNeeded,
        "what was shared is not yet recorded"
    );
    assert!(screen.actions.iter().all(|a| a.enabled));
    let list = hv.session.meeting_packs_screen(baby).unwrap();
    assert_eq!(list.rows[0].status, "Held: record what you shared");

    hv.session
        .record_shared_at_meeting(
            pack.id,
            "Shared the bruising seen on 20 October and the growth concern.",
            vec![SectionKind::Growth, SectionKind::OtherConcerns],
        )
        .unwrap();
    hv.session
        .challenge_minutes(
            pack.id,
            "Health visitor had not seen the baby since birth",
            "Health visitor saw the baby on 20 October",
            "the conference chair",
        )
        .unwrap();
    let screen = hv.session.meeting_pack_screen(pack.id).unwrap();
    assert_eq!(screen.tone, Tone::Done);
    assert_eq!(
        screen.shared,
        [
            "today 11:30: Shared the bruising seen on 20 October and the growth concern. \
          (covered: Growth; Other concerns recorded)"
        ]
    );
    assert_eq!(
        screen.challenges,
        [
            "today 11:30: the minutes say \"Health visitor had not seen the baby since birth\"; \
          they should say \"Health visitor saw the baby on 20 October\" (raised with the \
          conference chair)"
        ]
    );
    let list = hv.session.meeting_packs_screen(baby).unwrap();
    assert_eq!(list.rows[0].status, "Held: what was shared is recorded");
    assert_eq!(list.rows[0].tone, Tone::Done);

    // A blank summary is refused and nothing is added.
    assert!(hv
        .session
        .record_shared_at_meeting(pack.id, "  ", vec![])
        .is_err());
    assert_eq!(
        hv.session
            .meeting_pack_screen(pack.id)
            .unwrap()
            .shared
            .len(),
        1
    );
}

#[test]
fn a_core_group_pack_asks_for_no_supervision_and_shows_recorded_concerns() {
    let region = region();
    // Wednesday 2 December 2026, 09:00 GMT.
    let hv = health_visitor(&region, utc(2026, 12, 2, 9, 0));
    let family = family(&hv.session);
    let baby = family.baby.id;
    hv.session
        .capture_observation(safeshare_core::app::NewObservationInput {
            about: baby,
            visit: None,
            category: safeshare_core::model::ConcernCategory::GrowthOrWeight,
            severity: safeshare_core::model::Severity::Concern,
            evidence: safeshare_core::model::Evidence::ObservedFact,
            description: "Weight dropped from the 50th to the 9th centile since birth.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap();
    involve(&hv, baby, region.midwifery, ProfessionalRole::Midwife);
    let pack = hv
        .session
        .prepare_meeting_pack(NewMeetingPack {
            child: baby,
            meeting_type: MeetingType::CoreGroup,
            meeting_at: utc(2026, 12, 3, 14, 0),
            prepared_by: hv.identity.practitioner,
            represents: vec!["health visiting".into()],
        })
        .unwrap();
    let screen = hv.session.meeting_pack_screen(pack.id).unwrap();
    assert_eq!(screen.title, format!("Core Group: {CHILD_NAME}"));
    assert_eq!(screen.meeting, "Meeting tomorrow 14:00");
    // Only the child's voice is missing: no supervision prompt for a core group.
    assert_eq!(screen.missing.len(), 1);
    let growth = screen
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Growth)
        .unwrap();
    assert_eq!(
        growth.lines,
        ["today 09:00 · concern: Weight dropped from the 50th to the 9th centile since birth."]
    );
    let staff = screen
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::HealthStaff)
        .unwrap();
    assert_eq!(
        staff.lines,
        [
            "West community midwifery, midwife, West community midwifery · 0113 496 0101 / \
          0113 496 0000"
        ]
    );
}
