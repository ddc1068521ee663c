//! What crosses from core to the phone shells: the public error tier ([`SafeShareError`], one
//! explicit mapping from core's errors) and, with the `uniffi` feature, the uniffi custom types
//! that let the generated Kotlin and Swift use core's own records and enums (issue 16, item 1).
//!
//! Invariants and why:
//! - Ids cross as ULID text and are read back through each id type's `FromStr`: a garbled id is
//!   a `SafeShareError::Validation` naming the id's kind, never a panic (uniffi hands a lift
//!   error of the call's own error type back as that typed error).
//! - Instants cross as the platform's instant (`java.time.Instant`, `Date`); an instant outside
//!   chrono's range is a `Validation` on `instant`, never a panic.
//! - Calendar dates cross as `YYYY-MM-DD` text, read through [`parse_date`] so pasted dates with
//!   Unicode spaces, invisible marks and typographic dashes read as typed.
//! - Nothing here decides a clinical rule: it only converts.

pub mod error;

pub use error::SafeShareError;

use crate::rules::normalise;
use chrono::{DateTime, NaiveDate, Utc};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A UTC instant, as the shells see it (uniffi custom type over the platform instant).
pub type UtcInstant = DateTime<Utc>;

/// A calendar date, as the shells see it (uniffi custom type over `YYYY-MM-DD` text).
pub type CalendarDate = NaiveDate;

/// A bare ULID (a team member's id, an entity an unreadable envelope versions), as the shells
/// see it (uniffi custom type over its text).
pub use ulid::Ulid;

/// Reads a `YYYY-MM-DD` date typed or pasted by a user, for `field`.
///
/// Errors: `SafeShareError::Validation { field, .. }` for anything else (the text is never quoted).
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, SafeShareError> {
    // A pasted date may carry Unicode spaces, invisible marks and typographic dashes.
    let text: String = normalise::trim(text)
        .chars()
        .filter(|c| !normalise::is_invisible(*c))
        .map(|c| if normalise::is_dash(c) { '-' } else { c })
        .collect();
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| SafeShareError::validation(field, "a date is written YYYY-MM-DD"))
}

/// A platform instant as a UTC instant.
///
/// Errors: `Validation` on `instant` for an instant chrono cannot hold (hundreds of thousands of
/// years away), which only a broken platform clock would send.
pub fn utc_from_system(at: SystemTime) -> Result<UtcInstant, SafeShareError> {
    let out_of_range = || SafeShareError::validation("instant", "the time is out of range");
    let (secs, nanos) = match at.duration_since(UNIX_EPOCH) {
        Ok(after) => (
            i64::try_from(after.as_secs()).map_err(|_| out_of_range())?,
            after.subsec_nanos(),
        ),
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).map_err(|_| out_of_range())?;
            // -1.25 s is -2 s plus 0.75 s.
            match before.subsec_nanos() {
                0 => (-secs, 0),
                n => (-secs - 1, 1_000_000_000 - n),
            }
        }
    };
    DateTime::from_timestamp(secs, nanos).ok_or_else(out_of_range)
}

/// A UTC instant as a platform instant.
pub fn system_from_utc(at: UtcInstant) -> SystemTime {
    let secs = at.timestamp();
    let nanos = at.timestamp_subsec_nanos();
    if secs >= 0 {
        UNIX_EPOCH + Duration::new(secs.unsigned_abs(), nanos)
    } else {
        UNIX_EPOCH - Duration::new(secs.unsigned_abs(), 0) + Duration::new(0, nanos)
    }
}

#[cfg(feature = "uniffi")]
mod custom_types {
    use super::{CalendarDate, SafeShareError, UtcInstant};
    use std::time::SystemTime;

    uniffi::custom_type!(UtcInstant, SystemTime, {
        remote,
        lower: |at| super::system_from_utc(at),
        try_lift: |at| Ok(super::utc_from_system(at)?),
    });

