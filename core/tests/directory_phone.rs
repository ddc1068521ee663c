//! UK number normalisation, as the contacts issue requires: national and +44 forms, spaces and
//! brackets accepted; too short, too long and non-UK numbers refused unless allowed; every
//! `tel:` URI a valid RFC 3966 global number.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use safeshare_core::directory::{PhoneNumber, PhoneNumberError, Region};

/// RFC 3966 section 3: `telephone-uri = "tel:" telephone-subscriber`, and for a global number
/// `global-number-digits = "+" *phonedigit DIGIT *phonedigit` with
/// `phonedigit = DIGIT / visual-separator` and `visual-separator = "-" / "." / "(" / ")"`.
fn is_rfc3966_global_tel_uri(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("tel:+") else {
        return false;
    };
    rest.chars().any(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '(' | ')'))
}

#[test]
fn national_forms_with_spaces_and_brackets_normalise_to_e164() {
    let cases = [
        ("020 7946 0123", "+442079460123"),
        ("(020) 7946 0123", "+442079460123"),
        ("02079460123", "+442079460123"),
        ("0113 496 0123", "+441134960123"),
        ("0161 496 0123", "+441614960123"),
        ("01632 960123", "+441632960123"),
        ("(01632) 960 123", "+441632960123"),
        ("07700 900123", "+447700900123"),
        ("0300 123 4567", "+443001234567"),
        ("0800 1111", "+448001111"),
    ];
    for (written, e164) in cases {
        let n = PhoneNumber::parse_uk(written).unwrap();
        assert_eq!(n.e164(), e164, "{written}");
        assert_eq!(n.tel_uri(), format!("tel:{e164}"));
    }
}

#[test]
fn international_forms_normalise_to_the_same_number() {
    for written in [
        "+44 20 7946 0123",
        "+44 (0)20 7946 0123",
        "+44(0)2079460123",
        "+44 020 7946 0123",
        "0044 20 7946 0123",
        "+442079460123",
    ] {
        assert_eq!(
            PhoneNumber::parse_uk(written).unwrap().e164(),
            "+442079460123",
            "{written}"
        );
    }
}

#[test]
fn too_short_and_too_long_numbers_are_refused() {
    assert_eq!(
        PhoneNumber::parse_uk("020 7946 012"),
        Err(PhoneNumberError::TooShort { first_digit: '2' })
    );
    assert_eq!(
        PhoneNumber::parse_uk("020 7946 01234"),
        Err(PhoneNumberError::TooLong { first_digit: '2' })
    );
    assert_eq!(
        PhoneNumber::parse_uk("01632 9601"),
        Err(PhoneNumberError::TooShort { first_digit: '1' })
    );
    assert_eq!(
        PhoneNumber::parse_uk("01632 9601234"),
        Err(PhoneNumberError::TooLong { first_digit: '1' })
    );
    // Leeds (0113) and Manchester (0161) local numbers are always seven digits.
    assert_eq!(
        PhoneNumber::parse_uk("0113 496 012"),
        Err(PhoneNumberError::TooShort { first_digit: '1' })
    );
    assert_eq!(
        PhoneNumber::parse_uk("0161 496 012"),
        Err(PhoneNumberError::TooShort { first_digit: '1' })
    );
    // Some 01xxx areas still have five-digit local numbers (nine-digit NSN).
    assert_eq!(
        PhoneNumber::parse_uk("01632 96012").unwrap().e164(),
        "+44163296012"
    );
    assert_eq!(
        PhoneNumber::parse_uk("07700 90012"),
        Err(PhoneNumberError::TooShort { first_digit: '7' })
    );
    assert_eq!(
        PhoneNumber::parse_uk("+44 7700 9001234"),
        Err(PhoneNumberError::TooLong { first_digit: '7' })
    );
}

#[test]
fn unused_ranges_short_codes_and_junk_are_refused() {
    assert_eq!(
        PhoneNumber::parse_uk("0412 345 6789"),
        Err(PhoneNumberError::UnusedRange { first_digit: '4' })
    );
    assert_eq!(
        PhoneNumber::parse_uk("999"),
        Err(PhoneNumberError::MissingTrunkPrefix)
    );
    assert_eq!(
        PhoneNumber::parse_uk("0113 496 O123"),
        Err(PhoneNumberError::InvalidCharacter('O'))
    );
    assert_eq!(
        PhoneNumber::parse_uk("0113 496 0123 ext 4"),
        Err(PhoneNumberError::InvalidCharacter('e'))
    );
    assert_eq!(
        PhoneNumber::parse_uk("0113+4960123"),
        Err(PhoneNumberError::MisplacedPlus)
    );
    assert_eq!(PhoneNumber::parse_uk(" ( ) "), Err(PhoneNumberError::Empty));
}

#[test]
fn non_uk_numbers_are_refused_unless_explicitly_allowed() {
    assert_eq!(
        PhoneNumber::parse_uk("+353 1 234 5678"),
        Err(PhoneNumberError::NotUk)
    );
    assert_eq!(
        PhoneNumber::parse_uk("00353 1 234 5678"),
        Err(PhoneNumberError::NotUk)
    );
    let irish = PhoneNumber::parse("+353 1 234 5678", Region::AllowNonUk).unwrap();
    assert_eq!(irish.e164(), "+35312345678");
    assert!(!irish.is_uk());
    assert_eq!(
        PhoneNumber::parse("+353 1234", Region::AllowNonUk),
        Err(PhoneNumberError::BadInternationalLength)
    );
    assert_eq!(
        PhoneNumber::parse("+1 234 567 890 123 456", Region::AllowNonUk),
        Err(PhoneNumberError::BadInternationalLength)
    );
    // A UK number is still held to UK rules when others are allowed.
    assert_eq!(
        PhoneNumber::parse("+44 20 7946", Region::AllowNonUk),
        Err(PhoneNumberError::TooShort { first_digit: '2' })
    );
}

proptest! {
    /// Any 10-digit London number, written any common way, gives one E.164 value and a valid
    /// RFC 3966 URI.
    #[test]
    fn every_written_form_gives_one_valid_tel_uri(local in 0u32..100_000_000, style in 0usize..4) {
        let digits = format!("{local:08}");
        let (a, b) = digits.split_at(4);
        let written = match style {
            0 => format!("020 {a} {b}"),
            1 => format!("(020) {a}-{b}"),
            2 => format!("+44 (0)20 {a} {b}"),
            _ => format!("0044 20{digits}"),
        };
        let n = PhoneNumber::parse_uk(&written).unwrap();
        prop_assert_eq!(n.e164(), format!("+4420{digits}"));
        prop_assert!(is_rfc3966_global_tel_uri(&n.tel_uri()));
        prop_assert_eq!(PhoneNumber::parse_uk(&n.display_national()).unwrap(), n);
    }

    /// Whatever is typed, parsing never panics, and anything accepted is E.164.
    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,24}") {
        if let Ok(n) = PhoneNumber::parse(&text, Region::AllowNonUk) {
            let digits = n.e164().len() - 1;
            prop_assert!((7..=15).contains(&digits));
            prop_assert!(is_rfc3966_global_tel_uri(&n.tel_uri()));
        }
    }
}
