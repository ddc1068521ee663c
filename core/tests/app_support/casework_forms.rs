//! Steps for the casework form tests (`screens_casework_forms.rs`, `attack_casework_forms.rs`):
//! a field read off a form, a value typed into a draft, an observation to amend, and drafts
//! complete but for what a test changes (supervision, a core group meeting pack). Real
//! sessions on real SQLite files (`app_support`); nothing here asserts, except that a refused
//! supervision Save wrote nothing, so a test says what it checks.

use super::{family, health_visitor, region, utc, Device, Family};
use safeshare_core::app::{AppError, NewObservationInput, Session};
use safeshare_core::casework::meeting::MeetingType;
use safeshare_core::model::{ConcernCategory, Evidence, ObservationId, PersonId, Severity};
use safeshare_core::screens::{
    CaseworkChoice, CaseworkField, CaseworkFieldKey, CaseworkFormDraft, CaseworkFormItem,
    CaseworkFormKind, CaseworkFormScreen,
};

/// The field `key` on `screen`; panics (failing the test) when the form does not show it.
pub fn field(screen: &CaseworkFormScreen, key: &CaseworkFieldKey) -> CaseworkField {
    screen
        .items
        .iter()
        .find_map(|i| match i {
            CaseworkFormItem::Field { field } if &field.key == key => Some(field.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no field {key:?}"))
}

/// `draft` with `value` typed into `key`.
pub fn typed(draft: CaseworkFormDraft, key: CaseworkFieldKey, value: &str) -> CaseworkFormDraft {
    draft.with_text(key, value.to_owned())
}

/// A domestic-abuse observation about `baby` in `words`, not shared; its id.
pub fn observe(session: &Session, baby: PersonId, words: &str) -> ObservationId {
    session
        .capture_observation(NewObservationInput {
            about: baby,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: words.into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap()
        .record
        .id
}

/// A supervision draft complete but for what each test changes: a supervisor, `held_at`
/// typed, and each of `cases` chosen with a summary.
pub fn supervision_ready(cases: &[PersonId], held_at: &str) -> CaseworkFormDraft {
    let mut draft = CaseworkFormDraft::new(CaseworkFormKind::RecordSupervision { child: None });
    draft = typed(draft, CaseworkFieldKey::Supervisor, "Alex Lead");
    draft = typed(draft, CaseworkFieldKey::HeldAt, held_at);
    for p in cases {
        draft = draft.with_choice(CaseworkChoice::Case { person: *p });
        draft = typed(
            draft,
            CaseworkFieldKey::CaseSummary { person: *p },
            "Discussed.",
        );
    }
    draft
}

/// A core group meeting pack draft for `child`, representing midwifery, with no time typed.
pub fn core_group_pack(child: PersonId) -> CaseworkFormDraft {
    typed(
        CaseworkFormDraft::new(CaseworkFormKind::PrepareMeetingPack { child }).with_choice(
            CaseworkChoice::MeetingType {
                meeting_type: MeetingType::CoreGroup,
            },
        ),
        CaseworkFieldKey::Represents,
        "midwifery",
    )
}

/// The health visitor's phone at noon on Monday 30 November 2026, holding the shared family:
/// where the supervision form tests start.
pub fn supervising_health_visitor() -> (Device, Family) {
    let hv = health_visitor(&region(), utc(2026, 11, 30, 12, 0));
    let family = family(&hv.session);
    (hv, family)
}

/// Saving `draft` is refused, and no supervision record is written; the refusal.
pub fn supervision_refused(session: &Session, draft: &CaseworkFormDraft) -> AppError {
    let refusal = match session.save_casework_form(draft) {
        Err(e) => e,
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    };
    assert!(session.supervision_records().unwrap().is_empty());
    refusal
}
