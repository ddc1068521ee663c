//! NHS number validation: the only way to make an [`NhsNumber`] is to pass this check.
//!
//! Rule (NHS Data Dictionary, "NHS Number"): ten digits; multiply the first nine by the
//! weights 10, 9, ..., 2, sum, take the remainder modulo 11 and subtract it from 11. A result of
//! 11 means check digit 0; a result of 10 means the number is invalid (no such number is ever
//! issued); otherwise the result must equal the tenth digit.
//!
//! Numbers that pass the check but are never issued to a person are refused
//! ([`NhsNumberError::NeverIssued`]): ten identical digits (`0000000000`, `1111111111`, ...,
//! `9999999999` all pass modulus 11) are the placeholders systems and people type when the real
//! number is not to hand, and two babies recorded under the same placeholder must never look
//! like one person. Other ranges PDS does not issue in England (Scottish CHI, Northern Irish
//! H&C, the `999` test range) are accepted: they are real identifiers elsewhere or in test
//! data, and identity is never decided on the number alone (see `app::shares`,
//! docs/clinical-decisions.md).
//!
//! Input is what a practitioner types, reads off a letter or pastes from an email or PDF:
//! every kind of space, dash and invisible character is dropped and full-width digits are read
//! as digits, all through the one normaliser (`rules::normalise`). Any other character is
//! refused and named (never the number itself).
//!
//! An NHS number identifies a person, so it is personal data: [`NhsNumber`]'s `Debug` is
//! redacted and it has no `Display`, so it cannot slip into a log line or a panic message by
//! accident. Errors never quote the input either.

use super::normalise;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a text is not a valid NHS number. Messages never contain the number itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NhsNumberError {
    /// Nothing but spaces, dashes or invisible characters was given.
    #[error("the NHS number is empty")]
    Empty,
    /// A character other than a digit, a space, a dash or an invisible character, named
    /// (e.g. `'.' (U+002E)`); the number itself is never quoted.
    #[error("the NHS number may only contain digits, spaces and dashes, not {found}")]
    InvalidCharacter {
        /// The character, described by [`normalise::describe`].
        found: String,
    },
    /// The number does not have exactly ten digits.
    #[error("an NHS number has 10 digits, not {digits}")]
    WrongLength {
        /// How many digits were given.
        digits: usize,
    },
    /// The first nine digits give a check value of 10, which is never issued.
    #[error("the NHS number is not valid (its check value would be 10)")]
    CheckValueTen,
    /// The tenth digit does not match the modulus-11 check of the first nine.
    #[error("the NHS number's check digit does not match; please check it was copied correctly")]
    CheckDigitMismatch,
    /// The number passes the check but is never issued to a person (ten identical digits, a
    /// placeholder). Leave the NHS number empty until the real one is known.
    #[error("this NHS number is a placeholder that is never issued to a person; leave it empty until the real number is known")]
    NeverIssued,
}

/// A validated NHS number, stored as its ten digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber(String);

