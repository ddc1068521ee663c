//! The Today screen read through the open-items index (shares, referrals, escalation ladders
//! and visits reached through `due_items`, pattern alerts from their sealed summaries) equals
//! the Today screen built from every record on the device (the full-scan oracle), on real
//! SQLite files, two devices passing real envelopes.
//!
//! The table below is the journey: each row is a write (capture with a share, amendment,
//! incoming share, acknowledgement sent and pulled, read-back checked, referral decisions,
//! escalation, a call closing an overdue share, a transfer sent, acknowledged and taken on, a
//! visit started and ended, envelopes delivered twice, the store file restored from a copy, a
//! change of teams) followed by readings of both screens at instants across the days after.
//! Then visits across the end of British Summer Time, and what an indexed reading decrypts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use safeshare_core::app::{
    NewObservationInput, NewReferralInput, ObservationCorrection, Session, ShareRequest,
    TeamMembership,
};
use safeshare_core::casework::decision::{Answerer, Nature, SharedItem, UnderstandingCheck};
use safeshare_core::casework::transfer::NewTransfer;
use safeshare_core::clock::FixedClock;
use safeshare_core::directory::{CallOutcome, CallOutcomeInput};
use safeshare_core::model::{
    ConcernCategory, Evidence, HouseholdId, PersonDetails, PersonId, PersonRole, Place, PlaceKind,
    Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::ReadBackVerdict;
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel};
use safeshare_core::sync::EnvelopeKind;
use std::sync::Arc;

/// Both screens at `at`, the indexed one first or second (each reading can write "shown"
/// records and index rows the other must then agree with); also "needs attention now".
fn compare(session: &Session, clock: &FixedClock, at: DateTime<Utc>, index_first: bool) -> usize {
    clock.set(at);
    let (indexed, full) = if index_first {
        let indexed = session.today_screen().unwrap();
        (indexed, session.today_screen_by_full_scan(at).unwrap())
    } else {
        let full = session.today_screen_by_full_scan(at).unwrap();
        (session.today_screen().unwrap(), full)
    };
    assert_eq!(indexed, full, "indexed and full-scan Today differ at {at}");
    assert_eq!(
        session.needs_attention_now().unwrap(),
        session.needs_attention_by_full_scan(at).unwrap(),
        "needs attention now differs at {at}"
    );
    indexed.attention.len() + indexed.visits.len()
}

/// Readings every `step` for `span` from `from`, alternating which is read first. Returns the
/// most rows one screen showed.
fn compare_over(
    device: &Device,
    from: DateTime<Utc>,
    span: Duration,
    step: Duration,
    readings: &mut usize,
) -> usize {
    let mut at = from;
    let mut most = 0;
    while at <= from + span {
        most = most.max(compare(
            &device.session,
            &device.clock,
            at,
            *readings % 2 == 0,
        ));
        *readings += 1;
        at += step;
    }
    // Writes go on at the instant they are made, not at the last reading.
    device.clock.set(from);
    most
}

