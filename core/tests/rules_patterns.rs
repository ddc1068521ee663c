//! Pattern alerts fire exactly at their threshold and not one below it, at the edges of their
//! windows, and their showing and dismissal are recorded.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

mod rules_support;
use chrono::{DateTime, NaiveDate, Utc};
use rules_support::observation;
use safeshare_core::model::{ConcernCategory, PersonId, PractitionerId, ReferralId, Severity};
use safeshare_core::rules::patterns::{
    detect, outstanding, AlertEvent, ChronologyEntry, CountWithin, EntryKind, PatternError,
    PatternKind, PatternThresholds, Window,
};
use safeshare_core::rules::working_time::london_to_utc;

fn on(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    london_to_utc(
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(11, 0, 0)
            .unwrap(),
    )
    .unwrap()
}

fn low_level(child: PersonId, at: DateTime<Utc>) -> ChronologyEntry {
    observation(
        child,
        at,
        ConcernCategory::GrowthOrWeight,
        Severity::LowLevelConcern,
    )
}

fn was_not_brought(child: PersonId, at: DateTime<Utc>) -> ChronologyEntry {
    observation(child, at, ConcernCategory::WasNotBrought, Severity::Concern)
}

fn kinds(entries: &[ChronologyEntry], child: PersonId) -> Vec<PatternKind> {
    detect(entries, child, &PatternThresholds::default())
        .unwrap()
        .into_iter()
        .map(|a| a.key.kind)
        .collect()
}

#[test]
fn three_low_level_concerns_within_90_days_fire_and_two_do_not() {
    let child = PersonId::new();
    let two = vec![
        low_level(child, on(2026, 1, 10)),
        low_level(child, on(2026, 2, 10)),
    ];
    assert!(kinds(&two, child).is_empty());
    let mut three = two.clone();
    three.push(low_level(child, on(2026, 3, 10)));
    assert_eq!(
        kinds(&three, child),
        [PatternKind::RepeatedLowLevelConcerns]
    );
}

#[test]
fn low_level_concerns_exactly_90_days_apart_fire_and_91_do_not() {
    let child = PersonId::new();
    // 1 January to 1 April 2026 is 90 days; to 2 April is 91.
    let within = vec![
        low_level(child, on(2026, 1, 1)),
        low_level(child, on(2026, 2, 1)),
        low_level(child, on(2026, 4, 1)),
    ];
    assert_eq!(
        kinds(&within, child),
        [PatternKind::RepeatedLowLevelConcerns]
    );
    let beyond = vec![
        low_level(child, on(2026, 1, 1)),
        low_level(child, on(2026, 2, 1)),
        low_level(child, on(2026, 4, 2)),
    ];
    assert!(kinds(&beyond, child).is_empty());
}

#[test]
fn two_was_not_brought_within_six_months_fire_and_one_does_not() {
    let child = PersonId::new();
    let one = vec![was_not_brought(child, on(2026, 1, 31))];
    assert!(kinds(&one, child).is_empty());
    let two_at_edge = vec![
        was_not_brought(child, on(2026, 1, 31)),
        // 31 January + 6 months is 31 July.
        was_not_brought(child, on(2026, 7, 31)),
    ];
    assert_eq!(
        kinds(&two_at_edge, child),
        [PatternKind::RepeatedWasNotBrought]
    );
    let two_beyond = vec![
        was_not_brought(child, on(2026, 1, 31)),
        was_not_brought(child, on(2026, 8, 1)),
    ];
    assert!(kinds(&two_beyond, child).is_empty());
}

#[test]
fn configured_thresholds_fire_at_their_own_count() {
    let child = PersonId::new();
    let thresholds = PatternThresholds {
        low_level_concerns: CountWithin {
            count: 4,
            window: Window::Days(30),
        },
        ..PatternThresholds::default()
    };
    let mut entries: Vec<ChronologyEntry> =
        (1..=3).map(|d| low_level(child, on(2026, 5, d))).collect();
    assert!(detect(&entries, child, &thresholds).unwrap().is_empty());
    entries.push(low_level(child, on(2026, 5, 30)));
    let alerts = detect(&entries, child, &thresholds).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].evidence.len(), 4);
    let zero = PatternThresholds {
        was_not_brought: CountWithin {
            count: 0,
            window: Window::Months(6),
        },
        ..PatternThresholds::default()
    };
    assert_eq!(detect(&entries, child, &zero), Err(PatternError::ZeroCount));
}

#[test]
fn any_concern_after_a_referral_was_not_accepted_fires() {
    let child = PersonId::new();
    let before = observation(
        child,
        on(2026, 3, 1),
        ConcernCategory::DomesticAbuse,
        Severity::Concern,
    );
    let declined = ChronologyEntry {
        at: on(2026, 3, 5),
        about: Some(child),
        household: None,
        kind: EntryKind::ReferralDecision {
            referral: ReferralId::new(),
            accepted: false,
        },
        summary: "Not accepted: below threshold".into(),
    };
    let mut entries = vec![before, declined];
    assert!(kinds(&entries, child).is_empty());
    entries.push(observation(
        child,
        on(2026, 3, 9),
        ConcernCategory::ParentalAggression,
        Severity::Concern,
    ));
    assert_eq!(
        kinds(&entries, child),
        [PatternKind::ConcernAfterReferralNotAccepted]
    );
}

#[test]
fn another_childs_concerns_do_not_count() {
    let child = PersonId::new();
    let sibling = PersonId::new();
    let entries = vec![
        low_level(child, on(2026, 1, 10)),
        low_level(child, on(2026, 1, 11)),
        low_level(sibling, on(2026, 1, 12)),
    ];
    assert!(kinds(&entries, child).is_empty());
}

