//! Multi-agency meeting packs and supervision oversight before a Child Protection Conference.

// Test helpers outside #[test] fns may unwrap: a panic is a test failure.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use safeshare_core::casework::meeting::*;
use safeshare_core::casework::supervision::*;
use safeshare_core::model::*;

fn at(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, 10, 0, 0).unwrap()
}

fn obs(child: PersonId, category: ConcernCategory, when: DateTime<Utc>) -> PackEntry {
    let o = Observation::capture(
        NewObservation {
            about: child,
            visit: None,
            recorded_by: PractitionerId::new(),
            category,
            severity: Severity::LowLevelConcern,
            evidence: Evidence::ObservedFact,
            description: "Inhaler found empty in kitchen drawer; no spare".into(),
            observed_at: when,
            place: None,
        },
        when,
    )
    .unwrap();
    PackEntry {
        about: child,
        at: when,
        kind: EntryKind::Observation(Box::new(o)),
    }
}

fn entry(child: PersonId, when: DateTime<Utc>, kind: EntryKind) -> PackEntry {
    PackEntry {
        about: child,
        at: when,
        kind,
    }
}

fn child_person() -> Person {
    Person::new(
        HouseholdId::new(),
        PersonRole::Child,
        PersonDetails {
            name: Some("Test Child".into()),
            date_of_birth: Some(NaiveDate::from_ymd_opt(2019, 4, 2).unwrap()),
            ..PersonDetails::default()
        },
    )
    .unwrap()
}

/// A chronology with every kind of entry, deliberately out of time order.
fn mixed_chronology(child: &Person) -> Vec<PackEntry> {
    let c = child.id;
    let voice = VoiceOfChild::capture(
        NewVoiceNote {
            child: c,
            visit: None,
            recorded_by: PractitionerId::new(),
            words: "I don't like it when Mummy's friend stays".into(),
            mode: ExpressionMode::Speech,
            present: vec![Attendee::other("class teacher").unwrap()],
            expressed_at: at(10, 3),
            input: InputMethod::Dictated,
        },
        child,
        at(10, 3),
    )
    .unwrap();
    vec![
        entry(
            c,
            at(11, 1),
            EntryKind::HealthStaff {
                name: "Pat Nurse".into(),
                role: "school nurse, Eastfield".into(),
                phone: Some("01632 960111".into()),
            },
        ),
        obs(c, ConcernCategory::WasNotBrought, at(9, 12)),
        entry(
            c,
            at(6, 1),
            EntryKind::Condition {
                condition: LongTermCondition::Asthma,
                detail: "moderate; two admissions in 2025".into(),
            },
        ),
        entry(
            c,
            at(6, 1),
            EntryKind::Medication {
                medicine: "salbutamol inhaler".into(),
                dose: "2 puffs as needed".into(),
                significance: "no inhaler at home risks a severe attack".into(),
            },
        ),
        obs(c, ConcernCategory::Medication, at(8, 20)),
        entry(
            c,
            at(8, 1),
            EntryKind::Appointment {
                service: "asthma clinic".into(),
                attendance: Attendance::WasNotBrought,
            },
        ),
        entry(
            c,
            at(7, 1),
            EntryKind::Appointment {
                service: "asthma clinic".into(),
                attendance: Attendance::Attended,
            },
        ),
        entry(
            c,
            at(12, 15),
            EntryKind::Appointment {
                service: "asthma clinic".into(),
                attendance: Attendance::Booked,
            },
        ),
        entry(
            c,
            at(5, 2),
            EntryKind::Growth {
                weight_grams: Some(17_400),
                length_mm: Some(1_050),
                head_circumference_mm: None,
                centile: "9th".into(),
            },
        ),
        obs(c, ConcernCategory::GrowthOrWeight, at(10, 2)),
        entry(
            c,
            at(4, 1),
            EntryKind::CarePlan {
                summary: "personal asthma action plan; spare inhaler at school".into(),
            },
        ),
        entry(c, at(10, 3), EntryKind::VoiceOfChild(Box::new(voice))),
        obs(c, ConcernCategory::DomesticAbuse, at(10, 20)),
        obs(c, ConcernCategory::LongTermConditionNotManaged, at(9, 1)),
    ]
}

