//! The Transfer of care screens (issue 21 item 4): on the sending phone, the receiving teams
//! found by the family's new postcode, a preview of the transfer pack, each severity with when
//! the receiving team must acknowledge, Send, and then each transfer sent with where it stands
//! ("needs attention" with a call-now while unacknowledged, "Transferred to … on …" after); on
//! the receiving phone, the families its teams are expecting, with Take on offered only once
//! the transfer has been acknowledged with its read-back, and — when someone recorded here has
//! the child's NHS number but the identity rule cannot decide — the people to choose between,
//! each with "This is the child", and "None of these" in place of Take on.
//!
//! Owns the wording of those rows, London times, and the actions with whether each can be
//! pressed. Nothing here decides a rule:
//! - the receiving teams are the directory's search by postcode
//!   ([`crate::app::TransferHandle::receiving_teams`]) for the caseload-holding health
//!   services, the practitioner's own first, never the practitioner's own teams;
//! - each severity's due time is the acknowledgement rule's for a share sent at the screen's
//!   instant, and the least a transfer may be sent at is the transfer's own floor
//!   ([`crate::casework::transfer::transfer_severity`]): a lower severity is shown disabled
//!   with why;
//! - where a transfer stands is its record's ([`crate::casework::transfer::TransferRecord`]);
//!   the number to ring is the directory's choice at the screen's instant.
//!
//! The pack preview is what this phone holds now; the pack itself is assembled when Send runs,
//! in the same transaction as the share (so the preview can never be what is sent if the
//! record changes in between; it says so).

use super::call_words;
use super::share::{
    severity_choices, ShareAction, ShareActionKind, ShareField, ShareSeverityChoice, ShareTeamRow,
};
use super::time::london_time;
use super::visit::{person_label, sentence};
use super::Tone;
use crate::app::{AppError, ExpectedTransfer, Session, TakeOnCandidate};
use crate::casework::transfer::{transfer_severity, TransferRecord, TransferStatus};
use crate::directory::{Area, Service};
use crate::model::{Observation, PersonId, Severity, ShareId, TeamId};
use crate::rules::normalise::is_blank;
use chrono::{DateTime, NaiveDate, Utc};

/// What the sender has chosen and typed on the Transfer screen so far (kept by the shell while
/// the screen is open and passed back with each change).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferDraft {
    /// The child.
    pub child: PersonId,
    /// The family's new postcode, as typed.
    pub new_postcode: String,
    /// The new address, when known.
    pub new_address: Option<String>,
    /// When the family moves, when known.
    pub moving_on: Option<NaiveDate>,
    /// The receiving team chosen.
    pub team: Option<TeamId>,
    /// The severity chosen.
    pub severity: Option<Severity>,
    /// Why this is being transferred and what is asked of the receiving team.
    pub message: String,
    /// Health needs and long-term conditions.
    pub health_needs: String,
    /// Medication and its arrangements.
    pub medication: String,
    /// Follow-up appointments booked.
    pub follow_up_appointments: String,
}

impl TransferDraft {
    /// An empty draft for `child`.
    pub fn new(child: PersonId) -> Self {
        Self {
            child,
            new_postcode: String::new(),
            new_address: None,
            moving_on: None,
            team: None,
            severity: None,
            message: String::new(),
            health_needs: String::new(),
            medication: String::new(),
            follow_up_appointments: String::new(),
        }
    }
}

