//! The escalation ladder never skips a step silently: whatever order steps are offered in, only
//! the next one in the fixed order is accepted, and the record is always a prefix of the ladder.

// Test helpers outside #[test] functions build fixed, valid dates.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use safeshare_core::model::{PractitionerId, ReferralId};
use safeshare_core::rules::escalation::{
    EscalationError, EscalationLadder, EscalationStep, EscalationTrigger, StepOutcome, StepRecord,
};

proptest! {
    #[test]
    fn only_the_next_step_is_ever_accepted(offered in proptest::collection::vec(0usize..5, 0..20)) {
        let opened = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let mut ladder = EscalationLadder::open(
            ReferralId::new(),
            PractitionerId::new(),
            EscalationTrigger::InadequateResponse,
            opened,
        );
        for (i, index) in offered.iter().enumerate() {
            let step = EscalationStep::ALL[*index];
            let expected = ladder.next_step();
            let before = ladder.steps().len();
            let result = ladder.record(StepRecord {
                step,
                taken_at: opened + chrono::Duration::hours(i as i64 + 1),
                taken_by: PractitionerId::new(),
                outcome: StepOutcome::Done("done".into()),
            });
            if expected == Some(step) {
                prop_assert!(result.is_ok());
                prop_assert_eq!(ladder.steps().len(), before + 1);
            } else {
                prop_assert_eq!(result, Err(EscalationError::OutOfOrder { expected, got: step }));
                prop_assert_eq!(ladder.steps().len(), before);
            }
            let taken: Vec<EscalationStep> = ladder.steps().iter().map(|r| r.step).collect();
            prop_assert_eq!(&taken[..], &EscalationStep::ALL[..taken.len()]);
        }
    }
}
