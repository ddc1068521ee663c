//! What the sync screen shows. The one rule: never "synced" while anything is waiting, in
//! flight or rejected ([`SyncSummary::AllSynced`] only when the outbox is all clear and the
//! last attempt succeeded). A device the server no longer knows says so first
//! ([`SyncSummary::NeedsReenrolment`]): nothing can leave it until someone acts. What a sync
//! did about a server restored from a backup is kept as a [`ServerRestoreNotice`] and said in
//! words ([`SyncStatus::notice`]).

use crate::model::{PractitionerId, Severity, TeamId};
use crate::sync::{EnvelopeId, EnvelopeKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ulid::Ulid;

/// Progress kept between runs (sealed in the store's state table).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    /// When a sync last pushed and pulled everything it could without an error.
    pub last_success: Option<DateTime<Utc>>,
    /// When a sync was last attempted.
    pub last_attempt: Option<DateTime<Utc>>,
    /// Failed attempts since the last success (drives the backoff).
    pub consecutive_failures: u32,
    /// No automatic attempt before this instant (backoff with jitter).
    pub not_before: Option<DateTime<Utc>>,
    /// The last failure's stable code ([`super::SyncError::code`]), cleared on success.
    pub last_error: Option<String>,
    /// Set when the server answered `unknown_device`; cleared by a re-enrolment (or a later
    /// sync the server answers: the device was known after all).
    #[serde(default)]
    pub needs_reenrolment: bool,
    /// The latest time a sync found the server restored from a backup, and what it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_restored: Option<ServerRestoreNotice>,
}

/// A sync found that the regional server's data had gone back to an earlier copy (a pull
/// position it no longer held, or accepted items missing from it) and put it right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ServerRestoreNotice {
    /// When the sync found it (device clock).
    pub detected_at: DateTime<Utc>,
    /// Items this device had sent that the server no longer held, sent again.
    pub resent: u64,
}

impl ServerRestoreNotice {
    /// What the practitioner reads.
    pub fn message(&self) -> String {
        match self.resent {
            0 => "The regional server was restored from a backup: nothing sent from this phone \
                  was missing, and everything for you has been fetched again."
                .to_owned(),
            1 => "The regional server was restored from a backup: 1 item sent again.".to_owned(),
            n => format!("The regional server was restored from a backup: {n} items sent again."),
        }
    }
}

/// One envelope the server refused, as the user sees it: kept until fixed or discarded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RejectedItem {
    /// The envelope id (to fix or discard it).
    pub id: EnvelopeId,
    /// What it carried.
    pub kind: EnvelopeKind,
    /// When it was captured.
    pub captured_at: DateTime<Utc>,
    /// The server's code (`audience_not_allowed`, `conflict`, ...).
    pub code: String,
    /// The reason to show.
    pub reason: String,
}

/// A pulled item this app could not understand: shown, never silently skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnreadableItem {
    /// The envelope id (or `directory vN`).
    pub id: String,
    /// Why it could not be applied (no personal data).
    pub reason: String,
    /// When it was pulled.
    pub pulled_at: DateTime<Utc>,
    /// For an envelope whose header was readable but whose body this device cannot open: the
    /// routing metadata, which still drives "needs attention" (docs/security.md, "Opening").
    /// Absent for a directory version, and in items kept before this field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<UnreadableHeader>,
}

impl UnreadableItem {
    /// Whether it still needs the practitioner: always, unless it is an envelope whose
    /// acknowledgement has since been pulled (someone who could read it answered). It stays
    /// listed either way.
    pub fn needs_attention(&self) -> bool {
        self.header
            .as_ref()
            .is_none_or(|header| header.answered_at.is_none())
    }
}

/// The header of an envelope this device could not open: who sent what kind to whom, how
/// urgent, when an answer is due, and whether an acknowledgement of it has since been pulled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnreadableHeader {
    /// What it carries.
    pub kind: EnvelopeKind,
    /// The entity (share, referral, ...) it is a version of.
    pub entity_id: Ulid,
    /// Who sent it.
    pub author: PractitionerId,
    /// When it was created on the sender's device.
    pub sent_at: DateTime<Utc>,
    /// The teams it was addressed to.
    pub audience: Vec<TeamId>,
    /// The concern's severity, if the sender gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// When an answer is due (shares and referrals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    /// The sender's teams, from the roster held when it was pulled (whom to phone).
    #[serde(default)]
    pub sender_teams: Vec<TeamId>,
    /// When a pulled acknowledgement first answered it (this device saw its header): from then
    /// on it no longer needs attention here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
}

