//! "Needs attention now", the number to ring, and the call log.
//!
//! [`Session::needs_attention_now`] assembles the rules' [`Caseload`] from the store at the
//! clock's instant (referrals, escalation ladders, shares sent and received, outstanding pattern
//! alerts about the children on this device) and hands it to
//! [`crate::rules::attention::needs_attention_now`]. Every item that asks the practitioner to
//! phone a team carries the directory's choice of number for that same instant
//! ([`crate::directory::choose_number`]), so the shell shows one button that dials.
//!
//! The records are reached through the store's open-items index (`crate::store` `open_items`):
//! only shares, referrals and escalation ladders whose window holds the instant, and only the
//! children who may have pattern alerts (their alerts opened from a sealed summary once worked
//! out), are decrypted. Each window comes from the rule's own `*_listed_from` answer, and the
//! records reach the rule in the order a full list gives them, so the answer is the full
//! scan's (kept as the test oracle, [`Session::needs_attention_by_full_scan`]). The practitioner,
//! teams and settings the windows were worked out with are kept; a session that differs works
//! them all out again.
//!
//! A share whose escalation was closed by a logged call that reached the team (spoke, with a
//! read-back: [`crate::directory::call_closing_escalation`]) no longer produces "call now".
//!
//! Checklists have no due times in their templates, so no checklist item is put in the list
//! here; open required items are shown on the checklist itself and refuse completion.

use super::records::{
    self, ShareDirection, StoredCall, StoredEscalation, StoredReferral, StoredShare,
};
use super::review::outstanding_alerts;
use super::{AppError, Session, StorageFault};
use crate::casework::decision::DecisionRecord;
use crate::casework::transfer::TransferRecord;
use crate::clock::FixedClock;
use crate::directory::{
    call_closing_escalation, choose_number, CallDecisionToShare, CallLog, CallLogId,
    CallOutcomeInput, CallTarget,
};
use crate::model::{Person, PersonId, PersonRole, ReferralId, ShareId, TeamId};
use crate::rules::acknowledgement::ShareRecord;
use crate::rules::attention::{self, AttentionItem, AttentionKind, Caseload, UnreadableShare};
use crate::rules::attention::{AttentionSettings, ListedFrom};
use crate::rules::escalation::EscalationLadder;
use crate::rules::patterns::{PatternAlert, PatternThresholds};
use crate::rules::referral::ReferralRecord;
use crate::rules::working_time::WorkingTime;
use crate::store::StoredRecord;
use crate::store::{Corruption, ShowWindow, StoreError};
use crate::store::{ListFilter, Record, WriteTx};
use crate::sync::EnvelopeKind;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::bodies::{self, CallRecordBody, BODY_VERSION};
use super::shares::EnvelopeSpec;

/// How "needs attention now" (and Today's visits) reach the store's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AlertScan {
    /// Only what the open-items index says can be listed (`crate::store` `open_items`):
    /// the people who may have alerts and the records whose window holds the instant.
    Indexed,
    /// Every person, share, referral, ladder and visit on the device (the test oracle).
    Full,
}

/// The pattern thresholds the open-items index was worked out with (a sealed state value;
/// when the session's differ, every person is worked out again).
const INDEX_THRESHOLDS: &str = "open_items.pattern_thresholds";

/// Outstanding alerts about the children the open-items index names, and those children.
/// Equal to [`full_scan_alerts`]: a person without a row has no outstanding alert, a person
/// whose alerts were worked out with nothing written about them since still has those (see
/// the `open_items` module for why), and the candidates come in the order of a person list.
fn indexed_alerts(
    tx: &mut WriteTx<'_>,
    thresholds: &PatternThresholds,
    actor: crate::model::PractitionerId,
) -> Result<(Vec<PatternAlert>, Vec<PersonId>), AppError> {
    if tx
        .get_state::<PatternThresholds>(INDEX_THRESHOLDS)?
        .as_ref()
        != Some(thresholds)
    {
        tx.mark_all_pattern_alerts_stale()?;
        tx.put_state(INDEX_THRESHOLDS, thresholds)?;
    }
    tx.prune_pattern_alert_rows()?;
    let mut alerts = Vec::new();
    let mut children = Vec::new();
    for candidate in tx.pattern_alert_candidates::<PatternAlert>()? {
        if let Some(cached) = candidate.alerts {
            // Only a child's alerts are kept, and a change of role is a write (so stale).
            let child = PersonId::from_str(&candidate.person)
                .map_err(|_| StoreError::Corrupt(Corruption::OpenItemPerson))?;
            children.push(child);
            alerts.extend(cached);
            continue;
        }
        let person: Person = tx.get::<Person>(Person::KIND, &candidate.person)?.body;
        let found = if is_child(&person) {
            let found = outstanding_alerts(tx, &person, thresholds, actor)?;
            children.push(person.id);
            found
        } else {
            Vec::new()
        };
        // After `outstanding_alerts`, whose "shown" records marked the person stale again.
        tx.set_pattern_alerts_found(&candidate.person, &found)?;
        alerts.extend(found);
    }
    Ok((alerts, children))
}

