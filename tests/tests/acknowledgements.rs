//! Issue 14, item 6: two members of the recipient team acknowledge the same share while
//! offline. Three real phones (each a session over its own encrypted store and the real sync
//! client) and a real server on 127.0.0.1 (SQLite, and PostgreSQL when configured); one fixed
//! clock for all, moved by hand.
//!
//! The midwife shares a concern with the health visiting team at 10:00. Ash acknowledges at
//! 10:30 and Bo at 10:45, each with their own read-back, neither having synced in between.
//! They then sync in either order. Asserted on all three phones: Ash's acknowledgement (the
//! earliest) is the one that closed the share, Bo's is kept as a further acknowledgement with
//! its read-back, and the records are equal; Bo's phone says the share had already been
//! acknowledged by Ash at 10:30, Ash's says nothing of the kind; the sender had confirmed the
//! first read-back to arrive, and the other one arriving reopens the check until she confirms
//! it too. The server holds both acknowledgements and does not report the share overdue.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{AlreadyAcknowledged, NewObservationInput, ShareRequest};
use safeshare_core::clock::FixedClock;
use safeshare_core::model::{
    ConcernCategory, Evidence, PersonDetails, PersonRole, Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::{
    Acknowledgement, ReadBack, ReadBackVerdict, ShareRecord, ShareStatus,
};
use safeshare_core::sync::EnvelopeKind;
use safeshare_tests::{backends, region, Backend, Region, SessionPhone, TestServer};
use std::sync::Arc;

fn ten_o_clock() -> DateTime<Utc> {
    // A Tuesday in winter (UTC = London time), inside working hours.
    Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
}

fn enrolled(
    server: &TestServer,
    clock: &Arc<FixedClock>,
    region: &Region,
    team: TeamId,
    name: &str,
    seed: u64,
) -> SessionPhone {
    SessionPhone::enrolled(server, region, clock.clone(), name, team, seed)
}

/// The share as this phone holds it.
trait Held {
    fn record(&self, share: ShareId) -> ShareRecord;
}

impl Held for SessionPhone {
    fn record(&self, share: ShareId) -> ShareRecord {
        self.session.share(share).unwrap().share.record
    }
}

fn read_back(risk: &str, next_action: &str) -> ReadBack {
    ReadBack {
        who: "The baby at the new address".into(),
        risk: risk.into(),
        next_action: next_action.into(),
    }
}

#[derive(Debug, Clone, Copy)]
enum FirstToSync {
    /// Ash, who acknowledged first, syncs first.
    Earlier,
    /// Bo, who acknowledged second, syncs first.
    Later,
}

fn two_offline_acknowledgements(backend: Backend, order: FirstToSync) {
    let region = region();
    let clock = Arc::new(FixedClock::new(ten_o_clock()));
    let server = TestServer::start(backend, clock.clone(), &region);
    let midwife = enrolled(&server, &clock, &region, region.midwifery, "Midwife Sam", 1);
    let ash = enrolled(
        &server,
        &clock,
        &region,
        region.health_visiting,
        "Health Visitor Ash",
        2,
    );
    let bo = enrolled(
        &server,
        &clock,
        &region,
        region.health_visiting,
        "Health Visitor Bo",
        3,
    );

    // 10:00: the midwife shares a concern with the health visiting team.
    let household = midwife.session.add_household(None).unwrap();
    let baby = midwife
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some("Fictional Baby".into()),
                date_of_birth: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    let share = midwife
        .session
        .capture_observation(NewObservationInput {
            about: baby.id,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Raised voices and a broken door frame at the visit.".into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team: region.health_visiting,
                message: "Please visit this week and call me.".into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .unwrap()
        .share;
    midwife.sync();
    ash.sync();
    bo.sync();
    for phone in [&ash, &bo] {
        let incoming = phone.session.incoming_shares().unwrap();
        assert_eq!(incoming.len(), 1);
        assert!(!incoming[0].acknowledged);
    }

    // Both acknowledge while offline, each in their own words.
    let ash_words = read_back("Domestic abuse, door damaged", "Visit this week");
    let bo_words = read_back("Violence at home, risk to the baby", "Joint visit with CSC");
    clock.set(ten_o_clock() + Duration::minutes(30));
    ash.session
        .acknowledge_share(share, ash_words.clone())
        .unwrap();
    clock.set(ten_o_clock() + Duration::minutes(45));
    bo.session
        .acknowledge_share(share, bo_words.clone())
        .unwrap();
    clock.set(ten_o_clock() + Duration::minutes(60));

    let ash_ack = Acknowledgement {
        by: ash.practitioner,
        team: region.health_visiting,
        at: ten_o_clock() + Duration::minutes(30),
        read_back: ash_words,
    };
    let bo_ack = Acknowledgement {
        by: bo.practitioner,
        team: region.health_visiting,
        at: ten_o_clock() + Duration::minutes(45),
        read_back: bo_words,
    };
    let confirm = |phone: &SessionPhone| {
        phone
            .session
            .check_read_back(share, ReadBackVerdict::Confirmed)
            .unwrap();
        assert_eq!(
            phone.session.share(share).unwrap().status,
            ShareStatus::Closed
        );
    };

    match order {
        FirstToSync::Earlier => {
            ash.sync();
            midwife.sync();
            assert_eq!(midwife.record(share).acknowledgement, Some(ash_ack.clone()));
            // The sender confirms the one read-back she has.
            confirm(&midwife);
            bo.sync();
            ash.sync();
        }
        FirstToSync::Later => {
            bo.sync();
            // Nothing tells Bo yet that Ash acknowledged first.
            assert_eq!(
                bo.session.incoming_shares().unwrap()[0].already_acknowledged_by,
                None
            );
            midwife.sync();
            assert_eq!(midwife.record(share).acknowledgement, Some(bo_ack.clone()));
            confirm(&midwife);
            ash.sync();
            bo.sync();
        }
    }
    midwife.sync();

    // All three phones: Ash's (the earliest) closed the share; Bo's is kept with its read-back.
    let on_sender = midwife.record(share);
    assert_eq!(on_sender.acknowledgement, Some(ash_ack.clone()));
    assert_eq!(on_sender.further_acknowledgements, vec![bo_ack.clone()]);
    for phone in [&ash, &bo] {
        let record = phone.record(share);
        assert_eq!(record.acknowledgement, on_sender.acknowledgement);
        assert_eq!(
            record.further_acknowledgements,
            on_sender.further_acknowledgements
        );
        assert!(phone.session.incoming_shares().unwrap()[0].acknowledged);
    }
    // Bo learns who was first, and when; Ash is told nothing of the kind.
    assert_eq!(
        bo.session.incoming_shares().unwrap()[0].already_acknowledged_by,
        Some(AlreadyAcknowledged {
            by: ash.practitioner,
            by_name: "Health Visitor Ash".into(),
            at: ten_o_clock() + Duration::minutes(30),
        })
    );
    assert_eq!(
        ash.session.incoming_shares().unwrap()[0].already_acknowledged_by,
        None
    );

    // The sender: the deadline is judged on the earliest acknowledgement, and the read-back
    // that arrived after her check reopens it until she checks that one too.
    let view = midwife.session.share(share).unwrap();
    assert!(ash_ack.at <= view.share.due_at);
    assert_eq!(view.further_acknowledgements, vec![bo_ack.clone()]);
    assert_eq!(
        view.status,
        ShareStatus::ReadBackToCheck {
            acknowledged_at: ash_ack.at
        }
    );
    confirm(&midwife);

    // The server accepted both acknowledgements and reports nothing overdue for the share.
    let acknowledgements: Vec<_> = server
        .envelopes_for(&[region.midwifery])
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| e.kind == EnvelopeKind::Acknowledgement && e.answers == Some(share.ulid()))
        .collect();
    assert_eq!(acknowledgements.len(), 2);
    assert!(acknowledgements
        .iter()
        .any(|e| e.author == ash.practitioner));
    assert!(acknowledgements.iter().any(|e| e.author == bo.practitioner));
    assert!(!server
        .overdue_at(view.share.due_at + Duration::days(3))
        .iter()
        .any(|item| item.entity_id == share.ulid()));
}

#[test]
fn two_offline_acknowledgements_reach_every_phone_when_the_earlier_syncs_first() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        two_offline_acknowledgements(backend, FirstToSync::Earlier);
    }
}

#[test]
fn two_offline_acknowledgements_reach_every_phone_when_the_later_syncs_first() {
    for backend in backends() {
        eprintln!("backend: {}", backend.name());
        two_offline_acknowledgements(backend, FirstToSync::Later);
    }
}
