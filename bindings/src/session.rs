//! The `Session` object: one practitioner's encrypted store opened on this device, the
//! product API the shells call. Each method reads the shell's ids and records, calls core's
//! `Session` once, and translates the result; nothing is decided here. Every call runs inside
//! the panic guard, so a Rust bug reaches the shell as `SafeShareException.Internal`.

use crate::contacts::{CallTarget, ContactsDirectory};
use crate::error::{guard, SafeShareError};
use crate::platform::{Clock, ClockAdapter, SecretStore, SecretStoreAdapter};
use crate::records::*;
use crate::sharing::{
    CallOutcomeInput, CallOutcomeReport, CallShareContext, NewNotShareDecision, NewShareDecision,
    SharingDecision,
};
use crate::sync::{SyncReport, SyncServer, SyncStatus};
use safeshare_core::app as core_app;
use safeshare_core::checklist::DoneDetail;
use safeshare_core::model as core_model;
use safeshare_core::sync::Envelope;
use std::sync::Arc;

/// One practitioner's encrypted field store, opened with the phone's SecretStore and Clock.
#[derive(uniffi::Object)]
pub struct Session {
    inner: core_app::Session,
}

#[uniffi::export]
impl Session {
    /// Opens (or creates) the store at `db_path`; throws `KeyMismatch` if the SecretStore's key does not open it.
    #[uniffi::constructor]
    pub fn open(
        db_path: String,
        secrets: Arc<dyn SecretStore>,
        clock: Arc<dyn Clock>,
        identity: Identity,
        directory: Option<Arc<ContactsDirectory>>,
    ) -> Result<Arc<Self>, SafeShareError> {
        guard(|| {
            let inner = core_app::Session::open(
                db_path,
                Arc::new(SecretStoreAdapter(secrets)),
                Arc::new(ClockAdapter(clock)),
                identity.try_into()?,
                directory.map(|d| d.directory().clone()),
            )?;
            tracing::info!("session opened");
            Ok(Arc::new(Session { inner }))
        })
    }

    /// Who uses this session.
    pub fn identity(&self) -> Identity {
        self.inner.identity().into()
    }

