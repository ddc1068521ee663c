//! Retry timing: capped exponential backoff with jitter, randomness injected.
//!
//! After `n` consecutive failed sync attempts the next automatic attempt waits
//! `min(cap, base * 2^(n-1))` scaled by a jitter factor in `[1 - spread, 1]` ("equal jitter"
//! towards zero), so a region's phones that lost signal together do not all retry together.
//! The random draw comes from a [`Jitter`] source the caller supplies, so tests are exact.
//! An explicit `sync_now()` (the shell saw connectivity return) is never held back by it.

use chrono::{DateTime, Duration, Utc};
use ring::rand::{SecureRandom, SystemRandom};
use std::sync::Mutex;

/// A source of uniform random fractions in `[0, 1)` for jitter.
pub trait Jitter: Send + Sync {
    /// The next fraction in `[0, 1)`.
    fn fraction(&self) -> f64;
}

/// Jitter from the operating system's random generator (ring). If the generator fails the
/// fraction is 0.5: a retry still happens, just less spread out.
#[derive(Debug, Default)]
pub struct SystemJitter;

impl Jitter for SystemJitter {
    fn fraction(&self) -> f64 {
        let mut bytes = [0u8; 4];
        match SystemRandom::new().fill(&mut bytes) {
            Ok(()) => f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0),
            Err(_) => 0.5,
        }
    }
}

/// A seeded, deterministic jitter source (xorshift64*): for tests and the fault harness.
#[derive(Debug)]
pub struct SeededJitter {
    state: Mutex<u64>,
}

impl SeededJitter {
    /// A source starting from `seed` (0 is replaced by a fixed non-zero value).
    pub fn new(seed: u64) -> Self {
        Self {
            state: Mutex::new(if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            }),
        }
    }
}

impl Jitter for SeededJitter {
    fn fraction(&self) -> f64 {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut x = *state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        *state = x;
        let out = x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        // 53 significant bits: exactly representable, strictly below 1.
        #[allow(clippy::cast_precision_loss)]
        let fraction = out as f64 / (1u64 << 53) as f64;
        fraction
    }
}

/// The backoff policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// Wait after the first failure (before jitter).
    pub base: Duration,
    /// Longest wait, however many failures.
    pub cap: Duration,
    /// How much of the wait jitter may remove, in `[0, 1]`.
    pub spread: f64,
}

impl Default for Backoff {
    /// 2 s doubling to at most 15 minutes, up to half removed by jitter.
    fn default() -> Self {
        Self {
            base: Duration::seconds(2),
            cap: Duration::minutes(15),
            spread: 0.5,
        }
    }
}

impl Backoff {
    /// The wait after `failures` consecutive failures (0 failures: no wait), given a jitter
    /// fraction in `[0, 1)`.
    pub fn delay(&self, failures: u32, fraction: f64) -> Duration {
        if failures == 0 {
            return Duration::zero();
        }
        let exponent = failures.saturating_sub(1).min(30);
        let cap_ms = self.cap.num_milliseconds().max(0);
        let full_ms = self
            .base
            .num_milliseconds()
            .max(0)
            .saturating_mul(1i64 << exponent)
            .min(cap_ms);
        let spread = self.spread.clamp(0.0, 1.0);
        let keep = 1.0 - spread * fraction.clamp(0.0, 1.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        let ms = (full_ms as f64 * keep).round() as i64;
        Duration::milliseconds(ms)
    }

    /// Whether an automatic attempt may run at `now`, given when the backoff said to wait
    /// until. A wait longer than the cap means the device clock went backwards (skew
    /// corrected, or the user changed it): the wait is treated as over rather than stalling
    /// sync for hours.
    pub fn is_due(&self, now: DateTime<Utc>, not_before: Option<DateTime<Utc>>) -> bool {
        match not_before {
            None => true,
            Some(at) => at <= now || at - now > self.cap,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn waits_double_from_the_base_and_stop_at_the_cap() {
        let b = Backoff {
            base: Duration::seconds(2),
            cap: Duration::seconds(60),
            spread: 0.5,
        };
        assert_eq!(b.delay(0, 0.0), Duration::zero());
        assert_eq!(b.delay(1, 0.0), Duration::seconds(2));
        assert_eq!(b.delay(2, 0.0), Duration::seconds(4));
        assert_eq!(b.delay(5, 0.0), Duration::seconds(32));
        assert_eq!(b.delay(6, 0.0), Duration::seconds(60));
        assert_eq!(b.delay(u32::MAX, 0.0), Duration::seconds(60));
    }

    #[test]
    fn jitter_removes_at_most_the_spread() {
        let b = Backoff::default();
        assert_eq!(b.delay(1, 0.5), Duration::milliseconds(1500));
        let almost_one = 0.999_999;
        assert!(b.delay(3, almost_one) >= Duration::seconds(4));
        assert!(b.delay(3, almost_one) <= Duration::seconds(8));
    }

    #[test]
    fn seeded_jitter_repeats_for_the_same_seed_and_stays_in_range() {
        let (a, b) = (SeededJitter::new(7), SeededJitter::new(7));
        for _ in 0..1000 {
            let (x, y) = (a.fraction(), b.fraction());
            assert_eq!(x.to_bits(), y.to_bits());
            assert!((0.0..1.0).contains(&x));
        }
        assert_ne!(
            SeededJitter::new(8).fraction().to_bits(),
            SeededJitter::new(7).fraction().to_bits()
        );
        let s = SystemJitter.fraction();
        assert!((0.0..1.0).contains(&s));
    }

    #[test]
    fn a_clock_moved_back_past_the_cap_does_not_stall_sync() {
        let b = Backoff::default();
        let now = Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap();
        assert!(b.is_due(now, None));
        assert!(!b.is_due(now, Some(now + Duration::minutes(5))));
        assert!(b.is_due(now, Some(now)));
        assert!(b.is_due(now, Some(now + Duration::hours(3))));
    }
}
