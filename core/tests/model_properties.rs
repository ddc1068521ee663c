//! Properties of capture prompts, child ages and record serialisation, over generated input.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, Months, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use safeshare_core::model::*;
use safeshare_core::rules::phrasing::specificity_warning;

fn data_lines(data: &'static str) -> Vec<&'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn stock_phrases() -> Vec<&'static str> {
    data_lines(include_str!("../data/stock_phrases.txt"))
}

fn filler_words() -> Vec<&'static str> {
    data_lines(include_str!("../data/filler_words.txt"))
}

/// A piece of a vague description: a stock phrase or a filler word, in any case.
fn vague_piece() -> impl Strategy<Value = String> {
    let pieces: Vec<&'static str> = stock_phrases().into_iter().chain(filler_words()).collect();
    (proptest::sample::select(pieces), any::<bool>()).prop_map(|(p, upper)| {
        if upper {
            p.to_uppercase()
        } else {
            p.to_owned()
        }
    })
}

fn separator() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![" ", ", ", ". ", "; ", " - ", "! ", "\n"])
}

fn vague_description() -> impl Strategy<Value = String> {
    proptest::collection::vec((vague_piece(), separator()), 1..8).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(p, s)| format!("{p}{s}"))
            .collect::<String>()
    })
}

/// A word that is neither filler nor a one-word stock phrase: something actually seen.
fn substantive_word() -> impl Strategy<Value = String> {
    "[a-z]{3,10}".prop_filter("not a listed word", |w| {
        !filler_words().contains(&w.as_str()) && !stock_phrases().contains(&w.as_str())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn any_mix_of_stock_phrases_and_filler_is_prompted(text in vague_description()) {
        let is_not_specific = matches!(
            specificity_warning(&text),
            Some(CaptureWarning::NotSpecific { .. })
        );
        prop_assert!(is_not_specific);
    }

    #[test]
    fn one_substantive_word_anywhere_silences_the_prompt(
        text in vague_description(),
        word in substantive_word(),
        at in any::<proptest::sample::Index>(),
    ) {
        let words: Vec<&str> = text.split(' ').collect();
        let i = at.index(words.len() + 1);
        let mut with_detail = words[..i].join(" ");
        with_detail.push(' ');
        with_detail.push_str(&word);
        with_detail.push(' ');
        with_detail.push_str(&words[i..].join(" "));
        prop_assert_eq!(specificity_warning(&with_detail), None);
    }

    #[test]
    fn a_childs_age_adds_back_up_to_the_day(
        born_offset in 0i64..20_000,
        age_days in 0i64..7_000,
    ) {
        let born = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + Duration::days(born_offset);
        let on = born + Duration::days(age_days);
        let age = ChildAge::between(born, on).unwrap();
        prop_assert_eq!(i64::from(age.total_days), age_days);
        prop_assert!(age.months < 12);
        let anchor = born
            .checked_add_months(Months::new(age.years * 12 + age.months))
            .unwrap();
        prop_assert_eq!(anchor + Duration::days(i64::from(age.days)), on);
        // Whole months are whole: one more month would pass `on`.
        let next = born
            .checked_add_months(Months::new(age.years * 12 + age.months + 1))
            .unwrap();
        prop_assert!(next > on);
        // Older by a day is never younger.
        let tomorrow = ChildAge::between(born, on + Duration::days(1)).unwrap();
        prop_assert!(tomorrow > age);
    }

    #[test]
    fn any_captured_observation_round_trips_through_json(
        description in "\\PC{1,200}",
        source in proptest::option::of("\\PC{0,40}"),
        other in "[a-z ]{0,20}",
        severity in prop_oneof![
            Just(Severity::LowLevelConcern),
            Just(Severity::Concern),
            Just(Severity::ImmediateRisk),
        ],
        minutes_ago in 0i64..100_000,
    ) {
        let now = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
        let result = Observation::capture(
            NewObservation {
                about: PersonId::new(),
                visit: None,
                recorded_by: PractitionerId::new(),
                category: ConcernCategory::Other(other.clone()),
                severity,
                evidence: Evidence::ReportedFact { source },
                description: description.clone(),
                observed_at: now - Duration::minutes(minutes_ago),
                place: None,
            },
            now,
        );
        match result {
            Ok(obs) => {
                let json = serde_json::to_string(&obs).unwrap();
                prop_assert_eq!(serde_json::from_str::<Observation>(&json).unwrap(), obs);
            }
            Err(ModelError::OtherCategoryUnnamed) => prop_assert!(other.trim().is_empty()),
            Err(ModelError::Required { field: "description" }) => {
                prop_assert!(description.trim().is_empty())
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
