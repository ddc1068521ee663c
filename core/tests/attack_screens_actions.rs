//! Attack (issue 17 item 1, a reviewer's pass): a view record's action and the call behind it
//! must agree. An action a record offers enabled must be accepted by its call, and an action a
//! record disables must be refused by its call (or the shell's "disabled" is only a hint, and
//! a second path, a stale screen or another shell, writes what the screen said could not be).
//! Real stores, fixed clocks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::app::{AppError, Identity, ShareRequest, TeamMembership};
use safeshare_core::casework::meeting::{MeetingType, NewMeetingPack, SectionKind};
use safeshare_core::model::{Severity, MAX_FREE_TEXT_CHARS};
use safeshare_core::screens::{IncomingActionKind, MeetingActionKind, ShareActionKind, ShareDraft};
use safeshare_core::sync::EnvelopeKind;
use screens_support::*;

/// A health visitor in two teams receives a share to one of them; then enrolment (or a roster
/// change) says she is no longer in that team. The share stays on her phone and its screen
/// must not offer "Acknowledge" that the call refuses: either both accept or both refuse.
#[test]
fn a_share_to_a_team_the_practitioner_has_left_offers_no_acknowledgement_the_call_refuses() {
    let region = region();
    let now = utc(2026, 11, 24, 10, 0);
    let midwife = midwife(&region, now);
    let hv_identity = health_visitor_in_two_teams(&region);
    let hv = device(&region, hv_identity.clone(), now);
    let family = family(&midwife.session);
    let receipt = share(
        &midwife,
        family.baby.id,
        region.health_visiting,
        Severity::Concern,
    );
    carry(&midwife, &hv, EnvelopeKind::Share);

    // She leaves East health visiting.
    hv.session
        .set_identity(Identity {
            teams: vec![TeamMembership {
                id: region.front_door,
                name: "Front door".into(),
            }],
            ..hv.session.identity()
        })
        .unwrap();

    let screen = hv
        .session
        .incoming_share_screen(receipt.share, read_back())
        .unwrap();
    let acknowledge = screen
        .actions
        .iter()
        .find(|a| matches!(a.kind, IncomingActionKind::Acknowledge { .. }))
        .unwrap();
    let offered = acknowledge.enabled;
    let accepted = hv.session.acknowledge_share(receipt.share, read_back());
    assert_eq!(
        offered,
        accepted.is_ok(),
        "the screen offered Acknowledge ({offered}) but the call answered {accepted:?}"
    );
    // Nor do its words ask her to: the list opens it to read, and the status says whose it is.
    assert!(
        !screen.status.contains("To acknowledge") && !screen.status.contains("Acknowledge it"),
        "{}",
        screen.status
    );
    let list = hv.session.incoming_shares_screen().unwrap();
    let row = list.rows.iter().find(|r| r.share == receipt.share).unwrap();
    assert_eq!(row.actions[0].label, "Open");
    assert!(
        row.status.contains("a team you are no longer in"),
        "{}",
        row.status
    );
}

/// A message longer than the model's free-text limit: the Share screen's "Send" must not be
/// enabled if the call refuses it.
#[test]
fn a_share_message_too_long_to_send_is_not_offered_send() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    let family = family(&midwife.session);
    let message = "Please visit this week. ".repeat(MAX_FREE_TEXT_CHARS / 24 + 2);
    assert!(message.chars().count() > MAX_FREE_TEXT_CHARS);
    let draft = ShareDraft {
        about: family.baby.id,
        observations: Vec::new(),
        voice_notes: Vec::new(),
        postcode: None,
        team: Some(region.health_visiting),
        severity: Some(Severity::Concern),
        message: message.clone(),
    };
    let screen = midwife.session.share_screen(&draft).unwrap();
    let send = screen
        .actions
        .iter()
        .find(|a| matches!(a.kind, ShareActionKind::Send { .. }))
        .unwrap();
    let offered = send.enabled;
    let accepted = midwife.session.share_with_team(
        family.baby.id,
        &[],
        &[],
        ShareRequest {
            team: region.health_visiting,
            message,
            severity: Some(Severity::Concern),
        },
    );
    assert_eq!(
        offered,
        accepted.is_ok(),
        "the screen offered Send ({offered}) but the call answered {:?}",
        accepted.map(|_| ())
    );
    if !offered {
        assert!(
            send.detail
                .as_deref()
                .is_some_and(|d| d.contains("20000") || d.contains("20,000")),
            "the disabled Send says why: {:?}",
            send.detail
        );
    }
}

