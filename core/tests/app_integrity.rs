//! What the `Session` guarantees when things go wrong: a capture and its envelope commit
//! together or not at all (a write failing mid-transaction leaves neither); bad input is a typed
//! error naming the field and stores nothing; a wrong or missing key is refused without
//! touching the file; a wiped (revoked) store answers `Revoked` and its files are gone; inbound
//! envelopes that contradict themselves are refused and write nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{AppError, InboundOutcome, NewObservationInput, Session, ShareRequest};
use safeshare_core::model::{
    ConcernCategory, Evidence, PersonDetails, PersonRole, Severity, TeamId,
};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::secrets::{InMemorySecretStore, SecretStore};
use safeshare_core::store::DATA_KEY_SECRET;
use safeshare_core::sync::Body;
use std::sync::Arc;

fn shared_observation(about: safeshare_core::model::PersonId, team: TeamId) -> NewObservationInput {
    NewObservationInput {
        about,
        visit: None,
        category: ConcernCategory::ParentalMentalHealth,
        severity: Severity::Concern,
        evidence: Evidence::ObservedFact,
        description: "Mother tearful throughout, says she has not slept for three nights.".into(),
        observed_at: None,
        place: None,
        share: Some(ShareRequest {
            team,
            message: "Please see mother this week.".into(),
            severity: None,
        }),
    }
}

#[test]
fn a_failing_outbox_write_leaves_neither_the_capture_nor_its_envelope() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);

    // Make the outbox refuse inserts, as a full disk would, from a second connection.
    let conn = rusqlite::Connection::open(&midwife.path).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox
         BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END;",
    )
    .unwrap();
    let err = midwife
        .session
        .capture_observation(shared_observation(family.mother.id, region.health_visiting))
        .unwrap_err();
    assert!(matches!(err, AppError::Storage(_)), "{err:?}");
    assert!(midwife
        .session
        .observations_about(family.mother.id)
        .unwrap()
        .is_empty());
    assert!(midwife.session.shares_sent().unwrap().is_empty());
    assert!(midwife.session.pending_envelopes().unwrap().is_empty());

    // Once writes work again the same capture commits with its envelope.
    conn.execute_batch("DROP TRIGGER outbox_fails;").unwrap();
    let captured = midwife
        .session
        .capture_observation(shared_observation(family.mother.id, region.health_visiting))
        .unwrap();
    assert_eq!(
        midwife
            .session
            .observations_about(family.mother.id)
            .unwrap(),
        vec![captured.record]
    );
    assert_eq!(midwife.session.pending_envelopes().unwrap().len(), 1);
}

#[test]
fn a_share_to_a_team_not_in_the_directory_stores_nothing() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let unknown = TeamId::new();
    let err = midwife
        .session
        .capture_observation(shared_observation(family.mother.id, unknown))
        .unwrap_err();
    assert!(matches!(
        &err,
        AppError::NotFound { what, id } if what == "team" && *id == unknown.to_string()
    ));
    let mut blank = shared_observation(family.mother.id, region.health_visiting);
    blank.share.as_mut().unwrap().message = "  ".into();
    assert!(matches!(
        midwife.session.capture_observation(blank).unwrap_err(),
        AppError::Validation { field, .. } if field == "message"
    ));
    assert!(midwife
        .session
        .observations_about(family.mother.id)
        .unwrap()
        .is_empty());
    assert!(midwife.session.pending_envelopes().unwrap().is_empty());
}

#[test]
fn an_invalid_or_duplicate_nhs_number_is_a_validation_error_on_that_field() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let child = |nhs: &str| PersonDetails {
        name: Some("Second child".into()),
        date_of_birth: family.baby.date_of_birth,
        nhs_number: Some(nhs.into()),
        ..PersonDetails::default()
    };
    let err = midwife
        .session
        .add_person(
            family.household.id,
            PersonRole::Child,
            child("943 476 5918"),
        )
        .unwrap_err();
    assert!(matches!(&err, AppError::Validation { field, .. } if field == "nhs_number"));
    assert!(!err.to_string().contains("9434765918"));
    let err = midwife
        .session
        .add_person(
            family.household.id,
            PersonRole::Child,
            child("943-476-5919"),
        )
        .unwrap_err();
    assert!(matches!(err, AppError::Validation { field, .. } if field == "nhs_number"));
    assert_eq!(
        midwife
            .session
            .household_members(family.household.id)
            .unwrap()
            .len(),
        2
    );
    // Looked up through the blind index, with any spacing.
    let found = midwife
        .session
        .find_people_by_nhs_number("9434765919")
        .unwrap();
    assert_eq!(found, vec![family.baby.clone()]);
}

