//! Change notification for the practitioner's own actions (issue 17 item 4), on real stores
//! with real envelopes between two phones: an acknowledgement recorded here, or pulled from
//! the other phone; a read-back checked; a referral decision and an escalation step; a call's
//! outcome; a transfer of care taken on and acknowledged. Each is heard once, with the screens
//! it changed, after the change is committed (Today rebuilt inside the event already shows
//! it); an action refused is not heard.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;

use app_support::transfer::transfer_of;
use app_support::*;
use chrono::{DateTime, Utc};
use safeshare_core::app::Identity;
use safeshare_core::app::{
    AppError, ChangeCause, ChangeEvent, ChangeListener, NewObservationInput, NewReferralInput,
    ScreenName, Session, ShareRequest,
};
use safeshare_core::casework::decision::{Answerer, Nature, SharedItem, UnderstandingCheck};
use safeshare_core::clock::FixedClock;
use safeshare_core::directory::{CallOutcome, CallOutcomeInput};
use safeshare_core::model::{ConcernCategory, Evidence, PersonId, Severity, ShareId, TeamId};
use safeshare_core::rules::acknowledgement::ReadBackVerdict;
use safeshare_core::rules::attention::AttentionKind;
use safeshare_core::rules::escalation::{EscalationStep, StepOutcome};
use safeshare_core::rules::referral::{DecisionOutcome, ReferralChannel};
use safeshare_core::secrets::InMemorySecretStore;
use safeshare_core::sync::EnvelopeKind;
use std::sync::{Arc, Mutex, Weak};

/// Notes each event and, as a shell does, rebuilds Today from inside it.
#[derive(Default)]
struct Listener {
    session: Mutex<Weak<Session>>,
    /// Every event heard, in order.
    heard: RecordingListener,
    /// "Needs attention now" kinds seen by the Today rebuilt inside each event.
    seen: Mutex<Vec<Vec<AttentionKind>>>,
}

impl ChangeListener for Listener {
    fn changed(&self, event: ChangeEvent) {
        self.heard.changed(event);
        let session = self.session.lock().unwrap().upgrade();
        if let Some(session) = session {
            let kinds = session
                .needs_attention_now()
                .unwrap()
                .into_iter()
                .map(|a| a.item.kind)
                .collect();
            self.seen.lock().unwrap().push(kinds);
        }
    }
}

impl Listener {
    fn take(&self) -> Vec<ChangeEvent> {
        self.heard.take()
    }

    fn last_seen(&self) -> Vec<AttentionKind> {
        self.seen
            .lock()
            .unwrap()
            .last()
            .cloned()
            .unwrap_or_default()
    }
}

/// A phone whose session is shared with its listener (which calls back into it).
struct Phone {
    _dir: tempfile::TempDir,
    clock: Arc<FixedClock>,
    session: Arc<Session>,
    listener: Arc<Listener>,
}

fn phone(region: &Region, identity: Identity, now: DateTime<Utc>) -> Phone {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(now));
    let session = Arc::new(
        Session::open(
            dir.path().join("field.db"),
            Arc::new(InMemorySecretStore::default()),
            clock.clone(),
            identity,
            Some(region.directory.clone()),
        )
        .unwrap(),
    );
    let listener = Arc::new(Listener::default());
    *listener.session.lock().unwrap() = Arc::downgrade(&session);
    session.set_change_listener(Some(listener.clone()));
    Phone {
        _dir: dir,
        clock,
        session,
        listener,
    }
}

fn event(cause: ChangeCause, screens: &[ScreenName]) -> ChangeEvent {
    ChangeEvent {
        cause,
        screens: screens.to_vec(),
    }
}

fn share_concern(phone: &Phone, about: PersonId, team: TeamId) -> ShareId {
    phone
        .session
        .capture_observation(NewObservationInput {
            about,
            visit: None,
            category: ConcernCategory::DomesticAbuse,
            severity: Severity::Concern,
            evidence: Evidence::ObservedFact,
            description: "Mother has a bruise on her forearm; says partner grabbed her.".into(),
            observed_at: None,
            place: None,
            share: Some(ShareRequest {
                team,
                message: "Please visit this week.".into(),
                severity: None,
            }),
        })
        .unwrap()
        .share
        .unwrap()
        .share
}

const PULLED: [ScreenName; 9] = [
    ScreenName::Today,
    ScreenName::IncomingShares,
    ScreenName::SharesSent,
    ScreenName::Referrals,
    ScreenName::Contacts,
    ScreenName::Sync,
    ScreenName::Checklists,
    ScreenName::MeetingPacks,
    ScreenName::Share,
];

