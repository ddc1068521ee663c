//! The receiving side of a transfer of care and the household's team (issue 21) for the shells:
//! the families a team is expecting, taking a transferred child onto the caseload after the
//! read-back, members added for a whole household, and the health staff a meeting pack lists.
//! Translation only: every rule, record and sentence is core's
//! (`safeshare_core::app::TransferHandle`, `safeshare_core::app::TeamAroundChildHandle`), and
//! what crosses is core's own types (uniffi derives behind core's `uniffi` feature).
//!
//! Reached with `Transfers(session)` (a constructor, like `TeamAroundChild`), so the session's
//! handle list is unchanged.

use crate::error::{guard, SafeShareError};
use crate::session::Session;
use safeshare_core::app as core_app;
use safeshare_core::boundary::CalendarDate;
use safeshare_core::casework::team_around_child::{
    HealthStaff, HouseholdTeam, Involvement, MemberId, NewInvolvement,
};
use safeshare_core::model::{HouseholdId, PersonId, ShareId};
use std::sync::Arc;

/// Transfers of care on the receiving side, and the household's team, over one session's
/// store.
#[derive(uniffi::Object)]
pub struct Transfers {
    inner: Arc<core_app::Session>,
}

#[uniffi::export]
impl Transfers {
    /// Transfers and the household's team over `session`'s store.
    #[uniffi::constructor]
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        Arc::new(Transfers {
            inner: session.inner.clone(),
        })
    }

    /// The families this practitioner's teams are expecting (transfers of care sent to them),
    /// oldest first, with whether each was acknowledged and taken on here.
    pub fn expected(&self) -> Result<Vec<core_app::ExpectedTransfer>, SafeShareError> {
        guard(|| Ok(self.inner.transfers().expected()?))
    }

    /// Takes the child of an acknowledged transfer onto this caseload (identity matched on
    /// NHS number and date of birth, else `Confirm`), seeding the team around the child.
    pub fn take_on(&self, share_id: ShareId) -> Result<core_app::TransferTakeOn, SafeShareError> {
        guard(|| Ok(self.inner.transfers().take_on(share_id)?))
    }

    /// The practitioner's choice after `Confirm`: the same person as one here, or a new one.
    pub fn take_on_resolved(
        &self,
        share_id: ShareId,
        choice: core_app::SubjectChoice,
    ) -> Result<core_app::TransferTakeOn, SafeShareError> {
        guard(|| Ok(self.inner.transfers().take_on_resolved(share_id, choice)?))
    }

    /// Adds a professional or team for every child of a household; returns the member's id.
    pub fn involve_for_household(
        &self,
        household_id: HouseholdId,
        new: NewInvolvement,
    ) -> Result<MemberId, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .involve_for_household(household_id, new)?)
        })
    }

    /// Ends a household member's involvement on `to`.
    pub fn end_household_involvement(
        &self,
        household_id: HouseholdId,
        member_id: MemberId,
        to: CalendarDate,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            Ok(self.inner.team_around_child().end_household_involvement(
                household_id,
                member_id,
                to,
            )?)
        })
    }

    /// The members added for a household (none before the first).
    pub fn household_team(
        &self,
        household_id: HouseholdId,
    ) -> Result<Option<HouseholdTeam>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .household_team(household_id)?)
        })
    }

    /// Everyone in the team around a child, household-level members included (marked
    /// `household`), current and ended.
    pub fn members(&self, child_id: PersonId) -> Result<Vec<Involvement>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .team(child_id)?
                .map(|t| t.members)
                .unwrap_or_default())
        })
    }

    /// The health staff a meeting pack for the child lists, from the team around the child.
    pub fn health_staff(&self, child_id: PersonId) -> Result<Vec<HealthStaff>, SafeShareError> {
        guard(|| Ok(self.inner.team_around_child().health_staff(child_id)?))
    }
}