#[test]
fn a_wrong_or_missing_key_is_refused_and_the_store_still_opens_with_the_right_one() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let Device {
        dir: _dir,
        path,
        secrets,
        clock,
        session,
        identity,
    } = midwife;
    drop(session);
    let before = std::fs::read(&path).unwrap();

    let wrong = Arc::new(InMemorySecretStore::default());
    wrong.put(DATA_KEY_SECRET, &[7u8; 32]).unwrap();
    let err = Session::open(&path, wrong, clock.clone(), identity.clone(), None).unwrap_err();
    assert!(matches!(err, AppError::KeyMismatch), "{err:?}");
    let err = Session::open(
        &path,
        Arc::new(InMemorySecretStore::default()),
        clock.clone(),
        identity.clone(),
        None,
    )
    .unwrap_err();
    assert!(matches!(err, AppError::KeyMissing), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // The right key opens it, with the directory copy kept from before.
    let session = Session::open(&path, secrets, clock, identity, None).unwrap();
    assert_eq!(session.person(family.baby.id).unwrap(), family.baby);
    assert_eq!(session.directory(), region.directory);
}

#[test]
fn after_revocation_the_store_is_gone_and_every_call_answers_revoked() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    midwife.session.wipe_local().unwrap();
    assert!(store_bytes(&midwife.path).is_empty());
    assert_eq!(midwife.secrets.get(DATA_KEY_SECRET).unwrap(), None);
    assert!(matches!(
        midwife.session.person(family.baby.id).unwrap_err(),
        AppError::Revoked
    ));
    assert!(matches!(
        midwife.session.needs_attention_now().unwrap_err(),
        AppError::Revoked
    ));
    // Wiping twice is harmless.
    midwife.session.wipe_local().unwrap();
}

#[test]
fn inbound_envelopes_that_contradict_their_header_are_refused_and_write_nothing() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    midwife
        .session
        .capture_observation(shared_observation(family.mother.id, region.health_visiting))
        .unwrap();
    let envelope = midwife.session.pending_envelopes().unwrap().remove(0);

    // Body names another team than the header's audience.
    let mut wrong_team = envelope.clone();
    wrong_team.audience = vec![TeamId::new()];
    assert!(matches!(
        hv.session.apply_inbound(&wrong_team),
        Err(AppError::BadEnvelope(_))
    ));
    // A newer body version.
    let mut newer = envelope.clone();
    let mut body: serde_json::Value = serde_json::from_slice(&newer.body.0).unwrap();
    body["v"] = 2.into();
    newer.body = Body(serde_json::to_vec(&body).unwrap());
    assert!(matches!(
        hv.session.apply_inbound(&newer),
        Err(AppError::BadEnvelope(_))
    ));
    // Garbage.
    let mut garbage = envelope.clone();
    garbage.body = Body(b"not json".to_vec());
    assert!(matches!(
        hv.session.apply_inbound(&garbage),
        Err(AppError::BadEnvelope(_))
    ));
    assert!(hv.session.incoming_shares().unwrap().is_empty());

    // The genuine one still applies (the failed attempts left no "applied" mark).
    assert_eq!(
        hv.session.apply_inbound(&envelope).unwrap(),
        InboundOutcome::ShareReceived
    );
    // A share to a team I am not in, or my own share coming back, changes nothing.
    assert_eq!(
        midwife.session.apply_inbound(&envelope).unwrap(),
        InboundOutcome::NoChange
    );
}

