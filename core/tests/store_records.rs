//! The record API on a real store file: amendments keep every version, deletion is a recorded
//! act, queries use only clear columns, every read and write is audited, and a failed
//! capture leaves nothing behind.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use chrono::Duration;
use safeshare_core::model::{HouseholdId, PersonId, PractitionerId, Severity, TeamId};
use safeshare_core::store::{AuditAction, ListFilter, RecordAction, RecordIndex, StoreError};
use store_support::*;

fn index_for(obs: &Observation) -> RecordIndex {
    RecordIndex {
        subject_person: Some(obs.about),
        severity: Some(obs.severity),
        occurred_at: Some(obs.observed_at),
        ..RecordIndex::default()
    }
}

#[test]
fn amendments_keep_every_earlier_version_readable_with_its_reason() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let (child, id) = (PersonId::new(), PersonId::new());
    let v1 = observation(child, "Amani", "bruise on left forearm");
    let v2 = observation(child, "Amani", "bruise on right forearm");
    let v3 = Observation {
        severity: Severity::ImmediateRisk,
        ..observation(child, "Amani", "bruise on right forearm, about 3 cm")
    };
    store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &v1, &index_for(&v1))
        })
        .unwrap();
    fixture.clock.advance(Duration::minutes(5));
    let health_visitor = PractitionerId::new();
    store
        .write(health_visitor, |tx| {
            tx.amend(
                OBSERVATION,
                id,
                1,
                &v2,
                &index_for(&v2),
                "wrong arm recorded",
            )
        })
        .unwrap();
    fixture.clock.advance(Duration::minutes(5));
    let version = store
        .write(midwife, |tx| {
            tx.amend(
                OBSERVATION,
                id,
                2,
                &v3,
                &index_for(&v3),
                "size added; escalated",
            )
        })
        .unwrap();
    assert_eq!(version, 3);
    drop(store);

    let store = fixture.open();
    let history = store
        .history::<Observation>(midwife, OBSERVATION, id)
        .unwrap();
    let bodies: Vec<_> = history.iter().map(|v| v.body.clone().unwrap()).collect();
    assert_eq!(bodies, vec![v1, v2, v3.clone()]);
    let actions: Vec<_> = history.iter().map(|v| v.action).collect();
    assert_eq!(
        actions,
        vec![
            RecordAction::Create,
            RecordAction::Amend,
            RecordAction::Amend
        ]
    );
    assert_eq!(history[0].reason, None);
    assert_eq!(history[1].reason.as_deref(), Some("wrong arm recorded"));
    assert_eq!(history[1].author, health_visitor);
    assert_eq!(history[2].recorded_at, visit_time() + Duration::minutes(10));

    let latest = store.get::<Observation>(midwife, OBSERVATION, id).unwrap();
    assert_eq!(latest.version, 3);
    assert_eq!(latest.body, v3);
    assert_eq!(latest.index.severity, Some(Severity::ImmediateRisk));
    assert_eq!(latest.reason.as_deref(), Some("size added; escalated"));
}

#[test]
fn amending_a_version_that_is_no_longer_latest_is_a_conflict_and_changes_nothing() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let id = PersonId::new();
    let obs = observation(PersonId::new(), "Amani", "first");
    store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &obs, &RecordIndex::default())?;
            tx.amend(OBSERVATION, id, 1, &obs, &RecordIndex::default(), "second")
        })
        .unwrap();
    let err = store
        .write(midwife, |tx| {
            tx.amend(OBSERVATION, id, 1, &obs, &RecordIndex::default(), "stale")
        })
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::VersionConflict {
            expected: 1,
            actual: 2,
            ..
        }
    ));
    // A reason made only of spaces or invisible characters (pasted zero-width spaces, a
    // byte-order mark, blank braille, NUL) is no reason.
    for blank in [
        "  ",
        "\u{200B}\u{200B}",
        "\u{FEFF}",
        "\u{2800}",
        "\u{00A0}\t",
        "\0",
    ] {
        let err = store
            .write(midwife, |tx| {
                tx.amend(OBSERVATION, id, 2, &obs, &RecordIndex::default(), blank)
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::ReasonRequired), "{blank:?}");
    }
    assert_eq!(
        store
            .history::<Observation>(midwife, OBSERVATION, id)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn inserting_an_existing_id_or_reading_an_unknown_one_are_typed_errors() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let id = PersonId::new();
    let obs = observation(PersonId::new(), "Amani", "x");
    store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &obs, &RecordIndex::default())
        })
        .unwrap();
    let err = store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &obs, &RecordIndex::default())
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }));
    let err = store
        .get::<Observation>(midwife, OBSERVATION, PersonId::new())
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }));
    // Reading with the wrong type is a codec error that quotes no data.
    let err = store
        .get::<VoiceNote>(midwife, OBSERVATION, id)
        .unwrap_err();
    match err {
        StoreError::Codec(fault) => {
            let text = fault.to_string();
            assert!(!text.contains("Amani"), "{text}")
        }
        other => panic!("expected codec error, got {other:?}"),
    }
}