fn capture(
    device: &Device,
    about: PersonId,
    severity: Severity,
    share: Option<TeamId>,
) -> Option<ShareId> {
    device
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity,
            evidence: Evidence::ObservedFact,
            description: "Mother has a bruise on her forearm; says partner grabbed her.".into(),
            observed_at: None,
            place: None,
            share: share.map(|team| ShareRequest {
                team,
                message: "Please visit this week.".into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .map(|receipt| receipt.share)
}

/// A household with an address, a mother and a baby born in June 2026, without NHS numbers
/// (so many can be made on one phone).
fn family(session: &Session) -> Family {
    let household = session
        .add_household(Some("1 Fictional Row, Leeds".into()))
        .unwrap();
    let person = |role: PersonRole, date_of_birth: Option<NaiveDate>| {
        session
            .add_person(
                household.id,
                role,
                PersonDetails {
                    name: Some("Fictional Person".into()),
                    date_of_birth,
                    ..PersonDetails::default()
                },
            )
            .unwrap()
    };
    let mother = person(PersonRole::MotherOrBirthingParent, None);
    let baby = person(PersonRole::Child, NaiveDate::from_ymd_opt(2026, 6, 1));
    Family {
        household,
        mother,
        baby,
    }
}

fn home() -> Place {
    Place {
        kind: PlaceKind::Home,
        detail: None,
    }
}

fn spoke_with_short_read_back() -> CallOutcomeInput {
    CallOutcomeInput {
        outcome: CallOutcome::Spoke,
        answered_by: Some(Answerer {
            name: "Duty health visitor".into(),
            role: "health visitor".into(),
        }),
        shared: vec![SharedItem {
            nature: Nature::Fact,
            text: "Bruise on mother's forearm; partner grabbed her".into(),
            observation: None,
        }],
        understanding: UnderstandingCheck::ReadBack {
            recipient_summary: "Domestic abuse disclosed; visit this week".into(),
        },
        note: "Duty HV will visit".into(),
    }
}

#[test]
fn indexed_today_equals_the_full_scan_through_a_whole_caseload_journey() {
    let region = region();
    // Monday 2 November 2026, 09:00 GMT.
    let start = utc(2026, 11, 2, 9, 0);
    let midwife = midwife(&region, start);
    let hv = health_visitor(&region, start);
    let mut readings = 0;
    let mut delivered = Vec::new();
    let mut most = 0;
    let hours = Duration::hours;
    let mut check = |device: &Device, from: DateTime<Utc>, readings: &mut usize| {
        most = most.max(compare_over(
            device,
            from,
            Duration::days(3),
            hours(3),
            readings,
        ));
    };

    // Families, and a visit started and still in progress.
    let a = family(&midwife.session);
    let b = family(&midwife.session);
    let visit = midwife
        .session
        .start_visit(a.household.id, home(), Vec::new(), None)
        .unwrap();
    // A planned visit on Wednesday.
    midwife
        .session
        .start_visit(
            b.household.id,
            home(),
            Vec::new(),
            Some(start + Duration::days(2)),
        )
        .unwrap();
    check(&midwife, start, &mut readings);

    // Captures with shares at three severities; one without.
    midwife.clock.set(start + hours(1));
    let concern = capture(
        &midwife,
        a.baby.id,
        Severity::Concern,
        Some(region.health_visiting),
    )
    .unwrap();
    let immediate = capture(
        &midwife,
        b.baby.id,
        Severity::ImmediateRisk,
        Some(region.health_visiting),
    )
    .unwrap();
    let low = capture(
        &midwife,
        a.mother.id,
        Severity::LowLevelConcern,
        Some(region.health_visiting),
    )
    .unwrap();
    capture(&midwife, b.baby.id, Severity::LowLevelConcern, None);
    check(&midwife, start + hours(1), &mut readings);

    // An amendment (the observation's severity and text corrected).
    midwife.clock.set(start + hours(2));
    let first = midwife
        .session
        .observations_about(a.baby.id)
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    midwife
        .session
        .amend_observation(
            first.id,
            ObservationCorrection {
                category: ConcernCategory::DomesticAbuse,
                severity: Severity::LowLevelConcern,
                evidence: Evidence::ObservedFact,
                description: "Mother has a bruise on her forearm; she says she fell.".into(),
                observed_at: first.observed_at,
                place: None,
            },
            "Mother gave a different account when seen alone",
        )
        .unwrap();
    check(&midwife, start + hours(2), &mut readings);

    // The visit ends; the health visitor's phone pulls the shares (twice: a resend).
    midwife.clock.set(start + hours(3));
    midwife.session.end_visit(visit.id, None).unwrap();
    hv.clock.set(start + hours(3));
    for envelope in undelivered(&midwife.session, EnvelopeKind::Share, &mut delivered) {
        hv.session.apply_inbound(&envelope).unwrap();
        hv.session.apply_inbound(&envelope).unwrap();
    }
    check(&midwife, start + hours(3), &mut readings);
    check(&hv, start + hours(3), &mut readings);

    // She acknowledges two; the midwife's phone pulls the acknowledgements (twice).
    hv.clock.set(start + hours(4));
    hv.session
        .acknowledge_share(concern, short_read_back())
        .unwrap();
    hv.session
        .acknowledge_share(low, short_read_back())
        .unwrap();
    check(&hv, start + hours(4), &mut readings);
    midwife.clock.set(start + hours(5));
    for envelope in undelivered(&hv.session, EnvelopeKind::Acknowledgement, &mut delivered) {
        midwife.session.apply_inbound(&envelope).unwrap();
        midwife.session.apply_inbound(&envelope).unwrap();
    }
    check(&midwife, start + hours(5), &mut readings);

    // Read-backs checked: one misunderstood (call to correct), one confirmed (closed).
    midwife
        .session
        .check_read_back(
            concern,
            ReadBackVerdict::UnderEmphasised("the baby was present".into()),
        )
        .unwrap();
    midwife
        .session
        .check_read_back(low, ReadBackVerdict::Confirmed)
        .unwrap();
    check(&midwife, start + hours(5), &mut readings);

    // The immediate-risk share is overdue: a call that reaches the team with a read-back.
    midwife.clock.set(start + hours(8));
    let call = midwife
        .session
        .start_call(region.health_visiting, Some(immediate), None)
        .unwrap();
    midwife
        .session
        .record_call_outcome(call.call.id, spoke_with_short_read_back(), None)
        .unwrap();
    check(&midwife, start + hours(8), &mut readings);

    // Referrals: one accepted, one not accepted (escalation opened, a step taken), one left.
    let referral = |about: PersonId| {
        midwife
            .session
            .record_referral(NewReferralInput {
                about,
                front_door: region.front_door,
                sent_at: None,
                summary: "Domestic abuse disclosed; baby in the home.".into(),
                channel: ReferralChannel::Phone,
            })
            .unwrap()
            .record
            .referral
            .id
    };
    let accepted = referral(a.baby.id);
    let refused = referral(b.baby.id);
    referral(a.baby.id);
    check(&midwife, start + hours(8), &mut readings);
    midwife.clock.set(start + hours(26));
    midwife
        .session
        .record_referral_decision(
            accepted,
            DecisionOutcome::Accepted {
                response: "Assessment opened".into(),
            },
            false,
            None,
        )
        .unwrap();
    midwife
        .session
        .record_referral_decision(
            refused,
            DecisionOutcome::NotAccepted {
                reasons: "Below threshold".into(),
            },
            false,
            None,
        )
        .unwrap();
    check(&midwife, start + hours(26), &mut readings);
    // An accepted referral whose response does not address the risk: escalated too.
    midwife.session.open_escalation(accepted).unwrap();
    check(&midwife, start + hours(26), &mut readings);
    midwife
        .session
        .record_escalation_step(
            refused,
            EscalationStep::ReviewAndReRefer,
            StepOutcome::Done("Re-referred with the chronology".into()),
        )
        .unwrap();
    check(&midwife, start + hours(26), &mut readings);

    // A transfer of care: sent, pulled, acknowledged, the acknowledgement pulled, taken on.
    midwife.clock.set(start + hours(30));
    let transfer = midwife
        .session
        .transfers()
        .send(NewTransfer {
            child: b.baby.id,
            team: region.health_visiting,
            new_postcode: "LS6 2AB".into(),
            new_address: None,
            moving_on: None,
            message: "Family moving to your area; please take on the baby's care.".into(),
            severity: None,
            health_needs: "none known".into(),
            medication: "none known".into(),
            follow_up_appointments: "none known".into(),
        })
        .unwrap();
    check(&midwife, start + hours(30), &mut readings);
    hv.clock.set(start + hours(31));
    for envelope in undelivered(&midwife.session, EnvelopeKind::Share, &mut delivered) {
        hv.session.apply_inbound(&envelope).unwrap();
    }
    check(&hv, start + hours(31), &mut readings);
    hv.session
        .acknowledge_share(transfer.share, short_read_back())
        .unwrap();
    hv.session.transfers().take_on(transfer.share).unwrap();
    check(&hv, start + hours(31), &mut readings);
    midwife.clock.set(start + hours(32));
    for envelope in undelivered(&hv.session, EnvelopeKind::Acknowledgement, &mut delivered) {
        midwife.session.apply_inbound(&envelope).unwrap();
    }
    check(&midwife, start + hours(32), &mut readings);

    // The store restored from a copy of its file (same key): the index comes with it.
    let restored_path = midwife.dir.path().join("restored.db");
    {
        let conn = rusqlite::Connection::open(&midwife.path).unwrap();
        conn.execute_batch(&format!(
            "VACUUM INTO '{}'",
            restored_path.display().to_string().replace('\'', "''")
        ))
        .unwrap();
    }
    let clock = Arc::new(FixedClock::new(start + hours(33)));
    let restored = Session::open(
        &restored_path,
        midwife.secrets.clone(),
        clock.clone(),
        midwife.identity.clone(),
        Some(region.directory.clone()),
    )
    .unwrap();
    let mut at = start + hours(33);
    while at < start + Duration::days(4) {
        compare(&restored, &clock, at, readings % 2 == 0);
        readings += 1;
        at += hours(4);
    }
    drop(restored);

    // A second team: every window is worked out again (incoming shares to it now count).
    let mut identity = hv.session.identity();
    identity.teams.push(TeamMembership {
        id: region.midwifery,
        name: "West community midwifery".into(),
    });
    hv.session.set_identity(identity).unwrap();
    check(&hv, start + hours(34), &mut readings);

    assert!(readings > 200, "compared at {readings} instants");
    assert!(most >= 5, "the screens listed things (at most {most} rows)");
}

#[test]
fn visits_across_the_end_of_summer_time_equal_the_full_scan() {
    let region = region();
    // Saturday 24 October 2026, 20:00 BST (19:00 UTC); the clocks go back at 02:00 BST on
    // Sunday 25 October.
    let device = midwife(&region, utc(2026, 10, 24, 19, 0));
    let family = family(&device.session);
    let household: HouseholdId = family.household.id;
    // A home birth from 00:30 BST on Sunday (23:30 UTC Saturday), ended at 03:00 GMT.
    device.clock.set(utc(2026, 10, 24, 23, 30));
    let birth = device
        .session
        .start_visit(household, home(), Vec::new(), None)
        .unwrap();
    // A visit at 23:30 GMT on Sunday, never ended on the phone.
    device.clock.set(utc(2026, 10, 25, 23, 30));
    device
        .session
        .start_visit(household, home(), Vec::new(), None)
        .unwrap();
    device.clock.set(utc(2026, 10, 25, 3, 0));
    device.session.end_visit(birth.id, None).unwrap();
    // A clinic planned for Tuesday.
    device
        .session
        .start_visit(
            household,
            Place {
                kind: PlaceKind::Clinic,
                detail: Some("Fictional Road clinic".into()),
            },
            Vec::new(),
            Some(utc(2026, 10, 27, 10, 0)),
        )
        .unwrap();
    let mut at = utc(2026, 10, 24, 12, 0);
    let mut most_visits = 0;
    let mut n = 0;
    while at < utc(2026, 10, 28, 12, 0) {
        device.clock.set(at);
        let index_first = n % 2 == 0;
        let (indexed, full) = if index_first {
            let indexed = device.session.today_screen().unwrap();
            (
                indexed,
                device.session.today_screen_by_full_scan(at).unwrap(),
            )
        } else {
            let full = device.session.today_screen_by_full_scan(at).unwrap();
            (device.session.today_screen().unwrap(), full)
        };
        assert_eq!(indexed.visits, full.visits, "visits differ at {at}");
        most_visits = most_visits.max(indexed.visits.len());
        n += 1;
        at += Duration::minutes(30);
    }
    assert!(most_visits >= 2, "days with two visits were read");
    // At 00:10 GMT on Monday the birth (Sunday's) is gone and the unended visit stays.
    device.clock.set(utc(2026, 10, 26, 0, 10));
    let today = device.session.today_screen().unwrap();
    assert_eq!(today.visits.len(), 1);
    assert_eq!(today.visits[0].status, "In progress");
}

/// Audit rows naming `id` written since row `after`.
fn reads_of(path: &std::path::Path, after: i64, id: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT COUNT(*) FROM audit WHERE seq > ?1 AND entity_id = ?2",
        rusqlite::params![after, id],
        |r| r.get(0),
    )
    .unwrap()
}

fn last_audit(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_steady_today_decrypts_only_what_it_shows() {
    let region = region();
    let start = utc(2026, 11, 2, 9, 0);
    let midwife = midwife(&region, start);
    let hv = health_visitor(&region, start);
    let mut delivered = Vec::new();
    let a = family(&midwife.session);
    let b = family(&midwife.session);
    // Closed: a share acknowledged and confirmed; an old visit, ended; an accepted referral.
    let closed = capture(
        &midwife,
        a.baby.id,
        Severity::Concern,
        Some(region.health_visiting),
    )
    .unwrap();
    let old_visit = midwife
        .session
        .start_visit(a.household.id, home(), Vec::new(), None)
        .unwrap();
    midwife.clock.set(start + Duration::hours(1));
    midwife.session.end_visit(old_visit.id, None).unwrap();
    for envelope in undelivered(&midwife.session, EnvelopeKind::Share, &mut delivered) {
        hv.session.apply_inbound(&envelope).unwrap();
    }
    hv.session
        .acknowledge_share(closed, short_read_back())
        .unwrap();
    for envelope in undelivered(&hv.session, EnvelopeKind::Acknowledgement, &mut delivered) {
        midwife.session.apply_inbound(&envelope).unwrap();
    }
    midwife
        .session
        .check_read_back(closed, ReadBackVerdict::Confirmed)
        .unwrap();
    let accepted = midwife
        .session
        .record_referral(NewReferralInput {
            about: b.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Neglect: home conditions poor.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id;
    midwife
        .session
        .record_referral_decision(
            accepted,
            DecisionOutcome::Accepted {
                response: "Assessment opened".into(),
            },
            false,
            None,
        )
        .unwrap();
    // Open, and due on Wednesday (not listed before Wednesday): a share sent on Tuesday.
    midwife.clock.set(utc(2026, 11, 3, 16, 30));
    let later = capture(
        &midwife,
        b.baby.id,
        Severity::Concern,
        Some(region.health_visiting),
    )
    .unwrap();
    // Shown: an overdue share.
    let overdue = capture(
        &midwife,
        b.mother.id,
        Severity::Concern,
        Some(region.health_visiting),
    )
    .unwrap();

    // Thursday: the first reading works out what was written; the second is the steady one.
    let at = utc(2026, 11, 5, 9, 0);
    midwife.clock.set(at);
    midwife.session.today_screen().unwrap();
    let before = last_audit(&midwife.path);
    let today = midwife.session.today_screen().unwrap();
    let path = &midwife.path;
    assert!(
        reads_of(path, before, &overdue.to_string()) >= 1,
        "a shown share is read"
    );
    assert_eq!(
        reads_of(path, before, &closed.to_string()),
        0,
        "a closed share is not"
    );
    assert_eq!(
        reads_of(path, before, &old_visit.id.to_string()),
        0,
        "an old visit is not"
    );
    assert_eq!(
        reads_of(path, before, &accepted.to_string()),
        0,
        "a decided referral is not"
    );
    // (Compared only now: the full scan reads everything.)
    assert_eq!(
        today,
        midwife.session.today_screen_by_full_scan(at).unwrap()
    );
    assert!(today.attention.len() >= 2 && today.visits.is_empty());

    // Before the Tuesday share comes within its window it is not read either.
    midwife.clock.set(utc(2026, 11, 3, 16, 40));
    midwife.session.today_screen().unwrap();
    let before = last_audit(path);
    let early = midwife.session.today_screen().unwrap();
    assert_eq!(
        reads_of(path, before, &later.to_string()),
        0,
        "not yet due soon"
    );
    assert_eq!(
        early,
        midwife
            .session
            .today_screen_by_full_scan(utc(2026, 11, 3, 16, 40))
            .unwrap()
    );
}

#[test]
fn a_store_from_before_migration_4_is_back_filled_and_gives_the_same_today() {
    let region = region();
    let start = utc(2026, 11, 2, 9, 0);
    let device = midwife(&region, start);
    let a = family(&device.session);
    let b = family(&device.session);
    capture(
        &device,
        a.baby.id,
        Severity::Concern,
        Some(region.health_visiting),
    );
    capture(
        &device,
        b.baby.id,
        Severity::ImmediateRisk,
        Some(region.health_visiting),
    );
    for _ in 0..3 {
        capture(&device, b.baby.id, Severity::LowLevelConcern, None);
    }
    device
        .session
        .start_visit(a.household.id, home(), Vec::new(), None)
        .unwrap();
    device
        .session
        .record_referral(NewReferralInput {
            about: a.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Neglect: home conditions poor.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap();
    let at = start + Duration::hours(30);
    device.clock.set(at);
    let expected = device.session.today_screen().unwrap();
    assert!(expected.attention.len() >= 3, "{expected:?}");
    let Device {
        dir,
        path,
        secrets,
        identity,
        session,
        ..
    } = device;
    drop(session);
    // Back to schema 3, as a store written before this release.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE due_items; ALTER TABLE open_items DROP COLUMN alerts;
             DELETE FROM state WHERE name = 'due_items.basis'; PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let clock = Arc::new(FixedClock::new(at));
    let session = Session::open(
        &path,
        secrets.clone(),
        clock.clone(),
        identity.clone(),
        Some(region.directory.clone()),
    )
    .unwrap();
    assert_eq!(session.today_screen().unwrap(), expected);
    let mut n = 0;
    let mut when = start;
    while when < start + Duration::days(4) {
        compare(&session, &clock, when, n % 2 == 0);
        n += 1;
        when += Duration::hours(2);
    }
    drop(session);
    drop(dir);
}
