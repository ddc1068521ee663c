//! Issue 15: what practitioners type and paste into a person's record — required text that is
//! only invisible characters, phone numbers in any pasted form, and dates of birth and expected
//! dates of delivery that cannot be right.

// Test helpers outside #[test] fns may unwrap: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate};
use safeshare_core::model::{
    HouseholdId, ModelError, Person, PersonDetails, PersonRole, EDD_MAX_AHEAD_DAYS,
    EDD_MAX_PAST_DAYS,
};

fn adult(details: PersonDetails) -> Result<Person, ModelError> {
    Person::new(
        HouseholdId::new(),
        PersonRole::MotherOrBirthingParent,
        details,
    )
}

fn named(name: &str) -> PersonDetails {
    PersonDetails {
        name: Some(name.into()),
        ..PersonDetails::default()
    }
}

#[test]
fn required_text_made_only_of_invisible_characters_is_missing() {
    let blanks = [
        "",
        "   ",
        "\u{200B}",
        "\u{200B}\u{200C}\u{200D}",
        "\u{FEFF}",
        "\u{2800}\u{2800}\u{2800}",
        "\0",
        "\u{00A0}\u{202F}\t\n",
        "\u{2060}\u{180E}",
        "\u{3164}",
        "\u{200E}\u{200F}",
    ];
    for blank in blanks {
        assert_eq!(
            adult(named(blank)),
            Err(ModelError::Required { field: "name" }),
            "{blank:?}"
        );
        let relative = Person::new(
            HouseholdId::new(),
            PersonRole::SignificantAdult {
                relationship: blank.into(),
            },
            named("Ada Lovelace"),
        );
        assert_eq!(
            relative,
            Err(ModelError::Required {
                field: "relationship"
            }),
            "{blank:?}"
        );
    }
    // Visible text keeps its inner characters; only the invisible ends go.
    let p = adult(named("\u{FEFF}\u{200B} Zoë Ng\u{200B}")).unwrap();
    assert_eq!(p.name.as_deref(), Some("Zoë Ng"));
    // An optional field that is only invisible characters is empty, not stored.
    let p = adult(PersonDetails {
        known_as: Some("\u{200B}\u{2800}".into()),
        ..named("Ada Lovelace")
    })
    .unwrap();
    assert_eq!(p.known_as, None);
}

#[test]
fn a_persons_phone_goes_through_the_one_phone_parser() {
    let rows: &[(&str, &str)] = &[
        ("07700 900123", "07700 900123"),
        ("07700900123", "07700 900123"),
        ("+44 (0)7700 900123", "07700 900123"),
        ("(+44) 7700 900123", "07700 900123"),
        (
            "\u{200E}07700\u{00A0}900\u{2013}123\u{FEFF}",
            "07700 900123",
        ),
        ("0113 496 0000 ext. 42", "0113 496 0000 ext. 42"),
        ("+353 1 234 5678", "+35312345678"),
    ];
    for (typed, stored) in rows {
        let p = adult(PersonDetails {
            phone: Some((*typed).into()),
            ..named("Ada Lovelace")
        })
        .unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(p.phone.as_deref(), Some(*stored), "{typed:?}");
    }
    let bad = adult(PersonDetails {
        phone: Some("07700 9OO123".into()),
        ..named("Ada Lovelace")
    })
    .unwrap_err();
    assert_eq!(bad.field(), "phone");
}

#[test]
fn dates_of_birth_and_expected_delivery_must_be_plausible() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let days = |n: i64| today + Duration::days(n);
    let child = |dob: NaiveDate| {
        Person::new(
            HouseholdId::new(),
            PersonRole::Child,
            PersonDetails {
                date_of_birth: Some(dob),
                ..named("Baby Ng")
            },
        )
        .unwrap()
    };
    let unborn = |edd: NaiveDate| {
        Person::new(
            HouseholdId::new(),
            PersonRole::UnbornBaby {
                expected_delivery: edd,
            },
            PersonDetails::default(),
        )
        .unwrap()
    };
    let future = Err(ModelError::InFuture {
        field: "date_of_birth",
    });
    let ahead = Err(ModelError::ImplausibleExpectedDelivery {
        why: "is more than 44 weeks ahead",
    });
    let past = Err(ModelError::ImplausibleExpectedDelivery {
        why: "is more than 4 weeks past",
    });
    let rows: Vec<(&str, Person, Result<(), ModelError>)> = vec![
        ("born today", child(today), Ok(())),
        ("born yesterday", child(days(-1)), Ok(())),
        ("born tomorrow", child(days(1)), future.clone()),
        ("born next year (typo)", child(days(365)), future),
        ("born 2020", child(days(-6 * 365)), Ok(())),
        ("due today", unborn(today), Ok(())),
        ("due in 20 weeks", unborn(days(140)), Ok(())),
        ("due in 44 weeks", unborn(days(EDD_MAX_AHEAD_DAYS)), Ok(())),
        (
            "due in 44 weeks and a day",
            unborn(days(EDD_MAX_AHEAD_DAYS + 1)),
            ahead.clone(),
        ),
        ("due next year and more (typo)", unborn(days(400)), ahead),
        ("due 4 weeks ago", unborn(days(-EDD_MAX_PAST_DAYS)), Ok(())),
        (
            "due 4 weeks and a day ago",
            unborn(days(-EDD_MAX_PAST_DAYS - 1)),
            past.clone(),
        ),
        ("due last year (typo)", unborn(days(-365)), past),
    ];
    for (what, person, want) in rows {
        assert_eq!(person.check_dates(today), want, "{what}");
    }
    assert_eq!(EDD_MAX_AHEAD_DAYS, 44 * 7);
    assert_eq!(EDD_MAX_PAST_DAYS, 4 * 7);
}
