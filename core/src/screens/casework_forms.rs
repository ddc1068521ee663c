//! The last three casework forms (issue 17 item 3): prepare a meeting pack, record a
//! supervision session, and amend an observation.
//!
//! Owns each form's fields in the order they are shown (labels, hints, the choices offered —
//! the meeting types, the children on this phone found by name — what is required and what is
//! wrong with a value), whether Save can be pressed, and Save itself
//! ([`Session::save_casework_form`]), which builds the same form and refuses unless its Save is
//! enabled, so nothing is written from an incomplete form and what the shell shows enabled
//! cannot drift from what is accepted. One shape serves all three forms, so the bindings and
//! the shells render one kind of form. The shell keeps a [`CaseworkFormDraft`] while the form
//! is open (from [`Session::casework_form_draft`]), changes it only through
//! [`CaseworkFormDraft::with_text`] and [`CaseworkFormDraft::with_choice`], and passes it back.
//!
//! Invariants, and why:
//! - Times are typed as London wall-clock date and time and read here
//!   ([`super::time::read_london_time`]): the shells do no zone arithmetic. A time London skips
//!   (spring) is refused; one it has twice (autumn) is read as the earlier instant and the form
//!   says so, the safer reading for a meeting (its wake-up and preparation come first;
//!   docs/clinical-decisions.md, "Typed London times").
//! - Nothing is recorded here but through the session's own calls
//!   ([`Session::prepare_my_meeting_pack`], [`Session::record_supervision`],
//!   [`Session::amend_observation`]); their rules still decide. The form only shows beforehand
//!   what it can, next to the field.
//! - A meeting is at most [`MEETING_PAST_DAYS`] days past and [`AHEAD_DAYS`] days ahead, and
//!   supervision is not in the future nor more than [`AHEAD_DAYS`] days past: outside those a
//!   mistyped year is far likelier than a real date, and it would be recorded as a fact.
//! - Amending changes the text only (category, severity, evidence, time and place are kept):
//!   the reason is required, and a text unchanged from the current version is refused, since a
//!   version that changes nothing would read in the chronology as a correction ("unchanged"
//!   word for word: invisible characters and the kind of space between words read the same).
//! - A draft is the shell's and can be edited to what the form never offered: Save is disabled
//!   for an adult or a child listed twice as discussed, or an action row past the last shown,
//!   rather than recording or dropping it. What Save refuses with travels as an error, so it
//!   names no one.
//! - Children for supervision are found by typing part of a name: the whole caseload is read
//!   only while a search is typed (choosing a child clears it), never on every keystroke of
//!   another field.

use super::meeting::meeting_type_words;
use super::time::{london_time, read_london_time};
use super::visit::{person_label, sentence};
use crate::app::{AppError, ObservationCorrection, Reason, Session, SupervisionInput};
use crate::boundary::parse_date;
use crate::casework::meeting::MeetingType;
use crate::casework::supervision::{CaseDiscussed, SupervisionAction};
use crate::model::normalise::{fold_for_search, is_blank, is_invisible, is_space};
use crate::model::{
    london_date, MeetingPackId, Observation, ObservationId, Person, PersonId, MAX_FREE_TEXT_CHARS,
};
use crate::store::{ListFilter, StoredRecord};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How many days past a meeting may be when its pack is prepared: a pack is for a meeting to
/// come, but one held this last week can still be prepared to record what was shared at it.
pub const MEETING_PAST_DAYS: i64 = 7;

/// How far from now a typed time may be (a meeting ahead, a supervision session past) before
/// the year is taken to be mistyped.
pub const AHEAD_DAYS: i64 = 366;

/// The most children a search offers at once.
pub const MAX_CHILDREN_OFFERED: usize = 25;

/// The most actions one supervision record may agree here (a phone form, not a minute book).
pub const MAX_ACTIONS: u32 = 20;

/// Which form, and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CaseworkFormKind {
    /// Prepare a pack for a multi-agency meeting about the child.
    PrepareMeetingPack {
        /// The child.
        child: PersonId,
    },
    /// Record a supervision session this practitioner had.
    RecordSupervision {
        /// A child to list as discussed from the start (from a conference without oversight).
        child: Option<PersonId>,
    },
    /// Amend an observation's text, with the reason.
    AmendObservation {
        /// The observation.
        observation: ObservationId,
    },
}

