//! What each screen shows, built in core (issue 17 item 1; crux's `view()`): the shells map
//! these records to widgets and pass taps back, and decide nothing.
//!
//! Owns, for each screen: the display strings (headings, row titles, status words, London
//! times), the actions offered, and whether each is enabled (with why not). One file per
//! screen, each with a method on [`crate::app::Session`] that builds its record:
//! - [`today`]: "needs attention now", most urgent first, and today's visits
//!   ([`crate::app::Session::today_screen`]);
//! - [`sync`]: the sync status in words ([`crate::app::Session::sync_screen`]);
//! - [`shares_sent`]: the shares this practitioner sent, their state and the read-back to
//!   confirm or flag ([`crate::app::Session::shares_sent_screen`]);
//! - [`incoming`]: shares to the practitioner's teams and one share to acknowledge with a
//!   read-back ([`crate::app::Session::incoming_shares_screen`],
//!   [`crate::app::Session::incoming_share_screen`]);
//! - [`referrals`]: referrals, their state and the next escalation step
//!   ([`crate::app::Session::referrals_screen`]);
//! - [`contacts`]: who is open now and the number to ring now
//!   ([`crate::app::Session::contacts_screen`]);
//! - [`setup`]: who uses this phone (name, every team), the enrolment code, the server, and the
//!   one recovery when the store does not open ([`setup::SetUpScreen::before_set_up`],
//!   [`setup::SetUpScreen::cannot_open`], [`crate::app::Session::set_up_screen`]);
//! - [`visit`]: the visit's header, the capture form (who, kind, every category, severity, fact
//!   or opinion, the child's voice), the capture prompts as the practitioner types, and Save,
//!   End visit and Share this concern ([`crate::app::Session::visit_screen`]);
//! - [`share`]: the teams to share with (involved and not yet told, then those covering the
//!   child's postcode), the severity with each one's acknowledgement due time, and Send
//!   ([`crate::app::Session::share_screen`]);
//! - [`checklists`]: a person's checklists, one checklist's items with what each needs, and
//!   the contact picker for contacts items ([`crate::app::Session::checklists_screen`],
//!   [`crate::app::Session::checklist_screen`],
//!   [`crate::app::Session::checklist_contact_picker`]);
//! - [`meeting`]: a child's meeting packs, and one pack with its sections, the health staff
//!   from the team around the child and what is missing before the meeting
//!   ([`crate::app::Session::meeting_packs_screen`],
//!   [`crate::app::Session::meeting_pack_screen`]);
//! - [`supervision`]: the practitioner's supervision records and agreed actions, and the
//!   conferences still without oversight ([`crate::app::Session::supervision_screen`]);
//! - [`review`]: a child's standing pattern alerts with dismissal, and one observation's
//!   versions with amending and closing it ([`crate::app::Session::pattern_alerts_screen`],
//!   [`crate::app::Session::observation_history_screen`]);
//! - [`chronology`]: a child's entries in order, with who recorded each and amendments marked,
//!   and the ways into the child's patterns, meeting packs and team
//!   ([`crate::app::Session::chronology_screen`]);
//! - [`team`]: a child's team around the child, lead professional, social care status and who
//!   has not been told the latest concern ([`crate::app::Session::team_screen`]);
//! - [`team_forms`]: the screen's forms to involve a directory team, add a contact and record
//!   the social care status, and Save ([`crate::app::Session::team_form`],
//!   [`crate::app::Session::save_team_form`]);
//! - [`casework_forms`]: the forms to prepare a meeting pack, record supervision and amend an
//!   observation, and Save ([`crate::app::Session::casework_form`],
//!   [`crate::app::Session::save_casework_form`]);
//! - [`transfer`]: a transfer of care, sender and receiver
//!   ([`crate::app::Session::transfer_screen`],
//!   [`crate::app::Session::expected_families_screen`]);
//! - [`time`]: the one way a time is written on a screen (Europe/London).
//!
//! Invariants, and why:
//! - No rule is re-implemented here: deadlines, states, the attention order and the number to
//!   ring come from `rules` and `directory`; this module only words them. A screen that needs a
//!   rule's answer calls the rule.
//! - Every time is read once per screen (the session clock) and every time on it is worded
//!   against that same instant, in London time ([`time::london_time`]).
//! - An action the practitioner must be able to take is offered even when it cannot run now
//!   (`enabled: false` with the reason in `detail`), never silently left out: a missing number
//!   is shown as a disabled "Call" with why, as the attention list already does.
//! - Where the two shells differed, the louder reading was taken and recorded in
//!   docs/clinical-decisions.md ("Screens").
//! - No personal data is logged or put in an error here; the records themselves carry what the
//!   practitioner is entitled to see on their own phone (read through the audited store).

pub mod casework_forms;
pub mod checklists;
pub mod chronology;
pub mod contacts;
pub mod incoming;
pub mod meeting;
pub mod referrals;
pub mod review;
pub mod setup;
pub mod share;
pub mod shares_sent;
pub mod supervision;
pub mod sync;
pub mod team;
pub mod team_forms;
pub mod time;
pub mod today;
pub mod transfer;
pub mod visit;

