//! Information-sharing decision records: decisions to share and not to share, the six
//! principles, the requester-informed rule and phone calls logged from the contacts screen.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use safeshare_core::casework::decision::*;
use safeshare_core::model::{PersonId, PractitionerId, TeamId};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 14, 0, 0).unwrap()
}

fn decision_to_share() -> DecisionToShare {
    DecisionToShare {
        lawful_basis: LawfulBasis::PublicTask,
        special_category: Some(SpecialCategoryCondition::SafeguardingChildrenAndIndividualsAtRisk),
        recipient: Recipient::Team {
            team: TeamId::new(),
            team_name: "Westshire Health Visiting".into(),
            person: None,
        },
        channel: Channel::SecureMessage,
        shared: vec![
            SharedItem {
                nature: Nature::Fact,
                text: "Police attended the address on 15 November after a neighbour's call".into(),
                observation: None,
            },
            SharedItem {
                nature: Nature::Opinion,
                text: "Mother appears fearful of partner: she looked at him before each answer"
                    .into(),
                observation: None,
            },
        ],
        extent: Some("concerns since booking".into()),
        principles: Principles::all_affirmed(),
        individual_informed: IndividualInformed::NotToldRiskOfHarm {
            explanation: "telling mother may increase risk from partner".into(),
        },
        understanding: UnderstandingCheck::AwaitingAcknowledgement,
    }
}

fn new_decision_to_share(details: DecisionToShare) -> NewDecisionToShare {
    NewDecisionToShare {
        about: vec![PersonId::new()],
        decided_by: PractitionerId::new(),
        decided_at: now(),
        purpose: "family moving to Westshire; new health visitor must know of domestic abuse"
            .into(),
        details,
    }
}

fn call_log() -> PhoneCallLog {
    PhoneCallLog {
        about: vec![PersonId::new()],
        called_by: PractitionerId::new(),
        called_at: now(),
        team: TeamId::new(),
        team_name: "Westshire MASH".into(),
        number_dialled: "tel:+441632960000".into(),
        answered_by: Answerer {
            name: "Chris Worker".into(),
            role: "duty social worker".into(),
        },
        purpose: "referral follow-up: no decision within one working day".into(),
        lawful_basis: LawfulBasis::LegalObligation,
        special_category: None,
        shared: vec![SharedItem {
            nature: Nature::Fact,
            text: "Baby not brought to two appointments this month".into(),
            observation: None,
        }],
        principles: Principles::all_affirmed(),
        individual_informed: IndividualInformed::Told {
            how: "told mother by phone before the call".into(),
        },
        understanding: UnderstandingCheck::ReadBack {
            recipient_summary: "two missed appointments, referral sent yesterday".into(),
        },
        outcome: "MASH to screen today and call back by 4pm".into(),
    }
}

#[test]
fn a_decision_to_share_with_all_six_principles_affirmed_is_recorded_with_fact_and_opinion_kept_apart(
) {
    let record =
        DecisionRecord::decision_to_share(new_decision_to_share(decision_to_share())).unwrap();
    assert!(record.is_decision_to_share());
    let Decision::ToShare(d) = &record.decision else {
        panic!("expected a decision to share")
    };
    assert_eq!(
        d.shared.iter().map(|s| s.nature).collect::<Vec<_>>(),
        vec![Nature::Fact, Nature::Opinion]
    );
    assert_eq!(d.principles.answers().len(), 6);
}

#[test]
fn a_decision_to_share_with_an_unaffirmed_principle_is_refused_without_a_reason() {
    let mut details = decision_to_share();
    details.principles.timely = Affirmation::NotAffirmed { reason: None };
    details.principles.accurate = Affirmation::NotAffirmed {
        reason: Some("   ".into()),
    };
    let err = DecisionRecord::decision_to_share(new_decision_to_share(details)).unwrap_err();
    assert_eq!(
        err,
        DecisionError::PrinciplesUnaffirmed {
            principles: vec![Principle::Accurate, Principle::Timely]
        }
    );
    assert!(err.to_string().contains("accurate, timely"));
}

#[test]
fn a_decision_to_share_with_an_unaffirmed_principle_is_recorded_when_a_reason_is_given() {
    let mut details = decision_to_share();
    details.principles.timely = Affirmation::NotAffirmed {
        reason: Some("shared four days after the visit: practitioner off sick".into()),
    };
    let record = DecisionRecord::decision_to_share(new_decision_to_share(details)).unwrap();
    let Decision::ToShare(d) = &record.decision else {
        panic!("expected a decision to share")
    };
    assert_eq!(
        d.principles.timely,
        Affirmation::NotAffirmed {
            reason: Some("shared four days after the visit: practitioner off sick".into())
        }
    );
}

#[test]
fn a_decision_to_share_must_say_what_was_shared_for_whom_and_why() {
    let mut details = decision_to_share();
    details.shared.iter_mut().for_each(|s| s.text = " ".into());
    assert_eq!(
        DecisionRecord::decision_to_share(new_decision_to_share(details)).unwrap_err(),
        DecisionError::NothingShared
    );
    let mut new = new_decision_to_share(decision_to_share());
    new.purpose = "".into();
    assert_eq!(
        DecisionRecord::decision_to_share(new).unwrap_err(),
        DecisionError::Required { field: "purpose" }
    );
    let mut new = new_decision_to_share(decision_to_share());
    new.about.clear();
    assert_eq!(
        DecisionRecord::decision_to_share(new).unwrap_err(),
        DecisionError::NobodyConcerned
    );
    let mut details = decision_to_share();
    details.lawful_basis = LawfulBasis::Other(" ".into());
    assert_eq!(
        DecisionRecord::decision_to_share(new_decision_to_share(details)).unwrap_err(),
        DecisionError::Required {
            field: "lawful_basis"
        }
    );
}

