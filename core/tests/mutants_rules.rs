//! The Today index's listing windows, asserted at their edges.
//!
//! `referral_listed_from`, `share_listed_from` and `escalation_listed_from` tell the open-items
//! index from when a record can be on "needs attention now", so a refresh reads only those
//! records. A window that starts too late hides an item from Today; one that starts too early,
//! or lists a record that can never be listed, makes every refresh read rows it need not. Each
//! test here pins the exact answer for one kind of record, and where the list itself can be
//! asked, checks that the list agrees at the instants either side of the window's edge.
//! (Written to catch the mutants tests/mutants found surviving; see README, "Testing".)
//!
//! Also the escalation ladder's step prompts word for word (a screen test elsewhere reads them,
//! but not in the rules group's tests) and its same-instant edges: a step or a resolution at
//! the last step's instant is accepted, one a second before it refused.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

mod rules_support;
use chrono::{DateTime, Duration, Utc};
use rules_support::{london, referral};
use safeshare_core::model::{PersonId, PractitionerId, ReferralId, Severity, ShareId, TeamId};
use safeshare_core::rules::acknowledgement::{Acknowledgement, ReadBack, Share, ShareRecord};
use safeshare_core::rules::attention::{
    escalation_listed_from, needs_attention_now, referral_listed_from, share_listed_from,
    AttentionItem, AttentionSettings, Caseload, ListedFrom,
};
use safeshare_core::rules::escalation::{
    EscalationError, EscalationLadder, EscalationStep, EscalationTrigger, Resolution, StepOutcome,
    StepRecord,
};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralDecision, ReferralRecord};
use safeshare_core::rules::working_time::WorkingTime;

/// Whether `listed` includes `now`, as the index reads it.
fn includes(listed: ListedFrom, now: DateTime<Utc>) -> bool {
    match listed {
        ListedFrom::Never => false,
        ListedFrom::Always => true,
        ListedFrom::From(from) => now >= from,
    }
}

fn decided(mut record: ReferralRecord, outcome: DecisionOutcome) -> ReferralRecord {
    let arrived_at = record.referral.sent_at + Duration::hours(3);
    let recorded_by = record.referral.referrer;
    record
        .record_decision(ReferralDecision {
            outcome,
            feedback_to_family_given: false,
            arrived_at,
            recorded_by,
        })
        .unwrap();
    record
}

fn not_accepted() -> DecisionOutcome {
    DecisionOutcome::NotAccepted {
        reasons: "Below threshold".into(),
    }
}

fn share(by: PractitionerId, team: TeamId, severity: Severity, sent_at: DateTime<Utc>) -> Share {
    Share {
        id: ShareId::new(),
        about: PersonId::new(),
        sender: by,
        team,
        team_name: "Northshire 0-19 team".into(),
        severity,
        sent_at,
    }
}

fn acknowledged(share: Share, at: DateTime<Utc>) -> ShareRecord {
    let team = share.team;
    let mut record = ShareRecord::new(share);
    record
        .acknowledge(Acknowledgement {
            by: PractitionerId::new(),
            team,
            at,
            read_back: ReadBack {
                who: "the baby".into(),
                risk: "weight faltering".into(),
                next_action: "weigh at clinic Thursday".into(),
            },
        })
        .unwrap();
    record
}

/// The list for `me` at `now`, over the given records.
fn list(me: PractitionerId, caseload: Caseload<'_>, now: DateTime<Utc>) -> Vec<AttentionItem> {
    needs_attention_now(
        me,
        caseload,
        &WorkingTime::england_and_wales(),
        &AttentionSettings::default(),
        now,
    )
    .unwrap()
}

/// The list and the window agree at the window's edge: the one record in `caseload` is not
/// listed a second before `from`, and is listed at `from`.
fn assert_listed_exactly_from(
    me: PractitionerId,
    caseload: Caseload<'_>,
    listed: ListedFrom,
    from: DateTime<Utc>,
) {
    let before = from - Duration::seconds(1);
    assert!(list(me, caseload, before).is_empty());
    assert!(!includes(listed, before));
    assert_eq!(list(me, caseload, from).len(), 1);
    assert!(includes(listed, from));
}

#[test]
fn an_undecided_referral_is_listed_from_the_soon_window_before_its_decision_is_due() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    // Sent Monday 30 November 2026 10:00: the decision is due Tuesday 10:00, "soon" from 08:00.
    let record = referral(me, PersonId::new(), london(2026, 11, 30, 10, 0));
    let from = london(2026, 12, 1, 8, 0);
    let listed = referral_listed_from(&record, me, false, &rule, &settings);
    assert_eq!(listed, ListedFrom::From(from));

    let referrals = [record];
    let caseload = Caseload {
        referrals: &referrals,
        ..Caseload::default()
    };
    assert_listed_exactly_from(me, caseload, listed, from);

    // Someone else's referral is never on my list.
    let colleague = PractitionerId::new();
    assert_eq!(
        referral_listed_from(&referrals[0], colleague, false, &rule, &settings),
        ListedFrom::Never
    );
}

