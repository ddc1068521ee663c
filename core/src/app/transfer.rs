//! The session's handle on transfer of care ([`Session::transfers`]): finding the receiving
//! team by the new postcode, sending the transfer pack as a share, keeping it in "needs
//! attention" with a call-now until the receiving team acknowledges, and completing it when
//! they do; on the receiving side, the families expected.
//!
//! The pack and the sender's record are [`crate::casework::transfer`]'s. Here:
//! - [`TransferHandle::send`] checks every input (required health fields, the postcode, the
//!   team in the directory, the person a child) before writing, then in ONE transaction
//!   assembles the pack from the store, writes the share and its envelope (through the share
//!   path, so its due time is the share rules' for its severity) and the transfer record.
//! - Until the share is acknowledged, [`transfer_attention`] puts a "call now" for the
//!   receiving team into "needs attention" from the moment it is sent (not only once overdue:
//!   docs/clinical-decisions.md, "Transfer of care"); the number is chosen by the directory for
//!   that instant like every other call.
//! - When the acknowledgement arrives ([`transfer_acknowledged`], called by the inbound path in
//!   the same transaction), the record becomes "transferred to … on …" and the team around the
//!   child gains the receiving team. Nothing about the child is deleted.

use super::records::{self, ShareDirection, StoredReferral, StoredShare};
use super::shares::ShareContent;
use super::{AppError, Session, ShareRequest};
use crate::casework::checklist::ContactRef;
use crate::casework::team_around_child::{NewInvolvement, ProfessionalRole, TeamAroundChild};
use crate::casework::team_around_child::{SocialCareStatus, TeamError};
use crate::casework::transfer::{
    required, transfer_severity, NewTransfer, TransferError, TransferPack, TransferRecord,
    TransferStatus,
};
use crate::directory::{Directory, Service, Team};
use crate::model::{london_date, Observation, Person, PersonId, Severity, ShareId};
use crate::rules::attention::{AttentionItem, AttentionKind};
use crate::rules::escalation::EscalationStep;
use crate::store::WriteTx;
use crate::store::{ListFilter, Record, StoreError, StoredRecord};
use chrono::{DateTime, Utc};

impl From<TransferError> for AppError {
    fn from(e: TransferError) -> Self {
        AppError::validation(e.field(), rule(e))
    }
}

/// A family a team is expecting: a transfer of care sent to one of this practitioner's teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedTransfer {
    /// The share that carried it (who it is about, the open concerns, the message).
    pub share: StoredShare,
    /// The transfer pack.
    pub pack: TransferPack,
    /// Whether a member of the team has acknowledged it.
    pub acknowledged: bool,
}

/// The transfer-of-care feature of a [`Session`].
#[derive(Debug, Clone, Copy)]
pub struct TransferHandle<'a> {
    session: &'a Session,
}

impl Session {
    /// Transfer of care when a family moves.
    pub fn transfers(&self) -> TransferHandle<'_> {
        TransferHandle { session: self }
    }
}

