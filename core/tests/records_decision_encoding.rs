//! Decision records already on phones read after the rename of their types (issue 16 item 3):
//! each literal below is the JSON this crate wrote for a decision record before
//! `Decision::Share`/`NotShare` became `ToShare`/`NotToShare` and `ShareDetails`/
//! `NotShareDetails` became `DecisionToShare`/`DecisionNotToShare`. The store seals exactly
//! this JSON in every `sharing_decision` row, so a changed tag or field name would leave a
//! device unable to read its own records.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use safeshare_core::casework::decision::*;
use safeshare_core::model::{DecisionRecordId, ObservationId, PersonId, PractitionerId, TeamId};

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, hour, 0, 0).unwrap()
}

fn id<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    text.parse().unwrap()
}

/// A decision to share by secure message with a named person, every optional part filled.
fn by_secure_message() -> DecisionRecord {
    DecisionRecord {
        id: id("01KBCZ0000000000000000DEC1"),
        about: vec![
            id("01KBCZ0000000000000000PER1"),
            id("01KBCZ0000000000000000PER2"),
        ],
        decided_by: id("01KBCZ0000000000000000PRA1"),
        decided_at: at(14),
        purpose: "family moving to Westshire; new health visitor must know of domestic abuse"
            .into(),
        decision: Decision::ToShare(Box::new(DecisionToShare {
            lawful_basis: LawfulBasis::Other("Children Act 2004 s11".into()),
            special_category: Some(
                SpecialCategoryCondition::SafeguardingChildrenAndIndividualsAtRisk,
            ),
            recipient: Recipient::Named {
                name: "Sam Visitor".into(),
                role: "health visitor, Westshire".into(),
            },
            channel: Channel::SecureMessage,
            shared: vec![
                SharedItem {
                    nature: Nature::Fact,
                    text: "Police attended on 15 November".into(),
                    observation: Some(id::<ObservationId>("01KBCZ0000000000000000FACT")),
                },
                SharedItem {
                    nature: Nature::Opinion,
                    text: "Mother appears fearful of partner".into(),
                    observation: None,
                },
            ],
            extent: Some("concerns since booking".into()),
            principles: Principles {
                timely: Affirmation::NotAffirmed {
                    reason: Some("seen on return from leave".into()),
                },
                ..Principles::all_affirmed()
            },
            individual_informed: IndividualInformed::NotToldRiskOfHarm {
                explanation: "telling mother may increase risk from partner".into(),
            },
            understanding: UnderstandingCheck::AwaitingAcknowledgement,
        })),
        phone_call: None,
    }
}

/// A phone call logged from the contacts screen: a decision to share with a team by phone.
fn by_phone() -> DecisionRecord {
    DecisionRecord {
        id: id("01KBCZ0000000000000000DEC2"),
        about: vec![id::<PersonId>("01KBCZ0000000000000000PER1")],
        decided_by: id::<PractitionerId>("01KBCZ0000000000000000PRA1"),
        decided_at: at(15),
        purpose: "referral follow-up".into(),
        decision: Decision::ToShare(Box::new(DecisionToShare {
            lawful_basis: LawfulBasis::LegalObligation,
            special_category: None,
            recipient: Recipient::Team {
                team: id::<TeamId>("01KBCZ0000000000000000TEA1"),
                team_name: "Westshire MASH".into(),
                person: Some("Chris Worker (duty social worker)".into()),
            },
            channel: Channel::Phone,
            shared: vec![SharedItem {
                nature: Nature::Fact,
                text: "Baby not brought to two appointments".into(),
                observation: None,
            }],
            extent: None,
            principles: Principles::all_affirmed(),
            individual_informed: IndividualInformed::Told {
                how: "told mother before the call".into(),
            },
            understanding: UnderstandingCheck::ReadBack {
                recipient_summary: "two missed appointments".into(),
            },
        })),
        phone_call: Some(PhoneCall {
            number_dialled: "tel:+441632960000".into(),
            answered_by: Answerer {
                name: "Chris Worker".into(),
                role: "duty social worker".into(),
            },
            outcome: "MASH to screen today".into(),
        }),
    }
}

/// A decision not to share, the requester told.
fn not_shared_requester_told() -> DecisionRecord {
    DecisionRecord {
        id: id("01KBCZ0000000000000000DEC3"),
        about: vec![id::<PersonId>("01KBCZ0000000000000000PER1")],
        decided_by: id::<PractitionerId>("01KBCZ0000000000000000PRA1"),
        decided_at: at(16),
        purpose: "School asked for the health plan".into(),
        decision: Decision::NotToShare(DecisionNotToShare {
            reason: "not relevant to the school's request".into(),
            requester_informed: RequesterInformed::Informed {
                requester: "Head of Year 2".into(),
                channel: Channel::Phone,
                at: at(17),
            },
        }),
        phone_call: None,
    }
}

/// A decision not to share on the practitioner's own initiative: nobody asked.
fn not_shared_nobody_asked() -> DecisionRecord {
    DecisionRecord {
        id: id::<DecisionRecordId>("01KBCZ0000000000000000DEC4"),
        about: vec![id::<PersonId>("01KBCZ0000000000000000PER2")],
        decided_by: id::<PractitionerId>("01KBCZ0000000000000000PRA1"),
        decided_at: at(18),
        purpose: "whether to tell the GP".into(),
        decision: Decision::NotToShare(DecisionNotToShare {
            reason: "GP already informed by the hospital".into(),
            requester_informed: RequesterInformed::NoRequest,
        }),
        phone_call: None,
    }
}

