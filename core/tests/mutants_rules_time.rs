//! The clinical clock and what reads it, pinned where the other rules tests left a change
//! unnoticed (tests/mutants, the `rules` group; see README, "Testing").
//!
//! Working time: a configured calendar is the one every deadline and every screen reads (a
//! one-off bank holiday added by the server moves a referral's decision past it). Each deadline
//! here is the exact instant at the rule's edge, in London wall-clock time.
//!
//! The chronology: a share enters it when sent and its acknowledgement when it came, with the
//! read-back in the recipient's words. Pattern alerts: what the practitioner reads, word for
//! word (the count, the window and what to do).

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

mod rules_support;
use chrono::NaiveDate;
use rules_support::{london, observation};
use safeshare_core::model::{
    ConcernCategory, HouseholdId, PersonId, PractitionerId, Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::{Acknowledgement, ReadBack, Share, ShareRecord};
use safeshare_core::rules::calendar::{BankHolidayOverride, Calendar, OverrideKind};
use safeshare_core::rules::patterns::{detect, ChronologyEntry, EntryKind, PatternThresholds};
use safeshare_core::rules::working_time::{WorkingHours, WorkingTime};

/// England & Wales with one extra bank holiday on Wednesday 25 November 2026.
fn calendar_with_extra_holiday() -> Calendar {
    Calendar::england_and_wales()
        .with_update([BankHolidayOverride {
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            kind: OverrideKind::Added,
            name: "Extra bank holiday (test)".into(),
        }])
        .unwrap()
}

#[test]
fn a_configured_extra_bank_holiday_is_the_calendar_every_deadline_reads() {
    let calendar = calendar_with_extra_holiday();
    let rule = WorkingTime::new(calendar.clone(), WorkingHours::nine_to_five());
    let wednesday = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    // What the screens and number choice read through `calendar()`.
    assert_eq!(rule.calendar(), &calendar);
    assert!(!rule.calendar().is_working_day(wednesday));
    assert!(rule.window_on(wednesday).is_none());
    // Tuesday 15:00 + one working day skips the Wednesday: Thursday 15:00, not Wednesday's.
    assert_eq!(
        rule.add_working_days(london(2026, 11, 24, 15, 0), 1),
        Ok(london(2026, 11, 26, 15, 0))
    );
}

#[test]
fn a_share_enters_the_chronology_when_sent_and_its_acknowledgement_when_it_came() {
    let child = PersonId::new();
    let household = HouseholdId::new();
    let team = TeamId::new();
    let sent_at = london(2026, 11, 23, 10, 0);
    let share = Share {
        id: ShareId::new(),
        about: child,
        sender: PractitionerId::new(),
        team,
        team_name: "Northshire 0-19 team".into(),
        severity: Severity::Concern,
        sent_at,
    };
    let sent = ChronologyEntry {
        at: sent_at,
        about: Some(child),
        household: Some(household),
        kind: EntryKind::Share { id: share.id, team },
        summary: "Shared with Northshire 0-19 team".into(),
    };
    let mut record = ShareRecord::new(share.clone());
    assert_eq!(
        ChronologyEntry::from_share(&record, Some(household)),
        std::slice::from_ref(&sent)
    );

    let acknowledged_at = london(2026, 11, 23, 14, 30);
    record
        .acknowledge(Acknowledgement {
            by: PractitionerId::new(),
            team,
            at: acknowledged_at,
            read_back: ReadBack {
                who: "the baby".into(),
                risk: "weight faltering".into(),
                next_action: "weigh at clinic Thursday".into(),
            },
        })
        .unwrap();
    assert_eq!(
        ChronologyEntry::from_share(&record, Some(household)),
        [
            sent,
            ChronologyEntry {
                at: acknowledged_at,
                about: Some(child),
                household: Some(household),
                kind: EntryKind::Acknowledgement { share: share.id },
                summary: "Acknowledged by Northshire 0-19 team. Read-back: the baby; risk: \
                          weight faltering; next: weigh at clinic Thursday"
                    .into(),
            },
        ]
    );
}

#[test]
fn a_pattern_alert_says_how_many_within_what_span_and_what_to_do() {
    let child = PersonId::new();
    let low_level: Vec<ChronologyEntry> = (1..=3)
        .map(|day| {
            observation(
                child,
                london(2026, 6, day, 11, 0),
                ConcernCategory::GrowthOrWeight,
                Severity::LowLevelConcern,
            )
        })
        .collect();
    let alerts = detect(&low_level, child, &PatternThresholds::default()).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        alerts[0].message,
        "3 low-level concerns within 90 days. Together they may show a need for intervention: \
         consider sharing with the other professionals involved, and discuss in safeguarding \
         supervision."
    );

    let not_brought = [
        observation(
            child,
            london(2026, 1, 31, 11, 0),
            ConcernCategory::WasNotBrought,
            Severity::Concern,
        ),
        observation(
            child,
            london(2026, 7, 31, 11, 0),
            ConcernCategory::WasNotBrought,
            Severity::Concern,
        ),
    ];
    let alerts = detect(&not_brought, child, &PatternThresholds::default()).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(
        alerts[0].message,
        "2 was-not-brought episodes within 6 months. Together they may show a need for \
         intervention: consider sharing with the other professionals involved, and discuss in \
         safeguarding supervision."
    );
}
