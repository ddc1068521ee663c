//! "Needs attention now" for a practitioner at an instant: every overdue or soon-due item with
//! its due time and why, most urgent first, and nothing that belongs to someone else or is not
//! yet near.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

mod rules_support;
use chrono::{DateTime, Utc};
use rules_support::{london, referral};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{
    ConcernCategory, ObservationId, PersonId, PractitionerId, ReferralId, Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::{Acknowledgement, ReadBack, Share, ShareRecord};
use safeshare_core::rules::attention::{
    needs_attention, needs_attention_now, AttentionKind, AttentionSettings, Caseload, ChecklistDue,
    UnreadableShare,
};
use safeshare_core::rules::escalation::{
    EscalationLadder, EscalationStep, EscalationTrigger, StepOutcome, StepRecord,
};
use safeshare_core::rules::patterns::{detect, ChronologyEntry, EntryKind, PatternThresholds};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralDecision};
use safeshare_core::rules::working_time::WorkingTime;

fn share(
    by: PractitionerId,
    about: PersonId,
    severity: Severity,
    sent_at: DateTime<Utc>,
) -> ShareRecord {
    ShareRecord::new(Share {
        id: ShareId::new(),
        about,
        sender: by,
        team: TeamId::new(),
        team_name: format!("{severity:?} team"),
        severity,
        sent_at,
    })
}

#[test]
fn everything_overdue_or_due_soon_is_listed_most_urgent_first() {
    let rule = WorkingTime::england_and_wales();
    let settings = AttentionSettings::default();
    let me = PractitionerId::new();
    let colleague = PractitionerId::new();
    let child = PersonId::new();
    // Now: Monday 30 November 2026, 11:00.
    let now = london(2026, 11, 30, 11, 0);

    // Referral sent Friday 10:00 -> decision was due Monday 10:00: chase (overdue 1 hour).
    let overdue_referral = referral(me, child, london(2026, 11, 27, 10, 0));
    // Referral sent Friday 12:30 -> due Monday 12:30: due soon.
    let soon_referral = referral(me, child, london(2026, 11, 27, 12, 30));
    // Referral sent Monday 10:30 -> due Tuesday: not listed.
    let later_referral = referral(me, child, london(2026, 11, 30, 10, 30));
    // A colleague's overdue referral: not listed.
    let colleagues_referral = referral(colleague, child, london(2026, 11, 20, 10, 0));

    // Immediate-risk share sent 10:45, not acknowledged: due 11:45, phone now, listed first.
    let immediate = share(
        me,
        child,
        Severity::ImmediateRisk,
        london(2026, 11, 30, 10, 45),
    );
    // Concern sent Friday 14:00 -> due Monday 10:00: call the team now.
    let overdue_share = share(me, child, Severity::Concern, london(2026, 11, 27, 14, 0));
    // Low-level share acknowledged, read-back not yet checked.
    let mut acknowledged = share(
        me,
        child,
        Severity::LowLevelConcern,
        london(2026, 11, 27, 9, 0),
    );
    let team = acknowledged.share.team;
    acknowledged
        .acknowledge(Acknowledgement {
            by: PractitionerId::new(),
            team,
            at: london(2026, 11, 30, 9, 30),
            read_back: ReadBack {
                who: "the baby".into(),
                risk: "weight faltering".into(),
                next_action: "weigh at clinic Thursday".into(),
            },
        })
        .unwrap();

    // Escalation opened Thursday 10:00, first step taken Friday 9:00 -> next due Friday 17:00.
    let escalated = ReferralId::new();
    let mut ladder = EscalationLadder::open(
        escalated,
        me,
        EscalationTrigger::NotAccepted,
        london(2026, 11, 26, 10, 0),
    );
    ladder
        .record(StepRecord {
            step: EscalationStep::ReviewAndReRefer,
            taken_at: london(2026, 11, 27, 9, 0),
            taken_by: me,
            outcome: StepOutcome::Done("Re-referred with growth chart".into()),
        })
        .unwrap();

    // Three low-level concerns: a pattern alert.
    let entries: Vec<ChronologyEntry> = [1, 10, 20]
        .iter()
        .map(|d| ChronologyEntry {
            at: london(2026, 11, *d, 10, 0),
            about: Some(child),
            household: None,
            kind: EntryKind::Observation {
                id: ObservationId::new(),
                category: ConcernCategory::GrowthOrWeight,
                severity: Severity::LowLevelConcern,
            },
            summary: "weight below centile".into(),
        })
        .collect();
    let alerts = detect(&entries, child, &PatternThresholds::default()).unwrap();
    assert_eq!(alerts.len(), 1);

    let checklist = vec![
        ChecklistDue {
            label: "Discharge: follow-up appointments shared".into(),
            owner: me,
            about: Some(child),
            due: london(2026, 11, 30, 12, 0),
        },
        ChecklistDue {
            label: "Handover: out-of-hours numbers".into(),
            owner: me,
            about: Some(child),
            due: london(2026, 12, 2, 12, 0),
        },
    ];

    let referrals = vec![
        overdue_referral.clone(),
        soon_referral.clone(),
        later_referral,
        colleagues_referral,
    ];
    let shares = vec![
        immediate.clone(),
        overdue_share.clone(),
        acknowledged.clone(),
    ];
    let ladders = vec![ladder];
    let children = vec![child];
    let caseload = Caseload {
        referrals: &referrals,
        escalations: &ladders,
        shares: &shares,
        teams: &[],
        alerts: &alerts,
        children: &children,
        checklist: &checklist,
        unreadable_shares: &[],
    };
    let items = needs_attention_now(me, caseload, &rule, &settings, now).unwrap();
    let got: Vec<(&AttentionKind, DateTime<Utc>, bool)> =
        items.iter().map(|i| (&i.kind, i.due, i.overdue)).collect();

    let expected: Vec<(AttentionKind, DateTime<Utc>, bool)> = vec![
        (
            AttentionKind::AcknowledgementDueSoon {
                share: immediate.share.id,
                team: immediate.share.team,
                phone_now: true,
            },
            london(2026, 11, 30, 11, 45),
            false,
        ),
        (
            AttentionKind::EscalationStep {
                referral: escalated,
                step: EscalationStep::CheckEarlyHelpThresholds,
            },
            london(2026, 11, 27, 17, 0),
            true,
        ),
        (
            AttentionKind::CallTeamNow {
                share: overdue_share.share.id,
                team: overdue_share.share.team,
                team_name: "Concern team".into(),
            },
            london(2026, 11, 30, 10, 0),
            true,
        ),
        (
            AttentionKind::ChaseReferralDecision {
                referral: overdue_referral.referral.id,
                front_door: overdue_referral.referral.front_door,
            },
            london(2026, 11, 30, 10, 0),
            true,
        ),
        (
            AttentionKind::PatternAlert { key: alerts[0].key },
            london(2026, 11, 20, 10, 0),
            true,
        ),
        (
            AttentionKind::CheckReadBack {
                share: acknowledged.share.id,
            },
            london(2026, 11, 30, 9, 30),
            true,
        ),
        (
            AttentionKind::ChecklistItem {
                label: "Discharge: follow-up appointments shared".into(),
                about: Some(child),
            },
            london(2026, 11, 30, 12, 0),
            false,
        ),
        (
            AttentionKind::ReferralDecisionDueSoon {
                referral: soon_referral.referral.id,
            },
            london(2026, 11, 30, 12, 30),
            false,
        ),
    ];
    let expected: Vec<(&AttentionKind, DateTime<Utc>, bool)> =
        expected.iter().map(|(k, d, o)| (k, *d, *o)).collect();
    assert_eq!(got, expected);
    assert!(items[0].why.contains("phone Immediate"));
    assert!(items[0].why.contains("not only send"));
    assert!(items[2].why.starts_with("Call Concern team now"));
}

