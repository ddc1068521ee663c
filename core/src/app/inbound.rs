//! Applying envelopes pulled from the server, idempotently.
//!
//! The sync client hands every pulled envelope to [`Session::apply_inbound`]. Each is applied
//! in one transaction together with a mark recording that it was (`inbound_envelope` record,
//! keyed by the envelope id), so applying the same envelope twice — a repeated pull, a
//! response delivered twice, a crash between applying and moving the cursor — changes nothing
//! the second time.
//!
//! What each kind does here:
//! - `share` addressed to one of my teams, from someone else: becomes an incoming share to
//!   acknowledge. My own shares coming back are ignored (I hold them already).
//! - `acknowledgement` of a share I hold: the first acknowledgement closes it (mine: the loop is
//!   closed and the read-back awaits my check; a colleague's share to my team: it leaves my
//!   list because a colleague acknowledged it). A second acknowledgement (two members
//!   acknowledged offline) is kept as a further acknowledgement with its read-back, never
//!   dropped; the earliest is the one that closed the share, so every phone ends with the same
//!   record whatever order they arrive in. On my own share its read-back needs my check, even
//!   if I had confirmed the first one. My own acknowledgement coming back changes nothing.
//! - `referral` I made on another of my devices: held here too, so either device chases it.
//! - `referral_decision` for a referral I hold without a decision: records it (e.g. entered on
//!   my other device); a decision not to accept opens the escalation ladder, as it does when
//!   entered here.
//! - `escalation_step` on a ladder I hold: recorded when it is the next step.
//! - Colleagues' referrals, decisions and steps on their own caseloads, and `call_record`s:
//!   marked as seen, not applied to this device's records.
//!
//! Who may answer (with an author verified against the region roster,
//! [`Session::apply_inbound_verified`]): an acknowledgement counts only from a device of the
//! share's team, a decision only from the referrer's devices or a current member of the
//! referrer's teams (the referral's audience), an escalation step only from the ladder owner's
//! devices, and none from a device revoked before the record it answers was made (docs/security.md,
//! "Answers"). One that fails is recorded as seen and changes nothing: the safe side, the
//! record keeps prompting.
//!
//! An envelope that cannot be understood (wrong wire or body version, malformed body, body
//! contradicting its header) is an [`AppError::BadEnvelope`] and nothing is written, so it can
//! be applied again once this build understands it. An envelope that is understood but that a
//! rule refuses (an incomplete read-back, a decision without reasons) is recorded as seen and
//! changes nothing: the record stays open and keeps prompting, the safe side. A time before
//! the record it answers (the other device's clock running behind) is taken as the record's
//! own time rather than refused, so clock skew never leaves a closed loop looking open.

use super::bodies::{
    self, AcknowledgementBody, EscalationStepBody, ReferralBody, ReferralDecisionBody, ShareBody,
};
use super::records::{
    self, InboundMark, ShareDirection, StoredEscalation, StoredReferral, StoredShare,
};
use super::{AppError, EnvelopeFault, Reason, Session, StorageFault};
use crate::rules::acknowledgement::{
    Acknowledgement, AcknowledgementError, Received, Share, ShareRecord,
};
use crate::rules::escalation::{EscalationLadder, EscalationTrigger};
use crate::rules::referral::{ReferralError, ReferralRecord};
use crate::store::StoredRecord;
use crate::store::{Record, StoreError, WriteTx};
use crate::sync::{Envelope, EnvelopeKind, RosterDevice, WIRE_VERSION};
use std::borrow::Cow;

/// What applying an inbound envelope did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum InboundOutcome {
    /// A share to one of my teams was added to my incoming shares.
    ShareReceived,
    /// An acknowledgement closed one of my shares.
    MyShareAcknowledged,
    /// A colleague acknowledged a share to my team.
    IncomingShareAcknowledged,
    /// Another acknowledgement of a share already acknowledged (two members acknowledged it
    /// offline) was kept with its read-back.
    FurtherAcknowledgement,
    /// A referral decision was recorded on a referral I hold (a decision not to accept opens
    /// the escalation ladder).
    ReferralDecisionRecorded,
    /// A referral I made on another device is now held here too.
    ReferralReceived,
    /// An escalation step taken on another device was recorded on the ladder held here.
    EscalationStepRecorded,
    /// Seen and recorded, but nothing on this device changes (e.g. a colleague's referral,
    /// my own envelope coming back, a second acknowledgement).
    NoChange,
    /// This envelope was applied before; nothing was done.
    AlreadyApplied,
}

