//! The storage conformance suite: every test below runs against SQLite (a real file) and
//! PostgreSQL (a fresh schema in the throwaway cluster of `tests/run`). A backend is correct
//! when it passes all of them; behaviour the HTTP layer relies on is pinned here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::*;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::{DeviceKeyPair, EnvelopeKind};
use safeshare_server::storage::{
    AdminAction, CodeOrigin, CodeRevocation, EnrolmentRefusal, NewEnrolmentCode, NewEnvelope,
    StaleDirectory, Store, StoredOutcome, TeamRecord, UnknownDevice, UnknownTeam,
};
use std::sync::Arc;

fn item(e: &safeshare_core::sync::Envelope) -> NewEnvelope {
    NewEnvelope::new(e.clone()).unwrap()
}

async fn region<S: Store>(store: &S, teams: &[TeamId]) {
    let records = teams
        .iter()
        .enumerate()
        .map(|(i, id)| TeamRecord {
            id: *id,
            name: format!("Fictional team {i}"),
        })
        .collect();
    let next = store
        .latest_directory()
        .await
        .unwrap()
        .map_or(1, |d| d.version + 1);
    store
        .import_directory(next, serde_json::json!({"teams": []}), records, t0())
        .await
        .unwrap()
        .unwrap();
}

async fn push_accepts_then_answers_duplicate_then_conflict<S: Store>(store: &S) {
    let team = TeamId::new();
    let env = share(PractitionerId::new(), DeviceId::new(), vec![team], t0());
    let first = store.push(vec![item(&env)], t0()).await.unwrap();
    let StoredOutcome::Accepted(seq) = first[0] else {
        panic!("expected accepted, got {first:?}");
    };
    let again = store.push(vec![item(&env)], t0()).await.unwrap();
    assert_eq!(again, vec![StoredOutcome::Duplicate(seq)]);
    let mut changed = env.clone();
    changed.body.0.extend_from_slice(b" amended in place");
    let conflict = store.push(vec![item(&changed)], t0()).await.unwrap();
    assert_eq!(conflict, vec![StoredOutcome::Conflict(seq)]);
    assert_eq!(store.envelope_count().await.unwrap(), 1);
    // The stored copy is the first one: a conflict changes nothing.
    let pulled = store
        .pull(vec![team], PractitionerId::new(), 0, 10)
        .await
        .unwrap();
    assert_eq!(pulled.len(), 1);
    assert_eq!(pulled[0].json, env.canonical_json().unwrap());
}

async fn same_id_twice_in_one_batch_is_stored_once<S: Store>(store: &S) {
    let env = share(PractitionerId::new(), DeviceId::new(), vec![], t0());
    let mut other = env.clone();
    other.entity_version = 2;
    let outcomes = store
        .push(vec![item(&env), item(&env), item(&other)], t0())
        .await
        .unwrap();
    let StoredOutcome::Accepted(seq) = outcomes[0] else {
        panic!("{outcomes:?}")
    };
    assert_eq!(
        outcomes[1..],
        [StoredOutcome::Duplicate(seq), StoredOutcome::Conflict(seq)]
    );
    assert_eq!(store.envelope_count().await.unwrap(), 1);
}

