//! Sharing with a team and closing the loop: the share and its envelope, the recipient's
//! acknowledgement with read-back (an envelope back to the sender's teams), the sender's check
//! of the read-back, and information-sharing decision records.
//!
//! Rules applied here (the rules themselves live in [`crate::rules::acknowledgement`]):
//! - A share's severity is never below the most serious record it carries (the safer reading
//!   when the practitioner picks a lower one). A share of voice-of-the-child notes only, with
//!   no severity chosen, is a low-level concern: the child's voice is shared to be heard, and
//!   the acknowledgement clock still runs.
//! - Acknowledgement is due by severity from the session's policy, computed when sent and
//!   carried in the envelope header so the server can report it overdue.
//! - Only a member of the team a share went to can acknowledge it; the first acknowledgement
//!   closes it for the whole team.
//! - An acknowledgement is addressed to the sender's teams and to the team the share went to,
//!   so a colleague who acknowledged the same share offline learns at their next pull that it
//!   had already been acknowledged, and by whom; the sender receives every acknowledgement and
//!   read-back (see [`crate::rules::acknowledgement`] for which one closes the share).

use super::bodies::{
    self, AcknowledgementBody, ShareBody, SharedObservation, SharedVoice, Subject, BODY_VERSION,
};
use super::records::{
    self, AlreadyAcknowledged, IncomingShare, ShareDirection, ShareView, StoredShare,
};
use super::{AppError, EnvelopeFault, Reason, Session, ShareRequest};
use crate::casework::decision::{
    DecisionRecord, DecisionToShare, Nature, NewDecisionNotToShare, NewDecisionToShare,
    RequesterInformed,
};
use crate::model::{
    Evidence, Household, Observation, ObservationId, Person, PersonId, Severity, ShareId,
    VoiceNoteId, VoiceOfChild,
};
use crate::rules::acknowledgement::{
    send_advice, Acknowledgement, ReadBack, ReadBackCheck, ReadBackVerdict, SendAdvice, Share,
    ShareRecord,
};
use crate::store::StoredRecord;
use crate::store::{ListFilter, Record, WriteTx};
use crate::sync::{Body, Envelope, EnvelopeId, EnvelopeKind, WIRE_VERSION};
use chrono::{DateTime, Utc};
use ulid::Ulid;

/// What a share carries from this device's records.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShareContent {
    pub(crate) observations: Vec<Observation>,
    pub(crate) voice: Vec<VoiceOfChild>,
    /// For a transfer of care: its pack.
    pub(crate) transfer: Option<crate::casework::transfer::TransferPack>,
}

/// What the sender sees once a share is queued.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareReceipt {
    /// The share.
    pub share: ShareId,
    /// The envelope queued in the outbox.
    pub envelope: EnvelopeId,
    /// The team's name.
    pub team_name: String,
    /// The share's severity.
    pub severity: Severity,
    /// When acknowledgement is due.
    pub due_at: DateTime<Utc>,
    /// Immediate risk: phone the team now, not only send.
    pub advice: SendAdvice,
}

/// The least serious a share carrying these records may be: the most serious observation it
/// carries, and at least a low-level concern when it carries a voice-of-the-child note (the
/// child's voice is shared to be heard, and the acknowledgement clock still runs). `None` when
/// it carries nothing. The one place this is decided: sharing applies it, and the Share screen
/// shows the choices below it disabled.
pub(crate) fn severity_floor(
    observations: impl Iterator<Item = Severity>,
    voice_notes: usize,
) -> Option<Severity> {
    let voice = (voice_notes > 0).then_some(Severity::LowLevelConcern);
    observations.chain(voice).max()
}

/// A share message's length when, trimmed, it is over the model's free-text limit. The one
/// place this is decided: sharing refuses such a message, and the Share screen does not enable
/// "Send" for it (it did, and the call then refused).
pub(crate) fn message_over_limit(message: &str) -> Option<usize> {
    let length = crate::rules::normalise::trim(message).chars().count();
    (length > crate::model::MAX_FREE_TEXT_CHARS).then_some(length)
}

