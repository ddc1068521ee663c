// Sync from Kotlin over real HTTPS: a phone pins the test region CA, enrols with the one-time
// code from the real server (started by run-kotlin on 127.0.0.1 with a certificate that CA
// issued), captures, and syncNow() pushes the outbox: the Sync screen goes from waiting to all
// synced. Uses the real time (the server refuses stale signatures). A server address that is
// not https (other than loopback) or https with no pinned CA is refused as UntrustedServer.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.nio.file.Files
import java.time.Instant

class MapSecretStore : SecretStore {
    val secrets = HashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = secrets[name]
    override fun put(name: String, value: ByteArray) { secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}
class RealClock : Clock { override fun now(): Instant = Instant.now() }

val url = System.getenv("SAFESHARE_TEST_SERVER") ?: throw AssertionError("run-kotlin starts the server")
val code = System.getenv("SAFESHARE_TEST_CODE") ?: throw AssertionError("run-kotlin issues the code")
// A store belongs to one practitioner: it is opened with the id the enrolment code names.
val practitioner = System.getenv("SAFESHARE_TEST_PRACTITIONER") ?: throw AssertionError("run-kotlin names the practitioner")
val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val healthVisitingNorth = "01M6A6FT00C9H0VZ4YE6QQ9FM9"
val clock = RealClock()
val dir = Files.createTempDirectory("safeshare-kotlin-sync").toFile()
val secrets = MapSecretStore()
val before = identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)"))).copy(practitioner = practitioner)
val session = Session.open(File(dir, "field.db").path, secrets, clock, before, directory)
val regionCa = File(System.getenv("SAFESHARE_TEST_CA") ?: throw AssertionError("run-kotlin makes the CA")).readText()
check(url.startsWith("https://")) { "the sync test runs over TLS: $url" }
val server = SyncServer.withRegionCa(url, regionCa, clock)
expectUntrusted("insecure_server_url") { SyncServer("http://sync.example.nhs.uk", clock) }
expectUntrusted("no_region_trust") { SyncServer(url, clock) }
expectUntrusted("no_region_trust") { SyncServer.withRegionCa(url, "not a certificate", clock) }

check(session.sync().screen().summary == SyncSummary.NOT_ENROLLED)
val enrolled = session.sync().enrol(server, code)
check(enrolled.practitioner == practitioner) { "enrolled as ${enrolled.practitioner}" }
check(enrolled.device != before.device) { "the server's device id replaces the local placeholder" }
check(enrolled.teams.map { it.id } == listOf(healthVisitingNorth)) { "teams ${enrolled.teams}" }
// The data key, the device signing key and the end-to-end encryption key (docs/security.md).
check(secrets.secrets.size == 3 && secrets.secrets.keys.count { it.startsWith("safeshare.sync.encryption-key.") } == 1) {
    "the data key, the device signing key and one encryption key are in the Kotlin SecretStore: ${secrets.secrets.keys}"
}
expectRefusedSecondEnrol()

// The share's audience: a second phone, in the team the share goes to, enrolled and synced
// before the share is sealed, so the signed roster names its key.
val frontDoorTeam = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val recipientPractitioner = System.getenv("SAFESHARE_TEST_PRACTITIONER_3") ?: throw AssertionError("run-kotlin names the recipient")
val recipient = Session.open(File(dir, "recipient.db").path, MapSecretStore(), clock,
    identityBeforeEnrolment("Mo Front Door", listOf(TeamMembership(frontDoorTeam, "Front door"))).copy(practitioner = recipientPractitioner), directory)
recipient.sync().enrol(server, System.getenv("SAFESHARE_TEST_CODE_3") ?: throw AssertionError("run-kotlin issues the recipient's code"))
recipient.sync().syncNow(server)

val household = session.visits().addHousehold(null)
val child = session.visits().addPerson(household, PersonRole.Child, PersonDetails("Alex Example", null, "2024-05-10", null, null, null, null))
session.visits().captureObservation(NewObservationInput(child.id, null, ConcernCategory.WasNotBrought, Severity.CONCERN, Evidence.ObservedFact,
    "Not brought to the 12-month review on Tuesday; second missed appointment", null, null,
    ShareRequest("01M6A6FT00TTZHYYZ9RZKXMQAR", "Second was-not-brought; please check at your next contact", null)))
val waiting = session.sync().screen()
check(waiting.summary == SyncSummary.WAITING && waiting.lines.first().text.endsWith(" waiting to be sent") &&
    waiting.lines.first().tone == Tone.WAITING) { "waiting $waiting" }