async fn pull_returns_only_what_is_addressed_to_the_teams_or_authored<S: Store>(store: &S) {
    let (team_a, team_b) = (TeamId::new(), TeamId::new());
    let (alice, bob) = (PractitionerId::new(), PractitionerId::new());
    let to_a = share(bob, DeviceId::new(), vec![team_a], t0());
    let to_b = share(bob, DeviceId::new(), vec![team_b], t0());
    let to_both = share(bob, DeviceId::new(), vec![team_b, team_a], t0());
    let by_alice = share(alice, DeviceId::new(), vec![team_b], t0());
    store
        .push(
            vec![item(&to_a), item(&to_b), item(&to_both), item(&by_alice)],
            t0(),
        )
        .await
        .unwrap();
    let seen: Vec<String> = store
        .pull(vec![team_a], alice, 0, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.json)
        .collect();
    let expect: Vec<String> = [&to_a, &to_both, &by_alice]
        .iter()
        .map(|e| e.canonical_json().unwrap())
        .collect();
    assert_eq!(seen, expect);
    // A practitioner with no teams sees only their own.
    let none = store
        .pull(vec![], PractitionerId::new(), 0, 100)
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn sequence_increases_and_pull_pages_after_the_cursor<S: Store>(store: &S) {
    let team = TeamId::new();
    let author = PractitionerId::new();
    let batch: Vec<_> = (0..7)
        .map(|_| item(&share(author, DeviceId::new(), vec![team], t0())))
        .collect();
    let outcomes = store.push(batch, t0()).await.unwrap();
    let seqs: Vec<u64> = outcomes
        .iter()
        .map(|o| match o {
            StoredOutcome::Accepted(s) => *s,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    let page1 = store.pull(vec![team], author, 0, 3).await.unwrap();
    let page2 = store
        .pull(vec![team], author, page1[2].seq, 3)
        .await
        .unwrap();
    let page3 = store
        .pull(vec![team], author, page2[2].seq, 3)
        .await
        .unwrap();
    let all: Vec<u64> = page1
        .iter()
        .chain(&page2)
        .chain(&page3)
        .map(|s| s.seq)
        .collect();
    assert_eq!(all, seqs);
    assert!(store
        .pull(vec![team], author, *seqs.last().unwrap(), 3)
        .await
        .unwrap()
        .is_empty());
}

async fn concurrent_pushes_commit_in_sequence_order<S: Store>(store: &S) {
    let store = Arc::new(store);
    let team = TeamId::new();
    let author = PractitionerId::new();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let batch: Vec<_> = (0..5)
            .map(|_| item(&share(author, DeviceId::new(), vec![team], t0())))
            .collect();
        tasks.push(store.push(batch, t0()));
    }
    let results = futures_join_all(tasks).await;
    let mut accepted = 0;
    for r in results {
        accepted += r.unwrap().len();
    }
    assert_eq!(accepted, 40);
    let pulled = store.pull(vec![team], author, 0, 500).await.unwrap();
    assert_eq!(pulled.len(), 40);
    assert!(pulled.windows(2).all(|w| w[0].seq < w[1].seq));
}

async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    // Polls all futures concurrently on this task (no extra dependency).
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

fn code(teams: Vec<TeamId>, practitioner: PractitionerId, hours: i64) -> NewEnrolmentCode {
    NewEnrolmentCode {
        code_hash: format!("hash-{}", ulid::Ulid::new()),
        practitioner,
        teams,
        issued_at: t0(),
        expires_at: t0() + Duration::hours(hours),
        code_id: ulid::Ulid::new(),
        origin: CodeOrigin::Admin,
    }
}

async fn enrolment_code_is_single_use_and_expires<S: Store>(store: &S) {
    let team = TeamId::new();
    region(store, &[team]).await;
    let practitioner = PractitionerId::new();
    let c = code(vec![team], practitioner, 24);
    store.issue_enrolment_code(c.clone()).await.unwrap();
    let key = DeviceKeyPair::generate().unwrap().public_key();
    let device = DeviceId::new();
    let record = store
        .redeem_enrolment_code(c.code_hash.clone(), device, key, t0())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.practitioner, practitioner);
    assert_eq!(record.teams, vec![team]);
    assert_eq!(record.public_key, key);
    assert_eq!(record.revoked_at, None);
    assert_eq!(store.device(device).await.unwrap(), Ok(record));
    let second = store
        .redeem_enrolment_code(c.code_hash.clone(), DeviceId::new(), key, t0())
        .await
        .unwrap();
    assert_eq!(second, Err(EnrolmentRefusal::Used));
    let unknown = store
        .redeem_enrolment_code("nope".into(), DeviceId::new(), key, t0())
        .await
        .unwrap();
    assert_eq!(unknown, Err(EnrolmentRefusal::Unknown));
    // Expiry is exclusive: at the expiry instant the code no longer works.
    let short = code(vec![team], PractitionerId::new(), 1);
    store.issue_enrolment_code(short.clone()).await.unwrap();
    let late_device = DeviceId::new();
    let late = store
        .redeem_enrolment_code(short.code_hash, late_device, key, t0() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(late, Err(EnrolmentRefusal::Expired));
    assert_eq!(
        store.device(late_device).await.unwrap(),
        Err(UnknownDevice(late_device))
    );
}

/// The team rule is decided above the backend ([`safeshare_server::rules`]); issued through it,
/// each backend's answer to `known_teams` refuses the code and nothing is stored.
async fn enrolment_code_for_an_unknown_team_is_refused<S: Store>(store: &S) {
    let stranger = TeamId::new();
    let err =
        safeshare_server::enrolment::issue(store, None, vec![stranger], Duration::hours(1), t0())
            .await
            .unwrap_err();
    assert!(matches!(
        err,
        safeshare_server::enrolment::IssueError::UnknownTeam(UnknownTeam(t)) if t == stranger
    ));
    assert!(store.list_codes().await.unwrap().is_empty());
}

async fn revoked_device_stays_revoked_from_the_first_time<S: Store>(store: &S) {
    let team = TeamId::new();
    region(store, &[team]).await;
    let c = code(vec![team], PractitionerId::new(), 24);
    store.issue_enrolment_code(c.clone()).await.unwrap();
    let device = DeviceId::new();
    let key = DeviceKeyPair::generate().unwrap().public_key();
    store
        .redeem_enrolment_code(c.code_hash, device, key, t0())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.revoke_device(device, t0()).await.unwrap(), Ok(()));
    assert_eq!(
        store
            .revoke_device(device, t0() + Duration::hours(1))
            .await
            .unwrap(),
        Ok(())
    );
    let record = store.device(device).await.unwrap().unwrap();
    assert_eq!(record.revoked_at, Some(t0()));
    let stranger = DeviceId::new();
    assert_eq!(
        store.revoke_device(stranger, t0()).await.unwrap(),
        Err(UnknownDevice(stranger))
    );
}

async fn a_nonce_is_accepted_once_per_device_until_pruned<S: Store>(store: &S) {
    let (d1, d2) = (DeviceId::new(), DeviceId::new());
    assert!(store.consume_nonce(d1, "n-1".into(), t0()).await.unwrap());
    assert!(!store.consume_nonce(d1, "n-1".into(), t0()).await.unwrap());
    assert!(store.consume_nonce(d2, "n-1".into(), t0()).await.unwrap());
    let pruned = store
        .prune_nonces(t0() + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(pruned, 2);
    assert!(store.consume_nonce(d1, "n-1".into(), t0()).await.unwrap());
}

async fn directory_versions_count_up_and_teams_become_known<S: Store>(store: &S) {
    assert_eq!(store.latest_directory().await.unwrap(), None);
    let (a, b) = (TeamId::new(), TeamId::new());
    region(store, &[a]).await;
    let v2 = store
        .import_directory(
            2,
            serde_json::json!({"teams": ["second"]}),
            vec![TeamRecord {
                id: b,
                name: "Fictional B".into(),
            }],
            t0() + Duration::hours(1),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v2.version, 2);
    let latest = store.latest_directory().await.unwrap().unwrap();
    assert_eq!(latest, v2);
    // Versions only go up: the same or an older version is refused and changes nothing.
    for stale in [1, 2] {
        let err = store
            .import_directory(stale, serde_json::json!({}), vec![], t0())
            .await
            .unwrap()
            .unwrap_err();
        assert!(matches!(
            err,
            StaleDirectory { offered, latest: 2 } if offered == stale
        ));
    }
    assert_eq!(store.latest_directory().await.unwrap().unwrap(), v2);
    let stranger = TeamId::new();
    let known = store.known_teams(vec![a, b, stranger]).await.unwrap();
    assert!(known.contains(&a) && known.contains(&b) && !known.contains(&stranger));
}

async fn an_entity_is_visible_to_its_author_and_its_audience_only<S: Store>(store: &S) {
    let (team_a, team_b) = (TeamId::new(), TeamId::new());
    let author = PractitionerId::new();
    let env = share(author, DeviceId::new(), vec![team_a], t0());
    store.push(vec![item(&env)], t0()).await.unwrap();
    let e = env.entity_id;
    let share_kind = Some(EnvelopeKind::Share);
    assert_eq!(
        store.visible_entity_kind(e, vec![], author).await.unwrap(),
        share_kind
    );
    assert_eq!(
        store
            .visible_entity_kind(e, vec![team_a], PractitionerId::new())
            .await
            .unwrap(),
        share_kind
    );
    assert_eq!(
        store
            .visible_entity_kind(e, vec![team_b], PractitionerId::new())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .visible_entity_kind(ulid::Ulid::new(), vec![team_a], author)
            .await
            .unwrap(),
        None
    );
}

async fn overdue_lists_unacknowledged_shares_and_undecided_referrals<S: Store>(store: &S) {
    let (mw, hv) = (TeamId::new(), TeamId::new());
    let midwife = PractitionerId::new();
    let visitor = PractitionerId::new();
    let dev = DeviceId::new();
    let now = t0() + Duration::hours(24);
    // Only a member of the audience team's acknowledgement closes a share: make the visitor
    // one (by redeeming a code, as a device would).
    region(store, &[mw, hv]).await;
    let joined = code(vec![hv], visitor, 24);
    store.issue_enrolment_code(joined.clone()).await.unwrap();
    let key = DeviceKeyPair::generate().unwrap().public_key();
    store
        .redeem_enrolment_code(joined.code_hash, DeviceId::new(), key, t0())
        .await
        .unwrap()
        .unwrap();
    let acked = share(midwife, dev, vec![hv], t0());
    let unacked = share(midwife, dev, vec![hv], t0() + Duration::hours(2));
    let due_exactly_now = share(midwife, dev, vec![hv], now);
    let not_yet = share(midwife, dev, vec![hv], now + Duration::seconds(1));
    let undecided = referral(midwife, dev, vec![mw], t0() + Duration::hours(1));
    let decided = referral(midwife, dev, vec![mw], t0());
    // An amendment of the unacknowledged share moves its due time later: the earlier stands.
    let mut amended = unacked.clone();
    amended.id = safeshare_core::sync::EnvelopeId::new();
    amended.entity_version = 2;
    amended.due_at = Some(now - Duration::minutes(1));
    amended.severity = Some(safeshare_core::model::Severity::ImmediateRisk);
    let ack = answer(
        EnvelopeKind::Acknowledgement,
        acked.entity_id,
        visitor,
        DeviceId::new(),
        vec![mw],
    );
    let decision = answer(
        EnvelopeKind::ReferralDecision,
        decided.entity_id,
        midwife,
        dev,
        vec![mw],
    );
    // An acknowledgement of a referral is not a decision: the referral stays overdue.
    let wrong_kind = answer(
        EnvelopeKind::Acknowledgement,
        undecided.entity_id,
        visitor,
        DeviceId::new(),
        vec![mw],
    );
    let batch = [
        &acked,
        &unacked,
        &due_exactly_now,
        &not_yet,
        &undecided,
        &decided,
        &amended,
        &ack,
        &decision,
        &wrong_kind,
    ]
    .iter()
    .map(|e| item(e))
    .collect();
    store.push(batch, t0()).await.unwrap();
    let overdue = store.overdue(now).await.unwrap();
    let got: Vec<_> = overdue
        .iter()
        .map(|o| (o.kind, o.entity_id, o.due_at))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                EnvelopeKind::Referral,
                undecided.entity_id,
                t0() + Duration::hours(1)
            ),
            (
                EnvelopeKind::Share,
                unacked.entity_id,
                t0() + Duration::hours(2)
            ),
            (EnvelopeKind::Share, due_exactly_now.entity_id, now),
        ]
    );
    assert_eq!(
        overdue[1].severity,
        Some(safeshare_core::model::Severity::ImmediateRisk)
    );
    assert_eq!(overdue[1].audience, vec![hv]);
    assert_eq!(overdue[1].author, midwife);
}

