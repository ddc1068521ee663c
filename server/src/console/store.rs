//! What the console reads and writes, over both backends: one-time links, sessions,
//! and the read-only views (devices, open shares and referrals, overdue history).
//!
//! Invariants: a link is redeemed at most once and never after its expiry (one conditional
//! UPDATE, so two browsers racing cannot both win); tokens and session ids arrive here already
//! hashed; nothing here reads an envelope's `json` — only routing columns — so no body content
//! can reach a page. The SQL lives here rather than in the `Store` trait so the console can
//! grow without touching the sync server's storage surface; the tables are in migration 0004.

use crate::storage::postgres::PgStore;
use crate::storage::sqlite::SqliteStore;
use crate::storage::{from_ms, parse_id, severity_from_name, to_ms, CorruptRow, Store, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use safeshare_core::model::{DeviceId, PractitionerId, Severity, TeamId};
use safeshare_core::sync::EnvelopeKind;
use std::future::Future;
use ulid::Ulid;

/// Why a one-time link was not accepted. The page shows the same words for all three, so a
/// guesser learns nothing; the audit records which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No such link.
    Unknown,
    /// Already used.
    Used,
    /// Past its expiry.
    Expired,
}

/// A session as stored (the id itself is never stored, only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// SHA-256 hex of the session id.
    pub session_hash: String,
    /// Role names, comma separated.
    pub roles: String,
    /// Who: `link:<hash prefix>` or `oidc:<sub>`.
    pub actor: String,
    /// Hex of the 32-byte key CSRF tokens are made with.
    pub csrf_key: String,
    /// Absolute expiry.
    pub expires_at: DateTime<Utc>,
    /// Last request (idle expiry counts from here).
    pub last_seen: DateTime<Utc>,
}

/// One audit line as the Audit page shows it (from the admin audit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (never a token).
    pub actor: String,
    /// What, e.g. `device.revoke`.
    pub action: String,
    /// Which object (an id), or empty.
    pub object: String,
}

/// A device as the Devices page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceListing {
    /// Device id.
    pub id: DeviceId,
    /// Its practitioner.
    pub practitioner: PractitionerId,
    /// The practitioner's teams.
    pub teams: Vec<TeamId>,
    /// When it enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// When the server last stored an envelope it pushed (pulls are not recorded).
    pub last_push: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was retired (handed back).
    pub retired_at: Option<DateTime<Utc>>,
}

/// A share not yet acknowledged or a referral with no decision, due by the horizon asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    /// `Share` or `Referral`.
    pub kind: EnvelopeKind,
    /// The entity.
    pub entity_id: Ulid,
    /// When the latest version was created on the device.
    pub sent_at: DateTime<Utc>,
    /// The earliest due time among its versions.
    pub due_at: DateTime<Utc>,
    /// The highest severity among its versions.
    pub severity: Option<Severity>,
    /// The teams it is addressed to.
    pub audience: Vec<TeamId>,
    /// How many escalation steps were recorded against it.
    pub escalation_steps: u32,
}

/// A due share or referral and when it was answered, for the overdue-per-day chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueSpan {
    /// When it fell due.
    pub due_at: DateTime<Utc>,
    /// When the first answer (acknowledgement or decision) was received, if any.
    pub answered_at: Option<DateTime<Utc>>,
}

