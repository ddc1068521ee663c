//! Who may use the console and how that is proved: roles, one-time links, sessions, CSRF.
//!
//! Design in `docs/security.md` ("Console sign-in"). Invariants:
//! - every secret (link token, session id, CSRF key) is 32 bytes from ring's `SystemRandom`;
//!   only SHA-256 of a token or session id is stored;
//! - a session is valid until its absolute expiry ([`SESSION_TTL`]) and while requests come at
//!   most [`SESSION_IDLE`] apart; an expired session is deleted when next presented;
//! - a CSRF token is HMAC-SHA256(session's CSRF key, session hash), compared in constant time;
//! - [`require`] is the one gate every page and action passes, naming the role it needs.

use super::store::{ConsoleStore, LinkRefusal, SessionRow};
use crate::storage::{CorruptRow, StoreError};
use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use ring::digest::{digest, SHA256};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use std::collections::BTreeSet;

/// How long a one-time link works (issue 18: ten minutes).
pub const LINK_TTL: Duration = Duration::minutes(10);
/// Absolute lifetime of a session (a working day).
pub const SESSION_TTL: Duration = Duration::hours(8);
/// A session unused for this long is over.
pub const SESSION_IDLE: Duration = Duration::minutes(30);
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "safeshare_console";

/// A console role. Each maps to pages and actions (table in `docs/security.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Named and designated safeguarding professionals: overdue and due-soon, read only.
    Assurance,
    /// Keeps the region's contacts directory true: import and publish.
    DirectoryEditor,
    /// Trust IT: devices and enrolment codes.
    DeviceAdmin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Assurance, Role::DirectoryEditor, Role::DeviceAdmin];

    /// The name used in claims, links and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Assurance => "assurance",
            Role::DirectoryEditor => "directory_editor",
            Role::DeviceAdmin => "device_admin",
        }
    }

    /// Reads a name; `None` for anything else (unknown claim values are ignored).
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// What a person reads on the page.
    pub fn label(self) -> &'static str {
        match self {
            Role::Assurance => "Assurance",
            Role::DirectoryEditor => "Directory editor",
            Role::DeviceAdmin => "Device admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::parse(s).ok_or_else(|| {
            format!("unknown role {s:?} (assurance, directory_editor, device_admin)")
        })
    }
}

/// Roles as stored: sorted names joined by commas.
pub fn roles_to_string(roles: &BTreeSet<Role>) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Stored roles back; unknown names are dropped.
pub fn roles_from_string(text: &str) -> BTreeSet<Role> {
    text.split(',').filter_map(Role::parse).collect()
}

/// What failed while signing in or checking a session.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A link was offered that does not work.
    #[error("sign-in link refused: {0:?}")]
    Link(LinkRefusal),
    /// A sign-in with no role (nothing to show).
    #[error("no console role")]
    NoRole,
}

/// 32 random bytes, base64url without padding (43 characters).
pub fn random_token() -> Result<String, AuthError> {
    let mut bytes = [0u8; 32];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| AuthError::Random)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// SHA-256 hex of a token: what storage keeps.
pub fn token_hash(token: &str) -> String {
    hex::encode(digest(&SHA256, token.as_bytes()))
}

/// A token has the shape [`random_token`] makes; anything else is refused before storage.
pub fn token_well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Makes a one-time link token for `roles`, stored (hashed) with a 10-minute expiry.
pub async fn issue_link<S: ConsoleStore>(
    store: &S,
    roles: &BTreeSet<Role>,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    if roles.is_empty() {
        return Err(AuthError::NoRole);
    }
    let token = random_token()?;
    store
        .link_create(
            token_hash(&token),
            roles_to_string(roles),
            now,
            now + LINK_TTL,
        )
        .await?;
    Ok(token)
}

/// A signed-in person, as every handler sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 hex of the session id.
    pub hash: String,
    /// Their roles.
    pub roles: BTreeSet<Role>,
    /// Who, for the audit.
    pub actor: String,
    csrf_key: Vec<u8>,
}

impl Session {
    /// The CSRF token every form of this session carries.
    pub fn csrf_token(&self) -> String {
        csrf_for(&self.csrf_key, &self.hash)
    }

