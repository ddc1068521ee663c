//! The Today screen: "needs attention now", most urgent first, and today's visits.
//!
//! Owns the wording of each attention item (headline, due line), the actions each offers and
//! the list of today's visits with their times. The items, their order and their "why" are the
//! attention rule's ([`crate::rules::attention`], through the session's caseload); the number
//! to ring is the directory's choice at the screen's instant. Nothing here decides what needs
//! attention or when it is due.
//!
//! Invariants:
//! - The items are in the rule's order, unchanged; a screen never re-sorts them.
//! - An item that asks for a call always offers "Call": enabled with the number's explanation,
//!   or disabled with why no number is known (the item is never dropped).
//! - "Today" is the London calendar day of the screen's instant: a visit at 00:30 BST on
//!   1 July is today's on 1 July although it is 30 June in UTC. A visit started on an earlier
//!   day and not yet ended is listed too ("yesterday 23:30", In progress, with "End visit"),
//!   so a home birth running past midnight can still be continued.

use super::time::{clock_time, london_date, london_day_heading, london_time};
use super::{call_words, Tone};
use crate::app::AlertScan;
use crate::app::{AppError, AttentionNow, Session};
use crate::model::{
    Household, HouseholdId, NewVisit, PersonId, Place, PlaceKind, ReferralId, ShareId, TeamId,
    Visit, VisitId,
};
use crate::rules::attention::AttentionKind;
use crate::rules::working_time::london_to_utc;
use crate::store::{ListFilter, ShowWindow, StoredRecord};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// What the practitioner can do from the Today screen; the shell maps each to a core call or a
/// navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TodayActionKind {
    /// Phone `team` (`Contacts.start_call(team, regarding_share, about)` logs it and returns
    /// the number to dial, chosen again for that instant).
    Call {
        /// The team to reach.
        team: TeamId,
        /// The overdue share this call chases, if any (a call that reaches the team with a
        /// read-back closes its escalation).
        regarding_share: Option<ShareId>,
        /// The child a chased referral is about, so the call joins their chronology (a call
        /// about a share takes the share's child from the share).
        about: Option<PersonId>,
    },
    /// Open a share this practitioner sent (to see it, check or correct its read-back).
    OpenSentShare {
        /// The share.
        share: ShareId,
    },
    /// Open a share to the practitioner's team, to read it and acknowledge it.
    AcknowledgeShare {
        /// The share.
        share: ShareId,
    },
    /// Open a referral (chase, record the decision, the next escalation step).
    OpenReferral {
        /// The referral.
        referral: ReferralId,
    },
    /// Review a child's chronology (a pattern alert).
    ReviewChild {
        /// The child.
        child: PersonId,
    },
    /// Open the checklists (about a person, when known).
    OpenChecklists {
        /// Who the item is about.
        person: Option<PersonId>,
    },
    /// Open the sync screen (a share this phone cannot open).
    OpenSync,
    /// Start a home visit now: the shell asks for the address with
    /// [`TodayScreen::start_visit_address`]'s words and passes what was typed to
    /// `Visits.start_home_visit(address)`, which records the household with it and starts the
    /// visit.
    StartVisit,
    /// Open the practitioner's supervision records (`Casework.supervision_screen`).
    OpenSupervision,
    /// Carry on with (or start) one of today's visits.
    ContinueVisit {
        /// The visit.
        visit: VisitId,
        /// Its household.
        household: HouseholdId,
    },
    /// End a visit in progress (`Visits.end_visit(visit, null)`); until ended it stays on Today.
    EndVisit {
        /// The visit.
        visit: VisitId,
    },
}

/// One action on the Today screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TodayAction {
    /// What it does.
    pub kind: TodayActionKind,
    /// What the button says.
    pub label: String,
    /// Whether it can be pressed now.
    pub enabled: bool,
    /// The line under the button: why this number, or why it cannot be pressed.
    pub detail: Option<String>,
}