#[test]
fn deletion_erases_content_but_records_who_deleted_what_when_and_why() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let (child, id) = (PersonId::new(), PersonId::new());
    let obs = observation(child, "Amani", "entered on the wrong child");
    store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &obs, &index_for(&obs))?;
            tx.amend(OBSERVATION, id, 1, &obs, &index_for(&obs), "retyped")
        })
        .unwrap();
    fixture.clock.advance(Duration::hours(1));
    let lead = PractitionerId::new();
    let version = store
        .write(lead, |tx| {
            tx.delete(OBSERVATION, id, "recorded on the wrong child's record")
        })
        .unwrap();
    assert_eq!(version, 3);

    let err = store
        .get::<Observation>(midwife, OBSERVATION, id)
        .unwrap_err();
    assert!(matches!(err, StoreError::Deleted { .. }));
    let history = store
        .history::<Observation>(midwife, OBSERVATION, id)
        .unwrap();
    assert_eq!(history.len(), 3);
    assert!(history.iter().all(|v| v.body.is_none()), "content erased");
    assert_eq!(history[1].reason, None, "amendment reasons erased too");
    let deletion = &history[2];
    assert_eq!(deletion.action, RecordAction::Delete);
    assert_eq!(deletion.author, lead);
    assert_eq!(deletion.recorded_at, visit_time() + Duration::hours(1));
    assert_eq!(
        deletion.reason.as_deref(),
        Some("recorded on the wrong child's record")
    );
    assert_eq!(deletion.index.subject_person, Some(child));
    assert!(store
        .list::<Observation>(midwife, OBSERVATION, &ListFilter::default())
        .unwrap()
        .is_empty());
    let err = store
        .write(midwife, |tx| {
            tx.amend(OBSERVATION, id, 3, &obs, &index_for(&obs), "undo")
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Deleted { .. }));
}