/// Arguments of an envelope this device writes.
pub(crate) struct EnvelopeSpec {
    pub(crate) kind: EnvelopeKind,
    pub(crate) entity_id: Ulid,
    pub(crate) entity_version: u32,
    pub(crate) audience: Vec<crate::model::TeamId>,
    pub(crate) severity: Option<Severity>,
    pub(crate) due_at: Option<DateTime<Utc>>,
    pub(crate) answers: Option<Ulid>,
    pub(crate) body: Vec<u8>,
}

impl Session {
    /// Builds an envelope written now by this device and queues it in `tx`.
    pub(crate) fn enqueue(
        &self,
        tx: &mut WriteTx<'_>,
        spec: EnvelopeSpec,
    ) -> Result<EnvelopeId, AppError> {
        // Refused here, at capture, rather than stranded in the outbox: sealed for the team and
        // encoded, a body this large could never fit one request to the server.
        if spec.body.len() > crate::sync::MAX_SHARED_BODY_BYTES {
            return Err(AppError::validation(
                "body",
                Reason::TooLarge {
                    bytes: spec.body.len(),
                    limit: crate::sync::MAX_SHARED_BODY_BYTES,
                },
            ));
        }
        let identity = self.identity();
        let envelope = Envelope {
            id: EnvelopeId::new(),
            wire_version: WIRE_VERSION,
            kind: spec.kind,
            entity_id: spec.entity_id,
            entity_version: spec.entity_version,
            author: identity.practitioner,
            device: identity.device,
            created_at: tx.now(),
            audience: spec.audience,
            severity: spec.severity,
            due_at: spec.due_at,
            answers: spec.answers,
            body: Body(spec.body),
            // Signed when it is sealed, just before it first leaves (sync client).
            signature: None,
        };
        tx.enqueue_outbox(&envelope.id.to_string(), &envelope)?;
        Ok(envelope.id)
    }

    /// Writes a share of `content` about `person` and its envelope in `tx`.
    pub(crate) fn write_share(
        &self,
        tx: &mut WriteTx<'_>,
        person: &Person,
        content: ShareContent,
        request: &ShareRequest,
    ) -> Result<ShareReceipt, AppError> {
        let message = crate::rules::normalise::trim(&request.message);
        if message.is_empty() {
            return Err(AppError::validation(
                "message",
                "say why you are sharing and what you ask of the team",
            ));
        }
        if let Some(length) = message_over_limit(message) {
            return Err(crate::model::ModelError::TooLong {
                field: "message",
                length,
                limit: crate::model::MAX_FREE_TEXT_CHARS,
            }
            .into());
        }
        let carried = severity_floor(
            content.observations.iter().map(|o| o.severity),
            content.voice.len(),
        );
        let severity = match (request.severity, carried) {
            (Some(a), Some(b)) => a.max(b),
            (Some(s), None) | (None, Some(s)) => s,
            (None, None) => {
                return Err(AppError::validation(
                    "severity",
                    "choose how serious this is",
                ))
            }
        };
        let team_name = self
            .directory()
            .team(request.team)
            .map(|t| t.name.clone())
            .ok_or_else(|| AppError::not_found("team", request.team))?;
        let identity = self.identity();
        let sent_at = tx.now();
        let share = Share {
            id: ShareId::new(),
            about: person.id,
            sender: identity.practitioner,
            team: request.team,
            team_name: team_name.clone(),
            severity,
            sent_at,
        };
        let due_at =
            share.acknowledgement_due(self.rules(), &self.config().attention.acknowledgement)?;
        let household = tx.get::<Household>(Household::KIND, person.household)?.body;
        let body = ShareBody {
            v: BODY_VERSION,
            share: share.id,
            about: Subject {
                person: person.id,
                household: person.household,
                role: person.role.clone(),
                name: person.name.clone(),
                known_as: person.known_as.clone(),
                date_of_birth: person.date_of_birth,
                nhs_number: person.nhs_number.as_ref().map(|n| n.as_digits().to_owned()),
                address: person.address.clone().or(household.address),
            },
            sender: identity.practitioner,
            sender_name: identity.practitioner_name.clone(),
            sender_teams: identity.team_ids(),
            team: request.team,
            team_name: team_name.clone(),
            severity,
            sent_at,
            message: message.to_owned(),
            observations: content
                .observations
                .iter()
                .map(shared_observation)
                .collect(),
            voice: content
                .voice
                .iter()
                .map(|v| SharedVoice {
                    id: v.id,
                    words: v.words.clone(),
                    mode: v.mode,
                    expressed_at: v.expressed_at,
                    child_age: v.child_age,
                })
                .collect(),
            clock_unverified: !self.clock_verified(),
            transfer: content.transfer.clone(),
        };
        let envelope = self.enqueue(
            tx,
            EnvelopeSpec {
                kind: EnvelopeKind::Share,
                entity_id: share.id.ulid(),
                entity_version: 1,
                audience: vec![request.team],
                severity: Some(severity),
                due_at: Some(due_at),
                answers: None,
                body: bodies::encode(&body)?,
            },
        )?;
        let stored = StoredShare {
            direction: ShareDirection::Outgoing,
            record: ShareRecord::new(share.clone()),
            content: body,
            due_at,
            household: Some(person.household),
            envelope,
            acknowledgement_envelope: None,
            reached_by_call: None,
            acknowledger_names: Vec::new(),
        };
        records::insert(tx, &stored)?;
        Ok(ShareReceipt {
            share: share.id,
            envelope,
            team_name,
            severity,
            due_at,
            advice: send_advice(severity),
        })
    }