/// A typed field of a casework form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CaseworkFieldKey {
    /// When the meeting is (London date and time).
    MeetingAt,
    /// Which parts of the child's care the practitioner represents.
    Represents,
    /// The supervisor's name and role.
    Supervisor,
    /// When the supervision was held (London date and time).
    HeldAt,
    /// The search for a child to add as discussed.
    CaseSearch,
    /// What was discussed and concluded about one child.
    CaseSummary {
        /// The child.
        person: PersonId,
    },
    /// An agreed action's text (from 0).
    ActionText {
        /// Its position.
        index: u32,
    },
    /// Who owns an agreed action.
    ActionOwner {
        /// Its position.
        index: u32,
    },
    /// When an agreed action is due (a date).
    ActionDue {
        /// Its position.
        index: u32,
    },
    /// The observation's corrected text.
    NewText,
    /// Why it is amended.
    Reason,
}

/// One choice to tap: pass it to [`CaseworkFormDraft::with_choice`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CaseworkChoice {
    /// The meeting's type.
    MeetingType {
        /// The type.
        meeting_type: MeetingType,
    },
    /// A child discussed: tapping adds them, tapping again takes them off.
    Case {
        /// The child.
        person: PersonId,
    },
}

/// One typed value of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseworkTypedValue {
    /// The field.
    pub key: CaseworkFieldKey,
    /// As typed.
    pub value: String,
}

/// What the practitioner has chosen and typed on a casework form so far (kept by the shell
/// while the form is open and passed back with each change).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseworkFormDraft {
    /// Which form.
    pub form: CaseworkFormKind,
    /// The typed fields that hold something.
    pub typed: Vec<CaseworkTypedValue>,
    /// The meeting type chosen (Prepare a meeting pack).
    pub meeting_type: Option<MeetingType>,
    /// The children discussed, in the order chosen (Record supervision).
    pub cases: Vec<PersonId>,
}

impl CaseworkFormDraft {
    /// An empty draft of `form` (a supervision's child from the action already chosen).
    pub fn new(form: CaseworkFormKind) -> Self {
        let cases = match &form {
            CaseworkFormKind::RecordSupervision { child: Some(child) } => vec![*child],
            _ => Vec::new(),
        };
        Self {
            form,
            typed: Vec::new(),
            meeting_type: None,
            cases,
        }
    }

    /// What is typed in `key` ("" when nothing): what the shell shows in the field.
    pub fn text(&self, key: &CaseworkFieldKey) -> &str {
        self.typed
            .iter()
            .find(|t| &t.key == key)
            .map_or("", |t| t.value.as_str())
    }

    /// The draft with `key` set to `value` as typed.
    pub fn with_text(mut self, key: CaseworkFieldKey, value: String) -> Self {
        self.typed.retain(|t| t.key != key);
        if !value.is_empty() {
            self.typed.push(CaseworkTypedValue { key, value });
        }
        self
    }

    /// The draft with `choice` tapped: a meeting type chosen, a child added or taken off (and
    /// the search cleared, so the caseload is not read again for each later keystroke).
    pub fn with_choice(mut self, choice: CaseworkChoice) -> Self {
        match choice {
            CaseworkChoice::MeetingType { meeting_type } => self.meeting_type = Some(meeting_type),
            CaseworkChoice::Case { person } => {
                if self.cases.contains(&person) {
                    self.cases.retain(|p| *p != person);
                } else {
                    self.cases.push(person);
                }
                self = self.with_text(CaseworkFieldKey::CaseSearch, String::new());
            }
        }
        self
    }
}

/// A typed field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseworkField {
    /// Which field (for [`CaseworkFormDraft::with_text`]).
    pub key: CaseworkFieldKey,
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// What it holds, as typed.
    pub value: String,
    /// For a time or a date: what core read, in words ("Thu 3 Dec 10:00"), or "Not given".
    pub shown: Option<String>,
    /// Whether Save needs it.
    pub required: bool,
    /// What is wrong with it, if anything.
    pub problem: Option<String>,
    /// Whether it takes several lines (an observation's text).
    pub multiline: bool,
}

