//! One practitioner, two devices, and the directory copy: a referral made on one device is
//! chased from the other; its decision and escalation steps follow; a logged call becomes an
//! information-sharing record; the directory copy is replaced only by a newer version and
//! survives a restart; a store opens only for the practitioner it belongs to.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{AppError, InboundOutcome, NewReferralInput, Session, SubjectTakeOn};
use safeshare_core::casework::decision::{
    Answerer, Channel, Decision, IndividualInformed, LawfulBasis, Nature, Principles, SharedItem,
    SpecialCategoryCondition, UnderstandingCheck,
};
use safeshare_core::directory::{CallDecisionToShare, CallOutcome, CallOutcomeInput};
use safeshare_core::model::DeviceId;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel};
use safeshare_core::sync::DirectoryVersion;

#[test]
fn a_referral_made_on_one_device_is_chased_and_escalated_from_the_other() {
    let region = region();
    let phone = midwife(&region, utc(2026, 11, 23, 11, 0));
    let tablet = device(
        &region,
        safeshare_core::app::Identity {
            device: DeviceId::new(),
            ..phone.identity.clone()
        },
        utc(2026, 11, 23, 11, 0),
    );
    let family = family(&phone.session);
    let referral = phone
        .session
        .record_referral(NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Parental substance misuse; baby three weeks old.".into(),
            channel: ReferralChannel::OnlinePortal,
        })
        .unwrap();
    let id = referral.record.referral.id;
    let envelope = phone.session.pending_envelopes().unwrap().remove(0);
    assert_eq!(
        tablet.session.apply_inbound(&envelope).unwrap(),
        InboundOutcome::ReferralReceived
    );
    assert_eq!(
        tablet.session.apply_inbound(&envelope).unwrap(),
        InboundOutcome::AlreadyApplied
    );
    assert_eq!(tablet.session.referral(id).unwrap().due_at, referral.due_at);

    // Tuesday 11:00, one working day later: the tablet chases it too.
    tablet.clock.set(utc(2026, 11, 24, 11, 0));
    assert!(tablet
        .session
        .needs_attention_now()
        .unwrap()
        .iter()
        .any(|a| matches!(
            a.item.kind,
            AttentionKind::ChaseReferralDecision { referral, .. } if referral == id
        )));

    // The decision (not accepted) entered on the phone reaches the tablet and opens its ladder.
    phone.clock.set(utc(2026, 11, 24, 11, 30));
    phone
        .session
        .record_referral_decision(
            id,
            DecisionOutcome::NotAccepted {
                reasons: "No role for CSC at present".into(),
            },
            true,
            None,
        )
        .unwrap();
    phone
        .session
        .record_escalation_step(
            id,
            EscalationStep::ReviewAndReRefer,
            StepOutcome::Done("Reviewed with the named nurse; re-referred".into()),
        )
        .unwrap();
    let envelopes = phone.session.pending_envelopes().unwrap();
    assert_eq!(envelopes.len(), 3);
    assert_eq!(
        tablet.session.apply_inbound(&envelopes[1]).unwrap(),
        InboundOutcome::ReferralDecisionRecorded
    );
    assert_eq!(
        tablet.session.apply_inbound(&envelopes[2]).unwrap(),
        InboundOutcome::EscalationStepRecorded
    );
    let view = tablet.session.referral(id).unwrap();
    assert_eq!(
        view.next_step.unwrap().step,
        EscalationStep::CheckEarlyHelpThresholds
    );
    assert_eq!(view.escalation.unwrap().steps().len(), 1);
}

#[test]
fn a_logged_call_becomes_an_information_sharing_record() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 11, 0));
    let family = family(&midwife.session);
    let start = midwife
        .session
        .start_call(region.front_door, None, Some(family.baby.id))
        .unwrap();
    let report = midwife
        .session
        .record_call_outcome(
            start.call.id,
            CallOutcomeInput {
                outcome: CallOutcome::Spoke,
                answered_by: Some(Answerer {
                    name: "Duty social worker".into(),
                    role: "MASH social worker".into(),
                }),
                shared: vec![SharedItem {
                    nature: Nature::Opinion,
                    text: "Mother appears overwhelmed".into(),
                    observation: None,
                }],
                understanding: UnderstandingCheck::ReadBack {
                    recipient_summary: "Mother struggling, baby 3 weeks; MASH to screen today"
                        .into(),
                },
                note: "MASH to screen today".into(),
            },
            Some(CallDecisionToShare {
                about: vec![family.baby.id, family.mother.id],
                purpose: "Safeguard a three-week-old baby".into(),
                lawful_basis: LawfulBasis::PublicTask,
                special_category: Some(
                    SpecialCategoryCondition::SafeguardingChildrenAndIndividualsAtRisk,
                ),
                principles: Principles::all_affirmed(),
                individual_informed: IndividualInformed::NotToldRiskOfHarm {
                    explanation: "Telling the partner may increase risk to mother".into(),
                },
            }),
        )
        .unwrap();
    let decision = report.decision_record.expect("a sharing record");
    match &decision.decision {
        Decision::ToShare(details) => assert_eq!(details.channel, Channel::Phone),
        other => panic!("expected a share: {other:?}"),
    }
    assert_eq!(decision.decided_by, midwife.identity.practitioner);
    assert!(report.call.outcome.is_some());
    assert_eq!(midwife.session.calls().unwrap(), vec![report.call]);
    let kinds: Vec<_> = midwife
        .session
        .pending_envelopes()
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, vec![safeshare_core::sync::EnvelopeKind::CallRecord]);
}

