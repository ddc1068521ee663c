//! The session's handle on the team around the child ([`Session::team_around_child`]): who is
//! involved with a child, the lead professional, the children's social care status, who has
//! and has not been told about a concern, and the meeting pack's health staff.
//!
//! The records and their rules are [`crate::casework::team_around_child`]'s; this module reads
//! and writes them through the store, one transaction per user action. Each record is keyed by
//! the child's id: the first change inserts it, every later change amends it with the change in
//! words as the reason, so the store's history is the history of the team and of the status
//! (nothing overwritten). Every check (the person is a child, the team is in the directory, the
//! member exists, every date is within [`DateBounds`] at the store clock's London date) happens
//! before anything is written. The date bound lives here, not in a screen, so the forms, the
//! bindings and tests refuse the same dates with one error ([`TeamError::DateOutOfRange`], on
//! the field `from`, `to` or `since`); the forms show the same wording next to the field.
//!
//! Household-level members ([`HouseholdTeam`], keyed by the household's id, versioned the same
//! way) apply to every child of the household: [`TeamAroundChildHandle::team`] and everything
//! built from it (who has been told, the meeting pack's health staff, a checklist's contacts,
//! the transfer pack) read the child's team merged with its household's
//! ([`TeamAroundChild::with_household`]); each household change appears in each child's
//! chronology. The lead professional and the social care status stay per child
//! (docs/clinical-decisions.md, "Household-level members").

use super::records::{ShareDirection, StoredShare};
use super::{AppError, Reason, Session};
use crate::casework::checklist::ContactRef;
use crate::casework::meeting::{entries_from_rules_chronology, MeetingPack, NewMeetingPack};
use crate::casework::supervision::{OversightPolicy, SupervisionRecord};
use crate::casework::team_around_child::{
    telling_state, DateBounds, HealthStaff, HouseholdTeam, Involvement, NewInvolvement,
    NewSocialCareStatus, ShareSent, SocialCareStatus, TeamAroundChild, TeamError, TeamView,
    TellingState,
};
use crate::model::{london_date, Household, HouseholdId, ObservationId, Person, PersonId, ShareId};
use crate::rules::patterns::{ChronologyEntry, EntryKind};
use crate::store::{ListFilter, Record, StoreError, StoredRecord, WriteTx};
use chrono::NaiveDate;
use std::borrow::Cow;
use ulid::Ulid;

/// The team-around-the-child feature of a [`Session`].
#[derive(Debug, Clone, Copy)]
pub struct TeamAroundChildHandle<'a> {
    session: &'a Session,
}

impl Session {
    /// The team around the child: members, lead professional, social care status, who has
    /// been told.
    pub fn team_around_child(&self) -> TeamAroundChildHandle<'_> {
        TeamAroundChildHandle { session: self }
    }
}