/// One thing needing attention, worded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TodayItem {
    /// How loudly to show it.
    pub tone: Tone,
    /// The first words: "IMMEDIATE RISK", "Overdue", "To do", "Due soon".
    pub headline: String,
    /// What and why (the attention rule's words).
    pub text: String,
    /// When, in London time: "Due today 17:00", "Was due yesterday 17:00", "Since today 10:40".
    pub when: String,
    /// The instant it is (or was) due, for ordering and accessibility only; show `when`.
    pub due_at: DateTime<Utc>,
    /// What can be done, the first being the main one.
    pub actions: Vec<TodayAction>,
}

/// One of today's visits.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TodayVisit {
    /// The visit.
    pub visit: VisitId,
    /// Its household.
    pub household: HouseholdId,
    /// When it starts, London time ("10:30").
    pub time: String,
    /// "Home visit: 1 Fictional Row, Leeds" (the place named on the visit; for a home visit
    /// without one, the household's address).
    pub title: String,
    /// "Planned", "In progress", "Ended 11:15".
    pub status: String,
    /// Start or carry on with it (none once it has ended).
    pub actions: Vec<TodayAction>,
}

/// The one field "Start home visit" asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AddressField {
    /// The label: "Address of the home".
    pub label: String,
    /// The line under it.
    pub hint: String,
}

/// What [`Session::start_home_visit`] recorded: the household and its visit, for the capture
/// screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StartedVisit {
    /// The new household.
    pub household: HouseholdId,
    /// The visit, started now.
    pub visit: VisitId,
}

/// The Today screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TodayScreen {
    /// "Today".
    pub title: String,
    /// The London date: "Tuesday 24 November 2026".
    pub date: String,
    /// "Needs attention now".
    pub attention_heading: String,
    /// Most urgent first (the attention rule's order).
    pub attention: Vec<TodayItem>,
    /// Shown instead of the list when nothing needs attention ("Nothing is due.").
    pub attention_empty: Option<String>,
    /// "Today's visits".
    pub visits_heading: String,
    /// Today's visits, earliest first.
    pub visits: Vec<TodayVisit>,
    /// Shown instead of the visits when there are none.
    pub visits_empty: Option<String>,
    /// The screen's own actions ("Start home visit", "Supervision").
    pub actions: Vec<TodayAction>,
    /// The field "Start home visit" asks for before it starts the visit.
    pub start_visit_address: AddressField,
}

impl Session {
    /// The Today screen at the session clock's instant: what needs attention now (most urgent
    /// first, calls with the number for now) and today's visits. Reads through the open-items
    /// index: only the records it can list are decrypted.
    pub fn today_screen(&self) -> Result<TodayScreen, AppError> {
        self.today_screen_by(self.now()?, AlertScan::Indexed)
    }

    /// The test oracle: the Today screen at `now` built from every record on the device, as it
    /// was before the open-items index. Kept only so tests and the Today benchmark can check
    /// the indexed screen against it; not for shells (hidden from the docs and the bindings).
    #[doc(hidden)]
    pub fn today_screen_by_full_scan(&self, now: DateTime<Utc>) -> Result<TodayScreen, AppError> {
        self.today_screen_by(now, AlertScan::Full)
    }

