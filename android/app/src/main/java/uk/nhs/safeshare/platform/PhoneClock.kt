package uk.nhs.safeshare.platform

import uniffi.safeshare.Clock
import java.time.Instant

/** The core's Clock on Android: the phone's UTC time. Never throws. */
class PhoneClock : Clock {
    override fun now(): Instant = Instant.now()
}
