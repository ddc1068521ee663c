//! The Transfer of care screens as core builds them (issue 21 item 4), on real SQLite stores
//! with fixed clocks, envelopes carried by hand from one phone to the other exactly as the
//! sync client applies them: the receiving teams found by the new postcode (never the
//! practitioner's own), the pack preview, each severity's due time in London time across Good
//! Friday, a weekend, the spring clock change and Easter Monday, Send enabled only when
//! everything is given; then "needs attention" with a call-now chosen for that instant while
//! unacknowledged, the receiving phone's expected family with Take on enabled only after the
//! read-back, and "Transferred to … on …" on the sender's phone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
mod screens_support;

use app_support::*;
use safeshare_core::app::{AppError, NewObservationInput, TransferTakeOn};
use safeshare_core::casework::transfer::NewTransfer;
use safeshare_core::model::{ConcernCategory, Evidence, Severity};
use safeshare_core::screens::{ShareActionKind, Tone, TransferActionKind, TransferDraft};
use safeshare_core::sync::EnvelopeKind;
use screens_support::{carry, read_back, with_areas};

#[test]
fn a_transfer_is_drafted_sent_chased_acknowledged_taken_on_and_marked_transferred() {
    let region = region();
    // Thursday 25 March 2027, 16:00 GMT: the next day is Good Friday, then a weekend in which
    // the clocks go forward, then Easter Monday.
    let midwife = midwife(&region, utc(2027, 3, 25, 16, 0));
    with_areas(&midwife, &region);
    let family = family(&midwife.session);
    let child = family.baby.id;
    midwife
        .session
        .capture_observation(NewObservationInput {
            about: child,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Bruise on mother's left forearm; says partner grabbed her.".into(),
            observed_at: None,
            place: None,
            share: None,
        })
        .unwrap();

    // Nothing typed: asks for the postcode; Send disabled with why.
    let mut draft = TransferDraft::new(child);
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    assert_eq!(screen.title, "Transfer of care");
    assert!(screen.sent.is_empty());
    assert!(screen.teams.is_empty());
    assert!(screen.postcode.problem.is_some());
    assert_eq!(screen.actions[0].label, "Send transfer");
    assert!(!screen.actions[0].enabled);
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Type the family's new postcode.")
    );
    // Never below concern; each due time from the rule, in London time.
    let severities: Vec<(&str, &str, bool, bool)> = screen
        .severities
        .iter()
        .map(|s| (s.label.as_str(), s.due.as_str(), s.enabled, s.selected))
        .collect();
    assert_eq!(
        severities,
        vec![
            (
                "Low-level concern",
                "To be acknowledged by Tue 30 Mar 16:00",
                false,
                false
            ),
            (
                "Concern",
                "To be acknowledged by Tue 30 Mar 12:00",
                true,
                true
            ),
            (
                "Immediate risk",
                "To be acknowledged by today 17:00",
                true,
                false
            ),
        ]
    );
    assert_eq!(
        screen.severities[0].detail.as_deref(),
        Some("A transfer of care is never sent below concern.")
    );
    assert!(screen.pack.contains(&"Open concerns: 1".to_owned()));
    assert!(screen
        .pack
        .contains(&"Children's social care: no status recorded".to_owned()));

    // The new postcode: health visiting covering LS6 is offered; the midwife's own team and
    // the front door (not a caseload service) are not.
    draft.new_postcode = "LS6 2AB".into();
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    assert_eq!(screen.postcode.problem, None);
    assert_eq!(screen.teams_heading, "Teams covering LS6");
    let teams: Vec<(&str, &str)> = screen
        .teams
        .iter()
        .map(|t| (t.title.as_str(), t.why.as_str()))
        .collect();
    assert_eq!(teams, vec![("East health visiting", "Covers LS6")]);
    assert_eq!(screen.pack[0], "New postcode: LS6");
    assert_eq!(
        screen.actions[0].detail.as_deref(),
        Some("Choose the receiving team.")
    );
    assert!(matches!(
        screen.teams[0].actions[0].kind,
        ShareActionKind::ChooseTeam { team } if team == region.health_visiting
    ));

    // Everything given: Send enabled.
    draft.team = Some(region.health_visiting);
    draft.message = "Family moving to your area on Monday; please take on the baby.".into();
    draft.health_needs = "none known".into();
    draft.medication = "none known".into();
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    assert!(!screen.actions[0].enabled);
    assert!(screen.actions[0]
        .detail
        .as_deref()
        .unwrap()
        .contains("follow-up appointments"));
    draft.follow_up_appointments = "6-8 week check due 27 Dec".into();
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    let send = &screen.actions[0];
    assert_eq!(send.label, "Send transfer to East health visiting");
    assert!(send.enabled);
    let TransferActionKind::Send { severity, .. } = send.kind else {
        panic!("{send:?}")
    };
    assert_eq!(severity, Severity::Concern);
    assert_eq!(
        screen.chosen.as_deref(),
        Some("Transferring to East health visiting")
    );
    assert!(screen.teams[0].chosen);
    assert!(!screen.teams[0].actions[0].enabled);

    let record = midwife
        .session
        .transfers()
        .send(NewTransfer {
            child,
            team: region.health_visiting,
            new_postcode: draft.new_postcode.clone(),
            new_address: None,
            moving_on: None,
            message: draft.message.clone(),
            severity: Some(severity),
            health_needs: draft.health_needs.clone(),
            medication: draft.medication.clone(),
            follow_up_appointments: draft.follow_up_appointments.clone(),
        })
        .unwrap();

    // Saturday 27 March, 12:00 GMT: unacknowledged, needs attention, call the out-of-hours
    // number.
    midwife.clock.set(utc(2027, 3, 27, 12, 0));
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    let sent = &screen.sent[0];
    assert_eq!(sent.share, record.share);
    assert_eq!(
        sent.title,
        "Transfer of care to East health visiting sent on 25 Mar 2027; not yet acknowledged"
    );
    assert_eq!(sent.status, "To be acknowledged by Tue 30 Mar 12:00");
    assert_eq!(sent.tone, Tone::ActionNeeded);
    assert!(sent
        .attention
        .as_deref()
        .unwrap()
        .starts_with("Needs attention: East health visiting has not acknowledged"));
    assert_eq!(
        sent.actions[0].label,
        "Call East health visiting (out of hours)"
    );
    assert!(sent.actions[0].enabled);

    // Tuesday 30 March, 12:30 BST: overdue; the in-hours number now.
    midwife.clock.set(utc(2027, 3, 30, 11, 30));
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    let sent = &screen.sent[0];
    assert_eq!(sent.status, "Not acknowledged: it was due today 12:00");
    assert_eq!(sent.tone, Tone::Overdue);
    assert_eq!(
        sent.actions[0].label,
        "Call East health visiting (in hours)"
    );

    // The receiving phone sees the expected family; Take on only after the read-back.
    let hv = health_visitor(&region, utc(2027, 3, 26, 10, 0));
    assert_eq!(
        hv.session
            .expected_families_screen()
            .unwrap()
            .empty
            .as_deref(),
        Some("No family is expected: transfers of care to your teams appear here.")
    );
    carry(&midwife, &hv, EnvelopeKind::Share);
    let screen = hv.session.expected_families_screen().unwrap();
    assert_eq!(screen.title, "Families moving to your area");
    assert_eq!(screen.empty, None);
    let row = &screen.families[0];
    assert_eq!(row.share, record.share);
    assert_eq!(row.title, format!("{CHILD_NAME}, born 1 Nov 2026"));
    assert_eq!(row.from, "From Midwife Ash · moving to LS6");
    assert_eq!(row.status, "To acknowledge by Tue 30 Mar 12:00");
    assert_eq!(row.tone, Tone::DueSoon);
    assert!(row.pack.contains(&"Medication: none known".to_owned()));
    let actions: Vec<(&str, bool)> = row
        .actions
        .iter()
        .map(|a| (a.label.as_str(), a.enabled))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("Read and acknowledge", true),
            ("Take on to my caseload", false)
        ]
    );
    assert_eq!(
        row.actions[1].detail.as_deref(),
        Some("Acknowledge the transfer with your read-back first: then take the child on.")
    );
    // Taking on before the read-back is refused by core too, not only disabled here.
    assert!(matches!(
        hv.session.transfers().take_on(record.share),
        Err(AppError::Refused { .. })
    ));

    hv.clock.set(utc(2027, 3, 30, 11, 45));
    hv.session
        .acknowledge_share(record.share, read_back())
        .unwrap();
    let row = hv.session.expected_families_screen().unwrap().families[0].clone();
    assert_eq!(
        row.status,
        "Acknowledged: take the child on to your caseload"
    );
    assert_eq!(row.tone, Tone::ActionNeeded);
    assert!(!row.actions[0].enabled);
    assert!(row.actions[1].enabled);
    assert!(matches!(
        row.actions[1].kind,
        TransferActionKind::TakeOn { share } if share == record.share
    ));
    let TransferTakeOn::TakenOn { child: taken, .. } =
        hv.session.transfers().take_on(record.share).unwrap()
    else {
        panic!("no one here has the NHS number: a new record")
    };
    let row = hv.session.expected_families_screen().unwrap().families[0].clone();
    assert_eq!(row.status, "Taken on to your caseload");
    assert_eq!(row.tone, Tone::Done);
    assert!(!row.actions[1].enabled);
    assert_eq!(row.actions[1].detail.as_deref(), Some("Already taken on."));
    assert!(matches!(
        row.actions[2].kind,
        TransferActionKind::OpenChild { child } if child == taken.id
    ));

    // The acknowledgement reaches the sender: "Transferred to … on …", nothing to do.
    carry(&hv, &midwife, EnvelopeKind::Acknowledgement);
    midwife.clock.set(utc(2027, 3, 30, 12, 0));
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    let sent = &screen.sent[0];
    assert_eq!(
        sent.title,
        "Transferred to East health visiting on 30 Mar 2027"
    );
    assert_eq!(sent.status, "Acknowledged with read-back");
    assert_eq!(sent.tone, Tone::Done);
    assert_eq!(sent.attention, None);
    assert!(sent.actions.is_empty());
}