/// What the practitioner can do with a transfer (besides choosing and calling a team, which
/// are the Share screen's actions on each team row).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TransferActionKind {
    /// `Transfers.send(NewTransfer)` with the draft's values and this severity.
    Send {
        /// The child.
        child: PersonId,
        /// The receiving team (`None` only while disabled).
        team: Option<TeamId>,
        /// The severity it goes at, never below the transfer's floor.
        severity: Severity,
    },
    /// Phone the receiving team now (`Contacts.start_call(team, null, about)`).
    Call {
        /// The team.
        team: TeamId,
        /// The child.
        about: PersonId,
    },
    /// Open the incoming share to read and acknowledge it with a read-back.
    Acknowledge {
        /// The share carrying the transfer.
        share: ShareId,
    },
    /// `Transfers.take_on(share)`.
    TakeOn {
        /// The share carrying the transfer.
        share: ShareId,
    },
    /// The practitioner confirms the child is this person already recorded here:
    /// `Transfers.take_on_resolved(share, SubjectChoice::SamePerson(person))`.
    TakeOnAs {
        /// The share carrying the transfer.
        share: ShareId,
        /// The person recorded here.
        person: PersonId,
    },
    /// The practitioner says the child is none of the people recorded here:
    /// `Transfers.take_on_resolved(share, SubjectChoice::NewPerson)`.
    TakeOnAsNew {
        /// The share carrying the transfer.
        share: ShareId,
    },
    /// Open the child's record on this phone (after taking on).
    OpenChild {
        /// The child as recorded here.
        child: PersonId,
    },
}

/// One action on a Transfer screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferAction {
    /// What it does.
    pub kind: TransferActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why not; or, for a call, why this number.
    pub detail: Option<String>,
}

/// A transfer of care this phone sent for the child.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SentTransferRow {
    /// The share that carried it.
    pub share: ShareId,
    /// "Transferred to … on …" or "Transfer of care to … sent on …; not yet acknowledged".
    pub title: String,
    /// "To be acknowledged by today 14:00", "Not acknowledged: it was due …", or
    /// "Acknowledged with read-back".
    pub status: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// "Needs attention: …" while the receiving team has not acknowledged it.
    pub attention: Option<String>,
    /// Call the receiving team now, while unacknowledged.
    pub actions: Vec<TransferAction>,
}

/// The sender's Transfer of care screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferScreen {
    /// "Transfer of care".
    pub title: String,
    /// Who it is about.
    pub about: String,
    /// Above everything when the directory is sample data.
    pub directory_warning: Option<String>,
    /// "Transfers sent".
    pub sent_heading: String,
    /// Every transfer sent for the child, oldest first.
    pub sent: Vec<SentTransferRow>,
    /// The new postcode.
    pub postcode: ShareField,
    /// "Teams covering LS6".
    pub teams_heading: String,
    /// The receiving teams for the new postcode (Choose, Call).
    pub teams: Vec<ShareTeamRow>,
    /// Shown instead of the teams when there are none.
    pub teams_empty: Option<String>,
    /// "Transferring to …", once a team is chosen.
    pub chosen: Option<String>,
    /// "What the receiving team will be sent".
    pub pack_heading: String,
    /// The pack, one line each, as this phone holds the record now.
    pub pack: Vec<String>,
    /// "How serious is it?".
    pub severity_heading: String,
    /// The three severities with their due times; below the floor disabled.
    pub severities: Vec<ShareSeverityChoice>,
    /// Why, and what is asked of the receiving team.
    pub message: ShareField,
    /// Health needs.
    pub health_needs: ShareField,
    /// Medication.
    pub medication: ShareField,
    /// Follow-up appointments.
    pub follow_up_appointments: ShareField,
    /// "Send transfer to …".
    pub actions: Vec<TransferAction>,
}

/// Someone recorded on this phone under the transferred child's NHS number, offered when the
/// identity rule cannot decide alone (docs/clinical-decisions.md, "Identity on taking on a
/// share's subject").
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TakeOnCandidateRow {
    /// The person recorded here.
    pub person: PersonId,
    /// "Zebedee Quartermain, 4 weeks" as recorded here.
    pub title: String,
    /// "Differs from the transfer: date of birth" or "Same details as the transfer".
    pub differences: String,
    /// "This is the child": take the child on as this person.
    pub action: TransferAction,
}

