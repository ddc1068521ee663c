//! "Needs attention now", every kind of item word for word, in the order the practitioner
//! reads them.
//!
//! Which item comes first is clinical safety: an immediate-risk share must never sink below
//! paperwork, and a missed deadline never below a prompt with no deadline. Each test here pins
//! the whole list (kind, due time, overdue, why, immediate risk) for one tier of the order,
//! built so that several kinds fall due at the same instant, so the fixed order by kind is what
//! decides; and the "soon" window and the overdue flag at their exact edges. (Written for the
//! mutation run over `rules/attention.rs`; see README, "Testing".)
//!
//! Every instant is London wall-clock time in the week of Monday 30 November 2026 (GMT, so
//! `describe_local` prints it as written). Working hours are 09:00 to 17:00 on weekdays, so a
//! referral sent Friday 10:00 is due Monday 10:00 (one working day), a concern shared Friday
//! 14:00 must be acknowledged by Monday 10:00 (four working hours), a low-level concern shared
//! Friday 10:00 by Monday 10:00 (one working day), and an immediate-risk share within 60 minutes.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

mod rules_support;
use chrono::{DateTime, Duration, Utc};
use rules_support::{london, referral};
use safeshare_core::model::{
    ObservationId, PersonId, PractitionerId, ReferralId, Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::{
    Acknowledgement, ReadBack, ReadBackCheck, ReadBackVerdict, Share, ShareRecord,
};
use safeshare_core::rules::attention::{
    needs_attention_now, AttentionItem, AttentionKind, AttentionSettings, Caseload, ChecklistDue,
    UnreadableShare,
};
use safeshare_core::rules::escalation::{EscalationLadder, EscalationStep, EscalationTrigger};
use safeshare_core::rules::patterns::{AlertKey, PatternAlert, PatternKind};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralDecision, ReferralRecord};
use safeshare_core::rules::working_time::WorkingTime;

/// The team the practitioner shares with.
const THEIR_TEAM: &str = "Northshire 0-19 team";
/// The practitioner's own team.
const MY_TEAM: &str = "Health Visiting North";
/// The step a fresh ladder (or a referral not accepted) asks for first, as the ladder words it.
const REVIEW: &str = "Review the referral and re-refer with more information.";

/// A share of `severity` sent by `by` to `team` at `sent_at`.
fn share(
    by: PractitionerId,
    team: TeamId,
    team_name: &str,
    severity: Severity,
    sent_at: DateTime<Utc>,
) -> ShareRecord {
    ShareRecord::new(Share {
        id: ShareId::new(),
        about: PersonId::new(),
        sender: by,
        team,
        team_name: team_name.into(),
        severity,
        sent_at,
    })
}