/// Before a meeting starts its pack's record disables "Record what you shared" and "Challenge
/// inaccurate minutes" ("From the meeting's start"). The calls must refuse too: a health record
/// saying what was shared at a conference, dated before the conference, is false.
#[test]
fn what_the_meeting_pack_disables_before_the_meeting_its_calls_refuse() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 11, 24, 10, 0));
    let family = family(&hv.session);
    let pack = hv
        .session
        .prepare_meeting_pack(NewMeetingPack {
            child: family.baby.id,
            meeting_type: MeetingType::CoreGroup,
            meeting_at: utc(2026, 11, 26, 14, 0),
            prepared_by: hv.identity.practitioner,
            represents: vec!["health visiting".into()],
        })
        .unwrap();
    let screen = hv.session.meeting_pack_screen(pack.id).unwrap();
    for kind in [
        MeetingActionKind::RecordShared { pack: pack.id },
        MeetingActionKind::ChallengeMinutes { pack: pack.id },
    ] {
        let action = screen.actions.iter().find(|a| a.kind == kind).unwrap();
        assert!(!action.enabled, "{kind:?} is offered before the meeting");
    }
    let shared = hv.session.record_shared_at_meeting(
        pack.id,
        "Shared the bruising seen on 20 November.",
        vec![SectionKind::OtherConcerns],
    );
    assert!(
        matches!(
            shared,
            Err(AppError::Refused { .. } | AppError::Validation { .. })
        ),
        "what was shared at a meeting two days away was recorded: {:?}",
        shared.map(|p| p.shared_at_meeting.len())
    );
    let challenged = hv.session.challenge_minutes(
        pack.id,
        "Health visitor had not seen the baby",
        "Health visitor saw the baby on 20 November",
        "the chair",
    );
    assert!(
        matches!(
            challenged,
            Err(AppError::Refused { .. } | AppError::Validation { .. })
        ),
        "minutes of a meeting two days away were challenged: {:?}",
        challenged.map(|p| p.minutes_challenges.len())
    );
    // Nothing was added, and from the start both are accepted.
    hv.clock.set(utc(2026, 11, 26, 14, 0));
    let screen = hv.session.meeting_pack_screen(pack.id).unwrap();
    assert!(screen.shared.is_empty() && screen.challenges.is_empty());
    hv.session
        .record_shared_at_meeting(
            pack.id,
            "Shared the bruising seen on 20 November.",
            vec![SectionKind::OtherConcerns],
        )
        .unwrap();
}

/// The Referrals screen offers "escalate" only once the front door's decision is recorded (a
/// referral with no decision is chased by phone). The call must agree: an escalation opened
/// with no decision left the referral unable to take its decision later (a "not accepted"
/// decision opens the ladder, which already existed), so it stayed "decision overdue".
#[test]
fn an_escalation_the_referrals_screen_does_not_offer_is_refused_by_its_call() {
    use safeshare_core::app::NewReferralInput;
    use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel};
    use safeshare_core::screens::ReferralActionKind;

    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 24, 10, 0));
    let family = family(&midwife.session);
    let referral = midwife
        .session
        .record_referral(NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby in the home.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id;
    let screen = midwife.session.referrals_screen().unwrap();
    let offered = screen.rows.iter().any(|r| {
        r.actions
            .iter()
            .any(|a| matches!(a.kind, ReferralActionKind::OpenEscalation { .. }))
    });
    assert!(!offered, "escalation offered before any decision");
    let opened = midwife.session.open_escalation(referral);
    assert!(
        matches!(opened, Err(AppError::Refused { .. })),
        "an escalation the screen does not offer was opened: {:?}",
        opened.map(|_| ())
    );
    // The decision, when it comes, is recorded and opens the ladder.
    midwife
        .session
        .record_referral_decision(
            referral,
            DecisionOutcome::NotAccepted {
                reasons: "Below threshold".into(),
            },
            false,
            None,
        )
        .unwrap();
}