#[test]
fn the_first_acknowledgement_by_any_team_member_closes_the_share_for_the_team() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv_one = health_visitor(&region, utc(2026, 11, 23, 10, 30));
    let hv_two = health_visitor(&region, utc(2026, 11, 23, 10, 40));
    let family = family(&midwife.session);
    midwife
        .session
        .capture_observation(shared_observation(family.mother.id, region.health_visiting))
        .unwrap();
    let share = midwife.session.pending_envelopes().unwrap().remove(0);
    let share_id = midwife.session.shares_sent().unwrap()[0]
        .share
        .record
        .share
        .id;
    for hv in [&hv_one, &hv_two] {
        assert_eq!(
            hv.session.apply_inbound(&share).unwrap(),
            InboundOutcome::ShareReceived
        );
    }
    let read_back = ReadBack {
        who: "Mother".into(),
        risk: "Low mood, no sleep".into(),
        next_action: "Visit this week".into(),
    };
    hv_one
        .session
        .acknowledge_share(share_id, read_back.clone())
        .unwrap();
    let first_ack = hv_one.session.pending_envelopes().unwrap().remove(0);
    hv_two
        .session
        .acknowledge_share(share_id, read_back)
        .unwrap();
    let second_ack = hv_two.session.pending_envelopes().unwrap().remove(0);

    // A third colleague, online later, learns a colleague acknowledged it: off their list,
    // and their own acknowledgement is refused.
    let hv_three = health_visitor(&region, utc(2026, 11, 23, 11, 0));
    hv_three.session.apply_inbound(&share).unwrap();
    assert_eq!(
        hv_three.session.apply_inbound(&first_ack).unwrap(),
        InboundOutcome::IncomingShareAcknowledged
    );
    assert!(hv_three.session.incoming_shares().unwrap()[0].acknowledged);
    assert!(!hv_three
        .session
        .needs_attention_now()
        .unwrap()
        .iter()
        .any(|a| matches!(a.item.kind, AttentionKind::AcknowledgeIncomingShare { .. })));
    assert!(matches!(
        hv_three.session.acknowledge_share(
            share_id,
            ReadBack {
                who: "x".into(),
                risk: "y".into(),
                next_action: "z".into()
            }
        ),
        Err(AppError::Refused { .. })
    ));
    // The concurrent second acknowledgement is kept with its read-back where one is already
    // recorded (issue 14: no read-back is dropped); the first still closed the share.
    assert_eq!(
        hv_one.session.apply_inbound(&second_ack).unwrap(),
        InboundOutcome::FurtherAcknowledgement
    );

    // The sender: the first closes it, the second is kept as a further acknowledgement.
    assert_eq!(
        midwife.session.apply_inbound(&first_ack).unwrap(),
        InboundOutcome::MyShareAcknowledged
    );
    assert_eq!(
        midwife.session.apply_inbound(&second_ack).unwrap(),
        InboundOutcome::FurtherAcknowledgement
    );
    assert_eq!(
        midwife
            .session
            .share(share_id)
            .unwrap()
            .further_acknowledgements[0]
            .by,
        hv_two.identity.practitioner
    );
    let ack = midwife
        .session
        .share(share_id)
        .unwrap()
        .share
        .record
        .acknowledgement
        .unwrap();
    assert_eq!(ack.by, hv_one.identity.practitioner);
}

