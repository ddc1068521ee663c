//! An observation: one thing seen, heard or reported about one person, with its category,
//! severity and provenance (fact or opinion, and who said it or what it rests on).
//!
//! Invariants enforced by [`Observation::capture`]: a description is present; an "other"
//! category is named; it was not observed after it was recorded. Capture prompts
//! ([`CaptureWarning`]) never block capture: they are computed here and stored on the record
//! so a reviewer later sees what the practitioner was asked.
//!
//! An observation stays "open" until it is closed with a reason (a new version: the store keeps
//! the old one). Handover and discharge checklists pull every open observation for the person.

use super::concern::{ConcernCategory, Severity};
use super::error::{optional, required, ModelError};
use super::ids::{ObservationId, PersonId, PractitionerId, VisitId};
use super::phrasing::{capture_warnings, CaptureWarning, StatementKind};
use super::visit::Place;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How the practitioner knows what the description says. Fact and opinion are kept apart
/// because over- or under-emphasis when sharing is a known failure (docs/domain.md).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "evidence")]
pub enum Evidence {
    /// A fact the practitioner saw or heard themselves.
    ObservedFact,
    /// A fact reported by someone else.
    ReportedFact {
        /// Who reported it (e.g. "maternal grandmother, by phone"); prompted when missing.
        source: Option<String>,
    },
    /// The practitioner's professional opinion.
    Opinion {
        /// What it is based on; prompted when missing.
        basis: Option<String>,
    },
}

impl Evidence {
    /// Whether this is a fact (observed or reported) rather than an opinion.
    pub fn is_fact(&self) -> bool {
        !matches!(self, Evidence::Opinion { .. })
    }

    fn normalised(self) -> Self {
        match self {
            Evidence::ObservedFact => Evidence::ObservedFact,
            Evidence::ReportedFact { source } => Evidence::ReportedFact {
                source: optional(source),
            },
            Evidence::Opinion { basis } => Evidence::Opinion {
                basis: optional(basis),
            },
        }
    }

    /// How the capture prompts read this evidence (the one mapping; the bindings reuse it).
    pub fn statement_kind(&self) -> StatementKind<'_> {
        match self {
            Evidence::ObservedFact => StatementKind::ObservedFact,
            Evidence::ReportedFact { source } => StatementKind::ReportedFact {
                source: source.as_deref(),
            },
            Evidence::Opinion { basis } => StatementKind::Opinion {
                basis: basis.as_deref(),
            },
        }
    }
}

/// What is entered for an observation; [`Observation::capture`] validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObservation {
    /// Who it is about.
    pub about: PersonId,
    /// The visit it was made on, if any.
    pub visit: Option<VisitId>,
    /// Who recorded it.
    pub recorded_by: PractitionerId,
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion, with source or basis.
    pub evidence: Evidence,
    /// What was actually seen or heard, in the practitioner's words.
    pub description: String,
    /// When it was observed.
    pub observed_at: DateTime<Utc>,
    /// Where it was observed.
    pub place: Option<Place>,
}

/// Why and by whom an observation was closed (no longer open for handover).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Closure {
    /// When.
    pub at: DateTime<Utc>,
    /// By whom.
    pub by: PractitionerId,
    /// Why (e.g. "resolved: medication now stored in locked box, seen").
    pub reason: String,
}

/// A captured observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Observation {
    /// Identifier.
    pub id: ObservationId,
    /// Who it is about.
    pub about: PersonId,
    /// The visit it was made on, if any.
    pub visit: Option<VisitId>,
    /// Who recorded it.
    pub recorded_by: PractitionerId,
    /// Category.
    pub category: ConcernCategory,
    /// Severity.
    pub severity: Severity,
    /// Fact or opinion, with source or basis.
    pub evidence: Evidence,
    /// What was seen or heard.
    pub description: String,
    /// When it was observed.
    pub observed_at: DateTime<Utc>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Where it was observed.
    pub place: Option<Place>,
    /// The prompts raised at capture (kept even if the practitioner went ahead).
    pub warnings: Vec<CaptureWarning>,
    /// Set when the observation is closed; `None` while open.
    pub closed: Option<Closure>,
}

impl Observation {
    /// Validates `new`, computes the capture prompts and makes an open observation with a fresh
    /// id, recorded at `now`. Prompts are on the returned record's `warnings`.
    pub fn capture(new: NewObservation, now: DateTime<Utc>) -> Result<Self, ModelError> {
        let category = match new.category {
            ConcernCategory::Other(name) => ConcernCategory::Other(
                required("category_name", name).map_err(|_| ModelError::OtherCategoryUnnamed)?,
            ),
            c => c,
        };
        let description = required("description", new.description)?;
        if new.observed_at > now {
            return Err(ModelError::InFuture {
                field: "observed_at",
            });
        }
        let place = new
            .place
            .map(|p| Place::new(p.kind, p.detail))
            .transpose()?;
        let evidence = new.evidence.normalised();
        let warnings = capture_warnings(&description, evidence.statement_kind());
        Ok(Self {
            id: ObservationId::new(),
            about: new.about,
            visit: new.visit,
            recorded_by: new.recorded_by,
            category,
            severity: new.severity,
            evidence,
            description,
            observed_at: new.observed_at,
            recorded_at: now,
            place,
            warnings,
            closed: None,
        })
    }

    /// Whether the observation is still open.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// The closed version of this observation (the store keeps both). A reason is required.
    pub fn close(
        &self,
        by: PractitionerId,
        at: DateTime<Utc>,
        reason: impl Into<String>,
    ) -> Result<Self, ModelError> {
        if at < self.recorded_at {
            return Err(ModelError::EndsBeforeStart { field: "closed_at" });
        }
        let mut closed = self.clone();
        closed.closed = Some(Closure {
            at,
            by,
            reason: required("reason", reason)?,
        });
        Ok(closed)
    }
}