    /// Shares records already captured about `about` with a team: one share, one envelope,
    /// one transaction. The change listener hears it as a capture's share (the records' own
    /// share, sent from the Share screen rather than with the capture), naming the screens a
    /// capture shared at once names: Today, Visit, Shares sent and Sync.
    pub fn share_with_team(
        &self,
        about: PersonId,
        observations: &[ObservationId],
        voice_notes: &[VoiceNoteId],
        request: ShareRequest,
    ) -> Result<ShareReceipt, AppError> {
        let receipt = self.write_share_of_stored(about, observations, voice_notes, request)?;
        // After the store's lock is released: a listener may rebuild a screen at once.
        self.notify(
            super::ChangeCause::CaptureStored,
            &[
                super::ScreenName::Today,
                super::ScreenName::Visit,
                super::ScreenName::SharesSent,
                super::ScreenName::Sync,
                super::ScreenName::Share,
            ],
        );
        Ok(receipt)
    }

    /// The share of records already stored: one share, one envelope, one transaction.
    fn write_share_of_stored(
        &self,
        about: PersonId,
        observations: &[ObservationId],
        voice_notes: &[VoiceNoteId],
        request: ShareRequest,
    ) -> Result<ShareReceipt, AppError> {
        self.with_store(|store| {
            store.write(self.actor(), |tx| {
                let person = tx.get::<Person>(Person::KIND, about)?.body;
                let mut content = ShareContent::default();
                for id in observations {
                    let o = tx.get::<Observation>(Observation::KIND, id)?.body;
                    if o.about != about {
                        return Err(AppError::validation(
                            "observations",
                            "an observation shared is about someone else",
                        ));
                    }
                    content.observations.push(o);
                }
                for id in voice_notes {
                    let v = tx.get::<VoiceOfChild>(VoiceOfChild::KIND, id)?.body;
                    if v.child != about {
                        return Err(AppError::validation(
                            "voice_notes",
                            "a voice note shared is about another child",
                        ));
                    }
                    content.voice.push(v);
                }
                self.write_share(tx, &person, content, &request)
            })
        })
    }

    /// A share (sent or received) with where it stands now.
    pub fn share(&self, id: ShareId) -> Result<ShareView, AppError> {
        let stored = self.with_store(|store| {
            Ok(store
                .get::<StoredShare>(self.actor(), StoredShare::KIND, id)?
                .body)
        })?;
        self.view(stored)
    }

    /// Shares this practitioner sent, oldest first, each with its state now.
    pub fn shares_sent(&self) -> Result<Vec<ShareView>, AppError> {
        self.all_shares()?
            .into_iter()
            .filter(|s| s.direction == ShareDirection::Outgoing)
            .map(|s| self.view(s))
            .collect()
    }

