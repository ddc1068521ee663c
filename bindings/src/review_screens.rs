//! The Chronology screen and starting a home visit with its address (issue 17's remainder) for
//! the shells. Translation only: the record, its wording and its order are
//! `safeshare_core::screens::chronology`; the visit and its household are recorded by
//! `safeshare_core::screens::today`. Separate export blocks, so no other file's object changes.

use crate::error::{guard, Result};
use crate::session::{OverCore, Session, Visits};
use safeshare_core::model::PersonId;
use safeshare_core::screens::{ChronologyScreen, StartedVisit};

#[uniffi::export]
impl Session {
    /// A child's chronology: every entry in order, in London time, with who recorded it and
    /// amendments marked, and the ways into the child's patterns, meeting packs and team.
    pub fn chronology_screen(&self, child_id: PersonId) -> Result<ChronologyScreen> {
        guard(|| Ok(self.inner.chronology_screen(child_id)?))
    }
}

#[uniffi::export]
impl Visits {
    /// "Start home visit" from Today: records a household at `address` (what was typed in
    /// Today's `startVisitAddress`; blank is none) and starts its visit now.
    pub fn start_home_visit(&self, address: Option<String>) -> Result<StartedVisit> {
        self.run(|s| s.start_home_visit(address))
    }
}
