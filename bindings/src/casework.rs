//! The rest of the product surface for the shells (issue 17 item 3): meeting packs, supervision
//! records, amendments with their history, pattern-alert dismissal with a reason, checklist
//! contact items and call outcomes. Translation only: every rule, refusal and sentence shown is
//! core's (`safeshare_core::app::Session` and `safeshare_core::screens`).
//!
//! Reached with `Casework(session)` (a constructor, like `TeamAroundChild` and `SessionTools`),
//! so the session's handle list is unchanged. Calls that belong on an existing handle are added
//! here in their own `#[uniffi::export] impl` blocks (the contacts a checklist item can record,
//! on `Checklists`; the calls logged with their outcomes, on `Contacts`), leaving those
//! handles' own files alone. Each screen a call changes is rebuilt by the shell through
//! `screens.rs`' calls; the writes here return only what the shell needs next.

use crate::error::{guard, SafeShareError};
use crate::session::{Checklists, Contacts, Session};
use safeshare_core::app::{self as core_app, ObservationCorrection, SupervisionInput};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::meeting::{MeetingType, NewMeetingPack, SectionKind};
use safeshare_core::model::{MeetingPackId, ObservationId, PersonId, SupervisionId};
use safeshare_core::rules::patterns::AlertKey;
use std::sync::Arc;

/// Meeting packs, supervision, amendments and pattern alerts, over one session's store.
#[derive(uniffi::Object)]
pub struct Casework {
    pub(crate) inner: Arc<core_app::Session>,
}

#[uniffi::export]
impl Casework {
    /// Meeting packs, supervision, amendments and pattern alerts over `session`'s store.
    #[uniffi::constructor]
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        Arc::new(Casework {
            inner: session.inner.clone(),
        })
    }

    /// Prepares and stores a pack for a multi-agency meeting about `child_id` (the child's
    /// concerns and voice from the chronology, the health staff from the team around the child);
    /// throws `Validation` on `represents` when no part of care is named. Returns the pack's id
    /// for `meetingPackScreen`.
    pub fn prepare_meeting_pack(
        &self,
        child_id: PersonId,
        meeting_type: MeetingType,
        meeting_at: UtcInstant,
        represents: Vec<String>,
    ) -> Result<MeetingPackId, SafeShareError> {
        guard(|| {
            let prepared_by = self.inner.identity().practitioner;
            Ok(self
                .inner
                .prepare_meeting_pack(NewMeetingPack {
                    child: child_id,
                    meeting_type,
                    meeting_at,
                    prepared_by,
                    represents,
                })?
                .id)
        })
    }

    /// Records what was shared at the meeting and which sections it covered; throws
    /// `Validation` on a blank summary.
    pub fn record_shared_at_meeting(
        &self,
        pack_id: MeetingPackId,
        summary: String,
        sections: Vec<SectionKind>,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            self.inner
                .record_shared_at_meeting(pack_id, &summary, sections)?;
            Ok(())
        })
    }

    /// Records a challenge to inaccurate minutes; every field is required.
    pub fn challenge_minutes(
        &self,
        pack_id: MeetingPackId,
        inaccuracy: String,
        correction: String,
        raised_with: String,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            self.inner
                .challenge_minutes(pack_id, &inaccuracy, &correction, &raised_with)?;
            Ok(())
        })
    }

    /// Records a supervision session this practitioner had; throws `Validation` for no
    /// supervisor, no case, a session in the future or an action due before it.
    pub fn record_supervision(
        &self,
        input: SupervisionInput,
    ) -> Result<SupervisionId, SafeShareError> {
        guard(|| Ok(self.inner.record_supervision(input)?.id))
    }

    /// Marks the agreed action at `index` (from 0) of a supervision record done.
    pub fn mark_supervision_action_done(
        &self,
        supervision_id: SupervisionId,
        index: u32,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            let index = usize::try_from(index)
                .map_err(|_| SafeShareError::validation("index", "not an action's position"))?;
            self.inner
                .mark_supervision_action_done(supervision_id, index)?;
            Ok(())
        })
    }

    /// Dismisses a pattern alert with a reason (recorded; a later concern that extends the
    /// pattern raises it again); throws `Validation` on a blank reason.
    pub fn dismiss_alert(&self, key: AlertKey, reason: String) -> Result<(), SafeShareError> {
        guard(|| Ok(self.inner.dismiss_alert(key, &reason)?))
    }

    /// Amends an observation: a new version with the corrected content and the reason; the
    /// earlier version stays in its history (`observationHistoryScreen`).
    pub fn amend_observation(
        &self,
        observation_id: ObservationId,
        correction: ObservationCorrection,
        reason: String,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            self.inner
                .amend_observation(observation_id, correction, &reason)?;
            Ok(())
        })
    }

    /// Closes an open observation with a reason (a new version; no longer handed over).
    pub fn close_observation(
        &self,
        observation_id: ObservationId,
        reason: String,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            self.inner.close_observation(observation_id, &reason)?;
            Ok(())
        })
    }
}

#[uniffi::export]
impl Checklists {
    /// The contacts of the team around `child_id` now, as a checklist's contacts item records
    /// them (what the screen's "Record the team around the child" action carries).
    pub fn team_around_child_contacts(
        &self,
        child_id: PersonId,
    ) -> Result<Vec<ContactRef>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .checklist_contacts(child_id)?)
        })
    }
}

/// A call logged from this phone, with its outcome once recorded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoggedCall {
    /// The call's id (to record its outcome).
    pub call_id: safeshare_core::directory::CallLogId,
    /// The team that answers the number rung (core's name for it).
    pub team_name: String,
    /// When it was started.
    pub started_at: UtcInstant,
    /// Whether its outcome is recorded.
    pub outcome_recorded: bool,
}

#[uniffi::export]
impl Contacts {
    /// Every call logged on this phone, oldest first, with whether its outcome is recorded (a
    /// call without one is still to be written up).
    pub fn calls(&self) -> Result<Vec<LoggedCall>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .calls()?
                .into_iter()
                .map(|call| LoggedCall {
                    call_id: call.id,
                    team_name: call.answering_team_name,
                    started_at: call.started_at,
                    outcome_recorded: call.outcome.is_some(),
                })
                .collect())
        })
    }
}