    /// Shares received by the practitioner's teams, oldest first.
    pub fn incoming_shares(&self) -> Result<Vec<IncomingShare>, AppError> {
        let me = self.actor();
        Ok(self
            .all_shares()?
            .into_iter()
            .filter(|s| s.direction == ShareDirection::Incoming)
            .map(|share| IncomingShare {
                acknowledged: share.record.acknowledgement.is_some(),
                already_acknowledged_by: share.record.already_acknowledged_by(me).map(|first| {
                    AlreadyAcknowledged {
                        by: first.by,
                        by_name: share.acknowledger_name(first.by).unwrap_or("").to_owned(),
                        at: first.at,
                    }
                }),
                share,
            })
            .collect())
    }

    pub(crate) fn all_shares(&self) -> Result<Vec<StoredShare>, AppError> {
        self.with_store(|store| {
            Ok(store
                .list::<StoredShare>(self.actor(), StoredShare::KIND, &ListFilter::default())?
                .into_iter()
                .map(|r| r.body)
                .collect())
        })
    }

    fn view(&self, share: StoredShare) -> Result<ShareView, AppError> {
        let status = share.record.status(
            self.rules(),
            &self.config().attention.acknowledgement,
            self.now()?,
        )?;
        Ok(ShareView {
            further_acknowledgements: share.record.further_acknowledgements.clone(),
            share,
            status,
        })
    }

    /// Acknowledges a share received by one of the practitioner's teams, with a read-back
    /// (who, the risk, the next action in the recipient's own words). Sends the
    /// acknowledgement to the sender's teams in the same transaction.
    pub fn acknowledge_share(&self, id: ShareId, read_back: ReadBack) -> Result<(), AppError> {
        let identity = self.identity();
        let result = self.with_store(|store| {
            store.write(identity.practitioner, |tx| {
                let current: Record<StoredShare> = tx.get(StoredShare::KIND, id)?;
                let mut stored = current.body;
                if stored.direction != ShareDirection::Incoming {
                    return Err(AppError::refused(
                        "this is your own share: the team it went to acknowledges it",
                    ));
                }
                let team = stored.record.share.team;
                if !identity.teams.iter().any(|t| t.id == team) {
                    return Err(AppError::refused(
                        "only a member of the team the share went to can acknowledge it",
                    ));
                }
                // A device whose clock runs behind the sender's would date the acknowledgement
                // before the share was sent; it is dated at the sending instead of refused, so
                // clock skew never stops a team acknowledging.
                let ack = Acknowledgement {
                    by: identity.practitioner,
                    team,
                    at: tx.now().max(stored.record.share.sent_at),
                    read_back,
                };
                stored.record.acknowledge(ack.clone())?;
                let body = AcknowledgementBody {
                    v: BODY_VERSION,
                    share: id,
                    by: identity.practitioner,
                    by_name: identity.practitioner_name.clone(),
                    team,
                    at: ack.at,
                    read_back: ack.read_back,
                };
                if stored.content.sender_teams.is_empty() {
                    return Err(EnvelopeFault::NoSenderTeam.into());
                }
                // The sender's teams, and my own team: a colleague who acknowledges the same
                // share while offline then learns at their next pull that it was already
                // acknowledged, and by whom (and their read-back reaches the sender too).
                let mut audience = stored.content.sender_teams.clone();
                if !audience.contains(&team) {
                    audience.push(team);
                }
                let envelope = self.enqueue(
                    tx,
                    EnvelopeSpec {
                        kind: EnvelopeKind::Acknowledgement,
                        entity_id: Ulid::new(),
                        entity_version: 1,
                        audience,
                        severity: Some(stored.record.share.severity),
                        due_at: None,
                        answers: Some(id.ulid()),
                        body: bodies::encode(&body)?,
                    },
                )?;
                stored.acknowledgement_envelope = Some(envelope);
                stored.remember_acknowledger(identity.practitioner, &identity.practitioner_name);
                records::amend(tx, current.version, &stored, "acknowledged with read-back")?;
                Ok(())
            })
        });
        self.notify_if_ok(super::ChangeCause::AcknowledgementRecorded, result)
    }