/// A family the practitioner's teams are expecting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExpectedFamilyRow {
    /// The share that carried the transfer.
    pub share: ShareId,
    /// Who the transfer is about ("Zebedee Quartermain, born 2 Nov 2026").
    pub title: String,
    /// "From Ada Lovelace · moving to LS6 on 14 Dec 2026".
    pub from: String,
    /// "To acknowledge by …", "Acknowledged: take the child on", or "Taken on".
    pub status: String,
    /// How loudly to show it.
    pub tone: Tone,
    /// The pack, one line each.
    pub pack: Vec<String>,
    /// "Someone recorded here has this NHS number: choose who the child is", when taking on
    /// needs the practitioner's choice.
    pub candidates_heading: Option<String>,
    /// The people to choose between, each with "This is the child".
    pub candidates: Vec<TakeOnCandidateRow>,
    /// Acknowledge with read-back, Take on (enabled only after it) — or, when there are
    /// candidates, "None of these: a new record" in its place — and Open child.
    pub actions: Vec<TransferAction>,
}

/// The receiving phone's Expected families screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExpectedFamiliesScreen {
    /// "Families moving to your area".
    pub title: String,
    /// Oldest first.
    pub families: Vec<ExpectedFamilyRow>,
    /// Shown when there are none.
    pub empty: Option<String>,
}

fn date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// The services a receiving team is searched for: the caseload-holding health services, the
/// practitioner's own first (a midwife hands over to midwifery or to health visiting).
fn caseload_services(session: &Session) -> Vec<Service> {
    let directory = session.directory();
    let mut services: Vec<Service> = Vec::new();
    let own = session
        .identity()
        .team_ids()
        .into_iter()
        .filter_map(|id| directory.team(id).map(|t| t.service));
    for service in own.chain([
        Service::HealthVisiting,
        Service::Midwifery,
        Service::SchoolNursing,
    ]) {
        if matches!(
            service,
            Service::HealthVisiting | Service::Midwifery | Service::SchoolNursing
        ) && !services.contains(&service)
        {
            services.push(service);
        }
    }
    services
}