/// The headline of the sync screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncSummary {
    /// The device has no identity yet: enrol first.
    NotEnrolled,
    /// Everything captured is on the server and the last sync succeeded.
    AllSynced,
    /// Items are waiting to be sent (or the last attempt failed); they are safe on the phone.
    Waiting,
    /// The server refused items (the user must fix or discard each), or something pulled
    /// could not be read.
    NeedsAttention,
    /// The server no longer knows this device (restored from a backup or lost): everything
    /// unsent is kept on the phone; an administrator must issue a re-enrolment code for this
    /// practitioner, and then every unsent item is delivered.
    NeedsReenrolment,
}

/// The sync state a UI can show.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncStatus {
    /// The headline.
    pub summary: SyncSummary,
    /// Envelopes not yet accepted by the server (waiting or in flight).
    pub pending: u64,
    /// Envelopes refused by the server, with reasons.
    pub rejected: Vec<RejectedItem>,
    /// Pulled items this app could not understand.
    pub unreadable: Vec<UnreadableItem>,
    /// When a sync last completed without an error.
    pub last_success: Option<DateTime<Utc>>,
    /// When a sync was last attempted.
    pub last_attempt: Option<DateTime<Utc>>,
    /// The last failure's code, if the last attempt failed.
    pub last_error: Option<String>,
    /// When the next automatic attempt may run (backoff).
    pub next_attempt_not_before: Option<DateTime<Utc>>,
    /// The latest server restore a sync found, and what it did ([`SyncStatus::notice`]).
    pub server_restored: Option<ServerRestoreNotice>,
}

impl SyncStatus {
    /// Builds the status from the outbox numbers and the progress record.
    pub fn from_parts(
        enrolled: bool,
        pending: u64,
        rejected: Vec<RejectedItem>,
        unreadable: Vec<UnreadableItem>,
        progress: &SyncProgress,
    ) -> Self {
        let summary = if !enrolled {
            SyncSummary::NotEnrolled
        } else if progress.needs_reenrolment {
            SyncSummary::NeedsReenrolment
        } else if !rejected.is_empty() || unreadable.iter().any(UnreadableItem::needs_attention) {
            SyncSummary::NeedsAttention
        } else if pending > 0 || progress.last_error.is_some() || progress.last_success.is_none() {
            SyncSummary::Waiting
        } else {
            SyncSummary::AllSynced
        };
        Self {
            summary,
            pending,
            rejected,
            unreadable,
            last_success: progress.last_success,
            last_attempt: progress.last_attempt,
            last_error: progress.last_error.clone(),
            next_attempt_not_before: progress.not_before,
            server_restored: progress.server_restored,
        }
    }

    /// What to tell the practitioner beyond the headline, in words: that the device needs
    /// re-enrolment, or what a sync did after finding the server restored from a backup.
    pub fn notice(&self) -> Option<String> {
        if self.summary == SyncSummary::NeedsReenrolment {
            return Some(format!(
                "The regional server no longer knows this phone. Ask your administrator for a \
                 re-enrolment code. {} kept safely on this phone until then.",
                match self.pending {
                    1 => "1 item is".to_owned(),
                    n => format!("{n} items are"),
                }
            ));
        }
        self.server_restored.map(|notice| notice.message())
    }

