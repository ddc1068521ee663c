//! The Chronology screen as core builds it (issue 17), on a real store: a child's entries in
//! the chronology rule's order, each worded in London time across the autumn clock change
//! (including the hour that happens twice), who recorded each, an amended observation marked
//! with its version and reason, and the ways into the child's patterns, meeting packs, team
//! and each observation's history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::*;
use safeshare_core::app::{NewObservationInput, ObservationCorrection, ShareRequest};
use safeshare_core::model::{ConcernCategory, Evidence, ObservationId, PersonId, Severity};
use safeshare_core::screens::ChronologyActionKind;

fn observe(
    device: &Device,
    about: PersonId,
    at: chrono::DateTime<chrono::Utc>,
    words: &str,
    share: Option<ShareRequest>,
) -> ObservationId {
    device
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: words.into(),
            observed_at: Some(at),
            place: None,
            share,
        })
        .unwrap()
        .record
        .id
}

#[test]
fn a_childs_entries_in_order_in_london_time_with_who_and_amendments() {
    let region = region();
    // Sunday 31 October 2027, 01:40 GMT (the second 01:40: the clocks went back at 01:00 UTC).
    let midwife = midwife(&region, utc(2027, 10, 31, 1, 40));
    let family = family(&midwife.session);
    let baby = family.baby.id;

    let empty = midwife.session.chronology_screen(baby).unwrap();
    assert_eq!(empty.child, baby);
    assert_eq!(empty.title, format!("Chronology: {CHILD_NAME}"));
    assert!(empty.rows.is_empty());
    assert_eq!(
        empty.empty.as_deref(),
        Some("Nothing is recorded about this child on this phone yet.")
    );
    let kinds: Vec<_> = empty.actions.iter().map(|a| a.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            ChronologyActionKind::OpenPatternAlerts { child: baby },
            ChronologyActionKind::OpenMeetingPacks { child: baby },
            ChronologyActionKind::OpenTeam { child: baby },
        ]
    );
    assert!(empty.actions.iter().all(|a| a.enabled));

    // Captured out of order: the later one first. 00:40 UTC is 01:40 BST; 01:40 UTC is 01:40
    // GMT, the same wall-clock time an hour later.
    let later = observe(
        &midwife,
        baby,
        utc(2027, 10, 31, 1, 40),
        "Partner shouting at the door as I left.",
        Some(ShareRequest {
            team: region.health_visiting,
            message: "Please visit this week.".into(),
            severity: Some(Severity::Concern),
        }),
    );
    let earlier = observe(
        &midwife,
        baby,
        utc(2027, 10, 31, 0, 40),
        "Bruise on mother's right forearm.",
        None,
    );
    // Saturday 30 October, 16:00 BST (15:00 UTC): yesterday.
    let saturday = observe(
        &midwife,
        baby,
        utc(2027, 10, 30, 15, 0),
        "Baby feeding well; weight gain on track.",
        None,
    );
    midwife
        .session
        .amend_observation(
            earlier,
            ObservationCorrection {
                category: ConcernCategory::DomesticAbuse,
                severity: Severity::Concern,
                evidence: Evidence::ObservedFact,
                description: "Bruise on mother's left forearm.".into(),
                observed_at: utc(2027, 10, 31, 0, 40),
                place: None,
            },
            "Wrong arm recorded",
        )
        .unwrap();

    let screen = midwife.session.chronology_screen(baby).unwrap();
    assert!(screen.empty.is_none());
    let lines: Vec<(&str, &str, &str)> = screen
        .rows
        .iter()
        .map(|r| (r.when.as_str(), r.heading.as_str(), r.summary.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                "yesterday 16:00",
                "Observation · Domestic abuse · Concern",
                "Baby feeding well; weight gain on track."
            ),
            (
                "today 01:40 BST",
                "Observation · Domestic abuse · Concern",
                "Bruise on mother's left forearm."
            ),
            (
                "today 01:40 GMT",
                "Observation · Domestic abuse · Concern",
                "Partner shouting at the door as I left."
            ),
            ("today 01:40 GMT", "Shared", screen.rows[3].summary.as_str()),
        ]
    );
    for row in &screen.rows {
        assert_eq!(row.recorded_by.as_deref(), Some("Recorded by Midwife Ash"));
    }
    assert_eq!(
        screen.rows[1].amended.as_deref(),
        Some("Amended: this is version 2. Reason: Wrong arm recorded")
    );
    assert_eq!(screen.rows[0].amended, None);
    assert!(screen.rows.iter().all(|r| r.closed.is_none()));
    assert_eq!(screen.rows[2].amended, None);
    assert_eq!(screen.rows[3].amended, None);
    // Each observation opens its history; the share row offers nothing.
    let opens: Vec<_> = screen
        .rows
        .iter()
        .map(|r| r.actions.iter().map(|a| a.kind.clone()).collect::<Vec<_>>())
        .collect();
    assert_eq!(
        opens,
        vec![
            vec![ChronologyActionKind::OpenObservation {
                observation: saturday
            }],
            vec![ChronologyActionKind::OpenObservation {
                observation: earlier
            }],
            vec![ChronologyActionKind::OpenObservation { observation: later }],
            vec![],
        ]
    );
    assert_eq!(screen.rows[0].actions[0].label, "Open history");

    // Closing writes a version too: it is the "Closed" line, not an amendment. The amended and
    // then closed observation says both.
    midwife
        .session
        .close_observation(saturday, "Weight reviewed; no concern remains.")
        .unwrap();
    midwife
        .session
        .close_observation(earlier, "Discussed with mother; seen again, healing.")
        .unwrap();
    let screen = midwife.session.chronology_screen(baby).unwrap();
    assert_eq!(screen.rows[0].amended, None);
    assert_eq!(
        screen.rows[0].closed.as_deref(),
        Some("Closed today 01:40 GMT: Weight reviewed; no concern remains.")
    );
    assert_eq!(
        screen.rows[1].amended.as_deref(),
        Some("Amended before it was closed: this is version 3; its history has each change.")
    );
    assert_eq!(
        screen.rows[1].closed.as_deref(),
        Some("Closed today 01:40 GMT: Discussed with mother; seen again, healing.")
    );
    assert_eq!(screen.rows[2].closed, None);

    // A week on, the days are named with their dates; the year once further away.
    midwife.clock.set(utc(2027, 11, 6, 12, 0));
    let screen = midwife.session.chronology_screen(baby).unwrap();
    assert_eq!(screen.rows[0].when, "Sat 30 Oct 16:00");
    midwife.clock.set(utc(2028, 1, 3, 12, 0));
    let screen = midwife.session.chronology_screen(baby).unwrap();
    assert_eq!(screen.rows[0].when, "Sat 30 Oct 2027 16:00");
}

#[test]
fn a_person_who_is_not_on_this_phone_is_refused() {
    let region = region();
    let midwife = midwife(&region, utc(2027, 10, 31, 1, 40));
    assert!(midwife.session.chronology_screen(PersonId::new()).is_err());
}
