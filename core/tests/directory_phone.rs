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
/// Section 5.1.5: an optional `;ext=` parameter of `1*phonedigit`.
fn is_rfc3966_global_tel_uri(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("tel:+") else {
        return false;
    };
    let rest = match rest.split_once(";ext=") {
        Some((number, ext)) => {
            if ext.is_empty() || !ext.chars().all(|c| c.is_ascii_digit()) {
                return false;
            }
            number
        }
        None => rest,
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
    // Some 01xxx areas still have five-digit local numbers (nine-digit NSN): Brampton 016977.
    assert_eq!(
        PhoneNumber::parse_uk("016977 3456").unwrap().e164(),
        "+44169773456"
    );
    // The right length but in no allocated range (libphonenumber) and no drama range.
    assert_eq!(
        PhoneNumber::parse_uk("01632 96012"),
        Err(PhoneNumberError::NotAllocated)
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
        PhoneNumber::parse_uk("0113 496 0123 ext 4")
            .unwrap()
            .extension(),
        Some("4")
    );
    assert_eq!(
        PhoneNumber::parse_uk("0113 496 0123 ext four"),
        Err(PhoneNumberError::BadExtension)
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
    fn every_written_form_gives_one_valid_tel_uri(
        first in proptest::sample::select(vec![3u32, 7, 8]),
        local in 0u32..10_000_000,
        style in 0usize..4,
    ) {
        // London numbers in use start 020 3, 020 7 or 020 8 (Ofcom; libphonenumber agrees).
        let digits = format!("{first}{local:07}");
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

/// Issue 15: numbers as pasted from email signatures, PDFs and other apps.
#[test]
fn pasted_and_extension_forms_table() {
    // (written, E.164, extension)
    let rows: &[(&str, &str, Option<&str>)] = &[
        ("(+44) 113 496 0000", "+441134960000", None),
        ("(+44)1134960000", "+441134960000", None),
        ("+44 (0) 113 496 0000", "+441134960000", None),
        ("0113\u{00A0}496\u{00A0}0000", "+441134960000", None),
        (
            "\u{200E}0113\u{202F}496\u{2009}0000\u{200F}",
            "+441134960000",
            None,
        ),
        ("0113\u{2013}496\u{2013}0000", "+441134960000", None),
        (
            "\u{FEFF}+44\u{2011}113\u{2011}496\u{2011}0000",
            "+441134960000",
            None,
        ),
        ("0113 496 0000 ext. 123", "+441134960000", Some("123")),
        ("0113 496 0000 Ext 123", "+441134960000", Some("123")),
        ("0113 496 0000 x123", "+441134960000", Some("123")),
        ("0113 496 0000 extn 4567", "+441134960000", Some("4567")),
        ("0113 496 0000 extension 12", "+441134960000", Some("12")),
        ("0113 496 0000 #55", "+441134960000", Some("55")),
        ("+441134960000;ext=123", "+441134960000", Some("123")),
        ("020 7946 0123 /  ext: 9", "+442079460123", Some("9")),
    ];
    for (written, e164, ext) in rows {
        let n = PhoneNumber::parse_uk(written).unwrap_or_else(|e| panic!("{written:?}: {e}"));
        assert_eq!(n.e164(), *e164, "{written:?}");
        assert_eq!(n.extension(), *ext, "{written:?}");
        assert!(is_rfc3966_global_tel_uri(&n.tel_uri()), "{}", n.tel_uri());
        match ext {
            Some(ext) => {
                assert_eq!(n.tel_uri(), format!("tel:{e164};ext={ext}"));
                assert_eq!(
                    n.extension_prompt(),
                    Some(format!("Ask for extension {ext}"))
                );
            }
            None => assert_eq!(n.tel_uri(), format!("tel:{e164}")),
        }
        // Stored and read back, the extension is kept.
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(serde_json::from_str::<PhoneNumber>(&json).unwrap(), n);
    }
    for (bad, err) in [
        ("0113 496 0000 ext", PhoneNumberError::BadExtension),
        ("0113 496 0000 x12345678901", PhoneNumberError::BadExtension),
        ("0113 496 0000 ext 12a", PhoneNumberError::BadExtension),
        ("0113 496 O000", PhoneNumberError::InvalidCharacter('O')),
        (
            "0113 496 0000 \u{2605}",
            PhoneNumberError::InvalidCharacter('\u{2605}'),
        ),
        ("01632 96012", PhoneNumberError::NotAllocated),
    ] {
        assert_eq!(PhoneNumber::parse_uk(bad), Err(err), "{bad:?}");
    }
}

/// Zero or more separators as pasted from email, PDFs and other apps.
fn pasted_separator() -> impl Strategy<Value = String> {
    let pieces = vec![
        " ", "\u{00A0}", "\u{202F}", "\u{2009}", "\u{3000}", "\t", "\u{200B}", "\u{2060}",
        "\u{FEFF}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202C}", "\u{2066}", "\u{2069}", "-",
        "\u{2010}", "\u{2011}", "\u{2013}", "\u{2014}", "\u{2212}", "\u{00AD}",
    ];
    proptest::collection::vec(proptest::sample::select(pieces), 0..3).prop_map(|v| v.concat())
}

/// UK numbers in ranges libphonenumber and Ofcom agree are in use, plus the drama ranges.
fn uk_number() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..1000).prop_map(|n| format!("0113496{n:04}")),
        (0u32..1000).prop_map(|n| format!("01632960{n:03}")),
        (0u32..1000).prop_map(|n| format!("07700900{n:03}")),
        (0u32..10_000_000).prop_map(|n| format!("0207{n:07}")),
        (0u32..10_000_000).prop_map(|n| format!("0300{n:07}")),
    ]
}

proptest! {
    /// Issue 15: any valid UK number wrapped in random Unicode spaces, dashes and direction
    /// marks normalises to the same value.
    #[test]
    fn any_uk_number_wrapped_in_pasted_separators_normalises_to_itself(
        number in uk_number(),
        separators in proptest::collection::vec(pasted_separator(), 12),
        international in any::<bool>(),
    ) {
        let plain = PhoneNumber::parse_uk(&number).unwrap();
        let written = if international { format!("+44{}", &number[1..]) } else { number.clone() };
        let mut typed = String::new();
        for (i, c) in written.chars().enumerate() {
            typed.push_str(&separators[i % separators.len()]);
            typed.push(c);
        }
        typed.push_str(&separators[11]);
        prop_assert_eq!(PhoneNumber::parse_uk(&typed).unwrap(), plain);
    }
}