#[test]
fn decision_records_are_recorded_as_this_practitioners_now_and_a_decision_not_to_share_needs_the_requester_answer(
) {
    use safeshare_core::casework::decision::{
        Channel, Decision, DecisionToShare, IndividualInformed, LawfulBasis, Nature,
        NewDecisionNotToShare, NewDecisionToShare, Principles, Recipient, RequesterInformed,
        SharedItem, UnderstandingCheck,
    };
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let decision = midwife
        .session
        .record_decision_to_share(NewDecisionToShare {
            about: vec![family.baby.id],
            decided_by: safeshare_core::model::PractitionerId::new(),
            decided_at: utc(2020, 1, 1, 0, 0),
            purpose: "Safeguard the baby".into(),
            details: DecisionToShare {
                lawful_basis: LawfulBasis::PublicTask,
                special_category: None,
                recipient: Recipient::Team {
                    team: region.health_visiting,
                    team_name: "East health visiting".into(),
                    person: None,
                },
                channel: Channel::SecureMessage,
                shared: vec![SharedItem {
                    nature: Nature::Fact,
                    text: "Bruise on mother's forearm".into(),
                    observation: None,
                }],
                extent: None,
                principles: Principles::all_affirmed(),
                individual_informed: IndividualInformed::Told {
                    how: "Told mother at the visit".into(),
                },
                understanding: UnderstandingCheck::AwaitingAcknowledgement,
            },
        })
        .unwrap();
    assert_eq!(decision.decided_by, midwife.identity.practitioner);
    assert_eq!(decision.decided_at, utc(2026, 11, 23, 10, 0));
    assert!(matches!(decision.decision, Decision::ToShare(_)));

    let decision_not_to_share = |requester_informed| NewDecisionNotToShare {
        about: vec![family.mother.id],
        decided_by: midwife.identity.practitioner,
        decided_at: utc(2026, 11, 23, 10, 0),
        purpose: "Housing officer asked about the family".into(),
        reason: "Not necessary for the housing request".into(),
        requester_informed,
    };
    assert!(matches!(
        midwife.session.record_decision_not_to_share(decision_not_to_share(None)),
        Err(AppError::Validation { field, .. }) if field == "requester_informed"
    ));
    midwife
        .session
        .record_decision_not_to_share(decision_not_to_share(Some(RequesterInformed::Informed {
            requester: "Housing officer".into(),
            channel: Channel::Phone,
            at: utc(2026, 11, 23, 10, 0),
        })))
        .unwrap();
}

#[test]
fn an_observation_naming_a_visit_not_on_this_device_is_refused() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let mut input = shared_observation(family.mother.id, region.health_visiting);
    input.visit = Some(safeshare_core::model::VisitId::new());
    assert!(matches!(
        midwife.session.capture_observation(input),
        Err(AppError::NotFound { what, .. }) if what == "visit"
    ));
    assert!(midwife.session.pending_envelopes().unwrap().is_empty());
}

#[test]
fn a_recipient_clock_three_hours_behind_still_acknowledges_and_closes_the_share() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    // The health visitor's phone thinks it is 07:05.
    let hv = health_visitor(&region, utc(2026, 11, 23, 7, 5));
    let family = family(&midwife.session);
    let receipt = midwife
        .session
        .capture_observation(shared_observation(family.mother.id, region.health_visiting))
        .unwrap()
        .share
        .unwrap();
    let share = midwife.session.pending_envelopes().unwrap().remove(0);
    hv.session.apply_inbound(&share).unwrap();
    hv.session
        .acknowledge_share(
            receipt.share,
            ReadBack {
                who: "Mother".into(),
                risk: "Low mood".into(),
                next_action: "Visit".into(),
            },
        )
        .unwrap();
    let ack = hv.session.pending_envelopes().unwrap().remove(0);
    assert_eq!(
        midwife.session.apply_inbound(&ack).unwrap(),
        InboundOutcome::MyShareAcknowledged
    );
    let acknowledged = midwife
        .session
        .share(receipt.share)
        .unwrap()
        .share
        .record
        .acknowledgement
        .unwrap();
    assert_eq!(acknowledged.at, utc(2026, 11, 23, 10, 0));
}

#[test]
fn captures_from_several_threads_while_the_directory_is_updated_all_commit_with_their_envelopes() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let session = &midwife.session;
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..10 {
                    session
                        .capture_observation(shared_observation(
                            family.mother.id,
                            region.health_visiting,
                        ))
                        .unwrap();
                }
            });
        }
        scope.spawn(|| {
            for version in 2..12 {
                let mut doc = serde_json::to_value(&region.directory).unwrap();
                doc["version"] = version.into();
                session
                    .set_directory(serde_json::from_value(doc).unwrap())
                    .unwrap();
            }
        });
    });
    assert_eq!(
        session.observations_about(family.mother.id).unwrap().len(),
        40
    );
    assert_eq!(session.shares_sent().unwrap().len(), 40);
    assert_eq!(session.pending_envelopes().unwrap().len(), 40);
    assert_eq!(session.directory().version(), 11);
}