    uniffi::custom_type!(CalendarDate, String, {
        remote,
        lower: |date| date.format("%Y-%m-%d").to_string(),
        try_lift: |text| Ok(super::parse_date("date", &text)?),
    });

    // A bare ULID (an entity an unreadable envelope versions, a member of the team around the
    // child) crosses as its text.
    use super::Ulid;
    uniffi::custom_type!(Ulid, String, {
        remote,
        lower: |id| id.to_string(),
        try_lift: |text| Ok(crate::rules::normalise::trim(&text)
            .parse::<Ulid>()
            .map_err(|_| SafeShareError::validation("id", "not a ULID"))?),
    });

    /// Ids cross as ULID text; a garbled one is `Validation` naming the id's kind.
    macro_rules! id_as_text {
        ($($id:ident),* $(,)?) => {$(
            uniffi::custom_type!($id, String, {
                lower: |id| id.to_string(),
                try_lift: |text| Ok(crate::rules::normalise::trim(&text)
                    .parse::<$id>()
                    .map_err(SafeShareError::from)?),
            });
        )*};
    }

    use crate::directory::CallLogId;
    use crate::model::{
        ChecklistId, DecisionRecordId, DeviceId, HouseholdId, MeetingPackId, ObservationId,
        OrganisationId, PersonId, PhoneNumber, PractitionerId, ReferralId, ShareId, SupervisionId,
        TeamId, VisitId, VoiceNoteId,
    };
    use crate::rules::nhs_number::NhsNumber;
    use crate::sync::EnvelopeId;

    // A phone number crosses as its stored text (E.164, with RFC 3966's `;ext=` when it has
    // one); one read back is checked for shape again, a bad one being `Validation` on `phone`.
    uniffi::custom_type!(PhoneNumber, String, {
        lower: |number| String::from(number),
        try_lift: |text| Ok(PhoneNumber::try_from(text)
            .map_err(|_| SafeShareError::validation("phone", "not a phone number"))?),
    });

    // An NHS number crosses in its 3-3-4 display form; one read back is checked again
    // (modulus 11), a bad one being `Validation` on `nhs_number`.
    uniffi::custom_type!(NhsNumber, String, {
        lower: |number| number.formatted(),
        try_lift: |text| Ok(NhsNumber::parse(&text).map_err(SafeShareError::from)?),
    });

    id_as_text!(
        HouseholdId,
        PersonId,
        PractitionerId,
        TeamId,
        OrganisationId,
        VisitId,
        ObservationId,
        VoiceNoteId,
        ShareId,
        ReferralId,
        DeviceId,
        ChecklistId,
        DecisionRecordId,
        MeetingPackId,
        SupervisionId,
        CallLogId,
        EnvelopeId,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_dates_with_unicode_spaces_dashes_and_marks_read_as_the_same_date() {
        let want = NaiveDate::from_ymd_opt(2024, 5, 10);
        for text in [
            "2024-05-10",
            " 2024-05-10\t",
            "\u{00A0}2024-05-10\u{202F}",
            "2024\u{2010}05\u{2011}10",
            "2024\u{2013}05\u{2013}10",
            "\u{200E}2024-05-10\u{200B}",
            "\u{FEFF}2024\u{2212}05\u{2212}10",
        ] {
            assert_eq!(parse_date("date_of_birth", text).ok(), want, "{text:?}");
        }
        for bad in ["10/05/2024", "2024-13-01", "", "\u{200B}"] {
            assert!(parse_date("date_of_birth", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn platform_instants_round_trip_either_side_of_the_epoch() {
        for at in [
            UNIX_EPOCH + Duration::new(1_774_744_200, 123_456_789),
            UNIX_EPOCH - Duration::new(86_400, 250_000_000),
            UNIX_EPOCH,
        ] {
            let utc = utc_from_system(at).unwrap();
            assert_eq!(system_from_utc(utc), at);
        }
        let before = utc_from_system(UNIX_EPOCH - Duration::new(1, 250_000_000)).unwrap();
        assert_eq!(before.timestamp_millis(), -1_250);
    }
}
