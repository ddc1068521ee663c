//! The team around the child and sending a transfer of care (issue 21), reached with
//! `TeamAroundChild(session)`. Every rule, record and sentence is core's
//! (`safeshare_core::app::TeamAroundChildHandle`, `safeshare_core::app::TransferHandle`).

use crate::error::Result;
use crate::session::{list, OverCore, Session, TeamAroundChild};
use safeshare_core::boundary::CalendarDate;
use safeshare_core::casework::team_around_child::{
    MemberId, NewInvolvement, NewSocialCareStatus, TeamView,
};
use safeshare_core::casework::transfer::{NewTransfer, TransferSummary};
use safeshare_core::directory::{Service, TeamSummary};
use safeshare_core::model::{ObservationId, PersonId, Severity, TeamId};
use std::sync::Arc;

#[uniffi::export]
impl TeamAroundChild {
    /// The team around the child over `session`'s store.
    #[uniffi::constructor]
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        TeamAroundChild::over(&session)
    }

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

    /// The team around the child and the social care status.
    pub fn team(&self, child_id: PersonId) -> Result<TeamView> {
        self.run(|s| s.team_around_child().view(child_id))
    }

    /// The prompt to share a concern just captured with the involved teams not yet told, if any.
    pub fn prompt_after_capture(&self, observation_id: ObservationId) -> Result<Option<String>> {
        self.run(|s| s.team_around_child().prompt_after_capture(observation_id))
    }

    /// The directory teams to suggest sharing a concern with (involved, not yet sent it).
    pub fn suggested_teams(&self, observation_id: ObservationId) -> Result<Vec<TeamId>> {
        self.run(|s| {
            s.team_around_child()
                .telling_state(observation_id)
                .map(|state| state.suggested_teams())
        })
    }

    /// The teams providing `service` that cover the family's new postcode.
    pub fn receiving_teams(&self, service: Service, postcode: String) -> Result<Vec<TeamSummary>> {
        self.run(|s| s.transfers().receiving_team_summaries(service, &postcode))
    }

    /// Sends a transfer of care to the receiving team (see core's `TransferHandle::send`).
    #[allow(clippy::too_many_arguments)] // one argument per field of the transfer form
    pub fn send_transfer(
        &self,
        child_id: PersonId,
        team_id: TeamId,
        new_postcode: String,
        new_address: Option<String>,
        moving_on: Option<CalendarDate>,
        message: String,
        severity: Option<Severity>,
        health_needs: String,
        medication: String,
        follow_up_appointments: String,
    ) -> Result<TransferSummary> {
        let new = NewTransfer {
            child: child_id,
            team: team_id,
            new_postcode,
            new_address,
            moving_on,
            message,
            severity,
            health_needs,
            medication,
            follow_up_appointments,
        };
        self.run(|s| s.transfers().send(new).map(Into::into))
    }

    /// The transfers of care sent for a child, oldest first.
    pub fn transfers_of(&self, child_id: PersonId) -> Result<Vec<TransferSummary>> {
        self.run(|s| s.transfers().transfers_of(child_id).map(list))
    }
}