impl TransferHandle<'_> {
    /// The teams providing `service` that cover the new postcode (districts first), from the
    /// directory copy on this device.
    pub fn receiving_teams(&self, service: Service, postcode: &str) -> Result<Vec<Team>, AppError> {
        let directory = self.session.directory();
        let found = directory
            .find_by_postcode(service, postcode)
            .map_err(|e| AppError::validation("new_postcode", rule(e)))?;
        Ok(found.into_iter().cloned().collect())
    }

    /// Sends a transfer of care: the pack and the child's open concerns, as one share to the
    /// receiving team, and the sender's transfer record; one transaction.
    pub fn send(&self, new: NewTransfer) -> Result<TransferRecord, AppError> {
        // Every check on what was entered before any work.
        let health_needs = required("health_needs", &new.health_needs)?;
        let medication = required("medication", &new.medication)?;
        let follow_up = required("follow_up_appointments", &new.follow_up_appointments)?;
        let area = crate::directory::Area::parse(&new.new_postcode)
            .map_err(|e| AppError::validation("new_postcode", rule(e)))?;
        let new_address = match &new.new_address {
            Some(a) if !crate::rules::normalise::is_blank(a) => Some(required("new_address", a)?),
            _ => None,
        };
        let team_name = self
            .session
            .directory()
            .team(new.team)
            .map(|t| t.name.clone())
            .ok_or_else(|| AppError::not_found("team", new.team))?;
        let actor = self.session.actor();
        self.session.with_store(|store| {
            store.write(actor, |tx| {
                let person = tx.get::<Person>(Person::KIND, new.child)?.body;
                if !person.role.is_child() {
                    return Err(AppError::validation(
                        "child",
                        "a transfer of care is made for a child",
                    ));
                }
                let open: Vec<Observation> = super::capture::observations_in(tx, person.id)?
                    .into_iter()
                    .filter(Observation::is_open)
                    .collect();
                let pack = TransferPack {
                    new_postcode: area.as_str().to_owned(),
                    new_address,
                    moving_on: new.moving_on,
                    chronology: chronology_lines(tx, &person)?,
                    social_care: latest::<SocialCareStatus>(tx, person.id)?
                        .map(|s| s.body.summary()),
                    team_around_child: latest::<TeamAroundChild>(tx, person.id)?
                        .map(|t| t.body.current().map(|m| m.describe()).collect())
                        .unwrap_or_default(),
                    lead_professional: latest::<TeamAroundChild>(tx, person.id)?
                        .and_then(|t| t.body.lead_professional().map(|m| m.describe())),
                    open_referrals_and_escalations: open_referrals(tx, person.id)?,
                    health_needs,
                    medication,
                    follow_up_appointments: follow_up,
                };
                let severity = transfer_severity(new.severity, open.iter().map(|o| o.severity));
                let receipt = self.session.write_share(
                    tx,
                    &person,
                    ShareContent {
                        observations: open,
                        voice: Vec::new(),
                        transfer: Some(pack),
                    },
                    &ShareRequest {
                        team: new.team,
                        message: new.message.clone(),
                        severity: Some(severity),
                    },
                )?;
                let record = TransferRecord {
                    share: receipt.share,
                    child: person.id,
                    household: person.household,
                    team: new.team,
                    team_name: team_name.clone(),
                    sent_at: tx.now(),
                    due_at: receipt.due_at,
                    status: TransferStatus::AwaitingAcknowledgement,
                };
                records::insert(tx, &record)?;
                Ok(record)
            })
        })
    }

    /// Every transfer of care sent for `child`, oldest first, with where each stands.
    pub fn transfers_of(&self, child: PersonId) -> Result<Vec<TransferRecord>, AppError> {
        let filter = ListFilter {
            subject_person: Some(child),
            ..ListFilter::default()
        };
        self.session.with_store(|store| {
            Ok(store
                .list::<TransferRecord>(self.session.actor(), TransferRecord::KIND, &filter)?
                .into_iter()
                .map(|r| r.body)
                .collect())
        })
    }

    /// The families this practitioner's teams are expecting: transfers of care sent to them,
    /// acknowledged or not, oldest first. Visible as soon as the share is pulled, before the
    /// move completes.
    pub fn expected(&self) -> Result<Vec<ExpectedTransfer>, AppError> {
        Ok(self
            .session
            .all_shares()?
            .into_iter()
            .filter(|s| s.direction == ShareDirection::Incoming)
            .filter_map(|s| {
                let pack = s.content.transfer.clone()?;
                Some(ExpectedTransfer {
                    acknowledged: s.record.acknowledgement.is_some(),
                    pack,
                    share: s,
                })
            })
            .collect())
    }
}

