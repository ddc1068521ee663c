//! The records core builds for the phone shells (issue 16 item 1: bindings mirrors nothing, so
//! these are the only place a list's shape is decided): a chronology line, a validated NHS
//! number, the capture prompts as typed, the team around a child with nobody recorded yet, and
//! the social care level whose Rust name changed while its stored word did not.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use safeshare_core::casework::team_around_child::{SocialCareLevel, TeamView};
use safeshare_core::model::{ConcernCategory, Evidence, ObservationId, PersonId, Severity};
use safeshare_core::rules::nhs_number::{NhsNumber, ValidNhsNumber};
use safeshare_core::rules::patterns::chronology::ChronologyLine;
use safeshare_core::rules::patterns::{ChronologyEntry, EntryKind};
use safeshare_core::rules::phrasing::{capture_prompts, capture_warnings, CapturePrompt};

#[test]
fn an_observation_line_names_its_kind_id_severity_and_category() {
    let id = ObservationId::new();
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 15, 0, 0).unwrap();
    let entry = ChronologyEntry {
        at,
        about: Some(PersonId::new()),
        household: None,
        kind: EntryKind::Observation {
            id,
            category: ConcernCategory::Medication,
            severity: Severity::Concern,
        },
        summary: "Inhaler out of date".to_owned(),
    };
    let line = ChronologyLine::from(entry);
    assert_eq!(line.kind, "observation");
    assert_eq!(line.record_id, Some(id.to_string()));
    assert_eq!(line.severity, Some(Severity::Concern));
    assert_eq!(line.category, Some(ConcernCategory::Medication));
    assert_eq!(line.at, at);
    assert_eq!(line.summary, "Inhaler out of date");
}

#[test]
fn a_line_without_a_record_of_its_own_has_no_id() {
    let entry = ChronologyEntry {
        at: Utc.with_ymd_and_hms(2026, 11, 27, 15, 0, 0).unwrap(),
        about: None,
        household: None,
        kind: EntryKind::TeamAroundChild,
        summary: "Health visiting (north) now involved".to_owned(),
    };
    let line = ChronologyLine::from(entry);
    assert_eq!(line.kind, "team_around_child");
    assert_eq!(line.record_id, None);
    assert_eq!(line.severity, None);
}

#[test]
fn a_valid_nhs_number_comes_in_both_written_forms() {
    let number = NhsNumber::parse("943-476-5919").unwrap();
    assert_eq!(
        ValidNhsNumber::from(&number),
        ValidNhsNumber {
            digits: "9434765919".to_owned(),
            formatted: "943 476 5919".to_owned(),
        }
    );
}

#[test]
fn prompts_as_typed_are_the_stored_warnings_in_words_in_the_same_order() {
    let evidence = Evidence::Opinion { basis: None };
    let prompts = capture_prompts("No concerns", evidence.statement_kind());
    let from_warnings: Vec<CapturePrompt> =
        capture_warnings("No concerns", evidence.statement_kind())
            .into_iter()
            .map(CapturePrompt::from)
            .collect();
    assert_eq!(prompts.len(), 2);
    assert_eq!(prompts, from_warnings);
    assert_eq!(prompts[0].stock_phrases, ["no concerns"]);
}

#[test]
fn a_child_with_nobody_recorded_has_an_empty_team_and_no_status() {
    assert_eq!(TeamView::new(None, None), TeamView::default());
    assert!(TeamView::new(None, None).members.is_empty());
}

#[test]
fn not_open_to_social_care_is_still_stored_as_none() {
    // Renamed from `None` (Swift's optionals use that name); records already sealed on phones
    // say "none" and must read back.
    let word = serde_json::to_string(&SocialCareLevel::NotOpen).unwrap();
    assert_eq!(word, "\"none\"");
    let read: SocialCareLevel = serde_json::from_str("\"none\"").unwrap();
    assert_eq!(read, SocialCareLevel::NotOpen);
}
