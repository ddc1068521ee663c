//! The Share screen: share what was recorded about a child with a team, choosing the team (the
//! involved teams not yet told first, then the teams the directory has for the child's
//! postcode), how serious it is, and seeing, for each severity, by when the team must
//! acknowledge it.
//!
//! Owns the wording of the teams offered, the severity choices with their acknowledgement due
//! times in London time, the message field, and "Send" and "Call" with whether each can be
//! pressed. Nothing here decides a rule:
//! - the due time of each severity is the acknowledgement rule's
//!   ([`crate::rules::acknowledgement::Share::acknowledgement_due`], with the session's working
//!   time and policy), asked for a share sent at the screen's instant;
//! - the least serious a share may be is sharing's own floor ([`crate::app::severity_floor`]):
//!   a severity below it is shown disabled with why, where sharing would raise it silently;
//! - the teams not yet told are the team around the child's
//!   ([`crate::casework::team_around_child::TellingState::suggested_teams`]);
//! - the teams for a postcode are the directory's search ([`crate::directory::Directory::find`]), service by
//!   service; the number to ring is the directory's choice at the screen's instant.
//!
//! The postcode is the one typed, else read from the end of the child's (or the family's)
//! address when it is written there in full ("… Leeds LS6 2AB"): a partial or missing postcode
//! asks the practitioner to type it, rather than guessing a district.

use super::call_words;
use super::time::london_time;
use super::visit::{person_label, sentence};
use crate::app::{severity_floor, AppError, Session};
use crate::directory::{Area, Service};
use crate::model::{
    Household, Observation, ObservationId, Person, PersonId, Severity, ShareId, TeamId,
    VoiceNoteId, VoiceOfChild,
};
use crate::rules::acknowledgement::{send_advice, SendAdvice, Share};
use crate::rules::normalise::is_blank;
use crate::store::StoredRecord;
use chrono::{DateTime, Utc};

/// What the practitioner has chosen and typed on the Share screen so far. The shell keeps it
/// while the screen is open (starting from a `ShareConcern` action's records) and passes it
/// back with each change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareDraft {
    /// Who the records are about.
    pub about: PersonId,
    /// The observations to share.
    pub observations: Vec<ObservationId>,
    /// The voice-of-the-child notes to share.
    pub voice_notes: Vec<VoiceNoteId>,
    /// The postcode typed; `None` reads it from the address.
    pub postcode: Option<String>,
    /// The team chosen.
    pub team: Option<TeamId>,
    /// The severity chosen.
    pub severity: Option<Severity>,
    /// Why you are sharing and what you ask of the team, as typed.
    pub message: String,
}

/// What the practitioner can do on the Share screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ShareActionKind {
    /// Put this team in the draft.
    ChooseTeam {
        /// The team.
        team: TeamId,
    },
    /// Send: `Shares.share_with_team(about, observations, voice_notes, ShareRequest(team,
    /// message, severity))` with the draft's values.
    Send {
        /// The team it goes to (`None` only while disabled: no team chosen yet).
        team: Option<TeamId>,
        /// The severity it is sent at, never below what it carries (`None` only while
        /// disabled: nothing chosen and nothing carried).
        severity: Option<Severity>,
    },
    /// Phone the team (`Contacts.start_call(team, null, about)`: logs it and returns the number
    /// chosen again for that instant).
    Call {
        /// The team.
        team: TeamId,
        /// The child, so the call joins their chronology.
        about: PersonId,
    },
}

/// One action on the Share screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareAction {
    /// What it does.
    pub kind: ShareActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// Why not; or, for a call, why this number.
    pub detail: Option<String>,
}

/// A team offered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareTeamRow {
    /// The team.
    pub team: TeamId,
    /// Its name.
    pub title: String,
    /// "Fictional East Trust · health visiting".
    pub subtitle: String,
    /// Why it is offered: "Involved: health visitor (East health visiting); not yet told", or
    /// "Covers LS6".
    pub why: String,
    /// "Open now" or "Closed now".
    pub open_words: String,
    /// Whether the draft has it.
    pub chosen: bool,
    /// "Choose" and "Call".
    pub actions: Vec<ShareAction>,
}