/// What the due-item windows were worked out with: a change of any of it marks them all
/// stale (a sealed state value, compared on each reading).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DueBasis {
    practitioner: crate::model::PractitionerId,
    teams: Vec<TeamId>,
    attention: AttentionSettings,
    working_time: WorkingTime,
}

/// The state value holding the [`DueBasis`] the `due_items` windows were worked out with.
const DUE_BASIS: &str = "due_items.basis";

/// A rule's answer as the window the index keeps.
pub(crate) fn show_window(listed: ListedFrom) -> Option<ShowWindow> {
    match listed {
        ListedFrom::Never => None,
        ListedFrom::Always => Some(ShowWindow::ALWAYS),
        ListedFrom::From(from) => Some(ShowWindow {
            from: Some(from),
            until: None,
        }),
    }
}

/// An outgoing share whose team was reached by phone with a read-back, not yet acknowledged
/// in the app: no more "call now" for it. Once the team also acknowledges in the app, its
/// read-back is checked like any other.
fn settled_by_call(share: &StoredShare) -> bool {
    share.direction == ShareDirection::Outgoing
        && share.reached_by_call.is_some()
        && share.record.acknowledgement.is_none()
}

/// Who each referral read is about.
pub(crate) type ReferralChildren = Vec<(ReferralId, PersonId)>;

/// What "needs attention now" reads from the store for one refresh.
struct AttentionRecords {
    referrals: Vec<ReferralRecord>,
    ladders: Vec<EscalationLadder>,
    shares: Vec<ShareRecord>,
    alerts: Vec<PatternAlert>,
    children: Vec<PersonId>,
    transfers: Vec<(TransferRecord, StoredShare)>,
}

/// Outstanding alerts about every child on the device, read in full (the test oracle).
fn full_scan_alerts(
    tx: &mut WriteTx<'_>,
    thresholds: &PatternThresholds,
    actor: crate::model::PractitionerId,
) -> Result<(Vec<PatternAlert>, Vec<PersonId>), AppError> {
    let people: Vec<Person> = tx
        .list::<Person>(Person::KIND, &ListFilter::default())?
        .into_iter()
        .map(|r| r.body)
        .filter(is_child)
        .collect();
    let mut alerts = Vec::new();
    for child in &people {
        alerts.extend(outstanding_alerts(tx, child, thresholds, actor)?);
    }
    let ids: Vec<PersonId> = people.iter().map(|p| p.id).collect();
    Ok((alerts, ids))
}

fn is_child(person: &Person) -> bool {
    matches!(
        person.role,
        PersonRole::Child | PersonRole::UnbornBaby { .. }
    )
}

/// One thing needing attention, with the number to ring when it asks for a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttentionNow {
    /// The item (what, when due, why, how urgent).
    pub item: AttentionItem,
    /// For items that ask for a call: the number chosen for this instant.
    pub call: Option<CallTarget>,
    /// For items that ask for a call when no number could be chosen: why (e.g. no number
    /// known for the team). The item is still listed.
    pub call_problem: Option<String>,
}

/// A call started from the app: the log entry and the number to dial.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallStart {
    /// The call log entry (its id is needed to record the outcome).
    pub call: CallLog,
    /// The number to dial (`tel:` URI, label, why).
    pub target: CallTarget,
}