impl NhsNumber {
    /// Validates and normalises `input`: spaces, dashes and invisible characters of every kind
    /// are dropped ([`normalise::compact`]); then ten digits, the modulus-11 check, and not a
    /// placeholder.
    ///
    /// # Errors
    /// [`NhsNumberError`] naming what is wrong (never quoting the number).
    pub fn parse(input: &str) -> Result<Self, NhsNumberError> {
        let mut digits = [0u8; 10];
        let mut count = 0usize;
        for c in normalise::compact(input).chars() {
            match c {
                '0'..='9' => {
                    if count < digits.len() {
                        digits[count] = c as u8 - b'0';
                    }
                    count += 1;
                }
                other => {
                    return Err(NhsNumberError::InvalidCharacter {
                        found: normalise::describe(other),
                    })
                }
            }
        }
        if count == 0 {
            return Err(NhsNumberError::Empty);
        }
        if count != 10 {
            return Err(NhsNumberError::WrongLength { digits: count });
        }
        let expected = check_digit(&digits[..9]).ok_or(NhsNumberError::CheckValueTen)?;
        if expected != digits[9] {
            return Err(NhsNumberError::CheckDigitMismatch);
        }
        if digits.iter().all(|&d| d == digits[0]) {
            return Err(NhsNumberError::NeverIssued);
        }
        Ok(Self(digits.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// The ten digits with no separators, e.g. for a blind index.
    pub fn as_digits(&self) -> &str {
        &self.0
    }

    /// The conventional 3-3-4 spaced form for display to the practitioner (`943 476 5919`).
    pub fn formatted(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

/// A validated NHS number in its two written forms, as a capture screen shows it while the
/// number is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ValidNhsNumber {
    /// The ten digits, no separators.
    pub digits: String,
    /// The 3-3-4 spaced form for display.
    pub formatted: String,
}

impl From<&NhsNumber> for ValidNhsNumber {
    fn from(number: &NhsNumber) -> Self {
        ValidNhsNumber {
            digits: number.as_digits().to_owned(),
            formatted: number.formatted(),
        }
    }
}

/// The modulus-11 check digit of nine digits, or `None` when the check value is 10.
/// Digits must each be 0..=9.
fn check_digit(first_nine: &[u8]) -> Option<u8> {
    let sum: u32 = first_nine
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        // 1..=9 fits in u8
        v => u8::try_from(v).ok(),
    }
}

impl fmt::Debug for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NhsNumber(<redacted>)")
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = NhsNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<NhsNumber> for String {
    fn from(value: NhsNumber) -> Self {
        value.0
    }
}

impl std::str::FromStr for NhsNumber {
    type Err = NhsNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 943 476 5919 is the example used throughout NHS Digital's developer documentation.
    #[test]
    fn a_documented_example_number_is_valid_in_any_common_layout() {
        for input in [
            "9434765919",
            "943 476 5919",
            "943-476-5919",
            " 943 4765-919 ",
        ] {
            let n = NhsNumber::parse(input).unwrap();
            assert_eq!(n.as_digits(), "9434765919");
            assert_eq!(n.formatted(), "943 476 5919");
        }
    }

    #[test]
    fn a_check_value_of_eleven_means_check_digit_zero() {
        // 0*10 + ... + 1*3 + 4*2 = 11: remainder 0, 11 - 0 = 11, so the check digit is 0.
        assert_eq!(check_digit(&[0, 0, 0, 0, 0, 0, 0, 1, 4]), Some(0));
        assert!(NhsNumber::parse("0000000140").is_ok());
        assert_eq!(
            NhsNumber::parse("0000000141"),
            Err(NhsNumberError::CheckDigitMismatch)
        );
    }

    #[test]
    fn a_check_value_of_ten_is_never_valid() {
        // 6*2 = 12: remainder 1, 11 - 1 = 10, so no tenth digit can make this valid.
        for last in 0..=9 {
            assert_eq!(
                NhsNumber::parse(&format!("000000006{last}")),
                Err(NhsNumberError::CheckValueTen)
            );
        }
    }

    #[test]
    fn a_wrong_check_digit_is_a_mismatch() {
        assert_eq!(
            NhsNumber::parse("9434765918"),
            Err(NhsNumberError::CheckDigitMismatch)
        );
    }

    #[test]
    fn length_and_characters_are_named_in_the_error() {
        assert_eq!(NhsNumber::parse(""), Err(NhsNumberError::Empty));
        assert_eq!(NhsNumber::parse(" - "), Err(NhsNumberError::Empty));
        assert_eq!(
            NhsNumber::parse("943476591"),
            Err(NhsNumberError::WrongLength { digits: 9 })
        );
        assert_eq!(
            NhsNumber::parse("94347659190"),
            Err(NhsNumberError::WrongLength { digits: 11 })
        );
        assert_eq!(
            NhsNumber::parse("943.476.5919"),
            Err(NhsNumberError::InvalidCharacter {
                found: "'.' (U+002E)".into()
            })
        );
        // Full-width digits (a phone keyboard in full-width mode) are digits.
        assert!(NhsNumber::parse("９434765919").is_ok());
    }

    #[test]
    fn debug_and_errors_never_show_the_number() {
        let n = NhsNumber::parse("9434765919").unwrap();
        assert!(!format!("{n:?}").contains("943"));
        let e = NhsNumber::parse("9434765918").unwrap_err();
        assert!(!e.to_string().contains("943"));
    }

    #[test]
    fn serde_stores_digits_and_rejects_an_invalid_number_on_read() {
        let n = NhsNumber::parse("943 476 5919").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"9434765919\"");
        assert!(serde_json::from_str::<NhsNumber>("\"9434765918\"").is_err());
    }
}