#[test]
fn an_open_immediate_risk_concern_raises_the_floor_and_offers_a_call_beside_send() {
    let region = region();
    let midwife = midwife(&region, utc(2027, 3, 25, 16, 0));
    with_areas(&midwife, &region);
    let family = family(&midwife.session);
    midwife
        .session
        .capture_observation(knife_threat(family.baby.id))
        .unwrap();
    let draft = TransferDraft {
        new_postcode: "LS6".into(),
        team: Some(region.health_visiting),
        message: "Family fled to your area.".into(),
        health_needs: "none known".into(),
        medication: "none known".into(),
        follow_up_appointments: "none known".into(),
        severity: Some(Severity::Concern),
        ..TransferDraft::new(family.baby.id)
    };
    let screen = midwife.session.transfer_screen(&draft).unwrap();
    let enabled: Vec<bool> = screen.severities.iter().map(|s| s.enabled).collect();
    assert_eq!(enabled, vec![false, false, true]);
    assert!(screen.severities[2].selected);
    assert_eq!(
        screen.severities[1].detail.as_deref(),
        Some("An open concern is immediate risk: the transfer cannot be less serious.")
    );
    assert!(matches!(
        screen.actions[0].kind,
        TransferActionKind::Send {
            severity: Severity::ImmediateRisk,
            ..
        }
    ));
    assert_eq!(
        screen.actions[1].label,
        "Call East health visiting (in hours)"
    );
    assert!(screen.actions[1].enabled);

    // A transfer screen is for a child only.
    let err = midwife
        .session
        .transfer_screen(&TransferDraft::new(family.mother.id))
        .unwrap_err();
    assert!(matches!(err, AppError::Validation { .. }), "{err:?}");
}
