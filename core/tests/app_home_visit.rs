//! A whole home visit through the `Session`, on real SQLite files: a midwife captures offline
//! (with a stock-phrase prompt), shares with an out-of-area health-visiting team (the record and
//! its envelope in one transaction), the health visitor's own device applies the envelope and
//! acknowledges with a read-back, and the midwife's device applies the acknowledgement and sees
//! the share closed once she confirms the read-back. The envelopes travel by hand here, exactly
//! as the sync client would hand pulled envelopes to `apply_inbound`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::home_visit::assert_read_back_to_check;
use app_support::*;
use chrono::Duration;
use safeshare_core::app::{
    AppError, InboundOutcome, NewObservationInput, NewVoiceNoteInput, ShareDirection, ShareRequest,
};
use safeshare_core::clock::Clock;
use safeshare_core::directory::choose_number;
use safeshare_core::model::{
    Attendee, CaptureWarning, ConcernCategory, Evidence, ExpressionMode, InputMethod, Place,
    PlaceKind, Severity,
};
use safeshare_core::rules::acknowledgement::{ReadBack, ReadBackVerdict, ShareStatus};
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::calendar::Calendar;
use safeshare_core::sync::EnvelopeKind;

fn home() -> Place {
    Place {
        kind: PlaceKind::Home,
        detail: None,
    }
}