impl InboundOutcome {
    fn word(self) -> &'static str {
        match self {
            InboundOutcome::ShareReceived => "share_received",
            InboundOutcome::MyShareAcknowledged => "my_share_acknowledged",
            InboundOutcome::IncomingShareAcknowledged => "incoming_share_acknowledged",
            InboundOutcome::FurtherAcknowledgement => "further_acknowledgement",
            InboundOutcome::ReferralDecisionRecorded => "referral_decision_recorded",
            InboundOutcome::ReferralReceived => "referral_received",
            InboundOutcome::EscalationStepRecorded => "escalation_step_recorded",
            InboundOutcome::NoChange | InboundOutcome::AlreadyApplied => "no_change",
        }
    }
}

impl Session {
    /// Applies one envelope pulled from the server (see the module docs). Idempotent.
    ///
    /// Nothing here checks who signed it: the sync client applies pulled envelopes through
    /// [`Session::apply_inbound_verified`] after checking their author signature. This entry
    /// point takes the header's author at its word (the bindings and the tests hand envelopes
    /// over directly).
    pub fn apply_inbound(&self, envelope: &Envelope) -> Result<InboundOutcome, AppError> {
        let outcome = self.apply_inbound_from(envelope, None)?;
        self.notify(super::ChangeCause::Synced, &super::changes::PULLED_SCREENS);
        Ok(outcome)
    }

    /// [`Session::apply_inbound`] for an envelope as JSON (a tool and test call: the bindings'
    /// `SessionTools`); text that is not an envelope is `Validation` on `envelope`, checked
    /// before anything is applied.
    pub fn apply_inbound_json(&self, envelope_json: &str) -> Result<InboundOutcome, AppError> {
        let envelope: Envelope = serde_json::from_str(envelope_json).map_err(|_| {
            AppError::validation(
                "envelope",
                Reason::Rule(Cow::Borrowed("not a valid envelope")),
            )
        })?;
        self.apply_inbound(&envelope)
    }

    /// The envelopes waiting to be sent, oldest first, each as JSON (a tool and test call:
    /// sync sends them itself).
    pub fn pending_envelopes_json(&self) -> Result<Vec<String>, AppError> {
        self.pending_envelopes()?
            .iter()
            .map(|e| {
                serde_json::to_string(e)
                    .map_err(|err| AppError::Storage(StorageFault::Encoding(err.into())))
            })
            .collect()
    }

    /// [`Session::apply_inbound`] for an envelope whose author signature was verified against
    /// the region roster: `author` is the author device as that roster lists it. An answer
    /// its author could not really have given is recorded as seen and changes nothing: an
    /// acknowledgement by a device outside the share's team (whatever team its body claims),
    /// or by a device revoked by the time the share was sent (a stolen phone's key signing a
    /// back-dated acknowledgement); a decision on a referral by anyone but the referrer or a
    /// member of the referrer's teams, or an escalation step by anyone but the ladder's owner,
    /// or either by a device revoked by the time the referral or ladder was made.
    pub fn apply_inbound_verified(
        &self,
        envelope: &Envelope,
        author: &RosterDevice,
    ) -> Result<InboundOutcome, AppError> {
        self.apply_inbound_from(envelope, Some(author))
    }

    fn apply_inbound_from(
        &self,
        envelope: &Envelope,
        author: Option<&RosterDevice>,
    ) -> Result<InboundOutcome, AppError> {
        if envelope.wire_version != WIRE_VERSION {
            return Err(EnvelopeFault::WireVersion(envelope.wire_version).into());
        }
        let actor = self.actor();
        self.with_store(|store| {
            store.write(actor, |tx| {
                match tx.get::<InboundMark>(InboundMark::KIND, envelope.id) {
                    Ok(_) => return Ok(InboundOutcome::AlreadyApplied),
                    Err(StoreError::NotFound { .. }) => {}
                    Err(err) => return Err(err.into()),
                }
                let outcome = self.apply(tx, envelope, author)?;
                records::insert(
                    tx,
                    &InboundMark {
                        envelope: envelope.id,
                        kind: envelope.kind,
                        applied_at: tx.now(),
                        effect: outcome.word().to_owned(),
                    },
                )?;
                Ok(outcome)
            })
        })
    }