fn new_pack(child: PersonId, meeting_type: MeetingType, by: PractitionerId) -> NewMeetingPack {
    NewMeetingPack {
        child,
        meeting_type,
        meeting_at: at(11, 20),
        prepared_by: by,
        represents: vec!["school nursing".into(), "asthma care".into()],
    }
}

#[test]
fn a_mixed_chronology_yields_every_section_in_the_documented_order() {
    let child = child_person();
    let chronology = mixed_chronology(&child);
    let pack = MeetingPack::assemble(
        new_pack(child.id, MeetingType::ChildInNeed, PractitionerId::new()),
        &chronology,
        &[],
        OversightPolicy::default(),
        at(11, 18),
    )
    .unwrap();
    assert_eq!(
        pack.sections.iter().map(|s| s.kind).collect::<Vec<_>>(),
        SectionKind::ORDER.to_vec()
    );
    assert_eq!(
        pack.sections
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>(),
        vec![
            "Health needs and long-term conditions",
            "Medication and its significance",
            "Was not brought",
            "Growth",
            "Follow-up appointments",
            "Health care plan",
            "The child's voice",
            "Other concerns recorded",
            "Health staff involved",
        ]
    );
    let dates = |k: SectionKind| -> Vec<DateTime<Utc>> {
        pack.section(k)
            .unwrap()
            .entries
            .iter()
            .map(|e| e.at)
            .collect()
    };
    assert_eq!(dates(SectionKind::HealthNeeds), vec![at(6, 1), at(9, 1)]);
    assert_eq!(dates(SectionKind::Medication), vec![at(6, 1), at(8, 20)]);
    assert_eq!(dates(SectionKind::WasNotBrought), vec![at(8, 1), at(9, 12)]);
    assert_eq!(dates(SectionKind::Growth), vec![at(5, 2), at(10, 2)]);
    assert_eq!(dates(SectionKind::FollowUpAppointments), vec![at(12, 15)]);
    assert_eq!(dates(SectionKind::CarePlan), vec![at(4, 1)]);
    assert_eq!(dates(SectionKind::ChildsVoice), vec![at(10, 3)]);
    assert_eq!(dates(SectionKind::OtherConcerns), vec![at(10, 20)]);
    assert_eq!(dates(SectionKind::HealthStaff), vec![at(11, 1)]);
    assert_eq!(pack.represents, vec!["school nursing", "asthma care"]);
    // Everything but the attended appointment is in the pack exactly once.
    let total: usize = pack.sections.iter().map(|s| s.entries.len()).sum();
    assert_eq!(total, chronology.len() - 1);
    assert_eq!(pack.supervision_prompt, None, "not a conference");
}

#[test]
fn the_pack_is_the_same_whatever_order_the_chronology_comes_in() {
    let child = child_person();
    let chronology = mixed_chronology(&child);
    let mut reversed = chronology.clone();
    reversed.reverse();
    let by = PractitionerId::new();
    let make = |c: &[PackEntry]| {
        MeetingPack::assemble(
            new_pack(child.id, MeetingType::CoreGroup, by),
            c,
            &[],
            OversightPolicy::default(),
            at(11, 18),
        )
        .unwrap()
        .sections
    };
    let a = make(&chronology);
    let b = make(&reversed);
    // Entries at distinct times are identical; same-instant pairs are in different sections
    // here, so the whole structure matches.
    assert_eq!(a, b);
}

#[test]
fn an_empty_chronology_still_yields_every_section_empty() {
    let pack = MeetingPack::assemble(
        new_pack(
            PersonId::new(),
            MeetingType::EarlyHelp,
            PractitionerId::new(),
        ),
        &[],
        &[],
        OversightPolicy::default(),
        at(11, 18),
    )
    .unwrap();
    assert_eq!(pack.sections.len(), 9);
    assert!(pack.sections.iter().all(|s| s.entries.is_empty()));
}

#[test]
fn a_pack_needs_the_parts_of_care_the_practitioner_represents() {
    let mut new = new_pack(
        PersonId::new(),
        MeetingType::StrategyDiscussion,
        PractitionerId::new(),
    );
    new.represents = vec![" ".into()];
    assert_eq!(
        MeetingPack::assemble(new, &[], &[], OversightPolicy::default(), at(11, 18)).unwrap_err(),
        MeetingError::NothingRepresented
    );
}