/// One option of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseworkOption {
    /// What tapping it does.
    pub choice: CaseworkChoice,
    /// What it says.
    pub label: String,
    /// The line under it.
    pub detail: Option<String>,
    /// Whether it is chosen.
    pub selected: bool,
}

/// A list of options: one to choose, or (`multiple`) any number.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseworkChoices {
    /// The label.
    pub label: String,
    /// The line under it.
    pub hint: String,
    /// Whether Save needs a choice.
    pub required: bool,
    /// Whether several can be chosen.
    pub multiple: bool,
    /// The options.
    pub options: Vec<CaseworkOption>,
    /// Shown instead of the options when there are none.
    pub empty: Option<String>,
}

/// One element of a casework form, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CaseworkFormItem {
    /// A typed field.
    Field {
        /// The field.
        field: CaseworkField,
    },
    /// A list of choices.
    Choices {
        /// The list.
        list: CaseworkChoices,
    },
    /// Something shown, not changed here (the observation as recorded, the health staff).
    Shown {
        /// Its heading.
        label: String,
        /// What it says.
        text: String,
    },
}

/// A casework form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseworkFormScreen {
    /// "Prepare a meeting pack", "Record supervision", "Amend the observation".
    pub title: String,
    /// Who or what it is about.
    pub about: String,
    /// The fields, in order.
    pub items: Vec<CaseworkFormItem>,
    /// What Save says.
    pub save_label: String,
    /// Whether Save can be pressed: every required field filled, nothing wrong.
    pub save_enabled: bool,
    /// Why not, or what Save does.
    pub save_detail: String,
}

/// What Save recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseworkFormSaved {
    /// What to show ("Pack prepared: Core Group, Thu 3 Dec 10:00").
    pub message: String,
    /// The pack prepared, to open it (Prepare a meeting pack).
    pub pack: Option<MeetingPackId>,
}

/// Every meeting type offered, in the order practitioners meet them.
const MEETING_TYPES: [MeetingType; 6] = [
    MeetingType::StrategyDiscussion,
    MeetingType::ChildProtectionConference,
    MeetingType::CoreGroup,
    MeetingType::ChildInNeed,
    MeetingType::EarlyHelp,
    MeetingType::ReviewOfArrangements,
];

/// Which way a typed time is bounded.
#[derive(Clone, Copy)]
enum TimeRule {
    /// A meeting: at most [`MEETING_PAST_DAYS`] past, [`AHEAD_DAYS`] ahead.
    Meeting,
    /// A session held: not after now, at most [`AHEAD_DAYS`] past.
    Held,
}

/// The form being built: its items and the first thing missing or wrong.
struct Form<'a> {
    draft: &'a CaseworkFormDraft,
    now: DateTime<Utc>,
    items: Vec<CaseworkFormItem>,
    missing: Option<String>,
}

fn too_long(value: &str) -> Option<String> {
    (value.chars().count() > MAX_FREE_TEXT_CHARS)
        .then(|| format!("At most {MAX_FREE_TEXT_CHARS} characters."))
}

