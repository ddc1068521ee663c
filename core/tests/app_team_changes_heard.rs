//! Change events for the team around the child and for a started visit, on real SQLite stores:
//! involving a team, adding a contact, naming the lead professional, recording the social care
//! status, ending an involvement (child and household), a transfer of care taken on, and
//! starting a visit (both start paths) are each heard once, naming the screens they change,
//! after the change is committed (a listener that rebuilds inside the event already reads it);
//! a refused change is not heard.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app_support;
use app_support::team::family_nurse;
use app_support::transfer::*;
use app_support::*;
use chrono::NaiveDate;
use safeshare_core::app::{
    ChangeCause, ChangeEvent, ChangeListener, ScreenName, Session, TransferTakeOn,
};
use safeshare_core::casework::team_around_child::{
    NewSocialCareStatus, ProfessionalRole, SocialCareLevel,
};
use safeshare_core::model::{PersonId, Place, PlaceKind};
use std::sync::{Arc, Mutex, Weak};

/// The team screens' event.
fn team_changed() -> ChangeEvent {
    ChangeEvent {
        cause: ChangeCause::TeamChanged,
        screens: vec![
            ScreenName::Visit,
            ScreenName::Checklists,
            ScreenName::MeetingPacks,
            ScreenName::Share,
        ],
    }
}

/// Records every event (through the shared `RecordingListener`) and, as a shell does, reads the
/// team around `child` from inside it: how many members the rebuilt screen would show.
struct Rebuilds {
    heard: RecordingListener,
    session: Mutex<Weak<Session>>,
    child: Mutex<Option<PersonId>>,
    members_seen: Mutex<Vec<usize>>,
}

impl ChangeListener for Rebuilds {
    fn changed(&self, event: ChangeEvent) {
        self.heard.changed(event);
        let session = self.session.lock().unwrap().upgrade();
        let child = *self.child.lock().unwrap();
        if let (Some(session), Some(child)) = (session, child) {
            let members = session.team_around_child().members(child).unwrap().len();
            self.members_seen.lock().unwrap().push(members);
        }
    }
}

fn nov(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
}

#[test]
fn every_change_to_the_team_is_heard_once_after_it_is_committed() {
    let region = region();
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let family = family(&hv.session);
    let child = family.baby.id;
    // The session shared with the listener, which calls back into it.
    let session = Arc::new(hv.session);
    let listener = Arc::new(Rebuilds {
        heard: RecordingListener::default(),
        session: Mutex::new(Arc::downgrade(&session)),
        child: Mutex::new(Some(child)),
        members_seen: Mutex::new(Vec::new()),
    });
    session.set_change_listener(Some(listener.clone()));
    let team = session.team_around_child();

    // Involve a team from the directory: heard, and the rebuilt screen already shows it.
    let health_visitor = team::involve_health_visitor(&team, &region, child);
    assert_eq!(listener.heard.take(), vec![team_changed()]);
    assert_eq!(*listener.members_seen.lock().unwrap(), vec![1]);

    // Add a contact not in the directory.
    let nurse = team.involve(child, family_nurse(nov(3))).unwrap();
    assert_eq!(listener.heard.take(), vec![team_changed()]);

    // The social worker, the lead professional, the social care status.
    let social_worker = team::involve_social_worker(&team, &region, child, "Jo Fictional", "");
    assert_eq!(listener.heard.take(), vec![team_changed()]);
    team.set_lead(child, health_visitor).unwrap();
    assert_eq!(listener.heard.take(), vec![team_changed()]);
    team.set_social_care_status(
        child,
        NewSocialCareStatus {
            level: SocialCareLevel::ChildInNeed,
            social_worker: Some(social_worker),
            since: nov(10),
        },
    )
    .unwrap();
    assert_eq!(listener.heard.take(), vec![team_changed()]);

    // End an involvement.
    team.end_involvement(child, nurse, nov(30)).unwrap();
    assert_eq!(listener.heard.take(), vec![team_changed()]);

    // For the whole household, and its end.
    let gp = team
        .involve_for_household(family.household.id, family_nurse(nov(4)))
        .unwrap();
    assert_eq!(listener.heard.take(), vec![team_changed()]);
    team.end_household_involvement(family.household.id, gp, nov(30))
        .unwrap();
    assert_eq!(listener.heard.take(), vec![team_changed()]);
    assert_eq!(listener.members_seen.lock().unwrap().len(), 8);

    // Refused changes are not heard: a date still to come, the same contact twice in one
    // role, a lead who is not a member, a member ended twice.
    assert!(team
        .involve(
            child,
            family_nurse(nov(30).succ_opt().unwrap().succ_opt().unwrap())
        )
        .is_err());
    assert!(team
        .involve(
            child,
            team::from_directory(region.health_visiting, ProfessionalRole::HealthVisitor, "")
        )
        .is_err());
    assert!(team.set_lead(child, nurse).is_err());
    assert!(team.end_involvement(child, nurse, nov(30)).is_err());
    assert_eq!(listener.heard.take(), vec![]);
}

#[test]
fn starting_a_visit_is_heard_on_both_start_paths() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let heard = Arc::new(RecordingListener::default());
    midwife.session.set_change_listener(Some(heard.clone()));
    let started = ChangeEvent {
        cause: ChangeCause::VisitStarted,
        screens: vec![ScreenName::Today, ScreenName::Visit],
    };

    let home = midwife
        .session
        .start_home_visit(Some("1 Fictional Row, Leeds".into()))
        .unwrap();
    assert_eq!(heard.take(), vec![started.clone()]);

    midwife
        .session
        .start_visit(
            home.household,
            Place {
                kind: PlaceKind::Home,
                detail: None,
            },
            Vec::new(),
            None,
        )
        .unwrap();
    assert_eq!(heard.take(), vec![started]);

    // A visit to a household not on this phone is refused, and not heard.
    let elsewhere = safeshare_core::model::HouseholdId::new();
    assert!(midwife
        .session
        .start_visit(
            elsewhere,
            Place {
                kind: PlaceKind::Home,
                detail: None,
            },
            Vec::new(),
            None,
        )
        .is_err());
    assert_eq!(heard.take(), vec![]);
}

#[test]
fn a_transfer_taken_on_is_heard_with_the_team_screens() {
    let region = region();
    let midwife = midwife(&region, utc(2026, 12, 1, 10, 0));
    let family = family(&midwife.session);
    let hv = health_visitor(&region, utc(2026, 12, 1, 11, 0));
    let share = deliver_transfer(&region, &midwife, family.baby.id, &hv);
    let heard = Arc::new(RecordingListener::default());
    hv.session.set_change_listener(Some(heard.clone()));

    // Before the read-back, Take on is refused: nothing heard.
    assert!(hv.session.transfers().take_on(share).is_err());
    assert_eq!(heard.take(), vec![]);

    acknowledge_transfer(&hv, share);
    heard.take();
    let taken = hv.session.transfers().take_on(share).unwrap();
    assert!(matches!(taken, TransferTakeOn::TakenOn { .. }), "{taken:?}");
    assert_eq!(
        heard.take(),
        vec![ChangeEvent {
            cause: ChangeCause::SubjectTakenOn,
            screens: vec![
                ScreenName::Today,
                ScreenName::Visit,
                ScreenName::IncomingShares,
                ScreenName::Checklists,
                ScreenName::MeetingPacks,
                ScreenName::Share,
            ],
        }]
    );
}