impl Session {
    /// The sender's Transfer of care screen for `draft` at the session clock's instant. Call
    /// again as the practitioner chooses and types.
    ///
    /// Errors: [`AppError::NotFound`] for a person not on this phone; [`AppError::Validation`]
    /// (`child`) for someone who is not a child.
    pub fn transfer_screen(&self, draft: &TransferDraft) -> Result<TransferScreen, AppError> {
        let now = self.now()?;
        let person = self.person(draft.child)?;
        if !person.role.is_child() {
            return Err(AppError::validation(
                "child",
                "a transfer of care is made for a child",
            ));
        }
        let directory = self.directory();
        let calendar = self.rules().calendar();
        let transfers = self.transfers();

        let sent: Vec<SentTransferRow> = transfers
            .transfers_of(draft.child)?
            .iter()
            .map(|r| self.sent_row(r, now))
            .collect();

        // The receiving teams for the new postcode.
        let (area, postcode_problem) = if is_blank(&draft.new_postcode) {
            (
                None,
                Some("Type the family's new postcode to find the receiving team.".to_owned()),
            )
        } else {
            match Area::parse(&draft.new_postcode) {
                Ok(area) => (Some(area), None),
                Err(_) => (
                    None,
                    Some("That is not a UK postcode or postcode district.".to_owned()),
                ),
            }
        };
        // The practitioner's own teams are not offered: care is not transferred to oneself.
        let own_teams = self.identity().team_ids();
        let mut teams: Vec<ShareTeamRow> = Vec::new();
        if let Some(area) = &area {
            for service in caseload_services(self) {
                for t in transfers.receiving_teams(service, area.as_str())? {
                    if own_teams.contains(&t.id) || teams.iter().any(|r| r.team == t.id) {
                        continue;
                    }
                    let words = call_words(&directory, t.id, Some(&t.name), now, calendar);
                    let chosen = draft.team == Some(t.id);
                    let organisation = directory
                        .organisation(t.organisation)
                        .map(|o| o.name.as_str())
                        .unwrap_or("Organisation not in the directory");
                    teams.push(ShareTeamRow {
                        team: t.id,
                        title: t.name.clone(),
                        subtitle: format!("{organisation} · {}", t.service.label()),
                        why: if t.covers_by_district(area) {
                            format!("Covers {}", area.as_str())
                        } else {
                            format!("Covers the {} area", area.area_letters())
                        },
                        open_words: if t.hours.is_open_at(now, calendar) {
                            "Open now"
                        } else {
                            "Closed now"
                        }
                        .to_owned(),
                        chosen,
                        actions: vec![
                            ShareAction {
                                kind: ShareActionKind::ChooseTeam { team: t.id },
                                label: if chosen { "Chosen" } else { "Choose" }.to_owned(),
                                enabled: !chosen,
                                detail: None,
                            },
                            ShareAction {
                                kind: ShareActionKind::Call {
                                    team: t.id,
                                    about: person.id,
                                },
                                label: words.label,
                                enabled: words.enabled,
                                detail: words.detail,
                            },
                        ],
                    });
                }
            }
        }
        let teams_empty = match (&area, teams.is_empty()) {
            (_, false) => None,
            (None, true) => Some("Type the new postcode to find the teams that cover it.".into()),
            (Some(area), true) => Some(format!(
                "No team in this phone's directory covers {}: find the team by name on Contacts.",
                area.as_str()
            )),
        };
        let chosen_team = draft.team.and_then(|t| directory.team(t).cloned());

        // The pack as this phone holds the record now.
        let open: Vec<Observation> = self
            .observations_about(draft.child)?
            .into_iter()
            .filter(Observation::is_open)
            .collect();
        let handle = self.team_around_child();
        let team = handle.team(draft.child)?;
        let status = handle.social_care_status(draft.child)?;
        let chronology = self.chronology_for_child(draft.child)?.len();
        let mut pack = vec![match &area {
            Some(area) => format!("New postcode: {}", area.as_str()),
            None => "New postcode: not yet given".to_owned(),
        }];
        if let Some(on) = draft.moving_on {
            pack.push(format!("Moving on {}", date(on)));
        }
        pack.push(format!("Open concerns: {}", open.len()));
        pack.extend(open.iter().map(|o| {
            format!(
                "{} · {}: {}",
                sentence(o.category.label()),
                o.severity.label(),
                o.description
            )
        }));
        pack.push(format!("Chronology summary: {chronology} entries"));
        pack.push(match &status {
            Some(s) => s.summary(),
            None => "Children's social care: no status recorded".to_owned(),
        });
        let members: Vec<String> = team
            .as_ref()
            .map(|t| t.current().map(|m| m.describe()).collect())
            .unwrap_or_default();
        pack.push(if members.is_empty() {
            "Team around the child: no one recorded".to_owned()
        } else {
            format!("Team around the child: {}", members.join("; "))
        });
        if let Some(lead) = team.as_ref().and_then(|t| t.lead_professional()) {
            pack.push(format!("Lead professional: {}", lead.describe()));
        }
        pack.push("Referrals and escalations still open: added from the record on sending".into());

        // Severities, each with the rule's due time for a transfer sent now.
        let floor = transfer_severity(None, open.iter().map(|o| o.severity));
        let effective = draft.severity.map_or(floor, |s| s.max(floor));
        let severities = severity_choices(
            self,
            now,
            person.id,
            draft.team,
            Some(effective),
            "Phone the receiving team now as well: the transfer is the written record, not the \
             alert.",
            |severity| {
                (severity < floor).then(|| {
                    if floor == Severity::Concern {
                        "A transfer of care is never sent below concern.".to_owned()
                    } else {
                        format!(
                            "An open concern is {}: the transfer cannot be less serious.",
                            floor.label()
                        )
                    }
                })
            },
        )?;

        let field = |label: &str, hint: &str, value: &str| ShareField {
            label: label.to_owned(),
            hint: hint.to_owned(),
            value: value.to_owned(),
            problem: None,
        };
        let missing = if area.is_none() {
            Some("Type the family's new postcode.")
        } else if chosen_team.is_none() {
            Some("Choose the receiving team.")
        } else if is_blank(&draft.message) {
            Some("Say why the care is transferring and what you ask of the receiving team.")
        } else if is_blank(&draft.health_needs) {
            Some("Give the health needs (\"none known\" when there are none).")
        } else if is_blank(&draft.medication) {
            Some("Give the medication (\"none known\" when there is none).")
        } else if is_blank(&draft.follow_up_appointments) {
            Some("Give the follow-up appointments (\"none known\" when there are none).")
        } else {
            None
        };
        let mut actions = vec![TransferAction {
            kind: TransferActionKind::Send {
                child: person.id,
                team: draft.team,
                severity: effective,
            },
            label: match &chosen_team {
                Some(t) => format!("Send transfer to {}", t.name),
                None => "Send transfer".to_owned(),
            },
            enabled: missing.is_none(),
            detail: Some(missing.map(str::to_owned).unwrap_or_else(|| {
                "Kept on this phone, encrypted, and sent when there is signal. Until they \
                 acknowledge it, it stays in needs attention."
                    .to_owned()
            })),
        }];
        if let (Some(t), Severity::ImmediateRisk) = (&chosen_team, effective) {
            let words = call_words(&directory, t.id, Some(&t.name), now, calendar);
            actions.push(TransferAction {
                kind: TransferActionKind::Call {
                    team: t.id,
                    about: person.id,
                },
                label: words.label,
                enabled: words.enabled,
                detail: words.detail,
            });
        }

        Ok(TransferScreen {
            title: "Transfer of care".to_owned(),
            about: person_label(&person, now),
            directory_warning: directory
                .is_fictional()
                .then(|| "SAMPLE DIRECTORY: fictional teams, not for real transfers".to_owned()),
            sent_heading: "Transfers sent".to_owned(),
            sent,
            postcode: ShareField {
                label: "The family's new postcode".to_owned(),
                hint: "The teams that cover it are listed below.".to_owned(),
                value: draft.new_postcode.clone(),
                problem: postcode_problem,
            },
            teams_heading: match &area {
                Some(area) => format!("Teams covering {}", area.as_str()),
                None => "Teams covering the new postcode".to_owned(),
            },
            teams,
            teams_empty,
            chosen: chosen_team.map(|t| format!("Transferring to {}", t.name)),
            pack_heading: "What the receiving team will be sent (read again from the record \
                           when you send)"
                .to_owned(),
            pack,
            severity_heading: "How serious is it?".to_owned(),
            severities,
            message: field(
                "Why the care is transferring, and what you ask of them",
                "Facts first; say which parts are your opinion.",
                &draft.message,
            ),
            health_needs: field(
                "Health needs and long-term conditions",
                "\"none known\" when there are none.",
                &draft.health_needs,
            ),
            medication: field(
                "Medication and its arrangements",
                "\"none known\" when there is none.",
                &draft.medication,
            ),
            follow_up_appointments: field(
                "Follow-up appointments booked",
                "\"none known\" when there are none.",
                &draft.follow_up_appointments,
            ),
            actions,
        })
    }

