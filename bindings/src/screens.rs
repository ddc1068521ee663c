//! The screens' view records for the shells (issue 17 item 1): one call per screen, each
//! returning core's record (display strings, London times, the actions offered and whether each
//! is enabled) as it is, built by core at the session clock's instant. Translation only: the
//! records, their wording and their rules are `safeshare_core::screens`; a shell maps a record
//! to widgets and each action's kind to the core call it names.

use crate::error::{guard, SafeShareError};
use crate::session::{Contacts, Referrals, Session, Shares, Sync};
use safeshare_core::model::ShareId;
use safeshare_core::rules::acknowledgement::ReadBack;
use safeshare_core::screens::{
    ContactsScreen, IncomingShareScreen, IncomingSharesScreen, ReferralsScreen, SharesSentScreen,
    SyncScreen, TodayScreen,
};

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
}

#[uniffi::export]
impl Shares {
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