async fn an_answer_reaches_the_author_of_what_it_answers<S: Store>(store: &S) {
    let (mw, hv) = (TeamId::new(), TeamId::new());
    let (midwife, visitor, bystander) = (
        PractitionerId::new(),
        PractitionerId::new(),
        PractitionerId::new(),
    );
    let shared = share(midwife, DeviceId::new(), vec![hv], t0());
    // The health visitor knows the share and its author, not the midwife's team.
    let ack = answer(
        EnvelopeKind::Acknowledgement,
        shared.entity_id,
        visitor,
        DeviceId::new(),
        vec![],
    );
    let unrelated = share(bystander, DeviceId::new(), vec![hv], t0());
    store
        .push(vec![item(&shared), item(&ack), item(&unrelated)], t0())
        .await
        .unwrap();
    let seen: Vec<String> = store
        .pull(vec![mw], midwife, 0, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.json)
        .collect();
    assert_eq!(
        seen,
        vec![
            shared.canonical_json().unwrap(),
            ack.canonical_json().unwrap()
        ]
    );
    // Someone else in the midwife's team does not get it by that route.
    assert!(store
        .pull(vec![mw], bystander, 0, 100)
        .await
        .unwrap()
        .iter()
        .all(|s| s.json != ack.canonical_json().unwrap()));
}