    /// A sent transfer's row at `now`.
    fn sent_row(&self, record: &TransferRecord, now: DateTime<Utc>) -> SentTransferRow {
        match &record.status {
            TransferStatus::Transferred { .. } => SentTransferRow {
                share: record.share,
                title: record.summary(),
                status: "Acknowledged with read-back".to_owned(),
                tone: Tone::Done,
                attention: None,
                actions: Vec::new(),
            },
            TransferStatus::AwaitingAcknowledgement => {
                let overdue = now >= record.due_at;
                let words = call_words(
                    &self.directory(),
                    record.team,
                    Some(&record.team_name),
                    now,
                    self.rules().calendar(),
                );
                SentTransferRow {
                    share: record.share,
                    title: record.summary(),
                    status: if overdue {
                        format!(
                            "Not acknowledged: it was due {}",
                            london_time(record.due_at, now)
                        )
                    } else {
                        format!("To be acknowledged by {}", london_time(record.due_at, now))
                    },
                    tone: if overdue {
                        Tone::Overdue
                    } else {
                        Tone::ActionNeeded
                    },
                    attention: Some(format!(
                        "Needs attention: {} has not acknowledged the transfer. Call them now; \
                         do not assume they have it.",
                        record.team_name
                    )),
                    actions: vec![TransferAction {
                        kind: TransferActionKind::Call {
                            team: record.team,
                            about: record.child,
                        },
                        label: words.label,
                        enabled: words.enabled,
                        detail: words.detail,
                    }],
                }
            }
        }
    }

