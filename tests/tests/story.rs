//! The whole loop over a real server on 127.0.0.1 (SQLite, and PostgreSQL when configured),
//! two phones each with its own encrypted store, all clocks fixed:
//! a midwife captures a concern with no signal; later her phone syncs; the out-of-area
//! health-visiting team's phone pulls it, and the health visitor acknowledges with a read-back;
//! the midwife's phone pulls the acknowledgement. A second share that nobody acknowledges
//! becomes "call this team now" at its due minute, with the number the directory chooses at
//! that instant. A referral sent on Friday afternoon with no decision is chased on Monday at
//! the same time.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{AppError, AttentionNow, NewReferralInput, Session};
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::directory::choose_number;
use safeshare_core::model::{PersonDetails, PersonId, PersonRole, ShareId, TeamId};
use safeshare_core::rules::acknowledgement::{ReadBack, ShareStatus};
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::calendar::Calendar;
use safeshare_core::rules::referral::ReferralChannel;
use safeshare_core::sync::client::SyncSummary;
use safeshare_tests::home_visit::assert_read_back_to_check;
use safeshare_tests::phone::{add_child, share_concern, SessionPhone};
use safeshare_tests::{backends, region, Backend, Region, TestServer};
use std::sync::Arc;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

const CHILD_NAME: &str = "Zebedee Quartermain";

/// A phone set up and enrolled as on first run: the phone cannot know the practitioner's id
/// before enrolment, so a fresh store takes the practitioner the code was issued for.
fn phone(
    server: &TestServer,
    region: &Region,
    clock: &Arc<FixedClock>,
    name: &str,
    team: TeamId,
) -> SessionPhone {
    let phone = SessionPhone::open(server, region, clock.clone(), name, team, 1);
    let enrolled = phone
        .session
        .enrol(&phone.client, &server.issue_code(vec![team]))
        .unwrap();
    assert_ne!(enrolled.practitioner, phone.practitioner);
    assert_eq!(phone.session.identity().practitioner, enrolled.practitioner);
    assert_eq!(enrolled.team_ids(), vec![team]);
    assert_eq!(phone.session.identity().device, enrolled.device);
    phone
}

fn baby(session: &Session) -> PersonId {
    add_child(
        session,
        "1 Fictional Row, Leeds",
        CHILD_NAME,
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    )
}

fn shared_concern(session: &Session, about: PersonId, team: TeamId, text: &str) -> ShareId {
    share_concern(
        session,
        about,
        team,
        text,
        "Please see mother alone at your next contact.",
    )
}

fn call_now(items: &[AttentionNow], share: ShareId) -> Option<&AttentionNow> {
    items
        .iter()
        .find(|a| matches!(a.item.kind, AttentionKind::CallTeamNow { share: s, .. } if s == share))
}

