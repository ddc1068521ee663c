//! The session's handle on transfer of care ([`Session::transfers`]): finding the receiving
//! team by the new postcode, sending the transfer pack as a share, keeping it in "needs
//! attention" with a call-now until the receiving team acknowledges, and completing it when
//! they do; on the receiving side, the families expected.
//!
//! The pack and the sender's record are [`crate::casework::transfer`]'s. Here:
//! - [`TransferHandle::send`] checks every input (required health fields, the postcode, the
//!   team in the directory, the person a child, the team around the child within
//!   [`MAX_PACK_MEMBERS`], the limit the receiver holds a pack to) before writing, then in ONE transaction
//!   assembles the pack from the store, writes the share and its envelope (through the share
//!   path, so its due time is the share rules' for its severity) and the transfer record.
//! - Until the share is acknowledged, [`transfer_attention`] puts a "call now" for the
//!   receiving team into "needs attention" from the moment it is sent (not only once overdue:
//!   docs/clinical-decisions.md, "Transfer of care"); the number is chosen by the directory for
//!   that instant like every other call.
//! - When the acknowledgement arrives ([`transfer_acknowledged`], called by the inbound path in
//!   the same transaction), the record becomes "transferred to … on …" and the team around the
//!   child gains the receiving team. Nothing about the child is deleted.
//! - On the receiving phone, [`TransferHandle::expected`] lists the families coming before the
//!   move completes, and [`TransferHandle::take_on`] (after the acknowledgement with its
//!   read-back, never before) takes the child onto the caseload by the identity rule of
//!   [`super::subject`] (NHS number and date of birth, or the practitioner's choice) and, in the
//!   same transaction, seeds the child's team around the child from the pack (the sending team
//!   as previously involved, the receiving team joining) and its social care status, and
//!   records the take-on ([`TransferTakenOn`]) so it is done once.
//!   Before any of that, the pack is checked as untrusted input: about a child, at most
//!   [`MAX_PACK_MEMBERS`] members, each valid, and a member naming a team in this directory
//!   takes this directory's name (docs/clinical-decisions.md, "What a received pack is
//!   trusted for").

use super::bodies::{SharedObservation, Subject};
use super::records::{self, ShareDirection, StoredReferral, StoredShare};
use super::shares::ShareContent;
use super::subject::{conflict_in, resolve_in, take_on_in, SubjectChoice, SubjectTakeOn};
use super::Identity;
use super::{AppError, Session, ShareRequest};
use crate::casework::checklist::ContactRef;
use crate::casework::team_around_child::{
    Involvement, NewInvolvement, NewSocialCareStatus, ProfessionalRole, TakeOnSeed, TeamAroundChild,
};
use crate::casework::team_around_child::{SocialCareStatus, TeamError};
use crate::casework::transfer::{
    required, transfer_severity, NewTransfer, TransferError, TransferPack, TransferRecord,
    TransferStatus, TransferTakenOn,
};
use crate::directory::{Directory, Service, Team};
use crate::model::{london_date, Observation, Person, PersonId, Severity, ShareId, TeamId};
use crate::rules::attention::{AttentionItem, AttentionKind};
use crate::rules::escalation::EscalationStep;
use crate::store::WriteTx;
use crate::store::{ListFilter, Record, StoreError, StoredRecord};
use chrono::{DateTime, Utc};

/// A family a team is expecting: a transfer of care sent to one of this practitioner's teams,
/// as the receiving phone lists it (before and after the move).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExpectedTransfer {
    /// The share that carried it (acknowledge it, then take the child on, by this id).
    pub share: ShareId,
    /// Who the transfer is about, as the sender recorded them.
    pub about: Subject,
    /// Who sent it.
    pub sender_name: String,
    /// The team it was sent to (one of this practitioner's).
    pub team: TeamId,
    /// How serious (never below "concern").
    pub severity: Severity,
    /// The sender's message.
    pub message: String,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// When acknowledgement is due.
    pub due_at: DateTime<Utc>,
    /// The open concerns it carries.
    pub observations: Vec<SharedObservation>,
    /// The transfer pack.
    pub pack: TransferPack,
    /// Whether a member of the team has acknowledged it.
    pub acknowledged: bool,
    /// The child as recorded on this phone, once taken on here.
    pub taken_on: Option<PersonId>,
}