/// One severity to choose, with when the team must acknowledge a share of it sent now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareSeverityChoice {
    /// The severity.
    pub severity: Severity,
    /// "Concern".
    pub label: String,
    /// "To be acknowledged by Mon 30 Nov 13:00" (London time, from the acknowledgement rule).
    pub due: String,
    /// The due instant, for accessibility and ordering only; show `due`.
    pub due_at: DateTime<Utc>,
    /// For immediate risk: phone now, not only send.
    pub advice: Option<String>,
    /// Whether the share will go at this severity.
    pub selected: bool,
    /// Whether it can be chosen (not below what the share carries).
    pub enabled: bool,
    /// Why not.
    pub detail: Option<String>,
}

/// A text field on the Share screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareField {
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// What it holds.
    pub value: String,
    /// What is wrong with it, if anything.
    pub problem: Option<String>,
}

/// The Share screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareScreen {
    /// "Share this concern".
    pub title: String,
    /// Who it is about.
    pub about: String,
    /// What will be shared, one line each.
    pub carrying: Vec<String>,
    /// Above everything when the directory is sample data.
    pub directory_warning: Option<String>,
    /// When this phone has not checked its clock with the server: the due times may be out.
    pub clock_warning: Option<String>,
    /// "Involved with the child, not yet told".
    pub suggested_heading: String,
    /// The involved directory teams not yet sent these concerns.
    pub suggested: Vec<ShareTeamRow>,
    /// The postcode the teams below are found for.
    pub postcode: ShareField,
    /// "Teams covering LS6".
    pub found_heading: String,
    /// The teams the directory has for the postcode, service by service, district first.
    pub found: Vec<ShareTeamRow>,
    /// Shown instead of the teams found when there are none.
    pub found_empty: Option<String>,
    /// "Sharing with East health visiting", once a team is chosen.
    pub chosen: Option<String>,
    /// "How serious is it?".
    pub severity_heading: String,
    /// The three severities, each with its acknowledgement due time.
    pub severities: Vec<ShareSeverityChoice>,
    /// Why you are sharing and what you ask of the team.
    pub message: ShareField,
    /// "Send" (and "Call" the chosen team for immediate risk).
    pub actions: Vec<ShareAction>,
}

/// The services searched for a postcode, in the order a midwife or health visitor shares with
/// them: health colleagues first, then social care, then the rest. Every service is named (see
/// [`service_is_listed`]).
const SERVICES: [Service; 10] = [
    Service::HealthVisiting,
    Service::Midwifery,
    Service::SchoolNursing,
    Service::GpPractice,
    Service::ChildrensSocialCareFrontDoor,
    Service::EmergencyDutyTeam,
    Service::SafeguardingTeam,
    Service::AcuteWard,
    Service::AdultSocialCare,
    Service::Other,
];

/// Names every service, so a new one fails to compile here until it is placed in [`SERVICES`].
#[allow(dead_code)]
fn service_is_listed(service: Service) -> bool {
    match service {
        Service::HealthVisiting
        | Service::Midwifery
        | Service::SchoolNursing
        | Service::GpPractice
        | Service::ChildrensSocialCareFrontDoor
        | Service::EmergencyDutyTeam
        | Service::SafeguardingTeam
        | Service::AcuteWard
        | Service::AdultSocialCare
        | Service::Other => true,
    }
}

/// The postcode at the end of an address, only when written in full (outward code, then an
/// inward code of a digit and two letters): "1 Fictional Row, Leeds LS6 2AB" gives LS6.
fn postcode_in(address: &str) -> Option<Area> {
    let words: Vec<&str> = address
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let inward = words.last()?;
    let mut chars = inward.chars();
    let shaped = inward.len() == 3
        && chars.next().is_some_and(|c| c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_alphabetic());
    if !shaped || words.len() < 2 {
        return None;
    }
    Area::parse(&format!("{} {inward}", words[words.len() - 2])).ok()
}

