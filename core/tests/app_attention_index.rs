//! The open-items index gives exactly the full scan's "needs attention now".
//!
//! A varied caseload on a real SQLite file (children with and without pattern alerts, alerts
//! shown and dismissed, shares at each severity, referrals chased, not accepted and escalated,
//! a person amended to a child, a person deleted), with writes between readings, compared
//! with the full scan (the oracle kept for this) at many instants; then the back-fill of a
//! store made before migration 0003 and a change of thresholds, compared the same way. And
//! the point of the index: an indexed reading decrypts fewer records than the full scan.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use safeshare_core::app::{
    AttentionNow, NewObservationInput, NewReferralInput, Session, SessionConfig, ShareRequest,
};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{
    ConcernCategory, Evidence, PersonDetails, PersonId, PersonRole, Severity, TeamId,
};
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel};
use std::sync::Arc;

/// Captures an observation at `at` (the clock is set there: no observation from the future).
fn observe(
    device: &Device,
    about: PersonId,
    at: DateTime<Utc>,
    severity: Severity,
    share: Option<TeamId>,
) {
    device.clock.set(at);
    device
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::GrowthOrWeight,
            severity,
            evidence: Evidence::ObservedFact,
            description: "Weight has dropped two centiles since the last visit.".into(),
            observed_at: Some(at),
            place: None,
            share: share.map(|team| ShareRequest {
                team,
                message: "Please review at your next contact.".into(),
                severity: None,
            }),
        })
        .unwrap();
}

fn child(session: &Session, household: safeshare_core::model::HouseholdId) -> PersonId {
    session
        .add_person(
            household,
            PersonRole::Child,
            PersonDetails {
                name: Some("Fictional Child".into()),
                date_of_birth: Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
                ..PersonDetails::default()
            },
        )
        .unwrap()
        .id
}

/// Indexed and full-scan answers at `at`, in alternating order (each can write "shown"
/// records, which the other must then see the same way).
fn compare(device: &Device, at: DateTime<Utc>, index_first: bool) -> Vec<AttentionNow> {
    device.clock.set(at);
    let (indexed, full) = if index_first {
        let indexed = device.session.needs_attention_now().unwrap();
        (
            indexed,
            device.session.needs_attention_by_full_scan(at).unwrap(),
        )
    } else {
        let full = device.session.needs_attention_by_full_scan(at).unwrap();
        (device.session.needs_attention_now().unwrap(), full)
    };
    assert_eq!(
        indexed, full,
        "indexed and full-scan answers differ at {at}"
    );
    // The Today screen is built on the indexed answer.
    let today = device.session.today_screen().unwrap();
    assert_eq!(today.attention.len(), indexed.len());
    indexed
}

fn alerts_in(items: &[AttentionNow]) -> usize {
    items
        .iter()
        .filter(|a| matches!(a.item.kind, AttentionKind::PatternAlert { .. }))
        .count()
}

/// Builds the caseload from Monday 2 November 2026; returns the instants it was written at.
fn varied_caseload(device: &Device, region: &Region) -> Vec<PersonId> {
    let session = &device.session;
    let start = utc(2026, 11, 2, 9, 0);
    device.clock.set(start);
    let mut children = Vec::new();
    for n in 0..8u32 {
        let family = family_without_nhs(session);
        let baby = family.1;
        children.push(baby);
        let second = child(session, family.0);
        let day = |d: i64| start + Duration::days(d) + Duration::hours(i64::from(n % 3));
        match n % 4 {
            // Three low-level concerns within 90 days: an alert at the third.
            0 => {
                for d in [0, 3, 6] {
                    observe(device, baby, day(d), Severity::LowLevelConcern, None);
                }
            }
            // Two: no alert yet (the third comes later, between readings).
            1 => {
                for d in [1, 4] {
                    observe(device, second, day(d), Severity::LowLevelConcern, None);
                }
            }
            // A concern shared with health visiting (acknowledgement due, then call now).
            2 => {
                device.clock.set(day(2));
                observe(
                    device,
                    baby,
                    day(2),
                    Severity::Concern,
                    Some(region.health_visiting),
                );
            }
            // A referral, not accepted, one escalation step taken.
            _ => {
                device.clock.set(day(1));
                let referral = session
                    .record_referral(NewReferralInput {
                        about: baby,
                        front_door: region.front_door,
                        sent_at: None,
                        summary: "Concerns about neglect; home conditions poor.".into(),
                        channel: ReferralChannel::Phone,
                    })
                    .unwrap();
                if n == 7 {
                    device.clock.set(day(5));
                    let id = referral.record.referral.id;
                    session
                        .record_referral_decision(
                            id,
                            DecisionOutcome::NotAccepted {
                                reasons: "Below threshold".into(),
                            },
                            false,
                            None,
                        )
                        .unwrap();
                    session
                        .record_escalation_step(
                            id,
                            EscalationStep::ReviewAndReRefer,
                            StepOutcome::Done("Re-referred with the chronology".into()),
                        )
                        .unwrap();
                }
                // Immediate risk about the second child.
                device.clock.set(day(3));
                observe(
                    device,
                    second,
                    day(3),
                    Severity::ImmediateRisk,
                    Some(region.health_visiting),
                );
            }
        }
    }
    children
}

