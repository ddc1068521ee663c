//! Values no other test of the server group (tests/mutants server) asserts, found by its
//! mutation runs or, in issue 20's review, by mutants applied by hand: how long a nonce is
//! remembered against replay, the admin's roster log, and an enrolment code's time to live
//! (which only the CLI's tests read, outside the group); pull's position check and the body
//! limit at its exact edge are in `mutants_server_auth.rs`. The nonce memory is
//! checked through the real store (an SQLite file) where it acts, so a changed window is seen
//! as a replay let through or a nonce kept for ever, not only as a different number; the roster
//! log through versions signed with a real region key; the rest over a real server on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::*;
use safeshare_core::model::DeviceId;
use safeshare_core::sync::MAX_CLOCK_SKEW_SECS;
use safeshare_server::storage::{nonce_cutoff, Store, NONCE_RETENTION_MS};

/// A request is fresh for the skew either side of its timestamp, so a nonce can come back up to
/// two skews after it was first seen; the memory is that plus five minutes' margin.
#[test]
fn nonces_are_remembered_for_two_clock_skews_and_five_minutes() {
    assert_eq!(MAX_CLOCK_SKEW_SECS, 5 * 60);
    assert_eq!(NONCE_RETENTION_MS, 15 * 60 * 1000);
    assert_eq!(
        nonce_cutoff(t0()),
        t0() - Duration::milliseconds(NONCE_RETENTION_MS)
    );
}

/// The pruner (serve.rs) forgets nonces first seen before `nonce_cutoff(now)`: a nonce seen at
/// T is still refused at the last instant a replay could be fresh (T + 2 × skew), and is
/// forgotten only once the whole retention has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pruned_store_still_refuses_a_replay_within_the_freshness_window() {
    let (_dir, store) = sqlite_store();
    let device = DeviceId::new();
    assert!(store.consume_nonce(device, "n".into(), t0()).await.unwrap());

    let last_fresh = t0() + Duration::seconds(2 * MAX_CLOCK_SKEW_SECS);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(last_fresh)).await.unwrap(),
        0
    );
    assert!(!store
        .consume_nonce(device, "n".into(), last_fresh)
        .await
        .unwrap());

    // At exactly the retention the nonce is not yet "before" the cutoff; a millisecond later it is.
    let kept_until = t0() + Duration::milliseconds(NONCE_RETENTION_MS);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(kept_until)).await.unwrap(),
        0
    );
    let forgotten = kept_until + Duration::milliseconds(1);
    assert_eq!(
        store.prune_nonces(nonce_cutoff(forgotten)).await.unwrap(),
        1
    );
    assert!(store
        .consume_nonce(device, "n".into(), forgotten)
        .await
        .unwrap());
}

/// The admin's roster log (`safeshare-server roster-log`): one line per version with its device
/// count, then what changed from the version before, so a device nobody enrolled stands out. A
/// version that does not parse is said to be unreadable, not skipped silently, and an empty log
/// says so rather than printing nothing.
#[test]
fn the_roster_log_names_each_version_and_what_changed() {
    use safeshare_core::model::{PractitionerId, TeamId};
    use safeshare_core::sync::{
        DevicePublicKey, RegionKeyPair, RosterBody, RosterDevice, SignedRoster,
    };
    use safeshare_server::roster::render_log;

    assert_eq!(render_log(&[]), "no roster versions yet\n");

    let region = RegionKeyPair::generate().unwrap();
    let team = TeamId::new();
    let first = RosterDevice {
        device_id: DeviceId::new(),
        practitioner_id: PractitionerId::new(),
        teams: vec![team],
        signing_key: DevicePublicKey([7; 32]),
        encryption_key: None,
        enrolled_at: t0(),
        revoked_at: None,
        retired_at: None,
    };
    let v1 = RosterBody {
        version: 1,
        issued_at: t0(),
        previous: None,
        devices: vec![first.clone()],
    };
    let second = RosterDevice {
        device_id: DeviceId::new(),
        practitioner_id: PractitionerId::new(),
        enrolled_at: t0() + Duration::hours(1),
        ..first.clone()
    };
    let revoked = RosterDevice {
        revoked_at: Some(t0() + Duration::hours(1)),
        ..first.clone()
    };
    let signed_v1 = region.sign(&v1).unwrap();
    let v2 = RosterBody {
        version: 2,
        issued_at: t0() + Duration::hours(1),
        previous: Some(signed_v1.hash()),
        devices: vec![revoked.clone(), second.clone()],
    };
    let unreadable = SignedRoster {
        body: "not a roster".into(),
        signature: String::new(),
    };
    let log = render_log(&[signed_v1, unreadable, region.sign(&v2).unwrap()]);
    assert_eq!(
        log,
        format!(
            "version 1 issued {t0} devices 1\n  added: device {a} practitioner {pa}\n\
             unreadable roster version\n\
             version 2 issued {t1} devices 2\n  revoked: device {a} practitioner {pa}\n  \
             added: device {b} practitioner {pb}\n",
            t0 = t0().to_rfc3339(),
            t1 = (t0() + Duration::hours(1)).to_rfc3339(),
            a = first.device_id,
            pa = first.practitioner_id,
            b = second.device_id,
            pb = second.practitioner_id,
        )
    );
}

/// An enrolment code's time to live, at its edges (enrolment.rs, mutated by the server group
/// since the review of issue 20): the admin's `--ttl-hours` is read as 1 to 720 hours and
/// nothing else, and a code is issued for any positive time up to 30 days exactly and expires
/// that long after it was issued. The time-to-live check comes before the team check and the
/// code's making, so a time out of range is refused as such even for a team the directory
/// lacks; one in range reaches the team check, which refuses the unknown team.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolment_code_lives_from_one_second_to_thirty_days_and_no_longer() {
    use safeshare_core::model::TeamId;
    use safeshare_server::admin::import_directory;
    use safeshare_server::enrolment::{issue, ttl_from_hours, IssueError, MAX_CODE_TTL_HOURS};

    assert_eq!(MAX_CODE_TTL_HOURS, 720);
    assert_eq!(ttl_from_hours(1).unwrap(), Duration::hours(1));
    assert_eq!(ttl_from_hours(720).unwrap(), Duration::hours(720));
    for bad in [0, -1, 721, i64::MAX, i64::MIN] {
        assert!(
            matches!(ttl_from_hours(bad), Err(IssueError::BadTtl)),
            "{bad}"
        );
    }

    let (_dir, store) = sqlite_store();
    let unknown = TeamId::new();
    for bad in [
        Duration::zero(),
        Duration::seconds(-1),
        Duration::hours(720) + Duration::seconds(1),
    ] {
        let refused = issue(&store, None, vec![unknown], bad, t0()).await;
        assert!(matches!(refused, Err(IssueError::BadTtl)), "{bad}");
    }
    for good in [Duration::seconds(1), Duration::hours(720)] {
        let refused = issue(&store, None, vec![unknown], good, t0()).await;
        assert!(
            matches!(refused, Err(IssueError::UnknownTeam(ref t)) if t.0 == unknown),
            "{good}"
        );
    }

    let team = TeamId::new();
    import_directory(&store, &directory_file(1, &[(team, "Team")]), t0())
        .await
        .unwrap();
    for ttl in [Duration::seconds(1), Duration::hours(720)] {
        let code = issue(&store, None, vec![team], ttl, t0()).await.unwrap();
        assert_eq!(code.expires_at, t0() + ttl);
        assert_eq!(code.teams, vec![team]);
    }
}
