//! Meeting packs, supervision, amendments, pattern-alert dismissal (issue 17 item 3), and the
//! calls this feature adds to `Checklists` and `Contacts`. Reached with `session.casework()`.
//! Every rule, record and sentence is core's (`safeshare_core::app::Session`).

use crate::error::{Result, SafeShareError};
use crate::session::{Casework, OverCore};
use safeshare_core::app::{ObservationCorrection, SupervisionInput};
use safeshare_core::boundary::UtcInstant;
use safeshare_core::casework::meeting::{MeetingType, SectionKind};
use safeshare_core::model::{MeetingPackId, ObservationId, PersonId, SupervisionId};
use safeshare_core::rules::patterns::AlertKey;
use safeshare_core::screens::{
    MeetingPackScreen, MeetingPacksScreen, ObservationHistoryScreen, PatternAlertsScreen,
    SupervisionScreen,
};

#[uniffi::export]
impl Casework {
    /// Prepares and stores a pack for a multi-agency meeting about `child_id`, prepared by this
    /// practitioner; returns its id. Throws `Validation` on `represents` when no part of care
    /// is named. See core's `Session::prepare_my_meeting_pack`.
    pub fn prepare_meeting_pack(
        &self,
        child_id: PersonId,
        meeting_type: MeetingType,
        meeting_at: UtcInstant,
        represents: Vec<String>,
    ) -> Result<MeetingPackId> {
        self.run(|s| {
            s.prepare_my_meeting_pack(child_id, meeting_type, meeting_at, represents)
                .map(|pack| pack.id)
        })
    }

    /// Records what was shared at the meeting and which sections it covered; throws
    /// `Validation` on a blank summary.
    pub fn record_shared_at_meeting(
        &self,
        pack_id: MeetingPackId,
        summary: String,
        sections: Vec<SectionKind>,
    ) -> Result<()> {
        self.run(|s| {
            s.record_shared_at_meeting(pack_id, &summary, sections)
                .map(drop)
        })
    }

    /// Records a challenge to inaccurate minutes; every field is required.
    pub fn challenge_minutes(
        &self,
        pack_id: MeetingPackId,
        inaccuracy: String,
        correction: String,
        raised_with: String,
    ) -> Result<()> {
        self.run(|s| {
            s.challenge_minutes(pack_id, &inaccuracy, &correction, &raised_with)
                .map(drop)
        })
    }

    /// Records a supervision session this practitioner had; throws `Validation` for no
    /// supervisor, no case, a session in the future or an action due before it.
    pub fn record_supervision(&self, input: SupervisionInput) -> Result<SupervisionId> {
        self.run(|s| s.record_supervision(input).map(|r| r.id))
    }

    /// Marks the agreed action at `index` (from 0) of a supervision record done.
    pub fn mark_supervision_action_done(
        &self,
        supervision_id: SupervisionId,
        index: u32,
    ) -> Result<()> {
        let index = usize::try_from(index)
            .map_err(|_| SafeShareError::validation("index", "not an action's position"))?;
        self.run(|s| {
            s.mark_supervision_action_done(supervision_id, index)
                .map(drop)
        })
    }

    /// Dismisses a pattern alert with a reason (see core's `Session::dismiss_alert`); throws
    /// `Validation` on a blank reason.
    pub fn dismiss_alert(&self, key: AlertKey, reason: String) -> Result<()> {
        self.run(|s| s.dismiss_alert(key, &reason))
    }

    /// Amends an observation: a new version with the correction and the reason, the earlier
    /// one kept in its history (`observationHistoryScreen`).
    pub fn amend_observation(
        &self,
        observation_id: ObservationId,
        correction: ObservationCorrection,
        reason: String,
    ) -> Result<()> {
        self.run(|s| {
            s.amend_observation(observation_id, correction, &reason)
                .map(drop)
        })
    }

    /// Closes an open observation with a reason (a new version; no longer handed over).
    pub fn close_observation(&self, observation_id: ObservationId, reason: String) -> Result<()> {
        self.run(|s| s.close_observation(observation_id, &reason).map(drop))
    }

    /// A child's meeting packs, and preparing one.
    pub fn meeting_packs_screen(&self, child_id: PersonId) -> Result<MeetingPacksScreen> {
        self.run(|s| s.meeting_packs_screen(child_id))
    }

    /// One meeting pack: its sections, health staff, what is missing, and what was shared.
    pub fn meeting_pack_screen(&self, pack_id: MeetingPackId) -> Result<MeetingPackScreen> {
        self.run(|s| s.meeting_pack_screen(pack_id))
    }

    /// Supervision sessions with their actions, and conferences ahead still without oversight.
    pub fn supervision_screen(&self) -> Result<SupervisionScreen> {
        self.run(|s| s.supervision_screen())
    }

    /// The pattern alerts standing for a child, and earlier dismissals with their reasons.
    pub fn pattern_alerts_screen(&self, child_id: PersonId) -> Result<PatternAlertsScreen> {
        self.run(|s| s.pattern_alerts_screen(child_id))
    }

    /// Every version of an observation with who amended it, when and why; amend and close.
    pub fn observation_history_screen(
        &self,
        observation_id: ObservationId,
    ) -> Result<ObservationHistoryScreen> {
        self.run(|s| s.observation_history_screen(observation_id))
    }
}
