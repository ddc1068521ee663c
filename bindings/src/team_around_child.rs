//! The team around the child and transfer of care (issue 21) for the shells: who is involved
//! with a child, the lead professional, the children's social care status, who has not yet been
//! told about a concern, and sending a transfer of care when a family moves. Translation only:
//! every rule and every sentence shown is core's (`safeshare_core::casework::team_around_child`,
//! `safeshare_core::casework::transfer`).
//!
//! Reached with `TeamAroundChild(session)` (a constructor, like `SessionTools`), so the
//! session's handle list is unchanged. Member ids are ULID text.

use crate::contacts::TeamSummary;
use crate::error::{guard, SafeShareError};
use crate::session::Session;
use safeshare_core::app as core_app;
use safeshare_core::boundary::{CalendarDate, UtcInstant};
use safeshare_core::casework::checklist::ContactRef;
use safeshare_core::casework::team_around_child as core_team;
use safeshare_core::casework::transfer as core_transfer;
use safeshare_core::directory::Service;
use safeshare_core::model::{ObservationId, PersonId, Severity, ShareId, TeamId};
use std::sync::Arc;

/// The team around the child and transfers of care, over one session's store.
#[derive(uniffi::Object)]
pub struct TeamAroundChild {
    inner: Arc<core_app::Session>,
}

/// A professional's role with the child.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ProfessionalRole {
    /// Midwife.
    Midwife,
    /// Health visitor.
    HealthVisitor,
    /// GP.
    Gp,
    /// School nurse.
    SchoolNurse,
    /// Paediatrician.
    Paediatrician,
    /// CAMHS.
    Camhs,
    /// Social worker.
    SocialWorker,
    /// Early help worker.
    EarlyHelpWorker,
    /// Another role, named.
    Other {
        /// The role's name.
        name: String,
    },
}

impl From<ProfessionalRole> for core_team::ProfessionalRole {
    fn from(role: ProfessionalRole) -> Self {
        use core_team::ProfessionalRole as R;
        match role {
            ProfessionalRole::Midwife => R::Midwife,
            ProfessionalRole::HealthVisitor => R::HealthVisitor,
            ProfessionalRole::Gp => R::Gp,
            ProfessionalRole::SchoolNurse => R::SchoolNurse,
            ProfessionalRole::Paediatrician => R::Paediatrician,
            ProfessionalRole::Camhs => R::Camhs,
            ProfessionalRole::SocialWorker => R::SocialWorker,
            ProfessionalRole::EarlyHelpWorker => R::EarlyHelpWorker,
            ProfessionalRole::Other { name } => R::Other(name),
        }
    }
}

/// Where a child stands with children's social care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SocialCareLevel {
    /// Not open to children's social care (not `None`: Swift's optionals use that name).
    NotOpen,
    /// Early help.
    EarlyHelp,
    /// Child in need.
    ChildInNeed,
    /// Child protection plan.
    ChildProtectionPlan,
    /// Looked after.
    LookedAfter,
}

impl From<SocialCareLevel> for core_team::SocialCareLevel {
    fn from(level: SocialCareLevel) -> Self {
        use core_team::SocialCareLevel as L;
        match level {
            SocialCareLevel::NotOpen => L::None,
            SocialCareLevel::EarlyHelp => L::EarlyHelp,
            SocialCareLevel::ChildInNeed => L::ChildInNeed,
            SocialCareLevel::ChildProtectionPlan => L::ChildProtectionPlan,
            SocialCareLevel::LookedAfter => L::LookedAfter,
        }
    }
}

/// The services a receiving team is searched for by postcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReceivingService {
    /// Community midwifery.
    Midwifery,
    /// Health visiting.
    HealthVisiting,
    /// School nursing.
    SchoolNursing,
}

/// One member of the team around the child, as the screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TeamMember {
    /// The member's id (ULID text), for `set_lead`, `end_involvement` and the social worker.
    pub member_id: String,
    /// "Name, role (team)", core's wording.
    pub description: String,
    /// What they lead on (may be empty).
    pub leads_on: String,
    /// Involved from.
    pub from: CalendarDate,
    /// Involved until, once ended.
    pub to: Option<CalendarDate>,
    /// The directory team, when the member is one (to share with or call).
    pub team_id: Option<TeamId>,
    /// Whether they are the lead professional.
    pub is_lead: bool,
}

/// The team around one child.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TeamView {
    /// Every member, current and ended.
    pub members: Vec<TeamMember>,
    /// The children's social care status in words, when recorded.
    pub social_care: Option<String>,
}

/// A transfer of care as the sender's screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TransferSummary {
    /// The share that carried it.
    pub share_id: ShareId,
    /// The receiving team's name.
    pub team_name: String,
    /// When acknowledgement is due.
    pub due_at: UtcInstant,
    /// Whether the receiving team acknowledged it.
    pub transferred: bool,
    /// "Transferred to … on …" or "… not yet acknowledged", core's wording.
    pub summary: String,
}

