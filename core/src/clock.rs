//! Time as a platform service.
//!
//! No rule in core reads the wall clock: every function that needs "now" takes a [`Clock`]
//! (or an instant). Tests drive time with [`FixedClock`]; phones and the server use
//! [`SystemClock`]. All instants are UTC; local (Europe/London) time is derived by the rules.
//!
//! A phone's clock is a platform callback (the bindings adapt a Kotlin or Swift object), and a
//! callback can fail. [`Clock::try_now`] is the fallible read: the product paths on the phone
//! (the `Session` facade, the field store, the sync client) read time only through it, once per
//! user action and before any lock is taken, so a failing clock is a typed error for that one
//! call ([`ClockError`]) and never a panic under a lock. [`Clock::now`] stays for callers that
//! cannot fail (the server's own clock, rules handed a test clock); `core/tests/clock_reads.rs`
//! checks that the phone paths never call it.

use chrono::{DateTime, Duration, Utc};
use std::sync::Mutex;

/// Why the clock could not say what time it is (a platform clock callback failed).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ClockError {
    /// The platform clock failed; the text is the platform's reason, never personal data.
    #[error("the device clock is unavailable: {0}")]
    Unavailable(String),
}

/// The source of "now". Implementations must be cheap and thread-safe. Core never holds one of
/// its locks while calling a clock, so an implementation may call back into the session; the
/// session answers such a call normally (or with a typed error), never by hanging.
pub trait Clock: Send + Sync {
    /// The current instant in UTC, for clocks that cannot fail.
    fn now(&self) -> DateTime<Utc>;

    /// The current instant in UTC, or why the platform could not give it. Clocks that cannot
    /// fail keep the default ([`Clock::now`]); a platform adapter overrides it.
    fn try_now(&self) -> Result<DateTime<Utc>, ClockError> {
        Ok(self.now())
    }
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to: for tests and simulations.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// Moves the clock to `now` (backwards too, to simulate skew).
    pub fn set(&self, now: DateTime<Utc>) {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = now;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut guard = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The device clock corrected by the server's offset: the clock every time with clinical
/// meaning is read from on a phone (a share's or referral's `created_at`, `sent_at` and the due
/// time derived from it; docs/sync.md, "Clocks").
///
/// A phone's clock can be wrong by hours (set by hand, a flat battery, a wrong zone). The sync
/// client learns "server minus device" at enrolment and from the server's answers, and the
/// session sets it here ([`CorrectedClock::set_offset`]) and persists it, so a share sent
/// from a phone three hours fast is still due one real hour after sending. Until an offset is
/// known ([`CorrectedClock::offset_known`] false) the device clock is used as it is, and the
/// records made then are marked as made on an unverified clock (docs/clinical-decisions.md).
#[derive(Debug)]
pub struct CorrectedClock<C: ?Sized + Clock> {
    offset_ms: std::sync::atomic::AtomicI64,
    known: std::sync::atomic::AtomicBool,
    inner: std::sync::Arc<C>,
}

impl<C: ?Sized + Clock> CorrectedClock<C> {
    /// The device clock `inner`, with no offset known yet.
    pub fn new(inner: std::sync::Arc<C>) -> Self {
        Self {
            offset_ms: std::sync::atomic::AtomicI64::new(0),
            known: std::sync::atomic::AtomicBool::new(false),
            inner,
        }
    }

    /// Sets the offset (server minus device) learnt from the server.
    pub fn set_offset(&self, offset: Duration) {
        self.offset_ms.store(
            offset.num_milliseconds(),
            std::sync::atomic::Ordering::Relaxed,
        );
        self.known.store(true, std::sync::atomic::Ordering::Release);
    }

    /// The offset in use (server minus device), if one has been learnt.
    pub fn offset(&self) -> Option<Duration> {
        self.offset_known().then(|| {
            Duration::milliseconds(self.offset_ms.load(std::sync::atomic::Ordering::Relaxed))
        })
    }

    /// Whether an offset has been learnt; until then times are the device clock's, unverified.
    pub fn offset_known(&self) -> bool {
        self.known.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl<C: ?Sized + Clock> Clock for CorrectedClock<C> {
    fn now(&self) -> DateTime<Utc> {
        self.inner.now()
            + Duration::milliseconds(self.offset_ms.load(std::sync::atomic::Ordering::Relaxed))
    }

    fn try_now(&self) -> Result<DateTime<Utc>, ClockError> {
        Ok(self.inner.try_now()?
            + Duration::milliseconds(self.offset_ms.load(std::sync::atomic::Ordering::Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
        let clock = FixedClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(90));
        assert_eq!(clock.now(), start + Duration::minutes(90));
        clock.set(start - Duration::hours(3));
        assert_eq!(clock.now(), start - Duration::hours(3));
    }

    #[test]
    fn corrected_clock_adds_the_server_offset_once_known() {
        let start = Utc.with_ymd_and_hms(2026, 3, 29, 12, 0, 0).unwrap();
        let device = std::sync::Arc::new(FixedClock::new(start + Duration::hours(3)));
        let clock = CorrectedClock::new(device);
        assert!(!clock.offset_known());
        assert_eq!(clock.try_now().unwrap(), start + Duration::hours(3));
        clock.set_offset(Duration::hours(-3));
        assert!(clock.offset_known());
        assert_eq!(clock.offset(), Some(Duration::hours(-3)));
        assert_eq!(clock.try_now().unwrap(), start);
    }
}
