//! Enrolment and the sync client's entry points on [`super::Session`] (owned by the sync work).