#[test]
fn list_filters_on_clear_columns_and_returns_a_chronology() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let (child, sibling) = (PersonId::new(), PersonId::new());
    let household = HouseholdId::new();
    let team = TeamId::new();
    let mut ids = Vec::new();
    store
        .write(midwife, |tx| {
            for (n, (about, severity, status)) in [
                (child, Severity::LowLevelConcern, "open"),
                (child, Severity::ImmediateRisk, "open"),
                (sibling, Severity::Concern, "closed"),
                (child, Severity::Concern, "open"),
            ]
            .into_iter()
            .enumerate()
            {
                let id = PersonId::new();
                ids.push(id);
                let obs = Observation {
                    severity,
                    // Captured out of order: the chronology sorts by when it happened.
                    observed_at: visit_time() - Duration::days(n as i64),
                    ..observation(about, "Amani", &format!("note {n}"))
                };
                tx.insert(
                    OBSERVATION,
                    id,
                    &obs,
                    &RecordIndex {
                        household: Some(household),
                        team: Some(team),
                        status: Some(status.into()),
                        due_at: Some(visit_time() + Duration::hours(n as i64)),
                        ..index_for(&obs)
                    },
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let descriptions = |filter: ListFilter| -> Vec<String> {
        store
            .list::<Observation>(midwife, OBSERVATION, &filter)
            .unwrap()
            .into_iter()
            .map(|r| r.body.description)
            .collect()
    };
    assert_eq!(
        descriptions(ListFilter {
            subject_person: Some(child),
            ..ListFilter::default()
        }),
        vec!["note 3", "note 1", "note 0"]
    );
    assert_eq!(
        descriptions(ListFilter {
            household: Some(household),
            severity_at_least: Some(Severity::Concern),
            ..ListFilter::default()
        }),
        vec!["note 3", "note 2", "note 1"]
    );
    assert_eq!(
        descriptions(ListFilter {
            status: Some("closed".into()),
            team: Some(team),
            ..ListFilter::default()
        }),
        vec!["note 2"]
    );
    assert_eq!(
        descriptions(ListFilter {
            due_before: Some(visit_time() + Duration::hours(2)),
            ..ListFilter::default()
        }),
        vec!["note 1", "note 0"]
    );
    assert!(descriptions(ListFilter {
        team: Some(TeamId::new()),
        ..ListFilter::default()
    })
    .is_empty());
}

#[test]
fn nhs_number_lookup_ignores_formatting_and_finds_only_live_records() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let (mother, other) = (PersonId::new(), PersonId::new());
    store
        .write(midwife, |tx| {
            for (id, nhs) in [(mother, "943-476-5919"), (other, "401 023 2137")] {
                tx.insert(
                    PERSON,
                    id,
                    &Person {
                        name: "Mother".into(),
                        nhs_number: nhs.into(),
                    },
                    &RecordIndex {
                        nhs_number: Some(nhs.into()),
                        ..RecordIndex::default()
                    },
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let found = store
        .find_by_nhs_number::<Person>(midwife, PERSON, "9434765919")
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, mother.to_string());
    assert_eq!(found[0].index.nhs_number, None, "never read back");
    assert!(store
        .find_by_nhs_number::<Person>(midwife, PERSON, "9434765918")
        .unwrap()
        .is_empty());
    assert!(store
        .find_by_nhs_number::<Person>(midwife, OBSERVATION, "9434765919")
        .unwrap()
        .is_empty());
    store
        .write(midwife, |tx| tx.delete(PERSON, mother, "duplicate record"))
        .unwrap();
    assert!(store
        .find_by_nhs_number::<Person>(midwife, PERSON, "943 476 5919")
        .unwrap()
        .is_empty());
}

#[test]
fn every_read_and_write_of_personal_data_is_audited_without_personal_data() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let (midwife, visitor) = (PractitionerId::new(), PractitionerId::new());
    let (child, id) = (PersonId::new(), PersonId::new());
    let obs = observation(
        child,
        "Oluwaseun Abernethy",
        "smell of cannabis in the hall",
    );
    store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &obs, &index_for(&obs))?;
            tx.enqueue_outbox("01JENVELOPE0000000000000001", &obs)
        })
        .unwrap();
    fixture.clock.advance(Duration::minutes(1));
    store.get::<Observation>(visitor, OBSERVATION, id).unwrap();
    store
        .write(midwife, |tx| {
            tx.amend(OBSERVATION, id, 1, &obs, &index_for(&obs), "clarified")
        })
        .unwrap();
    store
        .history::<Observation>(visitor, OBSERVATION, id)
        .unwrap();
    store
        .list::<Observation>(visitor, OBSERVATION, &ListFilter::default())
        .unwrap();
    store
        .write(midwife, |tx| tx.delete(OBSERVATION, id, "wrong family"))
        .unwrap();

    let log = store.audit_log(0, 100).unwrap();
    let seen: Vec<_> = log
        .iter()
        .map(|e| (e.actor, e.kind.as_str(), e.action))
        .collect();
    assert_eq!(
        seen,
        vec![
            (midwife, "observation", AuditAction::Create),
            (midwife, "outbox", AuditAction::Enqueue),
            (visitor, "observation", AuditAction::Read),
            (midwife, "observation", AuditAction::Amend),
            (visitor, "observation", AuditAction::Read),
            (visitor, "observation", AuditAction::Read),
            (midwife, "observation", AuditAction::Delete),
        ]
    );
    assert!(log
        .iter()
        .filter(|e| e.kind == "observation")
        .all(|e| e.entity_id == id.to_string()));
    assert_eq!(log[2].at, visit_time() + Duration::minutes(1));
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    // A failed read (unknown id) writes nothing; a failed write rolls its audit back too.
    let _ = store.get::<Observation>(visitor, OBSERVATION, PersonId::new());
    let _ = store.write(midwife, |tx| {
        tx.insert(OBSERVATION, PersonId::new(), &obs, &RecordIndex::default())?;
        Err::<(), _>(StoreError::ReasonRequired)
    });
    assert_eq!(store.audit_log(0, 100).unwrap().len(), log.len());
}

#[test]
fn a_capture_that_fails_part_way_leaves_no_record_no_envelope_and_no_audit() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let id = PersonId::new();
    let obs = observation(PersonId::new(), "Amani", "x");
    let err = store
        .write(midwife, |tx| {
            tx.insert(OBSERVATION, id, &obs, &RecordIndex::default())?;
            tx.enqueue_outbox("env-1", &obs)?;
            // A second envelope with the same id fails: the whole capture must roll back.
            tx.enqueue_outbox("env-1", &obs)
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::OutboxDuplicate(_)));
    assert!(matches!(
        store.get::<Observation>(midwife, OBSERVATION, id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(store.outbox_counts().unwrap().all_clear());
    assert!(store.audit_log(0, 10).unwrap().is_empty());
}

#[test]
fn state_values_round_trip_sealed_and_survive_reopen() {
    let fixture = Fixture::new();
    let store = fixture.open();
    assert_eq!(store.get_state::<u64>("sync-cursor").unwrap(), None);
    store
        .write(PractitionerId::new(), |tx| {
            tx.put_state("sync-cursor", &41u64)
        })
        .unwrap();
    store
        .write(PractitionerId::new(), |tx| {
            tx.put_state("sync-cursor", &42u64)
        })
        .unwrap();
    drop(store);
    assert_eq!(
        fixture.open().get_state::<u64>("sync-cursor").unwrap(),
        Some(42)
    );
}