/// `record`, acknowledged by a member of its team at `at`.
fn acknowledged(mut record: ShareRecord, at: DateTime<Utc>) -> ShareRecord {
    let team = record.share.team;
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

/// `record`, acknowledged at `acknowledged_at`, its read-back then marked over-emphasised by
/// the sender at `checked_at`.
fn misunderstood(
    record: ShareRecord,
    acknowledged_at: DateTime<Utc>,
    checked_at: DateTime<Utc>,
) -> ShareRecord {
    let mut record = acknowledged(record, acknowledged_at);
    let by = record.share.sender;
    record
        .check_read_back(ReadBackCheck {
            verdict: ReadBackVerdict::OverEmphasised(
                "It is one missed weigh-in, not three.".into(),
            ),
            by,
            at: checked_at,
        })
        .unwrap();
    record
}

/// `record` with a "not accepted" decision that arrived at `at`.
fn not_accepted(mut record: ReferralRecord, at: DateTime<Utc>) -> ReferralRecord {
    let recorded_by = record.referral.referrer;
    record
        .record_decision(ReferralDecision {
            outcome: DecisionOutcome::NotAccepted {
                reasons: "Below threshold".into(),
            },
            feedback_to_family_given: false,
            arrived_at: at,
            recorded_by,
        })
        .unwrap();
    record
}

fn unreadable(team: TeamId, due: DateTime<Utc>, immediate_risk: bool) -> UnreadableShare {
    UnreadableShare {
        envelope: ulid::Ulid::new(),
        team,
        team_name: MY_TEAM.into(),
        sender_team: Some(TeamId::new()),
        due,
        immediate_risk,
        answered: false,
    }
}

fn checklist(owner: PractitionerId, label: &str, due: DateTime<Utc>) -> ChecklistDue {
    ChecklistDue {
        label: label.into(),
        owner,
        about: None,
        due,
    }
}

fn alert(child: PersonId, at: DateTime<Utc>, message: &str) -> PatternAlert {
    PatternAlert {
        key: AlertKey {
            kind: PatternKind::RepeatedLowLevelConcerns,
            child,
            completed_by: ObservationId::new(),
        },
        at,
        evidence: vec![ObservationId::new()],
        message: message.into(),
    }
}

/// An item as the list should hold it.
fn expect(
    kind: AttentionKind,
    due: DateTime<Utc>,
    overdue: bool,
    why: &str,
    immediate_risk: bool,
) -> AttentionItem {
    AttentionItem {
        kind,
        due,
        overdue,
        why: why.into(),
        immediate_risk,
    }
}

fn list_with(
    me: PractitionerId,
    caseload: Caseload<'_>,
    settings: &AttentionSettings,
    now: DateTime<Utc>,
) -> Vec<AttentionItem> {
    needs_attention_now(
        me,
        caseload,
        &WorkingTime::england_and_wales(),
        settings,
        now,
    )
    .unwrap()
}

fn list(me: PractitionerId, caseload: Caseload<'_>, now: DateTime<Utc>) -> Vec<AttentionItem> {
    list_with(me, caseload, &AttentionSettings::default(), now)
}

/// Asserts the lists item by item first (a readable message names the first difference).
fn assert_items(got: &[AttentionItem], expected: &[AttentionItem]) {
    for (n, (g, e)) in got.iter().zip(expected).enumerate() {
        assert_eq!(g, e, "item {n}");
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
}

#[test]
fn missed_deadlines_due_at_one_instant_say_why_and_keep_their_order_by_kind() {
    let me = PractitionerId::new();
    let colleague = PractitionerId::new();
    let (their_team, my_team) = (TeamId::new(), TeamId::new());
    let due = london(2026, 11, 30, 10, 0);
    let now = london(2026, 11, 30, 11, 0);

    // Each one is due (or was marked) Monday 10:00 and is an hour overdue at 11:00.
    let chased = referral(me, PersonId::new(), london(2026, 11, 27, 10, 0));
    let refused = not_accepted(
        referral(me, PersonId::new(), london(2026, 11, 27, 9, 0)),
        due,
    );
    let ladder = EscalationLadder::open(
        ReferralId::new(),
        me,
        EscalationTrigger::NotAccepted,
        london(2026, 11, 27, 10, 0),
    );
    let unanswered = share(
        me,
        their_team,
        THEIR_TEAM,
        Severity::Concern,
        london(2026, 11, 27, 14, 0),
    );
    let corrected = misunderstood(
        share(
            me,
            their_team,
            THEIR_TEAM,
            Severity::Concern,
            london(2026, 11, 27, 11, 0),
        ),
        london(2026, 11, 30, 9, 30),
        due,
    );
    let incoming = share(
        colleague,
        my_team,
        MY_TEAM,
        Severity::LowLevelConcern,
        london(2026, 11, 27, 10, 0),
    );
    let sealed = unreadable(my_team, due, false);
    let task = checklist(me, "Discharge: follow-up appointments shared", due);

    let referrals = [chased.clone(), refused.clone()];
    let ladders = [ladder.clone()];
    let shares = [unanswered.clone(), corrected.clone(), incoming.clone()];
    let teams = [my_team];
    let sealed_list = [sealed.clone()];
    let tasks = [task];
    let caseload = Caseload {
        referrals: &referrals,
        escalations: &ladders,
        shares: &shares,
        teams: &teams,
        checklist: &tasks,
        unreadable_shares: &sealed_list,
        ..Caseload::default()
    };

    // Calls first (the team that has not acknowledged; then a share to my own team, readable
    // or not), then the referral to chase, the read-back to correct, escalation steps, and the
    // checklist last.
    let expected = [
        expect(
            AttentionKind::CallTeamNow {
                share: unanswered.share.id,
                team: their_team,
                team_name: THEIR_TEAM.into(),
            },
            due,
            true,
            "Call Northshire 0-19 team now: your share was not acknowledged by Mon 30 Nov 10:00.",
            false,
        ),
        expect(
            AttentionKind::AcknowledgeIncomingShare {
                share: incoming.share.id,
                team: my_team,
            },
            due,
            true,
            "A share to Health Visiting North awaits acknowledgement (due Mon 30 Nov 10:00). \
             Read it and acknowledge with your read-back.",
            false,
        ),
        expect(
            AttentionKind::IncomingShareNotReadable {
                envelope: sealed.envelope,
                team: my_team,
                sender_team: sealed.sender_team,
            },
            due,
            true,
            "A share to Health Visiting North arrived that this phone cannot open (it was sent \
             before this phone was enrolled, or to a key since replaced). Acknowledgement due \
             Mon 30 Nov 10:00. Open it on a phone that can, or call the sender for the \
             information.",
            false,
        ),
        expect(
            AttentionKind::ChaseReferralDecision {
                referral: chased.referral.id,
                front_door: chased.referral.front_door,
            },
            due,
            true,
            "No decision from Northshire MASH on your referral; it was due Mon 30 Nov 10:00. \
             Chase it.",
            false,
        ),
        expect(
            AttentionKind::CorrectReadBack {
                share: corrected.share.id,
                team: their_team,
            },
            due,
            true,
            "Northshire 0-19 team's read-back did not match what you meant. Phone them to \
             correct it.",
            false,
        ),
        expect(
            AttentionKind::EscalationStep {
                referral: refused.referral.id,
                step: EscalationStep::ReviewAndReRefer,
            },
            due,
            true,
            &format!("Your referral to Northshire MASH was not accepted. {REVIEW}"),
            false,
        ),
        expect(
            AttentionKind::EscalationStep {
                referral: ladder.referral,
                step: EscalationStep::ReviewAndReRefer,
            },
            due,
            true,
            &format!("Escalation, next step (due Mon 30 Nov 10:00): {REVIEW}"),
            false,
        ),
        expect(
            AttentionKind::ChecklistItem {
                label: "Discharge: follow-up appointments shared".into(),
                about: None,
            },
            due,
            true,
            "Checklist: Discharge: follow-up appointments shared (due Mon 30 Nov 10:00).",
            false,
        ),
    ];
    assert_items(&list(me, caseload, now), &expected);

    // The longest overdue first, whatever its kind: a checklist item due at 09:00 comes before
    // the call due at 10:00.
    let earlier = [checklist(
        me,
        "Admission: consent recorded",
        london(2026, 11, 30, 9, 0),
    )];
    let items = list(
        me,
        Caseload {
            shares: &shares[..1],
            checklist: &earlier,
            ..Caseload::default()
        },
        now,
    );
    let kinds: Vec<&AttentionKind> = items.iter().map(|i| &i.kind).collect();
    assert_eq!(
        kinds,
        [
            &AttentionKind::ChecklistItem {
                label: "Admission: consent recorded".into(),
                about: None,
            },
            &expected[0].kind,
        ]
    );
}

#[test]
fn what_is_due_soon_at_one_instant_says_why_and_keeps_its_order_by_kind() {
    let me = PractitionerId::new();
    let colleague = PractitionerId::new();
    let (their_team, my_team) = (TeamId::new(), TeamId::new());
    let due = london(2026, 11, 30, 10, 0);
    // An hour before: everything is due within the two-hour window, nothing is overdue.
    let now = london(2026, 11, 30, 9, 0);

    let soon = referral(me, PersonId::new(), london(2026, 11, 27, 10, 0));
    let ladder = EscalationLadder::open(
        ReferralId::new(),
        me,
        EscalationTrigger::NotAccepted,
        london(2026, 11, 27, 10, 0),
    );
    let awaiting = share(
        me,
        their_team,
        THEIR_TEAM,
        Severity::Concern,
        london(2026, 11, 27, 14, 0),
    );
    let incoming = share(
        colleague,
        my_team,
        MY_TEAM,
        Severity::LowLevelConcern,
        london(2026, 11, 27, 10, 0),
    );
    let sealed = unreadable(my_team, due, false);
    let tasks = [checklist(me, "Handover: out-of-hours numbers", due)];

    let referrals = [soon.clone()];
    let ladders = [ladder.clone()];
    let shares = [awaiting.clone(), incoming.clone()];
    let teams = [my_team];
    let sealed_list = [sealed.clone()];
    let caseload = Caseload {
        referrals: &referrals,
        escalations: &ladders,
        shares: &shares,
        teams: &teams,
        checklist: &tasks,
        unreadable_shares: &sealed_list,
        ..Caseload::default()
    };
    let expected = [
        expect(
            AttentionKind::AcknowledgementDueSoon {
                share: awaiting.share.id,
                team: their_team,
                phone_now: false,
            },
            due,
            false,
            "Northshire 0-19 team should acknowledge your share by Mon 30 Nov 10:00.",
            false,
        ),
        expect(
            AttentionKind::AcknowledgeIncomingShare {
                share: incoming.share.id,
                team: my_team,
            },
            due,
            false,
            "A share to Health Visiting North awaits acknowledgement (due Mon 30 Nov 10:00). \
             Read it and acknowledge with your read-back.",
            false,
        ),
        expect(
            AttentionKind::IncomingShareNotReadable {
                envelope: sealed.envelope,
                team: my_team,
                sender_team: sealed.sender_team,
            },
            due,
            false,
            "A share to Health Visiting North arrived that this phone cannot open (it was sent \
             before this phone was enrolled, or to a key since replaced). Acknowledgement due \
             Mon 30 Nov 10:00. Open it on a phone that can, or call the sender for the \
             information.",
            false,
        ),
        expect(
            AttentionKind::EscalationStep {
                referral: ladder.referral,
                step: EscalationStep::ReviewAndReRefer,
            },
            due,
            false,
            &format!("Escalation, next step (due Mon 30 Nov 10:00): {REVIEW}"),
            false,
        ),
        expect(
            AttentionKind::ReferralDecisionDueSoon {
                referral: soon.referral.id,
            },
            due,
            false,
            "Northshire MASH's decision on your referral is due Mon 30 Nov 10:00.",
            false,
        ),
        expect(
            AttentionKind::ChecklistItem {
                label: "Handover: out-of-hours numbers".into(),
                about: None,
            },
            due,
            false,
            "Checklist: Handover: out-of-hours numbers (due Mon 30 Nov 10:00).",
            false,
        ),
    ];
    assert_items(&list(me, caseload, now), &expected);
}

#[test]
fn standing_prompts_come_oldest_first_after_missed_deadlines_and_before_what_is_due_soon() {
    let me = PractitionerId::new();
    let their_team = TeamId::new();
    let child = PersonId::new();
    let someone_elses_child = PersonId::new();
    let now = london(2026, 11, 30, 11, 0);
    let at = london(2026, 11, 30, 10, 0);

    // Two read-backs to check (one acknowledged an hour before the other) and an alert at the
    // same instant as the later one: the alert first at a tie.
    let older = acknowledged(
        share(
            me,
            their_team,
            THEIR_TEAM,
            Severity::LowLevelConcern,
            london(2026, 11, 27, 10, 0),
        ),
        london(2026, 11, 30, 9, 0),
    );
    let newer = acknowledged(
        share(
            me,
            their_team,
            THEIR_TEAM,
            Severity::Concern,
            london(2026, 11, 27, 11, 0),
        ),
        at,
    );
    let message = "Three low-level concerns about this child within 90 days: consider a \
                   discussion with your safeguarding lead.";
    let alerts = [
        alert(child, at, message),
        alert(someone_elses_child, london(2026, 11, 1, 10, 0), message),
    ];
    let children = [child];
    // A checklist item due in the window (after them) and one missed by a minute (before them).
    let tasks = [
        checklist(
            me,
            "Handover: out-of-hours numbers",
            london(2026, 11, 30, 11, 30),
        ),
        checklist(
            me,
            "Admission: consent recorded",
            london(2026, 11, 30, 10, 59),
        ),
    ];
    let shares = [newer.clone(), older.clone()];
    let caseload = Caseload {
        shares: &shares,
        alerts: &alerts,
        children: &children,
        checklist: &tasks,
        ..Caseload::default()
    };
    let check_why = "Northshire 0-19 team acknowledged your share. Check their read-back matches \
                     what you meant.";
    let expected = [
        expect(
            AttentionKind::ChecklistItem {
                label: "Admission: consent recorded".into(),
                about: None,
            },
            london(2026, 11, 30, 10, 59),
            true,
            "Checklist: Admission: consent recorded (due Mon 30 Nov 10:59).",
            false,
        ),
        expect(
            AttentionKind::CheckReadBack {
                share: older.share.id,
            },
            london(2026, 11, 30, 9, 0),
            true,
            check_why,
            false,
        ),
        expect(
            AttentionKind::PatternAlert { key: alerts[0].key },
            at,
            true,
            message,
            false,
        ),
        expect(
            AttentionKind::CheckReadBack {
                share: newer.share.id,
            },
            at,
            true,
            check_why,
            false,
        ),
        expect(
            AttentionKind::ChecklistItem {
                label: "Handover: out-of-hours numbers".into(),
                about: None,
            },
            london(2026, 11, 30, 11, 30),
            false,
            "Checklist: Handover: out-of-hours numbers (due Mon 30 Nov 11:30).",
            false,
        ),
    ];
    assert_items(&list(me, caseload, now), &expected);
}

#[test]
fn anything_about_an_immediate_risk_share_comes_first_whatever_its_kind() {
    let me = PractitionerId::new();
    let colleague = PractitionerId::new();
    let (their_team, my_team) = (TeamId::new(), TeamId::new());
    let now = london(2026, 11, 30, 11, 0);
    let immediate =
        |by, team, name, sent_at| share(by, team, name, Severity::ImmediateRisk, sent_at);

    // Sent 08:00, due 09:00: not acknowledged, so call now.
    let unanswered = immediate(me, their_team, THEIR_TEAM, london(2026, 11, 30, 8, 0));
    // Acknowledged 09:30, its read-back not yet checked.
    let to_check = acknowledged(
        immediate(me, their_team, THEIR_TEAM, london(2026, 11, 30, 9, 15)),
        london(2026, 11, 30, 9, 30),
    );
    // Acknowledged 09:20, its read-back marked over-emphasised at 09:45.
    let to_correct = misunderstood(
        immediate(me, their_team, THEIR_TEAM, london(2026, 11, 30, 9, 0)),
        london(2026, 11, 30, 9, 20),
        london(2026, 11, 30, 9, 45),
    );
    // Sent 10:45, due 11:45: phone now, not only send.
    let awaiting = immediate(me, their_team, THEIR_TEAM, london(2026, 11, 30, 10, 45));
    // A colleague's immediate-risk share to my team, sent 10:50, due 11:50.
    let incoming = immediate(colleague, my_team, MY_TEAM, london(2026, 11, 30, 10, 50));
    let sealed = unreadable(my_team, london(2026, 11, 30, 12, 0), true);
    // A routine referral a week overdue, and a routine share to my team overdue since Tuesday:
    // both after every immediate-risk item, however long overdue.
    let old_referral = referral(me, PersonId::new(), london(2026, 11, 20, 10, 0));
    let routine_incoming = share(
        colleague,
        my_team,
        MY_TEAM,
        Severity::Concern,
        london(2026, 11, 23, 10, 0),
    );

    let referrals = [old_referral.clone()];
    let shares = [
        routine_incoming.clone(),
        incoming.clone(),
        awaiting.clone(),
        to_correct.clone(),
        to_check.clone(),
        unanswered.clone(),
    ];
    let teams = [my_team];
    let sealed_list = [sealed.clone()];
    let caseload = Caseload {
        referrals: &referrals,
        shares: &shares,
        teams: &teams,
        unreadable_shares: &sealed_list,
        ..Caseload::default()
    };
    let expected = [
        expect(
            AttentionKind::CallTeamNow {
                share: unanswered.share.id,
                team: their_team,
                team_name: THEIR_TEAM.into(),
            },
            london(2026, 11, 30, 9, 0),
            true,
            "Call Northshire 0-19 team now: your share was not acknowledged by Mon 30 Nov 09:00.",
            true,
        ),
        expect(
            AttentionKind::CheckReadBack {
                share: to_check.share.id,
            },
            london(2026, 11, 30, 9, 30),
            true,
            "Northshire 0-19 team acknowledged your share. Check their read-back matches what \
             you meant.",
            true,
        ),
        expect(
            AttentionKind::CorrectReadBack {
                share: to_correct.share.id,
                team: their_team,
            },
            london(2026, 11, 30, 9, 45),
            true,
            "Northshire 0-19 team's read-back did not match what you meant. Phone them to \
             correct it.",
            true,
        ),
        expect(
            AttentionKind::AcknowledgementDueSoon {
                share: awaiting.share.id,
                team: their_team,
                phone_now: true,
            },
            london(2026, 11, 30, 11, 45),
            false,
            "Immediate risk: phone Northshire 0-19 team now, not only send. Acknowledgement due \
             Mon 30 Nov 11:45.",
            true,
        ),
        expect(
            AttentionKind::AcknowledgeIncomingShare {
                share: incoming.share.id,
                team: my_team,
            },
            london(2026, 11, 30, 11, 50),
            false,
            "A share to Health Visiting North awaits acknowledgement (due Mon 30 Nov 11:50). \
             Read it and acknowledge with your read-back.",
            true,
        ),
        expect(
            AttentionKind::IncomingShareNotReadable {
                envelope: sealed.envelope,
                team: my_team,
                sender_team: sealed.sender_team,
            },
            london(2026, 11, 30, 12, 0),
            false,
            "A share to Health Visiting North arrived that this phone cannot open (it was sent \
             before this phone was enrolled, or to a key since replaced). Acknowledgement due \
             Mon 30 Nov 12:00. Open it on a phone that can, or call the sender for the \
             information.",
            true,
        ),
        expect(
            AttentionKind::ChaseReferralDecision {
                referral: old_referral.referral.id,
                front_door: old_referral.referral.front_door,
            },
            london(2026, 11, 23, 10, 0),
            true,
            "No decision from Northshire MASH on your referral; it was due Mon 23 Nov 10:00. \
             Chase it.",
            false,
        ),
        expect(
            AttentionKind::AcknowledgeIncomingShare {
                share: routine_incoming.share.id,
                team: my_team,
            },
            london(2026, 11, 23, 14, 0),
            true,
            "A share to Health Visiting North awaits acknowledgement (due Mon 23 Nov 14:00). \
             Read it and acknowledge with your read-back.",
            false,
        ),
    ];
    assert_items(&list(me, caseload, now), &expected);
}

#[test]
fn the_soon_window_takes_in_its_last_instant_and_not_the_second_after() {
    let me = PractitionerId::new();
    // A 30-minute window, so the test reads the setting and not the default of 120.
    let settings = AttentionSettings {
        soon_minutes: 30,
        ..AttentionSettings::default()
    };
    // Each is due Tuesday 1 December 10:00; the window reaches it at 09:30.
    let due = london(2026, 12, 1, 10, 0);
    let opens = due - Duration::minutes(30);
    let team = TeamId::new();

    let referrals = [referral(me, PersonId::new(), london(2026, 11, 30, 10, 0))];
    let ladders = [EscalationLadder::open(
        ReferralId::new(),
        me,
        EscalationTrigger::NotAccepted,
        london(2026, 11, 30, 10, 0),
    )];
    let shares = [share(
        me,
        team,
        THEIR_TEAM,
        Severity::Concern,
        london(2026, 11, 30, 14, 0),
    )];
    let tasks = [checklist(me, "Discharge: GP letter sent", due)];
    let parts = [
        Caseload {
            referrals: &referrals,
            ..Caseload::default()
        },
        Caseload {
            escalations: &ladders,
            ..Caseload::default()
        },
        Caseload {
            shares: &shares,
            ..Caseload::default()
        },
        Caseload {
            checklist: &tasks,
            ..Caseload::default()
        },
    ];
    for (n, caseload) in parts.into_iter().enumerate() {
        assert!(
            list_with(me, caseload, &settings, opens - Duration::seconds(1)).is_empty(),
            "part {n} listed a second before the window reaches it"
        );
        let items = list_with(me, caseload, &settings, opens);
        assert_eq!(items.len(), 1, "part {n}");
        assert_eq!(items[0].due, due, "part {n}");
        assert!(!items[0].overdue, "part {n}");
    }
}

#[test]
fn an_item_is_overdue_from_its_due_instant_and_not_a_second_before() {
    let me = PractitionerId::new();
    let due = london(2026, 11, 30, 10, 0);
    let team = TeamId::new();
    let record = referral(me, PersonId::new(), london(2026, 11, 27, 10, 0));
    let sent = share(
        me,
        team,
        THEIR_TEAM,
        Severity::Concern,
        london(2026, 11, 27, 14, 0),
    );
    let tasks = [checklist(me, "Discharge: GP letter sent", due)];
    let referrals = [record.clone()];
    let shares = [sent.clone()];
    let caseload = Caseload {
        referrals: &referrals,
        shares: &shares,
        checklist: &tasks,
        ..Caseload::default()
    };

    // A second before: due soon, in the fourth tier, the call and the chase not yet asked for.
    let before = list(me, caseload, due - Duration::seconds(1));
    let kinds: Vec<(&AttentionKind, bool)> = before.iter().map(|i| (&i.kind, i.overdue)).collect();
    assert_eq!(
        kinds,
        [
            (
                &AttentionKind::AcknowledgementDueSoon {
                    share: sent.share.id,
                    team,
                    phone_now: false,
                },
                false
            ),
            (
                &AttentionKind::ReferralDecisionDueSoon {
                    referral: record.referral.id,
                },
                false
            ),
            (
                &AttentionKind::ChecklistItem {
                    label: "Discharge: GP letter sent".into(),
                    about: None,
                },
                false
            ),
        ]
    );

    // At the instant: overdue, call the team and chase.
    let at = list(me, caseload, due);
    let kinds: Vec<(&AttentionKind, bool)> = at.iter().map(|i| (&i.kind, i.overdue)).collect();
    assert_eq!(
        kinds,
        [
            (
                &AttentionKind::CallTeamNow {
                    share: sent.share.id,
                    team,
                    team_name: THEIR_TEAM.into(),
                },
                true
            ),
            (
                &AttentionKind::ChaseReferralDecision {
                    referral: record.referral.id,
                    front_door: record.referral.front_door,
                },
                true
            ),
            (
                &AttentionKind::ChecklistItem {
                    label: "Discharge: GP letter sent".into(),
                    about: None,
                },
                true
            ),
        ]
    );
}
