//! Areas a team covers, as postcode areas ("LS") or postcode districts ("LS6", "SW1A").
//!
//! Owns: reading a postcode, district or area as typed and matching it against what a team
//! covers. Invariant: an [`Area`] is upper-case and has the shape of a UK outward code (district:
//! one or two letters, a digit, then an optional digit or letter; area: one or two letters), so
//! "ls6", "LS6 2AB" and " Ls6" all find the same team. Shape only: whether the district exists
//! is not checked (the directory is curated data).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a text is not a postcode, district or area.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AreaError {
    /// Nothing to read.
    #[error("the postcode or district is empty")]
    Empty,
    /// Not shaped like a postcode area, district or full postcode.
    #[error("'{0}' is not a UK postcode, postcode district or postcode area")]
    BadShape(String),
}

/// A postcode area or district that a team covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Area {
    /// A whole postcode area, e.g. "LS": covers every district in it.
    PostcodeArea(String),
    /// One postcode district (outward code), e.g. "LS6".
    PostcodeDistrict(String),
}

impl Area {
    /// Reads "LS" (area), "LS6" (district) or a full postcode "LS6 2AB" (taken as its district).
    pub fn parse(text: &str) -> Result<Self, AreaError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() {
            return Err(AreaError::Empty);
        }
        let bad = || AreaError::BadShape(text.trim().to_owned());
        if !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad());
        }
        if compact.chars().all(|c| c.is_ascii_alphabetic()) {
            return if compact.len() <= 2 {
                Ok(Self::PostcodeArea(compact))
            } else {
                Err(bad())
            };
        }
        // A full postcode ends with the inward code: a digit and two letters.
        let outward = if compact.len() >= 5 && is_inward(&compact[compact.len() - 3..]) {
            &compact[..compact.len() - 3]
        } else {
            compact.as_str()
        };
        if is_district(outward) {
            Ok(Self::PostcodeDistrict(outward.to_owned()))
        } else {
            Err(bad())
        }
    }

    /// The postcode area letters ("LS" for both "LS" and "LS6").
    pub fn area_letters(&self) -> &str {
        match self {
            Self::PostcodeArea(a) => a,
            Self::PostcodeDistrict(d) => {
                let end = d.find(|c: char| c.is_ascii_digit()).unwrap_or(d.len());
                &d[..end]
            }
        }
    }

    /// Whether this coverage includes `place` (a district or area being searched for). An
    /// area covers its districts; a district covers itself only.
    pub fn covers(&self, place: &Area) -> bool {
        match (self, place) {
            (Self::PostcodeArea(a), other) => a == other.area_letters(),
            (Self::PostcodeDistrict(d), Self::PostcodeDistrict(p)) => d == p,
            (Self::PostcodeDistrict(_), Self::PostcodeArea(_)) => false,
        }
    }

    /// How specific this coverage is: a district match is more specific than an area match.
    pub fn is_district(&self) -> bool {
        matches!(self, Self::PostcodeDistrict(_))
    }

    /// The code as written, e.g. "LS6".
    pub fn as_str(&self) -> &str {
        match self {
            Self::PostcodeArea(s) | Self::PostcodeDistrict(s) => s,
        }
    }
}

fn is_inward(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_alphabetic()
}

/// Outward code shapes: A9, A99, AA9, AA99, A9A, AA9A.
fn is_district(s: &str) -> bool {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if !(1..=2).contains(&letters) {
        return false;
    }
    let rest = &b[letters..];
    match rest {
        [d] => d.is_ascii_digit(),
        [d, e] => d.is_ascii_digit() && e.is_ascii_alphanumeric(),
        _ => false,
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Area {
    type Error = AreaError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Area> for String {
    fn from(value: Area) -> Self {
        value.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn district(s: &str) -> Area {
        Area::PostcodeDistrict(s.to_owned())
    }

    #[test]
    fn reads_areas_districts_and_full_postcodes() {
        assert_eq!(Area::parse("ls").unwrap(), Area::PostcodeArea("LS".into()));
        assert_eq!(Area::parse("LS6").unwrap(), district("LS6"));
        assert_eq!(Area::parse(" ls6 2ab ").unwrap(), district("LS6"));
        assert_eq!(Area::parse("M14 5AA").unwrap(), district("M14"));
        assert_eq!(Area::parse("SW1A 1AA").unwrap(), district("SW1A"));
        assert_eq!(Area::parse("W1A").unwrap(), district("W1A"));
        assert_eq!(Area::parse("M1").unwrap(), district("M1"));
        assert_eq!(Area::parse("").unwrap_err(), AreaError::Empty);
        assert!(Area::parse("LSX").is_err());
        assert!(Area::parse("6LS").is_err());
        assert!(Area::parse("LS6-2AB").is_err());
        assert!(Area::parse("LS123").is_err());
    }

    #[test]
    fn area_covers_its_districts_and_district_covers_itself() {
        let ls = Area::parse("LS").unwrap();
        assert!(ls.covers(&district("LS6")));
        assert!(ls.covers(&Area::parse("LS").unwrap()));
        assert!(!ls.covers(&district("L6")));
        assert!(district("LS6").covers(&district("LS6")));
        assert!(!district("LS6").covers(&district("LS16")));
        assert!(!district("LS6").covers(&ls));
    }
}
