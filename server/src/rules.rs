//! The storage rules, decided once above the SQLite and PostgreSQL backends.
//!
//! Owns: when an enrolment code may be redeemed (and, when not, which refusal the device is
//! given), when an admin may revoke one (and which code is still open, so a bulk revocation
//! takes exactly the codes a device could still redeem), whether a directory version may be published over the stored ones, and whether every
//! team a code names is known. The backends only store and fetch; where a rule must hold
//! against a concurrent request (a code used once, versions that only go up) the backend reads
//! the current row inside its own transaction (locked on PostgreSQL, the single writer on
//! SQLite) and asks this module, so the decision is atomic with the write yet written once.
//!
//! Invariants: a code is redeemable only when it exists, is unused, unrevoked and strictly
//! before its expiry instant (at the instant it has expired: the safer reading); a directory
//! version is publishable only when it is strictly above every stored one. The refusal order
//! (unknown, used, revoked, expired) is the one devices and tests have always been answered in.

use crate::storage::{
    CodeRevocation, EnrolmentRefusal, StaleDirectory, Store, StoreError, UnknownTeam,
};
use chrono::{DateTime, Utc};
use safeshare_core::model::TeamId;

/// An enrolment code's state as stored, read by a backend inside its redeeming transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeState {
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Whether it was already redeemed.
    pub used: bool,
    /// Whether an admin revoked it.
    pub revoked: bool,
}

/// Whether the code found (`None`: no code has that hash) may be redeemed at `now`, and if not,
/// why.
pub fn redeemable(code: Option<CodeState>, now: DateTime<Utc>) -> Result<(), EnrolmentRefusal> {
    let Some(code) = code else {
        return Err(EnrolmentRefusal::Unknown);
    };
    if code.used {
        return Err(EnrolmentRefusal::Used);
    }
    if code.revoked {
        return Err(EnrolmentRefusal::Revoked);
    }
    if now >= code.expires_at {
        return Err(EnrolmentRefusal::Expired);
    }
    Ok(())
}

/// What revoking the code found (`None`: no code has that id) does: [`CodeRevocation::Revoked`]
/// means the backend marks it revoked now; any other answer writes nothing. Expiry does not
/// matter: an expired, unused code may still be revoked, so the record says an admin withdrew it.
/// A used code is refused first (revoke the device instead), then one already revoked (the first
/// revocation's time stands).
pub fn revocation(code: Option<CodeState>) -> CodeRevocation {
    match code {
        None => CodeRevocation::Unknown,
        Some(code) if code.used => CodeRevocation::AlreadyUsed,
        Some(code) if code.revoked => CodeRevocation::AlreadyRevoked,
        Some(_) => CodeRevocation::Revoked,
    }
}

/// Whether a stored code is still open at `now`, i.e. a device could still redeem it: the codes
/// a bulk revocation withdraws. Stated through [`redeemable`] so the two can never disagree,
/// at the expiry instant or anywhere else.
pub fn open_at(code: CodeState, now: DateTime<Utc>) -> bool {
    redeemable(Some(code), now).is_ok()
}

/// Whether directory version `offered` may be published over `latest` (0 when none is
/// stored): versions only go up, so devices can tell a newer directory by its number alone.
pub fn publishable(offered: u64, latest: u64) -> Result<(), StaleDirectory> {
    if offered <= latest {
        return Err(StaleDirectory { offered, latest });
    }
    Ok(())
}

/// The first of `teams` the region's directory does not know, checked before a code naming
/// them is stored. No lock is needed: teams are upserted by imports and never deleted, so a
/// team known now is known when the code is written.
pub async fn check_teams_known<S: Store>(
    store: &S,
    teams: &[TeamId],
) -> Result<Result<(), UnknownTeam>, StoreError> {
    let known = store.known_teams(teams.to_vec()).await?;
    Ok(match teams.iter().find(|t| !known.contains(t)) {
        Some(team) => Err(UnknownTeam(*team)),
        None => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_code_works_once_before_its_expiry_and_not_when_revoked() {
        let t = Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap();
        let open = CodeState {
            expires_at: t,
            used: false,
            revoked: false,
        };
        assert_eq!(redeemable(None, t), Err(EnrolmentRefusal::Unknown));
        assert_eq!(
            redeemable(Some(open), t - chrono::Duration::milliseconds(1)),
            Ok(())
        );
        assert_eq!(redeemable(Some(open), t), Err(EnrolmentRefusal::Expired));
        let used = CodeState {
            used: true,
            revoked: true,
            ..open
        };
        assert_eq!(redeemable(Some(used), t), Err(EnrolmentRefusal::Used));
        let revoked = CodeState {
            revoked: true,
            ..open
        };
        assert_eq!(redeemable(Some(revoked), t), Err(EnrolmentRefusal::Revoked));
    }

    #[test]
    fn only_an_unused_unrevoked_code_is_revoked_whatever_its_expiry() {
        let t = Utc.with_ymd_and_hms(2026, 3, 27, 16, 0, 0).unwrap();
        let open = CodeState {
            expires_at: t,
            used: false,
            revoked: false,
        };
        assert_eq!(revocation(None), CodeRevocation::Unknown);
        assert_eq!(revocation(Some(open)), CodeRevocation::Revoked);
        let used_and_revoked = CodeState {
            used: true,
            revoked: true,
            ..open
        };
        assert_eq!(
            revocation(Some(used_and_revoked)),
            CodeRevocation::AlreadyUsed
        );
        let revoked = CodeState {
            revoked: true,
            ..open
        };
        assert_eq!(revocation(Some(revoked)), CodeRevocation::AlreadyRevoked);
        // Open means redeemable: one millisecond before expiry yes, at the instant no.
        assert!(open_at(open, t - chrono::Duration::milliseconds(1)));
        assert!(!open_at(open, t));
        assert!(!open_at(revoked, t - chrono::Duration::milliseconds(1)));
    }

    #[test]
    fn directory_versions_only_go_up() {
        assert_eq!(publishable(1, 0), Ok(()));
        assert_eq!(publishable(3, 2), Ok(()));
        assert_eq!(
            publishable(2, 2),
            Err(StaleDirectory {
                offered: 2,
                latest: 2
            })
        );
        assert!(publishable(1, 2).is_err());
    }
}