    /// Whether `token` is this session's CSRF token (constant time).
    pub fn csrf_ok(&self, token: &str) -> bool {
        csrf_verify(&self.csrf_key, &self.hash, token)
    }

    /// Whether the session holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// HMAC-SHA256(key, message), base64url.
pub fn csrf_for(key: &[u8], message: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    URL_SAFE_NO_PAD.encode(hmac::sign(&key, message.as_bytes()).as_ref())
}

/// Whether `token` is [`csrf_for`]`(key, message)`, checked by ring in constant time.
pub fn csrf_verify(key: &[u8], message: &str, token: &str) -> bool {
    let Ok(tag) = URL_SAFE_NO_PAD.decode(token) else {
        return false;
    };
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    hmac::verify(&key, message.as_bytes(), &tag).is_ok()
}

/// Starts a session for `roles`: returns the cookie value (the session id, shown once).
pub async fn start_session<S: ConsoleStore>(
    store: &S,
    roles: &BTreeSet<Role>,
    actor: String,
    now: DateTime<Utc>,
) -> Result<String, AuthError> {
    if roles.is_empty() {
        return Err(AuthError::NoRole);
    }
    let id = random_token()?;
    let mut key = [0u8; 32];
    SystemRandom::new()
        .fill(&mut key)
        .map_err(|_| AuthError::Random)?;
    store
        .session_create(
            SessionRow {
                session_hash: token_hash(&id),
                roles: roles_to_string(roles),
                actor,
                csrf_key: hex::encode(key),
                expires_at: now + SESSION_TTL,
                last_seen: now,
            },
            now,
        )
        .await?;
    Ok(id)
}

/// The session cookie's value, if the request has one of the right shape.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE).filter(|v| token_well_formed(v))
}

/// A named cookie from the `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The session the request's cookie names, if it is live; an expired one is deleted.
pub async fn current_session<S: ConsoleStore>(
    store: &S,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Option<Session>, AuthError> {
    let Some(id) = session_cookie(headers) else {
        return Ok(None);
    };
    let hash = token_hash(&id);
    let Some(row) = store.session_touch(hash.clone(), now).await? else {
        return Ok(None);
    };
    if row.expires_at <= now || now - row.last_seen > SESSION_IDLE {
        store.session_end(hash).await?;
        return Ok(None);
    }
    let roles = roles_from_string(&row.roles);
    if roles.is_empty() {
        return Ok(None);
    }
    let csrf_key =
        hex::decode(&row.csrf_key).map_err(|_| StoreError::Corrupt(CorruptRow::CsrfKey))?;
    Ok(Some(Session {
        hash,
        roles,
        actor: row.actor,
        csrf_key,
    }))
}

/// The gate: `Ok` if the session holds `role`.
pub fn require(session: &Session, role: Role) -> Result<(), Forbidden> {
    if session.has(role) {
        Ok(())
    } else {
        Err(Forbidden)
    }
}

/// The session lacks the role a page or action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_unknown_names_are_dropped() {
        let roles: BTreeSet<Role> = Role::ALL.into_iter().collect();
        assert_eq!(roles_from_string(&roles_to_string(&roles)), roles);
        assert_eq!(
            roles_from_string("admin,assurance,root"),
            BTreeSet::from([Role::Assurance])
        );
    }

    #[test]
    fn tokens_are_43_url_safe_characters_and_hash_to_hex() {
        let t = random_token().unwrap();
        assert!(token_well_formed(&t));
        assert!(!token_well_formed("short"));
        assert!(!token_well_formed(&format!("{}!", &t[..42])));
        assert_eq!(token_hash(&t).len(), 64);
    }

    #[test]
    fn csrf_token_verifies_only_for_its_own_session() {
        let s = Session {
            hash: "a".repeat(64),
            roles: BTreeSet::from([Role::Assurance]),
            actor: "t".into(),
            csrf_key: vec![7; 32],
        };
        let other = Session {
            hash: "b".repeat(64),
            ..s.clone()
        };
        assert!(s.csrf_ok(&s.csrf_token()));
        assert!(!s.csrf_ok(&other.csrf_token()));
        assert!(!s.csrf_ok(""));
        assert!(!s.csrf_ok("not base64!"));
    }
}