/// A household with a mother and a baby, without NHS numbers (so many can be made).
fn family_without_nhs(session: &Session) -> (safeshare_core::model::HouseholdId, PersonId) {
    let household = session.add_household(None).unwrap();
    session
        .add_person(
            household.id,
            PersonRole::MotherOrBirthingParent,
            PersonDetails {
                name: Some("Fictional Mother".into()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    (household.id, child(session, household.id))
}

#[test]
fn indexed_attention_equals_the_full_scan_at_many_instants_with_writes_between() {
    let region = region();
    let device = midwife(&region, utc(2026, 11, 2, 9, 0));
    let children = varied_caseload(&device, &region);
    let mut at = utc(2026, 11, 2, 9, 0);
    let mut readings = 0;
    let mut seen_alerts = 0;
    let mut seen_items = 0;
    while at < utc(2026, 11, 30, 9, 0) {
        let items = compare(&device, at, readings % 2 == 0);
        seen_alerts = seen_alerts.max(alerts_in(&items));
        seen_items = seen_items.max(items.len());
        readings += 1;
        // Writes between readings, each through a different path.
        match readings {
            20 => {
                // A third low-level concern: a new alert for a child with no row of its own.
                let second = children[1];
                device.clock.set(at);
                observe(&device, second, at, Severity::LowLevelConcern, None);
                // Indexed reading first is not required: the comparison alternates anyway.
            }
            40 => {
                // Dismiss one outstanding alert (with a reason).
                let alerts = device.session.pattern_alerts(children[0]).unwrap();
                assert!(!alerts.is_empty(), "the caseload has an alert to dismiss");
                device
                    .session
                    .dismiss_alert(alerts[0].key, "Discussed in supervision; GP reviewing")
                    .unwrap();
            }
            60 => {
                // A mother's record becomes a child's concern: three concerns about a new child.
                let (_, baby) = family_without_nhs(&device.session);
                for d in 0..3 {
                    device.clock.set(at);
                    observe(
                        &device,
                        baby,
                        at - Duration::days(d),
                        Severity::LowLevelConcern,
                        None,
                    );
                }
            }
            _ => {}
        }
        at += Duration::hours(5);
    }
    assert!(readings > 100, "compared at {readings} instants");
    assert!(seen_alerts >= 2, "the caseload raised pattern alerts");
    assert!(seen_items >= 5, "the caseload needed attention");
}

/// Rows in the store's audit table: one per record read or written.
fn audit_rows(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT COUNT(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_indexed_reading_decrypts_only_the_children_with_alerts() {
    let region = region();
    let device = midwife(&region, utc(2026, 11, 2, 9, 0));
    varied_caseload(&device, &region);
    let at = utc(2026, 11, 16, 12, 0);
    // The first reading works out every child written since (all of them, here).
    compare(&device, at, true);
    let before = audit_rows(&device.path);
    device.clock.set(at);
    let indexed = device.session.needs_attention_now().unwrap();
    let indexed_reads = audit_rows(&device.path) - before;
    let before = audit_rows(&device.path);
    let full = device.session.needs_attention_by_full_scan(at).unwrap();
    let full_reads = audit_rows(&device.path) - before;
    assert_eq!(indexed, full);
    assert!(alerts_in(&indexed) >= 1);
    // 8 households, 24 people: the full scan reads every person and every child's records.
    assert!(
        indexed_reads * 3 < full_reads,
        "indexed reading audited {indexed_reads} reads, the full scan {full_reads}"
    );
}

#[test]
fn a_store_from_before_the_index_is_back_filled_on_open_and_thresholds_changes_are_seen() {
    let region = region();
    let device = midwife(&region, utc(2026, 11, 2, 9, 0));
    varied_caseload(&device, &region);
    let at = utc(2026, 11, 12, 12, 0);
    let expected = compare(&device, at, false);
    assert!(alerts_in(&expected) >= 1);
    let Device {
        dir,
        path,
        secrets,
        identity,
        session,
        ..
    } = device;
    drop(session);
    // Put the file back to schema 2: no index table, as a store made before this release.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE open_items; DROP TABLE due_items; PRAGMA user_version = 2;")
            .unwrap();
    }
    let clock = Arc::new(FixedClock::new(at));
    let reopen = |config: SessionConfig| {
        Session::open_with(
            &path,
            secrets.clone(),
            clock.clone(),
            identity.clone(),
            Some(region.directory.clone()),
            config,
        )
        .unwrap()
    };
    let session = reopen(SessionConfig::default());
    let back_filled = session.needs_attention_now().unwrap();
    assert_eq!(back_filled, expected);
    assert_eq!(
        back_filled,
        session.needs_attention_by_full_scan(at).unwrap()
    );
    drop(session);

    // Stricter thresholds (two low-level concerns): more alerts, and the index follows.
    let mut config = SessionConfig::default();
    config.patterns.low_level_concerns.count = 2;
    let session = reopen(config);
    let stricter = session.needs_attention_now().unwrap();
    assert_eq!(stricter, session.needs_attention_by_full_scan(at).unwrap());
    assert!(alerts_in(&stricter) > alerts_in(&expected));
    drop(session);
    drop(dir);
}