pub use casework_forms::{
    CaseworkChoice, CaseworkChoices, CaseworkField, CaseworkFieldKey, CaseworkFormDraft,
    CaseworkFormItem, CaseworkFormKind, CaseworkFormSaved, CaseworkFormScreen, CaseworkOption,
    CaseworkTypedValue,
};
pub use checklists::{
    ChecklistAction, ChecklistActionKind, ChecklistItemRow, ChecklistRow, ChecklistScreen,
    ChecklistsScreen, ContactChoice, ContactPicker,
};
pub use chronology::{ChronologyAction, ChronologyActionKind, ChronologyRow, ChronologyScreen};
pub use contacts::{ContactRow, ContactsAction, ContactsActionKind, ContactsScreen};
pub use incoming::{
    IncomingAction, IncomingActionKind, IncomingShareRow, IncomingShareScreen,
    IncomingSharesScreen, ReadBackField,
};
pub use meeting::{
    MeetingAction, MeetingActionKind, MeetingPackRow, MeetingPackScreen, MeetingPacksScreen,
    MinutesChallengeForm, PackSectionView,
};
pub use referrals::{
    DecisionForm, ReferralAction, ReferralActionKind, ReferralRow, ReferralsScreen, StepForm,
};
pub use review::{
    ObservationHistoryScreen, ObservationVersionRow, PatternAlertRow, PatternAlertsScreen,
    ReviewAction, ReviewActionKind,
};
pub use setup::{
    Recovery, SetUpAction, SetUpActionKind, SetUpDraft, SetUpField, SetUpScreen, SetUpStage,
    SetUpTeamRow,
};
pub use share::{
    ShareAction, ShareActionKind, ShareDraft, ShareField, ShareScreen, ShareSeverityChoice,
    ShareTeamRow,
};
pub use shares_sent::{SentShareAction, SentShareActionKind, SentShareRow, SharesSentScreen};
pub use supervision::{
    SupervisionActionKind, SupervisionActionRow, SupervisionRow, SupervisionScreen,
    SupervisionScreenAction,
};
pub use sync::{SyncAction, SyncActionKind, SyncRow, SyncScreen};
pub use team::{TeamAction, TeamActionKind, TeamMemberRow, TeamScreen};
pub use team_forms::{
    TeamFormChoice, TeamFormDate, TeamFormDateKey, TeamFormDraft, TeamFormItem, TeamFormKind,
    TeamFormList, TeamFormListKey, TeamFormOption, TeamFormSaved, TeamFormScreen, TeamFormText,
    TeamFormTextKey, TeamFormToggle,
};
pub use today::{
    AddressField, StartedVisit, TodayAction, TodayActionKind, TodayItem, TodayScreen, TodayVisit,
};
pub use transfer::{
    ExpectedFamiliesScreen, ExpectedFamilyRow, SentTransferRow, TakeOnCandidateRow, TransferAction,
    TransferActionKind, TransferDraft, TransferScreen,
};
pub use visit::{
    CaptureDraft, CaptureField, CaptureKind, CategoryChoice, ChildDetail, ChildField,
    EvidenceChoice, KindChoice, ModeChoice, PersonChoice, RecordedRow, SeverityChoice, VisitAction,
    VisitActionKind, VisitScreen,
};

use crate::directory::{choose_number, Directory};
use crate::model::TeamId;
use crate::rules::calendar::Calendar;
use chrono::{DateTime, Utc};

/// How loudly a row is shown, most urgent first. The shells choose colours and icons from it;
/// the words are in the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Tone {
    /// Immediate risk of harm: above everything, phone now.
    ImmediateRisk,
    /// A deadline has passed.
    Overdue,
    /// Something for the practitioner to do, with no deadline of its own.
    ActionNeeded,
    /// Due soon.
    DueSoon,
    /// Waiting on someone else, still in time.
    Waiting,
    /// Nothing more to do.
    Done,
}

/// A call button's words for reaching `team` at `now`: the label, whether it can be pressed,
/// and the line under it (why this number, that it may go unanswered, or why there is none).
/// The number itself is the directory's choice ([`choose_number`]); the shell dials what
/// `start_call` returns when tapped, chosen again for that instant.
pub(crate) struct CallWords {
    pub label: String,
    pub enabled: bool,
    pub detail: Option<String>,
}

pub(crate) fn call_words(
    directory: &Directory,
    team: TeamId,
    team_name: Option<&str>,
    now: DateTime<Utc>,
    calendar: &Calendar,
) -> CallWords {
    match choose_number(directory, team, now, calendar) {
        Ok(target) => {
            let mut detail = target.explanation.clone();
            if !target.reason.expects_answer() {
                // Both shells added this line; it is core's now.
                detail.push_str(" It may not be answered.");
            }
            CallWords {
                label: format!("Call {}", target.label),
                enabled: true,
                detail: Some(detail),
            }
        }
        Err(err) => {
            let name = team_name
                .map(str::to_owned)
                .or_else(|| directory.team(team).map(|t| t.name.clone()))
                .unwrap_or_else(|| "the team".to_owned());
            CallWords {
                label: format!("Call {name}"),
                enabled: false,
                detail: Some(crate::app::AppError::from(err).to_string()),
            }
        }
    }
}
