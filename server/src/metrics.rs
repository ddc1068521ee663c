//! Prometheus metrics in the text exposition format (version 0.0.4), served at `/metrics`.
//!
//! A handful of counters and one histogram do not justify a metrics framework, so they are
//! atomics rendered by hand. Labels are route templates, status codes and outcome names only:
//! never ids, never personal data, and bounded in number.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the push latency histogram buckets.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Per-envelope push outcomes counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeMetric {
    /// Stored.
    Accepted,
    /// Already stored, same content.
    Duplicate,
    /// Already stored, different content.
    Conflict,
    /// Refused.
    Rejected,
}

/// The server's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    envelopes: [AtomicU64; 4],
    latency_buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &str, status: u16) {
        let mut map = self
            .requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *map.entry((route.to_owned(), status)).or_insert(0) += 1;
    }

    /// Counts envelope outcomes.
    pub fn envelopes(&self, which: EnvelopeMetric, n: u64) {
        self.envelopes[which as usize].fetch_add(n, Ordering::Relaxed);
    }

    /// Records one push's latency.
    pub fn push_latency(&self, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        for (bound, count) in LATENCY_BUCKETS.iter().zip(&self.latency_buckets) {
            if secs <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.latency_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// Renders every metric in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP safeshare_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE safeshare_http_requests_total counter\n");
        {
            let map = self
                .requests
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for ((route, status), n) in map.iter() {
                let _ = writeln!(
                    out,
                    "safeshare_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP safeshare_envelopes_total Pushed envelopes by outcome.\n");
        out.push_str("# TYPE safeshare_envelopes_total counter\n");
        for (name, which) in [
            ("accepted", EnvelopeMetric::Accepted),
            ("duplicate", EnvelopeMetric::Duplicate),
            ("conflict", EnvelopeMetric::Conflict),
            ("rejected", EnvelopeMetric::Rejected),
        ] {
            let n = self.envelopes[which as usize].load(Ordering::Relaxed);
            let _ = writeln!(out, "safeshare_envelopes_total{{outcome=\"{name}\"}} {n}");
        }
        out.push_str("# HELP safeshare_push_duration_seconds Time to answer a push request.\n");
        out.push_str("# TYPE safeshare_push_duration_seconds histogram\n");
        for (bound, count) in LATENCY_BUCKETS.iter().zip(&self.latency_buckets) {
            let _ = writeln!(
                out,
                "safeshare_push_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                count.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "safeshare_push_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "safeshare_push_duration_seconds_sum {sum}");
        let _ = writeln!(out, "safeshare_push_duration_seconds_count {count}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_counters_render() {
        let m = Metrics::default();
        m.push_latency(Duration::from_micros(800));
        m.push_latency(Duration::from_millis(20));
        m.envelopes(EnvelopeMetric::Accepted, 3);
        m.request("/v1/push", 200);
        let text = m.render();
        assert!(text.contains("safeshare_push_duration_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("safeshare_push_duration_seconds_bucket{le=\"0.025\"} 2\n"));
        assert!(text.contains("safeshare_push_duration_seconds_bucket{le=\"+Inf\"} 2\n"));
        assert!(text.contains("safeshare_envelopes_total{outcome=\"accepted\"} 3\n"));
        assert!(
            text.contains("safeshare_http_requests_total{route=\"/v1/push\",status=\"200\"} 1\n")
        );
    }
}
