//! UK telephone numbers: parse what people type, keep E.164, hand the shell an RFC 3966 `tel:` URI.
//!
//! Owns: reading a number written in any common UK form ("0113 496 0000", "(0113) 4960000",
//! "+44 (0)113 496 0000", "0044 113 496 0000") into one canonical E.164 value, and refusing
//! anything that cannot be dialled as a UK number.
//!
//! Invariants: a [`PhoneNumber`] always holds `+` and 8 to 15 digits (E.164), so every
//! `tel:` URI it makes is a valid RFC 3966 global number. A UK number always has a national
//! significant number (NSN) whose length fits the leading digit, per the Ofcom National Telephone
//! Numbering Plan: 10 digits for 02, 03, 05, 07, 08 and 09 numbers and for the 011x and 01x1
//! areas; 9 or 10 digits for other 01 areas (some still have five-digit local numbers); 9 digits for some
//! 0800 freephone numbers and 7 for 0800 1111 (Childline). Ranges 04 and 06 are not in use.
//! Non-UK numbers are refused unless the caller explicitly allows them.
//!
//! Why hand-written rather than a libphonenumber port: the directory only needs UK numbers,
//! the shape rules above are short, and the bundled fictional sample uses Ofcom's drama
//! ranges (01632 960xxx, 020 7946 0xxx), which are reserved, so a "currently allocated"
//! check would reject the very numbers we must use in tests and samples.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The UK's country calling code.
const UK_COUNTRY_CODE: &str = "44";

/// Whether a number from outside the UK (+44) is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Region {
    /// Only UK numbers (the default: every team in the directory is in England).
    #[default]
    UkOnly,
    /// Any E.164 number; for the rare team abroad (e.g. a placement outside the UK).
    AllowNonUk,
}

/// Why a text is not a diallable number.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PhoneNumberError {
    /// Nothing but spaces and punctuation.
    #[error("the phone number is empty")]
    Empty,
    /// A letter or symbol that is not part of a written number.
    #[error("the phone number contains '{0}', which is not a digit, space, bracket, dash or dot")]
    InvalidCharacter(char),
    /// `+` anywhere but the start.
    #[error("'+' may only appear at the start of a phone number")]
    MisplacedPlus,
    /// A national number must start with the trunk prefix 0.
    #[error("a UK number written without +44 must start with 0")]
    MissingTrunkPrefix,
    /// The number belongs to another country and only UK numbers are allowed here.
    #[error("only UK numbers (+44) are accepted here")]
    NotUk,
    /// The UK number has too few digits for its range.
    #[error("the number is too short for a UK number starting 0{first_digit}")]
    TooShort {
        /// The first digit after the trunk 0.
        first_digit: char,
    },
    /// The UK number has too many digits for its range.
    #[error("the number is too long for a UK number starting 0{first_digit}")]
    TooLong {
        /// The first digit after the trunk 0.
        first_digit: char,
    },
    /// A UK range that is not used for telephone numbers (04, 06) or a short code (999, 111).
    #[error("0{first_digit} is not a UK range that can be dialled as a full number")]
    UnusedRange {
        /// The first digit after the trunk 0.
        first_digit: char,
    },
    /// An international number with fewer than 8 or more than 15 digits (E.164 limits).
    #[error("an international number must have 8 to 15 digits")]
    BadInternationalLength,
}

/// A telephone number in E.164 form (`+441134960000`). Construct with [`PhoneNumber::parse`]
/// or [`PhoneNumber::parse_uk`]; serialises as the E.164 string and re-validates on
/// deserialisation (UK or not, since a stored number was accepted once already).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber {
    e164: String,
}

impl PhoneNumber {
    /// Parses a UK number in national (`0113 496 0000`) or international (`+44 113 496 0000`,
    /// `+44 (0)113 496 0000`, `0044 ...`) form. Spaces, brackets, dashes and dots are ignored.
    pub fn parse_uk(text: &str) -> Result<Self, PhoneNumberError> {
        Self::parse(text, Region::UkOnly)
    }

