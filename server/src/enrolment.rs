//! One-time enrolment codes: made by the admin, typed by the practitioner into the phone.
//!
//! A code is 12 characters of Crockford base32 (60 random bits from ring's `SystemRandom`),
//! shown as `XXXX-XXXX-XXXX`. Only its SHA-256 is stored, so a copy of the database does not
//! reveal live codes. Reading is forgiving as Crockford intends: case, dashes and spaces are
//! ignored, `O` reads as `0` and `I`/`L` as `1`. Codes expire (default 72 hours) and work once.

use crate::storage::{CodeOrigin, NewEnrolmentCode, Store, StoreError, UnknownTeam};
use chrono::{DateTime, Duration, Utc};
use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use safeshare_core::model::{PractitionerId, TeamId};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 12;

/// How long a code works when the admin names no other time.
pub const DEFAULT_CODE_TTL_HOURS: i64 = 72;

/// The longest a code may work: 30 days. A code is a bearer secret; a longer-lived one is more
/// likely to be found in a drawer by someone else.
pub const MAX_CODE_TTL_HOURS: i64 = 30 * 24;

/// Why a code could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// A code needs at least one team.
    #[error("an enrolment code needs at least one team")]
    NoTeam,
    /// The time to live is out of range.
    #[error("the code's time to live must be between 1 and {MAX_CODE_TTL_HOURS} hours")]
    BadTtl,
    /// A team is not in the region's directory; nothing was stored.
    #[error(transparent)]
    UnknownTeam(#[from] UnknownTeam),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An issued code, to hand to the practitioner once (it is not stored in clear).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The code as shown, `XXXX-XXXX-XXXX`.
    pub code: String,
    /// The id the admin lists and revokes it by.
    pub code_id: String,
    /// Who the enrolled device will belong to.
    pub practitioner: PractitionerId,
    /// The practitioner's teams.
    pub teams: Vec<TeamId>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// The canonical form of a typed code: upper case, no separators, Crockford aliases folded.
pub fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// SHA-256 (hex) of the normalised code: the only form stored.
pub fn code_hash(code: &str) -> String {
    hex::encode(digest(&SHA256, normalise(code).as_bytes()).as_ref())
}

fn random_code() -> Result<String, IssueError> {
    let mut bytes = [0u8; CODE_LEN];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| IssueError::Random)?;
    let chars: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    Ok(format!(
        "{}-{}-{}",
        &chars[0..4],
        &chars[4..8],
        &chars[8..12]
    ))
}

/// Checks an admin's `--ttl-hours` and turns it into a duration: 1 to
/// [`MAX_CODE_TTL_HOURS`], else [`IssueError::BadTtl`] (never a panic on huge numbers).
pub fn ttl_from_hours(hours: i64) -> Result<Duration, IssueError> {
    if !(1..=MAX_CODE_TTL_HOURS).contains(&hours) {
        return Err(IssueError::BadTtl);
    }
    Duration::try_hours(hours).ok_or(IssueError::BadTtl)
}

/// Issues a code for `practitioner` (a new practitioner when `None`) in `teams`.
pub async fn issue<S: Store>(
    store: &S,
    practitioner: Option<PractitionerId>,
    teams: Vec<TeamId>,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<IssuedCode, IssueError> {
    issue_from(store, practitioner, teams, ttl, now, CodeOrigin::Admin).await
}

/// [`issue`], recording who issued it (demo codes are revoked at the next demo start).
pub async fn issue_from<S: Store>(
    store: &S,
    practitioner: Option<PractitionerId>,
    teams: Vec<TeamId>,
    ttl: Duration,
    now: DateTime<Utc>,
    origin: CodeOrigin,
) -> Result<IssuedCode, IssueError> {
    if teams.is_empty() {
        return Err(IssueError::NoTeam);
    }
    if ttl <= Duration::zero() || ttl > Duration::hours(MAX_CODE_TTL_HOURS) {
        return Err(IssueError::BadTtl);
    }
    // Before the code is made: a code for a team no device could be routed to is refused.
    crate::rules::check_teams_known(store, &teams).await??;
    let code = random_code()?;
    let practitioner = practitioner.unwrap_or_default();
    let expires_at = now.checked_add_signed(ttl).ok_or(IssueError::BadTtl)?;
    let code_id = ulid::Ulid::new();
    store
        .issue_enrolment_code(NewEnrolmentCode {
            code_hash: code_hash(&code),
            practitioner,
            teams: teams.clone(),
            issued_at: now,
            expires_at,
            code_id,
            origin,
        })
        .await?;
    Ok(IssuedCode {
        code,
        code_id: code_id.to_string(),
        practitioner,
        teams,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_read_forgivingly() {
        assert_eq!(normalise("k7qm-3xpa 9rto"), "K7QM3XPA9RT0");
        assert_eq!(code_hash("abcd-efgh-ijkl"), code_hash("ABCDEFGH1JK1"));
        assert_ne!(code_hash("ABCD-EFGH-JK00"), code_hash("ABCD-EFGH-JK01"));
    }

    #[test]
    fn codes_are_twelve_crockford_characters_in_three_groups() {
        let code = random_code().unwrap();
        assert_eq!(code.len(), 14);
        let plain = normalise(&code);
        assert_eq!(plain.len(), 12);
        assert!(plain.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(random_code().unwrap(), code);
    }
}