/// What recording a call's outcome did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallOutcomeReport {
    /// The call with its outcome.
    pub call: CallLog,
    /// The information-sharing record made from it, when asked for.
    pub decision_record: Option<DecisionRecord>,
    /// The overdue share whose escalation this call closed, if any.
    pub closed_share: Option<ShareId>,
}

impl Session {
    /// Everything overdue or due soon for this practitioner at the clock's instant, most
    /// urgent first; calls carry the number to ring now.
    pub fn needs_attention_now(&self) -> Result<Vec<AttentionNow>, AppError> {
        self.needs_attention_at(self.now()?)
    }

    /// [`Session::needs_attention_now`] at `now`, read once by the caller, so a screen built
    /// around the list (`crate::screens::today`) words every time against the same instant.
    pub(crate) fn needs_attention_at(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<AttentionNow>, AppError> {
        self.needs_attention_by(now, AlertScan::Indexed)
    }

    /// The test oracle: [`Session::needs_attention_now`] at `now` worked out the way it was
    /// before the open-items index, reading every person and every child's whole chronology.
    /// Kept only so tests and the Today benchmark can check the indexed answer against it and
    /// measure both; not for shells (hidden from the docs and the bindings).
    #[doc(hidden)]
    pub fn needs_attention_by_full_scan(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<AttentionNow>, AppError> {
        self.needs_attention_by(now, AlertScan::Full)
    }

    fn needs_attention_by(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        scan: AlertScan,
    ) -> Result<Vec<AttentionNow>, AppError> {
        Ok(self.attention_with_referrals(now, scan)?.0)
    }

    /// "Needs attention now" at `now`, with who each referral read is about (the Today
    /// screen's call to chase a referral joins that child's chronology).
    pub(crate) fn attention_with_referrals(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        scan: AlertScan,
    ) -> Result<(Vec<AttentionNow>, ReferralChildren), AppError> {
        let identity = self.identity();
        let thresholds = self.config().patterns;
        let practitioner = identity.practitioner;
        let mut teams = identity.team_ids();
        teams.sort();
        teams.dedup();
        let settings = self.config().attention;
        let rule = self.rules();
        // One transaction for every read (referrals, ladders, shares, alerts, transfers): one
        // commit, so one fsync of the audit rows, per refresh rather than one per list.
        let read = self.with_store(|store| {
            store.write(practitioner, |tx| {
                let all = ListFilter::default();
                let (referrals, ladders, shares) = match scan {
                    AlertScan::Full => (
                        tx.list::<StoredReferral>(StoredReferral::KIND, &all)?,
                        tx.list::<StoredEscalation>(StoredEscalation::KIND, &all)?,
                        tx.list::<StoredShare>(StoredShare::KIND, &all)?,
                    ),
                    AlertScan::Indexed => {
                        let basis = DueBasis {
                            practitioner,
                            teams: teams.clone(),
                            attention: settings,
                            working_time: rule.clone(),
                        };
                        if tx.get_state::<DueBasis>(DUE_BASIS)?.as_ref() != Some(&basis) {
                            tx.mark_all_due_items_stale()?;
                            tx.put_state(DUE_BASIS, &basis)?;
                        }
                        let referrals =
                            tx.list_due::<StoredReferral>(StoredReferral::KIND, now, |tx, r| {
                                let escalated = tx.is_live(StoredEscalation::KIND, &r.id)?;
                                Ok(show_window(attention::referral_listed_from(
                                    &r.body.record,
                                    practitioner,
                                    escalated,
                                    rule,
                                    &settings,
                                )))
                            })?;
                        let ladders = tx.list_due::<StoredEscalation>(
                            StoredEscalation::KIND,
                            now,
                            |_, r| {
                                Ok(show_window(attention::escalation_listed_from(
                                    &r.body.ladder,
                                    practitioner,
                                    rule,
                                    &settings,
                                )))
                            },
                        )?;
                        let shares =
                            tx.list_due::<StoredShare>(StoredShare::KIND, now, |_, r| {
                                if settled_by_call(&r.body) {
                                    return Ok(None);
                                }
                                Ok(show_window(attention::share_listed_from(
                                    &r.body.record,
                                    practitioner,
                                    &teams,
                                    rule,
                                    &settings,
                                )))
                            })?;
                        (referrals, ladders, shares)
                    }
                };
                let (alerts, children) = match scan {
                    AlertScan::Indexed => indexed_alerts(tx, &thresholds, practitioner)?,
                    AlertScan::Full => full_scan_alerts(tx, &thresholds, practitioner)?,
                };
                let transfers = super::transfer::pending_transfers(tx)?;
                Ok::<_, AppError>(AttentionRecords {
                    referrals: referrals.into_iter().map(|r| r.body.record).collect(),
                    ladders: ladders.into_iter().map(|r| r.body.ladder).collect(),
                    shares: shares
                        .into_iter()
                        .map(|r| r.body)
                        .filter(|s| !settled_by_call(s))
                        .map(|s| s.record)
                        .collect(),
                    alerts,
                    children,
                    transfers,
                })
            })
        })?;
        let AttentionRecords {
            referrals,
            ladders,
            shares,
            alerts,
            children,
            transfers,
        } = read;
        let referral_children: Vec<(ReferralId, PersonId)> = referrals
            .iter()
            .map(|r| (r.referral.id, r.referral.about))
            .collect();
        let unreadable_shares = self.unreadable_shares(&identity)?;
        let caseload = Caseload {
            referrals: &referrals,
            escalations: &ladders,
            shares: &shares,
            teams: &teams,
            alerts: &alerts,
            children: &children,
            checklist: &[],
            unreadable_shares: &unreadable_shares,
        };
        let mut items = attention::needs_attention_now(
            identity.practitioner,
            caseload,
            self.rules(),
            &self.config().attention,
            now,
        )?;
        super::transfer::transfer_attention(transfers, &mut items, now);
        let directory = self.directory();
        let items = items
            .into_iter()
            .map(|item| {
                let team = match &item.kind {
                    AttentionKind::CallTeamNow { team, .. }
                    | AttentionKind::CorrectReadBack { team, .. } => Some(*team),
                    AttentionKind::ChaseReferralDecision { front_door, .. } => Some(*front_door),
                    AttentionKind::IncomingShareNotReadable { sender_team, .. } => *sender_team,
                    AttentionKind::AcknowledgementDueSoon {
                        team,
                        phone_now: true,
                        ..
                    } => Some(*team),
                    _ => None,
                };
                let choice =
                    team.map(|team| choose_number(&directory, team, now, self.rules().calendar()));
                let (call, call_problem) = match choice {
                    Some(Ok(target)) => (Some(target), None),
                    Some(Err(err)) => (None, Some(AppError::from(err).to_string())),
                    None => (None, None),
                };
                AttentionNow {
                    item,
                    call,
                    call_problem,
                }
            })
            .collect();
        Ok((items, referral_children))
    }

    /// The shares to this practitioner's teams that the sync status lists as not readable on
    /// this device, from their headers (docs/security.md, "Opening").
    fn unreadable_shares(
        &self,
        identity: &super::Identity,
    ) -> Result<Vec<UnreadableShare>, AppError> {
        let status = self.sync_status()?;
        Ok(status
            .unreadable
            .iter()
            .filter_map(|item| {
                let header = item.header.as_ref()?;
                if header.kind != EnvelopeKind::Share {
                    return None;
                }
                let team = identity
                    .teams
                    .iter()
                    .find(|t| header.audience.contains(&t.id))?;
                let envelope = item.id.parse::<ulid::Ulid>().ok()?;
                Some(UnreadableShare {
                    envelope,
                    team: team.id,
                    team_name: team.name.clone(),
                    sender_team: header.sender_teams.first().copied(),
                    // The server refuses a share without a due time; should one be missing,
                    // it is due at once (the louder reading).
                    due: header.due_at.unwrap_or(header.sent_at),
                    immediate_risk: header.severity == Some(crate::model::Severity::ImmediateRisk),
                    answered: header.answered_at.is_some(),
                })
            })
            .collect())
    }

    /// The number to ring for `team` now, and why.
    pub fn call_target(&self, team: TeamId) -> Result<CallTarget, AppError> {
        Ok(choose_number(
            &self.directory(),
            team,
            self.now()?,
            self.rules().calendar(),
        )?)
    }

    /// Records the start of a call to `team` (the number chosen now), optionally chasing an
    /// overdue share of this practitioner's to that team. Returns the number to dial.
    pub fn start_call(
        &self,
        team: TeamId,
        regarding_share: Option<ShareId>,
        about: Option<PersonId>,
    ) -> Result<CallStart, AppError> {
        let target = self.call_target(team)?;
        let actor = self.actor();
        let result = self.with_store(|store| {
            store.write(actor, |tx| {
                let mut about = about;
                if let Some(share) = regarding_share {
                    let stored: StoredShare = tx.get(StoredShare::KIND, share)?.body;
                    if stored.direction != ShareDirection::Outgoing
                        || stored.record.share.team != team
                    {
                        return Err(AppError::validation(
                            "regarding_share",
                            "this call is not to the team that share went to",
                        ));
                    }
                    about = about.or(Some(stored.record.share.about));
                }
                let call =
                    CallLog::start(&target, actor, regarding_share, &FixedClock::new(tx.now()));
                records::insert(
                    tx,
                    &StoredCall {
                        call: call.clone(),
                        about,
                    },
                )?;
                Ok(CallStart {
                    call,
                    target: target.clone(),
                })
            })
        });
        // After the commit, like every other write's event.
        self.notify_if_ok(super::ChangeCause::CallStarted, result)
    }

    /// Records how a call went. With `decision_to_share`, the call also becomes an
    /// information-sharing decision record (channel phone). A call chasing an overdue share
    /// that reached the team (spoke, with a read-back) closes that share's escalation. The call
    /// record goes to the practitioner's teams as an envelope, in the same transaction.
    pub fn record_call_outcome(
        &self,
        call: CallLogId,
        input: CallOutcomeInput,
        decision_to_share: Option<CallDecisionToShare>,
    ) -> Result<CallOutcomeReport, AppError> {
        let identity = self.identity();
        let result = self.with_store(|store| {
            store.write(identity.practitioner, |tx| {
                let current: Record<StoredCall> = tx.get(StoredCall::KIND, call)?;
                let mut stored = current.body;
                stored
                    .call
                    .record_outcome(input, &FixedClock::new(tx.now()))?;
                let decision_record = decision_to_share
                    .map(|context| stored.call.decision_record(context))
                    .transpose()?;
                if let Some(decision) = &decision_record {
                    records::insert(tx, decision)?;
                }
                let mut closed_share = None;
                if let Some(share_id) = stored.call.closes_escalation_of() {
                    let share: Record<StoredShare> = tx.get(StoredShare::KIND, share_id)?;
                    let mut share_body = share.body;
                    let calls = [stored.call.clone()];
                    if share_body.reached_by_call.is_none()
                        && call_closing_escalation(&share_body.record, &calls).is_some()
                    {
                        share_body.reached_by_call = Some(stored.call.id);
                        records::amend(tx, share.version, &share_body, "team reached by phone")?;
                        closed_share = Some(share_id);
                    }
                }
                records::amend(tx, current.version, &stored, "call outcome recorded")?;
                self.enqueue(
                    tx,
                    EnvelopeSpec {
                        kind: EnvelopeKind::CallRecord,
                        entity_id: ulid::Ulid::from_string(&stored.call.id.to_string())
                            .map_err(|err| AppError::Storage(StorageFault::CallId(err)))?,
                        entity_version: 1,
                        audience: identity.team_ids(),
                        severity: None,
                        due_at: None,
                        answers: None,
                        body: bodies::encode(&CallRecordBody {
                            v: BODY_VERSION,
                            call: stored.call.clone(),
                        })?,
                    },
                )?;
                Ok(CallOutcomeReport {
                    call: stored.call,
                    decision_record,
                    closed_share,
                })
            })
        });
        self.notify_if_ok(super::ChangeCause::CallOutcomeRecorded, result)
    }

    /// Every call logged on this device, oldest first.
    pub fn calls(&self) -> Result<Vec<CallLog>, AppError> {
        self.with_store(|store| {
            Ok(store
                .list::<StoredCall>(self.actor(), StoredCall::KIND, &ListFilter::default())?
                .into_iter()
                .map(|r| r.body.call)
                .collect())
        })
    }
}