    /// The sender's check of the recipient's read-back: confirmed, or over- or
    /// under-emphasised with what to correct (which keeps the loop open: phone to correct it).
    pub fn check_read_back(&self, id: ShareId, verdict: ReadBackVerdict) -> Result<(), AppError> {
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                let current: Record<StoredShare> = tx.get(StoredShare::KIND, id)?;
                let mut stored = current.body;
                stored.record.check_read_back(ReadBackCheck {
                    verdict,
                    by: actor,
                    at: tx.now(),
                })?;
                records::amend(tx, current.version, &stored, "read-back checked")?;
                Ok(())
            })
        });
        self.notify_if_ok(super::ChangeCause::ReadBackChecked, result)
    }

    /// Records a decision to share (with the purpose, lawful basis, principles, ...). The
    /// decision is this practitioner's, now.
    pub fn record_decision_to_share(
        &self,
        mut new: NewDecisionToShare,
    ) -> Result<DecisionRecord, AppError> {
        new.decided_by = self.actor();
        new.decided_at = self.now()?;
        let decision = DecisionRecord::decision_to_share(new)?;
        self.store_decision(decision)
    }

    /// Records a decision to share as a shell enters it: decided by this session's
    /// practitioner, now (the session's clock). Errors as [`Self::record_decision_to_share`].
    pub fn decide_to_share(&self, input: DecisionToShareInput) -> Result<DecisionRecord, AppError> {
        self.record_decision_to_share(NewDecisionToShare {
            about: input.about,
            decided_by: self.actor(),
            decided_at: self.now()?,
            purpose: input.purpose,
            details: input.details,
        })
    }

    /// Records a decision not to share as a shell enters it: decided by this session's
    /// practitioner, now. Errors as [`Self::record_decision_not_to_share`].
    pub fn decide_not_to_share(
        &self,
        input: DecisionNotToShareInput,
    ) -> Result<DecisionRecord, AppError> {
        self.record_decision_not_to_share(NewDecisionNotToShare {
            about: input.about,
            decided_by: self.actor(),
            decided_at: self.now()?,
            purpose: input.purpose,
            reason: input.reason,
            requester_informed: input.requester_informed,
        })
    }

    /// Records a decision not to share, with the reason and whether the requester was told.
    pub fn record_decision_not_to_share(
        &self,
        mut new: NewDecisionNotToShare,
    ) -> Result<DecisionRecord, AppError> {
        new.decided_by = self.actor();
        new.decided_at = self.now()?;
        let decision = DecisionRecord::decision_not_to_share(new)?;
        self.store_decision(decision)
    }

    pub(crate) fn store_decision(
        &self,
        decision: DecisionRecord,
    ) -> Result<DecisionRecord, AppError> {
        self.with_store(|store| {
            store.write(self.actor(), |tx| {
                records::insert(tx, &decision)?;
                Ok::<_, AppError>(())
            })
        })?;
        Ok(decision)
    }
}

/// A decision to share as the practitioner enters it; who decided and when are the session's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionToShareInput {
    /// Who the information is about.
    pub about: Vec<PersonId>,
    /// The purpose: a clear and legitimate reason.
    pub purpose: String,
    /// Lawful basis, recipient, what was shared, the six principles, and so on.
    pub details: DecisionToShare,
}

/// A decision not to share as the practitioner enters it; who decided and when are the session's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecisionNotToShareInput {
    /// Who the information is about.
    pub about: Vec<PersonId>,
    /// The purpose sharing would have served.
    pub purpose: String,
    /// Why not.
    pub reason: String,
    /// Whether the requester was informed (required: `None` is refused).
    pub requester_informed: Option<RequesterInformed>,
}

fn shared_observation(o: &Observation) -> SharedObservation {
    let (nature, source_or_basis) = match &o.evidence {
        Evidence::ObservedFact => (Nature::Fact, None),
        Evidence::ReportedFact { source } => (Nature::Fact, source.clone()),
        Evidence::Opinion { basis } => (Nature::Opinion, basis.clone()),
    };
    SharedObservation {
        id: o.id,
        category: o.category.clone(),
        severity: o.severity,
        nature,
        source_or_basis,
        description: o.description.clone(),
        observed_at: o.observed_at,
    }
}