/// Called by the inbound path when an acknowledgement closed an outgoing share, in the same
/// transaction: completes the transfer it carried, if any, and adds the receiving team to the
/// team around the child.
pub(crate) fn transfer_acknowledged(
    tx: &mut WriteTx<'_>,
    directory: &Directory,
    share: &StoredShare,
) -> Result<(), AppError> {
    let Some(ack) = &share.record.acknowledgement else {
        return Ok(());
    };
    let current: Record<TransferRecord> = match tx.get(TransferRecord::KIND, share.record.share.id)
    {
        Ok(r) => r,
        Err(StoreError::NotFound { .. }) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if current.body.is_complete() {
        return Ok(());
    }
    let mut record = current.body;
    record.status = TransferStatus::Transferred { on: ack.at };
    records::amend(
        tx,
        current.version,
        &record,
        "acknowledged by the receiving team",
    )?;

    let actor = tx.actor();
    let now = tx.now();
    let existing = latest::<TeamAroundChild>(tx, record.child)?;
    let mut team = match &existing {
        Some(r) => r.body.clone(),
        None => TeamAroundChild::new(record.child, record.household, actor, now),
    };
    let role = role_of(directory.team(record.team).map(|t| t.service));
    let involved = team.involve(
        NewInvolvement {
            contact: ContactRef::Directory {
                team: record.team,
                label: record.team_name.clone(),
            },
            professional_name: None,
            role,
            leads_on: "care transferred to this team".into(),
            from: london_date(ack.at),
        },
        actor,
        now,
    );
    match involved {
        Ok(_) => {}
        // Already on the team in that role: nothing to add.
        Err(TeamError::AlreadyInvolved) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    team.change = format!("{} ({})", team.change, record.summary());
    match existing {
        None => records::insert(tx, &team)?,
        Some(r) => records::amend(tx, r.version, &team, &team.change)?,
    };
    Ok(())
}

/// The transfers not yet acknowledged (by their clear status), each with its share, read in
/// the caller's transaction.
pub(crate) fn pending_transfers(
    tx: &mut crate::store::WriteTx<'_>,
) -> Result<Vec<(TransferRecord, StoredShare)>, AppError> {
    let filter = ListFilter {
        status: Some("awaiting_ack".into()),
        ..ListFilter::default()
    };
    let mut out = Vec::new();
    for r in tx.list::<TransferRecord>(TransferRecord::KIND, &filter)? {
        let share: StoredShare = tx.get(StoredShare::KIND, r.body.share)?.body;
        out.push((r.body, share));
    }
    Ok(out)
}

/// Puts every transfer not yet acknowledged (`pending`, from [`pending_transfers`]) into
/// `items` as a call to the receiving team, from the moment it was sent; an item the rules
/// already made for its share is replaced.
pub(crate) fn transfer_attention(
    pending: Vec<(TransferRecord, StoredShare)>,
    items: &mut Vec<AttentionItem>,
    now: DateTime<Utc>,
) {
    for (transfer, share) in pending {
        if share.record.acknowledgement.is_some() {
            continue;
        }
        items.retain(|i| !is_about_share(&i.kind, transfer.share));
        let immediate_risk = share.record.share.severity == Severity::ImmediateRisk;
        let item = AttentionItem {
            kind: AttentionKind::CallTeamNow {
                share: transfer.share,
                team: transfer.team,
                team_name: transfer.team_name.clone(),
            },
            due: transfer.due_at,
            overdue: now >= transfer.due_at,
            why: format!(
                "Transfer of care to {} not yet acknowledged: call them to hand over",
                transfer.team_name
            ),
            immediate_risk,
        };
        // A transfer is a change of who is responsible for a child: it goes before every
        // item that is not immediate risk (and first of all when it is).
        let at = if immediate_risk {
            0
        } else {
            items
                .iter()
                .position(|i| !i.immediate_risk)
                .unwrap_or(items.len())
        };
        items.insert(at, item);
    }
}

fn is_about_share(kind: &AttentionKind, id: ShareId) -> bool {
    match kind {
        AttentionKind::CallTeamNow { share, .. }
        | AttentionKind::AcknowledgementDueSoon { share, .. } => *share == id,
        _ => false,
    }
}

/// The role a receiving team takes on the team around the child, from its service.
fn role_of(service: Option<Service>) -> ProfessionalRole {
    match service {
        Some(Service::Midwifery) => ProfessionalRole::Midwife,
        Some(Service::HealthVisiting) => ProfessionalRole::HealthVisitor,
        Some(Service::SchoolNursing) => ProfessionalRole::SchoolNurse,
        Some(Service::GpPractice) => ProfessionalRole::Gp,
        Some(Service::ChildrensSocialCareFrontDoor) => ProfessionalRole::SocialWorker,
        Some(other) => ProfessionalRole::Other(other.label().to_owned()),
        None => ProfessionalRole::Other("receiving team".into()),
    }
}

fn chronology_lines(tx: &mut WriteTx<'_>, person: &Person) -> Result<Vec<String>, AppError> {
    let mut entries = super::review::entries_about(tx, person)?;
    // Stable: entries at the same instant keep the order they were recorded in.
    entries.sort_by_key(|e| e.at);
    Ok(entries
        .iter()
        .map(|e| format!("{}: {}", london_date(e.at).format("%-d %b %Y"), e.summary))
        .collect())
}

fn open_referrals(tx: &mut WriteTx<'_>, child: PersonId) -> Result<Vec<String>, AppError> {
    let filter = ListFilter {
        subject_person: Some(child),
        ..ListFilter::default()
    };
    let mut lines = Vec::new();
    for r in tx.list::<StoredReferral>(StoredReferral::KIND, &filter)? {
        let referral = &r.body.record.referral;
        let sent = london_date(referral.sent_at).format("%-d %b %Y");
        if r.body.record.decision.is_none() {
            lines.push(format!("Referral sent {sent}: no decision recorded yet"));
        }
    }
    for r in tx
        .list::<super::records::StoredEscalation>(super::records::StoredEscalation::KIND, &filter)?
    {
        if let Some(step) = r.body.ladder.next_step() {
            let next = match step {
                EscalationStep::ReviewAndReRefer => "review the referral and re-refer",
                EscalationStep::CheckEarlyHelpThresholds => "check Early Help thresholds",
                EscalationStep::SeekCollateralHistory => "seek collateral history",
                EscalationStep::SeekSafeguardingAdvice => "seek safeguarding advice",
                EscalationStep::FollowEscalationProcedure => "follow the escalation procedure",
            };
            lines.push(format!(
                "Referral not accepted, escalation still open; next step: {next}"
            ));
        }
    }
    Ok(lines)
}

fn latest<T>(tx: &mut WriteTx<'_>, child: PersonId) -> Result<Option<Record<T>>, AppError>
where
    T: StoredRecord + serde::de::DeserializeOwned,
{
    match tx.get::<T>(T::KIND, child) {
        Ok(r) => Ok(Some(r)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A rule's wording as the validation reason the shell shows.
fn rule(text: impl std::fmt::Display) -> super::error::Reason {
    super::error::Reason::Rule(std::borrow::Cow::Owned(text.to_string()))
}
