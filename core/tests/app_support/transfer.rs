//! A transfer of care between the two fictional practitioners, for the Session and screen
//! tests: the midwife's standard transfer of a child to the region's health visiting team, the
//! share envelope carrying it taken from her outbox exactly as the sync client would push it,
//! and the receiving phone's steps (a child already held there, the read-back). Real sessions
//! on real SQLite files (`app_support`); nothing here asserts, so a test says what it checks.

use super::{Device, Region};
use chrono::NaiveDate;
use safeshare_core::app::bodies::ShareBody;
use safeshare_core::app::TransferTakeOn;
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::team_around_child::{Involvement, ProfessionalRole};
use safeshare_core::casework::transfer::{NewTransfer, TransferPack};
use safeshare_core::model::{Person, PersonDetails, PersonId, PersonRole, ShareId};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::sync::{Envelope, EnvelopeKind};

/// The standard transfer of `child` to the region's health visiting team (LS6), every
/// required field filled.
pub fn transfer_of(region: &Region, child: PersonId) -> NewTransfer {
    NewTransfer {
        child,
        team: region.health_visiting,
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

/// Sends the standard transfer of `child` from `sender`; returns its share and the envelope
/// carrying it, not yet delivered.
pub fn send_transfer(region: &Region, sender: &Device, child: PersonId) -> (ShareId, Envelope) {
    let record = sender
        .session
        .transfers()
        .send(transfer_of(region, child))
        .unwrap();
    let envelope = sender
        .session
        .pending_envelopes()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == EnvelopeKind::Share && e.entity_id == record.share.ulid())
        .unwrap();
    (record.share, envelope)
}

/// Changes the transfer pack `envelope` carries (as the outbox holds it, before delivery), as a
/// crafted or older sender could: the body is decoded, `edit` changes the pack, and the body is
/// written back.
pub fn edit_pack(envelope: &mut Envelope, edit: impl FnOnce(&mut TransferPack)) {
    let mut body: ShareBody = serde_json::from_slice(&envelope.body.0).unwrap();
    edit(body.transfer.as_mut().expect("a transfer's envelope"));
    envelope.body.0 = serde_json::to_vec(&body).unwrap();
}

/// A professional in a transfer pack, captured by hand on the sender's phone (a fictional
/// drama-range number), `role` from `from` until `to`.
pub fn pack_member(
    role: ProfessionalRole,
    name: &str,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Involvement {
    Involvement {
        id: ulid::Ulid::new(),
        contact: ContactRef::Captured {
            name: name.into(),
            role: "fictional".into(),
            phone: "0113 496 0001".into(),
            out_of_hours_phone: None,
        },
        professional_name: None,
        role,
        leads_on: String::new(),
        from,
        to,
        household: false,
    }
}

/// Sends the standard transfer of `child` from `sender` and delivers it to `receiver`.
pub fn deliver_transfer(
    region: &Region,
    sender: &Device,
    child: PersonId,
    receiver: &Device,
) -> ShareId {
    let (share, envelope) = send_transfer(region, sender, child);
    receiver.session.apply_inbound(&envelope).unwrap();
    share
}

/// The receiving practitioner acknowledges the transfer with a complete read-back.
pub fn acknowledge_transfer(device: &Device, share: ShareId) {
    device
        .session
        .acknowledge_share(
            share,
            ReadBack {
                who: "Baby moving into LS6 with her mother".into(),
                risk: "Mother's low mood".into(),
                next_action: "New birth visit this week".into(),
            },
        )
        .unwrap();
}

/// Records a child in a household of its own on `device`.
pub fn add_child(device: &Device, name: &str, born: NaiveDate, nhs: Option<&str>) -> Person {
    let household = device.session.add_household(None).unwrap();
    device
        .session
        .add_person(
            household.id,
            PersonRole::Child,
            PersonDetails {
                name: Some(name.into()),
                date_of_birth: Some(born),
                nhs_number: nhs.map(str::to_owned),
                ..PersonDetails::default()
            },
        )
        .unwrap()
}

/// The child a take-on took the transfer on as, and whether they were already held; panics
/// (failing the test) on any other outcome.
pub fn taken_on_as(outcome: TransferTakeOn) -> (PersonId, bool) {
    match outcome {
        TransferTakeOn::TakenOn { child, existing } => (child.id, existing),
        other => panic!("not taken on: {other:?}"),
    }
}