impl Form<'_> {
    fn need(&mut self, why: impl Into<String>) {
        if self.missing.is_none() {
            self.missing = Some(why.into());
        }
    }

    fn push_field(
        &mut self,
        key: CaseworkFieldKey,
        label: &str,
        hint: &str,
        required: bool,
        problem: Option<String>,
        shown: Option<String>,
    ) {
        let value = self.draft.text(&key).to_owned();
        if required && is_blank(&value) {
            self.need(format!("Fill in \"{label}\"."));
        }
        if let Some(p) = &problem {
            self.need(format!("{label}: {p}"));
        }
        self.items.push(CaseworkFormItem::Field {
            field: CaseworkField {
                multiline: matches!(key, CaseworkFieldKey::NewText),
                key,
                label: label.to_owned(),
                hint: hint.to_owned(),
                value,
                shown,
                required,
                problem,
            },
        });
    }

    fn text(&mut self, key: CaseworkFieldKey, label: &str, hint: &str, required: bool) {
        let problem = too_long(self.draft.text(&key));
        self.push_field(key, label, hint, required, problem, None);
    }

    /// A typed London date and time; returns the instant when it is one and within bounds.
    fn time(
        &mut self,
        key: CaseworkFieldKey,
        label: &str,
        hint: &str,
        rule: TimeRule,
    ) -> Option<DateTime<Utc>> {
        let typed = self.draft.text(&key);
        let (instant, problem, shown) = if is_blank(typed) {
            (None, None, "Not given".to_owned())
        } else {
            match read_london_time(typed) {
                Err(p) => (None, Some(p.words()), "Not a date and time".to_owned()),
                Ok(read) => {
                    let at = read.instant;
                    let mut shown = london_time(at, self.now);
                    if read.ambiguous {
                        shown.push_str(
                            " (this time happens twice the night the clocks go back: read as \
                             the first, in summer time)",
                        );
                    }
                    let problem = time_problem(rule, at, self.now);
                    (problem.is_none().then_some(at), problem, shown)
                }
            }
        };
        self.push_field(
            key,
            label,
            &format!("{hint} London time, written YYYY-MM-DD HH:MM."),
            true,
            problem,
            Some(shown),
        );
        instant
    }

    /// A typed date (an action's due date), at or after `earliest` when known.
    fn date(
        &mut self,
        key: CaseworkFieldKey,
        label: &str,
        required: bool,
        earliest: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let typed = self.draft.text(&key);
        let (date, problem, shown) = if is_blank(typed) {
            (None, None, "Not given".to_owned())
        } else {
            match parse_date("due", typed) {
                Err(_) => (
                    None,
                    Some("Write the date as YYYY-MM-DD, for example 2026-12-14.".to_owned()),
                    "Not a date".to_owned(),
                ),
                Ok(d) if earliest.is_some_and(|e| d < e) => (
                    None,
                    Some("Due before the session was held: check the date.".to_owned()),
                    d.format("%-d %b %Y").to_string(),
                ),
                Ok(d) if d > london_date(self.now) + Duration::days(AHEAD_DAYS) => (
                    None,
                    Some("More than a year ahead: check the year.".to_owned()),
                    d.format("%-d %b %Y").to_string(),
                ),
                Ok(d) => (Some(d), None, d.format("%-d %b %Y").to_string()),
            }
        };
        self.push_field(
            key,
            label,
            "The date it is due, written YYYY-MM-DD.",
            required,
            problem,
            Some(shown),
        );
        date
    }
}

fn time_problem(rule: TimeRule, at: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    match rule {
        TimeRule::Meeting if at < now - Duration::days(MEETING_PAST_DAYS) => Some(format!(
            "More than {MEETING_PAST_DAYS} days ago: a pack is prepared for a meeting to come. \
             Check the date."
        )),
        TimeRule::Meeting if at > now + Duration::days(AHEAD_DAYS) => {
            Some("More than a year ahead: check the year.".to_owned())
        }
        TimeRule::Held if at > now => Some(
            "After now: supervision is recorded once it has been held. Check the time.".to_owned(),
        ),
        TimeRule::Held if at < now - Duration::days(AHEAD_DAYS) => {
            Some("More than a year ago: check the year.".to_owned())
        }
        _ => None,
    }
}

/// Whether two texts read the same: equal once invisible characters are dropped and every run
/// of spaces of any kind (a no-break or ideographic space, a line break) is one space. An
/// amendment that differs only so would be recorded as a correction that corrects nothing, as
/// the observation's own reading trims the ends (`normalise::trim`), not the inside.
fn same_words(a: &str, b: &str) -> bool {
    fn words(text: &str) -> Vec<String> {
        text.split(is_space)
            .map(|w| w.chars().filter(|c| !is_invisible(*c)).collect::<String>())
            .filter(|w| !w.is_empty())
            .collect()
    }
    words(a) == words(b)
}

