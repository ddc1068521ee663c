//! The demo region loaded by `serve --demo`: clearly fictional organisations and teams, every
//! phone number from Ofcom's ranges reserved for drama (020 7946 0xxx, 0113 496 0xxx,
//! 0117 496 0xxx, 0121 496 0xxx, 0161 496 0xxx), so nothing in it can reach a real service.
//! Ids are fixed so a demo database can be re-used across restarts.

use crate::admin::{import_directory, AdminError};
use crate::enrolment::{issue, IssueError, IssuedCode};
use crate::storage::Store;
use chrono::{DateTime, Duration, Utc};
use safeshare_core::model::TeamId;

/// The demo community midwifery team (the team the printed enrolment code joins).
pub const DEMO_MIDWIFERY_TEAM: &str = "01KDVDNA004TFF59TDWH9EDD1R";
/// The demo health visiting team.
pub const DEMO_HEALTH_VISITING_TEAM: &str = "01KDVDNA011HEAD8X4A1JH69RE";

/// The demo directory document.
pub fn demo_directory() -> serde_json::Value {
    serde_json::json!({
        "region": "Demo Region (FICTIONAL - for demonstration only)",
        "fictional": true,
        "organisations": [
            {"id": "01KDVDNA052R00K6AGV0VFCXEC", "name": "Northvale Teaching Hospitals NHS Trust (fictional)",
             "switchboard": "0113 496 0000"},
            {"id": "01KDVDNA0627H6P3AMKDQG6STT", "name": "Southmere Community Health NHS Trust (fictional)",
             "switchboard": "0161 496 0000"},
            {"id": "01KDVDNA07HM8HEE7QV4YSR5S4", "name": "Northvale Council Children's Services (fictional)",
             "switchboard": "0117 496 0000"}
        ],
        "teams": [
            {"id": DEMO_MIDWIFERY_TEAM, "name": "Northvale Community Midwifery (fictional)",
             "organisation_id": "01KDVDNA052R00K6AGV0VFCXEC", "service": "midwifery",
             "numbers": [{"label": "in hours", "number": "0113 496 0101"},
                         {"label": "out of hours", "number": "0113 496 0199"}]},
            {"id": DEMO_HEALTH_VISITING_TEAM, "name": "Southmere Health Visiting (fictional)",
             "organisation_id": "01KDVDNA0627H6P3AMKDQG6STT", "service": "health_visiting",
             "numbers": [{"label": "in hours", "number": "0161 496 0201"}]},
            {"id": "01KDVDNA02H4QX4FR84G98PBSK", "name": "Northvale Children's Services Front Door (fictional)",
             "organisation_id": "01KDVDNA07HM8HEE7QV4YSR5S4", "service": "csc_front_door",
             "numbers": [{"label": "in hours", "number": "0117 496 0301"},
                         {"label": "emergency duty (out of hours)", "number": "0117 496 0399"}]},
            {"id": "01KDVDNA03JMRNV7E9Z0C1HT0H", "name": "Southmere Safeguarding Team (fictional)",
             "organisation_id": "01KDVDNA0627H6P3AMKDQG6STT", "service": "safeguarding",
             "numbers": [{"label": "in hours", "number": "020 7946 0401"}]},
            {"id": "01KDVDNA04G7KYHRJXJG7DJ13N", "name": "Northvale Maternity Ward (fictional)",
             "organisation_id": "01KDVDNA052R00K6AGV0VFCXEC", "service": "acute_ward",
             "numbers": [{"label": "24 hours", "number": "0121 496 0501"}]}
        ]
    })
}

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Import failed.
    #[error(transparent)]
    Import(#[from] AdminError),
    /// Code issue failed.
    #[error(transparent)]
    Issue(#[from] IssueError),
    /// A fixed id is wrong (a bug in this module).
    #[error("demo team id is not a ULID")]
    BadId,
}

/// Loads the demo directory (unless a directory exists already) and issues a 24-hour code for
/// a new practitioner of the demo midwifery team.
pub async fn load_demo<S: Store>(store: &S, now: DateTime<Utc>) -> Result<IssuedCode, DemoError> {
    if store
        .latest_directory()
        .await
        .map_err(AdminError::from)?
        .is_none()
    {
        import_directory(store, &demo_directory().to_string(), now).await?;
    }
    let team: TeamId = DEMO_MIDWIFERY_TEAM.parse().map_err(|_| DemoError::BadId)?;
    Ok(issue(store, None, vec![team], Duration::hours(24), now).await?)
}
