//! The screens' view records for the shells (issue 17 item 1): one call per screen, each
//! returning core's record (display strings, London times, the actions offered and whether each
//! is enabled) as it is, built by core at the session clock's instant. Translation only: the
//! records, their wording and their rules are `safeshare_core::screens`; a shell maps a record
//! to widgets and each action's kind to the core call it names.

use crate::casework::Casework;
use crate::contacts::ContactsDirectory;
use crate::error::{guard, SafeShareError};
use crate::session::{Checklists, Contacts, Referrals, Session, Shares, Sync, Visits};
use safeshare_core::directory::Directory;
use safeshare_core::model::{
    ChecklistId, MeetingPackId, ObservationId, PersonId, ShareId, VisitId,
};
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::screens::{
    CaptureDraft, ChecklistScreen, ChecklistsScreen, ContactPicker, ContactsScreen,
    IncomingShareScreen, IncomingSharesScreen, MeetingPackScreen, MeetingPacksScreen,
    ObservationHistoryScreen, PatternAlertsScreen, ReferralsScreen, SetUpDraft, SetUpScreen,
    ShareDraft, ShareScreen, SharesSentScreen, SupervisionScreen, SyncScreen, TodayScreen,
    VisitScreen,
};
use std::sync::Arc;

/// The set-up screen before this phone has a session: `draft` as typed, the teams found in
/// `directory` (the copy shipped with the app; none gives an empty search), the server the
/// app is configured with, and, when `Session.resume` threw at launch, that error
/// (`launch_error`): the screen is then its one recovery, the same on both shells.
#[uniffi::export]
pub fn set_up_screen(
    directory: Option<Arc<ContactsDirectory>>,
    draft: SetUpDraft,
    server_url: String,
    launch_error: Option<SafeShareError>,
) -> SetUpScreen {
    match launch_error {
        Some(error) => SetUpScreen::cannot_open(&error, &server_url),
        None => {
            let empty = Directory::empty();
            let directory = directory.as_ref().map(|d| d.directory()).unwrap_or(&empty);
            SetUpScreen::before_set_up(directory, &draft, &server_url)
        }
    }
}

/// An empty capture draft (an observation, nothing chosen, typed, a fact seen): what the
/// capture screen starts from.
#[uniffi::export]
pub fn empty_capture_draft() -> CaptureDraft {
    CaptureDraft::empty()
}

#[uniffi::export]
impl Session {
    /// The Today screen: what needs attention now (most urgent first, calls with the number for
    /// now) and today's visits (London day).
    pub fn today_screen(&self) -> Result<TodayScreen, SafeShareError> {
        guard(|| Ok(self.inner.today_screen()?))
    }
}

#[uniffi::export]
impl Sync {
    /// The Sync screen: the status in words, rejected and unreadable items, "Send now" and
    /// "Enrol" with whether each can be pressed.
    pub fn screen(&self) -> Result<SyncScreen, SafeShareError> {
        guard(|| Ok(self.inner.sync_screen()?))
    }

    /// The set-up screen once this phone is set up: the name and every team the store keeps,
    /// whether it is enrolled, the enrolment code field holding `draft.enrolmentCode`, and
    /// "Enrol this phone" / "Re-enrol" (enabled once a code is typed).
    pub fn set_up_screen(
        &self,
        draft: SetUpDraft,
        server_url: String,
    ) -> Result<SetUpScreen, SafeShareError> {
        guard(|| Ok(self.inner.set_up_screen(&draft, &server_url)?))
    }
}

#[uniffi::export]
impl Visits {
    /// The Visit and capture screen for `visit` with `draft` (what is chosen and typed so far):
    /// the header in London time, every category and severity with none chosen, the capture
    /// prompts, what was recorded on the visit, and Save, Share this concern and End visit
    /// with whether each can be pressed. Call again as the practitioner types.
    pub fn screen(
        &self,
        visit: VisitId,
        draft: CaptureDraft,
    ) -> Result<VisitScreen, SafeShareError> {
        guard(|| Ok(self.inner.visit_screen(visit, &draft)?))
    }
}

#[uniffi::export]
impl Shares {
    /// The Share screen for `draft`: the involved teams not yet told, the teams covering the
    /// child's postcode, each severity with when the team must acknowledge it (London time),
    /// and "Send" (with "Call" for immediate risk). Call again as the practitioner chooses.
    pub fn share_screen(&self, draft: ShareDraft) -> Result<ShareScreen, SafeShareError> {
        guard(|| Ok(self.inner.share_screen(&draft)?))
    }

