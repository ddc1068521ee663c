//! The receiving side of a transfer of care and the household's team (issue 21), reached with
//! `Transfers(session)`. Every rule, record and sentence is core's
//! (`safeshare_core::app::TransferHandle`, `safeshare_core::app::TeamAroundChildHandle`).

use crate::error::Result;
use crate::session::{OverCore, Session, Transfers};
use safeshare_core::app as core_app;
use safeshare_core::boundary::CalendarDate;
use safeshare_core::casework::team_around_child::{
    HealthStaff, HouseholdTeam, Involvement, MemberId, NewInvolvement,
};
use safeshare_core::model::{HouseholdId, PersonId, ShareId};
use std::sync::Arc;

#[uniffi::export]
impl Transfers {
    /// Transfers and the household's team over `session`'s store.
    #[uniffi::constructor]
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        Transfers::over(&session)
    }

    /// The transfers of care sent to this practitioner's teams, oldest first, and their state.
    pub fn expected(&self) -> Result<Vec<core_app::ExpectedTransfer>> {
        self.run(|s| s.transfers().expected())
    }

    /// Takes the child of an acknowledged transfer onto this caseload (see core's
    /// `TransferHandle::take_on`).
    pub fn take_on(&self, share_id: ShareId) -> Result<core_app::TransferTakeOn> {
        self.run(|s| s.transfers().take_on(share_id))
    }

    /// The practitioner's choice after `Confirm`: the same person as one here, or a new one.
    pub fn take_on_resolved(
        &self,
        share_id: ShareId,
        choice: core_app::SubjectChoice,
    ) -> Result<core_app::TransferTakeOn> {
        self.run(|s| s.transfers().take_on_resolved(share_id, choice))
    }

    /// Adds a professional or team for every child of a household; returns the member's id.
    pub fn involve_for_household(
        &self,
        household_id: HouseholdId,
        new: NewInvolvement,
    ) -> Result<MemberId> {
        self.run(|s| {
            s.team_around_child()
                .involve_for_household(household_id, new)
        })
    }

    /// Ends a household member's involvement on `to`.
    pub fn end_household_involvement(
        &self,
        household_id: HouseholdId,
        member_id: MemberId,
        to: CalendarDate,
    ) -> Result<()> {
        self.run(|s| {
            s.team_around_child()
                .end_household_involvement(household_id, member_id, to)
        })
    }

    /// The members added for a household (none before the first).
    pub fn household_team(&self, household_id: HouseholdId) -> Result<Option<HouseholdTeam>> {
        self.run(|s| s.team_around_child().household_team(household_id))
    }

    /// Everyone in the team around a child, household members included, current and ended.
    pub fn members(&self, child_id: PersonId) -> Result<Vec<Involvement>> {
        self.run(|s| s.team_around_child().members(child_id))
    }

    /// The health staff a meeting pack for the child lists, from the team around the child.
    pub fn health_staff(&self, child_id: PersonId) -> Result<Vec<HealthStaff>> {
        self.run(|s| s.team_around_child().health_staff(child_id))
    }
}