/// Storage the console needs beyond the sync server's [`Store`].
pub trait ConsoleStore: Store {
    /// Stores a one-time link.
    fn link_create(
        &self,
        token_hash: String,
        roles: String,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Redeems a link once: its roles, or why not.
    fn link_redeem(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Result<String, LinkRefusal>, StoreError>> + Send;

    /// The link's roles if it could be redeemed now (the confirmation page; spends nothing).
    fn link_usable(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Result<String, LinkRefusal>, StoreError>> + Send;

    /// Stores a new session.
    fn session_create(
        &self,
        row: SessionRow,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The session, if stored; marks it seen at `now`.
    fn session_touch(
        &self,
        session_hash: String,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<SessionRow>, StoreError>> + Send;

    /// Deletes a session (sign-out or expiry).
    fn session_end(
        &self,
        session_hash: String,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every device, newest enrolment first.
    fn devices_list(&self) -> impl Future<Output = Result<Vec<DeviceListing>, StoreError>> + Send;

    /// Unanswered shares and referrals due at or before `until`, earliest due first.
    fn open_items(
        &self,
        until: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<OpenItem>, StoreError>> + Send;

    /// Every share or referral due in `[since, until]` with when it was answered.
    fn due_spans(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<DueSpan>, StoreError>> + Send;
}

/// When the first answer entitled to close `s` was received (the same rule as the overdue
/// report: [`crate::storage::CLOSED_BY_ENTITLED_ANSWER`], asked for its time instead of
/// its existence).
fn first_entitled_answer_ms() -> String {
    crate::storage::CLOSED_BY_ENTITLED_ANSWER.replacen(
        "EXISTS (SELECT 1 FROM envelopes a",
        "(SELECT MIN(a.received_at_ms) FROM envelopes a",
        1,
    )
}

fn link_refusal(used: Option<i64>, expires_ms: i64, now: DateTime<Utc>) -> Result<(), LinkRefusal> {
    if used.is_some() {
        Err(LinkRefusal::Used)
    } else if expires_ms <= to_ms(now) {
        Err(LinkRefusal::Expired)
    } else {
        Ok(())
    }
}

/// A raw open row before grouping (both backends).
struct OpenRow {
    kind: String,
    entity_id: String,
    created_ms: i64,
    due_ms: i64,
    severity: Option<String>,
    audience: Vec<String>,
    steps: i64,
}

/// Groups versions of one entity: earliest due, highest severity, latest sent, union of
/// audiences (the louder reading, as the CLI report does).
fn group_open(rows: Vec<OpenRow>) -> Result<Vec<OpenItem>, StoreError> {
    let mut items: Vec<OpenItem> = Vec::new();
    for row in rows {
        let kind =
            EnvelopeKind::from_wire(&row.kind).ok_or(StoreError::Corrupt(CorruptRow::Kind))?;
        let entity_id: Ulid = parse_id(&row.entity_id, "entity")?;
        let severity = row
            .severity
            .as_deref()
            .map(severity_from_name)
            .transpose()?;
        let audience = row
            .audience
            .iter()
            .map(|t| parse_id::<TeamId>(t, "team"))
            .collect::<Result<Vec<_>, _>>()?;
        let due_at = from_ms(row.due_ms)?;
        let sent_at = from_ms(row.created_ms)?;
        let steps = u32::try_from(row.steps).unwrap_or(u32::MAX);
        if let Some(existing) = items
            .iter_mut()
            .find(|i| i.entity_id == entity_id && i.kind == kind)
        {
            existing.due_at = existing.due_at.min(due_at);
            existing.sent_at = existing.sent_at.max(sent_at);
            existing.severity = existing.severity.max(severity);
            existing.escalation_steps = existing.escalation_steps.max(steps);
            for team in audience {
                if !existing.audience.contains(&team) {
                    existing.audience.push(team);
                }
            }
        } else {
            items.push(OpenItem {
                kind,
                entity_id,
                sent_at,
                due_at,
                severity,
                audience,
                escalation_steps: steps,
            });
        }
    }
    items.sort_by_key(|i| i.due_at);
    Ok(items)
}

fn device_listing(
    id: &str,
    practitioner: &str,
    teams: Vec<String>,
    enrolled: i64,
    last_push: Option<i64>,
    revoked: Option<i64>,
    retired: Option<i64>,
) -> Result<DeviceListing, StoreError> {
    Ok(DeviceListing {
        id: parse_id(id, "device")?,
        practitioner: parse_id(practitioner, "practitioner")?,
        teams: teams
            .iter()
            .map(|t| parse_id(t, "team"))
            .collect::<Result<_, _>>()?,
        enrolled_at: from_ms(enrolled)?,
        last_push: last_push.map(from_ms).transpose()?,
        revoked_at: revoked.map(from_ms).transpose()?,
        retired_at: retired.map(from_ms).transpose()?,
    })
}

impl ConsoleStore for SqliteStore {
    async fn link_create(
        &self,
        token_hash: String,
        roles: String,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO console_links (token_hash, roles, issued_at_ms, expires_at_ms) \
                 VALUES (?1, ?2, ?3, ?4)",
                params![token_hash, roles, to_ms(now), to_ms(expires_at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn link_redeem(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Result<String, LinkRefusal>, StoreError> {
        self.write(move |conn| {
            let roles: Option<String> = conn
                .query_row(
                    "UPDATE console_links SET used_at_ms = ?1 WHERE token_hash = ?2 \
                     AND used_at_ms IS NULL AND expires_at_ms > ?1 RETURNING roles",
                    params![to_ms(now), token_hash],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(roles) = roles {
                return Ok(Ok(roles));
            }
            let row: Option<(Option<i64>, i64)> = conn
                .query_row(
                    "SELECT used_at_ms, expires_at_ms FROM console_links WHERE token_hash = ?1",
                    [&token_hash],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            Ok(Err(match row {
                None => LinkRefusal::Unknown,
                Some((used, expires)) => match link_refusal(used, expires, now) {
                    Err(refusal) => refusal,
                    // Unreachable in one writer, but never grant on an odd path.
                    Ok(()) => LinkRefusal::Used,
                },
            }))
        })
        .await
    }

    async fn link_usable(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Result<String, LinkRefusal>, StoreError> {
        self.read(move |conn| {
            let row: Option<(Option<i64>, i64, String)> = conn
                .query_row(
                    "SELECT used_at_ms, expires_at_ms, roles FROM console_links \
                     WHERE token_hash = ?1",
                    [&token_hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            Ok(match row {
                None => Err(LinkRefusal::Unknown),
                Some((used, expires, roles)) => link_refusal(used, expires, now).map(|()| roles),
            })
        })
        .await
    }

    async fn session_create(&self, row: SessionRow, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO console_sessions (session_hash, roles, actor, csrf_key, \
                 created_at_ms, expires_at_ms, last_seen_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
                params![
                    row.session_hash,
                    row.roles,
                    row.actor,
                    row.csrf_key,
                    to_ms(now),
                    to_ms(row.expires_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn session_touch(
        &self,
        session_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRow>, StoreError> {
        // A cookie naming no session (made up, or ended) is answered from a reader: anonymous
        // requests must not queue on the one writer thread that phones' pushes wait on. A
        // live one is then read again and marked seen in one write job.
        let hash = session_hash.clone();
        let known = self
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT 1 FROM console_sessions WHERE session_hash = ?1",
                        [&hash],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some())
            })
            .await?;
        if !known {
            return Ok(None);
        }
        self.write(move |conn| {
            let row = conn
                .query_row(
                    "SELECT roles, actor, csrf_key, expires_at_ms, last_seen_ms \
                     FROM console_sessions WHERE session_hash = ?1",
                    [&session_hash],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, i64>(4)?,
                        ))
                    },
                )
                .optional()?;
            let Some((roles, actor, csrf_key, expires, last_seen)) = row else {
                return Ok(None);
            };
            conn.execute(
                "UPDATE console_sessions SET last_seen_ms = ?1 WHERE session_hash = ?2",
                params![to_ms(now), session_hash],
            )?;
            Ok(Some(SessionRow {
                session_hash,
                roles,
                actor,
                csrf_key,
                expires_at: from_ms(expires)?,
                last_seen: from_ms(last_seen)?,
            }))
        })
        .await
    }

    async fn session_end(&self, session_hash: String) -> Result<(), StoreError> {
        self.write(move |conn| {
            conn.execute(
                "DELETE FROM console_sessions WHERE session_hash = ?1",
                [&session_hash],
            )?;
            Ok(())
        })
        .await
    }

    async fn devices_list(&self) -> Result<Vec<DeviceListing>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT d.device_id, d.practitioner_id, d.enrolled_at_ms, \
                 (SELECT MAX(e.received_at_ms) FROM envelopes e WHERE e.device_id = d.device_id), \
                 d.revoked_at_ms, \
                 (SELECT group_concat(team_id, ',') FROM (SELECT team_id FROM practitioner_teams \
                   p WHERE p.practitioner_id = d.practitioner_id ORDER BY team_id)), \
                 d.retired_at_ms \
                 FROM devices d ORDER BY d.enrolled_at_ms DESC, d.device_id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<i64>>(6)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(id, p, enrolled, last, revoked, teams, retired)| {
                    let teams = teams
                        .unwrap_or_default()
                        .split(',')
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect();
                    device_listing(&id, &p, teams, enrolled, last, revoked, retired)
                })
                .collect()
        })
        .await
    }

    async fn open_items(&self, until: DateTime<Utc>) -> Result<Vec<OpenItem>, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT s.kind, s.entity_id, s.created_at_ms, s.due_at_ms, s.severity, \
                 (SELECT group_concat(team_id, ',') FROM envelope_audience a WHERE a.seq = s.seq), \
                 (SELECT COUNT(*) FROM envelopes x WHERE x.answers = s.entity_id \
                   AND x.kind = 'escalation_step') \
                 FROM envelopes s \
                 WHERE s.kind IN ('share', 'referral') AND s.due_at_ms IS NOT NULL \
                 AND s.due_at_ms <= ?1 \
                 AND NOT {} \
                 ORDER BY s.due_at_ms, s.seq",
                crate::storage::CLOSED_BY_ENTITLED_ANSWER
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt
                .query_map([to_ms(until)], |r| {
                    Ok(OpenRow {
                        kind: r.get(0)?,
                        entity_id: r.get(1)?,
                        created_ms: r.get(2)?,
                        due_ms: r.get(3)?,
                        severity: r.get(4)?,
                        audience: r
                            .get::<_, Option<String>>(5)?
                            .unwrap_or_default()
                            .split(',')
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        steps: r.get(6)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            group_open(rows)
        })
        .await
    }

    async fn due_spans(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<DueSpan>, StoreError> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT MIN(s.due_at_ms), {} \
                 FROM envelopes s WHERE s.kind IN ('share', 'referral') \
                 AND s.due_at_ms IS NOT NULL AND s.due_at_ms <= ?2 AND ?1 <= ?2 \
                 GROUP BY s.entity_id, s.kind, s.author",
                first_entitled_answer_ms()
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt
                .query_map(params![to_ms(since), to_ms(until)], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let since_ms = to_ms(since);
            rows.into_iter()
                // Answered before the window opened: never overdue inside it.
                .filter(|(_, answered)| answered.is_none_or(|a| a >= since_ms))
                .map(|(due, answered)| {
                    Ok(DueSpan {
                        due_at: from_ms(due)?,
                        answered_at: answered.map(from_ms).transpose()?,
                    })
                })
                .collect()
        })
        .await
    }
}

impl ConsoleStore for PgStore {
    async fn link_create(
        &self,
        token_hash: String,
        roles: String,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO console_links (token_hash, roles, issued_at_ms, expires_at_ms) \
                 VALUES ($1, $2, $3, $4)",
                &[&token_hash, &roles, &to_ms(now), &to_ms(expires_at)],
            )
            .await?;
        Ok(())
    }

    async fn link_redeem(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Result<String, LinkRefusal>, StoreError> {
        let client = self.client().await?;
        let won = client
            .query_opt(
                "UPDATE console_links SET used_at_ms = $1 WHERE token_hash = $2 \
                 AND used_at_ms IS NULL AND expires_at_ms > $1 RETURNING roles",
                &[&to_ms(now), &token_hash],
            )
            .await?;
        if let Some(row) = won {
            return Ok(Ok(row.get(0)));
        }
        let row = client
            .query_opt(
                "SELECT used_at_ms, expires_at_ms FROM console_links WHERE token_hash = $1",
                &[&token_hash],
            )
            .await?;
        Ok(Err(match row {
            None => LinkRefusal::Unknown,
            Some(r) => match link_refusal(r.get(0), r.get(1), now) {
                Err(refusal) => refusal,
                Ok(()) => LinkRefusal::Used,
            },
        }))
    }

    async fn link_usable(
        &self,
        token_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Result<String, LinkRefusal>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT used_at_ms, expires_at_ms, roles FROM console_links WHERE token_hash = $1",
                &[&token_hash],
            )
            .await?;
        Ok(match row {
            None => Err(LinkRefusal::Unknown),
            Some(r) => link_refusal(r.get(0), r.get(1), now).map(|()| r.get(2)),
        })
    }

    async fn session_create(&self, row: SessionRow, now: DateTime<Utc>) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO console_sessions (session_hash, roles, actor, csrf_key, \
                 created_at_ms, expires_at_ms, last_seen_ms) VALUES ($1, $2, $3, $4, $5, $6, $5)",
                &[
                    &row.session_hash,
                    &row.roles,
                    &row.actor,
                    &row.csrf_key,
                    &to_ms(now),
                    &to_ms(row.expires_at),
                ],
            )
            .await?;
        Ok(())
    }

    async fn session_touch(
        &self,
        session_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRow>, StoreError> {
        let client = self.client().await?;
        // The old last_seen is returned (the UPDATE's RETURNING sees the new one), so the
        // idle check uses the gap since the previous request.
        let row = client
            .query_opt(
                "UPDATE console_sessions c SET last_seen_ms = $1 FROM \
                 (SELECT session_hash, last_seen_ms FROM console_sessions \
                  WHERE session_hash = $2 FOR UPDATE) old \
                 WHERE c.session_hash = old.session_hash \
                 RETURNING c.roles, c.actor, c.csrf_key, c.expires_at_ms, old.last_seen_ms",
                &[&to_ms(now), &session_hash],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(SessionRow {
            session_hash,
            roles: row.get(0),
            actor: row.get(1),
            csrf_key: row.get(2),
            expires_at: from_ms(row.get(3))?,
            last_seen: from_ms(row.get(4))?,
        }))
    }

    async fn session_end(&self, session_hash: String) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "DELETE FROM console_sessions WHERE session_hash = $1",
                &[&session_hash],
            )
            .await?;
        Ok(())
    }

    async fn devices_list(&self) -> Result<Vec<DeviceListing>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT d.device_id, d.practitioner_id, d.enrolled_at_ms, \
                 (SELECT MAX(e.received_at_ms) FROM envelopes e WHERE e.device_id = d.device_id), \
                 d.revoked_at_ms, \
                 ARRAY(SELECT team_id FROM practitioner_teams p \
                       WHERE p.practitioner_id = d.practitioner_id ORDER BY team_id), \
                 d.retired_at_ms \
                 FROM devices d ORDER BY d.enrolled_at_ms DESC, d.device_id",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                device_listing(
                    r.get::<_, &str>(0),
                    r.get::<_, &str>(1),
                    r.get(5),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(6),
                )
            })
            .collect()
    }

    async fn open_items(&self, until: DateTime<Utc>) -> Result<Vec<OpenItem>, StoreError> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT s.kind, s.entity_id, s.created_at_ms, s.due_at_ms, s.severity, \
             ARRAY(SELECT a.team_id FROM envelope_audience a WHERE a.seq = s.seq ORDER BY a.team_id), \
             (SELECT COUNT(*) FROM envelopes x WHERE x.answers = s.entity_id \
               AND x.kind = 'escalation_step') \
             FROM envelopes s \
             WHERE s.kind IN ('share', 'referral') AND s.due_at_ms IS NOT NULL \
             AND s.due_at_ms <= $1 \
             AND NOT {} \
             ORDER BY s.due_at_ms, s.seq",
            crate::storage::CLOSED_BY_ENTITLED_ANSWER
        );
        let rows = client.query(&sql, &[&to_ms(until)]).await?;
        let rows = rows
            .iter()
            .map(|r| OpenRow {
                kind: r.get(0),
                entity_id: r.get(1),
                created_ms: r.get(2),
                due_ms: r.get(3),
                severity: r.get(4),
                audience: r.get(5),
                steps: r.get(6),
            })
            .collect();
        group_open(rows)
    }

    async fn due_spans(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<DueSpan>, StoreError> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT MIN(s.due_at_ms), {} \
             FROM envelopes s WHERE s.kind IN ('share', 'referral') \
             AND s.due_at_ms IS NOT NULL AND s.due_at_ms <= $1 \
             GROUP BY s.entity_id, s.kind, s.author",
            first_entitled_answer_ms()
        );
        let rows = client.query(&sql, &[&to_ms(until)]).await?;
        let since_ms = to_ms(since);
        rows.iter()
            .map(|r| (r.get::<_, i64>(0), r.get::<_, Option<i64>>(1)))
            .filter(|(_, answered)| answered.is_none_or(|a| a >= since_ms))
            .map(|(due, answered)| {
                Ok(DueSpan {
                    due_at: from_ms(due)?,
                    answered_at: answered.map(from_ms).transpose()?,
                })
            })
            .collect()
    }
}