#[test]
fn what_was_shared_and_a_challenge_to_inaccurate_minutes_are_recorded() {
    let by = PractitionerId::new();
    let mut pack = MeetingPack::assemble(
        new_pack(PersonId::new(), MeetingType::ChildProtectionConference, by),
        &[],
        &[],
        OversightPolicy::default(),
        at(11, 18),
    )
    .unwrap();
    pack.record_shared(SharedAtMeeting {
        recorded_by: by,
        recorded_at: at(11, 20),
        summary: "shared asthma plan, two missed clinics, child's words about mother's friend"
            .into(),
        sections: vec![
            SectionKind::HealthNeeds,
            SectionKind::WasNotBrought,
            SectionKind::ChildsVoice,
        ],
    })
    .unwrap();
    let challenge = MinutesChallenge {
        raised_by: by,
        raised_at: at(11, 25),
        inaccuracy: "minutes say the child attended all clinic appointments".into(),
        correction: "the child was not brought on 1 August and 12 September".into(),
        raised_with: "conference chair".into(),
    };
    assert_eq!(
        pack.challenge_minutes(MinutesChallenge {
            correction: " ".into(),
            ..challenge.clone()
        })
        .unwrap_err(),
        MeetingError::Required {
            field: "correction"
        }
    );
    pack.challenge_minutes(challenge).unwrap();
    assert_eq!(pack.shared_at_meeting.len(), 1);
    assert_eq!(pack.minutes_challenges.len(), 1);
    let back: MeetingPack = serde_json::from_str(&serde_json::to_string(&pack).unwrap()).unwrap();
    assert_eq!(back, pack);
}

// ---- supervision -----------------------------------------------------------------------------

fn supervision(
    supervisee: PractitionerId,
    child: PersonId,
    held_at: DateTime<Utc>,
) -> SupervisionRecord {
    SupervisionRecord::record(
        NewSupervision {
            supervisee,
            supervisor: Supervisor {
                practitioner: None,
                name: "Alex Lead, named nurse for safeguarding".into(),
            },
            held_at,
            cases: vec![CaseDiscussed {
                person: child,
                summary: "escalating missed health care; agreed to refer to CSC".into(),
            }],
            actions: vec![SupervisionAction {
                action: "send referral to MASH".into(),
                owner: "school nurse".into(),
                owner_practitioner: Some(supervisee),
                due: held_at.date_naive() + Duration::days(1),
            }],
        },
        held_at + Duration::hours(1),
    )
    .unwrap()
}

#[test]
fn a_conference_without_supervision_recorded_beforehand_raises_a_prompt() {
    let by = PractitionerId::new();
    let child = PersonId::new();
    let pack = MeetingPack::assemble(
        new_pack(child, MeetingType::ChildProtectionConference, by),
        &[],
        &[],
        OversightPolicy::default(),
        at(11, 18),
    )
    .unwrap();
    let prompt = pack.supervision_prompt.clone().unwrap();
    assert_eq!(prompt, OversightPrompt::NoSupervisionRecorded);
    assert!(prompt.prompt().contains("Child Protection Conference"));
}

#[test]
fn a_conference_with_this_child_discussed_in_recent_supervision_raises_no_prompt() {
    let by = PractitionerId::new();
    let child = PersonId::new();
    let pack = MeetingPack::assemble(
        new_pack(child, MeetingType::ChildProtectionConference, by),
        &[],
        &[supervision(by, child, at(11, 10))],
        OversightPolicy::default(),
        at(11, 18),
    )
    .unwrap();
    assert_eq!(pack.supervision_prompt, None);
}

#[test]
fn supervision_after_the_conference_or_of_someone_else_or_another_child_does_not_count() {
    let by = PractitionerId::new();
    let child = PersonId::new();
    let conference = at(11, 20);
    let policy = OversightPolicy::default();
    // Held after the conference started.
    assert_eq!(
        conference_oversight_prompt(
            by,
            child,
            conference,
            &[supervision(by, child, conference + Duration::minutes(1))],
            policy
        ),
        Some(OversightPrompt::NoSupervisionRecorded)
    );
    // Another practitioner's supervision.
    assert_eq!(
        conference_oversight_prompt(
            by,
            child,
            conference,
            &[supervision(PractitionerId::new(), child, at(11, 1))],
            policy
        ),
        Some(OversightPrompt::NoSupervisionRecorded)
    );
    // This practitioner, but another child.
    assert_eq!(
        conference_oversight_prompt(
            by,
            child,
            conference,
            &[supervision(by, PersonId::new(), at(11, 1))],
            policy
        ),
        Some(OversightPrompt::ChildNotDiscussed {
            last_supervision: at(11, 1)
        })
    );
    // Exactly at the conference start counts (held "beforehand" up to the minute).
    assert_eq!(
        conference_oversight_prompt(
            by,
            child,
            conference,
            &[supervision(by, child, conference)],
            policy
        ),
        None
    );
}