#[test]
fn acknowledgements_read_backs_referrals_calls_and_transfers_are_each_heard() {
    let region = region();
    let start = utc(2026, 11, 23, 10, 0);
    let mw = phone(
        &region,
        identity("Midwife Ash", region.midwifery, "West community midwifery"),
        start,
    );
    let hv = phone(
        &region,
        identity(
            "Health visitor Birch",
            region.health_visiting,
            "East health visiting",
        ),
        start,
    );
    let mut delivered = Vec::new();
    let family = family(&mw.session);
    let share = share_concern(&mw, family.baby.id, region.health_visiting);
    mw.listener.take();

    // The share pulled by the health visitor's phone: heard as a sync, and Today shows it.
    hv.clock.set(start + chrono::Duration::minutes(30));
    for envelope in undelivered(&mw.session, EnvelopeKind::Share, &mut delivered) {
        hv.session.apply_inbound(&envelope).unwrap();
    }
    assert_eq!(
        hv.listener.take(),
        vec![event(ChangeCause::Synced, &PULLED)]
    );
    assert!(hv.listener.last_seen().iter().any(
        |k| matches!(k, AttentionKind::AcknowledgeIncomingShare { share: s, .. } if *s == share)
    ));

    // The midwife cannot acknowledge her own share: refused, and nothing is heard.
    assert!(matches!(
        mw.session.acknowledge_share(share, short_read_back()),
        Err(AppError::Refused { .. })
    ));
    assert!(mw.listener.take().is_empty());

    // Acknowledged here: heard once, and Today rebuilt inside the event no longer asks for it.
    hv.session
        .acknowledge_share(share, short_read_back())
        .unwrap();
    assert_eq!(
        hv.listener.take(),
        vec![event(
            ChangeCause::AcknowledgementRecorded,
            &[
                ScreenName::Today,
                ScreenName::IncomingShares,
                ScreenName::Sync
            ]
        )]
    );
    assert!(!hv
        .listener
        .last_seen()
        .iter()
        .any(|k| matches!(k, AttentionKind::AcknowledgeIncomingShare { .. })));

    // The acknowledgement pulled by the sender's phone: heard as a sync; read-back to check.
    mw.clock.set(start + chrono::Duration::hours(1));
    for envelope in undelivered(&hv.session, EnvelopeKind::Acknowledgement, &mut delivered) {
        mw.session.apply_inbound(&envelope).unwrap();
    }
    assert_eq!(
        mw.listener.take(),
        vec![event(ChangeCause::Synced, &PULLED)]
    );
    assert!(mw
        .listener
        .last_seen()
        .contains(&AttentionKind::CheckReadBack { share }));

    // The read-back checked and confirmed: heard, and the prompt is gone.
    mw.session
        .check_read_back(share, ReadBackVerdict::Confirmed)
        .unwrap();
    assert_eq!(
        mw.listener.take(),
        vec![event(
            ChangeCause::ReadBackChecked,
            &[ScreenName::Today, ScreenName::SharesSent]
        )]
    );
    assert!(!mw
        .listener
        .last_seen()
        .contains(&AttentionKind::CheckReadBack { share }));

    // A referral decision (not accepted: the ladder opens), then an escalation step.
    let referral = mw
        .session
        .record_referral(NewReferralInput {
            about: family.baby.id,
            front_door: region.front_door,
            sent_at: None,
            summary: "Domestic abuse disclosed; baby in the home.".into(),
            channel: ReferralChannel::Phone,
        })
        .unwrap()
        .record
        .referral
        .id;
    mw.listener.take();
    // Tuesday 09:00: the decision is due within the "soon" window, so Today lists it.
    mw.clock.set(start + chrono::Duration::hours(23));
    let due_soon = |kinds: &[AttentionKind]| {
        kinds.iter().any(|k| {
            matches!(k, AttentionKind::ReferralDecisionDueSoon { referral: r } if *r == referral)
        })
    };
    let before: Vec<AttentionKind> = mw
        .session
        .needs_attention_now()
        .unwrap()
        .into_iter()
        .map(|a| a.item.kind)
        .collect();
    assert!(due_soon(&before));
    mw.session
        .record_referral_decision(
            referral,
            DecisionOutcome::NotAccepted {
                reasons: "Below threshold".into(),
            },
            false,
            None,
        )
        .unwrap();
    let referral_screens = [ScreenName::Today, ScreenName::Referrals, ScreenName::Sync];
    assert_eq!(
        mw.listener.take(),
        vec![event(
            ChangeCause::ReferralDecisionRecorded,
            &referral_screens
        )]
    );
    assert!(
        !due_soon(&mw.listener.last_seen()),
        "decided, as Today inside the event shows"
    );
    mw.session
        .record_escalation_step(
            referral,
            EscalationStep::ReviewAndReRefer,
            StepOutcome::Done("Re-referred with the chronology".into()),
        )
        .unwrap();
    assert_eq!(
        mw.listener.take(),
        vec![event(ChangeCause::EscalationRecorded, &referral_screens)]
    );
    // A step out of order is refused and not heard.
    assert!(mw
        .session
        .record_escalation_step(
            referral,
            EscalationStep::ReviewAndReRefer,
            StepOutcome::Done("again".into()),
        )
        .is_err());
    assert!(mw.listener.take().is_empty());

    // A call's outcome.
    let call = mw
        .session
        .start_call(region.front_door, None, Some(family.baby.id))
        .unwrap();
    // Logging the call changes the child's chronology ("Call to ... started") and the calls.
    assert_eq!(
        mw.listener.take(),
        vec![event(
            ChangeCause::CallStarted,
            &[ScreenName::Visit, ScreenName::Contacts]
        )]
    );
    assert!(mw
        .session
        .chronology_for_child(family.baby.id)
        .unwrap()
        .iter()
        .any(|e| e.summary.ends_with(" started")));
    mw.session
        .record_call_outcome(
            call.call.id,
            CallOutcomeInput {
                outcome: CallOutcome::Spoke,
                answered_by: Some(Answerer {
                    name: "Duty social worker".into(),
                    role: "social worker".into(),
                }),
                shared: vec![SharedItem {
                    nature: Nature::Fact,
                    text: "Bruise on mother's forearm".into(),
                    observation: None,
                }],
                understanding: UnderstandingCheck::ReadBack {
                    recipient_summary: "Domestic abuse; baby in the home".into(),
                },
                note: "Front door will review the re-referral today".into(),
            },
            None,
        )
        .unwrap();
    assert_eq!(
        mw.listener.take(),
        vec![event(
            ChangeCause::CallOutcomeRecorded,
            &[
                ScreenName::Today,
                ScreenName::Visit,
                ScreenName::SharesSent,
                ScreenName::Contacts,
                ScreenName::Sync
            ]
        )]
    );

    // A transfer of care: pulled (sync), its child taken on, acknowledged; the sender hears
    // the acknowledgement arrive and the transfer leaves her Today.
    let transfer = mw
        .session
        .transfers()
        .send(transfer_of(&region, family.baby.id))
        .unwrap();
    mw.listener.take();
    for envelope in undelivered(&mw.session, EnvelopeKind::Share, &mut delivered) {
        hv.session.apply_inbound(&envelope).unwrap();
    }
    assert_eq!(
        hv.listener.take(),
        vec![event(ChangeCause::Synced, &PULLED)]
    );
    hv.session
        .acknowledge_share(transfer.share, short_read_back())
        .unwrap();
    assert_eq!(
        hv.listener.take()[0].cause,
        ChangeCause::AcknowledgementRecorded
    );
    // A transfer's child is taken on through Transfers, after the read-back.
    hv.session.transfers().take_on(transfer.share).unwrap();
    assert_eq!(
        hv.listener.take(),
        vec![event(
            ChangeCause::SubjectTakenOn,
            &[
                ScreenName::Today,
                ScreenName::Visit,
                ScreenName::IncomingShares,
                ScreenName::Checklists,
                ScreenName::MeetingPacks,
                ScreenName::Share,
            ]
        )]
    );
    assert!(mw
        .session
        .needs_attention_now()
        .unwrap()
        .iter()
        .any(|a| matches!(a.item.kind, AttentionKind::CallTeamNow { share: s, .. } if s == transfer.share)));
    for envelope in undelivered(&hv.session, EnvelopeKind::Acknowledgement, &mut delivered) {
        mw.session.apply_inbound(&envelope).unwrap();
    }
    assert_eq!(
        mw.listener.take(),
        vec![event(ChangeCause::Synced, &PULLED)]
    );
    assert!(!mw
        .listener
        .last_seen()
        .iter()
        .any(|k| matches!(k, AttentionKind::CallTeamNow { share: s, .. } if *s == transfer.share)));
}