impl From<core_transfer::TransferRecord> for TransferSummary {
    fn from(r: core_transfer::TransferRecord) -> Self {
        TransferSummary {
            share_id: r.share,
            team_name: r.team_name.clone(),
            due_at: r.due_at,
            transferred: r.is_complete(),
            summary: r.summary(),
        }
    }
}

fn member_id(text: &str) -> Result<core_team::MemberId, SafeShareError> {
    core_team::MemberId::from_string(text)
        .map_err(|_| SafeShareError::validation("member_id", "not a team member's id"))
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

    /// Adds a directory team (optionally a named professional in it); returns the member id.
    pub fn involve_team(
        &self,
        child_id: PersonId,
        team_id: TeamId,
        role: ProfessionalRole,
        professional_name: Option<String>,
        leads_on: String,
        from: CalendarDate,
    ) -> Result<String, SafeShareError> {
        guard(|| {
            let new = core_team::NewInvolvement {
                contact: ContactRef::Directory {
                    team: team_id,
                    label: String::new(),
                },
                professional_name,
                role: role.into(),
                leads_on,
                from,
            };
            Ok(self
                .inner
                .team_around_child()
                .involve(child_id, new)?
                .to_string())
        })
    }

    /// Adds a contact not in the directory (name, role and organisation, phone numbers).
    pub fn involve_contact(
        &self,
        child_id: PersonId,
        contact: ContactRef,
        role: ProfessionalRole,
        leads_on: String,
        from: CalendarDate,
    ) -> Result<String, SafeShareError> {
        guard(|| {
            let new = core_team::NewInvolvement {
                contact,
                professional_name: None,
                role: role.into(),
                leads_on,
                from,
            };
            Ok(self
                .inner
                .team_around_child()
                .involve(child_id, new)?
                .to_string())
        })
    }

    /// Ends a member's involvement on `to`.
    pub fn end_involvement(
        &self,
        child_id: PersonId,
        member_id_text: String,
        to: CalendarDate,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            let id = member_id(&member_id_text)?;
            Ok(self
                .inner
                .team_around_child()
                .end_involvement(child_id, id, to)?)
        })
    }

    /// Names the lead professional.
    pub fn set_lead(
        &self,
        child_id: PersonId,
        member_id_text: String,
    ) -> Result<(), SafeShareError> {
        guard(|| {
            let id = member_id(&member_id_text)?;
            Ok(self.inner.team_around_child().set_lead(child_id, id)?)
        })
    }

    /// Records the children's social care status; returns it in words.
    pub fn set_social_care_status(
        &self,
        child_id: PersonId,
        level: SocialCareLevel,
        social_worker_member_id: Option<String>,
        since: CalendarDate,
    ) -> Result<String, SafeShareError> {
        guard(|| {
            let social_worker = social_worker_member_id
                .as_deref()
                .map(member_id)
                .transpose()?;
            let status = self.inner.team_around_child().set_social_care_status(
                child_id,
                core_team::NewSocialCareStatus {
                    level: level.into(),
                    social_worker,
                    since,
                },
            )?;
            Ok(status.summary())
        })
    }

    /// The team around the child and the social care status.
    pub fn team(&self, child_id: PersonId) -> Result<TeamView, SafeShareError> {
        guard(|| {
            let handle = self.inner.team_around_child();
            let members = handle
                .team(child_id)?
                .map(|team| {
                    team.members
                        .iter()
                        .map(|m| TeamMember {
                            member_id: m.id.to_string(),
                            description: m.describe(),
                            leads_on: m.leads_on.clone(),
                            from: m.from,
                            to: m.to,
                            team_id: m.team(),
                            is_lead: team.lead == Some(m.id),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let social_care = handle.social_care_status(child_id)?.map(|s| s.summary());
            Ok(TeamView {
                members,
                social_care,
            })
        })
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
        service: ReceivingService,
        postcode: String,
    ) -> Result<Vec<TeamSummary>, SafeShareError> {
        guard(|| {
            let service = match service {
                ReceivingService::Midwifery => Service::Midwifery,
                ReceivingService::HealthVisiting => Service::HealthVisiting,
                ReceivingService::SchoolNursing => Service::SchoolNursing,
            };
            Ok(self
                .inner
                .transfers()
                .receiving_teams(service, &postcode)?
                .iter()
                .map(TeamSummary::from)
                .collect())
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
        guard(|| {
            Ok(self
                .inner
                .transfers()
                .send(core_transfer::NewTransfer {
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
                })?
                .into())
        })
    }

    /// The transfers of care sent for a child, oldest first.
    pub fn transfers_of(&self, child_id: PersonId) -> Result<Vec<TransferSummary>, SafeShareError> {
        guard(|| {
            Ok(self
                .inner
                .transfers()
                .transfers_of(child_id)?
                .into_iter()
                .map(TransferSummary::from)
                .collect())
        })
    }
}
