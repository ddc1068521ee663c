//! Capturing people, visits, observations and voice-of-the-child notes through the model's
//! validating constructors: typed errors naming the field, prompts stored on the record and
//! never blocking, and every record surviving a serde round trip unchanged.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use safeshare_core::model::*;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn named(name: &str) -> PersonDetails {
    PersonDetails {
        name: Some(name.into()),
        ..PersonDetails::default()
    }
}

fn child(household: HouseholdId, born: NaiveDate) -> Person {
    Person::new(
        household,
        PersonRole::Child,
        PersonDetails {
            date_of_birth: Some(born),
            nhs_number: Some("943 476 5919".into()),
            ..named("Kayden Example")
        },
    )
    .unwrap()
}

fn observation(about: PersonId, description: &str, evidence: Evidence) -> NewObservation {
    NewObservation {
        about,
        visit: None,
        recorded_by: PractitionerId::new(),
        category: ConcernCategory::DomesticAbuse,
        severity: Severity::Concern,
        evidence,
        description: description.into(),
        observed_at: at(2026, 11, 20, 10, 0),
        place: Some(Place::new(PlaceKind::Home, None).unwrap()),
    }
}

fn voice(
    child: &Person,
    words: &str,
    mode: ExpressionMode,
    expressed_at: DateTime<Utc>,
) -> NewVoiceNote {
    NewVoiceNote {
        child: child.id,
        visit: None,
        recorded_by: PractitionerId::new(),
        words: words.into(),
        mode,
        present: vec![Attendee::other("mother's partner").unwrap()],
        expressed_at,
        input: InputMethod::Dictated,
    }
}

// ---- people ----------------------------------------------------------------------------------

#[test]
fn every_family_role_is_a_first_class_person_with_its_own_details() {
    let household = Household::new(Some("1 Example Road".into()));
    let mum = Person::new(
        household.id,
        PersonRole::MotherOrBirthingParent,
        named("Jade Example"),
    )
    .unwrap();
    let dad = Person::new(
        household.id,
        PersonRole::FatherOrPartner,
        PersonDetails {
            phone: Some("07700 900123".into()),
            address: Some("Flat 2, Other Street".into()),
            parental_responsibility: Some(true),
            ..named("Liam Example")
        },
    )
    .unwrap();
    let nan = Person::new(
        household.id,
        PersonRole::SignificantAdult {
            relationship: "maternal grandmother".into(),
        },
        named("Sandra Example"),
    )
    .unwrap();
    let unborn = Person::new(
        household.id,
        PersonRole::UnbornBaby {
            expected_delivery: date(2027, 2, 14),
        },
        PersonDetails::default(),
    )
    .unwrap();
    let kid = child(household.id, date(2024, 3, 1));
    let people = vec![mum, dad.clone(), nan, unborn, kid];
    assert_eq!(household.members(&people).count(), 5);
    assert_eq!(dad.phone.as_deref(), Some("07700 900123"));
    assert_eq!(dad.address.as_deref(), Some("Flat 2, Other Street"));
    assert_eq!(dad.parental_responsibility, Some(true));
    assert_eq!(
        people[4].nhs_number.as_ref().unwrap().as_digits(),
        "9434765919"
    );
}

#[test]
fn an_adult_without_a_name_is_refused_naming_the_field() {
    let err = Person::new(
        HouseholdId::new(),
        PersonRole::FatherOrPartner,
        named("   "),
    )
    .unwrap_err();
    assert_eq!(err, ModelError::Required { field: "name" });
    assert_eq!(err.field(), "name");
}

#[test]
fn a_significant_adult_must_say_how_they_are_related() {
    let err = Person::new(
        HouseholdId::new(),
        PersonRole::SignificantAdult {
            relationship: " ".into(),
        },
        named("Someone"),
    )
    .unwrap_err();
    assert_eq!(err.field(), "relationship");
}

#[test]
fn a_child_needs_a_date_of_birth_and_an_unborn_baby_must_not_have_one() {
    let err = Person::new(HouseholdId::new(), PersonRole::Child, named("A Child")).unwrap_err();
    assert_eq!(err.field(), "date_of_birth");
    let err = Person::new(
        HouseholdId::new(),
        PersonRole::UnbornBaby {
            expected_delivery: date(2027, 1, 1),
        },
        PersonDetails {
            date_of_birth: Some(date(2026, 12, 1)),
            ..PersonDetails::default()
        },
    )
    .unwrap_err();
    assert_eq!(err, ModelError::DateOfBirthForUnborn);
}

