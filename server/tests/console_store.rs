//! The console's storage views against SQLite and PostgreSQL: open shares and referrals follow
//! the overdue report's rule (only an entitled answer closes one), escalation steps are
//! counted, the overdue-per-day history counts an item until it was answered, devices list
//! their teams, last push and retirement, and a one-time link is redeemed once even when raced.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::{DeviceKeyPair, Envelope, EnvelopeKind};
use safeshare_server::admin::import_directory;
use safeshare_server::console::handlers::overdue_per_day;
use safeshare_server::console::store::{ConsoleStore, DueSpan, LinkRefusal};
use safeshare_server::storage::{CodeOrigin, NewEnrolmentCode, NewEnvelope};
use std::sync::Arc;

async fn member<S: ConsoleStore>(store: &S, team: TeamId) -> (PractitionerId, DeviceId) {
    let practitioner = PractitionerId::new();
    let hash = format!("hash-{}", ulid::Ulid::new());
    store
        .issue_enrolment_code(NewEnrolmentCode {
            code_hash: hash.clone(),
            practitioner,
            teams: vec![team],
            issued_at: t0() - Duration::days(30),
            expires_at: t0() + Duration::days(1),
            code_id: ulid::Ulid::new(),
            origin: CodeOrigin::Admin,
        })
        .await
        .unwrap();
    let device = DeviceId::new();
    store
        .redeem_enrolment_code(
            hash,
            device,
            DeviceKeyPair::generate().unwrap().public_key(),
            t0() - Duration::days(30),
        )
        .await
        .unwrap()
        .unwrap();
    (practitioner, device)
}

async fn push<S: ConsoleStore>(store: &S, e: &Envelope, at: chrono::DateTime<Utc>) {
    store
        .push(vec![NewEnvelope::new(e.clone()).unwrap()], at)
        .await
        .unwrap();
}

async fn open_items_follow_the_overdue_rule<S: ConsoleStore>(store: S) {
    let (a, b) = (TeamId::new(), TeamId::new());
    import_directory(
        &store,
        &directory_file(1, &[(a, "Fictional A"), (b, "Fictional B")]),
        t0() - Duration::days(30),
    )
    .await
    .unwrap();
    let (sender, sender_device) = member(&store, a).await;
    let (receiver, receiver_device) = member(&store, b).await;
    let late = share(sender, sender_device, vec![b], t0() - Duration::hours(2));
    let soon = share(sender, sender_device, vec![b], t0() + Duration::hours(3));
    let answered = share(sender, sender_device, vec![b], t0() - Duration::hours(5));
    let later = share(sender, sender_device, vec![b], t0() + Duration::days(3));
    for e in [&late, &soon, &answered, &later] {
        push(&store, e, t0() - Duration::hours(6)).await;
    }
    // The sender acknowledging their own share closes nothing; the receiving team does.
    let own = answer(
        EnvelopeKind::Acknowledgement,
        late.entity_id,
        sender,
        sender_device,
        vec![a],
    );
    push(&store, &own, t0() - Duration::hours(1)).await;
    let ack = answer(
        EnvelopeKind::Acknowledgement,
        answered.entity_id,
        receiver,
        receiver_device,
        vec![a],
    );
    push(&store, &ack, t0() - Duration::hours(1)).await;
    let step = answer(
        EnvelopeKind::EscalationStep,
        late.entity_id,
        sender,
        sender_device,
        vec![a],
    );
    push(&store, &step, t0() - Duration::minutes(30)).await;

    let open = store.open_items(t0() + Duration::hours(24)).await.unwrap();
    let ids: Vec<_> = open.iter().map(|i| i.entity_id).collect();
    assert_eq!(ids, vec![late.entity_id, soon.entity_id]);
    assert_eq!(open[0].escalation_steps, 1);
    assert_eq!(open[0].audience, vec![b]);
    assert_eq!(open[1].escalation_steps, 0);

    let spans = store
        .due_spans(t0() - Duration::days(56), t0())
        .await
        .unwrap();
    assert_eq!(spans.len(), 2, "{spans:?}");
    assert!(spans.contains(&DueSpan {
        due_at: t0() - Duration::hours(2),
        answered_at: None
    }));
    assert!(spans.contains(&DueSpan {
        due_at: t0() - Duration::hours(5),
        answered_at: Some(t0() - Duration::hours(1))
    }));

    let devices = store.devices_list().await.unwrap();
    assert_eq!(devices.len(), 2);
    let sender_row = devices.iter().find(|d| d.id == sender_device).unwrap();
    assert_eq!(sender_row.teams, vec![a]);
    assert_eq!(sender_row.last_push, Some(t0() - Duration::minutes(30)));
    let receiver_row = devices.iter().find(|d| d.id == receiver_device).unwrap();
    assert_eq!(receiver_row.last_push, Some(t0() - Duration::hours(1)));
    assert_eq!(receiver_row.retired_at, None);

    // A retired phone is listed as retired (not revoked), for the Devices page.
    assert_eq!(
        store.retire_device(receiver_device, t0()).await.unwrap(),
        Ok(())
    );
    let devices = store.devices_list().await.unwrap();
    let receiver_row = devices.iter().find(|d| d.id == receiver_device).unwrap();
    assert_eq!(receiver_row.retired_at, Some(t0()));
    assert_eq!(receiver_row.revoked_at, None);
}

async fn a_raced_link_is_redeemed_once<S: ConsoleStore>(store: S) {
    let store = Arc::new(store);
    store
        .link_create(
            "h".repeat(64),
            "assurance".into(),
            t0(),
            t0() + Duration::minutes(10),
        )
        .await
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.link_redeem("h".repeat(64), t0()).await.unwrap() })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(roles) => {
                assert_eq!(roles, "assurance");
                won += 1;
            }
            Err(refusal) => assert_eq!(refusal, LinkRefusal::Used),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(
        store.link_redeem("x".repeat(64), t0()).await.unwrap(),
        Err(LinkRefusal::Unknown)
    );
}

#[test]
fn an_item_counts_as_overdue_each_day_until_it_is_answered() {
    // Thursday 26 March 2026 at 12:00 London (GMT) is "now".
    let now = Utc.with_ymd_and_hms(2026, 3, 26, 12, 0, 0).unwrap();
    let spans = [
        // Due Monday 10:00, answered Wednesday 09:00: overdue at the end of Mon and Tue.
        DueSpan {
            due_at: Utc.with_ymd_and_hms(2026, 3, 23, 10, 0, 0).unwrap(),
            answered_at: Some(Utc.with_ymd_and_hms(2026, 3, 25, 9, 0, 0).unwrap()),
        },
        // Due Wednesday 23:59, never answered: overdue Wed and today so far.
        DueSpan {
            due_at: Utc.with_ymd_and_hms(2026, 3, 25, 23, 59, 0).unwrap(),
            answered_at: None,
        },
    ];
    let days = overdue_per_day(&spans, now);
    assert_eq!(days.len(), 56);
    let last: Vec<u32> = days[days.len() - 5..].iter().map(|d| d.1).collect();
    // Sun 22, Mon 23, Tue 24, Wed 25, Thu 26 (today, up to now).
    assert_eq!(last, vec![0, 1, 1, 1, 1]);
    assert_eq!(days.last().unwrap().0.to_string(), "2026-03-26");
}

on_both_backends!(
    open_items_follow_the_overdue_rule,
    a_raced_link_is_redeemed_once
);
