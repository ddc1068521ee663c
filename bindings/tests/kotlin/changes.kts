// Change notification across the boundary (issue 17 item 4), on a real JVM against the real
// library: a Kotlin listener hears a visit's capture (and rebuilds Today from inside the event,
// as a shell does), the midwife's phone hears the share arrive, her acknowledgement through
// the view records is heard on her phone and goes back, the sender hears it arrive, and a
// deadline passing is heard at the instant checkDeadlines named. A listener that throws
// leaves the capture stored and the session working. No polling: every redraw below is
// driven by an event.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.util.Collections

class KotlinSecretStore : SecretStore {
    val secrets = HashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = secrets[name]
    override fun put(name: String, value: ByteArray) { secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}

class KotlinClock(var at: Instant) : Clock {
    override fun now(): Instant = at
}

/** What a shell's listener does: note the event and rebuild Today right away. */
class Redrawing(val session: () -> Session) : ChangeListener {
    val events: MutableList<ChangeEvent> = Collections.synchronizedList(mutableListOf())
    val attentionRows: MutableList<Int> = Collections.synchronizedList(mutableListOf())
    override fun changed(event: ChangeEvent) {
        events.add(event)
        if (ScreenName.TODAY in event.screens) attentionRows.add(session().todayScreen().attention.size)
    }
    fun take(): List<ChangeEvent> = synchronized(events) { events.toList().also { events.clear() } }
}

class Throwing : ChangeListener {
    var calls = 0
    override fun changed(event: ChangeEvent) {
        calls += 1
        throw IllegalStateException("a shell bug in the listener")
    }
}

val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val healthVisitingNorth = "01M6A6FT00C9H0VZ4YE6QQ9FM9"
val midwifery = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val dir = Files.createTempDirectory("safeshare-kotlin-changes").toFile()

// Friday 27 November 2026, 15:00 in London (GMT).
val clock = KotlinClock(Instant.parse("2026-11-27T15:00:00Z"))
val hv = Session.open(File(dir, "hv.db").path, KotlinSecretStore(), clock,
    identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)"))), directory)
val midwife = Session.open(File(dir, "midwife.db").path, KotlinSecretStore(), clock,
    identityBeforeEnrolment("Mo Midwife", listOf(TeamMembership(midwifery, "Community midwifery"))), directory)
val hvListener = Redrawing { hv }
val midwifeListener = Redrawing { midwife }
hv.setChangeListener(hvListener)
midwife.setChangeListener(midwifeListener)
val first = hv.checkDeadlines()
check(!first.changed) { "the first check only takes note" }

// --- a visit: the capture and its share are heard, with the screens they changed -------------
val household = hv.visits().addHousehold("1 Example Street, LS6")
val child = hv.visits().addPerson(household, PersonRole.Child, PersonDetails(name = "Alex Example", knownAs = null, dateOfBirth = "2024-05-10", nhsNumber = null, phone = null, address = null, parentalResponsibility = null))
val visit = hv.visits().startVisit(household, Place(PlaceKind.Home, null), emptyList(), null)
val startHeard = hvListener.take()
check(startHeard == listOf(ChangeEvent(ChangeCause.VISIT_STARTED, listOf(ScreenName.TODAY, ScreenName.VISIT)))) { "visit start heard $startHeard" }
val seen = hv.visits().captureObservation(NewObservationInput(child.id, visit.id, ConcernCategory.Medication, Severity.CONCERN, Evidence.ObservedFact,
    "Inhaler out of date (expired August); mother says the repeat prescription lapsed", null, Place(PlaceKind.Home, null),
    ShareRequest(midwifery, "Please check the repeat prescription at the next contact", null)))
val share = seen.share ?: throw AssertionError("a share was asked for")
var events = hvListener.take()
check(events == listOf(ChangeEvent(ChangeCause.CAPTURE_STORED, listOf(ScreenName.TODAY, ScreenName.VISIT, ScreenName.SHARES_SENT, ScreenName.SYNC, ScreenName.CHECKLISTS, ScreenName.SHARE)))) { "capture events $events" }
// Rebuilt inside the visit start's event and the capture's: nothing needs attention yet.
check(hvListener.attentionRows == listOf(0, 0)) { "Today rebuilt inside the event: ${hvListener.attentionRows}" }

// --- a deadline: due Monday 11:00, so "due soon" from 09:00; heard at the instant named --------
var next = first.nextCheckAt
var checks = 0
val midnights = listOf("2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z", "2026-11-30T00:00:00Z").map { Instant.parse(it) }
while (next < Instant.parse("2026-11-30T09:00:00Z")) {
    clock.at = next
    val check = hv.checkDeadlines()
    // A new London day is told (supervision and meeting dates are worded relative to today);
    // nothing else changes before 09:00.
    check(check.changed == (next in midnights)) { "changed ${check.changed} at $next" }
    next = check.nextCheckAt
    checks += 1
}
check(next == Instant.parse("2026-11-30T09:00:00Z")) { "the window opens at 09:00, not $next" }
events = hvListener.take()
check(events.size == 3 && events.all { it.cause == ChangeCause.DEADLINE_PASSED && ScreenName.SUPERVISION in it.screens }) { "new-day events $events" }
clock.at = next
check(hv.checkDeadlines().changed)
events = hvListener.take()
check(events.single().cause == ChangeCause.DEADLINE_PASSED && ScreenName.TODAY in events.single().screens) { "deadline events $events" }
check(hvListener.attentionRows.last() == 1) { "the share is due soon on Today: ${hvListener.attentionRows}" }

// --- the midwife's phone: the share arrives (heard), acknowledged through the view records ----
SessionTools(hv).pendingEnvelopes().forEach { SessionTools(midwife).applyInbound(it) }
events = midwifeListener.take()
check(events.isNotEmpty() && events.all { it.cause == ChangeCause.SYNCED && ScreenName.INCOMING_SHARES in it.screens }) { "arrival events $events" }
val incoming = midwife.shares().incomingScreen().rows.single()
check(incoming.share == share.share) { "incoming $incoming" }
val readBack = ReadBack("Alex, 2, at 1 Example Street", "Asthma inhaler expired; prescription lapsed", "Midwife to check the prescription at Thursday's visit")
val acknowledge = midwife.shares().incomingShareScreen(share.share, readBack).actions.single()
check(acknowledge.enabled && acknowledge.kind == IncomingActionKind.Acknowledge(share.share)) { "acknowledge $acknowledge" }
midwife.shares().acknowledgeShare(share.share, readBack)
events = midwifeListener.take()
check(events.map { it.cause } == listOf(ChangeCause.ACKNOWLEDGEMENT_RECORDED) && ScreenName.INCOMING_SHARES in events.single().screens) { "acknowledgement events $events" }

// --- back on the sender's phone: the acknowledgement is heard and Today is rebuilt -----------
SessionTools(midwife).pendingEnvelopes().forEach { SessionTools(hv).applyInbound(it) }
events = hvListener.take()
check(events.isNotEmpty() && events.all { it.cause == ChangeCause.SYNCED && ScreenName.SHARES_SENT in it.screens }) { "ack events $events" }
val sent = hv.shares().sentScreen().rows.single()
check(sent.actions.first().kind == SentShareActionKind.ConfirmReadBack(share.share)) { "sent $sent" }

// --- a listener that throws: the capture is stored, the session carries on -------------------
val throwing = Throwing()
hv.setChangeListener(throwing)
val stored = hv.visits().captureObservation(NewObservationInput(child.id, visit.id, ConcernCategory.Medication, Severity.LOW_LEVEL_CONCERN, Evidence.ObservedFact,
    "Spacer device missing", null, Place(PlaceKind.Home, null), null))
check(throwing.calls == 1) { "the throwing listener was called once, not ${throwing.calls}" }
check(hv.chronologyScreen(child.id).rows.any { row -> row.actions.any { it.kind == ChronologyActionKind.OpenObservation(stored.observation.record.id) } }) { "the capture was stored" }
hv.setChangeListener(hvListener)
hv.visits().captureObservation(NewObservationInput(child.id, visit.id, ConcernCategory.Medication, Severity.LOW_LEVEL_CONCERN, Evidence.ObservedFact,
    "Inhaler replaced today", null, Place(PlaceKind.Home, null), null))
check(hvListener.take().single().cause == ChangeCause.CAPTURE_STORED)
hv.setChangeListener(null)

println("changes.kts: capture, arrival, acknowledgement and a deadline heard by listeners ($checks timed checks); a throwing listener contained")