#[test]
fn an_invalid_nhs_number_is_refused_naming_the_field_and_the_problem() {
    let err = Person::new(
        HouseholdId::new(),
        PersonRole::MotherOrBirthingParent,
        PersonDetails {
            nhs_number: Some("943 476 5918".into()),
            ..named("Jade Example")
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        ModelError::InvalidNhsNumber(NhsNumberError::CheckDigitMismatch)
    );
    assert_eq!(err.field(), "nhs_number");
    assert!(!err.to_string().contains("943"));
}

#[test]
fn an_unborn_baby_once_born_keeps_its_id_and_becomes_a_child() {
    let unborn = Person::new(
        HouseholdId::new(),
        PersonRole::UnbornBaby {
            expected_delivery: date(2027, 2, 14),
        },
        PersonDetails::default(),
    )
    .unwrap();
    let born = unborn
        .born(date(2027, 2, 10), Some("Baby Example".into()))
        .unwrap();
    assert_eq!(born.id, unborn.id);
    assert_eq!(born.role, PersonRole::Child);
    assert_eq!(born.date_of_birth, Some(date(2027, 2, 10)));
    assert_eq!(
        born.born(date(2027, 2, 10), None),
        Err(ModelError::NotUnborn)
    );
}

// ---- workforce and visits --------------------------------------------------------------------

#[test]
fn ods_codes_are_normalised_and_a_practitioner_belongs_to_a_team() {
    // Organisations and teams are the directory's (tests/directory_*.rs); the model keeps the
    // ODS code value and the practitioner.
    assert_eq!(OdsCode::parse(" rrk ").unwrap().as_str(), "RRK");
    for bad in ["", "R", "RR", "RRK-01", "ABCDEFGHIJK"] {
        assert!(OdsCode::parse(bad).is_err(), "{bad:?}");
    }
    let team = TeamId::new();
    let hv = Practitioner::new(
        "Sam Visitor",
        PractitionerRole::HealthVisitor,
        team,
        None,
        None,
    )
    .unwrap();
    assert_eq!(hv.team, team);
    assert_eq!(
        Practitioner::new("X", PractitionerRole::Other(" ".into()), team, None, None)
            .unwrap_err()
            .field(),
        "role_name"
    );
}

#[test]
fn a_visit_records_who_was_present_including_people_not_on_the_record() {
    let household = Household::new(None);
    let mum = Person::new(
        household.id,
        PersonRole::MotherOrBirthingParent,
        named("Jade Example"),
    )
    .unwrap();
    let visit = Visit::new(NewVisit {
        household: household.id,
        practitioner: PractitionerId::new(),
        started_at: at(2026, 11, 20, 10, 0),
        ended_at: Some(at(2026, 11, 20, 11, 0)),
        place: Place::new(PlaceKind::Home, None).unwrap(),
        present: vec![
            Attendee::Person { person: mum.id },
            Attendee::other("adult male introduced as a friend").unwrap(),
        ],
    })
    .unwrap();
    assert_eq!(visit.present.len(), 2);
    assert_eq!(Attendee::other("  ").unwrap_err().field(), "present");
}

#[test]
fn a_visit_cannot_end_before_it_starts() {
    let err = Visit::new(NewVisit {
        household: HouseholdId::new(),
        practitioner: PractitionerId::new(),
        started_at: at(2026, 11, 20, 10, 0),
        ended_at: Some(at(2026, 11, 20, 9, 59)),
        place: Place::new(PlaceKind::Clinic, Some("Eastfield Clinic".into())).unwrap(),
        present: vec![],
    })
    .unwrap_err();
    assert_eq!(err.field(), "ended_at");
}

// ---- observations ----------------------------------------------------------------------------

#[test]
fn a_specific_observed_fact_is_captured_without_prompts() {
    let obs = Observation::capture(
        observation(
            PersonId::new(),
            "Hole in bedroom door at fist height, new since last visit",
            Evidence::ObservedFact,
        ),
        at(2026, 11, 20, 10, 30),
    )
    .unwrap();
    assert!(obs.warnings.is_empty());
    assert!(obs.is_open());
    assert_eq!(obs.recorded_at, at(2026, 11, 20, 10, 30));
}

#[test]
fn a_stock_phrase_description_is_captured_with_the_prompt_stored_on_it() {
    let obs = Observation::capture(
        observation(
            PersonId::new(),
            "No concerns, engaging well.",
            Evidence::ObservedFact,
        ),
        at(2026, 11, 20, 10, 30),
    )
    .unwrap();
    assert_eq!(
        obs.warnings,
        vec![CaptureWarning::NotSpecific {
            stock_phrases: vec!["no concerns".into(), "engaging well".into()]
        }]
    );
    // Stored with the record: it survives serialisation (what the store seals).
    let back: Observation = serde_json::from_str(&serde_json::to_string(&obs).unwrap()).unwrap();
    assert_eq!(back.warnings, obs.warnings);
}

#[test]
fn an_opinion_without_basis_and_a_reported_fact_without_source_are_prompted_not_refused() {
    let opinion = Observation::capture(
        observation(
            PersonId::new(),
            "Mum seemed frightened of her partner",
            Evidence::Opinion {
                basis: Some(" ".into()),
            },
        ),
        at(2026, 11, 20, 10, 30),
    )
    .unwrap();
    assert_eq!(opinion.warnings, vec![CaptureWarning::OpinionWithoutBasis]);
    assert_eq!(opinion.evidence, Evidence::Opinion { basis: None });

    let reported = Observation::capture(
        observation(
            PersonId::new(),
            "Police called to the address on Saturday night",
            Evidence::ReportedFact { source: None },
        ),
        at(2026, 11, 20, 10, 30),
    )
    .unwrap();
    assert_eq!(
        reported.warnings,
        vec![CaptureWarning::ReportedFactWithoutSource]
    );
    assert!(reported.evidence.is_fact());
}

#[test]
fn an_other_category_without_a_name_is_refused_naming_the_field() {
    let mut new = observation(
        PersonId::new(),
        "Hoarding in every room",
        Evidence::ObservedFact,
    );
    new.category = ConcernCategory::Other("  ".into());
    let err = Observation::capture(new.clone(), at(2026, 11, 20, 10, 30)).unwrap_err();
    assert_eq!(err, ModelError::OtherCategoryUnnamed);
    assert_eq!(err.field(), "category_name");
    new.category = ConcernCategory::Other(" hoarding ".into());
    let obs = Observation::capture(new, at(2026, 11, 20, 10, 30)).unwrap();
    assert_eq!(obs.category, ConcernCategory::Other("hoarding".into()));
}

#[test]
fn an_empty_description_or_a_future_observation_is_refused_naming_the_field() {
    let err = Observation::capture(
        observation(PersonId::new(), " \n ", Evidence::ObservedFact),
        at(2026, 11, 20, 10, 30),
    )
    .unwrap_err();
    assert_eq!(err.field(), "description");
    let err = Observation::capture(
        observation(
            PersonId::new(),
            "Bruise on left cheek",
            Evidence::ObservedFact,
        ),
        at(2026, 11, 20, 9, 59),
    )
    .unwrap_err();
    assert_eq!(err.field(), "observed_at");
}

#[test]
fn closing_an_observation_needs_a_reason_and_keeps_the_original() {
    let obs = Observation::capture(
        observation(
            PersonId::new(),
            "Medication left within reach of toddler",
            Evidence::ObservedFact,
        ),
        at(2026, 11, 20, 10, 30),
    )
    .unwrap();
    let by = PractitionerId::new();
    assert_eq!(
        obs.close(by, at(2026, 11, 27, 10, 0), " ")
            .unwrap_err()
            .field(),
        "reason"
    );
    let closed = obs
        .close(by, at(2026, 11, 27, 10, 0), "seen locked cabinet in use")
        .unwrap();
    assert!(!closed.is_open());
    assert!(obs.is_open());
    assert_eq!(closed.id, obs.id);
}

// ---- voice of the child ----------------------------------------------------------------------

#[test]
fn the_childs_age_is_computed_from_the_date_of_birth() {
    let kid = child(HouseholdId::new(), date(2023, 8, 15));
    let note = VoiceOfChild::capture(
        voice(
            &kid,
            "Daddy shouts at mummy when the door is shut",
            ExpressionMode::Speech,
            at(2026, 11, 20, 10, 0),
        ),
        &kid,
        at(2026, 11, 20, 10, 5),
    )
    .unwrap();
    assert_eq!(
        (
            note.child_age.years,
            note.child_age.months,
            note.child_age.days
        ),
        (3, 3, 5)
    );
    assert_eq!(note.child_age.describe(), "3 years 3 months");
    assert_eq!(note.input, InputMethod::Dictated);
    assert_eq!(note.words, "Daddy shouts at mummy when the door is shut");
    assert!(note.warnings.is_empty());
}

#[test]
fn a_babys_age_is_in_weeks_and_counted_on_the_london_date() {
    // Born 1 July 2026. 22 July 23:30 UTC is 00:30 on 23 July in London (BST): 3 weeks 1 day.
    let baby = child(HouseholdId::new(), date(2026, 7, 1));
    let note = VoiceOfChild::capture(
        voice(
            &baby,
            "Cried for 20 minutes in the Moses basket; settled only when held by grandmother",
            ExpressionMode::ObservedLivedExperience,
            at(2026, 7, 22, 23, 30),
        ),
        &baby,
        at(2026, 7, 23, 0, 0),
    )
    .unwrap();
    assert_eq!(note.child_age.total_days, 22);
    assert_eq!(note.child_age.describe(), "3 weeks 1 day");
}

#[test]
fn a_vague_description_of_lived_experience_is_prompted_but_verbatim_speech_is_not() {
    let baby = child(HouseholdId::new(), date(2026, 7, 1));
    let vague = VoiceOfChild::capture(
        voice(
            &baby,
            "Baby content and settled",
            ExpressionMode::ObservedLivedExperience,
            at(2026, 9, 1, 10, 0),
        ),
        &baby,
        at(2026, 9, 1, 10, 0),
    )
    .unwrap();
    assert!(matches!(
        vague.warnings[..],
        [CaptureWarning::NotSpecific { .. }]
    ));
    let kid = child(HouseholdId::new(), date(2020, 1, 1));
    let said = VoiceOfChild::capture(
        voice(&kid, "fine", ExpressionMode::Speech, at(2026, 9, 1, 10, 0)),
        &kid,
        at(2026, 9, 1, 10, 0),
    )
    .unwrap();
    assert!(
        said.warnings.is_empty(),
        "a child's own 'fine' is their voice, not a stock phrase"
    );
}

#[test]
fn a_voice_note_without_who_was_present_is_prompted_not_refused() {
    let kid = child(HouseholdId::new(), date(2020, 1, 1));
    let mut new = voice(
        &kid,
        "I don't like going to Dad's",
        ExpressionMode::Speech,
        at(2026, 9, 1, 10, 0),
    );
    new.present.clear();
    let note = VoiceOfChild::capture(new, &kid, at(2026, 9, 1, 10, 0)).unwrap();
    assert_eq!(note.warnings, vec![CaptureWarning::PresenceNotRecorded]);
}

#[test]
fn a_voice_note_is_refused_for_an_adult_an_unborn_baby_or_before_birth() {
    let household = HouseholdId::new();
    let mum = Person::new(
        household,
        PersonRole::MotherOrBirthingParent,
        named("Jade Example"),
    )
    .unwrap();
    let mut new = voice(&mum, "words", ExpressionMode::Speech, at(2026, 9, 1, 10, 0));
    new.child = mum.id;
    assert_eq!(
        VoiceOfChild::capture(new, &mum, at(2026, 9, 1, 10, 0)).unwrap_err(),
        ModelError::NotAChild {
            role: "mother or birthing parent"
        }
    );
    let unborn = Person::new(
        household,
        PersonRole::UnbornBaby {
            expected_delivery: date(2027, 1, 1),
        },
        PersonDetails::default(),
    )
    .unwrap();
    let mut new = voice(
        &unborn,
        "kicks a lot",
        ExpressionMode::ObservedLivedExperience,
        at(2026, 9, 1, 10, 0),
    );
    new.child = unborn.id;
    assert_eq!(
        VoiceOfChild::capture(new, &unborn, at(2026, 9, 1, 10, 0))
            .unwrap_err()
            .field(),
        "child"
    );
    let kid = child(household, date(2026, 9, 2));
    let err = VoiceOfChild::capture(
        voice(
            &kid,
            "crying",
            ExpressionMode::Behaviour,
            at(2026, 9, 1, 10, 0),
        ),
        &kid,
        at(2026, 9, 3, 10, 0),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ModelError::BeforeBirth {
            field: "expressed_at"
        }
    );
}

#[test]
fn a_voice_note_is_refused_when_the_person_given_is_not_the_child_named() {
    let kid = child(HouseholdId::new(), date(2020, 1, 1));
    let other = child(HouseholdId::new(), date(2021, 1, 1));
    let err = VoiceOfChild::capture(
        voice(&kid, "words", ExpressionMode::Speech, at(2026, 9, 1, 10, 0)),
        &other,
        at(2026, 9, 1, 10, 0),
    )
    .unwrap_err();
    assert_eq!(err.field(), "child");
}

// ---- ages at the edges -----------------------------------------------------------------------

#[test]
fn ages_at_month_ends_leap_days_and_birthdays() {
    let age = |b: NaiveDate, on: NaiveDate| ChildAge::between(b, on).unwrap();
    assert_eq!(
        age(date(2026, 1, 31), date(2026, 2, 28)).months,
        1,
        "month ends on the last day"
    );
    assert_eq!(age(date(2026, 1, 31), date(2026, 2, 27)).days, 27);
    assert_eq!(age(date(2024, 2, 29), date(2025, 2, 28)).years, 1);
    assert_eq!(age(date(2020, 5, 10), date(2026, 5, 9)).years, 5);
    assert_eq!(age(date(2020, 5, 10), date(2026, 5, 10)).years, 6);
    assert_eq!(
        age(date(2026, 5, 10), date(2026, 5, 10)).describe(),
        "0 days"
    );
    assert_eq!(
        age(date(2026, 5, 10), date(2026, 7, 4)).describe(),
        "7 weeks 6 days"
    );
    assert_eq!(
        age(date(2026, 5, 10), date(2026, 7, 5)).describe(),
        "1 month",
        "from 8 weeks"
    );
    assert_eq!(
        age(date(2024, 5, 10), date(2026, 5, 9)).describe(),
        "23 months"
    );
    assert_eq!(
        age(date(2024, 5, 10), date(2026, 5, 10)).describe(),
        "2 years"
    );
    assert!(ChildAge::between(date(2026, 5, 10), date(2026, 5, 9)).is_none());
}

// ---- serialisation ---------------------------------------------------------------------------

#[test]
fn every_record_round_trips_through_json_unchanged() {
    let household = Household::new(Some("1 Example Road".into()));
    let kid = child(household.id, date(2023, 8, 15));
    let obs = Observation::capture(
        observation(
            kid.id,
            "Toddler had no coat; temperature 3C",
            Evidence::ReportedFact {
                source: Some("nursery manager".into()),
            },
        ),
        at(2026, 11, 20, 10, 30),
    )
    .unwrap();
    let note = VoiceOfChild::capture(
        voice(
            &kid,
            "Mummy cries",
            ExpressionMode::Speech,
            at(2026, 11, 20, 10, 0),
        ),
        &kid,
        at(2026, 11, 20, 10, 5),
    )
    .unwrap();
    fn round<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        v: &T,
    ) {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), v);
    }
    round(&household);
    round(&kid);
    round(&obs);
    round(&note);
    round(
        &Practitioner::new(
            "Sam Visitor",
            PractitionerRole::HealthVisitor,
            TeamId::new(),
            Some("0121 000 0000".into()),
            None,
        )
        .unwrap(),
    );
}

#[test]
fn a_stored_record_with_an_invalid_nhs_number_does_not_deserialise() {
    let kid = child(HouseholdId::new(), date(2023, 8, 15));
    let json = serde_json::to_string(&kid)
        .unwrap()
        .replace("9434765919", "9434765918");
    assert!(serde_json::from_str::<Person>(&json).is_err());
}
