//! Attacks on transfer of care (issue 21) as a reviewer would make them, on real SQLite files:
//! the sender's phone sends a real transfer, its envelope is handed to the receiving phone as
//! the sync client would hand it over, sometimes after being altered the way a compromised or
//! buggy sending device could alter it. Each test says which hole it closes or which defence it
//! shows holding. The journey over a real server is `tests/tests/attack_transfer.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::transfer::{acknowledge_transfer, send_transfer};
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::bodies::ShareBody;
use safeshare_core::app::{AppError, ShareRequest, SubjectChoice, TransferTakeOn};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::team_around_child::{Involvement, ProfessionalRole};
use safeshare_core::casework::transfer::TransferStatus;
use safeshare_core::model::{PersonDetails, PersonRole, ShareId};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::sync::{Envelope, EnvelopeKind};

/// The midwife sends a transfer of the baby; returns the share and its envelope as the
/// receiving phone would pull it.
fn sent(midwife: &Device, region: &Region) -> (ShareId, Envelope) {
    let family = family(&midwife.session);
    send_transfer(region, midwife, family.baby.id)
}

/// The envelope with its share body altered by `alter`.
fn altered(envelope: &Envelope, alter: impl FnOnce(&mut ShareBody)) -> Envelope {
    let mut body: ShareBody = serde_json::from_slice(&envelope.body.0).unwrap();
    alter(&mut body);
    let mut out = envelope.clone();
    out.body.0 = serde_json::to_vec(&body).unwrap();
    out
}

fn member(contact: ContactRef, role: ProfessionalRole) -> Involvement {
    Involvement {
        id: ulid::Ulid::new(),
        contact,
        professional_name: None,
        role,
        leads_on: String::new(),
        from: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        to: None,
        household: false,
    }
}

/// The health visitor's phone holding `envelope`, acknowledged with the read-back.
fn received_and_acknowledged(region: &Region, envelope: &Envelope, share: ShareId) -> Device {
    let hv = health_visitor(region, utc(2026, 12, 1, 11, 0));
    hv.session.apply_inbound(envelope).unwrap();
    acknowledge_transfer(&hv, share);
    hv
}

fn nothing_taken_on(hv: &Device) {
    let expected = hv.session.transfers().expected().unwrap();
    assert_eq!(expected.len(), 1);
    assert_eq!(expected[0].taken_on, None, "nothing recorded as taken on");
}

/// Hole: `take_on_resolved` with "same person" attached the transferred child to whoever the
/// call named — a child under another NHS number, even the mother — although the practitioner
/// is only ever shown the people recorded under the shared NHS number.
#[test]
fn choosing_someone_under_another_nhs_number_attaches_nothing() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let hv = received_and_acknowledged(&region, &envelope, share);

    let household = hv.session.add_household(None).unwrap();
    let other_child = hv
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some("Another Child".into()),
                date_of_birth: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
                nhs_number: Some("401 023 2137".into()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    let err = hv
        .session
        .transfers()
        .take_on_resolved(share, SubjectChoice::SamePerson(other_child.id))
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Validation { field, .. } if field == "nhs_number"),
        "{err:?}"
    );
    nothing_taken_on(&hv);
    assert!(hv
        .session
        .team_around_child()
        .team(other_child.id)
        .unwrap()
        .is_none());
}

/// Hole: a pack whose subject is an adult (a crafted or corrupted body; the sending phone
/// refuses it) was taken on, seeding a "team around the child" for the mother.
#[test]
fn a_transfer_about_an_adult_is_not_taken_on() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let crafted = altered(&envelope, |b| {
        b.about.role = PersonRole::MotherOrBirthingParent;
        b.about.nhs_number = None;
    });
    let hv = received_and_acknowledged(&region, &crafted, share);
    let err = hv.session.transfers().take_on(share).unwrap_err();
    assert!(
        matches!(&err, AppError::Refused { .. } | AppError::Validation { .. }),
        "{err:?}"
    );
    nothing_taken_on(&hv);
}

/// Hole: a pack member naming a directory team under another team's name kept the pack's name,
/// so "not yet told" named one team and sent to another. A team in this directory is named as
/// this directory names it.
#[test]
fn a_pack_member_under_a_false_team_name_is_shown_by_the_directory_name() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let crafted = altered(&envelope, |b| {
        let pack = b.transfer.as_mut().unwrap();
        pack.members.push(member(
            ContactRef::Directory {
                team: region.front_door,
                label: "Leeds paediatric liaison".into(),
            },
            ProfessionalRole::SocialWorker,
        ));
    });
    let hv = received_and_acknowledged(&region, &crafted, share);
    let child = match hv.session.transfers().take_on(share).unwrap() {
        TransferTakeOn::TakenOn { child, .. } => child,
        other => panic!("{other:?}"),
    };
    let team = hv
        .session
        .team_around_child()
        .team(child.id)
        .unwrap()
        .unwrap();
    let front_door = team
        .current()
        .find(|m| m.team() == Some(region.front_door))
        .expect("the pack's member is on the team");
    let name = &region.directory.team(region.front_door).unwrap().name;
    let label = |c: &ContactRef| match c {
        ContactRef::Directory { label, .. } => label.clone(),
        ContactRef::Captured { name, .. } => name.clone(),
    };
    assert_eq!(&label(&front_door.contact), name);
    assert!(team
        .members
        .iter()
        .all(|m| label(&m.contact) != "Leeds paediatric liaison"));
}

