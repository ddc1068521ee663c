//! Encoding shared by the store's tables: timestamps as fixed-width UTC text (so SQL string
//! order is time order), bodies as JSON in zeroized buffers, severity as an ordered rank.

use super::error::{Corruption, StoreError};
use crate::model::Severity;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

/// `2026-03-29T01:30:00.000000Z`: always microseconds and `Z`, so text order is time order.
pub(crate) fn time_to_sql(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn time_from_sql(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(Corruption::Timestamp(e)))
}

pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    serde_json::to_vec(value)
        .map(Zeroizing::new)
        .map_err(StoreError::from)
}

pub(crate) fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(StoreError::from)
}

pub(crate) fn severity_rank(severity: Severity) -> i64 {
    match severity {
        Severity::LowLevelConcern => 0,
        Severity::Concern => 1,
        Severity::ImmediateRisk => 2,
    }
}

pub(crate) fn severity_from_rank(rank: i64) -> Result<Severity, StoreError> {
    match rank {
        0 => Ok(Severity::LowLevelConcern),
        1 => Ok(Severity::Concern),
        2 => Ok(Severity::ImmediateRisk),
        _ => Err(StoreError::Corrupt(Corruption::SeverityRank)),
    }
}