fn observation(
    about: safeshare_core::model::PersonId,
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

#[test]
fn a_home_visit_from_offline_capture_to_a_confirmed_read_back() {
    let region = region();
    // Monday 23 November 2026, 10:00 GMT.
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 10, 0));
    let family = family(&midwife.session);
    let visit = midwife
        .session
        .start_visit(
            family.household.id,
            home(),
            vec![Attendee::Person {
                person: family.mother.id,
            }],
            None,
        )
        .unwrap();

    // Offline capture with a stock phrase: stored, with the prompt, nothing queued.
    let vague = midwife
        .session
        .capture_observation(NewObservationInput {
            visit: Some(visit.id),
            ..observation(
                family.baby.id,
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
            child: family.baby.id,
            visit: Some(visit.id),
            words: "Startles and cries when the front door bangs; settles only with mother.".into(),
            mode: ExpressionMode::ObservedLivedExperience,
            present: vec![Attendee::Person {
                person: family.mother.id,
            }],
            expressed_at: None,
            input: InputMethod::Dictated,
            share: None,
        })
        .unwrap();
    assert!(voice.warnings.is_empty());

    // A specific concern, shared with health visiting in the same capture.
    midwife.clock.advance(Duration::minutes(30));
    let specific = midwife
        .session
        .capture_observation(observation(
            family.baby.id,
            "Mother has a bruise on her left forearm; says partner grabbed her during an argument last night.",
            Severity::Concern,
            Some(ShareRequest {
                team: region.health_visiting,
                message: "Please visit this week: domestic abuse disclosed, baby 3 weeks old."
                    .into(),
                severity: None,
            }),
        ))
        .unwrap();
    let receipt = specific.share.expect("the capture was shared");
    assert_eq!(receipt.severity, Severity::Concern);
    // A concern is due 4 working hours after sending: 10:30 -> 14:30 the same Monday.
    assert_eq!(receipt.due_at, utc(2026, 11, 23, 14, 30));

    // The envelope sits in the outbox, with only ids, times and severity in its header.
    let outbox = midwife.session.pending_envelopes().unwrap();
    assert_eq!(outbox.len(), 1);
    let share_envelope = outbox[0].clone();
    assert_eq!(share_envelope.id, receipt.envelope);
    assert_eq!(share_envelope.kind, EnvelopeKind::Share);
    assert_eq!(share_envelope.audience, vec![region.health_visiting]);
    assert_eq!(share_envelope.due_at, Some(receipt.due_at));
    assert_eq!(share_envelope.severity, Some(Severity::Concern));
    assert_eq!(share_envelope.author, midwife.identity.practitioner);
    assert_eq!(share_envelope.device, midwife.identity.device);
    let mut header = serde_json::to_value(&share_envelope).unwrap();
    header.as_object_mut().unwrap().remove("body");
    let header = header.to_string();
    assert!(!header.contains("Quartermain") && !header.contains("9434765919"));

    // The midwife's own list: the share awaits acknowledgement.
    let sent = midwife.session.shares_sent().unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].status,
        ShareStatus::AwaitingAcknowledgement {
            due: receipt.due_at
        }
    );

    // The health visitor's device pulls the share: it becomes an incoming share, once.
    hv.clock.set(utc(2026, 11, 23, 11, 0));
    assert_eq!(
        hv.session.apply_inbound(&share_envelope).unwrap(),
        InboundOutcome::ShareReceived
    );
    assert_eq!(
        hv.session.apply_inbound(&share_envelope).unwrap(),
        InboundOutcome::AlreadyApplied
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
    let hv_attention = hv.session.needs_attention_now().unwrap();
    assert!(hv_attention.iter().any(|a| matches!(
        a.item.kind,
        AttentionKind::AcknowledgeIncomingShare { share, .. } if share == receipt.share
    )));

    // The midwife cannot acknowledge her own share.
    let read_back = ReadBack {
        who: "Three-week-old baby and mother at 1 Fictional Row".into(),
        risk: "Domestic abuse: mother grabbed by partner, bruise seen".into(),
        next_action: "Health visitor to visit by Friday and see mother alone".into(),
    };
    assert!(matches!(
        midwife
            .session
            .acknowledge_share(receipt.share, read_back.clone()),
        Err(AppError::Refused { .. })
    ));
    // An incomplete read-back is refused naming the field; nothing is queued.
    let err = hv
        .session
        .acknowledge_share(
            receipt.share,
            ReadBack {
                next_action: " ".into(),
                ..read_back.clone()
            },
        )
        .unwrap_err();
    assert!(matches!(err, AppError::Validation { ref field, .. } if field == "read_back"));
    assert!(hv.session.pending_envelopes().unwrap().is_empty());

    // The health visitor acknowledges with her read-back: an envelope back to midwifery.
    hv.session
        .acknowledge_share(receipt.share, read_back.clone())
        .unwrap();
    let hv_outbox = hv.session.pending_envelopes().unwrap();
    assert_eq!(hv_outbox.len(), 1);
    let ack_envelope = hv_outbox[0].clone();
    assert_eq!(ack_envelope.kind, EnvelopeKind::Acknowledgement);
    assert_eq!(ack_envelope.answers, Some(receipt.share.ulid()));
    // To the sender's team, and to her own team so a colleague who acknowledged it too learns
    // who was first (issue 14).
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

    // The midwife's device pulls the acknowledgement: the loop is closed, read-back to check.
    midwife.clock.set(utc(2026, 11, 23, 11, 15));
    assert_eq!(
        midwife.session.apply_inbound(&ack_envelope).unwrap(),
        InboundOutcome::MyShareAcknowledged
    );
    assert_eq!(
        midwife.session.apply_inbound(&ack_envelope).unwrap(),
        InboundOutcome::AlreadyApplied
    );
    assert_read_back_to_check(
        &midwife.session,
        receipt.share,
        utc(2026, 11, 23, 11, 0),
        &read_back,
    );
    let attention = midwife.session.needs_attention_now().unwrap();
    assert!(attention.iter().any(|a| matches!(
        a.item.kind,
        AttentionKind::CheckReadBack { share } if share == receipt.share
    )));

    // Under-emphasised: the loop stays open and she is told to phone, number chosen.
    midwife
        .session
        .check_read_back(
            receipt.share,
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
        midwife.clock.now(),
        &Calendar::england_and_wales(),
    )
    .unwrap();
    assert_eq!(correct.call.as_ref().unwrap(), &expected);

    // After the corrective call she confirms: closed, and nothing about it needs attention.
    midwife
        .session
        .check_read_back(receipt.share, ReadBackVerdict::Confirmed)
        .unwrap();
    assert_eq!(
        midwife.session.share(receipt.share).unwrap().status,
        ShareStatus::Closed
    );
    assert!(!midwife
        .session
        .needs_attention_now()
        .unwrap()
        .iter()
        .any(|a| format!("{:?}", a.item.kind).contains(&receipt.share.to_string())));

    // The chronology shows the visit's records in time order, decrypted on read.
    let chronology = midwife
        .session
        .chronology_for_child(family.baby.id)
        .unwrap();
    let summaries: Vec<&str> = chronology.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(chronology.len(), 5, "{summaries:?}");
    assert_eq!(summaries[0], "No concerns, engaging well.");
    assert!(summaries[1].starts_with("Startles and cries"));
    assert!(summaries[2].starts_with("Mother has a bruise"));
    assert_eq!(summaries[3], "Shared with East health visiting");
    assert!(summaries[4].starts_with("Acknowledged by East health visiting"));
    let household = midwife
        .session
        .chronology_for_household(family.household.id)
        .unwrap();
    assert_eq!(household.len(), 5);

    // No plaintext of the distinctive names in any of the database files, on either device.
    for device in [&midwife, &hv] {
        let files = store_bytes(&device.path);
        assert!(files.iter().any(|(suffix, _)| suffix == "-wal"));
        for (suffix, bytes) in files {
            for needle in ["Quartermain", "Zebedee", "9434765919", "bruise"] {
                assert!(
                    !contains(&bytes, needle.as_bytes()),
                    "{needle} found in plaintext in field.db{suffix}"
                );
            }
        }
    }
}