#[test]
fn a_dismissed_alert_is_recorded_with_its_reason_and_stops_showing() {
    let child = PersonId::new();
    let entries: Vec<ChronologyEntry> = (1..=3).map(|d| low_level(child, on(2026, 6, d))).collect();
    let alerts = detect(&entries, child, &PatternThresholds::default()).unwrap();
    let key = alerts[0].key;
    let practitioner = PractitionerId::new();
    let shown = AlertEvent::shown(key, on(2026, 6, 3), practitioner);
    assert_eq!(
        outstanding(alerts.clone(), std::slice::from_ref(&shown)).len(),
        1
    );
    assert_eq!(
        AlertEvent::dismissed(key, on(2026, 6, 3), practitioner, " "),
        Err(PatternError::MissingReason)
    );
    let dismissed = AlertEvent::dismissed(
        key,
        on(2026, 6, 3),
        practitioner,
        "Discussed in supervision; shared with GP",
    )
    .unwrap();
    assert!(outstanding(alerts, &[shown, dismissed.clone()]).is_empty());
    let json = serde_json::to_string(&dismissed).unwrap();
    assert_eq!(
        serde_json::from_str::<AlertEvent>(&json).unwrap(),
        dismissed
    );

    // New evidence after the dismissal raises a new alert.
    let mut more = entries.clone();
    more.push(low_level(child, on(2026, 6, 20)));
    let again = detect(&more, child, &PatternThresholds::default()).unwrap();
    let dismissed_again =
        AlertEvent::dismissed(key, on(2026, 6, 3), practitioner, "Discussed").unwrap();
    assert_eq!(outstanding(again, &[dismissed_again]).len(), 1);
}

proptest::proptest! {
    /// With every event inside the window, the pattern fires from the event that reaches the
    /// threshold onwards, and never before it.
    #[test]
    fn a_count_pattern_fires_exactly_from_its_threshold(
        count in 1u32..6,
        offsets in proptest::collection::vec(0i64..=90, 0..9),
    ) {
        let child = PersonId::new();
        let thresholds = PatternThresholds {
            low_level_concerns: CountWithin { count, window: Window::Days(90) },
            ..PatternThresholds::default()
        };
        let entries: Vec<ChronologyEntry> = offsets
            .iter()
            .map(|days| low_level(child, on(2026, 1, 1) + chrono::Duration::days(*days)))
            .collect();
        let alerts = detect(&entries, child, &thresholds).unwrap();
        let expected = (entries.len() + 1).saturating_sub(count as usize);
        proptest::prop_assert_eq!(alerts.len(), expected);
        for alert in &alerts {
            proptest::prop_assert!(alert.evidence.len() >= count as usize);
        }
    }
}

mod from_records {
    use super::on;
    use safeshare_core::model::{
        ConcernCategory, Evidence, HouseholdId, NewObservation, Observation, PersonId,
        PractitionerId, ReferralId, Severity, TeamId,
    };
    use safeshare_core::rules::patterns::{
        detect, for_household, ChronologyEntry, EntryKind, PatternKind, PatternThresholds,
    };
    use safeshare_core::rules::referral::{
        DecisionOutcome, Referral, ReferralChannel, ReferralDecision, ReferralRecord,
    };

    fn observe(child: PersonId, day: u32, severity: Severity, description: &str) -> Observation {
        Observation::capture(
            NewObservation {
                about: child,
                visit: None,
                recorded_by: PractitionerId::new(),
                category: ConcernCategory::ParentalAggression,
                severity,
                evidence: Evidence::ObservedFact,
                description: description.into(),
                observed_at: on(2026, 10, day),
                place: None,
            },
            on(2026, 11, 30),
        )
        .unwrap()
    }

    #[test]
    fn a_chronology_from_real_records_is_in_time_order_and_raises_the_alert() {
        let household = HouseholdId::new();
        let baby = PersonId::new();
        let me = PractitionerId::new();
        let mut referral = ReferralRecord::new(Referral {
            id: ReferralId::new(),
            about: baby,
            referrer: me,
            front_door: TeamId::new(),
            front_door_name: "Northshire MASH".into(),
            sent_at: on(2026, 10, 5),
            summary: "Father shouted at the baby and punched a door during the visit".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap();
        referral
            .record_decision(ReferralDecision {
                outcome: DecisionOutcome::NotAccepted {
                    reasons: "Below threshold".into(),
                },
                feedback_to_family_given: true,
                arrived_at: on(2026, 10, 6),
                recorded_by: me,
            })
            .unwrap();
        let before = observe(
            baby,
            2,
            Severity::Concern,
            "Father punched the kitchen door",
        );
        let after = observe(
            baby,
            20,
            Severity::LowLevelConcern,
            "Father swore at mother",
        );

        // Recorded out of order on purpose: the chronology sorts by when things happened.
        let mut entries = vec![ChronologyEntry::from_observation(&after, Some(household))];
        entries.extend(ChronologyEntry::from_referral(&referral, Some(household)));
        entries.push(ChronologyEntry::from_observation(&before, Some(household)));

        let timeline = for_household(&entries, household, &[]);
        let kinds: Vec<&str> = timeline
            .iter()
            .map(|e| match e.kind {
                EntryKind::Observation { .. } => "observation",
                EntryKind::Referral { .. } => "referral",
                EntryKind::ReferralDecision { .. } => "decision",
                _ => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            ["observation", "referral", "decision", "observation"]
        );
        assert_eq!(
            timeline[2].summary,
            "Referral not accepted: Below threshold"
        );

        let alerts = detect(&entries, baby, &PatternThresholds::default()).unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(
            alerts[0].key.kind,
            PatternKind::ConcernAfterReferralNotAccepted
        );
        assert_eq!(alerts[0].evidence, [after.id]);
    }
}