    fn today_screen_by(
        &self,
        now: DateTime<Utc>,
        scan: AlertScan,
    ) -> Result<TodayScreen, AppError> {
        // Who each chased referral is about comes with the list (the referrals it read).
        let (attention, referral_children) = self.attention_with_referrals(now, scan)?;
        let directory = self.directory();
        let calendar = self.rules().calendar();
        let items: Vec<TodayItem> = attention
            .into_iter()
            .map(|a| {
                item(a, now, &referral_children, |team, share, about| {
                    call_action(&directory, team, share, about, now, calendar)
                })
            })
            .collect();
        let visits = self.todays_visits(now, scan)?;
        Ok(TodayScreen {
            title: "Today".to_owned(),
            date: london_day_heading(now),
            attention_heading: "Needs attention now".to_owned(),
            attention_empty: items.is_empty().then(|| "Nothing is due.".to_owned()),
            attention: items,
            visits_heading: "Today's visits".to_owned(),
            visits_empty: visits
                .is_empty()
                .then(|| "No visits recorded for today.".to_owned()),
            visits,
            actions: vec![
                TodayAction {
                    kind: TodayActionKind::StartVisit,
                    label: "Start home visit".to_owned(),
                    enabled: true,
                    detail: None,
                },
                nav(TodayActionKind::OpenSupervision, "Supervision"),
            ],
            start_visit_address: AddressField {
                label: "Address of the home".to_owned(),
                hint: "As the family gives it; it names the visit on Today. Leave it empty if \
                       it is not known yet."
                    .to_owned(),
            },
        })
    }

    /// Starts a home visit now for a new household at `address` (what the practitioner typed
    /// in [`TodayScreen::start_visit_address`]; blank is no address): the household and the
    /// visit are recorded together, so a visit never exists without its household. Both
    /// shells called `add_household(null)` before and lost the address.
    pub fn start_home_visit(&self, address: Option<String>) -> Result<StartedVisit, AppError> {
        let address = address
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty());
        let now = self.now()?;
        let household = Household::new(address);
        let visit = Visit::new(NewVisit {
            household: household.id,
            practitioner: self.actor(),
            started_at: now,
            ended_at: None,
            place: Place {
                kind: PlaceKind::Home,
                detail: None,
            },
            present: Vec::new(),
        })?;
        let written = self.with_store(|store| {
            store.write(self.actor(), |tx| {
                tx.insert(
                    Household::KIND,
                    household.record_id(),
                    &household,
                    &household.record_index(),
                )?;
                tx.insert(
                    Visit::KIND,
                    visit.record_id(),
                    &visit,
                    &visit.record_index(),
                )?;
                Ok::<_, AppError>(())
            })
        });
        // Heard after the commit: Today lists the visit in progress.
        self.notify_if_ok(crate::app::ChangeCause::VisitStarted, written)?;
        Ok(StartedVisit {
            household: household.id,
            visit: visit.id,
        })
    }

    /// The visits on this device that start on `now`'s London day, and those started earlier
    /// and not yet ended, earliest first. Indexed, only the visits whose window holds `now`
    /// (see [`visit_window`]) are decrypted, with their households.
    fn todays_visits(
        &self,
        now: DateTime<Utc>,
        scan: AlertScan,
    ) -> Result<Vec<TodayVisit>, AppError> {
        let today = london_date(now);
        let actor = self.actor();
        let (visits, households) = self.with_store(|store| {
            store.write(actor, |tx| {
                let stored = match scan {
                    AlertScan::Full => tx.list::<Visit>(Visit::KIND, &ListFilter::default())?,
                    AlertScan::Indexed => tx.list_due::<Visit>(Visit::KIND, now, |_, r| {
                        Ok(Some(visit_window(&r.body)))
                    })?,
                };
                let visits: Vec<Visit> = stored
                    .into_iter()
                    .map(|r| r.body)
                    // A visit started on an earlier day and never ended (a home birth past
                    // midnight; a visit not ended on the phone) stays listed until it is
                    // ended: the louder reading (docs/clinical-decisions.md, "Screens").
                    .filter(|v| {
                        london_date(v.started_at) == today
                            || (v.ended_at.is_none() && v.started_at <= now)
                    })
                    .collect();
                let mut households = Vec::new();
                for visit in &visits {
                    if !households
                        .iter()
                        .any(|h: &Household| h.id == visit.household)
                    {
                        households
                            .push(tx.get::<Household>(Household::KIND, visit.household)?.body);
                    }
                }
                Ok::<_, AppError>((visits, households))
            })
        })?;
        let mut rows: Vec<(DateTime<Utc>, TodayVisit)> = visits
            .into_iter()
            .map(|visit| {
                let address = households
                    .iter()
                    .find(|h| h.id == visit.household)
                    .and_then(|h| h.address.clone());
                let place = place_words(&visit.place.kind);
                // Where the visit is: the place named on it; for a home visit without one, the
                // household's address. A clinic visit never shows the family's home address.
                let where_ = match visit.place.kind {
                    PlaceKind::Home => visit.place.detail.clone().or(address),
                    _ => visit.place.detail.clone(),
                };
                let title = match where_ {
                    Some(where_) => format!("{place}: {where_}"),
                    None => place,
                };
                let (status, action) = match visit.ended_at {
                    Some(ended) => (format!("Ended {}", clock_time(ended)), None),
                    None if visit.started_at > now => ("Planned".to_owned(), Some("Start visit")),
                    None => ("In progress".to_owned(), Some("Continue visit")),
                };
                let in_progress = visit.ended_at.is_none() && visit.started_at <= now;
                let actions = action
                    .map(|label| TodayAction {
                        kind: TodayActionKind::ContinueVisit {
                            visit: visit.id,
                            household: visit.household,
                        },
                        label: label.to_owned(),
                        enabled: true,
                        detail: None,
                    })
                    .into_iter()
                    .chain(in_progress.then(|| TodayAction {
                        kind: TodayActionKind::EndVisit { visit: visit.id },
                        label: "End visit".to_owned(),
                        enabled: true,
                        detail: None,
                    }))
                    .collect();
                (
                    visit.started_at,
                    TodayVisit {
                        visit: visit.id,
                        household: visit.household,
                        // A visit carried over from an earlier day says which day it started.
                        time: if london_date(visit.started_at) == today {
                            clock_time(visit.started_at)
                        } else {
                            london_time(visit.started_at, now)
                        },
                        title,
                        status,
                        actions,
                    },
                )
            })
            .collect();
        rows.sort_by_key(|(at, _)| *at);
        Ok(rows.into_iter().map(|(_, row)| row).collect())
    }
}