    /// Parses a number; non-UK numbers are accepted only with [`Region::AllowNonUk`].
    pub fn parse(text: &str, region: Region) -> Result<Self, PhoneNumberError> {
        let written = Written::read(text)?;
        let international = if written.plus {
            Some(written.digits.as_str())
        } else {
            written.digits.strip_prefix("00")
        };
        match international {
            Some(rest) => match rest.strip_prefix(UK_COUNTRY_CODE) {
                // "+44 (0)113 ..." (and the common slip "+44 0113 ...") writes the trunk 0,
                // which is not dialled after +44; no UK NSN starts with 0, so dropping it is
                // unambiguous.
                Some(uk) => Self::from_uk_nsn(uk.strip_prefix('0').unwrap_or(uk)),
                None => match region {
                    Region::UkOnly => Err(PhoneNumberError::NotUk),
                    Region::AllowNonUk => Self::from_international(rest),
                },
            },
            None => match written.digits.strip_prefix('0') {
                Some(nsn) => Self::from_uk_nsn(nsn),
                None => Err(PhoneNumberError::MissingTrunkPrefix),
            },
        }
    }

    fn from_uk_nsn(nsn: &str) -> Result<Self, PhoneNumberError> {
        let first_digit = nsn
            .chars()
            .next()
            .ok_or(PhoneNumberError::TooShort { first_digit: '0' })?;
        let (min, max) = uk_nsn_length(nsn, first_digit)?;
        if nsn.len() < min {
            return Err(PhoneNumberError::TooShort { first_digit });
        }
        if nsn.len() > max {
            return Err(PhoneNumberError::TooLong { first_digit });
        }
        Ok(Self {
            e164: format!("+{UK_COUNTRY_CODE}{nsn}"),
        })
    }

    fn from_international(digits: &str) -> Result<Self, PhoneNumberError> {
        // E.164: at most 15 digits including the country code; country codes never start 0.
        if digits.starts_with('0') || !(8..=15).contains(&digits.len()) {
            return Err(PhoneNumberError::BadInternationalLength);
        }
        Ok(Self {
            e164: format!("+{digits}"),
        })
    }

    /// The E.164 form, e.g. `+441134960000`.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// Whether this is a UK (+44) number.
    pub fn is_uk(&self) -> bool {
        self.uk_nsn().is_some()
    }

    fn uk_nsn(&self) -> Option<&str> {
        self.e164
            .strip_prefix('+')
            .and_then(|d| d.strip_prefix(UK_COUNTRY_CODE))
    }

    /// An RFC 3966 `tel:` URI for the global number, e.g. `tel:+441134960000`. Digits only
    /// (no visual separators) so every dialler reads it the same way.
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.e164)
    }

    /// The number as a UK reader expects to see it (`0113 496 0000`, `020 7946 0000`,
    /// `01632 960000`); international numbers are shown in E.164. For display only.
    pub fn display_national(&self) -> String {
        match self.uk_nsn() {
            Some(nsn) => format!("0{}", group_uk_nsn(nsn)),
            None => self.e164.clone(),
        }
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_national())
    }
}

impl FromStr for PhoneNumber {
    type Err = PhoneNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_uk(s)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value, Region::AllowNonUk)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.e164
    }
}

/// The digits of a written number and whether it started with `+`.
struct Written {
    plus: bool,
    digits: String,
}

impl Written {
    fn read(text: &str) -> Result<Self, PhoneNumberError> {
        let trimmed = text.trim();
        let (plus, body) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(body.len());
        for c in body.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '\u{a0}' | '\t' | '-' | '.' | '(' | ')' => {}
                '+' => return Err(PhoneNumberError::MisplacedPlus),
                other => return Err(PhoneNumberError::InvalidCharacter(other)),
            }
        }
        if digits.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        Ok(Self { plus, digits })
    }
}