    fn apply(
        &self,
        tx: &mut WriteTx<'_>,
        envelope: &Envelope,
        author: Option<&RosterDevice>,
    ) -> Result<InboundOutcome, AppError> {
        match envelope.kind {
            EnvelopeKind::Share => self.apply_share(tx, envelope),
            EnvelopeKind::Acknowledgement => self.apply_acknowledgement(tx, envelope, author),
            EnvelopeKind::ReferralDecision => self.apply_referral_decision(tx, envelope, author),
            EnvelopeKind::Referral => self.apply_referral(tx, envelope),
            EnvelopeKind::EscalationStep => self.apply_escalation_step(tx, envelope, author),
            EnvelopeKind::CallRecord => Ok(InboundOutcome::NoChange),
        }
    }

    fn apply_share(
        &self,
        tx: &mut WriteTx<'_>,
        envelope: &Envelope,
    ) -> Result<InboundOutcome, AppError> {
        let identity = self.identity();
        let body: ShareBody = bodies::decode(&envelope.body.0)?;
        if body.share.ulid() != envelope.entity_id
            || !envelope.audience.contains(&body.team)
            || body.sender != envelope.author
        {
            return Err(EnvelopeFault::HeaderMismatch("share").into());
        }
        if envelope.author == identity.practitioner
            || !identity.teams.iter().any(|t| t.id == body.team)
        {
            return Ok(InboundOutcome::NoChange);
        }
        if exists::<StoredShare>(tx, body.share)? {
            return Ok(InboundOutcome::NoChange);
        }
        let share = Share {
            id: body.share,
            about: body.about.person,
            sender: body.sender,
            team: body.team,
            team_name: body.team_name.clone(),
            severity: body.severity,
            sent_at: body.sent_at,
        };
        // The sender's due time travels in the header; if it is missing, use this device's
        // policy (the rules are the same everywhere unless configured otherwise).
        let due_at = match envelope.due_at {
            Some(due) => due,
            None => {
                share.acknowledgement_due(self.rules(), &self.config().attention.acknowledgement)?
            }
        };
        let stored = StoredShare {
            direction: ShareDirection::Incoming,
            record: ShareRecord::new(share),
            content: body,
            due_at,
            household: None,
            envelope: envelope.id,
            acknowledgement_envelope: None,
            reached_by_call: None,
            acknowledger_names: Vec::new(),
        };
        records::insert(tx, &stored)?;
        Ok(InboundOutcome::ShareReceived)
    }

