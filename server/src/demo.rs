//! The demo region loaded by `serve --demo`: the project's fictional sample directory
//! (`data/directory/sample-fictional.jsonl`, marked `"fictional": true`): invented
//! organisations and teams, every phone number from Ofcom's ranges reserved for drama, so
//! nothing in it can reach a real service.

use crate::admin::{import_directory, AdminError};
use crate::admin::{issue_code, CLI_ACTOR};
use crate::enrolment::{IssueError, IssuedCode};
use crate::storage::{CodeOrigin, Store};
use chrono::{DateTime, Duration, Utc};
use safeshare_core::directory::{parse, Service};
use safeshare_core::model::TeamId;

/// The fictional sample directory, as shipped with the project.
pub const DEMO_DIRECTORY: &str = include_str!("../../data/directory/sample-fictional.jsonl");

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Import failed.
    #[error(transparent)]
    Import(#[from] AdminError),
    /// Code issue failed.
    #[error(transparent)]
    Issue(#[from] IssueError),
    /// The sample has no midwifery team (the sample file changed).
    #[error("the demo directory has no midwifery team")]
    NoMidwiferyTeam,
    /// The sample is not marked fictional: refuse to present it as a demo.
    #[error("the demo directory is not marked fictional")]
    NotFictional,
}

/// What `--demo` prints.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The code for a new practitioner of the demo midwifery team.
    pub code: IssuedCode,
    /// That team's name.
    pub team_name: String,
    /// The region's name.
    pub region: String,
}

/// Loads the demo directory (unless that version or a newer one is stored), revokes the
/// unused codes of earlier demo starts, and issues a 24-hour code for a new practitioner of
/// its community midwifery team.
pub async fn load_demo<S: Store>(store: &S, now: DateTime<Utc>) -> Result<Demo, DemoError> {
    let directory = parse(DEMO_DIRECTORY).map_err(AdminError::from)?;
    if !directory.is_fictional() {
        return Err(DemoError::NotFictional);
    }
    let stored = store
        .latest_directory()
        .await
        .map_err(AdminError::from)?
        .map(|d| d.version)
        .unwrap_or(0);
    if stored < directory.version() {
        import_directory(store, DEMO_DIRECTORY, now).await?;
    }
    let team = directory
        .teams()
        .find(|t| t.service == Service::Midwifery)
        .ok_or(DemoError::NoMidwiferyTeam)?;
    let team_id: TeamId = team.id;
    // A restarted demo must not leave the previous run's codes valid beside the new one.
    store
        .revoke_open_codes(CodeOrigin::Demo, now)
        .await
        .map_err(IssueError::from)?;
    let code = issue_code(
        store,
        None,
        vec![team_id],
        Duration::hours(24),
        now,
        CodeOrigin::Demo,
        CLI_ACTOR,
    )
    .await?;
    Ok(Demo {
        code,
        team_name: team.name.clone(),
        region: directory.region().to_owned(),
    })
}