/// When a visit can be on Today (until it is written again): from the start of its London
/// day; an ended visit until the end of that day, one not ended for as long as it stays so.
/// A midnight London cannot name (none exists; the clocks change at 01:00 UTC) would widen
/// the window to "always", never narrow it.
fn visit_window(visit: &Visit) -> ShowWindow {
    let day = london_date(visit.started_at);
    let midnight = |date: NaiveDate| london_to_utc(date.and_time(NaiveTime::MIN));
    let Some(from) = midnight(day) else {
        return ShowWindow::ALWAYS;
    };
    let until = match visit.ended_at {
        Some(_) => day.succ_opt().and_then(midnight),
        None => None,
    };
    ShowWindow {
        from: Some(from),
        until,
    }
}

fn place_words(kind: &PlaceKind) -> String {
    match kind {
        PlaceKind::Home => "Home visit".to_owned(),
        PlaceKind::Clinic => "Clinic".to_owned(),
        PlaceKind::Hospital => "Hospital".to_owned(),
        PlaceKind::ChildrensCentre => "Family hub or children's centre".to_owned(),
        PlaceKind::School => "School or nursery".to_owned(),
        PlaceKind::Remote => "By phone or video".to_owned(),
        PlaceKind::Other(name) => name.clone(),
    }
}

fn call_action(
    directory: &crate::directory::Directory,
    team: TeamId,
    regarding_share: Option<ShareId>,
    about: Option<PersonId>,
    now: DateTime<Utc>,
    calendar: &crate::rules::calendar::Calendar,
) -> TodayAction {
    let words = call_words(directory, team, None, now, calendar);
    TodayAction {
        kind: TodayActionKind::Call {
            team,
            regarding_share,
            about,
        },
        label: words.label,
        enabled: words.enabled,
        detail: words.detail,
    }
}

