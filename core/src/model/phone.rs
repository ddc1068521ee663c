//! Telephone numbers: parse what people type or paste, keep E.164 (and any extension), hand
//! the shell an RFC 3966 `tel:` URI.
//!
//! Owns: reading a number written in any common form ("0113 496 0000", "(0113) 4960000",
//! "+44 (0)113 496 0000", "(+44) 113 496 0000", "0044 113 496 0000", with or without an
//! extension: "ext. 123", "x123", "#123", ";ext=123") into one canonical value, and refusing
//! anything that cannot be dialled, naming the character or the rule.
//!
//! How: every input first goes through the one normaliser (`rules::normalise`), so Unicode
//! spaces, typographic dashes and invisible direction marks pasted from email and PDFs are read
//! as separators or dropped. The UK-first rules come next, because the directory is English
//! and their errors say more than "invalid": the national significant number (NSN) length for
//! its leading digits, per Ofcom's National Telephone Numbering Plan (10 digits for 02, 03, 05,
//! 07, 08, 09 and the 011x/01x1 areas; 9 or 10 for other 01 areas; 9 or 10 for 0800; 7 for 0800
//! 1111, Childline); 04 and 06 are not in use. Then the maintained libphonenumber port (the
//! `phonenumber` crate, Google's metadata) decides whether the number is in an allocated range
//! and formats it for display. Ofcom's ranges reserved for TV and radio drama
//! ([`is_drama_range`]) are accepted on top of that: libphonenumber calls some of them invalid,
//! yet they are the only numbers the fictional sample and the tests may use.
//!
//! Invariants: a [`PhoneNumber`] holds `+` and 8 to 15 digits (E.164), and optionally an
//! extension of 1 to 10 digits, so every `tel:` URI it makes is a valid RFC 3966 global number
//! (`tel:+441134960000;ext=123`). Non-UK numbers are refused unless the caller allows them.
//! A stored number (serde) is re-read with the shape rules only, not the allocation check, so
//! a metadata update can never make stored data unreadable.

use crate::model::normalise;
use phonenumber::Mode;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The longest extension accepted, in digits (PBX extensions are 2 to 6; 10 leaves room).
pub const MAX_EXTENSION_DIGITS: usize = 10;

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
    /// The number has a valid length but is not in a range allocated for telephone numbers
    /// (libphonenumber's metadata), nor in an Ofcom drama range.
    #[error(
        "this is not a number in use: no telephone range is allocated for it; check the digits"
    )]
    NotAllocated,
    /// Something after the extension marker ("ext", "x", "#", ";ext=") is not 1 to 10 digits.
    #[error("an extension must be 1 to 10 digits after 'ext', 'x' or '#'")]
    BadExtension,
}

/// A telephone number in E.164 form (`+441134960000`) with an optional extension. Construct
/// with [`PhoneNumber::parse`] or [`PhoneNumber::parse_uk`]; serialises as the E.164 string,
/// followed by RFC 3966's `;ext=123` when there is an extension, and re-reads it with the shape
/// rules only (UK or not, since a stored number was accepted once already).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber {
    e164: String,
    extension: Option<String>,
}

/// Whether a parse checks the number is in an allocated range (typed input) or only its
/// shape (a number read back from storage).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Allocated,
    ShapeOnly,
}

impl PhoneNumber {
    /// Parses a UK number in national (`0113 496 0000`) or international (`+44 113 496 0000`,
    /// `+44 (0)113 496 0000`, `(+44) 113 496 0000`, `0044 ...`) form, with an optional
    /// extension (`ext. 123`, `x123`, `#123`, `;ext=123`). Spaces, brackets, dashes, dots and
    /// slashes of any kind are ignored; invisible characters are dropped.
    ///
    /// # Errors
    /// [`PhoneNumberError`] naming the character or the rule.
    pub fn parse_uk(text: &str) -> Result<Self, PhoneNumberError> {
        Self::parse(text, Region::UkOnly)
    }

    /// Parses a number; non-UK numbers are accepted only with [`Region::AllowNonUk`].
    ///
    /// # Errors
    /// As [`PhoneNumber::parse_uk`]; [`PhoneNumberError::NotUk`] for another country's number
    /// under [`Region::UkOnly`].
    pub fn parse(text: &str, region: Region) -> Result<Self, PhoneNumberError> {
        Self::read(text, region, Check::Allocated)
    }

    fn read(text: &str, region: Region, check: Check) -> Result<Self, PhoneNumberError> {
        let text = normalise::words(text, true);
        let (main, extension) = split_extension(&text)?;
        let written = Written::read(main)?;
        let international = if written.plus {
            Some(written.digits.as_str())
        } else {
            written.digits.strip_prefix("00")
        };
        let mut number = match international {
            Some(rest) => match rest.strip_prefix(UK_COUNTRY_CODE) {
                // "+44 (0)113 ..." (and the common slip "+44 0113 ...") writes the trunk 0,
                // which is not dialled after +44; no UK NSN starts with 0, so dropping it is
                // unambiguous.
                Some(uk) => Self::from_uk_nsn(uk.strip_prefix('0').unwrap_or(uk), check),
                None => match region {
                    Region::UkOnly => Err(PhoneNumberError::NotUk),
                    Region::AllowNonUk => Self::from_international(rest, check),
                },
            },
            None => match written.digits.strip_prefix('0') {
                Some(nsn) => Self::from_uk_nsn(nsn, check),
                None => Err(PhoneNumberError::MissingTrunkPrefix),
            },
        }?;
        number.extension = extension;
        Ok(number)
    }