impl TeamAroundChildHandle<'_> {
    /// Adds a professional or team to the team around `child`; returns the member's id. A
    /// directory contact must name a team in the directory (its name is taken from there).
    /// "Involved from" is refused (`Validation` on `from`, [`TeamError::DateOutOfRange`]) when
    /// it is after today or more than 42 weeks before the child's date of birth or expected
    /// date of delivery.
    pub fn involve(&self, child: PersonId, mut new: NewInvolvement) -> Result<Ulid, AppError> {
        if let ContactRef::Directory { team, label } = &mut new.contact {
            self.session
                .directory()
                .named_team(*team, label)
                .ok_or_else(|| AppError::not_found("team", *team))?;
        }
        let actor = self.session.actor();
        self.change(child, |team, tx, bounds| {
            bounds.check("from", new.from)?;
            team.involve(new, actor, tx.now())
        })
    }

    /// Ends a member's involvement on `to` (Europe/London date): not after today (an ended
    /// member stops being current at once) nor outside the child's [`DateBounds`]
    /// (`Validation` on `to`).
    pub fn end_involvement(
        &self,
        child: PersonId,
        member: Ulid,
        to: NaiveDate,
    ) -> Result<(), AppError> {
        let actor = self.session.actor();
        self.change(child, |team, tx, bounds| {
            bounds.check("to", to)?;
            team.end_involvement(member, to, actor, tx.now())
        })
    }

    /// Adds a professional or team for every child of `household` (siblings share the health
    /// visitor, the GP, often the social worker); returns the member's id. A directory contact
    /// must name a team in the directory (its name is taken from there). "Involved from" after
    /// today is refused (`Validation` on `from`); its only lower bound is
    /// [`DateBounds::floor`] (a household member may have started with an older sibling, but
    /// a mistyped year is refused).
    pub fn involve_for_household(
        &self,
        household: HouseholdId,
        mut new: NewInvolvement,
    ) -> Result<Ulid, AppError> {
        if let ContactRef::Directory { team, label } = &mut new.contact {
            self.session
                .directory()
                .named_team(*team, label)
                .ok_or_else(|| AppError::not_found("team", *team))?;
        }
        let actor = self.session.actor();
        self.change_household(household, |team, tx, bounds| {
            bounds.check("from", new.from)?;
            team.involve(new, actor, tx.now())
        })
    }

    /// Ends a household member's involvement on `to` (Europe/London date), not after today
    /// (`Validation` on `to`).
    pub fn end_household_involvement(
        &self,
        household: HouseholdId,
        member: Ulid,
        to: NaiveDate,
    ) -> Result<(), AppError> {
        let actor = self.session.actor();
        self.change_household(household, |team, tx, bounds| {
            bounds.check("to", to)?;
            team.end_involvement(member, to, actor, tx.now())
        })
    }

    /// The members added for `household` (`None` before any).
    pub fn household_team(
        &self,
        household: HouseholdId,
    ) -> Result<Option<HouseholdTeam>, AppError> {
        self.read(|tx| Ok(latest_household(tx, household)?.map(|r| r.body)))
    }

    /// Names `member` the lead professional.
    pub fn set_lead(&self, child: PersonId, member: Ulid) -> Result<(), AppError> {
        let actor = self.session.actor();
        self.change(child, |team, tx, _| team.set_lead(member, actor, tx.now()))
    }

    /// Records the child's children's social care status (a new version when one exists).
    /// "Since" is held to the child's [`DateBounds`] (`Validation` on `since`).
    pub fn set_social_care_status(
        &self,
        child: PersonId,
        new: NewSocialCareStatus,
    ) -> Result<SocialCareStatus, AppError> {
        let actor = self.session.actor();
        let result = self.session.with_store(|store| {
            store.write(actor, |tx| {
                let person = child_in(tx, child)?;
                DateBounds::for_child(london_date(tx.now()), &person).check("since", new.since)?;
                // The social worker may be a household-level member (a family's social worker).
                let team = match team_view(tx, &person)? {
                    Some(team) => team,
                    None => TeamAroundChild::new(child, person.household, actor, tx.now()),
                };
                let status = SocialCareStatus::record(&team, new, actor, tx.now())?;
                let reason = status.summary();
                match latest::<SocialCareStatus>(tx, child)? {
                    None => super::records::insert(tx, &status)?,
                    Some(r) => super::records::amend(tx, r.version, &status, &reason)?,
                };
                Ok(status)
            })
        });
        self.session
            .notify_if_ok(super::ChangeCause::TeamChanged, result)
    }

    /// The team around `child` now, household-level members included (marked `household`,
    /// after the child's own); `None` before anyone is recorded for the child or its household.
    pub fn team(&self, child: PersonId) -> Result<Option<TeamAroundChild>, AppError> {
        self.read(|tx| {
            let person = child_in(tx, child)?;
            team_view(tx, &person)
        })
    }

    /// Everyone in the team around `child`, household-level members included, current and
    /// ended; empty before anyone is recorded.
    pub fn members(&self, child: PersonId) -> Result<Vec<Involvement>, AppError> {
        Ok(self.team(child)?.map(|t| t.members).unwrap_or_default())
    }

    /// The team around `child` and the social care status, as a screen shows them.
    pub fn view(&self, child: PersonId) -> Result<TeamView, AppError> {
        let team = self.team(child)?;
        let status = self.social_care_status(child)?;
        Ok(TeamView::new(team.as_ref(), status.as_ref()))
    }

    /// Every version of the child's own team around the child (household-level changes are
    /// in [`TeamAroundChildHandle::household_team`] and the chronology), oldest first.
    pub fn history(&self, child: PersonId) -> Result<Vec<TeamAroundChild>, AppError> {
        self.read(|tx| versions::<TeamAroundChild>(tx, child))
    }

    /// The child's social care status now (`None` before one is recorded).
    pub fn social_care_status(
        &self,
        child: PersonId,
    ) -> Result<Option<SocialCareStatus>, AppError> {
        self.read(|tx| Ok(latest::<SocialCareStatus>(tx, child)?.map(|r| r.body)))
    }

    /// Every recorded social care status of `child`, oldest first.
    pub fn social_care_history(&self, child: PersonId) -> Result<Vec<SocialCareStatus>, AppError> {
        self.read(|tx| versions::<SocialCareStatus>(tx, child))
    }

    /// Who in the team around the child has and has not been sent `observation`. The
    /// practitioner's own teams are left out; sharing suggests
    /// [`TellingState::suggested_teams`].
    pub fn telling_state(&self, observation: ObservationId) -> Result<TellingState, AppError> {
        let own = self.session.identity().team_ids();
        self.read(|tx| {
            let o = tx
                .get::<crate::model::Observation>(crate::model::Observation::KIND, observation)?
                .body;
            let person = tx.get::<Person>(Person::KIND, o.about)?.body;
            let team = team_view(tx, &person)?;
            let shares = shares_about(tx, o.about)?;
            Ok(match team {
                Some(team) => telling_state(&team, observation, &shares, &own),
                None => TellingState {
                    observation,
                    told: Vec::new(),
                    not_told: Vec::new(),
                },
            })
        })
    }

    /// What to prompt right after a concern is captured: "Share with the involved teams not
    /// yet told: …", naming the directory teams to suggest (and the captured contacts to phone),
    /// or `None` when everyone involved has been sent it. Every concern category the briefings
    /// list prompts, "other" included: a named concern is still new information for the team.
    pub fn prompt_after_capture(
        &self,
        observation: ObservationId,
    ) -> Result<Option<String>, AppError> {
        let state = self.telling_state(observation)?;
        if state.not_told.is_empty() {
            return Ok(None);
        }
        let names: Vec<String> = state.not_told.iter().map(|m| m.describe()).collect();
        Ok(Some(format!(
            "Do not assume they already know. Share with the involved teams not yet told: {}",
            names.join("; ")
        )))
    }

    /// For a share sent: for each concern it carried, who in the team around the child has
    /// and has not been sent it (this share included).
    pub fn telling_state_of_share(&self, share: ShareId) -> Result<Vec<TellingState>, AppError> {
        let stored = self.session.with_store(|store| {
            Ok(store
                .get::<StoredShare>(self.session.actor(), StoredShare::KIND, share)?
                .body)
        })?;
        if stored.direction != ShareDirection::Outgoing {
            return Err(AppError::refused(
                "who has been told is known only for shares this practitioner sent",
            ));
        }
        stored
            .content
            .observations
            .iter()
            .map(|o| self.telling_state(o.id))
            .collect()
    }

    /// The health staff a meeting pack for `child` lists now: the current members of the team
    /// around the child (household-level ones included) in a health role.
    pub fn health_staff(&self, child: PersonId) -> Result<Vec<HealthStaff>, AppError> {
        Ok(self
            .team(child)?
            .map(|t| t.health_staff())
            .unwrap_or_default())
    }

    /// The contacts of every current member, for a checklist's contacts item.
    pub fn checklist_contacts(&self, child: PersonId) -> Result<Vec<ContactRef>, AppError> {
        Ok(self.team(child)?.map(|t| t.contacts()).unwrap_or_default())
    }

    /// Prepares and stores a meeting pack for `new.child`: concerns and the child's voice from
    /// the chronology, and the "health staff involved" section from the team around the child
    /// (so the practitioner is not asked for them each time).
    pub fn prepare_meeting_pack(&self, new: NewMeetingPack) -> Result<MeetingPack, AppError> {
        let actor = self.session.actor();
        let result = self.session.with_store(|store| {
            store.write(actor, |tx| {
                let person = child_in(tx, new.child)?;
                let chronology = super::review::entries_about(tx, &person)?;
                let mut entries = entries_from_rules_chronology(&chronology);
                if let Some(team) = team_view(tx, &person)? {
                    entries.extend(team.health_staff_entries(tx.now()));
                }
                let supervision: Vec<SupervisionRecord> = tx
                    .list::<SupervisionRecord>(SupervisionRecord::KIND, &ListFilter::default())?
                    .into_iter()
                    .map(|r| r.body)
                    .collect();
                let pack = MeetingPack::assemble(
                    new,
                    &entries,
                    &supervision,
                    OversightPolicy::default(),
                    tx.now(),
                )
                .map_err(|e| AppError::validation("meeting_pack", e))?;
                super::records::insert(tx, &pack)?;
                Ok(pack)
            })
        });
        self.session
            .notify_if_ok(super::ChangeCause::MeetingPackRecorded, result)
    }

    fn change<R>(
        &self,
        child: PersonId,
        change: impl FnOnce(&mut TeamAroundChild, &mut WriteTx<'_>, DateBounds) -> Result<R, TeamError>,
    ) -> Result<R, AppError> {
        let actor = self.session.actor();
        let result = self.session.with_store(|store| {
            store.write(actor, |tx| {
                let person = child_in(tx, child)?;
                let bounds = DateBounds::for_child(london_date(tx.now()), &person);
                let current = latest::<TeamAroundChild>(tx, child)?;
                let mut team = match &current {
                    Some(r) => r.body.clone(),
                    None => TeamAroundChild::new(child, person.household, actor, tx.now()),
                };
                let out = change(&mut team, tx, bounds)?;
                match current {
                    None => super::records::insert(tx, &team)?,
                    Some(r) => super::records::amend(tx, r.version, &team, &team.change)?,
                };
                Ok(out)
            })
        });
        // After the commit: the write has returned.
        self.session
            .notify_if_ok(super::ChangeCause::TeamChanged, result)
    }

    fn change_household<R>(
        &self,
        household: HouseholdId,
        change: impl FnOnce(&mut HouseholdTeam, &mut WriteTx<'_>, DateBounds) -> Result<R, TeamError>,
    ) -> Result<R, AppError> {
        let actor = self.session.actor();
        let result = self.session.with_store(|store| {
            store.write(actor, |tx| {
                // The household must exist here before anything is written for it.
                tx.get::<Household>(Household::KIND, household)?;
                let current = latest_household(tx, household)?;
                let mut team = match &current {
                    Some(r) => r.body.clone(),
                    None => HouseholdTeam::new(household, actor, tx.now()),
                };
                let bounds = DateBounds::for_household(london_date(tx.now()));
                let out = change(&mut team, tx, bounds)?;
                match current {
                    None => super::records::insert(tx, &team)?,
                    Some(r) => super::records::amend(tx, r.version, &team, &team.change)?,
                };
                Ok(out)
            })
        });
        // After the commit: the write has returned.
        self.session
            .notify_if_ok(super::ChangeCause::TeamChanged, result)
    }

    fn read<R>(
        &self,
        work: impl FnOnce(&mut WriteTx<'_>) -> Result<R, AppError>,
    ) -> Result<R, AppError> {
        // A write transaction so each read is audited in the same transaction as it happens.
        self.session
            .with_store(|store| store.write(self.session.actor(), work))
    }
}

/// The chronology entries of the team around `person` and of their social care status: one
/// per version, at the time it was recorded.
pub(crate) fn chronology_entries(
    tx: &mut WriteTx<'_>,
    person: &Person,
) -> Result<Vec<ChronologyEntry>, AppError> {
    let mut entries = Vec::new();
    for team in versions::<TeamAroundChild>(tx, person.id)? {
        if team.change.is_empty() {
            continue;
        }
        entries.push(ChronologyEntry {
            at: team.changed_at,
            about: Some(person.id),
            household: Some(person.household),
            kind: EntryKind::TeamAroundChild,
            summary: team.change.clone(),
        });
    }
    for team in household_versions(tx, person.household)? {
        if team.change.is_empty() {
            continue;
        }
        entries.push(ChronologyEntry {
            at: team.changed_at,
            about: Some(person.id),
            household: Some(person.household),
            kind: EntryKind::TeamAroundChild,
            summary: team.change.clone(),
        });
    }
    for status in versions::<SocialCareStatus>(tx, person.id)? {
        entries.push(ChronologyEntry {
            at: status.recorded_at,
            about: Some(person.id),
            household: Some(person.household),
            kind: EntryKind::SocialCareStatus,
            summary: status.summary(),
        });
    }
    Ok(entries)
}

/// The team around `person` as the team view shows it: the child's own team merged with the
/// household's members; `None` when neither has been recorded.
pub(crate) fn team_view(
    tx: &mut WriteTx<'_>,
    person: &Person,
) -> Result<Option<TeamAroundChild>, AppError> {
    let own = latest::<TeamAroundChild>(tx, person.id)?.map(|r| r.body);
    let household = latest_household(tx, person.household)?.map(|r| r.body);
    Ok(match (own, household) {
        (own, None) => own,
        (own, Some(household)) => {
            let own = own.unwrap_or_else(|| {
                TeamAroundChild::new(
                    person.id,
                    person.household,
                    household.changed_by,
                    household.changed_at,
                )
            });
            Some(own.with_household(&household))
        }
    })
}

fn latest_household(
    tx: &mut WriteTx<'_>,
    household: HouseholdId,
) -> Result<Option<Record<HouseholdTeam>>, AppError> {
    match tx.get::<HouseholdTeam>(HouseholdTeam::KIND, household) {
        Ok(r) => Ok(Some(r)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn household_versions(
    tx: &mut WriteTx<'_>,
    household: HouseholdId,
) -> Result<Vec<HouseholdTeam>, AppError> {
    match tx.history::<HouseholdTeam>(HouseholdTeam::KIND, household) {
        Ok(versions) => Ok(versions.into_iter().filter_map(|v| v.body).collect()),
        Err(StoreError::NotFound { .. }) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// `child` as a person on this device who is a child (born or unborn).
fn child_in(tx: &mut WriteTx<'_>, child: PersonId) -> Result<Person, AppError> {
    let person = tx.get::<Person>(Person::KIND, child)?.body;
    if !person.role.is_child() {
        return Err(AppError::validation(
            "child",
            // The session's own rule in its own words (a role's name, never the person's).
            Reason::Rule(Cow::Owned(format!(
                "the team around the child is kept for a child, not a {}",
                person.role.name()
            ))),
        ));
    }
    Ok(person)
}

/// The latest version of a per-child record, if there is one.
fn latest<T>(tx: &mut WriteTx<'_>, child: PersonId) -> Result<Option<Record<T>>, AppError>
where
    T: StoredRecord + serde::de::DeserializeOwned,
{
    match tx.get::<T>(T::KIND, child) {
        Ok(r) => Ok(Some(r)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Every version's body of a per-child record, oldest first (none when never recorded).
fn versions<T>(tx: &mut WriteTx<'_>, child: PersonId) -> Result<Vec<T>, AppError>
where
    T: StoredRecord + serde::de::DeserializeOwned,
{
    match tx.history::<T>(T::KIND, child) {
        Ok(versions) => Ok(versions.into_iter().filter_map(|v| v.body).collect()),
        Err(StoreError::NotFound { .. }) => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// The shares this device sent about `child`, as [`telling_state`] needs them.
fn shares_about(tx: &mut WriteTx<'_>, child: PersonId) -> Result<Vec<ShareSent>, AppError> {
    let filter = ListFilter {
        subject_person: Some(child),
        ..ListFilter::default()
    };
    Ok(tx
        .list::<StoredShare>(StoredShare::KIND, &filter)?
        .into_iter()
        .map(|r| r.body)
        .filter(|s| s.direction == ShareDirection::Outgoing)
        .map(|s| ShareSent {
            share: s.record.share.id,
            team: s.record.share.team,
            observations: s.content.observations.iter().map(|o| o.id).collect(),
            sent_at: s.record.share.sent_at,
            acknowledged: s.record.acknowledgement.is_some(),
        })
        .collect())
}