/// The allowed NSN length range for a UK number, from the Ofcom numbering plan.
fn uk_nsn_length(nsn: &str, first_digit: char) -> Result<(usize, usize), PhoneNumberError> {
    match first_digit {
        // 011x and 01x1 areas (Leeds, Manchester, ...) have seven-digit local numbers, so
        // always 10; only other 01 areas may have nine.
        '1' if nsn.as_bytes().get(1) == Some(&b'1') || nsn.as_bytes().get(2) == Some(&b'1') => {
            Ok((10, 10))
        }
        '1' => Ok((9, 10)),
        '2' | '3' | '5' | '7' | '9' => Ok((10, 10)),
        // 0800 1111 (Childline) is 7 digits; some 0800 numbers are 9; the rest of 08 is 10.
        '8' if nsn == "8001111" => Ok((7, 7)),
        '8' if nsn.starts_with("800") => Ok((9, 10)),
        '8' => Ok((10, 10)),
        other => Err(PhoneNumberError::UnusedRange { first_digit: other }),
    }
}

/// Groups a UK NSN the way numbers are printed in the UK; display only, never parsed back.
fn group_uk_nsn(nsn: &str) -> String {
    let split = |at: &[usize]| -> String {
        let mut out = String::with_capacity(nsn.len() + at.len());
        for (i, c) in nsn.chars().enumerate() {
            if at.contains(&i) {
                out.push(' ');
            }
            out.push(c);
        }
        out
    };
    let bytes = nsn.as_bytes();
    match (bytes.first(), bytes.get(1), bytes.get(2)) {
        // London, Cardiff etc.: 020 7946 0000
        (Some(b'2'), _, _) => split(&[2, 6]),
        // 0113 496 0000 (01x1) and 0113.. style (011x): three-digit area after 01.
        (Some(b'1'), Some(b'1'), _) | (Some(b'1'), _, Some(b'1')) => split(&[3, 6]),
        // Other geographic: 01632 960000 / 01632 96000.
        (Some(b'1'), _, _) => split(&[4]),
        // Mobiles: 07700 900000
        (Some(b'7'), _, _) => split(&[4]),
        // Childline 0800 1111
        _ if nsn.len() == 7 => split(&[3]),
        // 0300 123 4567, 0800 123 4567, 0800 123 456
        _ => split(&[3, 6]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_forms_agree() {
        for text in [
            "0113 496 0000",
            "01134960000",
            "(0113) 496 0000",
            "+44 113 496 0000",
            "+44 (0)113 496 0000",
            "+44(0)1134960000",
            "0044 113 496 0000",
            "0113-496-0000",
            " 0113.496.0000 ",
        ] {
            let n = PhoneNumber::parse_uk(text).unwrap();
            assert_eq!(n.e164(), "+441134960000", "{text}");
        }
    }

    #[test]
    fn display_groups_like_uk_print() {
        let show = |t: &str| PhoneNumber::parse_uk(t).unwrap().display_national();
        assert_eq!(show("02079460123"), "020 7946 0123");
        assert_eq!(show("01134960123"), "0113 496 0123");
        assert_eq!(show("01614960123"), "0161 496 0123");
        assert_eq!(show("01632960123"), "01632 960123");
        assert_eq!(show("07700900123"), "07700 900123");
        assert_eq!(show("03001234567"), "0300 123 4567");
        assert_eq!(show("08001111"), "0800 1111");
    }

    #[test]
    fn serde_round_trip_is_e164() {
        let n = PhoneNumber::parse_uk("020 7946 0123").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"+442079460123\"");
        let back: PhoneNumber = serde_json::from_str(&json).unwrap();
        assert_eq!(back, n);
        assert!(serde_json::from_str::<PhoneNumber>("\"+44123\"").is_err());
    }
}
