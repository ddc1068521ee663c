//! Attack on the error tiers (issue 16 item 2, review r16c): a typed error must not carry what
//! a practitioner typed about a family into its message, the session's error or the public
//! `SafeShareError` the shells show and may log.
//!
//! A concern recorded under "other" is named in the practitioner's own words, and those words
//! can name a person. The concern becomes a required handover item whose text quotes that
//! name; completing the checklist with the item still open was refused with the item's text in
//! the refusal's message.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use safeshare_core::app::AppError;
use safeshare_core::boundary::SafeShareError;
use safeshare_core::casework::checklist::*;
use safeshare_core::model::*;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

/// Words a practitioner might type as an "other" concern's name.
const TYPED: &str = "Gary Hollins (mum's partner) back in the house";

#[test]
fn a_refused_completion_does_not_quote_an_other_concerns_typed_name() {
    let baby = PersonId::new();
    let by = PractitionerId::new();
    let observed = at(18, 10);
    let concern = Observation::capture(
        NewObservation {
            about: baby,
            visit: None,
            recorded_by: by,
            category: ConcernCategory::Other(TYPED.into()),
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Seen at the door during the visit".into(),
            observed_at: observed,
            place: None,
        },
        observed + Duration::minutes(5),
    )
    .unwrap();
    let observations = vec![concern];
    let mut list = Checklist::start(
        &Template::builtin(ChecklistKind::Handover).unwrap(),
        baby,
        &observations,
        by,
        at(20, 9),
    );

    let err = list.complete(&observations, by, at(20, 10)).unwrap_err();
    let ChecklistError::RequiredItemsOpen { items } = &err else {
        panic!("expected RequiredItemsOpen, got {err:?}");
    };
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    assert!(!keys.is_empty());

    let module_text = err.to_string();
    let app = AppError::from(err);
    let app_text = app.to_string();
    let public = SafeShareError::from(app);
    for text in [module_text, app_text, public.to_string()] {
        assert!(
            !text.contains("Gary"),
            "typed words reached a message: {text}"
        );
        assert!(
            !text.contains("Hollins"),
            "typed words reached a message: {text}"
        );
    }
    // The shell still learns which items are open, by key.
    let SafeShareError::Refused { open_items, .. } = public else {
        panic!("a refused completion is Refused: {public:?}");
    };
    assert_eq!(open_items, keys);
}
