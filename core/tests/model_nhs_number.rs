//! NHS number validation against an independent reference implementation, written here from
//! the NHS Data Dictionary's description (weights 10..2, 11 - remainder, 11 -> 0, 10 invalid),
//! deliberately in a different style from the production code.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use safeshare_core::model::{NhsNumber, NhsNumberError};
use safeshare_core::rules::normalise;

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
    // Ten identical digits pass the check but are placeholders, never issued to a person.
    let placeholder = values.iter().all(|v| *v == values[0]);
    check != 10 && check == values[9] && !placeholder
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

/// Zero or more of the separators text picks up when copied from email, PDFs and other apps.
fn pasted_separator() -> impl Strategy<Value = String> {
    let pieces = vec![
        " ", "\u{00A0}", "\u{202F}", "\u{2009}", "\u{2007}", "\u{3000}", "\t", "\u{200B}",
        "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{200E}", "\u{200F}", "\u{061C}",
        "\u{202A}", "\u{202C}", "\u{2066}", "\u{2069}", "-", "\u{2010}", "\u{2011}", "\u{2012}",
        "\u{2013}", "\u{2014}", "\u{2212}", "\u{FE63}", "\u{FF0D}", "\u{00AD}",
    ];
    proptest::collection::vec(proptest::sample::select(pieces), 0..3).prop_map(|v| v.concat())
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
    fn any_other_character_is_rejected_and_named(
        number in valid_number(),
        position in 0usize..=10,
        bad in any::<char>().prop_filter("a character the normaliser drops or folds to a digit", |c| {
            !normalise::compact(&c.to_string()).is_empty()
                && !normalise::compact(&c.to_string()).chars().all(|d| d.is_ascii_digit())
        }),
    ) {
        let mut typed = number.clone();
        let at = typed.char_indices().nth(position).map(|(i, _)| i).unwrap_or(typed.len());
        typed.insert(at, bad);
        prop_assert_eq!(
            NhsNumber::parse(&typed),
            Err(NhsNumberError::InvalidCharacter { found: normalise::describe(
                normalise::compact(&bad.to_string()).chars().next().unwrap()
            ) })
        );
    }

    /// Issue 15: any valid number wrapped in random Unicode spaces, dashes and direction marks
    /// (as pasted from email, PDFs and other apps) normalises to the same ten digits.
    #[test]
    fn any_valid_number_wrapped_in_pasted_unicode_separators_normalises_to_itself(
        number in valid_number(),
        separators in proptest::collection::vec(pasted_separator(), 11),
    ) {
        let mut typed = String::new();
        for (i, c) in number.chars().enumerate() {
            typed.push_str(&separators[i]);
            typed.push(c);
        }
        typed.push_str(&separators[10]);
        let parsed = NhsNumber::parse(&typed).unwrap();
        prop_assert_eq!(parsed.as_digits(), number.as_str());
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

/// Issue 15, kind 1 and 2: what practitioners paste, read as the NHS Data Dictionary and PDS
/// rules say. Each row: input, expected digits or error.
#[test]
fn pasted_and_placeholder_numbers_table() {
    let ok = |d: &str| Ok::<String, NhsNumberError>(d.to_owned());
    let rows: Vec<(&str, Result<String, NhsNumberError>)> = vec![
        ("943 476 5919", ok("9434765919")),
        ("943\u{00A0}476\u{00A0}5919", ok("9434765919")),
        (
            "\u{200E}943\u{202F}476\u{2009}5919\u{200F}",
            ok("9434765919"),
        ),
        ("943\u{2013}476\u{2014}5919", ok("9434765919")),
        ("\u{FEFF}943\t476\u{200B}5919", ok("9434765919")),
        ("\u{FF19}\u{FF14}\u{FF13} 476 5919", ok("9434765919")),
        ("9999999999", Err(NhsNumberError::NeverIssued)),
        ("999 999 9999", Err(NhsNumberError::NeverIssued)),
        ("0000000000", Err(NhsNumberError::NeverIssued)),
        ("1111111111", Err(NhsNumberError::NeverIssued)),
        ("5555555555", Err(NhsNumberError::NeverIssued)),
        ("\u{200B}\u{00A0}\u{2013}", Err(NhsNumberError::Empty)),
        (
            "943 476 5919 ext",
            Err(NhsNumberError::InvalidCharacter {
                found: "'e' (U+0065)".into(),
            }),
        ),
        (
            "943/476/5919",
            Err(NhsNumberError::InvalidCharacter {
                found: "'/' (U+002F)".into(),
            }),
        ),
    ];
    for (input, want) in rows {
        let got = NhsNumber::parse(input).map(|n| n.as_digits().to_owned());
        assert_eq!(got, want, "{input:?}");
    }
}

#[test]
fn every_ten_identical_digits_passes_modulus_eleven_but_is_refused() {
    for d in 0..=9u8 {
        let number: String = std::iter::repeat_n(char::from(b'0' + d), 10).collect();
        assert_eq!(NhsNumber::parse(&number), Err(NhsNumberError::NeverIssued));
        let err = NhsNumber::parse(&number).unwrap_err().to_string();
        assert!(
            !err.contains(&number[..3]),
            "the error quotes the number: {err}"
        );
    }
}

/// An NHS number's `Debug` names the field and never its digits, so a record printed in a log
/// or a panic message shows that a number was there and hides which (no personal data in logs).
#[test]
fn an_nhs_numbers_debug_says_redacted_and_never_its_digits() {
    let number = NhsNumber::parse("943 476 5919").unwrap();
    let shown = format!("{number:?}");
    assert_eq!(shown, "NhsNumber(<redacted>)");
    assert!(!shown.contains("9434765919"));
    assert_eq!(format!("{:?}", Some(number)), "Some(NhsNumber(<redacted>))");
}