/// The parts of care typed, one per ";" or line.
fn represented(typed: &str) -> Vec<String> {
    typed
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The agreed-action rows a draft shows: every row with anything typed, then one blank row to
/// type the next (up to [`MAX_ACTIONS`]).
fn action_rows(draft: &CaseworkFormDraft) -> u32 {
    let used = draft
        .typed
        .iter()
        .filter(|t| !is_blank(&t.value))
        .filter_map(|t| match t.key {
            CaseworkFieldKey::ActionText { index }
            | CaseworkFieldKey::ActionOwner { index }
            | CaseworkFieldKey::ActionDue { index } => Some(index + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(MAX_ACTIONS);
    (used + 1).min(MAX_ACTIONS)
}

fn row_used(draft: &CaseworkFormDraft, index: u32) -> bool {
    [
        CaseworkFieldKey::ActionText { index },
        CaseworkFieldKey::ActionOwner { index },
        CaseworkFieldKey::ActionDue { index },
    ]
    .iter()
    .any(|k| !is_blank(draft.text(k)))
}

/// What a built form knows that Save needs.
enum Ready {
    Pack {
        child: PersonId,
        meeting_type: Option<MeetingType>,
        at: Option<DateTime<Utc>>,
    },
    Supervision {
        held_at: Option<DateTime<Utc>>,
        actions: Vec<SupervisionAction>,
    },
    Amend {
        current: Box<Observation>,
    },
}

impl Session {
    /// A fresh draft of `form`: for amending, the corrected text starts as the text recorded
    /// now (a correction is usually a few words); otherwise as [`CaseworkFormDraft::new`].
    ///
    /// Errors: [`AppError::NotFound`] for an observation not on this phone.
    pub fn casework_form_draft(
        &self,
        form: CaseworkFormKind,
    ) -> Result<CaseworkFormDraft, AppError> {
        let draft = CaseworkFormDraft::new(form);
        if let CaseworkFormKind::AmendObservation { observation } = draft.form {
            let current = self.current_observation(observation)?;
            return Ok(draft.with_text(CaseworkFieldKey::NewText, current.description));
        }
        Ok(draft)
    }

    fn current_observation(&self, id: ObservationId) -> Result<Observation, AppError> {
        self.with_store(|store| {
            Ok(store
                .get::<Observation>(self.actor(), Observation::KIND, id)?
                .body)
        })
    }

    /// The casework form for `draft` at the session clock's instant. Call again after each
    /// change to the draft.
    ///
    /// Errors: [`AppError::NotFound`] for a child or observation not on this phone;
    /// [`AppError::Validation`] (`child`) for a meeting pack about someone who is not a child.
    pub fn casework_form(&self, draft: &CaseworkFormDraft) -> Result<CaseworkFormScreen, AppError> {
        self.build_casework_form(draft).map(|(screen, _)| screen)
    }

    fn build_casework_form(
        &self,
        draft: &CaseworkFormDraft,
    ) -> Result<(CaseworkFormScreen, Ready), AppError> {
        let now = self.now()?;
        let mut form = Form {
            draft,
            now,
            items: Vec::new(),
            missing: None,
        };
        let (title, about, save_label, saves, ready) = match &draft.form {
            CaseworkFormKind::PrepareMeetingPack { child } => {
                let person = self.person(*child)?;
                if !person.role.is_child() {
                    return Err(AppError::validation(
                        "child",
                        "a meeting pack is prepared for a child",
                    ));
                }
                if draft.meeting_type.is_none() {
                    form.need("Choose the meeting.");
                }
                form.items.push(CaseworkFormItem::Choices {
                    list: CaseworkChoices {
                        label: "Meeting".to_owned(),
                        hint: "Choose one.".to_owned(),
                        required: true,
                        multiple: false,
                        options: MEETING_TYPES
                            .into_iter()
                            .map(|meeting_type| CaseworkOption {
                                choice: CaseworkChoice::MeetingType { meeting_type },
                                label: meeting_type_words(meeting_type).to_owned(),
                                detail: (meeting_type == MeetingType::ChildProtectionConference)
                                    .then(|| {
                                        "The pack checks that supervision has given oversight \
                                         of this child."
                                            .to_owned()
                                    }),
                                selected: draft.meeting_type == Some(meeting_type),
                            })
                            .collect(),
                        empty: None,
                    },
                });
                let at = form.time(
                    CaseworkFieldKey::MeetingAt,
                    "Meeting at",
                    "When the meeting starts.",
                    TimeRule::Meeting,
                );
                let parts = represented(draft.text(&CaseworkFieldKey::Represents));
                let represents_problem = too_long(draft.text(&CaseworkFieldKey::Represents));
                if parts.is_empty() {
                    form.need("Say which parts of the child's care you represent.");
                }
                form.push_field(
                    CaseworkFieldKey::Represents,
                    "What you represent",
                    "The parts of the child's care you speak for, separated by \";\", for \
                     example \"health visiting; infant feeding\".",
                    true,
                    represents_problem,
                    None,
                );
                let health: Vec<String> = self
                    .team_around_child()
                    .members(*child)?
                    .into_iter()
                    .filter(|m| m.is_current() && m.role.is_health())
                    .map(|m| sentence(&m.describe()))
                    .collect();
                form.items.push(CaseworkFormItem::Shown {
                    label: "Health staff in the pack".to_owned(),
                    text: if health.is_empty() {
                        "No health staff are in the team around the child yet: add them there, \
                         and the pack shows them with their numbers."
                            .to_owned()
                    } else {
                        format!(
                            "From the team around the child, with their numbers: {}.",
                            health.join("; ")
                        )
                    },
                });
                (
                    "Prepare a meeting pack",
                    person_label(&person, now),
                    "Prepare pack".to_owned(),
                    "Gathers the child's chronology into the meeting's sections.",
                    Ready::Pack {
                        child: *child,
                        meeting_type: draft.meeting_type,
                        at,
                    },
                )
            }
            CaseworkFormKind::RecordSupervision { .. } => {
                form.text(
                    CaseworkFieldKey::Supervisor,
                    "Supervisor",
                    "Their name and role, for example \"Alex Lead, named nurse for \
                     safeguarding\".",
                    true,
                );
                let held_at = form.time(
                    CaseworkFieldKey::HeldAt,
                    "Held at",
                    "When the session started.",
                    TimeRule::Held,
                );
                let held_on = held_at.map(london_date);
                self.case_items(&mut form, draft, now)?;
                let mut actions = Vec::new();
                // A row past the last one shown was not typed on this form; saving without it
                // would drop an agreed action silently.
                if draft.typed.iter().any(|t| {
                    !is_blank(&t.value)
                        && matches!(
                            t.key,
                            CaseworkFieldKey::ActionText { index }
                            | CaseworkFieldKey::ActionOwner { index }
                            | CaseworkFieldKey::ActionDue { index } if index >= MAX_ACTIONS
                        )
                }) {
                    form.need(format!("At most {MAX_ACTIONS} actions can be agreed here."));
                }
                for index in 0..action_rows(draft) {
                    let used = row_used(draft, index);
                    let number = index + 1;
                    form.text(
                        CaseworkFieldKey::ActionText { index },
                        &format!("Action {number}"),
                        "What is to be done; leave empty when nothing more was agreed.",
                        used,
                    );
                    form.text(
                        CaseworkFieldKey::ActionOwner { index },
                        &format!("Action {number}: who does it"),
                        "Their name and role.",
                        used,
                    );
                    let due = form.date(
                        CaseworkFieldKey::ActionDue { index },
                        &format!("Action {number}: due by"),
                        used,
                        held_on,
                    );
                    if let (true, Some(due)) = (used, due) {
                        actions.push(SupervisionAction {
                            action: draft
                                .text(&CaseworkFieldKey::ActionText { index })
                                .to_owned(),
                            owner: draft
                                .text(&CaseworkFieldKey::ActionOwner { index })
                                .to_owned(),
                            owner_practitioner: None,
                            due,
                        });
                    }
                }
                (
                    "Record supervision",
                    self.identity().practitioner_name.clone(),
                    "Record supervision".to_owned(),
                    "Kept with your supervision records; a conference pack finds it.",
                    Ready::Supervision { held_at, actions },
                )
            }
            CaseworkFormKind::AmendObservation { observation } => {
                let current = self.current_observation(*observation)?;
                let person = self.person(current.about)?;
                form.items.push(CaseworkFormItem::Shown {
                    label: "As recorded now".to_owned(),
                    text: format!(
                        "{} · {}: {}",
                        sentence(current.category.label()),
                        sentence(current.severity.label()),
                        current.description
                    ),
                });
                let new_text = draft.text(&CaseworkFieldKey::NewText);
                let unchanged = same_words(new_text, &current.description);
                let problem = too_long(new_text).or_else(|| {
                    (unchanged && !is_blank(new_text))
                        .then(|| "This is the text as recorded: correct it, or cancel.".to_owned())
                });
                form.push_field(
                    CaseworkFieldKey::NewText,
                    "Corrected text",
                    "What was seen or heard, corrected. The category, severity and time stay \
                     as recorded.",
                    true,
                    problem,
                    None,
                );
                form.text(
                    CaseworkFieldKey::Reason,
                    "Why it is amended",
                    "Kept with the new version and shown in the chronology.",
                    true,
                );
                (
                    "Amend the observation",
                    person_label(&person, now),
                    "Save amendment".to_owned(),
                    "A new version; the earlier one stays in the history.",
                    Ready::Amend {
                        current: Box::new(current),
                    },
                )
            }
        };
        let screen = CaseworkFormScreen {
            title: title.to_owned(),
            about,
            items: form.items,
            save_label,
            save_enabled: form.missing.is_none(),
            save_detail: form.missing.unwrap_or_else(|| saves.to_owned()),
        };
        Ok((screen, ready))
    }

    /// The cases discussed: the search, the children chosen and found, and what was discussed
    /// about each one chosen.
    fn case_items(
        &self,
        form: &mut Form<'_>,
        draft: &CaseworkFormDraft,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        form.text(
            CaseworkFieldKey::CaseSearch,
            "Find a child",
            "Type part of a name to find a child on this phone.",
            false,
        );
        let mut chosen: Vec<Person> = Vec::new();
        // Tapping a chosen child takes them off, so a child listed twice was not chosen here.
        if draft
            .cases
            .iter()
            .enumerate()
            .any(|(i, id)| draft.cases[..i].contains(id))
        {
            form.need("A child is listed twice as discussed: take one off.");
        }
        for id in &draft.cases {
            match self.person(*id) {
                // The search offers children only; a draft naming anyone else was not made on
                // this form, and supervision records children discussed.
                Ok(p) if !p.role.is_child() => {
                    form.need("Only children can be chosen as discussed: take them off.");
                    chosen.push(p);
                }
                Ok(p) => chosen.push(p),
                Err(AppError::NotFound { .. }) => {
                    form.need("A child chosen is no longer on this phone: take them off.");
                }
                Err(e) => return Err(e),
            }
        }
        let search = fold_for_search(draft.text(&CaseworkFieldKey::CaseSearch));
        let mut found: Vec<Person> = if search.is_empty() {
            Vec::new()
        } else {
            self.with_store(|store| {
                Ok(store
                    .list::<Person>(self.actor(), Person::KIND, &ListFilter::default())?
                    .into_iter()
                    .map(|r| r.body)
                    .filter(|p| p.role.is_child() && !draft.cases.contains(&p.id))
                    .filter(|p| {
                        [&p.name, &p.known_as]
                            .into_iter()
                            .flatten()
                            .any(|n| fold_for_search(n).contains(&search))
                    })
                    .collect())
            })?
        };
        found.sort_by_key(|p| person_label(p, now));
        let many = found.len() > MAX_CHILDREN_OFFERED;
        found.truncate(MAX_CHILDREN_OFFERED);
        if draft.cases.is_empty() {
            form.need("Choose at least one child discussed.");
        }
        let options: Vec<CaseworkOption> = chosen
            .iter()
            .map(|p| (p, true))
            .chain(found.iter().map(|p| (p, false)))
            .map(|(p, selected)| CaseworkOption {
                choice: CaseworkChoice::Case { person: p.id },
                label: person_label(p, now),
                detail: selected.then(|| "Discussed: tap to take off.".to_owned()),
                selected,
            })
            .collect();
        form.items.push(CaseworkFormItem::Choices {
            list: CaseworkChoices {
                label: "Children discussed".to_owned(),
                hint: if many {
                    format!("The first {MAX_CHILDREN_OFFERED} found: type more of the name.")
                } else {
                    "Tap each child discussed.".to_owned()
                },
                required: true,
                multiple: true,
                empty: options.is_empty().then(|| {
                    if search.is_empty() {
                        "Type a name above to find the children discussed.".to_owned()
                    } else {
                        "No child on this phone has that name.".to_owned()
                    }
                }),
                options,
            },
        });
        for p in &chosen {
            // Said before the field's own need (which carries the label, with the child's
            // name): Save's refusal travels as an error and must name no one.
            let summary = draft.text(&CaseworkFieldKey::CaseSummary { person: p.id });
            if is_blank(summary) {
                form.need("Say what was discussed and concluded for each child chosen.");
            } else if too_long(summary).is_some() {
                form.need(format!(
                    "What was discussed about a child chosen is too long: at most \
                     {MAX_FREE_TEXT_CHARS} characters."
                ));
            }
            form.text(
                CaseworkFieldKey::CaseSummary { person: p.id },
                &format!("Discussed and concluded: {}", person_label(p, now)),
                "What was discussed about this child, and what was concluded.",
                true,
            );
        }
        Ok(())
    }

    /// Saves the form: builds it as [`Session::casework_form`] does and refuses unless its Save
    /// is enabled (nothing written), then records it through the session's own call, whose
    /// rules still decide.
    ///
    /// Errors: [`AppError::Validation`] (`form`) with what is missing or wrong; the recording
    /// call's own refusals; store errors.
    pub fn save_casework_form(
        &self,
        draft: &CaseworkFormDraft,
    ) -> Result<CaseworkFormSaved, AppError> {
        let (screen, ready) = self.build_casework_form(draft)?;
        if !screen.save_enabled {
            return Err(AppError::validation(
                "form",
                Reason::Rule(screen.save_detail.into()),
            ));
        }
        // Every value below was checked by the form: a `None` here is refused anyway.
        let missing = || AppError::validation("form", "the form is incomplete");
        match ready {
            Ready::Pack {
                child,
                meeting_type,
                at,
            } => {
                let meeting_type = meeting_type.ok_or_else(missing)?;
                let at = at.ok_or_else(missing)?;
                let pack = self.prepare_my_meeting_pack(
                    child,
                    meeting_type,
                    at,
                    represented(draft.text(&CaseworkFieldKey::Represents)),
                )?;
                Ok(CaseworkFormSaved {
                    message: format!(
                        "Pack prepared: {}, {}",
                        meeting_type_words(meeting_type),
                        london_time(at, self.now()?)
                    ),
                    pack: Some(pack.id),
                })
            }
            Ready::Supervision { held_at, actions } => {
                let record = self.record_supervision(SupervisionInput {
                    supervisor: draft.text(&CaseworkFieldKey::Supervisor).to_owned(),
                    held_at: held_at.ok_or_else(missing)?,
                    cases: draft
                        .cases
                        .iter()
                        .map(|person| CaseDiscussed {
                            person: *person,
                            summary: draft
                                .text(&CaseworkFieldKey::CaseSummary { person: *person })
                                .to_owned(),
                        })
                        .collect(),
                    actions,
                })?;
                Ok(CaseworkFormSaved {
                    message: format!(
                        "Supervision recorded: {} case(s), {} action(s) agreed",
                        record.cases.len(),
                        record.actions.len()
                    ),
                    pack: None,
                })
            }
            Ready::Amend { current } => {
                let version = self.amend_observation(
                    current.id,
                    ObservationCorrection {
                        category: current.category,
                        severity: current.severity,
                        evidence: current.evidence.clone(),
                        description: draft.text(&CaseworkFieldKey::NewText).trim().to_owned(),
                        observed_at: current.observed_at,
                        place: current.place.clone(),
                    },
                    draft.text(&CaseworkFieldKey::Reason).trim(),
                )?;
                Ok(CaseworkFormSaved {
                    message: if version.warnings.is_empty() {
                        "Amended: the earlier version stays in the history".to_owned()
                    } else {
                        "Amended: the earlier version stays in the history. Check the prompts \
                         on the corrected text."
                            .to_owned()
                    },
                    pack: None,
                })
            }
        }
    }
}
