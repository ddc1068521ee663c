// The boundary itself: typed exceptions for bad input, capture prompts on the capture screen,
// and a Kotlin Clock called from Rust to choose the number a call dials. A Kotlin Clock that
// throws must come back as SafeShareException.Storage (a typed error for that call), not crash
// the JVM.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.nio.file.Files
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

// A session on a throwaway store, with a Kotlin keystore and a Kotlin Clock the test moves or
// breaks: Tuesday 24 November 2026, 10:00 in London.
class KotlinClock(var at: Instant) : Clock {
    var calls = 0
    var failure: Throwable? = null
    override fun now(): Instant { calls++; failure?.let { throw it }; return at }
}
class MapSecretStore : SecretStore {
    val secrets = HashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = secrets[name]
    override fun put(name: String, value: ByteArray) { secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}
val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val midwifery = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val clock = KotlinClock(Instant.parse("2026-11-24T10:00:00Z"))
val dir = Files.createTempDirectory("safeshare-kotlin-boundary").toFile()
val session = Session.open(File(dir, "field.db").path, MapSecretStore(), clock,
    identityBeforeEnrolment("Mo Midwife", listOf(TeamMembership(midwifery, "Community midwifery"))), directory)
val household = session.visits().addHousehold(null)

// NHS numbers: a valid one typed with hyphens is kept in the spaced form; a wrong check digit is
// a Validation on nhs_number that does not quote the number, and nobody is stored.
fun child(nhs: String) = PersonDetails(name = "Alex Example", knownAs = null, dateOfBirth = "2024-05-10", nhsNumber = nhs, phone = null, address = null, parentalResponsibility = null)
val ok = session.visits().addPerson(household, PersonRole.Child, child("943-476-5919"))
check(ok.nhsNumber == "943 476 5919") { "formatted ${ok.nhsNumber}" }
val bad = expectThrows(SafeShareException.Validation::class.java, "bad NHS number") {
    session.visits().addPerson(household, PersonRole.Child, child("943 476 5918"))
}
check(bad.field == "nhs_number") { "field ${bad.field}" }
check(!bad.detail.contains("5918")) { "the error must not quote the number" }

// Capture prompts on the capture screen: an opinion made of a stock phrase gets both prompts,
// phrase named; a specific fact seen gets none.
val visit = session.visits().startVisit(household, Place(PlaceKind.Home, null), emptyList(), null)
check(session.visits().screen(visit.id, emptyCaptureDraft()).people.map { it.person } == listOf(ok.id)) { "the refused child is not stored" }
val prompts = session.visits().screen(visit.id, emptyCaptureDraft().copy(about = ok.id, text = "Engaging well", evidence = Evidence.Opinion(null))).prompts
check(prompts.map { it.kind } == listOf(CaptureWarningKind.NOT_SPECIFIC, CaptureWarningKind.OPINION_WITHOUT_BASIS)) {
    "prompts ${prompts.map { it.kind }}"
}
check(prompts[0].stockPhrases == listOf("engaging well")) { "phrases ${prompts[0].stockPhrases}" }
check(session.visits().screen(visit.id, emptyCaptureDraft().copy(about = ok.id, text = "Bruise 2 cm on left forearm, yellowing")).prompts.isEmpty())

// The Kotlin Clock drives the number choice: Tuesday 10:00 London is the team's direct line
// (the Contacts screen says open; the call dials it), Tuesday 22:00 its out-of-hours number.
val found = session.contacts().screen("community midwifery")
check(found.warning == "SAMPLE DIRECTORY: fictional numbers, not for real calls") { "the sample directory is marked: ${found.warning}" }
check(found.rows.single().team == midwifery && found.rows.single().openNow) { "contacts ${found.rows}" }
val before = clock.calls
val inHours = session.contacts().startCall(midwifery, null, null).target
check(clock.calls > before) { "the Kotlin clock was not called" }
check(inHours.reason == CallReason.TEAM_OPEN) { "reason ${inHours.reason}" }
check(inHours.telUri == "tel:+441134960101") { "tel ${inHours.telUri}" }
clock.at = Instant.parse("2026-11-24T22:00:00Z")
check(!session.contacts().screen("community midwifery").rows.single().openNow) { "closed at 22:00" }
val outOfHours = session.contacts().startCall(midwifery, null, null).target
check(outOfHours.reason == CallReason.TEAM_CLOSED_OUT_OF_HOURS_NUMBER) { "reason ${outOfHours.reason}" }
check(outOfHours.telUri == "tel:+441134960102") { "tel ${outOfHours.telUri}" }
check(outOfHours.label.isNotBlank() && outOfHours.explanation.isNotBlank())

// Unknown team: NotFound. A clock that throws (anything): Storage, and the JVM carries on.
expectThrows(SafeShareException.NotFound::class.java, "unknown team") {
    session.contacts().startCall("01ARZ3NDEKTSV4RRFFQ69G5FAV", null, null)
}
// A garbled id from the shell is read by core's custom type: Validation naming the id's kind.
val garbled = expectThrows(SafeShareException.Validation::class.java, "garbled team id") {
    session.contacts().startCall("nope", null, null)
}
check(garbled.field == "team_id") { "field ${garbled.field}" }
clock.failure = IllegalStateException("clock broke")
expectThrows(SafeShareException.Storage::class.java, "throwing clock") {
    session.contacts().screen("community midwifery")
}
clock.failure = PlatformException.Unavailable("clock locked")
expectThrows(SafeShareException.Storage::class.java, "clock throwing the platform error") {
    session.contacts().screen("community midwifery")
}
clock.failure = null
check(session.contacts().startCall(midwifery, null, null).target.telUri == "tel:+441134960102") { "library unusable after a failing clock" }
session.destroy()
dir.deleteRecursively()

// The set-up screen's identity is made by core, ids included; a blank name is a Validation.
val setUp = identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(midwifery, "Community midwifery")))
check(setUp.practitioner.length == 26 && setUp.device.length == 26 && setUp.practitioner != setUp.device) { "identity ids: $setUp" }
val blank = expectThrows(SafeShareException.Validation::class.java, "blank practitioner name") {
    identityBeforeEnrolment(" \u00a0", listOf(TeamMembership(midwifery, "Community midwifery")))
}
check(blank.field == "practitioner_name") { "blank name names ${blank.field}" }

println("kotlin boundary: typed errors, capture prompts, Kotlin Clock called from Rust: ok")