/// What taking on a transfer's child did, or what it needs from the practitioner.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TransferTakeOn {
    /// The child is on this caseload, with the team around the child seeded from the pack.
    TakenOn {
        /// The child as recorded here.
        child: Person,
        /// Whether it is a person already recorded here (matched on NHS number and date of
        /// birth, chosen by the practitioner, or taken on before), rather than a new record.
        existing: bool,
    },
    /// Someone here has the NHS number but not the same date, or several people match:
    /// nothing was attached. Show the shared details beside each candidate and call
    /// [`TransferHandle::take_on_resolved`] with the practitioner's choice.
    Confirm {
        /// The details as the sender shared them.
        incoming: Subject,
        /// The people recorded here under the same NHS number.
        candidates: Vec<TakeOnCandidate>,
    },
}

/// One person recorded here who might be the transferred child.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TakeOnCandidate {
    /// The person as recorded here.
    pub person: Person,
    /// The fields that differ from the shared details, by name (`date_of_birth`,
    /// `expected_delivery`, `role`, `name`).
    pub differences: Vec<String>,
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
            .map_err(|e| AppError::validation("new_postcode", e))?;
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
            .map_err(|e| AppError::validation("new_postcode", e))?;
        let new_address = match &new.new_address {
            Some(a) if !crate::rules::normalise::is_blank(a) => Some(required("new_address", a)?),
            _ => None,
        };
        let directory = self.session.directory();
        let team_name = directory
            .team(new.team)
            .map(|t| t.name.clone())
            .ok_or_else(|| AppError::not_found("team", new.team))?;
        let identity = self.session.identity();
        let actor = self.session.actor();
        let result = self.session.with_store(|store| {
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
                let view = super::team_around_child::team_view(tx, &person)?;
                // The receiving phone refuses a pack over the limit, so it is refused here,
                // before anything is sealed or queued (this transaction writes nothing): a
                // transfer the receiver cannot take on would sit unacknowledged instead.
                let members = view.as_ref().map_or(0, |t| t.current().count());
                if members > MAX_PACK_MEMBERS {
                    return Err(TransferError::TooManyMembers {
                        members,
                        limit: MAX_PACK_MEMBERS,
                    }
                    .into());
                }
                let status = latest::<SocialCareStatus>(tx, person.id)?.map(|r| r.body);
                let (chronology, first_record) = chronology_lines(tx, &person)?;
                let sending_team = sending_member(
                    view.as_ref(),
                    &identity,
                    &directory,
                    first_record.unwrap_or(london_date(tx.now())),
                );
                let pack = TransferPack {
                    new_postcode: area.as_str().to_owned(),
                    new_address,
                    moving_on: new.moving_on,
                    chronology,
                    social_care: status.as_ref().map(SocialCareStatus::summary),
                    team_around_child: view
                        .as_ref()
                        .map(|t| t.current().map(|m| m.describe()).collect())
                        .unwrap_or_default(),
                    lead_professional: view
                        .as_ref()
                        .and_then(|t| t.lead_professional().map(|m| m.describe())),
                    open_referrals_and_escalations: open_referrals(tx, person.id)?,
                    health_needs,
                    medication,
                    follow_up_appointments: follow_up,
                    members: view
                        .as_ref()
                        .map(|t| t.current().cloned().collect())
                        .unwrap_or_default(),
                    lead_member: view.as_ref().and_then(|t| t.lead),
                    sending_team,
                    social_care_level: status.as_ref().map(|s| s.level),
                    social_care_since: status.as_ref().map(|s| s.since),
                    social_worker_member: status
                        .as_ref()
                        .and_then(|s| s.social_worker.as_ref().map(|w| w.id)),
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
        });
        self.session
            .notify_if_ok(super::ChangeCause::TransferSent, result)
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
    /// acknowledged or not, taken on or not, oldest first. Visible as soon as the share is
    /// pulled, before the move completes.
    pub fn expected(&self) -> Result<Vec<ExpectedTransfer>, AppError> {
        let shares = self.session.all_shares()?;
        let taken: Vec<TransferTakenOn> = self.session.with_store(|store| {
            Ok(store
                .list::<TransferTakenOn>(
                    self.session.actor(),
                    TransferTakenOn::KIND,
                    &ListFilter::default(),
                )?
                .into_iter()
                .map(|r| r.body)
                .collect())
        })?;
        Ok(shares
            .into_iter()
            .filter(|s| s.direction == ShareDirection::Incoming)
            .filter_map(|s| {
                let pack = s.content.transfer.clone()?;
                let id = s.record.share.id;
                Some(ExpectedTransfer {
                    share: id,
                    about: s.content.about.clone(),
                    sender_name: s.content.sender_name.clone(),
                    team: s.record.share.team,
                    severity: s.record.share.severity,
                    message: s.content.message.clone(),
                    sent_at: s.record.share.sent_at,
                    due_at: s.due_at,
                    observations: s.content.observations.clone(),
                    pack,
                    acknowledged: s.record.acknowledgement.is_some(),
                    taken_on: taken.iter().find(|t| t.share == id).map(|t| t.child),
                })
            })
            .collect())
    }

    /// Takes the child of a transfer of care onto this caseload, once the transfer has been
    /// acknowledged with its read-back: the identity rule of
    /// [`Session::take_on_share_subject`] (a person here only on NHS number and date of birth;
    /// a new record when no one here has the number; otherwise [`TransferTakeOn::Confirm`],
    /// attaching nothing), then, in the same transaction, the team around the child seeded
    /// from the pack and the take-on recorded. Taking on again returns the same child.
    ///
    /// # Errors
    /// `Refused` for a share that is not an incoming transfer of care, or not yet
    /// acknowledged; `Validation` as for [`Session::take_on_share_subject`] and on a pack
    /// member that would not be accepted if entered here; store errors.
    pub fn take_on(&self, share: ShareId) -> Result<TransferTakeOn, AppError> {
        self.taking_on(share, |tx, today| {
            Ok(match take_on_in(tx, share, today)? {
                SubjectTakeOn::Matched(person) => Ok((person, true)),
                SubjectTakeOn::Added(person) => Ok((person, false)),
                SubjectTakeOn::Confirm(conflict) => Err(TransferTakeOn::Confirm {
                    incoming: conflict.incoming,
                    candidates: candidates(conflict.candidates),
                }),
            })
        })
    }

    /// The people recorded here among whom the practitioner must choose before the child of
    /// transfer `share` can be taken on — what [`TransferHandle::take_on`] would answer with
    /// [`TransferTakeOn::Confirm`] now — or none when taking on needs no choice (one person
    /// matches on NHS number and date of birth, or no one here has the number). Writes nothing,
    /// so the Expected families screen can offer the choice before Take on is pressed.
    ///
    /// # Errors
    /// `Refused` for a share that is not an incoming transfer of care; `Validation`
    /// (`nhs_number`) when the shared NHS number is invalid (taking on refuses it too); store
    /// errors.
    pub fn take_on_candidates(&self, share: ShareId) -> Result<Vec<TakeOnCandidate>, AppError> {
        let actor = self.session.actor();
        self.session.with_store(|store| {
            store.write(actor, |tx| {
                let stored: StoredShare = tx.get(StoredShare::KIND, share)?.body;
                if stored.direction != ShareDirection::Incoming || stored.content.transfer.is_none()
                {
                    return Err(AppError::refused(
                        "only a transfer of care sent to your team is taken on here",
                    ));
                }
                Ok(conflict_in(tx, share)?
                    .map(|conflict| candidates(conflict.candidates))
                    .unwrap_or_default())
            })
        })
    }

    /// The practitioner's answer after [`TransferTakeOn::Confirm`]: the child is this person
    /// already recorded here, or someone new; then as [`TransferHandle::take_on`].
    ///
    /// # Errors
    /// As [`TransferHandle::take_on`], and `Validation` (`choice`) for a choice Take on's
    /// screen would not offer now (a person who is not a candidate; "None of these" when the
    /// child is matched plainly), before anything is written.
    pub fn take_on_resolved(
        &self,
        share: ShareId,
        choice: SubjectChoice,
    ) -> Result<TransferTakeOn, AppError> {
        self.taking_on(share, |tx, today| {
            // resolve_in holds the choice to what was offered before it writes anything.
            let person = resolve_in(tx, share, choice, today)?;
            Ok(Ok((person, matches!(choice, SubjectChoice::SamePerson(_)))))
        })
    }

    fn taking_on(
        &self,
        share: ShareId,
        identify: impl FnOnce(
            &mut WriteTx<'_>,
            chrono::NaiveDate,
        ) -> Result<Result<(Person, bool), TransferTakeOn>, AppError>,
    ) -> Result<TransferTakeOn, AppError> {
        let actor = self.session.actor();
        let today = london_date(self.session.now()?);
        let directory = self.session.directory();
        let result = self.session.with_store(|store| {
            store.write(actor, |tx| {
                let stored: StoredShare = tx.get(StoredShare::KIND, share)?.body;
                let pack = match (&stored.direction, &stored.content.transfer) {
                    (ShareDirection::Incoming, Some(pack)) => pack.clone(),
                    _ => {
                        return Err(AppError::refused(
                            "only a transfer of care sent to your team is taken on here",
                        ))
                    }
                };
                if stored.record.acknowledgement.is_none() {
                    return Err(AppError::refused(
                        "acknowledge the transfer with your read-back before taking the child on",
                    ));
                }
                // The pack came from another phone: it must be about a child, and every member
                // is checked (and counted) before the child is identified or anything is
                // recorded.
                if !stored.content.about.role.is_child() {
                    return Err(AppError::refused(
                        "this transfer is not about a child: nothing was taken on",
                    ));
                }
                if pack.members.len() > MAX_PACK_MEMBERS {
                    return Err(AppError::validation(
                        "members",
                        "the transfer pack lists more professionals than any team around a child has",
                    ));
                }
                for member in pack.members.iter().chain(&pack.sending_team) {
                    member.check()?;
                }
                let pack = named_from_directory(pack, &directory);
                if let Some(done) = latest_by_id::<TransferTakenOn>(tx, share.to_string())? {
                    let child = tx.get::<Person>(Person::KIND, done.body.child)?.body;
                    return Ok(TransferTakeOn::TakenOn {
                        child,
                        existing: true,
                    });
                }
                let (child, existing) = match identify(tx, today)? {
                    Ok(found) => found,
                    Err(confirm) => return Ok(confirm),
                };
                // The practitioner's choice of an existing person is checked too: a transfer
                // of care is taken on only as a child's.
                if !child.role.is_child() {
                    return Err(AppError::validation(
                        "child",
                        "a transfer of care is taken on as a child's record",
                    ));
                }
                seed_taken_on(tx, &directory, &stored, &pack, &child)?;
                records::insert(
                    tx,
                    &TransferTakenOn {
                        share,
                        child: child.id,
                        household: child.household,
                        by: actor,
                        at: tx.now(),
                    },
                )?;
                Ok(TransferTakeOn::TakenOn { child, existing })
            })
        });
        // After the commit, and only when the child is on the caseload (a choice to make
        // changed nothing): the person, and the team around the child seeded from the pack.
        if matches!(result, Ok(TransferTakeOn::TakenOn { .. })) {
            self.session.notify(
                super::ChangeCause::SubjectTakenOn,
                &super::changes::TRANSFER_TAKEN_ON_SCREENS,
            );
        }
        result
    }
}

