// The boundary itself, without a store: typed exceptions for bad input, capture prompts, and
// a Kotlin Clock called from Rust to choose a call target. A Kotlin Clock that throws must come
// back as SafeShareException.Storage (a typed error for that call), not crash the JVM.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.time.Instant

fun <T : Throwable> expectThrows(kind: Class<T>, what: String, block: () -> Unit): T {
    try {
        block()
    } catch (e: Throwable) {
        if (kind.isInstance(e)) return kind.cast(e)
        throw AssertionError("$what: expected ${kind.simpleName}, got $e")
    }
    throw AssertionError("$what: expected ${kind.simpleName}, nothing was thrown")
}

// NHS numbers: a valid one in both forms; a wrong check digit is a Validation on nhs_number.
val ok = validateNhsNumber("943-476-5919")
check(ok.digits == "9434765919") { "digits ${ok.digits}" }
check(ok.formatted == "943 476 5919") { "formatted ${ok.formatted}" }
val bad = expectThrows(SafeShareException.Validation::class.java, "bad NHS number") {
    validateNhsNumber("943 476 5918")
}
check(bad.field == "nhs_number") { "field ${bad.field}" }
check(!bad.detail.contains("5918")) { "the error must not quote the number" }

// Capture prompts: an opinion made of a stock phrase gets both prompts, phrase named.
val prompts = capturePrompts("Engaging well", Evidence.Opinion(null))
check(prompts.map { it.kind } == listOf(CaptureWarningKind.NOT_SPECIFIC, CaptureWarningKind.OPINION_WITHOUT_BASIS)) {
    "prompts ${prompts.map { it.kind }}"
}
check(prompts[0].stockPhrases == listOf("engaging well")) { "phrases ${prompts[0].stockPhrases}" }
check(capturePrompts("Bruise 2 cm on left forearm, yellowing", Evidence.ObservedFact).isEmpty())

// A Kotlin Clock drives the number choice: Tuesday 10:00 London is the team's direct line,
// Tuesday 22:00 its out-of-hours number.
class KotlinClock(var at: Instant) : Clock {
    var calls = 0
    override fun now(): Instant { calls++; return at }
}
val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
check(directory.isFictional())
val midwifery = directory.findTeams("community midwifery").single()
val clock = KotlinClock(Instant.parse("2026-11-24T10:00:00Z"))
val open = directory.callTargetNow(midwifery.id, clock)
check(clock.calls == 1) { "the Kotlin clock was called ${clock.calls} times" }
check(open.reason == CallReason.TEAM_OPEN) { "reason ${open.reason}" }
check(open.telUri == "tel:+441134960101") { "tel ${open.telUri}" }
clock.at = Instant.parse("2026-11-24T22:00:00Z")
val closed = directory.callTargetNow(midwifery.id, clock)
check(closed.reason == CallReason.TEAM_CLOSED_OUT_OF_HOURS_NUMBER) { "reason ${closed.reason}" }
check(closed.telUri == "tel:+441134960102") { "tel ${closed.telUri}" }
check(closed.label.isNotBlank() && closed.explanation.isNotBlank())

// Unknown team: NotFound. A clock that throws (anything): Storage, and the JVM carries on.
expectThrows(SafeShareException.NotFound::class.java, "unknown team") {
    directory.callTarget("01ARZ3NDEKTSV4RRFFQ69G5FAV", Instant.parse("2026-11-24T10:00:00Z"))
}
// A garbled id from the shell is read by core's custom type: Validation naming the id's kind.
val garbled = expectThrows(SafeShareException.Validation::class.java, "garbled team id") {
    directory.callTarget("nope", Instant.parse("2026-11-24T10:00:00Z"))
}
check(garbled.field == "team_id") { "field ${garbled.field}" }
class BrokenClock : Clock { override fun now(): Instant = throw IllegalStateException("clock broke") }
expectThrows(SafeShareException.Storage::class.java, "throwing clock") {
    directory.callTargetNow(midwifery.id, BrokenClock())
}
class LockedClock : Clock { override fun now(): Instant = throw PlatformException.Unavailable("clock locked") }
expectThrows(SafeShareException.Storage::class.java, "clock throwing the platform error") {
    directory.callTargetNow(midwifery.id, LockedClock())
}
check(directory.callTargetNow(midwifery.id, clock).telUri == "tel:+441134960102") { "library unusable after a failing clock" }

// The set-up screen's identity is made by core, ids included; a blank name is a Validation.
val setUp = identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(midwifery.id, "Community midwifery")))
check(setUp.practitioner.length == 26 && setUp.device.length == 26 && setUp.practitioner != setUp.device) { "identity ids: $setUp" }
val blank = expectThrows(SafeShareException.Validation::class.java, "blank practitioner name") {
    identityBeforeEnrolment(" \u00a0", listOf(TeamMembership(midwifery.id, "Community midwifery")))
}
check(blank.field == "practitioner_name") { "blank name names ${blank.field}" }

println("kotlin boundary: typed errors, capture prompts, Kotlin Clock called from Rust: ok")
