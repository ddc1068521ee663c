//! ODS codes: the NHS Organisation Data Service identifier of an organisation.
//!
//! Owns: checking that a code has a plausible shape before it goes into the directory, so a
//! typo in an import ("RX 1", "A8100") is caught with a clear message. Shape only: whether the
//! code is currently issued is the ODS's business, not the phone's.
//!
//! Shapes (NHS Data Model and Dictionary, ORGANISATION CODE): codes are upper-case letters and
//! digits, 3 to 10 characters (3 for trusts, ICBs and sub-ICB locations, 5 for sites, 6 for GP
//! practices, longer for some newer types). Where a kind has a stable shape it is checked too:
//! NHS trusts are 3 characters starting R or T; ICBs 3 characters starting Q; GP practices
//! (prescribing cost centres) a letter and five digits. Local authorities and "other" get the
//! general check only, because their code shapes vary.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::workforce::OrganisationKind;

/// Why a text is not an ODS code (for the given kind of organisation).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum OdsCodeError {
    /// Empty after trimming.
    #[error("the ODS code is empty")]
    Empty,
    /// Not 3 to 10 characters.
    #[error("an ODS code has 3 to 10 characters, not {0}")]
    BadLength(usize),
    /// A character that is not an ASCII letter or digit.
    #[error("an ODS code has only letters and digits, not '{0}'")]
    InvalidCharacter(char),
    /// Right characters, wrong shape for this kind of organisation.
    #[error("'{code}' is not shaped like the ODS code of {expected}")]
    WrongShapeForKind {
        /// The code as given (upper-cased).
        code: String,
        /// What the shape should be, in words.
        expected: &'static str,
    },
}

/// An ODS organisation code, upper-cased, shape-checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OdsCode(String);

impl OdsCode {
    /// Checks the general shape (3 to 10 ASCII letters/digits; case-insensitive; spaces and invisible characters at the ends trimmed).
    pub fn parse(text: &str) -> Result<Self, OdsCodeError> {
        // Pasted codes may carry invisible characters or odd spaces at the ends: trimmed by the
        // one normaliser. Inside a code, a space or dash is refused by name.
        let code = crate::model::normalise::trim(text).to_ascii_uppercase();
        if code.is_empty() {
            return Err(OdsCodeError::Empty);
        }
        if let Some(bad) = code.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(OdsCodeError::InvalidCharacter(bad));
        }
        let len = code.chars().count();
        if !(3..=10).contains(&len) {
            return Err(OdsCodeError::BadLength(len));
        }
        Ok(Self(code))
    }

    /// Checks the general shape and the shape for `kind` where that kind has a stable one.
    pub fn parse_for(text: &str, kind: OrganisationKind) -> Result<Self, OdsCodeError> {
        let code = Self::parse(text)?;
        code.check_kind(kind)?;
        Ok(code)
    }

    /// Checks that this code has the shape of `kind`'s codes.
    pub fn check_kind(&self, kind: OrganisationKind) -> Result<(), OdsCodeError> {
        let b = self.0.as_bytes();
        let (ok, expected) = match kind {
            OrganisationKind::NhsTrust => (
                b.len() == 3 && matches!(b[0], b'R' | b'T'),
                "an NHS trust (3 characters starting R or T)",
            ),
            OrganisationKind::IntegratedCareBoard => (
                b.len() == 3 && b[0] == b'Q',
                "an integrated care board (3 characters starting Q)",
            ),
            OrganisationKind::GpPractice => (
                b.len() == 6 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit),
                "a GP practice (a letter and five digits)",
            ),
            OrganisationKind::LocalAuthority | OrganisationKind::Other => (true, ""),
        };
        if ok {
            Ok(())
        } else {
            Err(OdsCodeError::WrongShapeForKind {
                code: self.0.clone(),
                expected,
            })
        }
    }

    /// The code, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OdsCode {
    type Error = OdsCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OdsCode> for String {
    fn from(value: OdsCode) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_shape_is_three_to_ten_alphanumerics() {
        assert_eq!(OdsCode::parse(" rr8 ").unwrap().as_str(), "RR8");
        assert_eq!(OdsCode::parse("RR8").unwrap().as_str(), "RR8");
        assert_eq!(OdsCode::parse("").unwrap_err(), OdsCodeError::Empty);
        assert_eq!(
            OdsCode::parse("R8").unwrap_err(),
            OdsCodeError::BadLength(2)
        );
        assert_eq!(
            OdsCode::parse("ABCDEFGHIJK").unwrap_err(),
            OdsCodeError::BadLength(11)
        );
        assert_eq!(
            OdsCode::parse("RX 1").unwrap_err(),
            OdsCodeError::InvalidCharacter(' ')
        );
    }

    #[test]
    fn kind_shapes_catch_typos() {
        assert!(OdsCode::parse_for("RR8", OrganisationKind::NhsTrust).is_ok());
        assert!(OdsCode::parse_for("TAF", OrganisationKind::NhsTrust).is_ok());
        assert!(OdsCode::parse_for("QWO", OrganisationKind::IntegratedCareBoard).is_ok());
        assert!(OdsCode::parse_for("B86001", OrganisationKind::GpPractice).is_ok());
        assert!(OdsCode::parse_for("B8600", OrganisationKind::GpPractice).is_err());
        assert!(OdsCode::parse_for("886001", OrganisationKind::GpPractice).is_err());
        assert!(OdsCode::parse_for("RR8AB", OrganisationKind::NhsTrust).is_err());
        assert!(OdsCode::parse_for("XR8", OrganisationKind::NhsTrust).is_err());
        assert!(OdsCode::parse_for("RR8", OrganisationKind::IntegratedCareBoard).is_err());
        assert!(OdsCode::parse_for("E0800", OrganisationKind::LocalAuthority).is_ok());
    }
}