#[test]
fn a_referral_not_accepted_without_an_escalation_asks_for_the_first_step_at_once() {
    let rule = WorkingTime::england_and_wales();
    let me = PractitionerId::new();
    let child = PersonId::new();
    let mut record = referral(me, child, london(2026, 11, 23, 10, 0));
    record
        .record_decision(ReferralDecision {
            outcome: DecisionOutcome::NotAccepted {
                reasons: "Below threshold".into(),
            },
            feedback_to_family_given: false,
            arrived_at: london(2026, 11, 23, 15, 0),
            recorded_by: me,
        })
        .unwrap();
    let referrals = vec![record.clone()];
    let items = needs_attention_now(
        me,
        Caseload {
            referrals: &referrals,
            ..Caseload::default()
        },
        &rule,
        &AttentionSettings::default(),
        london(2026, 11, 23, 15, 5),
    )
    .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].kind,
        AttentionKind::EscalationStep {
            referral: record.referral.id,
            step: EscalationStep::ReviewAndReRefer
        }
    );
    assert!(items[0].overdue);
    assert!(items[0].why.contains("not accepted"));
}

#[test]
fn the_list_follows_the_clock_it_is_given() {
    let rule = WorkingTime::england_and_wales();
    let me = PractitionerId::new();
    let referrals = vec![referral(me, PersonId::new(), london(2026, 11, 27, 15, 0))];
    let caseload = Caseload {
        referrals: &referrals,
        ..Caseload::default()
    };
    let settings = AttentionSettings::default();
    let clock = FixedClock::new(london(2026, 11, 30, 12, 59));
    assert!(needs_attention(me, caseload, &rule, &settings, &clock)
        .unwrap()
        .is_empty());
    clock.advance(chrono::Duration::minutes(1));
    let items = needs_attention(me, caseload, &rule, &settings, &clock).unwrap();
    assert!(matches!(
        items[0].kind,
        AttentionKind::ReferralDecisionDueSoon { .. }
    ));
    assert!(!items[0].overdue);
    clock.advance(chrono::Duration::hours(2));
    let items = needs_attention(me, caseload, &rule, &settings, &clock).unwrap();
    assert!(matches!(
        items[0].kind,
        AttentionKind::ChaseReferralDecision { .. }
    ));
    assert!(items[0].overdue);
}