impl Session {
    /// The Share screen for `draft` at the session clock's instant. Call again as the
    /// practitioner chooses and types.
    ///
    /// Errors: [`AppError::NotFound`] for a person or record not on this phone;
    /// [`AppError::Validation`] (`observations`, `voice_notes`) for a record about someone else.
    pub fn share_screen(&self, draft: &ShareDraft) -> Result<ShareScreen, AppError> {
        let now = self.now()?;
        let actor = self.actor();
        let (person, household, observations, voices) = self.with_store(|store| {
            store.write(actor, |tx| {
                let person = tx.get::<Person>(Person::KIND, draft.about)?.body;
                let household = tx.get::<Household>(Household::KIND, person.household)?.body;
                let mut observations = Vec::new();
                for id in &draft.observations {
                    let o = tx.get::<Observation>(Observation::KIND, id)?.body;
                    if o.about != draft.about {
                        return Err(AppError::validation(
                            "observations",
                            "an observation shared is about someone else",
                        ));
                    }
                    observations.push(o);
                }
                let mut voices = Vec::new();
                for id in &draft.voice_notes {
                    let v = tx.get::<VoiceOfChild>(VoiceOfChild::KIND, id)?.body;
                    if v.child != draft.about {
                        return Err(AppError::validation(
                            "voice_notes",
                            "a voice note shared is about another child",
                        ));
                    }
                    voices.push(v);
                }
                Ok((person, household, observations, voices))
            })
        })?;
        let directory = self.directory();
        let calendar = self.rules().calendar();
        let team_around = self.team_around_child();

        // The involved teams not yet told about any concern carried, each once, in the team
        // around the child's order.
        let mut suggested_ids: Vec<(TeamId, String)> = Vec::new();
        for o in &observations {
            let state = team_around.telling_state(o.id)?;
            for team in state.suggested_teams() {
                if suggested_ids.iter().any(|(t, _)| *t == team) {
                    continue;
                }
                let who: Vec<String> = state
                    .not_told
                    .iter()
                    .filter(|m| m.team() == Some(team))
                    .map(|m| m.describe())
                    .collect();
                suggested_ids.push((team, format!("Involved: {}; not yet told", who.join("; "))));
            }
        }

        // The postcode: typed, else from the address written in full.
        let (postcode_value, area, postcode_problem) = match &draft.postcode {
            Some(typed) if !is_blank(typed) => match Area::parse(typed) {
                Ok(area) => (typed.clone(), Some(area), None),
                Err(_) => (
                    typed.clone(),
                    None,
                    Some("That is not a UK postcode or postcode district.".to_owned()),
                ),
            },
            _ => {
                let found = person
                    .address
                    .as_deref()
                    .and_then(postcode_in)
                    .or_else(|| household.address.as_deref().and_then(postcode_in));
                match found {
                    Some(area) => (area.as_str().to_owned(), Some(area), None),
                    None => (
                        String::new(),
                        None,
                        Some(
                            "No full postcode in the address: type the child's postcode."
                                .to_owned(),
                        ),
                    ),
                }
            }
        };

        let row = |team: TeamId, why: String| -> Option<ShareTeamRow> {
            let t = directory.team(team)?;
            let words = call_words(&directory, team, Some(&t.name), now, calendar);
            let organisation = directory
                .organisation(t.organisation)
                .map(|o| o.name.as_str())
                .unwrap_or("Organisation not in the directory");
            let chosen = draft.team == Some(team);
            Some(ShareTeamRow {
                team,
                title: t.name.clone(),
                subtitle: format!("{organisation} · {}", t.service.label()),
                why,
                open_words: if t.hours.is_open_at(now, calendar) {
                    "Open now"
                } else {
                    "Closed now"
                }
                .to_owned(),
                chosen,
                actions: vec![
                    ShareAction {
                        kind: ShareActionKind::ChooseTeam { team },
                        label: if chosen { "Chosen" } else { "Choose" }.to_owned(),
                        enabled: !chosen,
                        detail: None,
                    },
                    ShareAction {
                        kind: ShareActionKind::Call {
                            team,
                            about: person.id,
                        },
                        label: words.label,
                        enabled: words.enabled,
                        detail: words.detail,
                    },
                ],
            })
        };
        let suggested: Vec<ShareTeamRow> = suggested_ids
            .iter()
            .filter_map(|(team, why)| row(*team, why.clone()))
            .collect();
        let found: Vec<ShareTeamRow> = match &area {
            Some(area) => SERVICES
                .iter()
                .flat_map(|service| directory.find(*service, area))
                .filter(|t| !suggested_ids.iter().any(|(s, _)| *s == t.id))
                .filter_map(|t| {
                    let why = if t.covers_by_district(area) {
                        format!("Covers {}", area.as_str())
                    } else {
                        format!("Covers the {} area", area.area_letters())
                    };
                    row(t.id, why)
                })
                .collect(),
            None => Vec::new(),
        };
        let found_empty = match (&area, found.is_empty()) {
            (_, false) => None,
            (None, true) => Some("Type a postcode to find the teams that cover it.".to_owned()),
            (Some(area), true) => Some(format!(
                "No team in this phone's directory covers {}: find the team by name on Contacts.",
                area.as_str()
            )),
        };
        let chosen_team = draft.team.map(|t| (t, directory.team(t)));

        // Severities, each with the rule's due time for a share sent now.
        let floor = severity_floor(observations.iter().map(|o| o.severity), voices.len());
        let effective = match (draft.severity, floor) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let severities = severity_choices(
            self,
            now,
            person.id,
            draft.team,
            effective,
            "Phone the team now as well: the share is the written record, not the alert.",
            |severity| {
                floor.filter(|f| severity < *f).map(|f| {
                    format!(
                        "What you are sharing was recorded as {}: the share cannot be less \
                         serious.",
                        f.label()
                    )
                })
            },
        )?;

        // "Send", and for immediate risk "Call" the chosen team beside it.
        let missing = match (&chosen_team, effective) {
            (None, _) => Some("Choose the team to share with.".to_owned()),
            (Some((_, None)), _) => {
                Some("That team is not in this phone's directory: choose another.".to_owned())
            }
            (Some(_), None) => Some("Choose how serious it is.".to_owned()),
            (Some(_), Some(_)) if is_blank(&draft.message) => {
                Some("Say why you are sharing and what you ask of the team.".to_owned())
            }
            (Some(_), Some(_)) => crate::app::message_over_limit(&draft.message).map(|length| {
                format!(
                    "The message is too long to send: {length} characters, and at most {} \
                     can be sent. Shorten it.",
                    crate::model::MAX_FREE_TEXT_CHARS
                )
            }),
        };
        let mut actions = vec![ShareAction {
            kind: ShareActionKind::Send {
                team: draft.team,
                severity: effective,
            },
            label: match chosen_team {
                Some((_, Some(t))) => format!("Send to {}", t.name),
                _ => "Send".to_owned(),
            },
            enabled: missing.is_none(),
            detail: missing.or_else(|| {
                Some("Kept on this phone, encrypted, and sent when there is signal.".to_owned())
            }),
        }];
        if let (Some((team, Some(t))), Some(Severity::ImmediateRisk)) = (&chosen_team, effective) {
            let words = call_words(&directory, *team, Some(&t.name), now, calendar);
            actions.push(ShareAction {
                kind: ShareActionKind::Call {
                    team: *team,
                    about: person.id,
                },
                label: words.label,
                enabled: words.enabled,
                detail: words.detail,
            });
        }

        let carrying: Vec<String> = observations
            .iter()
            .map(|o| {
                format!(
                    "{} · {}: {}",
                    sentence(o.category.label()),
                    o.severity.label(),
                    o.description
                )
            })
            .chain(voices.iter().map(|v| {
                format!(
                    "Voice of the child ({}): {}",
                    v.child_age.describe(),
                    v.words
                )
            }))
            .collect();

        Ok(ShareScreen {
            title: "Share this concern".to_owned(),
            about: person_label(&person, now),
            carrying,
            directory_warning: directory
                .is_fictional()
                .then(|| "SAMPLE DIRECTORY: fictional teams, not for real shares".to_owned()),
            clock_warning: (!self.clock_verified()).then(|| {
                "This phone has not checked its clock with the server yet: the times below may \
                 be out."
                    .to_owned()
            }),
            suggested_heading: "Involved with the child, not yet told".to_owned(),
            suggested,
            postcode: ShareField {
                label: "Child's postcode".to_owned(),
                hint: "The teams that cover it are listed below.".to_owned(),
                value: postcode_value,
                problem: postcode_problem,
            },
            found_heading: match &area {
                Some(area) => format!("Teams covering {}", area.as_str()),
                None => "Teams covering the child's postcode".to_owned(),
            },
            found,
            found_empty,
            chosen: match chosen_team {
                Some((_, Some(t))) => Some(format!("Sharing with {}", t.name)),
                _ => None,
            },
            severity_heading: "How serious is it?".to_owned(),
            severities,
            message: ShareField {
                label: "Why you are sharing, and what you ask of them".to_owned(),
                hint: "Facts first; say which parts are your opinion.".to_owned(),
                value: draft.message.clone(),
                problem: None,
            },
            actions,
        })
    }
}