    /// True only when the UI may say "all synced".
    pub fn is_synced(&self) -> bool {
        self.summary == SyncSummary::AllSynced
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn done() -> SyncProgress {
        SyncProgress {
            last_success: Some(Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap()),
            ..SyncProgress::default()
        }
    }

    #[test]
    fn one_pending_item_means_not_synced_even_after_a_success() {
        let status = SyncStatus::from_parts(true, 1, Vec::new(), Vec::new(), &done());
        assert_eq!(status.summary, SyncSummary::Waiting);
        assert!(!status.is_synced());
        assert!(SyncStatus::from_parts(true, 0, Vec::new(), Vec::new(), &done()).is_synced());
    }

    #[test]
    fn a_rejected_item_needs_attention_before_anything_else() {
        let item = RejectedItem {
            id: EnvelopeId::new(),
            kind: EnvelopeKind::Share,
            captured_at: Utc.with_ymd_and_hms(2026, 3, 27, 15, 0, 0).unwrap(),
            code: "audience_not_allowed".into(),
            reason: "team unknown".into(),
        };
        let status = SyncStatus::from_parts(true, 0, vec![item], Vec::new(), &done());
        assert_eq!(status.summary, SyncSummary::NeedsAttention);
        assert!(!status.is_synced());
    }

    #[test]
    fn a_device_the_server_forgot_needs_reenrolment_before_anything_else() {
        let forgotten = SyncProgress {
            needs_reenrolment: true,
            last_error: Some("unknown_device".into()),
            ..done()
        };
        let status = SyncStatus::from_parts(true, 3, Vec::new(), Vec::new(), &forgotten);
        assert_eq!(status.summary, SyncSummary::NeedsReenrolment);
        assert_eq!(
            status.notice().as_deref(),
            Some(
                "The regional server no longer knows this phone. Ask your administrator for a \
                 re-enrolment code. 3 items are kept safely on this phone until then."
            )
        );
    }

    #[test]
    fn a_restore_found_says_how_many_items_were_sent_again() {
        let restored = SyncProgress {
            server_restored: Some(ServerRestoreNotice {
                detected_at: Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap(),
                resent: 2,
            }),
            ..done()
        };
        let status = SyncStatus::from_parts(true, 0, Vec::new(), Vec::new(), &restored);
        assert!(status.is_synced());
        assert_eq!(
            status.notice().as_deref(),
            Some("The regional server was restored from a backup: 2 items sent again.")
        );
        assert_eq!(
            SyncStatus::from_parts(true, 0, Vec::new(), Vec::new(), &done()).notice(),
            None
        );
    }

    #[test]
    fn never_synced_or_last_attempt_failed_is_not_synced() {
        assert!(
            !SyncStatus::from_parts(true, 0, Vec::new(), Vec::new(), &SyncProgress::default())
                .is_synced()
        );
        let failed = SyncProgress {
            last_error: Some("network".into()),
            ..done()
        };
        assert_eq!(
            SyncStatus::from_parts(true, 0, Vec::new(), Vec::new(), &failed).summary,
            SyncSummary::Waiting
        );
        assert_eq!(
            SyncStatus::from_parts(false, 0, Vec::new(), Vec::new(), &done()).summary,
            SyncSummary::NotEnrolled
        );
    }

    #[test]
    fn an_unreadable_item_needs_attention_until_someone_answers_it() {
        let header = UnreadableHeader {
            kind: EnvelopeKind::Share,
            entity_id: Ulid::new(),
            author: PractitionerId::new(),
            sent_at: Utc.with_ymd_and_hms(2026, 3, 27, 15, 0, 0).unwrap(),
            audience: vec![TeamId::new()],
            severity: Some(Severity::Concern),
            due_at: Some(Utc.with_ymd_and_hms(2026, 3, 30, 15, 0, 0).unwrap()),
            sender_teams: Vec::new(),
            answered_at: None,
        };
        let mut item = UnreadableItem {
            id: EnvelopeId::new().to_string(),
            reason: "not readable on this device".into(),
            pulled_at: Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap(),
            header: Some(header),
        };
        let status = SyncStatus::from_parts(true, 0, Vec::new(), vec![item.clone()], &done());
        assert_eq!(status.summary, SyncSummary::NeedsAttention);
        if let Some(h) = item.header.as_mut() {
            h.answered_at = Some(Utc.with_ymd_and_hms(2026, 3, 27, 17, 0, 0).unwrap());
        }
        let status = SyncStatus::from_parts(true, 0, Vec::new(), vec![item.clone()], &done());
        assert_eq!(status.summary, SyncSummary::AllSynced);
        assert_eq!(status.unreadable, vec![item.clone()], "still listed");
        // A directory version this build cannot read has no header: it always needs attention.
        item.header = None;
        let status = SyncStatus::from_parts(true, 0, Vec::new(), vec![item], &done());
        assert_eq!(status.summary, SyncSummary::NeedsAttention);
    }
}