/// Hole: a pack with thousands of members (a crafted body still under the server's size limit)
/// was written whole into the child's team around the child. It is refused before the child is
/// identified or anything is recorded.
#[test]
fn a_pack_with_thousands_of_members_is_refused_before_anything_is_recorded() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let crafted = altered(&envelope, |b| {
        let pack = b.transfer.as_mut().unwrap();
        for i in 0..5_000 {
            pack.members.push(member(
                ContactRef::Captured {
                    name: format!("Worker {i}"),
                    role: "outreach".into(),
                    phone: "0113 496 0000".into(),
                    out_of_hours_phone: None,
                },
                ProfessionalRole::Other("outreach".into()),
            ));
        }
    });
    let hv = received_and_acknowledged(&region, &crafted, share);
    let err = hv.session.transfers().take_on(share).unwrap_err();
    assert!(
        matches!(&err, AppError::Validation { field, .. } if field == "members"),
        "{err:?}"
    );
    nothing_taken_on(&hv);
}

/// Held: an acknowledgement without its read-back is refused on the receiving phone, and one
/// crafted without it never completes the sender's transfer, which stays a call-now.
#[test]
fn a_transfer_is_never_completed_without_the_read_back() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    hv.session.apply_inbound(&envelope).unwrap();
    let err = hv
        .session
        .acknowledge_share(
            share,
            ReadBack {
                who: "Baby moving into LS6".into(),
                risk: "   ".into(),
                next_action: "New birth visit".into(),
            },
        )
        .unwrap_err();
    assert!(matches!(err, AppError::Validation { .. }), "{err:?}");
    assert!(matches!(
        hv.session.transfers().take_on(share).unwrap_err(),
        AppError::Refused { .. }
    ));

    // A proper acknowledgement, then the same envelope with its read-back blanked.
    acknowledge_transfer(&hv, share);
    let ack = hv
        .session
        .pending_envelopes()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == EnvelopeKind::Acknowledgement)
        .unwrap();
    let mut body: serde_json::Value = serde_json::from_slice(&ack.body.0).unwrap();
    body["read_back"]["risk"] = serde_json::Value::String(String::new());
    let mut blank = ack.clone();
    blank.body.0 = serde_json::to_vec(&body).unwrap();
    midwife.session.apply_inbound(&blank).unwrap();

    let child = midwife.session.transfers();
    let records = midwife
        .session
        .share(share)
        .map(|v| v.share.record.acknowledgement.is_some())
        .unwrap();
    assert!(!records, "the share stays unacknowledged");
    let attention = midwife.session.needs_attention_now().unwrap();
    assert!(attention
        .iter()
        .any(|a| matches!(a.item.kind, AttentionKind::CallTeamNow { share: s, .. } if s == share)));
    let transfers = child
        .transfers_of(
            midwife
                .session
                .share(share)
                .unwrap()
                .share
                .content
                .about
                .person,
        )
        .unwrap();
    assert_eq!(transfers[0].status, TransferStatus::AwaitingAcknowledgement);
}

/// Held: the transfer is due exactly when an ordinary share of its severity sent at the same
/// instant is due (never later), and the receiving phone holds the same due time.
#[test]
fn the_transfer_is_due_when_the_share_rules_say_and_no_later() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let view = midwife.session.share(share).unwrap().share;
    let baby = view.content.about.person;
    let ordinary = midwife
        .session
        .share_with_team(
            baby,
            &[],
            &[],
            ShareRequest {
                team: region.health_visiting,
                message: "An ordinary share at the same severity".into(),
                severity: Some(view.record.share.severity),
            },
        )
        .unwrap();
    assert_eq!(view.due_at, ordinary.due_at);
    assert_eq!(envelope.due_at, Some(view.due_at));
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    hv.session.apply_inbound(&envelope).unwrap();
    let expected = hv.session.transfers().expected().unwrap();
    assert_eq!(expected[0].due_at, view.due_at);
}

/// Held: the shared NHS number written with Unicode spaces (no-break, thin) still finds the
/// one child here with the same number and date of birth, and attaches to no one else.
#[test]
fn an_nhs_number_with_unicode_spaces_matches_the_same_child_only() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let crafted = altered(&envelope, |b| {
        b.about.nhs_number = Some("943\u{00a0}476\u{2009}5919".into());
    });
    let hv = received_and_acknowledged(&region, &crafted, share);
    let household = hv.session.add_household(None).unwrap();
    let here = hv
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some("Baby recorded here".into()),
                date_of_birth: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
                nhs_number: Some(CHILD_NHS.into()),
                ..PersonDetails::default()
            },
        )
        .unwrap();
    match hv.session.transfers().take_on(share).unwrap() {
        TransferTakeOn::TakenOn { child, existing } => {
            assert!(existing);
            assert_eq!(child.id, here.id);
        }
        other => panic!("{other:?}"),
    }
}

/// Held: a pack about a child under a placeholder NHS number (ten identical digits) is refused
/// with the NHS number error before any look-up: it would otherwise match every baby recorded
/// under the same placeholder.
#[test]
fn a_placeholder_nhs_number_is_refused_before_anything_is_attached() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let (share, envelope) = sent(&midwife, &region);
    let crafted = altered(&envelope, |b| {
        b.about.nhs_number = Some("1111111111".into());
    });
    let hv = received_and_acknowledged(&region, &crafted, share);
    let err = hv.session.transfers().take_on(share).unwrap_err();
    assert!(
        matches!(&err, AppError::Validation { field, .. } if field == "nhs_number"),
        "{err:?}"
    );
    nothing_taken_on(&hv);
}