async fn codes_are_listed_and_revoked_by_id<S: Store>(store: &S) {
    let team = TeamId::new();
    region(store, &[team]).await;
    let teams = store.list_teams().await.unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].id, team);
    let first = code(vec![team], PractitionerId::new(), 24);
    let mut second = code(vec![team], PractitionerId::new(), 24);
    second.issued_at = t0() + Duration::minutes(1);
    second.origin = CodeOrigin::Demo;
    store.issue_enrolment_code(first.clone()).await.unwrap();
    store.issue_enrolment_code(second.clone()).await.unwrap();
    let listed = store.list_codes().await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.code_id.clone()).collect::<Vec<_>>(),
        vec![second.code_id.to_string(), first.code_id.to_string()],
        "newest first"
    );
    assert_eq!(listed[0].status(t0()), "active");
    assert_eq!(listed[0].origin, "demo");

    let id = first.code_id.to_string();
    assert_eq!(
        store.revoke_code(id.clone(), t0()).await.unwrap(),
        CodeRevocation::Revoked
    );
    assert_eq!(
        store.revoke_code(id.clone(), t0()).await.unwrap(),
        CodeRevocation::AlreadyRevoked
    );
    assert_eq!(
        store
            .revoke_code(ulid::Ulid::new().to_string(), t0())
            .await
            .unwrap(),
        CodeRevocation::Unknown
    );
    let key = DeviceKeyPair::generate().unwrap().public_key();
    assert_eq!(
        store
            .redeem_enrolment_code(first.code_hash.clone(), DeviceId::new(), key, t0())
            .await
            .unwrap(),
        Err(EnrolmentRefusal::Revoked)
    );
    // The demo code is revoked by revoke_open_codes; the admin's (already revoked) is not
    // touched again.
    let revoked = store
        .revoke_open_codes(CodeOrigin::Demo, t0())
        .await
        .unwrap();
    assert_eq!(revoked, vec![second.code_id.to_string()]);
    assert!(store
        .revoke_open_codes(CodeOrigin::Demo, t0())
        .await
        .unwrap()
        .is_empty());
    let key = DeviceKeyPair::generate().unwrap().public_key();
    store
        .redeem_enrolment_code(second.code_hash.clone(), DeviceId::new(), key, t0())
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        store.revoke_code(id, t0()).await.unwrap(),
        CodeRevocation::AlreadyRevoked
    );
}