#[test]
fn offline_concern_reaches_the_other_team_is_acknowledged_and_unanswered_ones_are_chased() {
    for backend in backends() {
        let region = region();
        // Monday 23 November 2026, 10:30 GMT: one clock for the server and both phones.
        let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 30)));
        let server = TestServer::start(backend, clock.clone() as Arc<dyn Clock>, &region);
        let midwife = phone(&server, &region, &clock, "Midwife Ash", region.midwifery);
        let hv = phone(
            &server,
            &region,
            &clock,
            "Health visitor Birch",
            region.health_visiting,
        );

        // No signal on the visit: the concern and its share are captured, nothing sent.
        let child = baby(&midwife.session);
        let share = shared_concern(
            &midwife.session,
            child,
            region.health_visiting,
            "Mother has a bruise on her forearm and said her partner grabbed her.",
        );
        let status = midwife.session.sync_status().unwrap();
        assert_eq!(status.pending, 1);
        assert_ne!(
            status.summary,
            SyncSummary::AllSynced,
            "never 'synced' while pending"
        );

        // Back in signal at 10:45: the phone syncs.
        clock.set(utc(2026, 11, 23, 10, 45));
        let report = midwife.session.sync_now(&midwife.client).unwrap();
        assert_eq!(report.accepted, 1);
        assert_eq!(
            midwife.session.sync_status().unwrap().summary,
            SyncSummary::AllSynced
        );

        // The health visitor's phone pulls it at 11:00 and she acknowledges with a read-back.
        clock.set(utc(2026, 11, 23, 11, 0));
        hv.session.sync_now(&hv.client).unwrap();
        let incoming = hv.session.incoming_shares().unwrap();
        assert_eq!(incoming.len(), 1);
        assert_eq!(
            incoming[0].share.content.about.name.as_deref(),
            Some(CHILD_NAME)
        );
        let read_back = ReadBack {
            who: "Three-week-old baby and mother at 1 Fictional Row".into(),
            risk: "Domestic abuse: mother grabbed by partner, bruise seen".into(),
            next_action: "Health visitor to visit by Friday and see mother alone".into(),
        };
        hv.session
            .acknowledge_share(share, read_back.clone())
            .unwrap();
        hv.session.sync_now(&hv.client).unwrap();
        assert_eq!(
            hv.session.sync_status().unwrap().summary,
            SyncSummary::AllSynced
        );

        // The midwife's phone pulls the acknowledgement: the loop is closed.
        clock.set(utc(2026, 11, 23, 11, 15));
        midwife.session.sync_now(&midwife.client).unwrap();
        assert_read_back_to_check(
            &midwife.session,
            share,
            utc(2026, 11, 23, 11, 0),
            &read_back,
        );

        // A second concern, shared at 11:15, that nobody acknowledges.
        let unanswered = shared_concern(
            &midwife.session,
            child,
            region.health_visiting,
            "Partner shouted at mother during the visit; baby crying, not comforted.",
        );
        midwife.session.sync_now(&midwife.client).unwrap();
        hv.session.sync_now(&hv.client).unwrap();
        let due = midwife.session.share(unanswered).unwrap();
        let ShareStatus::AwaitingAcknowledgement { due: due_at } = due.status else {
            panic!("awaiting acknowledgement: {:?}", due.status);
        };
        clock.set(due_at - chrono::Duration::minutes(1));
        midwife.session.sync_now(&midwife.client).unwrap();
        assert!(call_now(&midwife.session.needs_attention_now().unwrap(), unanswered).is_none());
        clock.set(due_at);
        midwife.session.sync_now(&midwife.client).unwrap();
        let items = midwife.session.needs_attention_now().unwrap();
        let call = call_now(&items, unanswered).expect("call the team now");
        let chosen = choose_number(
            &region.directory,
            region.health_visiting,
            clock.now(),
            &Calendar::england_and_wales(),
        )
        .unwrap();
        assert_eq!(call.call.as_ref().unwrap().tel_uri, chosen.tel_uri);

        // Friday 27 November, 15:00: a referral to the front door, synced; no decision comes.
        clock.set(utc(2026, 11, 27, 15, 0));
        let referral = midwife
            .session
            .record_referral(NewReferralInput {
                about: child,
                front_door: region.front_door,
                sent_at: None,
                summary: "Domestic abuse disclosed; baby three weeks old.".into(),
                channel: ReferralChannel::Phone,
            })
            .unwrap();
        let id = referral.record.referral.id;
        midwife.session.sync_now(&midwife.client).unwrap();
        let chase = |items: &[AttentionNow]| {
            items.iter().any(|a| {
                matches!(a.item.kind, AttentionKind::ChaseReferralDecision { referral, .. } if referral == id)
            })
        };
        for at in [utc(2026, 11, 28, 12, 0), utc(2026, 11, 30, 14, 59)] {
            clock.set(at);
            midwife.session.sync_now(&midwife.client).unwrap();
            assert!(
                !chase(&midwife.session.needs_attention_now().unwrap()),
                "{at}"
            );
        }
        clock.set(utc(2026, 11, 30, 15, 0));
        midwife.session.sync_now(&midwife.client).unwrap();
        assert!(
            chase(&midwife.session.needs_attention_now().unwrap()),
            "chase on Monday 15:00"
        );

        // The server holds each envelope once: two shares, one acknowledgement, one referral.
        let stored = server.envelopes_for(&region.teams());
        assert_eq!(stored.len(), 4, "{}", server.backend().name());
    }
}