#[test]
fn the_directory_copy_is_replaced_only_by_a_newer_version_and_survives_a_restart() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 11, 0));
    // The same version again is refused and changes nothing.
    assert!(matches!(
        midwife.session.set_directory(region.directory.clone()),
        Err(AppError::Validation { .. })
    ));
    let mut newer: serde_json::Value = serde_json::to_value(&region.directory).unwrap();
    newer["version"] = 2.into();
    let update = DirectoryVersion {
        version: 2,
        imported_at: utc(2026, 11, 23, 6, 0),
        document: newer,
    };
    assert!(midwife.session.apply_directory_version(&update).unwrap());
    assert!(!midwife.session.apply_directory_version(&update).unwrap());
    assert_eq!(midwife.session.directory().version(), 2);

    let Device {
        dir: _dir,
        path,
        secrets,
        clock,
        session,
        identity,
    } = midwife;
    drop(session);
    // Reopened with the older bundled copy: the newer stored copy wins.
    let session = Session::open(
        &path,
        secrets.clone(),
        clock.clone(),
        identity.clone(),
        Some(region.directory.clone()),
    )
    .unwrap();
    assert_eq!(session.directory().version(), 2);
    drop(session);

    // Another practitioner cannot open this practitioner's store.
    let other = safeshare_core::app::Identity {
        practitioner: safeshare_core::model::PractitionerId::new(),
        ..identity.clone()
    };
    assert!(matches!(
        Session::open(&path, secrets.clone(), clock.clone(), other, None),
        Err(AppError::Refused { .. })
    ));
    // The device id stays the one stored with the store.
    let session = Session::open(
        &path,
        secrets,
        clock,
        safeshare_core::app::Identity {
            device: DeviceId::new(),
            ..identity.clone()
        },
        None,
    )
    .unwrap();
    assert_eq!(session.identity().device, identity.device);
}

#[test]
fn the_recipient_takes_the_shared_child_onto_their_caseload_once() {
    use safeshare_core::app::{NewObservationInput, ShareRequest};
    use safeshare_core::model::{ConcernCategory, Evidence, PersonRole, Severity};
    let region = region();
    let midwife = midwife(&region, utc(2026, 11, 23, 10, 0));
    let hv = health_visitor(&region, utc(2026, 11, 23, 11, 0));
    let family = family(&midwife.session);
    let receipt = midwife
        .session
        .capture_observation(NewObservationInput {
            about: family.baby.id,
            visit: None,
            category: ConcernCategory::WasNotBrought,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Not brought to the 2-week hearing screen; second missed appointment."
                .into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team: region.health_visiting,
                message: "Please pick up the hearing screen at the new birth visit.".into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .unwrap();
    hv.session
        .apply_inbound(&midwife.session.pending_envelopes().unwrap()[0])
        .unwrap();
    let SubjectTakeOn::Added(child) = hv.session.take_on_share_subject(receipt.share).unwrap()
    else {
        panic!("no one here has the number: a new person is recorded");
    };
    assert_eq!(child.name.as_deref(), Some(CHILD_NAME));
    assert_eq!(child.role, PersonRole::Child);
    assert_eq!(child.date_of_birth, family.baby.date_of_birth);
    // Taken on again: the NHS number and the date of birth both match the person just recorded.
    assert_eq!(
        hv.session.take_on_share_subject(receipt.share).unwrap(),
        SubjectTakeOn::Matched(child.clone())
    );
    assert_eq!(
        hv.session.find_people_by_nhs_number(CHILD_NHS).unwrap(),
        vec![child.clone()]
    );
    // The sender cannot "take on" her own share's subject.
    assert!(matches!(
        midwife.session.take_on_share_subject(receipt.share),
        Err(AppError::Refused { .. })
    ));
}