/// The three severities, each with the acknowledgement rule's due time for a share sent at
/// `now` (the screen's instant), as the Share and Transfer of care screens offer them.
/// `selected` is the severity the share will go at; `below_floor` says why a severity cannot be
/// chosen (`None` when it can); immediate risk carries `phone_advice` (the rule's "phone now
/// and send"). One function, so the two screens cannot drift in how a due time is worked out.
pub(super) fn severity_choices(
    session: &Session,
    now: DateTime<Utc>,
    about: PersonId,
    team: Option<TeamId>,
    selected: Option<Severity>,
    phone_advice: &str,
    below_floor: impl Fn(Severity) -> Option<String>,
) -> Result<Vec<ShareSeverityChoice>, AppError> {
    let policy = &session.config().attention.acknowledgement;
    [
        Severity::LowLevelConcern,
        Severity::Concern,
        Severity::ImmediateRisk,
    ]
    .into_iter()
    .map(|severity| {
        let hypothetical = Share {
            id: ShareId::new(),
            about,
            sender: session.actor(),
            // The team does not change the due time; any id will do when none is chosen.
            team: team.unwrap_or_default(),
            team_name: String::new(),
            severity,
            sent_at: now,
        };
        let due_at = hypothetical.acknowledgement_due(session.rules(), policy)?;
        let detail = below_floor(severity);
        Ok(ShareSeverityChoice {
            severity,
            label: sentence(severity.label()),
            due: format!("To be acknowledged by {}", london_time(due_at, now)),
            due_at,
            advice: match send_advice(severity) {
                SendAdvice::PhoneNowAndSend => Some(phone_advice.to_owned()),
                SendAdvice::Send => None,
            },
            selected: selected == Some(severity),
            enabled: detail.is_none(),
            detail,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postcode_is_read_from_the_end_of_an_address_only_when_written_in_full() {
        assert_eq!(
            postcode_in("1 Fictional Row, Leeds LS6 2AB").map(|a| a.as_str().to_owned()),
            Some("LS6".to_owned())
        );
        assert_eq!(
            postcode_in("Flat 2, 10 High St, London,SW1A 2AA").map(|a| a.as_str().to_owned()),
            Some("SW1A".to_owned())
        );
        assert_eq!(postcode_in("1 Fictional Row, Leeds"), None);
        assert_eq!(postcode_in("1 Fictional Row, Leeds LS6"), None);
        assert_eq!(postcode_in(""), None);
    }
}