fn nav(kind: TodayActionKind, label: &str) -> TodayAction {
    TodayAction {
        kind,
        label: label.to_owned(),
        enabled: true,
        detail: None,
    }
}

/// Words one attention item; `call(team, regarding_share, about)` makes its call action;
/// `referral_children` says who each chased referral is about.
fn item(
    attention: AttentionNow,
    now: DateTime<Utc>,
    referral_children: &[(ReferralId, PersonId)],
    call: impl Fn(TeamId, Option<ShareId>, Option<PersonId>) -> TodayAction,
) -> TodayItem {
    let item = attention.item;
    // Items with no deadline of their own (the rule's "standing prompts") say since when.
    let standing = matches!(
        item.kind,
        AttentionKind::PatternAlert { .. } | AttentionKind::CheckReadBack { .. }
    );
    let (tone, headline) = if item.immediate_risk {
        (Tone::ImmediateRisk, "IMMEDIATE RISK")
    } else if standing {
        (Tone::ActionNeeded, "To do")
    } else if item.overdue {
        (Tone::Overdue, "Overdue")
    } else {
        (Tone::DueSoon, "Due soon")
    };
    let at = london_time(item.due, now);
    let when = if standing {
        format!("Since {at}")
    } else if item.overdue {
        format!("Was due {at}")
    } else {
        format!("Due {at}")
    };
    let actions = match &item.kind {
        AttentionKind::ChaseReferralDecision {
            referral,
            front_door,
        } => vec![
            call(
                *front_door,
                None,
                referral_children
                    .iter()
                    .find(|(id, _)| id == referral)
                    .map(|(_, child)| *child),
            ),
            nav(
                TodayActionKind::OpenReferral {
                    referral: *referral,
                },
                "Open referral",
            ),
        ],
        AttentionKind::ReferralDecisionDueSoon { referral } => vec![nav(
            TodayActionKind::OpenReferral {
                referral: *referral,
            },
            "Open referral",
        )],
        AttentionKind::CallTeamNow { share, team, .. } => vec![
            call(*team, Some(*share), None),
            nav(
                TodayActionKind::OpenSentShare { share: *share },
                "Open share",
            ),
        ],
        AttentionKind::AcknowledgementDueSoon {
            share,
            team,
            phone_now,
        } => {
            let open = nav(
                TodayActionKind::OpenSentShare { share: *share },
                "Open share",
            );
            if *phone_now {
                vec![call(*team, Some(*share), None), open]
            } else {
                vec![open]
            }
        }
        AttentionKind::IncomingShareNotReadable { sender_team, .. } => {
            let sync = nav(TodayActionKind::OpenSync, "Open sync");
            match sender_team {
                Some(team) => vec![call(*team, None, None), sync],
                None => vec![sync],
            }
        }
        AttentionKind::AcknowledgeIncomingShare { share, .. } => vec![nav(
            TodayActionKind::AcknowledgeShare { share: *share },
            "Read and acknowledge",
        )],
        AttentionKind::CheckReadBack { share } => vec![nav(
            TodayActionKind::OpenSentShare { share: *share },
            "Check read-back",
        )],
        AttentionKind::CorrectReadBack { share, team } => vec![
            call(*team, Some(*share), None),
            nav(
                TodayActionKind::OpenSentShare { share: *share },
                "Open share",
            ),
        ],
        AttentionKind::EscalationStep { referral, .. } => vec![nav(
            TodayActionKind::OpenReferral {
                referral: *referral,
            },
            "Open escalation",
        )],
        AttentionKind::PatternAlert { key } => vec![nav(
            TodayActionKind::ReviewChild { child: key.child },
            "Review chronology",
        )],
        AttentionKind::ChecklistItem { about, .. } => vec![nav(
            TodayActionKind::OpenChecklists { person: *about },
            "Open checklist",
        )],
    };
    TodayItem {
        tone,
        headline: headline.to_owned(),
        text: item.why,
        when,
        due_at: item.due,
        actions,
    }
}