#[test]
fn oversight_older_than_the_policy_allows_raises_a_prompt_at_the_edge() {
    let by = PractitionerId::new();
    let child = PersonId::new();
    let conference = at(11, 20);
    let policy = OversightPolicy::default();
    let on_the_edge = conference - Duration::days(92);
    assert_eq!(
        conference_oversight_prompt(
            by,
            child,
            conference,
            &[supervision(by, child, on_the_edge)],
            policy
        ),
        None
    );
    let just_past = on_the_edge - Duration::minutes(1);
    let prompt = conference_oversight_prompt(
        by,
        child,
        conference,
        &[supervision(by, child, just_past)],
        policy,
    );
    assert_eq!(
        prompt,
        Some(OversightPrompt::OversightOutOfDate {
            last_discussed: just_past
        })
    );
    assert!(prompt
        .unwrap()
        .prompt()
        .contains("last discussed on 20 Aug 2026"));
}

#[test]
fn only_a_child_protection_conference_checks_supervision() {
    let by = PractitionerId::new();
    for meeting_type in [
        MeetingType::StrategyDiscussion,
        MeetingType::CoreGroup,
        MeetingType::ChildInNeed,
        MeetingType::EarlyHelp,
        MeetingType::ReviewOfArrangements,
    ] {
        let pack = MeetingPack::assemble(
            new_pack(PersonId::new(), meeting_type, by),
            &[],
            &[],
            OversightPolicy::default(),
            at(11, 18),
        )
        .unwrap();
        assert_eq!(pack.supervision_prompt, None, "{meeting_type:?}");
    }
}

#[test]
fn lines_from_the_rules_chronology_land_in_the_same_sections_as_whole_records() {
    use safeshare_core::rules::patterns::chronology::{self as rc};
    let child = PersonId::new();
    let line = |day: u32, about: Option<PersonId>, kind: rc::EntryKind| rc::ChronologyEntry {
        at: at(10, day),
        about,
        household: None,
        kind,
        summary: format!("entry of day {day}"),
    };
    let rules_entries = vec![
        line(
            5,
            Some(child),
            rc::EntryKind::Observation {
                id: ObservationId::new(),
                category: ConcernCategory::WasNotBrought,
                severity: Severity::LowLevelConcern,
            },
        ),
        line(
            2,
            Some(child),
            rc::EntryKind::Observation {
                id: ObservationId::new(),
                category: ConcernCategory::GrowthOrWeight,
                severity: Severity::Concern,
            },
        ),
        line(
            3,
            Some(child),
            rc::EntryKind::VoiceOfChild {
                id: VoiceNoteId::new(),
            },
        ),
        line(
            4,
            Some(child),
            rc::EntryKind::Call {
                team: TeamId::new(),
            },
        ),
        line(
            6,
            None,
            rc::EntryKind::Observation {
                id: ObservationId::new(),
                category: ConcernCategory::DomesticAbuse,
                severity: Severity::Concern,
            },
        ),
    ];
    let entries = entries_from_rules_chronology(&rules_entries);
    assert_eq!(
        entries.len(),
        3,
        "the call and the entry about no one are left out"
    );
    let pack = MeetingPack::assemble(
        new_pack(child, MeetingType::CoreGroup, PractitionerId::new()),
        &entries,
        &[],
        OversightPolicy::default(),
        at(11, 18),
    )
    .unwrap();
    let count = |k: SectionKind| pack.section(k).unwrap().entries.len();
    assert_eq!(count(SectionKind::WasNotBrought), 1);
    assert_eq!(count(SectionKind::Growth), 1);
    assert_eq!(count(SectionKind::ChildsVoice), 1);
    assert_eq!(count(SectionKind::OtherConcerns), 0);
    assert!(matches!(
        &pack.section(SectionKind::ChildsVoice).unwrap().entries[0].kind,
        EntryKind::VoiceLine { summary, .. } if summary == "entry of day 3"
    ));
}