    fn from_uk_nsn(nsn: &str, check: Check) -> Result<Self, PhoneNumberError> {
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
        let e164 = format!("+{UK_COUNTRY_CODE}{nsn}");
        if check == Check::Allocated && !is_drama_range(nsn) && !library_says_valid(&e164) {
            return Err(PhoneNumberError::NotAllocated);
        }
        Ok(Self {
            e164,
            extension: None,
        })
    }

    fn from_international(digits: &str, check: Check) -> Result<Self, PhoneNumberError> {
        // E.164: at most 15 digits including the country code; country codes never start 0.
        if digits.starts_with('0') || !(8..=15).contains(&digits.len()) {
            return Err(PhoneNumberError::BadInternationalLength);
        }
        let e164 = format!("+{digits}");
        if check == Check::Allocated && !library_says_valid(&e164) {
            return Err(PhoneNumberError::NotAllocated);
        }
        Ok(Self {
            e164,
            extension: None,
        })
    }

    /// The extension to ask for once through, if the number has one (digits only).
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// What to tell the practitioner before dialling, when the number has an extension:
    /// "Ask for extension 123". Diallers that understand `;ext=` may dial it; many do not.
    pub fn extension_prompt(&self) -> Option<String> {
        self.extension
            .as_ref()
            .map(|ext| format!("Ask for extension {ext}"))
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

    /// An RFC 3966 `tel:` URI for the global number, e.g. `tel:+441134960000`, with
    /// `;ext=123` when there is an extension (RFC 3966 section 5.1). Digits only (no visual
    /// separators) so every dialler reads it the same way.
    pub fn tel_uri(&self) -> String {
        match &self.extension {
            Some(ext) => format!("tel:{};ext={ext}", self.e164),
            None => format!("tel:{}", self.e164),
        }
    }

    /// The number as a UK reader expects to see it (`0113 496 0000`, `020 7946 0000`,
    /// `01632 960000`), grouped by libphonenumber's UK formats; international numbers are shown
    /// in E.164. The extension is not included (see [`PhoneNumber::extension_prompt`]). For
    /// display only.
    pub fn display_national(&self) -> String {
        if self.uk_nsn().is_none() {
            return self.e164.clone();
        }
        match phonenumber::parse(None, &self.e164) {
            Ok(parsed) => parsed.format().mode(Mode::National).to_string(),
            Err(_) => self.e164.clone(),
        }
    }
}

/// Whether libphonenumber's metadata places `e164` in an allocated range.
fn library_says_valid(e164: &str) -> bool {
    phonenumber::parse(None, e164).is_ok_and(|n| n.is_valid())
}

/// Ofcom's numbers reserved for TV and radio drama (Ofcom, "Telephone numbers for drama
/// purposes"): never allocated to a subscriber, so the fictional sample and the tests use them.
/// `nsn` is the national significant number (no trunk 0). Each range is 1,000 numbers.
pub fn is_drama_range(nsn: &str) -> bool {
    const RANGES: [&str; 20] = [
        "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960",
        "1414960", "1514960", "1614960", "1914980", "2079460", "2896496", "2920180", "1632960",
        "7700900", "8081570", "9098790", "3069990",
    ];
    nsn.len() == 10 && RANGES.iter().any(|r| nsn.starts_with(r))
}

/// Splits an extension off the end: `ext`, `ext.`, `extn`, `extension`, `x`, `#` or RFC 3966
/// `;ext=`, any case, then 1 to [`MAX_EXTENSION_DIGITS`] digits. Returns the main part and the
/// extension's digits.
fn split_extension(text: &str) -> Result<(&str, Option<String>), PhoneNumberError> {
    let lower = text.to_ascii_lowercase();
    // The marker must come after at least one digit of the main number.
    let first_digit = lower
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(lower.len());
    let marker = ["extension", ";ext=", "extn", "ext", "x", "#"]
        .iter()
        .filter_map(|m| {
            lower[first_digit..]
                .find(m)
                .map(|at| (first_digit + at, m.len()))
        })
        .min_by_key(|(at, _)| *at);
    let Some((at, len)) = marker else {
        return Ok((text, None));
    };
    let rest = text[at + len..].trim_start_matches(['.', ':', '=', ' ']);
    let digits = rest.trim_end();
    if digits.is_empty()
        || digits.len() > MAX_EXTENSION_DIGITS
        || !digits.chars().all(|c| c.is_ascii_digit())
    {
        return Err(PhoneNumberError::BadExtension);
    }
    Ok((&text[..at], Some(digits.to_owned())))
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
    /// Reads a stored number: E.164 with an optional `;ext=`, shape rules only.
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::read(&value, Region::AllowNonUk, Check::ShapeOnly)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        match value.extension {
            Some(ext) => format!("{};ext={ext}", value.e164),
            None => value.e164,
        }
    }
}

/// The digits of a written number and whether it started with `+`.
struct Written {
    plus: bool,
    digits: String,
}

impl Written {
    fn read(text: &str) -> Result<Self, PhoneNumberError> {
        // "(+44) 113 ..." writes the country code in brackets: the bracket is decoration.
        let trimmed = text.trim().trim_start_matches(['(', ' ']);
        let (plus, body) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, text.trim()),
        };
        let mut digits = String::with_capacity(body.len());
        for c in body.chars() {
            match c {
                '0'..='9' => digits.push(c),
                // The normaliser has made every space and dash a plain space.
                ' ' | '.' | '(' | ')' | '/' => {}
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
