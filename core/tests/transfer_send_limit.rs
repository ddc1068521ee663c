//! The sending side of the transfer pack's member limit (issue 21): the receiving phone refuses
//! a pack listing more than `MAX_PACK_MEMBERS` professionals, so the sending phone refuses to
//! send one, with a typed error, before anything is sealed, queued or recorded. Real SQLite
//! files, the session's own `send`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::transfer::transfer_of;
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{AppError, MAX_PACK_MEMBERS};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::team_around_child::{NewInvolvement, ProfessionalRole};
use safeshare_core::model::PersonId;

/// Involves `count` distinct captured contacts with the child; returns their ids.
fn involve_many(device: &Device, child: PersonId, count: usize) -> Vec<ulid::Ulid> {
    let team = device.session.team_around_child();
    (0..count)
        .map(|i| {
            team.involve(
                child,
                NewInvolvement {
                    contact: ContactRef::Captured {
                        name: format!("Practitioner {i}"),
                        role: "family support worker, Fictional Trust".into(),
                        // Ofcom's drama range for Leeds: 0113 496 0000 to 0999.
                        phone: format!("0113 496 0{i:03}"),
                        out_of_hours_phone: None,
                    },
                    professional_name: None,
                    role: ProfessionalRole::Other("family support worker".into()),
                    leads_on: String::new(),
                    from: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                },
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn a_transfer_listing_more_members_than_a_pack_carries_is_refused_before_anything_is_written() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let members = involve_many(&midwife, family.baby.id, MAX_PACK_MEMBERS + 1);
    let outbox_before = midwife.session.pending_envelopes().unwrap().len();

    let refused = midwife
        .session
        .transfers()
        .send(transfer_of(&region, family.baby.id));

    match refused {
        Err(AppError::Validation { field, reason }) => {
            assert_eq!(field, "members");
            let words = reason.to_string();
            assert!(words.contains("101"), "{words}");
            assert!(words.contains("100"), "{words}");
        }
        other => panic!("expected a refusal on members, got {other:?}"),
    }
    assert_eq!(
        midwife.session.pending_envelopes().unwrap().len(),
        outbox_before,
        "nothing sealed or queued"
    );
    assert!(
        midwife
            .session
            .transfers()
            .transfers_of(family.baby.id)
            .unwrap()
            .is_empty(),
        "no transfer recorded"
    );
    assert!(
        midwife.session.shares_sent().unwrap().is_empty(),
        "no share recorded"
    );

    // Ending one involvement brings the team to the limit: the same transfer now goes.
    midwife
        .session
        .team_around_child()
        .end_involvement(
            family.baby.id,
            members[0],
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        )
        .unwrap();
    let sent = midwife
        .session
        .transfers()
        .send(transfer_of(&region, family.baby.id))
        .unwrap();
    assert!(midwife
        .session
        .pending_envelopes()
        .unwrap()
        .iter()
        .any(|e| e.entity_id == sent.share.ulid()));
}
