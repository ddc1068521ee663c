//! The whole loop over a real server on 127.0.0.1 (SQLite, and PostgreSQL when configured),
//! two phones each with its own encrypted store, all clocks fixed: the home-visit story, told
//! once here (issue 16 item 6; core's `app_home_visit.rs` told it with envelopes carried by
//! hand, and each of its checks is made here over the server).
//!
//! A midwife on a visit with no signal captures a vague note (the stock-phrase prompt), the
//! baby's voice, and a specific concern shared with the out-of-area health-visiting team (the
//! record and its envelope in one transaction, the header carrying no names); later her phone
//! syncs; the health visitor's phone pulls the share, she acknowledges with a read-back (hers
//! to give, and whole); the midwife's phone pulls the acknowledgement, she finds the read-back
//! under-emphasised and is told to phone (the number chosen), then confirms, and the share
//! closes. The chronology shows the visit in order, and neither phone's files hold the family
//! in plaintext. A second share that nobody acknowledges becomes "call this team now" at its
//! due minute, with the number the directory chooses at that instant. A referral sent on
//! Friday afternoon with no decision is chased on Monday at the same time.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::app::{
    AppError, AttentionNow, InboundOutcome, NewObservationInput, NewReferralInput,
    NewVoiceNoteInput, Session, ShareDirection, ShareRequest,
};
use safeshare_core::clock::{Clock, FixedClock};
use safeshare_core::directory::choose_number;
use safeshare_core::model::{
    Attendee, CaptureWarning, ConcernCategory, Evidence, ExpressionMode, InputMethod, Person,
    PersonDetails, PersonId, PersonRole, Place, PlaceKind, Severity, ShareId, TeamId,
};
use safeshare_core::rules::acknowledgement::{ReadBack, ReadBackVerdict, ShareStatus};
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::calendar::Calendar;
use safeshare_core::rules::referral::ReferralChannel;
use safeshare_core::sync::client::SyncSummary;
use safeshare_core::sync::EnvelopeKind;
use safeshare_tests::phone::{add_child, add_child_with_nhs_number, share_concern, SessionPhone};
use safeshare_tests::{backends, region, Backend, Region, TestServer};
use std::sync::Arc;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

const CHILD_NAME: &str = "Zebedee Quartermain";
const MOTHER_NAME: &str = "Philippa Quartermain";
/// A valid NHS number (modulus 11), as the midwife types it.
const CHILD_NHS: &str = "943 476 5919";

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

/// The family the home visit is to: a household, the mother and her three-week-old baby (with
/// an NHS number).
fn family(session: &Session) -> (safeshare_core::model::Household, Person, Person) {
    let household = session
        .add_household(Some("1 Fictional Row, Leeds".into()))
        .unwrap();
    let person = |role, details| session.add_person(household.id, role, details).unwrap();
    let mother = person(
        PersonRole::MotherOrBirthingParent,
        PersonDetails {
            name: Some(MOTHER_NAME.into()),
            ..PersonDetails::default()
        },
    );
    let baby = person(
        PersonRole::Child,
        PersonDetails {
            name: Some(CHILD_NAME.into()),
            date_of_birth: NaiveDate::from_ymd_opt(2026, 11, 1),
            nhs_number: Some(CHILD_NHS.into()),
            ..PersonDetails::default()
        },
    );
    (household, mother, baby)
}

fn home() -> Place {
    Place {
        kind: PlaceKind::Home,
        detail: None,
    }
}

/// A domestic-abuse observation at home about `about`, observed as fact.
fn observation(
    about: PersonId,
    description: &str,
    severity: Severity,
    share: Option<ShareRequest>,
) -> NewObservationInput {
    NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::DomesticAbuse,
        severity,
        evidence: Evidence::ObservedFact,
        description: description.into(),
        observed_at: None,
        place: Some(home()),
        share,
    }
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