    /// "Shares I sent": each share's state now, its read-backs, and confirm, flag or call.
    pub fn sent_screen(&self) -> Result<SharesSentScreen, SafeShareError> {
        guard(|| Ok(self.inner.shares_sent_screen()?))
    }

    /// "Shares to my team": each with by when to acknowledge it.
    pub fn incoming_screen(&self) -> Result<IncomingSharesScreen, SafeShareError> {
        guard(|| Ok(self.inner.incoming_shares_screen()?))
    }

    /// One share to my team with the read-back form holding `draft` (what is typed so far):
    /// "Acknowledge" is enabled only for a complete read-back. Call again as the practitioner
    /// types. Throws `NotFound` for a share not sent to my teams.
    pub fn incoming_share_screen(
        &self,
        share_id: ShareId,
        draft: ReadBack,
    ) -> Result<IncomingShareScreen, SafeShareError> {
        guard(|| Ok(self.inner.incoming_share_screen(share_id, draft)?))
    }
}

#[uniffi::export]
impl Referrals {
    /// The Referrals screen: each referral's state now, the next escalation step and when it
    /// is due, and what can be done.
    pub fn screen(&self) -> Result<ReferralsScreen, SafeShareError> {
        guard(|| Ok(self.inner.referrals_screen()?))
    }
}

#[uniffi::export]
impl Contacts {
    /// The Contacts screen for `query`: teams found, whether each is open now, and the call
    /// button with the number for now.
    pub fn screen(&self, query: String) -> Result<ContactsScreen, SafeShareError> {
        guard(|| Ok(self.inner.contacts_screen(&query)?))
    }
}

#[uniffi::export]
impl Checklists {
    /// A person's checklists, and starting one (disabled while one of that kind is open).
    pub fn screen(&self, person_id: PersonId) -> Result<ChecklistsScreen, SafeShareError> {
        guard(|| Ok(self.inner.checklists_screen(person_id)?))
    }

    /// One checklist: each item, what it needs, its state and what can be done (a contacts
    /// item offers the team around the child in one tap, and the picker).
    pub fn checklist_screen(
        &self,
        checklist_id: ChecklistId,
    ) -> Result<ChecklistScreen, SafeShareError> {
        guard(|| Ok(self.inner.checklist_screen(checklist_id)?))
    }

    /// The contact picker for a contacts item: the team around the child first, then the
    /// directory's teams matching `query`, each enabled only when the item would accept it.
    /// Pass the chosen `contact`s to `checklistMarkDone`.
    pub fn contact_picker(
        &self,
        checklist_id: ChecklistId,
        key: String,
        query: String,
    ) -> Result<ContactPicker, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .checklist_contact_picker(checklist_id, &key, &query)?)
        })
    }
}

#[uniffi::export]
impl Casework {
    /// A child's meeting packs, and preparing one.
    pub fn meeting_packs_screen(
        &self,
        child_id: PersonId,
    ) -> Result<MeetingPacksScreen, SafeShareError> {
        guard(|| Ok(self.inner.meeting_packs_screen(child_id)?))
    }

    /// One meeting pack: its sections, the health staff from the team around the child now,
    /// what is missing before the meeting, and recording what was shared afterwards.
    pub fn meeting_pack_screen(
        &self,
        pack_id: MeetingPackId,
    ) -> Result<MeetingPackScreen, SafeShareError> {
        guard(|| Ok(self.inner.meeting_pack_screen(pack_id)?))
    }

    /// The practitioner's supervision sessions with their agreed actions, and the conferences
    /// ahead still without supervision oversight.
    pub fn supervision_screen(&self) -> Result<SupervisionScreen, SafeShareError> {
        guard(|| Ok(self.inner.supervision_screen()?))
    }

    /// The pattern alerts standing for a child (each recorded as shown), with dismissal, and
    /// earlier dismissals with their reasons.
    pub fn pattern_alerts_screen(
        &self,
        child_id: PersonId,
    ) -> Result<PatternAlertsScreen, SafeShareError> {
        guard(|| Ok(self.inner.pattern_alerts_screen(child_id)?))
    }

    /// Every version of an observation with who amended it, when and why; amend and close.
    pub fn observation_history_screen(
        &self,
        observation_id: ObservationId,
    ) -> Result<ObservationHistoryScreen, SafeShareError> {
        guard(|| Ok(self.inner.observation_history_screen(observation_id)?))
    }
}
