//! The team around the child and the household's team (issue 21), reached with
//! `session.teamAroundChild()`, with its screen. Every rule, record and sentence is core's
//! (`safeshare_core::app::TeamAroundChildHandle`, `safeshare_core::screens::team`).

use crate::error::Result;
use crate::session::{OverCore, TeamAroundChild};
use safeshare_core::boundary::CalendarDate;
use safeshare_core::casework::team_around_child::{MemberId, NewInvolvement, NewSocialCareStatus};
use safeshare_core::model::{HouseholdId, PersonId};
use safeshare_core::screens::TeamScreen;

#[uniffi::export]
impl TeamAroundChild {
    /// Adds a professional (a directory team or a contact not in it); returns the member id.
    pub fn involve(&self, child_id: PersonId, new: NewInvolvement) -> Result<MemberId> {
        self.run(|s| s.team_around_child().involve(child_id, new))
    }

    /// Ends a member's involvement on `to`.
    pub fn end_involvement(
        &self,
        child_id: PersonId,
        member_id: MemberId,
        to: CalendarDate,
    ) -> Result<()> {
        self.run(|s| {
            s.team_around_child()
                .end_involvement(child_id, member_id, to)
        })
    }

    /// Names the lead professional.
    pub fn set_lead(&self, child_id: PersonId, member_id: MemberId) -> Result<()> {
        self.run(|s| s.team_around_child().set_lead(child_id, member_id))
    }

    /// Records the children's social care status; returns it in words.
    pub fn set_social_care_status(
        &self,
        child_id: PersonId,
        status: NewSocialCareStatus,
    ) -> Result<String> {
        self.run(|s| {
            s.team_around_child()
                .set_social_care_status(child_id, status)
                .map(|status| status.summary())
        })
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

    /// The Team around the child screen: members current and ended, the lead, the social care
    /// status, who has not been told the latest concern, and the actions with whether each can
    /// be pressed.
    pub fn screen(&self, child_id: PersonId) -> Result<TeamScreen> {
        self.run(|s| s.team_screen(child_id))
    }
}