    fn apply_acknowledgement(
        &self,
        tx: &mut WriteTx<'_>,
        envelope: &Envelope,
        author: Option<&RosterDevice>,
    ) -> Result<InboundOutcome, AppError> {
        let body: AcknowledgementBody = bodies::decode(&envelope.body.0)?;
        if envelope.answers != Some(body.share.ulid()) || body.by != envelope.author {
            return Err(EnvelopeFault::HeaderMismatch("acknowledgement").into());
        }
        let current: Record<StoredShare> = match tx.get(StoredShare::KIND, body.share) {
            Ok(record) => record,
            Err(StoreError::NotFound { .. }) => return Ok(InboundOutcome::NoChange),
            Err(err) => return Err(err.into()),
        };
        let mut stored = current.body;
        // The body names the acknowledging team; only the verified roster says whether its
        // author is in it. One from outside the team, or from a device revoked before the
        // share was sent, is seen and changes nothing: the share keeps prompting its sender.
        if let Some(author) = author {
            let share = &stored.record.share;
            if !author.teams.contains(&share.team) || revoked_by(author, share.sent_at) {
                return Ok(InboundOutcome::NoChange);
            }
        }
        // A recipient whose clock runs behind can date an acknowledgement before the share
        // was sent. The team did acknowledge: refusing it would leave the loop open for ever,
        // so it counts from the moment the share was sent.
        let ack = Acknowledgement {
            by: body.by,
            team: body.team,
            at: body.at.max(stored.record.share.sent_at),
            read_back: body.read_back,
        };
        let received = match stored.record.receive_acknowledgement(ack) {
            Ok(received) => received,
            // Not from the team, dated before the share, or an incomplete read-back: the
            // share stands as it is (recorded as seen). An unacknowledged share keeps
            // prompting its sender to phone: the safe side.
            Err(AcknowledgementError::AlreadyAcknowledged)
            | Err(AcknowledgementError::WrongTeam)
            | Err(AcknowledgementError::IncompleteReadBack)
            | Err(AcknowledgementError::BeforeSent) => return Ok(InboundOutcome::NoChange),
            Err(other) => return Err(other.into()),
        };
        if received == Received::AlreadyHeld {
            return Ok(InboundOutcome::NoChange);
        }
        if stored.acknowledgement_envelope.is_none() {
            stored.acknowledgement_envelope = Some(envelope.id);
        }
        stored.remember_acknowledger(body.by, &body.by_name);
        let reason = match received {
            Received::Closed => "acknowledgement received",
            _ => "further acknowledgement received",
        };
        records::amend(tx, current.version, &stored, reason)?;
        if received == Received::Closed && stored.direction == ShareDirection::Outgoing {
            // A transfer of care completes when the receiving team acknowledges it.
            super::transfer::transfer_acknowledged(tx, &self.directory(), &stored)?;
        }
        Ok(match (received, stored.direction) {
            (Received::Closed, ShareDirection::Outgoing) => InboundOutcome::MyShareAcknowledged,
            (Received::Closed, ShareDirection::Incoming) => {
                InboundOutcome::IncomingShareAcknowledged
            }
            _ => InboundOutcome::FurtherAcknowledgement,
        })
    }

    fn apply_referral_decision(
        &self,
        tx: &mut WriteTx<'_>,
        envelope: &Envelope,
        author: Option<&RosterDevice>,
    ) -> Result<InboundOutcome, AppError> {
        let body: ReferralDecisionBody = bodies::decode(&envelope.body.0)?;
        if envelope.answers != Some(body.referral.ulid()) {
            return Err(EnvelopeFault::HeaderMismatch("referral decision").into());
        }
        let current: Record<StoredReferral> = match tx.get(StoredReferral::KIND, body.referral) {
            Ok(record) => record,
            Err(StoreError::NotFound { .. }) => return Ok(InboundOutcome::NoChange),
            Err(err) => return Err(err.into()),
        };
        let mut stored = current.body;
        // CSC's decision is recorded by the referrer (on any of their devices) or, as the
        // protocol allows, by a current member of a team the referral was addressed to (the
        // referrer's own teams), as the verified roster lists them. A decision from anyone
        // else, or from a device revoked before the referral was made, would stop the chase
        // on a referral nobody heard back on.
        let referrer = stored.record.referral.referrer;
        let my_teams: Vec<crate::model::TeamId> =
            self.identity().teams.iter().map(|t| t.id).collect();
        let entitled = envelope.author == referrer
            || author.is_some_and(|a| a.teams.iter().any(|t| my_teams.contains(t)));
        if !entitled
            || body.decision.recorded_by != envelope.author
            || author.is_some_and(|a| revoked_by(a, stored.record.referral.sent_at))
        {
            return Ok(InboundOutcome::NoChange);
        }
        let mut decision = body.decision;
        // As for acknowledgements: a skewed clock on the other device cannot date the decision
        // before the referral.
        decision.arrived_at = decision.arrived_at.max(stored.record.referral.sent_at);
        match stored.record.record_decision(decision) {
            Ok(()) => {}
            // Already decided, or refused by the rules (no reasons given): unchanged, so the
            // referral keeps prompting a chase or shows the decision already recorded.
            Err(ReferralError::AlreadyDecided)
            | Err(ReferralError::MissingReasons)
            | Err(ReferralError::DecisionBeforeReferral) => return Ok(InboundOutcome::NoChange),
            Err(other) => return Err(other.into()),
        }
        records::amend(tx, current.version, &stored, "decision received")?;
        if stored.record.not_accepted()
            && !exists::<StoredEscalation>(tx, stored.record.referral.id)?
        {
            let arrived_at = stored
                .record
                .decision
                .as_ref()
                .map_or(envelope.created_at, |d| d.arrived_at);
            records::insert(
                tx,
                &StoredEscalation {
                    ladder: EscalationLadder::open(
                        stored.record.referral.id,
                        stored.record.referral.referrer,
                        EscalationTrigger::NotAccepted,
                        arrived_at,
                    ),
                    about: stored.record.referral.about,
                },
            )?;
        }
        Ok(InboundOutcome::ReferralDecisionRecorded)
    }

