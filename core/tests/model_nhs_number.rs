//! NHS number validation against an independent reference implementation, written here from
//! the NHS Data Dictionary's description (weights 10..2, 11 - remainder, 11 -> 0, 10 invalid),
//! deliberately in a different style from the production code.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use safeshare_core::model::{NhsNumber, NhsNumberError};

/// Reference: is this exact 10-character ASCII-digit string a valid NHS number?
fn reference_is_valid(digits: &str) -> bool {
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let values: Vec<u32> = digits.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let mut total = 0;
    for (index, value) in values.iter().take(9).enumerate() {
        total += value * (10 - index as u32);
    }
    let check = (11 - total % 11) % 11;
    check != 10 && check == values[9]
}

/// Reference: the check digit for nine digits, if one exists.
fn reference_check_digit(nine: &str) -> Option<char> {
    (0..=9u8)
        .map(|d| format!("{nine}{d}"))
        .find(|candidate| reference_is_valid(candidate))
        .and_then(|c| c.chars().last())
}

fn valid_number() -> impl Strategy<Value = String> {
    "[0-9]{9}".prop_filter_map("check value 10", |nine| {
        reference_check_digit(&nine).map(|c| format!("{nine}{c}"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn validator_agrees_with_the_reference_on_any_ten_digits(digits in "[0-9]{10}") {
        prop_assert_eq!(NhsNumber::parse(&digits).is_ok(), reference_is_valid(&digits));
    }

    #[test]
    fn validator_accepts_every_number_the_reference_makes(number in valid_number()) {
        let parsed = NhsNumber::parse(&number).unwrap();
        prop_assert_eq!(parsed.as_digits(), number.as_str());
    }

    #[test]
    fn any_single_digit_changed_in_a_valid_number_is_rejected(
        number in valid_number(),
        position in 0usize..10,
        shift in 1u8..10,
    ) {
        let mut bytes = number.into_bytes();
        bytes[position] = b'0' + (bytes[position] - b'0' + shift) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(!reference_is_valid(&changed));
        let err = NhsNumber::parse(&changed).unwrap_err();
        prop_assert!(matches!(
            err,
            NhsNumberError::CheckDigitMismatch | NhsNumberError::CheckValueTen
        ));
    }

    #[test]
    fn spaces_and_hyphens_anywhere_are_normalised_away(
        number in valid_number(),
        separators in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("-")], 11),
    ) {
        let mut typed = String::new();
        for (i, c) in number.chars().enumerate() {
            typed.push_str(separators[i]);
            typed.push(c);
        }
        typed.push_str(separators[10]);
        let parsed = NhsNumber::parse(&typed).unwrap();
        prop_assert_eq!(parsed.as_digits(), number.as_str());
    }

    #[test]
    fn any_other_character_is_rejected(
        number in valid_number(),
        position in 0usize..=10,
        bad in "[^0-9 \\-]",
    ) {
        let mut typed = number.clone();
        let at = typed.char_indices().nth(position).map(|(i, _)| i).unwrap_or(typed.len());
        typed.insert_str(at, &bad);
        prop_assert_eq!(NhsNumber::parse(&typed), Err(NhsNumberError::InvalidCharacter));
    }

    #[test]
    fn wrong_lengths_name_the_digit_count(digits in "[0-9]{1,20}") {
        prop_assume!(digits.len() != 10);
        prop_assert_eq!(
            NhsNumber::parse(&digits),
            Err(NhsNumberError::WrongLength { digits: digits.len() })
        );
    }
}

#[test]
fn a_check_value_of_ten_is_rejected_for_every_tenth_digit() {
    // 000000006: 6 * 2 = 12, remainder 1, 11 - 1 = 10.
    for d in 0..=9 {
        let number = format!("000000006{d}");
        assert_eq!(
            NhsNumber::parse(&number),
            Err(NhsNumberError::CheckValueTen)
        );
        assert!(!reference_is_valid(&number));
    }
}