#[test]
fn not_telling_the_individual_needs_an_explanation() {
    let mut details = decision_to_share();
    details.individual_informed = IndividualInformed::NotToldRiskOfHarm {
        explanation: "".into(),
    };
    assert_eq!(
        DecisionRecord::decision_to_share(new_decision_to_share(details)).unwrap_err(),
        DecisionError::Required {
            field: "individual_informed"
        }
    );
}

#[test]
fn only_a_secure_message_may_wait_for_acknowledgement_as_its_understanding_check() {
    let mut details = decision_to_share();
    details.channel = Channel::Phone;
    assert_eq!(
        DecisionRecord::decision_to_share(new_decision_to_share(details.clone())).unwrap_err(),
        DecisionError::AwaitingAcknowledgementNotSecureMessage
    );
    details.understanding = UnderstandingCheck::NotChecked { reason: "".into() };
    assert_eq!(
        DecisionRecord::decision_to_share(new_decision_to_share(details.clone())).unwrap_err(),
        DecisionError::Required {
            field: "understanding"
        }
    );
    details.understanding = UnderstandingCheck::ReadBack {
        recipient_summary: "partner violent, police called, HV to visit Monday".into(),
    };
    assert!(DecisionRecord::decision_to_share(new_decision_to_share(details)).is_ok());
}

#[test]
fn a_decision_not_to_share_requires_the_requester_informed_field() {
    let new = NewDecisionNotToShare {
        about: vec![PersonId::new()],
        decided_by: PractitionerId::new(),
        decided_at: now(),
        purpose: "school nurse asked for mother's mental health history".into(),
        reason: "not relevant to the school's concern; mother's consent refused and no risk to the child identified".into(),
        requester_informed: None,
    };
    assert_eq!(
        DecisionRecord::decision_not_to_share(new.clone()).unwrap_err(),
        DecisionError::RequesterInformedMissing
    );
    let informed = DecisionRecord::decision_not_to_share(NewDecisionNotToShare {
        requester_informed: Some(RequesterInformed::Informed {
            requester: "school nurse, Eastfield Academy".into(),
            channel: Channel::Phone,
            at: now(),
        }),
        ..new.clone()
    })
    .unwrap();
    assert!(!informed.is_decision_to_share());
    let Decision::NotToShare(d) = &informed.decision else {
        panic!("expected a decision not to share")
    };
    assert!(matches!(
        d.requester_informed,
        RequesterInformed::Informed { .. }
    ));
    let own_initiative = DecisionRecord::decision_not_to_share(NewDecisionNotToShare {
        requester_informed: Some(RequesterInformed::NoRequest),
        ..new.clone()
    })
    .unwrap();
    assert!(!own_initiative.is_decision_to_share());
    assert_eq!(
        DecisionRecord::decision_not_to_share(NewDecisionNotToShare {
            reason: " ".into(),
            requester_informed: Some(RequesterInformed::NoRequest),
            ..new
        })
        .unwrap_err(),
        DecisionError::Required { field: "reason" }
    );
}

#[test]
fn a_phone_call_from_the_contacts_screen_becomes_a_decision_to_share_by_phone() {
    let log = call_log();
    let team = log.team;
    let record = DecisionRecord::from_phone_call(log).unwrap();
    let Decision::ToShare(d) = &record.decision else {
        panic!("expected a decision to share")
    };
    assert_eq!(d.channel, Channel::Phone);
    assert_eq!(
        d.recipient,
        Recipient::Team {
            team,
            team_name: "Westshire MASH".into(),
            person: Some("Chris Worker (duty social worker)".into())
        }
    );
    let call = record.phone_call.as_ref().unwrap();
    assert_eq!(call.answered_by.name, "Chris Worker");
    assert_eq!(call.answered_by.role, "duty social worker");
    assert_eq!(call.outcome, "MASH to screen today and call back by 4pm");
    assert_eq!(call.number_dialled, "tel:+441632960000");
}

#[test]
fn a_phone_call_log_needs_who_answered_the_outcome_and_its_principles() {
    let mut log = call_log();
    log.answered_by.name = " ".into();
    assert_eq!(
        DecisionRecord::from_phone_call(log).unwrap_err(),
        DecisionError::Required {
            field: "answered_by"
        }
    );
    let mut log = call_log();
    log.outcome = "".into();
    assert_eq!(
        DecisionRecord::from_phone_call(log).unwrap_err(),
        DecisionError::Required { field: "outcome" }
    );
    let mut log = call_log();
    log.principles.secure = Affirmation::NotAffirmed { reason: None };
    assert_eq!(
        DecisionRecord::from_phone_call(log).unwrap_err(),
        DecisionError::PrinciplesUnaffirmed {
            principles: vec![Principle::Secure]
        }
    );
    let mut log = call_log();
    log.understanding = UnderstandingCheck::AwaitingAcknowledgement;
    assert_eq!(
        DecisionRecord::from_phone_call(log).unwrap_err(),
        DecisionError::AwaitingAcknowledgementNotSecureMessage
    );
}

#[test]
fn decision_records_round_trip_through_json() {
    for record in [
        DecisionRecord::decision_to_share(new_decision_to_share(decision_to_share())).unwrap(),
        DecisionRecord::from_phone_call(call_log()).unwrap(),
        DecisionRecord::decision_not_to_share(NewDecisionNotToShare {
            about: vec![PersonId::new()],
            decided_by: PractitionerId::new(),
            decided_at: now(),
            purpose: "p".into(),
            reason: "r".into(),
            requester_informed: Some(RequesterInformed::NoRequest),
        })
        .unwrap(),
    ] {
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(
            serde_json::from_str::<DecisionRecord>(&json).unwrap(),
            record
        );
    }
}