fn candidates(found: Vec<super::subject::Candidate>) -> Vec<TakeOnCandidate> {
    found
        .into_iter()
        .map(|c| TakeOnCandidate {
            person: c.person,
            differences: c.differences.iter().map(|d| (*d).to_owned()).collect(),
        })
        .collect()
}

/// The most members a transfer pack may list. A real team around a child has a handful; a pack
/// listing more than this is crafted or corrupt, and taking it on would bury the team the
/// receiving practitioner relies on.
pub const MAX_PACK_MEMBERS: usize = 100;

/// The pack with every directory member that names a team in this phone's directory labelled
/// as this directory names it, as a member entered here is: the pack's label is the sending
/// phone's word, and a label naming another team would make "not yet told" name one team
/// while sharing with another. A team not in this directory (another region's) keeps the
/// pack's label: it cannot be shared with from here, and its name is all the receiver has.
fn named_from_directory(mut pack: TransferPack, directory: &Directory) -> TransferPack {
    for member in pack.members.iter_mut().chain(pack.sending_team.as_mut()) {
        if let ContactRef::Directory { team, label } = &mut member.contact {
            // Another region's team keeps the pack's label: it is all the receiver has.
            let _ = directory.named_team(*team, label);
        }
    }
    pack
}

/// The receiving phone's team around the taken-on child, seeded from the pack (an existing
/// team here gains what it lacks), and its social care status when none is recorded here.
fn seed_taken_on(
    tx: &mut WriteTx<'_>,
    directory: &Directory,
    stored: &StoredShare,
    pack: &TransferPack,
    child: &Person,
) -> Result<(), AppError> {
    let actor = tx.actor();
    let now = tx.now();
    let on = london_date(now);
    let receiving = stored.record.share.team;
    let found = directory.team(receiving);
    let label = found
        .map(|t| t.name.clone())
        .unwrap_or_else(|| stored.content.team_name.clone());
    let existing = latest::<TeamAroundChild>(tx, child.id)?;
    let mut team = match &existing {
        Some(r) => r.body.clone(),
        None => TeamAroundChild::new(child.id, child.household, actor, now),
    };
    team.take_on(
        TakeOnSeed {
            members: &pack.members,
            lead: pack.lead_member,
            sending: pack.sending_team.as_ref(),
            receiving: NewInvolvement {
                contact: ContactRef::Directory {
                    team: receiving,
                    label,
                },
                professional_name: None,
                role: role_of(found.map(|t| t.service)),
                leads_on: "care transferred to this team".into(),
                from: on,
            },
            on,
        },
        actor,
        now,
    )?;
    match existing {
        None => records::insert(tx, &team)?,
        Some(r) => records::amend(tx, r.version, &team, &team.change)?,
    };
    if let Some(level) = pack.social_care_level {
        if latest::<SocialCareStatus>(tx, child.id)?.is_none() {
            // The social worker is carried only when the pack's member is now a member here in
            // that role; otherwise the status says the social worker is not recorded.
            let worker = pack.social_worker_member.filter(|id| {
                team.current().any(|m| {
                    m.id == *id
                        && matches!(
                            m.role,
                            ProfessionalRole::SocialWorker | ProfessionalRole::EarlyHelpWorker
                        )
                })
            });
            let status = SocialCareStatus::record(
                &team,
                NewSocialCareStatus {
                    level,
                    social_worker: worker,
                    since: pack.social_care_since.unwrap_or(on),
                },
                actor,
                now,
            )?;
            records::insert(tx, &status)?;
        }
    }
    Ok(())
}