#[test]
fn a_store_holding_captures_refuses_a_code_issued_for_another_practitioner() {
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 0)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let team = region.midwifery;
    let phone = SessionPhone::open(&server, &region, clock.clone(), "Midwife Ash", team, 3);
    let (session, client, practitioner) = (&phone.session, &phone.client, phone.practitioner);
    // Captured offline before enrolment: this store now belongs to its practitioner.
    baby(session);
    let wrong = session.enrol(client, &server.issue_code(vec![team]));
    assert!(
        matches!(wrong, Err(AppError::Validation { ref field, .. }) if field == "code"),
        "{wrong:?}"
    );
    assert_eq!(session.identity().practitioner, practitioner);
    let enrolled = session
        .enrol(client, &server.issue_code_for(practitioner, vec![team]))
        .unwrap();
    assert_eq!(enrolled.practitioner, practitioner);
}

/// Issue 15, the clinical-safety case: the health visitor's phone already holds another baby
/// under the same NHS number (a transcription slip), born on a different day. The midwife's
/// share about her baby arrives over the real server; taking its subject onto the caseload
/// offers both records and attaches nothing, until the health visitor chooses.
#[test]
fn a_share_matching_on_nhs_number_but_not_date_of_birth_is_offered_not_attached() {
    use safeshare_core::app::{SubjectChoice, SubjectTakeOn};
    const SHARED_NHS: &str = "401 023 2137";
    let region = region();
    let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 30)));
    let server = TestServer::start(Backend::Sqlite, clock.clone() as Arc<dyn Clock>, &region);
    let midwife = phone(&server, &region, &clock, "Midwife Ash", region.midwifery);
    let hv = phone(
        &server,
        &region,
        &clock,
        "Health visitor Birch",
        region.health_visiting,
    );
    let add_baby = |session: &Session, name: &str, born: NaiveDate| {
        let household = session.add_household(None).unwrap();
        session
            .add_person(
                household.id,
                PersonRole::Child,
                PersonDetails {
                    name: Some(name.into()),
                    date_of_birth: Some(born),
                    nhs_number: Some(SHARED_NHS.into()),
                    ..PersonDetails::default()
                },
            )
            .unwrap()
    };
    let born = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let other_born = NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
    let midwifes_baby = add_baby(&midwife.session, CHILD_NAME, born);
    let other_baby = add_baby(&hv.session, "Other Baby", other_born);

    let share = shared_concern(
        &midwife.session,
        midwifes_baby.id,
        region.health_visiting,
        "Bruise on the left forearm, no explanation given.",
    );
    midwife.session.sync_now(&midwife.client).unwrap();
    hv.session.sync_now(&hv.client).unwrap();
    assert!(hv
        .session
        .incoming_shares()
        .unwrap()
        .iter()
        .any(|s| s.share.record.share.id == share));

    let SubjectTakeOn::Confirm(conflict) = hv.session.take_on_share_subject(share).unwrap() else {
        panic!("a number alone must not decide who the share is about");
    };
    assert_eq!(conflict.incoming.date_of_birth, Some(born));
    assert_eq!(conflict.incoming.name.as_deref(), Some(CHILD_NAME));
    assert_eq!(conflict.candidates.len(), 1);
    assert_eq!(conflict.candidates[0].person, other_baby);
    assert!(conflict.candidates[0]
        .differences
        .contains(&"date_of_birth"));
    // Nothing was attached or recorded: the other baby's record is as it was, alone.
    assert_eq!(
        hv.session.find_people_by_nhs_number(SHARED_NHS).unwrap(),
        vec![other_baby.clone()]
    );
    // Asked again, the answer is the same: the offer stands until the practitioner chooses.
    assert!(matches!(
        hv.session.take_on_share_subject(share).unwrap(),
        SubjectTakeOn::Confirm(_)
    ));

    // She compares the records and says this is someone else: a new record from the share.
    let taken = hv
        .session
        .resolve_share_subject(share, SubjectChoice::NewPerson)
        .unwrap();
    assert_ne!(taken.id, other_baby.id);
    assert_eq!(taken.date_of_birth, Some(born));
    assert_eq!(hv.session.person(other_baby.id).unwrap(), other_baby);
}
