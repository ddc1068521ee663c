//! Property tests through a real store file: any record survives capture, amendment and
//! reopening exactly, however odd its text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use safeshare_core::model::{PersonId, PractitionerId};
use safeshare_core::store::{RecordIndex, StoreError};
use serde::{Deserialize, Serialize};
use store_support::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AnyRecord {
    words: String,
    present: Vec<String>,
    weight_grams: Option<u32>,
    centile: f64,
    dictated: bool,
    bytes: Vec<u8>,
}

fn any_record() -> impl Strategy<Value = AnyRecord> {
    (
        any::<String>(),
        proptest::collection::vec("\\PC{0,20}", 0..4),
        any::<Option<u32>>(),
        -1.0e6f64..1.0e6,
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..256),
    )
        .prop_map(
            |(words, present, weight_grams, centile, dictated, bytes)| AnyRecord {
                words,
                present,
                weight_grams,
                centile,
                dictated,
                bytes,
            },
        )
}

#[test]
fn any_record_survives_capture_amendment_and_reopen() {
    let fixture = Fixture::new();
    let store = fixture.open();
    let midwife = PractitionerId::new();
    let captured = std::cell::RefCell::new(Vec::new());
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    runner
        .run(
            &(any_record(), any_record(), "\\PC{1,40}"),
            |(first, second, reason)| {
                prop_assume!(!reason.trim().is_empty());
                let id = PersonId::new();
                store
                    .write(midwife, |tx| {
                        tx.insert(OBSERVATION, id, &first, &RecordIndex::default())?;
                        tx.amend(
                            OBSERVATION,
                            id,
                            1,
                            &second,
                            &RecordIndex::default(),
                            &reason,
                        )?;
                        Ok::<_, StoreError>(())
                    })
                    .unwrap();
                let history = store
                    .history::<AnyRecord>(midwife, OBSERVATION, id)
                    .unwrap();
                prop_assert_eq!(history[0].body.as_ref(), Some(&first));
                prop_assert_eq!(history[1].body.as_ref(), Some(&second));
                prop_assert_eq!(history[1].reason.as_deref(), Some(reason.as_str()));
                captured.borrow_mut().push((id, first, second));
                Ok(())
            },
        )
        .unwrap();
    drop(store);
    let store = fixture.open();
    for (id, first, second) in captured.into_inner() {
        let history = store
            .history::<AnyRecord>(midwife, OBSERVATION, id)
            .unwrap();
        assert_eq!(history[0].body.as_ref(), Some(&first));
        assert_eq!(history[1].body.as_ref(), Some(&second));
    }
}