#[test]
fn a_referral_not_accepted_is_listed_at_once_until_an_escalation_ladder_is_opened() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let sent = london(2026, 11, 30, 10, 0);
    let record = decided(referral(me, PersonId::new(), sent), not_accepted());

    // No ladder yet: "review and re-refer" is on the list at every instant, even before the
    // decision's due time, so the window must be Always.
    assert_eq!(
        referral_listed_from(&record, me, false, &rule, &settings),
        ListedFrom::Always
    );
    let referrals = [record.clone()];
    let caseload = Caseload {
        referrals: &referrals,
        ..Caseload::default()
    };
    assert_eq!(list(me, caseload, sent).len(), 1);
    assert_eq!(list(me, caseload, sent + Duration::days(30)).len(), 1);

    // With a ladder open, the ladder's own steps are listed instead and the referral never is.
    assert_eq!(
        referral_listed_from(&record, me, true, &rule, &settings),
        ListedFrom::Never
    );
    let ladder = EscalationLadder::open(
        record.referral.id,
        me,
        EscalationTrigger::NotAccepted,
        sent + Duration::hours(4),
    );
    let ladders = [ladder];
    let with_ladder = Caseload {
        referrals: &referrals,
        escalations: &ladders,
        ..Caseload::default()
    };
    // Just after the decision nothing is due on the ladder yet, and the referral is not listed.
    assert!(list(me, with_ladder, sent + Duration::hours(4)).is_empty());
}

#[test]
fn an_accepted_referral_is_never_listed_with_or_without_a_ladder() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let accepted = decided(
        referral(me, PersonId::new(), london(2026, 11, 30, 10, 0)),
        DecisionOutcome::Accepted {
            response: "Strategy discussion".into(),
        },
    );
    for has_escalation in [false, true] {
        assert_eq!(
            referral_listed_from(&accepted, me, has_escalation, &rule, &settings),
            ListedFrom::Never
        );
    }
}

#[test]
fn an_immediate_risk_share_i_sent_is_listed_at_every_instant_until_acknowledged() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let sent = london(2026, 11, 30, 10, 45);
    let sent_share = share(me, TeamId::new(), Severity::ImmediateRisk, sent);
    let due = sent_share
        .acknowledgement_due(&rule, &settings.acknowledgement)
        .unwrap();
    let record = ShareRecord::new(sent_share);
    let listed = share_listed_from(&record, me, &[], &rule, &settings);
    assert_eq!(listed, ListedFrom::Always);

    // "Phone now" is listed whatever the due time, including before the soon window opens
    // (a sending device's clock ahead of this one's puts `sent_at` in this device's future).
    let shares = [record];
    let caseload = Caseload {
        shares: &shares,
        ..Caseload::default()
    };
    let early = due - Duration::minutes(i64::from(settings.soon_minutes)) - Duration::seconds(1);
    let items = list(me, caseload, early);
    assert_eq!(items.len(), 1);
    assert!(items[0].immediate_risk);
    assert!(includes(listed, early));
}

#[test]
fn a_routine_share_i_sent_is_listed_from_the_soon_window_before_acknowledgement_is_due() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let sent_share = share(
        me,
        TeamId::new(),
        Severity::Concern,
        london(2026, 11, 30, 10, 0),
    );
    let due = sent_share
        .acknowledgement_due(&rule, &settings.acknowledgement)
        .unwrap();
    let from = due - Duration::minutes(i64::from(settings.soon_minutes));
    let record = ShareRecord::new(sent_share);
    let listed = share_listed_from(&record, me, &[], &rule, &settings);
    assert_eq!(listed, ListedFrom::From(from));

    let shares = [record];
    let caseload = Caseload {
        shares: &shares,
        ..Caseload::default()
    };
    assert_listed_exactly_from(me, caseload, listed, from);
}

#[test]
fn a_share_to_my_team_from_someone_else_is_listed_at_once_until_acknowledged() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let sender = PractitionerId::new();
    let my_team = TeamId::new();
    let sent = london(2026, 11, 30, 10, 0);
    let teams = [my_team];

    // Unacknowledged: listed for every member from the start.
    let incoming = ShareRecord::new(share(sender, my_team, Severity::LowLevelConcern, sent));
    assert_eq!(
        share_listed_from(&incoming, me, &teams, &rule, &settings),
        ListedFrom::Always
    );
    let shares = [incoming];
    let caseload = Caseload {
        shares: &shares,
        teams: &teams,
        ..Caseload::default()
    };
    assert_eq!(list(me, caseload, sent).len(), 1);

    // Acknowledged by a colleague: never again on my list (I did not send it).
    let done = acknowledged(
        share(sender, my_team, Severity::LowLevelConcern, sent),
        sent + Duration::hours(1),
    );
    assert_eq!(
        share_listed_from(&done, me, &teams, &rule, &settings),
        ListedFrom::Never
    );

    // To a team I am not in: never mine, acknowledged or not.
    let elsewhere = ShareRecord::new(share(sender, TeamId::new(), Severity::Concern, sent));
    assert_eq!(
        share_listed_from(&elsewhere, me, &teams, &rule, &settings),
        ListedFrom::Never
    );
}