/// The sender's phone once the acknowledgement has arrived: the share waits for her to check
/// the read-back (acknowledged at `acknowledged_at`), and it holds the recipient's own words.
fn assert_read_back_to_check(
    sender: &Session,
    share: ShareId,
    acknowledged_at: DateTime<Utc>,
    read_back: &ReadBack,
) {
    let view = sender.share(share).expect("the sender holds the share");
    assert_eq!(
        view.status,
        ShareStatus::ReadBackToCheck { acknowledged_at }
    );
    let acknowledgement = view
        .share
        .record
        .acknowledgement
        .as_ref()
        .expect("the share is acknowledged");
    assert_eq!(&acknowledgement.read_back, read_back);
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
        // Monday 23 November 2026, 10:00 GMT: one clock for the server and both phones.
        let clock = Arc::new(FixedClock::new(utc(2026, 11, 23, 10, 0)));
        let server = TestServer::start(backend, clock.clone() as Arc<dyn Clock>, &region);
        let midwife = phone(&server, &region, &clock, "Midwife Ash", region.midwifery);
        let hv = phone(
            &server,
            &region,
            &clock,
            "Health visitor Birch",
            region.health_visiting,
        );

        // No signal on the visit: the family, and the visit started with the mother present.
        let (household, mother, baby) = family(&midwife.session);
        let child = baby.id;
        let visit = midwife
            .session
            .start_visit(
                household.id,
                home(),
                vec![Attendee::Person { person: mother.id }],
                None,
            )
            .unwrap();

        // A capture with stock phrases: stored, with the prompt, nothing queued.
        let vague = midwife
            .session
            .capture_observation(NewObservationInput {
                visit: Some(visit.id),
                ..observation(
                    child,
                    "No concerns, engaging well.",
                    Severity::LowLevelConcern,
                    None,
                )
            })
            .unwrap();
        assert_eq!(
            vague.warnings,
            vec![CaptureWarning::NotSpecific {
                stock_phrases: vec!["no concerns".into(), "engaging well".into()]
            }]
        );
        assert_eq!(vague.record.warnings, vague.warnings);
        assert!(vague.share.is_none());
        assert!(midwife.session.pending_envelopes().unwrap().is_empty());

        // A voice-of-the-child note for the baby: the observed lived experience.
        let voice = midwife
            .session
            .capture_voice_note(NewVoiceNoteInput {
                child,
                visit: Some(visit.id),
                words: "Startles and cries when the front door bangs; settles only with mother."
                    .into(),
                mode: ExpressionMode::ObservedLivedExperience,
                present: vec![Attendee::Person { person: mother.id }],
                expressed_at: None,
                input: InputMethod::Dictated,
                share: None,
            })
            .unwrap();
        assert!(voice.warnings.is_empty());

        // At 10:30, a specific concern, shared with health visiting in the same capture.
        clock.set(utc(2026, 11, 23, 10, 30));
        let receipt = midwife
            .session
            .capture_observation(observation(
                child,
                "Mother has a bruise on her left forearm; says partner grabbed her during an argument last night.",
                Severity::Concern,
                Some(ShareRequest {
                    team: region.health_visiting,
                    message: "Please visit this week: domestic abuse disclosed, baby 3 weeks old."
                        .into(),
                    severity: None,
                }),
            ))
            .unwrap()
            .share
            .expect("the capture was shared");
        let share = receipt.share;
        assert_eq!(receipt.severity, Severity::Concern);
        // A concern is due 4 working hours after sending: 10:30 -> 14:30 the same Monday.
        assert_eq!(receipt.due_at, utc(2026, 11, 23, 14, 30));

        // The envelope waits in the outbox, with only ids, times and severity in its header.
        let outbox = midwife.session.pending_envelopes().unwrap();
        assert_eq!(outbox.len(), 1);
        let share_envelope = outbox[0].clone();
        assert_eq!(share_envelope.id, receipt.envelope);
        assert_eq!(share_envelope.kind, EnvelopeKind::Share);
        assert_eq!(share_envelope.audience, vec![region.health_visiting]);
        assert_eq!(share_envelope.due_at, Some(receipt.due_at));
        assert_eq!(share_envelope.severity, Some(Severity::Concern));
        assert_eq!(
            share_envelope.author,
            midwife.session.identity().practitioner
        );
        assert_eq!(share_envelope.device, midwife.device());
        let mut header = serde_json::to_value(&share_envelope).unwrap();
        header.as_object_mut().unwrap().remove("body");
        let header = header.to_string();
        assert!(!header.contains("Quartermain") && !header.contains("9434765919"));
        let status = midwife.session.sync_status().unwrap();
        assert_eq!(status.pending, 1);
        assert_ne!(
            status.summary,
            SyncSummary::AllSynced,
            "never 'synced' while pending"
        );
        // Her own list: the share awaits acknowledgement.
        let sent = midwife.session.shares_sent().unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            sent[0].status,
            ShareStatus::AwaitingAcknowledgement {
                due: receipt.due_at
            }
        );

        // Back in signal at 10:45: the phone syncs.
        clock.set(utc(2026, 11, 23, 10, 45));
        let report = midwife.session.sync_now(&midwife.client).unwrap();
        assert_eq!(report.accepted, 1);
        assert_eq!(
            midwife.session.sync_status().unwrap().summary,
            SyncSummary::AllSynced
        );

        // The health visitor's phone pulls it at 11:00: an incoming share, applied once.
        clock.set(utc(2026, 11, 23, 11, 0));
        assert_eq!(hv.sync().pulled, 1);
        assert_eq!(
            hv.session.apply_inbound(&share_envelope).unwrap(),
            InboundOutcome::AlreadyApplied,
            "the same envelope again (a repeated pull) changes nothing"
        );
        let incoming = hv.session.incoming_shares().unwrap();
        assert_eq!(incoming.len(), 1);
        let received = &incoming[0].share;
        assert_eq!(received.direction, ShareDirection::Incoming);
        assert_eq!(received.content.about.name.as_deref(), Some(CHILD_NAME));
        assert_eq!(
            received.content.about.nhs_number.as_deref(),
            Some("9434765919")
        );
        assert_eq!(received.content.observations.len(), 1);
        assert!(received.content.observations[0]
            .description
            .starts_with("Mother has a bruise"));
        assert!(!incoming[0].acknowledged);
        assert!(hv
            .session
            .needs_attention_now()
            .unwrap()
            .iter()
            .any(|a| matches!(
                a.item.kind,
                AttentionKind::AcknowledgeIncomingShare { share: s, .. } if s == share
            )));

        // The midwife cannot acknowledge her own share.
        let read_back = ReadBack {
            who: "Three-week-old baby and mother at 1 Fictional Row".into(),
            risk: "Domestic abuse: mother grabbed by partner, bruise seen".into(),
            next_action: "Health visitor to visit by Friday and see mother alone".into(),
        };
        assert!(matches!(
            midwife.session.acknowledge_share(share, read_back.clone()),
            Err(AppError::Refused { .. })
        ));
        // An incomplete read-back is refused naming the field; nothing is queued.
        let err = hv
            .session
            .acknowledge_share(
                share,
                ReadBack {
                    next_action: " ".into(),
                    ..read_back.clone()
                },
            )
            .unwrap_err();
        assert!(matches!(err, AppError::Validation { ref field, .. } if field == "read_back"));
        assert!(hv.session.pending_envelopes().unwrap().is_empty());

        // She acknowledges with her read-back: an envelope back to midwifery, then synced.
        hv.session
            .acknowledge_share(share, read_back.clone())
            .unwrap();
        let hv_outbox = hv.session.pending_envelopes().unwrap();
        assert_eq!(hv_outbox.len(), 1);
        let ack_envelope = hv_outbox[0].clone();
        assert_eq!(ack_envelope.kind, EnvelopeKind::Acknowledgement);
        assert_eq!(ack_envelope.answers, Some(share.ulid()));
        // To the sender's team, and to her own team so a colleague who acknowledged it too
        // learns who was first (issue 14).
        assert_eq!(
            ack_envelope.audience,
            vec![region.midwifery, region.health_visiting]
        );
        assert!(hv.session.incoming_shares().unwrap()[0].acknowledged);
        assert!(!hv
            .session
            .needs_attention_now()
            .unwrap()
            .iter()
            .any(|a| matches!(a.item.kind, AttentionKind::AcknowledgeIncomingShare { .. })));
        hv.sync();
        assert_eq!(
            hv.session.sync_status().unwrap().summary,
            SyncSummary::AllSynced
        );

        // The midwife's phone pulls the acknowledgement at 11:15: read-back to check.
        clock.set(utc(2026, 11, 23, 11, 15));
        assert_eq!(midwife.sync().pulled, 1);
        assert_eq!(
            midwife.session.apply_inbound(&ack_envelope).unwrap(),
            InboundOutcome::AlreadyApplied
        );
        assert_read_back_to_check(
            &midwife.session,
            share,
            utc(2026, 11, 23, 11, 0),
            &read_back,
        );
        assert!(midwife
            .session
            .needs_attention_now()
            .unwrap()
            .iter()
            .any(|a| matches!(
                a.item.kind,
                AttentionKind::CheckReadBack { share: s } if s == share
            )));

        // Under-emphasised: the loop stays open and she is told to phone, number chosen.
        midwife
            .session
            .check_read_back(
                share,
                ReadBackVerdict::UnderEmphasised("baby was present during the argument".into()),
            )
            .unwrap();
        let attention = midwife.session.needs_attention_now().unwrap();
        let correct = attention
            .iter()
            .find(|a| matches!(a.item.kind, AttentionKind::CorrectReadBack { .. }))
            .expect("a prompt to correct the read-back");
        let expected = choose_number(
            &region.directory,
            region.health_visiting,
            clock.now(),
            &Calendar::england_and_wales(),
        )
        .unwrap();
        assert_eq!(correct.call.as_ref().unwrap(), &expected);

        // After the corrective call she confirms: closed, and nothing about it needs attention.
        midwife
            .session
            .check_read_back(share, ReadBackVerdict::Confirmed)
            .unwrap();
        assert_eq!(
            midwife.session.share(share).unwrap().status,
            ShareStatus::Closed
        );
        assert!(!midwife
            .session
            .needs_attention_now()
            .unwrap()
            .iter()
            .any(|a| format!("{:?}", a.item.kind).contains(&share.to_string())));

        // The chronology shows the visit's records in time order, decrypted on read.
        let chronology = midwife.session.chronology_for_child(child).unwrap();
        let summaries: Vec<&str> = chronology.iter().map(|e| e.summary.as_str()).collect();
        assert_eq!(chronology.len(), 5, "{summaries:?}");
        assert_eq!(summaries[0], "No concerns, engaging well.");
        assert!(summaries[1].starts_with("Startles and cries"));
        assert!(summaries[2].starts_with("Mother has a bruise"));
        assert_eq!(summaries[3], "Shared with East health visiting");
        assert!(summaries[4].starts_with("Acknowledged by East health visiting"));
        assert_eq!(
            midwife
                .session
                .chronology_for_household(household.id)
                .unwrap()
                .len(),
            5
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

        // No plaintext of the family's distinctive names, number or words in any of either
        // phone's database files.
        for phone in [&midwife, &hv] {
            let files = phone.store_files();
            assert!(files.iter().any(|(suffix, _)| suffix == "-wal"));
            for (suffix, bytes) in files {
                for needle in ["Quartermain", "Zebedee", "9434765919", "bruise"] {
                    assert!(
                        !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                        "{needle} found in plaintext in field.db{suffix}"
                    );
                }
            }
        }
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
    let born = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let other_born = NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
    let midwifes_baby = add_child_with_nhs_number(&midwife.session, CHILD_NAME, born, SHARED_NHS);
    let other_baby = add_child_with_nhs_number(&hv.session, "Other Baby", other_born, SHARED_NHS);

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
