//! The one error type of the model boundary: every constructor that validates returns it, and
//! every variant names the field at fault so the shell can put the message next to it.
//! Messages never quote the value itself (it may be personal data).

use super::nhs_number::NhsNumberError;
use super::normalise;

/// Why a record could not be made from what was entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A required field is empty or only spaces and invisible characters (zero-width
    /// characters, byte-order marks, blank braille, NUL: `rules::normalise::is_blank`).
    #[error("{field} is required")]
    Required {
        /// The field that is missing.
        field: &'static str,
    },
    /// The category is "other" but no specific name was given.
    #[error("category_name is required when the category is \"other\": name the concern")]
    OtherCategoryUnnamed,
    /// An NHS number did not validate.
    #[error("nhs_number: {0}")]
    InvalidNhsNumber(#[from] NhsNumberError),
    /// A person's phone number is not a number that can be dialled.
    #[error("phone: {0}")]
    InvalidPhone(super::phone::PhoneNumberError),
    /// A date of birth was given for an unborn baby (it has an expected date of delivery).
    #[error(
        "date_of_birth must be empty for an unborn baby; record the expected date of delivery"
    )]
    DateOfBirthForUnborn,
    /// An expected date of delivery outside the plausible window (more than 44 weeks ahead, or
    /// more than 4 weeks past): see `model::people` and docs/clinical-decisions.md.
    #[error("expected_delivery {why}; check the date (a typo in the year is common)")]
    ImplausibleExpectedDelivery {
        /// What is wrong, without the date: "is more than 44 weeks ahead" or "is more than
        /// 4 weeks past".
        why: &'static str,
    },
    /// A moment is later than the time of recording.
    #[error("{field} is in the future")]
    InFuture {
        /// The field holding the future moment.
        field: &'static str,
    },
    /// An end is before its start.
    #[error("{field} is before the start")]
    EndsBeforeStart {
        /// The field holding the end.
        field: &'static str,
    },
    /// A moment is before the child's date of birth.
    #[error("{field} is before the child's date of birth")]
    BeforeBirth {
        /// The field holding the moment.
        field: &'static str,
    },
    /// A voice-of-the-child note was made for someone who is not a (born) child.
    #[error("child: a voice-of-the-child note needs a born child, not {role}")]
    NotAChild {
        /// The role the person has instead (no personal data).
        role: &'static str,
    },
    /// Only an unborn baby can be recorded as born.
    #[error("role: only an unborn baby can be recorded as born")]
    NotUnborn,
    /// A record refers to a person who is not the one given.
    #[error("{field} does not match the person given")]
    PersonMismatch {
        /// The field holding the mismatching id.
        field: &'static str,
    },
    /// A free-text field is longer than [`MAX_FREE_TEXT_CHARS`]: a shared record must fit in
    /// one request to the server (docs/sync.md, "Size").
    #[error("{field} is {length} characters; at most {limit} can be kept and shared")]
    TooLong {
        /// The field that is too long.
        field: &'static str,
        /// Its length in characters.
        length: usize,
        /// The limit, [`MAX_FREE_TEXT_CHARS`].
        limit: usize,
    },
}

/// The most characters one required free-text field (a description, a message, a reason)
/// may hold: some eight pages of notes. Far more than a note needs, and small enough that any
/// record with a few such fields, sealed to a team, fits one request to the server.
pub const MAX_FREE_TEXT_CHARS: usize = 20_000;

impl ModelError {
    /// The name of the field at fault, for the shell to highlight.
    pub fn field(&self) -> &'static str {
        match self {
            ModelError::Required { field }
            | ModelError::InFuture { field }
            | ModelError::EndsBeforeStart { field }
            | ModelError::BeforeBirth { field }
            | ModelError::PersonMismatch { field }
            | ModelError::TooLong { field, .. } => field,
            ModelError::OtherCategoryUnnamed => "category_name",
            ModelError::InvalidNhsNumber(_) => "nhs_number",
            ModelError::InvalidPhone(_) => "phone",
            ModelError::DateOfBirthForUnborn => "date_of_birth",
            ModelError::NotAChild { .. } => "child",
            ModelError::NotUnborn => "role",
            ModelError::ImplausibleExpectedDelivery { .. } => "expected_delivery",
        }
    }
}

/// Trims `value` of spaces and invisible characters at both ends (`rules::normalise::trim`);
/// an empty result is [`ModelError::Required`] naming `field`. Text made only of zero-width
/// characters, byte-order marks, blank braille or NUL is empty: a person sees nothing there.
pub(crate) fn required(
    field: &'static str,
    value: impl Into<String>,
) -> Result<String, ModelError> {
    let value = value.into();
    let trimmed = normalise::trim(&value);
    let length = trimmed.chars().count();
    if trimmed.is_empty() {
        Err(ModelError::Required { field })
    } else if length > MAX_FREE_TEXT_CHARS {
        Err(ModelError::TooLong {
            field,
            length,
            limit: MAX_FREE_TEXT_CHARS,
        })
    } else if trimmed.len() == value.len() {
        Ok(value)
    } else {
        Ok(trimmed.to_owned())
    }
}

/// Trims an optional text as [`required`] does; blank (including invisible-only) becomes `None`.
pub(crate) fn optional(value: Option<String>) -> Option<String> {
    value.and_then(|v| {
        let t = normalise::trim(&v);
        if t.is_empty() {
            None
        } else if t.len() == v.len() {
            Some(v)
        } else {
            Some(t.to_owned())
        }
    })
}
