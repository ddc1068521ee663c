//! The team around the child and transfer of care (issue 21) for the shells: who is involved
//! with a child, the lead professional, the children's social care status, who has not yet been
//! told about a concern, and sending a transfer of care when a family moves. Translation only:
//! every rule, record and sentence shown is core's (`safeshare_core::casework::team_around_child`,
//! `safeshare_core::casework::transfer`).
//!
//! Reached with `TeamAroundChild(session)` (a constructor, like `SessionTools`), so the
//! session's handle list is unchanged. Member ids are ULID text (a garbled one is `Validation`).

use crate::error::{guard, SafeShareError};
use crate::session::Session;
use safeshare_core::app as core_app;
use safeshare_core::boundary::CalendarDate;
use safeshare_core::casework::team_around_child::{
    MemberId, NewInvolvement, NewSocialCareStatus, TeamView,
};
use safeshare_core::casework::transfer::{NewTransfer, TransferSummary};
use safeshare_core::directory::{Service, TeamSummary};
use safeshare_core::model::{ObservationId, PersonId, Severity, TeamId};
use std::sync::Arc;

/// The team around the child and transfers of care, over one session's store.
#[derive(uniffi::Object)]
pub struct TeamAroundChild {
    inner: Arc<core_app::Session>,
}

#[uniffi::export]
impl TeamAroundChild {
    /// The team around the child over `session`'s store.
    #[uniffi::constructor]
    pub fn new(session: Arc<Session>) -> Arc<Self> {
        Arc::new(TeamAroundChild {
            inner: session.inner.clone(),
        })
    }

    /// Adds a professional: a directory team (`ContactRef.Directory`, its name filled by core;
    /// optionally a named professional in it) or a contact not in the directory
    /// (`ContactRef.Captured`); returns the member id.
    pub fn involve(
        &self,
        child_id: PersonId,
        new: NewInvolvement,
    ) -> Result<MemberId, SafeShareError> {
        guard(|| Ok(self.inner.team_around_child().involve(child_id, new)?))
    }

    /// Ends a member's involvement on `to`.
    pub fn end_involvement(
        &self,
        child_id: PersonId,
        member_id: MemberId,
        to: CalendarDate,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .end_involvement(child_id, member_id, to)?)
        })
    }

    /// Names the lead professional.
    pub fn set_lead(&self, child_id: PersonId, member_id: MemberId) -> Result<(), SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .set_lead(child_id, member_id)?)
        })
    }

    /// Records the children's social care status (the social worker by member id); returns it
    /// in words.
    pub fn set_social_care_status(
        &self,
        child_id: PersonId,
        status: NewSocialCareStatus,
    ) -> Result<String, SafeShareError> {
        guard(|| {
            let handle = self.inner.team_around_child();
            Ok(handle.set_social_care_status(child_id, status)?.summary())
        })
    }

    /// The team around the child and the social care status.
    pub fn team(&self, child_id: PersonId) -> Result<TeamView, SafeShareError> {
        guard(|| Ok(self.inner.team_around_child().view(child_id)?))
    }

    /// Right after a concern is captured: the prompt to share with the involved teams not yet
    /// told, or nothing when all have been sent it.
    pub fn prompt_after_capture(
        &self,
        observation_id: ObservationId,
    ) -> Result<Option<String>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .prompt_after_capture(observation_id)?)
        })
    }

    /// The directory teams to suggest sharing a concern with (involved, not yet sent it).
    pub fn suggested_teams(
        &self,
        observation_id: ObservationId,
    ) -> Result<Vec<TeamId>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .team_around_child()
                .telling_state(observation_id)?
                .suggested_teams())
        })
    }

    /// The teams providing `service` that cover the family's new postcode.
    pub fn receiving_teams(
        &self,
        service: Service,
        postcode: String,
    ) -> Result<Vec<TeamSummary>, SafeShareError> {
        guard(|| {
            let teams = self.inner.transfers().receiving_teams(service, &postcode)?;
            Ok(teams.iter().map(TeamSummary::from).collect())
        })
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
    ) -> Result<TransferSummary, SafeShareError> {
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
        guard(|| Ok(self.inner.transfers().send(new)?.into()))
    }

    /// The transfers of care sent for a child, oldest first.
    pub fn transfers_of(&self, child_id: PersonId) -> Result<Vec<TransferSummary>, SafeShareError> {
        guard(|| {
            let records = self.inner.transfers().transfers_of(child_id)?;
            Ok(records.into_iter().map(TransferSummary::from).collect())
        })
    }
}
