//! Transfer of care (issue 21, item 3) through the session on a real SQLite file: every input
//! is checked before anything is written, and the pack carries what the receiving team needs.
//! The whole journey over a real server is `tests/tests/transfer.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::*;
use safeshare_core::app::AppError;
use safeshare_core::casework::transfer::NewTransfer;
use safeshare_core::model::{PersonId, Severity, TeamId};
use safeshare_core::rules::attention::AttentionKind;

fn transfer(child: PersonId, team: TeamId) -> NewTransfer {
    NewTransfer {
        child,
        team,
        new_postcode: "LS6 2AB".into(),
        new_address: None,
        moving_on: None,
        message: "Family moving to your area; please take on the baby's care.".into(),
        severity: None,
        health_needs: "none known".into(),
        medication: "none known".into(),
        follow_up_appointments: "none known".into(),
    }
}

#[test]
fn a_transfer_with_blank_medication_or_a_bad_postcode_writes_nothing() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let transfers = midwife.session.transfers();
    let err = transfers
        .send(NewTransfer {
            medication: "   ".into(),
            ..transfer(family.baby.id, region.health_visiting)
        })
        .unwrap_err();
    assert!(matches!(&err, AppError::Validation { field, .. } if field == "medication"));
    let err = transfers
        .send(NewTransfer {
            new_postcode: "not a postcode".into(),
            ..transfer(family.baby.id, region.health_visiting)
        })
        .unwrap_err();
    assert!(matches!(&err, AppError::Validation { field, .. } if field == "new_postcode"));
    let err = transfers
        .send(transfer(family.mother.id, region.health_visiting))
        .unwrap_err();
    assert!(matches!(&err, AppError::Validation { field, .. } if field == "child"));
    assert!(transfers.transfers_of(family.baby.id).unwrap().is_empty());
    assert!(midwife.session.pending_envelopes().unwrap().is_empty());
}

#[test]
fn an_immediate_risk_concern_makes_the_transfer_immediate_risk_and_a_call_at_once() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    midwife
        .session
        .capture_observation(knife_threat(family.baby.id))
        .unwrap();
    let record = midwife
        .session
        .transfers()
        .send(transfer(family.baby.id, region.health_visiting))
        .unwrap();
    let view = midwife.session.share(record.share).unwrap();
    assert_eq!(view.share.record.share.severity, Severity::ImmediateRisk);
    let pack = view
        .share
        .content
        .transfer
        .expect("the pack travels with the share");
    assert_eq!(pack.new_postcode, "LS6");
    assert_eq!(view.share.content.observations.len(), 1);

    let attention = midwife.session.needs_attention_now().unwrap();
    let first = &attention[0];
    assert!(
        matches!(first.item.kind, AttentionKind::CallTeamNow { share, .. } if share == record.share)
    );
    assert!(first.item.immediate_risk);
    assert_eq!(
        first.call.as_ref().unwrap().number.display_national(),
        "0113 496 0201"
    );
    assert_eq!(
        attention
            .iter()
            .filter(|a| matches!(
                a.item.kind,
                AttentionKind::CallTeamNow { share, .. }
                    | AttentionKind::AcknowledgementDueSoon { share, .. } if share == record.share
            ))
            .count(),
        1,
        "one item for the transfer, not a second for its share"
    );
}
