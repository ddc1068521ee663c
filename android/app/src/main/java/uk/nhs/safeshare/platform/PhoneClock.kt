package uk.nhs.safeshare.platform

import uniffi.safeshare.Clock
import java.time.Instant

/**
 * The core's Clock on Android: the phone's UTC time. Never throws. The only shell file that
 * reads the clock (tests/shell-rules-check allows it here and nowhere else).
 */
class PhoneClock : Clock {
    override fun now(): Instant = Instant.now()

    /**
     * How long a timer waits for `at` (core's next deadline check), in milliseconds: at least
     * a second, and a minute when core could not say (a failed check is tried again then).
     * UTC instants only; no zone, no rule.
     */
    fun millisUntil(at: Instant?): Long =
        if (at == null) RETRY_MILLIS else (at.toEpochMilli() - System.currentTimeMillis()).coerceAtLeast(MIN_MILLIS)

    private companion object {
        const val MIN_MILLIS = 1_000L
        const val RETRY_MILLIS = 60_000L
    }
}
