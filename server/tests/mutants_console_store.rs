//! The console's one-time links and sessions as its store keeps them (server/src/console/store.rs),
//! pinned at their exact values against the console group's mutants (tests/mutants console), on
//! a real SQLite file and on PostgreSQL. The pages show the same words for every refused link,
//! so the reason the store gives (unknown, used, expired) is seen only in the admin audit: it is
//! asserted here, with the link's expiry instant (expired at it, not a millisecond before), the
//! roles a link grants (exactly those it was issued with, also on the confirmation page's read
//! that spends nothing), and a session's row read back as stored, its idle clock counting from
//! the previous request, and gone once ended.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test crate: helpers outside #[test] fns

mod common;

use chrono::Duration;
use common::*;
use safeshare_server::console::store::{ConsoleStore, LinkRefusal, SessionRow};

const ROLES: &str = "assurance,device_admin";

/// A link's reason for refusal, read without spending it and when redeeming it: expiry is at
/// the instant itself, a used link says "used" whatever its expiry, and the roles granted are
/// the issued ones, once.
async fn a_link_is_refused_for_its_own_reason<S: ConsoleStore>(store: &S) {
    let (token, expires) = ("a".repeat(64), t0() + Duration::minutes(10));
    let just_before = expires - Duration::milliseconds(1);
    store
        .link_create(token.clone(), ROLES.into(), t0(), expires)
        .await
        .unwrap();

    // The confirmation page's read: the issued roles until the instant of expiry.
    assert_eq!(
        store.link_usable(token.clone(), t0()).await.unwrap(),
        Ok(ROLES.to_owned())
    );
    assert_eq!(
        store.link_usable(token.clone(), just_before).await.unwrap(),
        Ok(ROLES.to_owned())
    );
    assert_eq!(
        store.link_usable(token.clone(), expires).await.unwrap(),
        Err(LinkRefusal::Expired)
    );
    assert_eq!(
        store.link_usable("b".repeat(64), t0()).await.unwrap(),
        Err(LinkRefusal::Unknown)
    );

    // Redeeming at the expiry instant is refused as expired and spends nothing...
    assert_eq!(
        store.link_redeem(token.clone(), expires).await.unwrap(),
        Err(LinkRefusal::Expired)
    );
    assert_eq!(
        store.link_redeem("b".repeat(64), t0()).await.unwrap(),
        Err(LinkRefusal::Unknown)
    );
    // ...so a millisecond earlier it grants exactly the issued roles, once.
    assert_eq!(
        store.link_redeem(token.clone(), just_before).await.unwrap(),
        Ok(ROLES.to_owned())
    );
    assert_eq!(
        store.link_redeem(token.clone(), just_before).await.unwrap(),
        Err(LinkRefusal::Used)
    );
    // Used says used, before its expiry and after it, to the page's read too.
    assert_eq!(
        store.link_usable(token.clone(), t0()).await.unwrap(),
        Err(LinkRefusal::Used)
    );
    assert_eq!(
        store.link_usable(token.clone(), expires).await.unwrap(),
        Err(LinkRefusal::Used)
    );
    assert_eq!(
        store.link_redeem(token, expires).await.unwrap(),
        Err(LinkRefusal::Used)
    );
}

/// A session reads back as stored; each read returns the previous request's time (what the
/// idle limit counts from) and records its own; an ended session, or one never stored, is
/// not found, and ending one leaves another alone.
async fn a_session_reads_back_as_stored_until_it_is_ended<S: ConsoleStore>(store: &S) {
    let row = |hash: &str| SessionRow {
        session_hash: hash.repeat(64),
        roles: ROLES.into(),
        actor: format!("link:{}", hash.repeat(12)),
        csrf_key: "0f".repeat(32),
        expires_at: t0() + Duration::hours(8),
        last_seen: t0(),
    };
    store.session_create(row("c"), t0()).await.unwrap();
    store.session_create(row("d"), t0()).await.unwrap();
    let first = t0() + Duration::minutes(5);
    assert_eq!(
        store.session_touch("c".repeat(64), first).await.unwrap(),
        Some(row("c"))
    );
    assert_eq!(
        store
            .session_touch("c".repeat(64), first + Duration::minutes(7))
            .await
            .unwrap(),
        Some(SessionRow {
            last_seen: first,
            ..row("c")
        })
    );
    assert_eq!(
        store.session_touch("e".repeat(64), first).await.unwrap(),
        None
    );

    store.session_end("c".repeat(64)).await.unwrap();
    assert_eq!(
        store.session_touch("c".repeat(64), first).await.unwrap(),
        None
    );
    assert_eq!(
        store.session_touch("d".repeat(64), first).await.unwrap(),
        Some(row("d"))
    );
}

both_backends!(
    a_link_is_refused_for_its_own_reason,
    a_session_reads_back_as_stored_until_it_is_ended,
);