#[test]
fn a_share_i_sent_to_my_own_team_is_listed_as_sent_not_as_incoming() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let my_team = TeamId::new();
    let teams = [my_team];
    let sent_share = share(me, my_team, Severity::Concern, london(2026, 11, 30, 10, 0));
    let due = sent_share
        .acknowledgement_due(&rule, &settings.acknowledgement)
        .unwrap();
    let record = ShareRecord::new(sent_share);
    // Only the chase window: I do not acknowledge my own share.
    assert_eq!(
        share_listed_from(&record, me, &teams, &rule, &settings),
        ListedFrom::From(due - Duration::minutes(i64::from(settings.soon_minutes)))
    );
}

#[test]
fn an_escalation_ladder_is_listed_from_the_soon_window_before_its_next_step() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let ladder = EscalationLadder::open(
        ReferralId::new(),
        me,
        EscalationTrigger::NotAccepted,
        london(2026, 11, 30, 10, 0),
    );
    let next = ladder
        .next_due(&rule, settings.escalation_step)
        .unwrap()
        .unwrap();
    let from = next.due - Duration::minutes(i64::from(settings.soon_minutes));
    let listed = escalation_listed_from(&ladder, me, &rule, &settings);
    assert_eq!(listed, ListedFrom::From(from));
    assert_eq!(
        escalation_listed_from(&ladder, PractitionerId::new(), &rule, &settings),
        ListedFrom::Never
    );

    let ladders = [ladder];
    let caseload = Caseload {
        escalations: &ladders,
        ..Caseload::default()
    };
    assert!(list(me, caseload, from - Duration::seconds(1)).is_empty());
    assert_eq!(list(me, caseload, from).len(), 1);
}

// --- The escalation ladder's words and its same-instant edges -------------------------------

/// One step of `ladder`, done at `at`.
fn step_done(step: EscalationStep, at: DateTime<Utc>) -> StepRecord {
    StepRecord {
        step,
        taken_at: at,
        taken_by: PractitionerId::new(),
        outcome: StepOutcome::Done("Re-referred with the chronology".into()),
    }
}

#[test]
fn each_escalation_step_asks_for_its_own_action_in_words() {
    let prompts: Vec<&str> = EscalationStep::ALL.iter().map(|s| s.prompt()).collect();
    assert_eq!(
        prompts,
        [
            "Review the referral and re-refer with more information.",
            "Check the local thresholds for an Early Help response.",
            "Contact the other professionals involved for collateral history.",
            "Seek advice from the practice safeguarding lead or the named or designated professional.",
            "Follow the local escalation (professional disagreement) procedure.",
        ]
    );
}

#[test]
fn an_escalation_step_taken_at_the_instant_of_the_last_one_is_recorded() {
    let opened = london(2026, 11, 30, 10, 0);
    let mut ladder = EscalationLadder::open(
        ReferralId::new(),
        PractitionerId::new(),
        EscalationTrigger::NotAccepted,
        opened,
    );
    // A step can be taken the moment the ladder opens (the decision came in a call that ended
    // with the re-referral), and the next at that same instant.
    ladder
        .record(step_done(EscalationStep::ReviewAndReRefer, opened))
        .unwrap();
    ladder
        .record(step_done(EscalationStep::CheckEarlyHelpThresholds, opened))
        .unwrap();
    assert_eq!(ladder.steps().len(), 2);
    assert_eq!(
        ladder.record(step_done(
            EscalationStep::SeekCollateralHistory,
            opened - Duration::seconds(1)
        )),
        Err(EscalationError::BeforePrevious)
    );
    assert_eq!(ladder.steps().len(), 2);
}

#[test]
fn an_escalation_is_resolved_at_or_after_its_last_step_never_before() {
    let opened = london(2026, 11, 30, 10, 0);
    let stepped = opened + Duration::hours(2);
    let mut ladder = EscalationLadder::open(
        ReferralId::new(),
        PractitionerId::new(),
        EscalationTrigger::InadequateResponse,
        opened,
    );
    ladder
        .record(step_done(EscalationStep::ReviewAndReRefer, stepped))
        .unwrap();
    let resolution = |at| Resolution {
        at,
        by: PractitionerId::new(),
        reason: "Re-referral accepted for assessment".into(),
    };
    // After the opening but before the last step: refused, nothing recorded.
    assert_eq!(
        ladder.resolve(resolution(stepped - Duration::seconds(1))),
        Err(EscalationError::BeforePrevious)
    );
    assert_eq!(ladder.resolution(), None);
    let closed = resolution(stepped);
    ladder.resolve(closed.clone()).unwrap();
    assert_eq!(ladder.resolution(), Some(&closed));
    assert_eq!(ladder.next_step(), None);
}