    /// The receiving phone's Expected families screen: transfers of care sent to this
    /// practitioner's teams, oldest first, at the session clock's instant.
    pub fn expected_families_screen(&self) -> Result<ExpectedFamiliesScreen, AppError> {
        let now = self.now()?;
        let transfers = self.transfers();
        let mut families: Vec<ExpectedFamilyRow> = Vec::new();
        for e in transfers.expected()? {
            // Whether taking on needs a choice, asked now (writing nothing) so the row offers
            // it before Take on is pressed; an invalid shared NHS number is said on Take on.
            let identity = if e.taken_on.is_some() {
                Ok(Vec::new())
            } else {
                match transfers.take_on_candidates(e.share) {
                    Ok(found) => Ok(found),
                    Err(AppError::Validation { reason, .. }) => Err(reason.to_string()),
                    Err(other) => return Err(other),
                }
            };
            families.push(expected_row(&e, identity, now));
        }
        Ok(ExpectedFamiliesScreen {
            title: "Families moving to your area".to_owned(),
            empty: families.is_empty().then(|| {
                "No family is expected: transfers of care to your teams appear here.".into()
            }),
            families,
        })
    }
}

/// One expected family's row at `now`; `identity` is who the child could be here (the
/// candidates to choose between, none when no choice is needed) or why the shared identity
/// cannot be taken on.
fn expected_row(
    e: &ExpectedTransfer,
    identity: Result<Vec<TakeOnCandidate>, String>,
    now: DateTime<Utc>,
) -> ExpectedFamilyRow {
    let about = &e.about;
    let name = about
        .name
        .clone()
        .or_else(|| about.known_as.clone())
        .unwrap_or_else(|| format!("No name given ({})", about.role.name()));
    let title = match about.date_of_birth {
        Some(dob) => format!("{name}, born {}", date(dob)),
        None => name,
    };
    let mut from = format!("From {} · moving to {}", e.sender_name, e.pack.new_postcode);
    if let Some(on) = e.pack.moving_on {
        from.push_str(&format!(" on {}", date(on)));
    }
    let (status, tone) = match (e.acknowledged, e.taken_on) {
        (_, Some(_)) => ("Taken on to your caseload".to_owned(), Tone::Done),
        (true, None) => (
            "Acknowledged: take the child on to your caseload".to_owned(),
            Tone::ActionNeeded,
        ),
        (false, None) if now >= e.due_at => (
            format!(
                "Not acknowledged: it was due {}. Acknowledge it now.",
                london_time(e.due_at, now)
            ),
            Tone::Overdue,
        ),
        (false, None) => (
            format!("To acknowledge by {}", london_time(e.due_at, now)),
            if e.severity == Severity::ImmediateRisk {
                Tone::ImmediateRisk
            } else {
                Tone::DueSoon
            },
        ),
    };
    let mut pack = vec![format!("Open concerns: {}", e.observations.len())];
    pack.extend(e.pack.social_care.clone());
    pack.extend(
        e.pack
            .team_around_child
            .iter()
            .map(|m| format!("Involved: {m}")),
    );
    pack.extend(
        e.pack
            .lead_professional
            .as_ref()
            .map(|l| format!("Lead professional: {l}")),
    );
    pack.extend(e.pack.open_referrals_and_escalations.iter().cloned());
    pack.push(format!("Health needs: {}", e.pack.health_needs));
    pack.push(format!("Medication: {}", e.pack.medication));
    pack.push(format!(
        "Follow-up appointments: {}",
        e.pack.follow_up_appointments
    ));
    pack.push(format!("Chronology: {} entries", e.pack.chronology.len()));

    let can_take_on = e.acknowledged && e.taken_on.is_none();
    let not_yet = match (e.acknowledged, e.taken_on) {
        (_, Some(_)) => Some("Already taken on.".to_owned()),
        (false, None) => Some(
            "Acknowledge the transfer with your read-back first: then take the child on."
                .to_owned(),
        ),
        (true, None) => None,
    };
    let (candidates, refusal) = match identity {
        Ok(found) => (found, None),
        Err(why) => (Vec::new(), Some(why)),
    };
    let candidate_rows: Vec<TakeOnCandidateRow> = candidates
        .iter()
        .map(|c| TakeOnCandidateRow {
            person: c.person.id,
            title: person_label(&c.person, now),
            differences: if c.differences.is_empty() {
                "Same details as the transfer (more than one person here has this NHS number)"
                    .to_owned()
            } else {
                format!(
                    "Differs from the transfer: {}",
                    c.differences
                        .iter()
                        .map(|d| difference_words(d))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            action: TransferAction {
                kind: TransferActionKind::TakeOnAs {
                    share: e.share,
                    person: c.person.id,
                },
                label: "This is the child".to_owned(),
                enabled: can_take_on,
                detail: not_yet.clone(),
            },
        })
        .collect();
    let take_on = if candidate_rows.is_empty() {
        TransferAction {
            kind: TransferActionKind::TakeOn { share: e.share },
            label: "Take on to my caseload".to_owned(),
            enabled: can_take_on && refusal.is_none(),
            detail: match (&not_yet, &refusal) {
                (Some(n), _) => Some(n.clone()),
                (None, Some(why)) => Some(format!(
                    "Cannot be taken on: {why}. Phone the sending team to check the details."
                )),
                (None, None) => None,
            },
        }
    } else {
        TransferAction {
            kind: TransferActionKind::TakeOnAsNew { share: e.share },
            label: "None of these: take on as a new record".to_owned(),
            enabled: can_take_on,
            detail: Some(not_yet.clone().unwrap_or_else(|| {
                "Only when you are sure the child is none of the people listed.".to_owned()
            })),
        }
    };
    let mut actions = vec![
        TransferAction {
            kind: TransferActionKind::Acknowledge { share: e.share },
            label: "Read and acknowledge".to_owned(),
            enabled: !e.acknowledged,
            detail: e.acknowledged.then(|| "Already acknowledged.".to_owned()),
        },
        take_on,
    ];
    if let Some(child) = e.taken_on {
        actions.push(TransferAction {
            kind: TransferActionKind::OpenChild { child },
            label: "Open the child's record".to_owned(),
            enabled: true,
            detail: None,
        });
    }
    ExpectedFamilyRow {
        share: e.share,
        title,
        from,
        status,
        tone,
        pack,
        candidates_heading: (!candidate_rows.is_empty()).then(|| {
            "Someone recorded here has this NHS number: choose who the child is. Nothing is \
             attached until you do."
                .to_owned()
        }),
        candidates: candidate_rows,
        actions,
    }
}

/// A field the identity rule compared, in words.
fn difference_words(field: &str) -> &str {
    match field {
        "date_of_birth" => "date of birth",
        "expected_delivery" => "expected date of delivery",
        "role" => "who they are (child, unborn baby)",
        other => other,
    }
}
