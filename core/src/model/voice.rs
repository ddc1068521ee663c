//! The voice of the child: the child's own words verbatim, how they were expressed, who was
//! there, and the child's age at the time (computed from the date of birth, never typed).
//!
//! For a baby the "voice" is the observed lived experience (what the baby's day is like, how
//! they respond to their carers); for older children it may be play, drawing or behaviour.
//! Words are often dictated: the phone's speech-to-text hands core text marked as dictated, so
//! a reviewer knows a transcription error is possible.
//!
//! Prompts (never blocking, stored on the record): who was present is not recorded; and, for
//! every mode but speech (where the text is the child's verbatim words), a description made
//! only of stock phrases.

use super::error::{required, ModelError};
use super::ids::{PersonId, PractitionerId, VisitId, VoiceNoteId};
use super::people::{ChildAge, Person, PersonRole};
use super::phrasing::{specificity_warning, CaptureWarning};
use super::visit::Attendee;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How the child expressed themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ExpressionMode {
    /// Spoken words (recorded verbatim).
    Speech,
    /// Through play.
    Play,
    /// Through a drawing.
    Drawing,
    /// Through behaviour.
    Behaviour,
    /// A baby's observed lived experience.
    ObservedLivedExperience,
}

/// How the text reached the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum InputMethod {
    /// Dictated through the phone's speech-to-text.
    Dictated,
    /// Typed.
    Typed,
}

/// What is entered for a voice-of-the-child note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVoiceNote {
    /// The child.
    pub child: PersonId,
    /// The visit, if any.
    pub visit: Option<VisitId>,
    /// Who recorded it.
    pub recorded_by: PractitionerId,
    /// The child's words verbatim, or the description of play, drawing, behaviour or lived
    /// experience.
    pub words: String,
    /// How the child expressed it.
    pub mode: ExpressionMode,
    /// Who was present.
    pub present: Vec<Attendee>,
    /// When it was said or seen.
    pub expressed_at: DateTime<Utc>,
    /// Dictated or typed.
    pub input: InputMethod,
}

/// A captured voice-of-the-child note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceOfChild {
    /// Identifier.
    pub id: VoiceNoteId,
    /// The child.
    pub child: PersonId,
    /// The visit, if any.
    pub visit: Option<VisitId>,
    /// Who recorded it.
    pub recorded_by: PractitionerId,
    /// The words or description, exactly as given (not trimmed inside).
    pub words: String,
    /// How the child expressed it.
    pub mode: ExpressionMode,
    /// Who was present.
    pub present: Vec<Attendee>,
    /// When it was said or seen.
    pub expressed_at: DateTime<Utc>,
    /// The child's age then, from the date of birth (Europe/London date).
    pub child_age: ChildAge,
    /// Dictated or typed.
    pub input: InputMethod,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Prompts raised at capture.
    pub warnings: Vec<CaptureWarning>,
}

impl VoiceOfChild {
    /// Validates `new` against the child's record and makes a note recorded at `now`.
    /// `child` must be the person `new.child` names, and a born child.
    pub fn capture(
        new: NewVoiceNote,
        child: &Person,
        now: DateTime<Utc>,
    ) -> Result<Self, ModelError> {
        if child.id != new.child {
            return Err(ModelError::PersonMismatch { field: "child" });
        }
        if child.role != PersonRole::Child {
            return Err(ModelError::NotAChild {
                role: child.role.name(),
            });
        }
        let words = required("words", new.words)?;
        if new.expressed_at > now {
            return Err(ModelError::InFuture {
                field: "expressed_at",
            });
        }
        let child_age = child
            .age_at(new.expressed_at)
            .ok_or(ModelError::BeforeBirth {
                field: "expressed_at",
            })?;
        let present = new
            .present
            .into_iter()
            .map(|a| match a {
                Attendee::Other { description } => Attendee::other(description),
                a => Ok(a),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut warnings = Vec::new();
        if new.mode != ExpressionMode::Speech {
            warnings.extend(specificity_warning(&words));
        }
        if present.is_empty() {
            warnings.push(CaptureWarning::PresenceNotRecorded);
        }
        Ok(Self {
            id: VoiceNoteId::new(),
            child: new.child,
            visit: new.visit,
            recorded_by: new.recorded_by,
            words,
            mode: new.mode,
            present,
            expressed_at: new.expressed_at,
            child_age,
            input: new.input,
            recorded_at: now,
            warnings,
        })
    }
}