#[test]
fn a_share_to_my_team_awaiting_acknowledgement_is_listed_for_every_member() {
    let rule = WorkingTime::england_and_wales();
    let sender = PractitionerId::new();
    let me = PractitionerId::new();
    let child = PersonId::new();
    let incoming = share(
        sender,
        child,
        Severity::LowLevelConcern,
        london(2026, 11, 23, 10, 0),
    );
    let my_team = incoming.share.team;
    let elsewhere = share(
        sender,
        child,
        Severity::Concern,
        london(2026, 11, 23, 10, 0),
    );
    let shares = vec![incoming.clone(), elsewhere];
    let teams = vec![my_team];
    let caseload = Caseload {
        shares: &shares,
        teams: &teams,
        ..Caseload::default()
    };
    let items = needs_attention_now(
        me,
        caseload,
        &rule,
        &AttentionSettings::default(),
        london(2026, 11, 23, 10, 5),
    )
    .unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].kind,
        AttentionKind::AcknowledgeIncomingShare {
            share: incoming.share.id,
            team: my_team
        }
    );
    assert_eq!(items[0].due, london(2026, 11, 24, 10, 0));
    assert!(!items[0].overdue);

    // Once a colleague acknowledges it, it leaves everyone's list.
    let mut acknowledged = incoming.clone();
    acknowledged
        .acknowledge(Acknowledgement {
            by: PractitionerId::new(),
            team: my_team,
            at: london(2026, 11, 23, 11, 0),
            read_back: ReadBack {
                who: "the baby".into(),
                risk: "missed weigh-ins".into(),
                next_action: "home visit this week".into(),
            },
        })
        .unwrap();
    let shares = vec![acknowledged];
    let items = needs_attention_now(
        me,
        Caseload {
            shares: &shares,
            teams: &teams,
            ..Caseload::default()
        },
        &rule,
        &AttentionSettings::default(),
        london(2026, 11, 23, 11, 5),
    )
    .unwrap();
    assert!(items.is_empty());
}

#[test]
fn nothing_due_means_an_empty_list() {
    let rule = WorkingTime::england_and_wales();
    let me = PractitionerId::new();
    let referrals = vec![referral(me, PersonId::new(), london(2026, 11, 23, 10, 0))];
    let items = needs_attention_now(
        me,
        Caseload {
            referrals: &referrals,
            ..Caseload::default()
        },
        &rule,
        &AttentionSettings::default(),
        london(2026, 11, 23, 10, 5),
    )
    .unwrap();
    assert!(items.is_empty());
}

#[test]
fn a_share_this_phone_cannot_open_still_needs_attention_until_acknowledged() {
    let rule = WorkingTime::england_and_wales();
    let me = PractitionerId::new();
    let (my_team, other_team, sender_team) = (TeamId::new(), TeamId::new(), TeamId::new());
    let due = london(2026, 11, 23, 14, 0);
    let unreadable = |team, answered, immediate_risk| UnreadableShare {
        envelope: ulid::Ulid::new(),
        team,
        team_name: "Health Visiting North".into(),
        sender_team: Some(sender_team),
        due,
        immediate_risk,
        answered,
    };
    let waiting = unreadable(my_team, false, false);
    let urgent = unreadable(my_team, false, true);
    let list = vec![
        waiting.clone(),
        urgent.clone(),
        unreadable(my_team, true, true),
        unreadable(other_team, false, true),
    ];
    let teams = vec![my_team];
    let items = needs_attention_now(
        me,
        Caseload {
            teams: &teams,
            unreadable_shares: &list,
            ..Caseload::default()
        },
        &rule,
        &AttentionSettings::default(),
        london(2026, 11, 23, 15, 0),
    )
    .unwrap();
    // Only the two unanswered ones to my team; the immediate risk first; both overdue by now.
    let kinds: Vec<&AttentionKind> = items.iter().map(|i| &i.kind).collect();
    assert_eq!(
        kinds,
        vec![
            &AttentionKind::IncomingShareNotReadable {
                envelope: urgent.envelope,
                team: my_team,
                sender_team: Some(sender_team),
            },
            &AttentionKind::IncomingShareNotReadable {
                envelope: waiting.envelope,
                team: my_team,
                sender_team: Some(sender_team),
            },
        ]
    );
    assert!(items[0].immediate_risk && !items[1].immediate_risk);
    assert!(items.iter().all(|i| i.overdue && i.due == due));
    assert!(items[1].why.contains("cannot open"), "{}", items[1].why);
    assert!(
        items[1].why.contains("Health Visiting North"),
        "{}",
        items[1].why
    );

    // Listed before it is due, too: nobody may assume a colleague has read it.
    let early = needs_attention_now(
        me,
        Caseload {
            teams: &teams,
            unreadable_shares: &list[..1],
            ..Caseload::default()
        },
        &rule,
        &AttentionSettings::default(),
        london(2026, 11, 23, 9, 0),
    )
    .unwrap();
    assert_eq!(early.len(), 1);
    assert!(!early[0].overdue);
}