    /// A referral made by this practitioner on another of their devices: held here too, so
    /// either device chases it. Colleagues' referrals are theirs to chase.
    fn apply_referral(
        &self,
        tx: &mut WriteTx<'_>,
        envelope: &Envelope,
    ) -> Result<InboundOutcome, AppError> {
        let body: ReferralBody = bodies::decode(&envelope.body.0)?;
        if body.referral.id.ulid() != envelope.entity_id
            || body.referral.referrer != envelope.author
        {
            return Err(EnvelopeFault::HeaderMismatch("referral").into());
        }
        if envelope.author != self.actor() || exists::<StoredReferral>(tx, body.referral.id)? {
            return Ok(InboundOutcome::NoChange);
        }
        let due_at = body.referral.decision_due(self.rules())?;
        let Ok(record) = ReferralRecord::new(body.referral) else {
            return Ok(InboundOutcome::NoChange);
        };
        records::insert(
            tx,
            &StoredReferral {
                record,
                due_at,
                household: None,
                // Re-pulled from the server after a reinstall: its time was checked when made.
                clock_unverified: false,
            },
        )?;
        Ok(InboundOutcome::ReferralReceived)
    }

    /// An escalation step taken on another device, on a ladder held here: recorded when it is
    /// the next step (steps are never skipped; an out-of-order one changes nothing).
    fn apply_escalation_step(
        &self,
        tx: &mut WriteTx<'_>,
        envelope: &Envelope,
        author: Option<&RosterDevice>,
    ) -> Result<InboundOutcome, AppError> {
        let body: EscalationStepBody = bodies::decode(&envelope.body.0)?;
        if envelope.answers != Some(body.referral.ulid()) {
            return Err(EnvelopeFault::HeaderMismatch("escalation step").into());
        }
        let current: Record<StoredEscalation> = match tx.get(StoredEscalation::KIND, body.referral)
        {
            Ok(record) => record,
            Err(StoreError::NotFound { .. }) => return Ok(InboundOutcome::NoChange),
            Err(err) => return Err(err.into()),
        };
        let mut stored = current.body;
        // Steps are the ladder owner's, taken on any of their devices: one from anyone else
        // (or from a device revoked before the ladder opened) would move the ladder on with a
        // step nobody took.
        if envelope.author != stored.ladder.owner
            || body.step.taken_by != envelope.author
            || author.is_some_and(|a| revoked_by(a, stored.ladder.opened_at))
        {
            return Ok(InboundOutcome::NoChange);
        }
        if stored.ladder.record(body.step).is_err() {
            return Ok(InboundOutcome::NoChange);
        }
        records::amend(tx, current.version, &stored, "escalation step received")?;
        Ok(InboundOutcome::EscalationStepRecorded)
    }
}

/// Whether `author` was revoked at or before `instant`: it cannot answer what was made then.
fn revoked_by(author: &RosterDevice, instant: chrono::DateTime<chrono::Utc>) -> bool {
    author.revoked_at.is_some_and(|revoked| revoked <= instant)
}

fn exists<T: StoredRecord + serde::de::DeserializeOwned>(
    tx: &mut WriteTx<'_>,
    id: impl std::fmt::Display,
) -> Result<bool, AppError> {
    match tx.get::<T>(T::KIND, id) {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound { .. }) => Ok(false),
        Err(err) => Err(err.into()),
    }
}