/// The sending team as a member of the team around the child: this practitioner's own entry
/// when one of their teams is a current member, else their first team, involved from the
/// first record this phone holds about the child (what the phone knows of when care began).
fn sending_member(
    view: Option<&TeamAroundChild>,
    identity: &Identity,
    directory: &Directory,
    first_record: chrono::NaiveDate,
) -> Option<Involvement> {
    let own = identity.team_ids();
    if let Some(member) = view.and_then(|t| {
        t.current()
            .find(|m| m.team().is_some_and(|team| own.contains(&team)))
    }) {
        return Some(member.clone());
    }
    let team = identity.teams.first()?;
    let found = directory.team(team.id);
    Some(Involvement {
        id: ulid::Ulid::new(),
        contact: ContactRef::Directory {
            team: team.id,
            label: found.map_or_else(|| team.name.clone(), |t| t.name.clone()),
        },
        professional_name: None,
        role: role_of(found.map(|t| t.service)),
        leads_on: String::new(),
        from: first_record,
        to: None,
        household: false,
    })
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

/// The child's chronology as the pack's lines, oldest first, and the London date of its first
/// entry (the first record this phone holds about the child).
fn chronology_lines(
    tx: &mut WriteTx<'_>,
    person: &Person,
) -> Result<(Vec<String>, Option<chrono::NaiveDate>), AppError> {
    let mut entries = super::review::entries_about(tx, person)?;
    // Stable: entries at the same instant keep the order they were recorded in.
    entries.sort_by_key(|e| e.at);
    let first = entries.first().map(|e| london_date(e.at));
    let lines = entries
        .iter()
        .map(|e| format!("{}: {}", london_date(e.at).format("%-d %b %Y"), e.summary))
        .collect();
    Ok((lines, first))
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

fn latest_by_id<T>(tx: &mut WriteTx<'_>, id: String) -> Result<Option<Record<T>>, AppError>
where
    T: StoredRecord + serde::de::DeserializeOwned,
{
    match tx.get::<T>(T::KIND, id) {
        Ok(r) => Ok(Some(r)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