val report = session.sync().syncNow(server)
check(report.accepted >= 1uL && report.rejected == 0uL) { "report $report" }
val synced = session.sync().screen()
check(synced.lines.first().text == "Nothing waiting to be sent" && synced.summary == SyncSummary.ALL_SYNCED &&
    synced.lines[1].text.startsWith("Last sent ")) { "after sync $synced" }

// The whole loop through the server, sealed end to end: the recipient pulls the share sealed
// to its key and acknowledges it in its own words; the sender's next sync brings the
// acknowledgement back with its read-back to check.
recipient.sync().syncNow(server)
val incoming = recipient.shares().share(recipient.shares().incomingScreen().rows.single().share)
check(!incoming.outgoing && !incoming.acknowledged) { "incoming $incoming" }
val readBack = ReadBack("Alex Example", "second was-not-brought, 12-month review missed", "check at the next contact")
recipient.shares().acknowledgeShare(incoming.id, readBack)
recipient.sync().syncNow(server)
session.sync().syncNow(server)
val answered = session.shares().share(incoming.id)
check(answered.acknowledged && answered.readBack == readBack) { "the sealed acknowledgement reached the sender: $answered" }
check(answered.status is ShareStatus.ReadBackToCheck) { "status ${answered.status}" }
recipient.destroy()

// Rotating the encryption key keeps the old one (to open what was sealed to it) and the next
// sync registers the new one.
val rotated = session.sync().rotateEncryptionKey()
check(secrets.secrets.keys.contains("safeshare.sync.encryption-key.$rotated") && secrets.secrets.size == 4) {
    "the new key is kept beside the old: ${secrets.secrets.keys}"
}
val afterRotation = session.sync().syncNow(server)
check(afterRotation.rejected == 0uL && session.sync().screen().summary == SyncSummary.ALL_SYNCED) { "after rotation $afterRotation" }
// The pinned region key's fingerprint, as issue-code prints it, and the signed roster log with
// this device's rotation in its latest version.
check(Regex("^([0-9a-f]{4} ){7}[0-9a-f]{4}$").matches(session.sync().regionKeyFingerprint() ?: "")) { "fingerprint ${session.sync().regionKeyFingerprint()}" }
val rosterLog = session.sync().rosterLog()
check(rosterLog.last().changes.any { it.kind == RosterChangeKind.NEW_ENCRYPTION_KEY && it.deviceId == enrolled.device && it.practitionerId == practitioner }) { "roster log $rosterLog" }

fun expectRefusedSecondEnrol() {
    // An enrolled phone takes a code only as a re-enrolment for its own practitioner (a new
    // code from the admin, docs/sync.md); the used code is refused and nothing changes.
    val keysBefore = secrets.secrets.keys.toSet()
    try {
        session.sync().enrol(server, code)
        throw AssertionError("a second enrolment with the used code must be refused")
    } catch (e: SafeShareException.Validation) {
        check(e.field == "code") { "refused on ${e.field}: ${e.detail}" }
    }
    check(session.identity() == enrolled) { "identity changed by a refused enrolment: ${session.identity()}" }
    check(secrets.secrets.keys.toSet() == keysBefore) { "keys changed by a refused enrolment: ${secrets.secrets.keys}" }
}

// Resume: the core keeps who uses the device, so a restart needs only the path and the
// platform secrets; the enrolled identity and the sync state come back as they were.
val dbPath = File(dir, "field.db").path
session.destroy()
check(isSetUp(dbPath)) { "a set-up device" }
check(!isSetUp(File(dir, "elsewhere.db").path)) { "no store elsewhere" }
val resumed = Session.resume(dbPath, secrets, clock, null)
check(resumed.identity() == enrolled) { "resumed as ${resumed.identity()}, enrolled as $enrolled" }
check(resumed.sync().screen().summary == SyncSummary.ALL_SYNCED) { "resumed sync ${resumed.sync().screen()}" }
resumed.destroy()
val otherKeys = MapSecretStore()
otherKeys.put("safeshare.store.data-key", ByteArray(32) { 7 })
try {
    Session.resume(dbPath, otherKeys, clock, null)
    throw AssertionError("another key must not open the store")
} catch (e: SafeShareException.KeyMismatch) {
    // refused, nothing changed
}

dir.deleteRecursively()
println("kotlin sync: enrolled over HTTPS (pinned region CA), ${report.accepted} envelope(s) accepted, a sealed share acknowledged with its read-back by a second phone, status ${synced.summary}, resumed: ok")

fun expectUntrusted(code: String, make: () -> SyncServer) {
    try {
        make()
        throw AssertionError("expected UntrustedServer($code)")
    } catch (e: SafeShareException.UntrustedServer) {
        check(e.code == code) { "expected $code, got ${e.code}" }
    }
}