async fn admin_audit_keeps_every_action_newest_first<S: Store>(store: &S) {
    assert!(store.list_admin_audit(10).await.unwrap().is_empty());
    let device = DeviceId::new();
    store
        .append_admin_audit(
            AdminAction::DirectoryImported,
            "3".into(),
            "cli".into(),
            t0(),
        )
        .await
        .unwrap();
    store
        .append_admin_audit(
            AdminAction::DeviceRevoked,
            device.to_string(),
            "console:01ADMIN".into(),
            t0() + Duration::seconds(1),
        )
        .await
        .unwrap();
    let rows = store.list_admin_audit(10).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].action, "device_revoked");
    assert_eq!(rows[0].target, device.to_string());
    assert_eq!(rows[0].actor, "console:01ADMIN");
    assert_eq!(rows[0].at, t0() + Duration::seconds(1));
    assert_eq!(rows[1].action, "directory_imported");
    assert!(rows[0].id > rows[1].id);
    assert_eq!(store.list_admin_audit(1).await.unwrap().len(), 1);
}

both_backends!(
    push_accepts_then_answers_duplicate_then_conflict,
    same_id_twice_in_one_batch_is_stored_once,
    pull_returns_only_what_is_addressed_to_the_teams_or_authored,
    an_answer_reaches_the_author_of_what_it_answers,
    sequence_increases_and_pull_pages_after_the_cursor,
    concurrent_pushes_commit_in_sequence_order,
    enrolment_code_is_single_use_and_expires,
    enrolment_code_for_an_unknown_team_is_refused,
    revoked_device_stays_revoked_from_the_first_time,
    a_nonce_is_accepted_once_per_device_until_pruned,
    directory_versions_count_up_and_teams_become_known,
    an_entity_is_visible_to_its_author_and_its_audience_only,
    overdue_lists_unacknowledged_shares_and_undecided_referrals,
    codes_are_listed_and_revoked_by_id,
    admin_audit_keeps_every_action_newest_first,
);