    /// Replaces the contacts directory with a newer version; an older one is refused.
    pub fn set_directory(&self, directory: Arc<ContactsDirectory>) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.set_directory(directory.directory().clone())?))
    }

    /// Adds a household (family) with an optional address; returns its id.
    pub fn add_household(&self, address: Option<String>) -> Result<String, SafeShareError> {
        guard(|| Ok(self.inner.add_household(address)?.id.to_string()))
    }

    /// Adds a person to a household; throws `Validation` naming the field at fault.
    pub fn add_person(
        &self,
        household_id: String,
        role: PersonRole,
        details: PersonDetails,
    ) -> Result<Person, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .add_person(
                    parse_id(&household_id)?,
                    role.try_into()?,
                    details.try_into()?,
                )?
                .into())
        })
    }

    /// The people of a household.
    pub fn household_members(&self, household_id: String) -> Result<Vec<Person>, SafeShareError> {
        guard(|| {
            let members = self.inner.household_members(parse_id(&household_id)?)?;
            Ok(members.into_iter().map(Into::into).collect())
        })
    }

    /// People recorded on this device with this NHS number.
    pub fn find_people_by_nhs_number(
        &self,
        nhs_number: String,
    ) -> Result<Vec<Person>, SafeShareError> {
        guard(|| {
            let found = self.inner.find_people_by_nhs_number(&nhs_number)?;
            Ok(found.into_iter().map(Into::into).collect())
        })
    }

    /// Starts a visit to a household (null `started_at`: now).
    pub fn start_visit(
        &self,
        household_id: String,
        place: Place,
        present: Vec<Attendee>,
        started_at: Option<std::time::SystemTime>,
    ) -> Result<Visit, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .start_visit(
                    parse_id(&household_id)?,
                    place.try_into()?,
                    attendees(present)?,
                    started_at.map(utc),
                )?
                .into())
        })
    }

    /// Captures an observation (stored encrypted, queued for sync even offline); returns its prompts.
    pub fn capture_observation(
        &self,
        input: NewObservation,
    ) -> Result<CapturedObservation, SafeShareError> {
        guard(|| {
            let input = core_app::NewObservationInput {
                about: parse_id(&input.about_person_id)?,
                visit: input.visit_id.as_deref().map(parse_id).transpose()?,
                category: input.category.into(),
                severity: input.severity.into(),
                evidence: input.evidence.into(),
                description: input.description,
                observed_at: input.observed_at.map(utc),
                place: input.place.map(core_model::Place::try_from).transpose()?,
                share: input
                    .share
                    .map(core_app::ShareRequest::try_from)
                    .transpose()?,
            };
            Ok(self.inner.capture_observation(input)?.into())
        })
    }

    /// Captures a voice-of-the-child note (dictated or typed); returns its prompts.
    pub fn capture_voice_note(
        &self,
        input: NewVoiceNote,
    ) -> Result<CapturedVoiceNote, SafeShareError> {
        guard(|| {
            let input = core_app::NewVoiceNoteInput {
                child: parse_id(&input.child_person_id)?,
                visit: input.visit_id.as_deref().map(parse_id).transpose()?,
                words: input.words,
                mode: input.mode.into(),
                present: attendees(input.present)?,
                expressed_at: input.expressed_at.map(utc),
                input: input.input.into(),
                share: input
                    .share
                    .map(core_app::ShareRequest::try_from)
                    .transpose()?,
            };
            Ok(self.inner.capture_voice_note(input)?.into())
        })
    }

    /// Every observation about a person.
    pub fn observations_about(
        &self,
        person_id: String,
    ) -> Result<Vec<Observation>, SafeShareError> {
        guard(|| {
            let found = self.inner.observations_about(parse_id(&person_id)?)?;
            Ok(found.into_iter().map(Into::into).collect())
        })
    }

    /// A child's chronology, in time order.
    pub fn chronology_for_child(
        &self,
        child_person_id: String,
    ) -> Result<Vec<ChronologyEntry>, SafeShareError> {
        guard(|| {
            let entries = self
                .inner
                .chronology_for_child(parse_id(&child_person_id)?)?;
            Ok(entries.into_iter().map(Into::into).collect())
        })
    }

    /// Starts a built-in checklist for a person; their open concerns become required items.
    pub fn start_checklist(
        &self,
        kind: ChecklistKind,
        person_id: String,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .start_checklist(kind.into(), parse_id(&person_id)?)?
                .into())
        })
    }

    /// Every checklist for a person, oldest first.
    pub fn checklists_for(&self, person_id: String) -> Result<Vec<Checklist>, SafeShareError> {
        guard(|| {
            let found = self.inner.checklists_for(parse_id(&person_id)?)?;
            Ok(found.into_iter().map(Into::into).collect())
        })
    }

    /// Marks a checklist item done with the note or contacts it asks for.
    pub fn checklist_mark_done(
        &self,
        checklist_id: String,
        key: String,
        note: Option<String>,
        contacts: Vec<ChecklistContact>,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| {
            let detail = DoneDetail {
                note,
                contacts: contacts
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect::<Result<_, SafeShareError>>()?,
            };
            Ok(self
                .inner
                .checklist_mark_done(parse_id(&checklist_id)?, &key, detail)?
                .into())
        })
    }

    /// Marks a checklist item not applicable; a reason is required.
    pub fn checklist_mark_not_applicable(
        &self,
        checklist_id: String,
        key: String,
        reason: String,
    ) -> Result<Checklist, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .checklist_mark_not_applicable(parse_id(&checklist_id)?, &key, &reason)?
                .into())
        })
    }

    /// Completes a checklist; throws `Refused` listing the open required items.
    pub fn complete_checklist(&self, checklist_id: String) -> Result<Checklist, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .complete_checklist(parse_id(&checklist_id)?)?
                .into())
        })
    }

    /// Shares records already captured about a person with a team; returns when acknowledgement is due.
    pub fn share_with_team(
        &self,
        about_person_id: String,
        observation_ids: Vec<String>,
        voice_note_ids: Vec<String>,
        request: ShareRequest,
    ) -> Result<ShareReceipt, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .share_with_team(
                    parse_id(&about_person_id)?,
                    &parse_ids(&observation_ids)?,
                    &parse_ids(&voice_note_ids)?,
                    request.try_into()?,
                )?
                .into())
        })
    }

    /// A share (sent or received) with where it stands now.
    pub fn share(&self, share_id: String) -> Result<Share, SafeShareError> {
        guard(|| Ok(self.inner.share(parse_id(&share_id)?)?.into()))
    }

    /// Shares this practitioner sent, with their acknowledgement state.
    pub fn shares_sent(&self) -> Result<Vec<Share>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .shares_sent()?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Shares sent to this practitioner's teams.
    pub fn incoming_shares(&self) -> Result<Vec<Share>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .incoming_shares()?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Acknowledges a share to my team with a read-back in my own words.
    pub fn acknowledge_share(
        &self,
        share_id: String,
        read_back: ReadBack,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .acknowledge_share(parse_id(&share_id)?, read_back.into())?)
        })
    }

    /// The sender's check of a read-back: confirmed, or what to correct.
    pub fn check_read_back(
        &self,
        share_id: String,
        verdict: ReadBackVerdict,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .check_read_back(parse_id(&share_id)?, verdict.into())?)
        })
    }

    /// Records a decision to share, with purpose, lawful basis and the six principles; decided by me, now.
    pub fn record_decision_to_share(
        &self,
        decision: NewShareDecision,
    ) -> Result<SharingDecision, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_decision_to_share(decision.try_into()?)?
                .into())
        })
    }

    /// Records a decision not to share, with the reason and whether the requester was told.
    pub fn record_decision_not_to_share(
        &self,
        decision: NewNotShareDecision,
    ) -> Result<SharingDecision, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_decision_not_to_share(decision.try_into()?)?
                .into())
        })
    }

    /// Records how a call went; with `share_context` it also becomes an information-sharing record.
    pub fn record_call_outcome(
        &self,
        call_id: String,
        outcome: CallOutcomeInput,
        share_context: Option<CallShareContext>,
    ) -> Result<CallOutcomeReport, SafeShareError> {
        guard(|| {
            // CallLogId has no FromStr; it is a transparent ULID in serde, so read it that way.
            let call = serde_json::from_value(serde_json::Value::String(call_id.trim().into()))
                .map_err(|_| SafeShareError::validation("call_id", "not a valid call id"))?;
            Ok(self
                .inner
                .record_call_outcome(
                    call,
                    outcome.try_into()?,
                    share_context.map(TryInto::try_into).transpose()?,
                )?
                .into())
        })
    }

    /// Records a referral to a CSC front door; the decision is due one working day later.
    pub fn record_referral(&self, input: NewReferral) -> Result<Referral, SafeShareError> {
        guard(|| {
            let input = core_app::NewReferralInput {
                about: parse_id(&input.about_person_id)?,
                front_door: parse_id(&input.front_door_team_id)?,
                sent_at: input.sent_at.map(utc),
                summary: input.summary,
                channel: input.channel.into(),
            };
            Ok(self.inner.record_referral(input)?.into())
        })
    }

    /// Every referral with its due time and state.
    pub fn referrals(&self) -> Result<Vec<Referral>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .referrals()?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// Records CSC's decision; not accepted opens the escalation steps.
    pub fn record_referral_decision(
        &self,
        referral_id: String,
        outcome: DecisionOutcome,
        feedback_to_family_given: bool,
        arrived_at: Option<std::time::SystemTime>,
    ) -> Result<Referral, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_referral_decision(
                    parse_id(&referral_id)?,
                    outcome.into(),
                    feedback_to_family_given,
                    arrived_at.map(utc),
                )?
                .into())
        })
    }

    /// Opens the escalation steps for an accepted referral whose response is inadequate.
    pub fn open_escalation(&self, referral_id: String) -> Result<Referral, SafeShareError> {
        guard(|| Ok(self.inner.open_escalation(parse_id(&referral_id)?)?.into()))
    }

    /// Records an escalation step taken (steps go in order; out of order is `Refused`).
    pub fn record_escalation_step(
        &self,
        referral_id: String,
        step: EscalationStep,
        outcome: StepOutcome,
    ) -> Result<Referral, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .record_escalation_step(parse_id(&referral_id)?, step.into(), outcome.into())?
                .into())
        })
    }

    /// Ends the escalation early, with the reason (e.g. CSC accepted on re-referral).
    pub fn resolve_escalation(
        &self,
        referral_id: String,
        reason: String,
    ) -> Result<Referral, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .resolve_escalation(parse_id(&referral_id)?, &reason)?
                .into())
        })
    }

    /// Everything overdue or due soon, most urgent first, with numbers to ring.
    pub fn needs_attention_now(&self) -> Result<Vec<AttentionItem>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .needs_attention_now()?
                .into_iter()
                .map(Into::into)
                .collect())
        })
    }

    /// The number to ring for a team now (`tel:` URI, label, reason).
    pub fn call_target(&self, team_id: String) -> Result<CallTarget, SafeShareError> {
        guard(|| Ok(self.inner.call_target(parse_id(&team_id)?)?.into()))
    }

    /// Logs a call about to be made and returns the number to dial.
    pub fn start_call(
        &self,
        team_id: String,
        regarding_share_id: Option<String>,
        about_person_id: Option<String>,
    ) -> Result<CallStart, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .start_call(
                    parse_id(&team_id)?,
                    regarding_share_id.as_deref().map(parse_id).transpose()?,
                    about_person_id.as_deref().map(parse_id).transpose()?,
                )?
                .into())
        })
    }

    /// Applies one envelope (JSON, as the server sends it) pulled from the server; idempotent.
    pub fn apply_inbound(&self, envelope_json: String) -> Result<InboundOutcome, SafeShareError> {
        guard(|| {
            let envelope: Envelope = serde_json::from_str(&envelope_json)
                .map_err(|_| SafeShareError::validation("envelope", "not a valid envelope"))?;
            Ok(self.inner.apply_inbound(&envelope)?.into())
        })
    }

    /// Enrols this device with the one-time code from the admin; returns the identity the server knows.
    pub fn enrol(&self, server: Arc<SyncServer>, code: String) -> Result<Identity, SafeShareError> {
        guard(|| Ok(self.inner.enrol(server.client(), &code)?.into()))
    }

    /// Pushes the outbox and pulls what is addressed to my teams; call when a connection appears.
    pub fn sync_now(&self, server: Arc<SyncServer>) -> Result<SyncReport, SafeShareError> {
        guard(|| Ok(self.inner.sync_now(server.client())?.into()))
    }

    /// Where sync stands: pending count, rejected and unreadable items, last success.
    pub fn sync_status(&self) -> Result<SyncStatus, SafeShareError> {
        guard(|| Ok(self.inner.sync_status()?.into()))
    }

    /// Makes a new end-to-end encryption key for this device; the next sync registers it and
    /// everything sealed to the device from then on uses it (older keys are kept, so what was
    /// sent before still opens). Returns the new key id (hex).
    pub fn rotate_encryption_key(&self) -> Result<String, SafeShareError> {
        guard(|| Ok(self.inner.rotate_encryption_key()?))
    }

    /// Discards a rejected item with the practitioner's reason (recorded and audited).
    pub fn discard_rejected(
        &self,
        envelope_id: String,
        reason: String,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            let id = serde_json::from_value(serde_json::Value::String(envelope_id.trim().into()))
                .map_err(|_| {
                SafeShareError::validation("envelope_id", "not a valid envelope id")
            })?;
            Ok(self.inner.discard_rejected(id, &reason)?)
        })
    }

    /// The envelopes waiting to be sent, oldest first, as JSON (for tools and tests: sync sends them).
    pub fn pending_envelopes(&self) -> Result<Vec<String>, SafeShareError> {
        guard(|| {
            self.inner
                .pending_envelopes()?
                .iter()
                .map(|e| {
                    serde_json::to_string(e).map_err(|_| SafeShareError::Internal {
                        detail: "an envelope could not be encoded".to_owned(),
                    })
                })
                .collect()
        })
    }

    /// Erases the local store and its key (device revoked); later calls throw `Revoked`.
    pub fn wipe_local(&self) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.wipe_local()?))
    }
}
