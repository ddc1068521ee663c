//! The code-revocation rule (`safeshare_server::rules::revocation` and `open_at`) as each
//! backend applies it: both SQLite (a real file) and PostgreSQL (a fresh schema in the throwaway
//! cluster) must revoke exactly the codes a device could still redeem, agreeing with
//! `redeemable` at the expiry instant, and answer a revocation by id the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::*;
use safeshare_core::model::{DeviceId, PractitionerId, TeamId};
use safeshare_core::sync::{DeviceKeyPair, DevicePublicKey};
use safeshare_server::storage::{
    CodeOrigin, CodeRevocation, EnrolmentRefusal, NewEnrolmentCode, Store, TeamRecord,
};

async fn issue<S: Store>(store: &S, team: TeamId, hours: i64) -> NewEnrolmentCode {
    let code = NewEnrolmentCode {
        code_hash: format!("hash-{}", ulid::Ulid::new()),
        practitioner: PractitionerId::new(),
        teams: vec![team],
        issued_at: t0(),
        expires_at: t0() + Duration::hours(hours),
        code_id: ulid::Ulid::new(),
        origin: CodeOrigin::Demo,
    };
    store.issue_enrolment_code(code.clone()).await.unwrap();
    code
}

/// Redeems `code` for a new device at t0 (it must succeed); returns the device's key.
async fn redeem<S: Store>(store: &S, code: &NewEnrolmentCode) -> DevicePublicKey {
    let key = DeviceKeyPair::generate().unwrap().public_key();
    store
        .redeem_enrolment_code(code.code_hash.clone(), DeviceId::new(), key, t0())
        .await
        .unwrap()
        .unwrap();
    key
}

async fn known_team<S: Store>(store: &S) -> TeamId {
    let team = TeamId::new();
    let records = vec![TeamRecord {
        id: team,
        name: "Fictional team".into(),
    }];
    store
        .import_directory(1, serde_json::json!({"teams": []}), records, t0())
        .await
        .unwrap()
        .unwrap();
    team
}

/// At a code's expiry instant it is neither redeemable nor open, so the bulk revocation leaves
/// it alone; one millisecond before, it is both, and the bulk revocation takes it.
async fn open_codes_are_exactly_the_redeemable_ones_at_the_expiry_instant<S: Store>(store: &S) {
    let team = known_team(store).await;
    let at_expiry = issue(store, team, 1).await;
    let just_before = issue(store, team, 2).await;
    let used = issue(store, team, 2).await;
    let key = redeem(store, &used).await;
    // `at_expiry` expires at t0+1h; `just_before` is still open then.
    let now = t0() + Duration::hours(1);
    let revoked = store
        .revoke_open_codes(CodeOrigin::Demo, now)
        .await
        .unwrap();
    assert_eq!(revoked, vec![just_before.code_id.to_string()]);
    assert_eq!(
        store
            .redeem_enrolment_code(at_expiry.code_hash.clone(), DeviceId::new(), key, now)
            .await
            .unwrap(),
        Err(EnrolmentRefusal::Expired)
    );
    assert_eq!(
        store
            .redeem_enrolment_code(just_before.code_hash.clone(), DeviceId::new(), key, now)
            .await
            .unwrap(),
        Err(EnrolmentRefusal::Revoked)
    );
    // One millisecond before its expiry a code is open and is taken.
    let edge = issue(store, team, 3).await;
    let revoked = store
        .revoke_open_codes(
            CodeOrigin::Demo,
            t0() + Duration::hours(3) - Duration::milliseconds(1),
        )
        .await
        .unwrap();
    assert_eq!(revoked, vec![edge.code_id.to_string()]);
}

/// Revoking by id ignores expiry (an expired, unused code is withdrawn on the record) but not
/// use; the first revocation stands.
async fn revocation_by_id_follows_the_one_rule<S: Store>(store: &S) {
    let team = known_team(store).await;
    let expired = issue(store, team, 1).await;
    let later = t0() + Duration::hours(5);
    assert_eq!(
        store
            .revoke_code(expired.code_id.to_string(), later)
            .await
            .unwrap(),
        CodeRevocation::Revoked
    );
    assert_eq!(
        store
            .revoke_code(expired.code_id.to_string(), later)
            .await
            .unwrap(),
        CodeRevocation::AlreadyRevoked
    );
    let used = issue(store, team, 1).await;
    redeem(store, &used).await;
    assert_eq!(
        store
            .revoke_code(used.code_id.to_string(), t0())
            .await
            .unwrap(),
        CodeRevocation::AlreadyUsed
    );
    assert_eq!(
        store
            .revoke_code(ulid::Ulid::new().to_string(), t0())
            .await
            .unwrap(),
        CodeRevocation::Unknown
    );
}

both_backends!(
    open_codes_are_exactly_the_redeemable_ones_at_the_expiry_instant,
    revocation_by_id_follows_the_one_rule,
);