/// A decision to share by secure message with a named person, as written before the rename.
const BY_SECURE_MESSAGE: &str = r#"{"id":"01KBCZ0000000000000000DEC1","about":["01KBCZ0000000000000000PER1","01KBCZ0000000000000000PER2"],"decided_by":"01KBCZ0000000000000000PRA1","decided_at":"2026-11-20T14:00:00Z","purpose":"family moving to Westshire; new health visitor must know of domestic abuse","decision":{"decision":"share","lawful_basis":{"basis":"other","text":"Children Act 2004 s11"},"special_category":{"condition":"safeguarding_children_and_individuals_at_risk"},"recipient":{"recipient":"named","name":"Sam Visitor","role":"health visitor, Westshire"},"channel":"secure_message","shared":[{"nature":"fact","text":"Police attended on 15 November","observation":"01KBCZ0000000000000000FACT"},{"nature":"opinion","text":"Mother appears fearful of partner","observation":null}],"extent":"concerns since booking","principles":{"necessary_and_proportionate":{"answer":"affirmed"},"relevant":{"answer":"affirmed"},"adequate":{"answer":"affirmed"},"accurate":{"answer":"affirmed"},"timely":{"answer":"not_affirmed","reason":"seen on return from leave"},"secure":{"answer":"affirmed"}},"individual_informed":{"informed":"not_told_risk_of_harm","explanation":"telling mother may increase risk from partner"},"understanding":{"check":"awaiting_acknowledgement"}},"phone_call":null}"#;

/// A phone call logged as a decision to share, as written before the rename.
const BY_PHONE: &str = r#"{"id":"01KBCZ0000000000000000DEC2","about":["01KBCZ0000000000000000PER1"],"decided_by":"01KBCZ0000000000000000PRA1","decided_at":"2026-11-20T15:00:00Z","purpose":"referral follow-up","decision":{"decision":"share","lawful_basis":{"basis":"legal_obligation"},"special_category":null,"recipient":{"recipient":"team","team":"01KBCZ0000000000000000TEA1","team_name":"Westshire MASH","person":"Chris Worker (duty social worker)"},"channel":"phone","shared":[{"nature":"fact","text":"Baby not brought to two appointments","observation":null}],"extent":null,"principles":{"necessary_and_proportionate":{"answer":"affirmed"},"relevant":{"answer":"affirmed"},"adequate":{"answer":"affirmed"},"accurate":{"answer":"affirmed"},"timely":{"answer":"affirmed"},"secure":{"answer":"affirmed"}},"individual_informed":{"informed":"told","how":"told mother before the call"},"understanding":{"check":"read_back","recipient_summary":"two missed appointments"}},"phone_call":{"number_dialled":"tel:+441632960000","answered_by":{"name":"Chris Worker","role":"duty social worker"},"outcome":"MASH to screen today"}}"#;

/// A decision not to share with the requester told, as written before the rename.
const NOT_SHARED_REQUESTER_TOLD: &str = r#"{"id":"01KBCZ0000000000000000DEC3","about":["01KBCZ0000000000000000PER1"],"decided_by":"01KBCZ0000000000000000PRA1","decided_at":"2026-11-20T16:00:00Z","purpose":"School asked for the health plan","decision":{"decision":"not_share","reason":"not relevant to the school's request","requester_informed":{"status":"informed","requester":"Head of Year 2","channel":"phone","at":"2026-11-20T17:00:00Z"}},"phone_call":null}"#;

/// A decision not to share that nobody asked for, as written before the rename.
const NOT_SHARED_NOBODY_ASKED: &str = r#"{"id":"01KBCZ0000000000000000DEC4","about":["01KBCZ0000000000000000PER2"],"decided_by":"01KBCZ0000000000000000PRA1","decided_at":"2026-11-20T18:00:00Z","purpose":"whether to tell the GP","decision":{"decision":"not_share","reason":"GP already informed by the hospital","requester_informed":{"status":"no_request"}},"phone_call":null}"#;

/// Each record's JSON from before the rename, with the record it must read as.
fn written_before_the_rename() -> [(&'static str, DecisionRecord); 4] {
    [
        (BY_SECURE_MESSAGE, by_secure_message()),
        (BY_PHONE, by_phone()),
        (NOT_SHARED_REQUESTER_TOLD, not_shared_requester_told()),
        (NOT_SHARED_NOBODY_ASKED, not_shared_nobody_asked()),
    ]
}

#[test]
fn decision_records_written_before_the_rename_still_read() {
    for (json, expected) in written_before_the_rename() {
        let read: DecisionRecord = serde_json::from_str(json).unwrap();
        assert_eq!(read, expected, "{json}");
    }
}

#[test]
fn decision_records_are_still_written_as_before_the_rename() {
    // Earlier builds on other phones, and a device restored from an older backup, read what
    // this build writes: the encoding must be byte for byte the one they know.
    for (json, record) in written_before_the_rename() {
        assert_eq!(serde_json::to_string(&record).unwrap(), json);
    }
}
