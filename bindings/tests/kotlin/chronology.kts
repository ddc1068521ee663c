// The Chronology screen and "Start home visit" from Kotlin, against the real library through
// the generated bindings (issue 17's remainder): a home visit started with its address (Today
// names the visit by it), observations captured either side of the autumn clock change (Sunday
// 31 October 2027) and one amended, then the child's chronology read as the shells read it:
// entries in order with core's London times, who recorded each, the amendment marked, and the
// ways into patterns, meeting packs and the team. Dismissing a pattern alert is heard by Today.
// Every check reads a record's field: no time is formatted here.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.nio.file.Files
import java.time.Instant

class KotlinSecretStore : SecretStore {
    val secrets = HashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = secrets[name]
    override fun put(name: String, value: ByteArray) { secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}

class KotlinClock(var at: Instant) : Clock {
    override fun now(): Instant = at
}

class Heard : ChangeListener {
    val events = java.util.Collections.synchronizedList(ArrayList<ChangeEvent>())
    override fun changed(event: ChangeEvent) { events.add(event) }
    fun take(): List<ChangeEvent> = synchronized(events) { val copy = events.toList(); events.clear(); copy }
}

val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val midwifery = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val dir = Files.createTempDirectory("safeshare-kotlin-chronology").toFile()

// Saturday 30 October 2027, 23:30 UTC: BST runs until 01:00 UTC on the 31st, so this is 00:30
// on Sunday 31 October in London, the night the clocks go back.
val clock = KotlinClock(Instant.parse("2027-10-30T23:30:00Z"))
val midwife = Session.open(File(dir, "midwife.db").path, KotlinSecretStore(), clock,
    identityBeforeEnrolment("Mina Wife", listOf(TeamMembership(midwifery, "Community midwifery"))), directory)
val heard = Heard()
midwife.setChangeListener(heard)

// --- "Start home visit" takes the address --------------------------------------------------
var today = midwife.todayScreen()
val start = today.actions.first()
check(start.kind == TodayActionKind.StartVisit && start.label == "Start home visit") { "start $start" }
check(today.actions.any { it.kind == TodayActionKind.OpenSupervision && it.label == "Supervision" }) { "supervision ${today.actions}" }
check(today.startVisitAddress.label == "Address of the home") { "field ${today.startVisitAddress}" }
// The shell's tap: what was typed in the record's field goes to the call the action names.
val started = midwife.visits().startHomeVisit("  2 Example Road, LS6 ")
today = midwife.todayScreen()
val visit = today.visits.single()
check(visit.visit == started.visit && visit.household == started.household) { "visit $visit" }
check(visit.title == "Home visit: 2 Example Road, LS6" && visit.time == "00:30" && visit.status == "In progress") { "visit row $visit" }

val child = midwife.visits().addPerson(started.household, PersonRole.Child, PersonDetails(name = "Robin Example", knownAs = null,
    dateOfBirth = "2027-10-01", nhsNumber = null, phone = null, address = null, parentalResponsibility = null))

// 00:40 UTC = 01:40 BST; 01:40 UTC = 01:40 GMT, the same wall-clock time an hour later.
fun observe(at: String, words: String, severity: Severity = Severity.CONCERN) =
    midwife.visits().captureObservation(NewObservationInput(child.id, started.visit, ConcernCategory.Medication, severity,
        Evidence.ObservedFact, words, Instant.parse(at), null, null)).observation.record.id
clock.at = Instant.parse("2027-10-31T02:00:00Z")
val bst = observe("2027-10-31T00:40:00Z", "Inhaler on the windowsill in the sun")
val gmt = observe("2027-10-31T01:40:00Z", "Spacer missing; mother unsure where")
midwife.casework().amendObservation(bst, ObservationCorrection(ConcernCategory.Medication, Severity.CONCERN, Evidence.ObservedFact,
    "Inhaler on the kitchen windowsill in the sun", Instant.parse("2027-10-31T00:40:00Z"), null), "Which windowsill")

// --- the chronology, as the shells read it ---------------------------------------------------
val screen = midwife.chronologyScreen(child.id)
check(screen.child == child.id && screen.title == "Chronology: Robin Example") { "title ${screen.title}" }
check(screen.actions.map { it.kind } == listOf(ChronologyActionKind.OpenPatternAlerts(child.id),
    ChronologyActionKind.OpenMeetingPacks(child.id), ChronologyActionKind.OpenTeam(child.id))) { "actions ${screen.actions}" }
check(screen.rows.map { it.`when` } == listOf("today 01:40 BST", "today 01:40 GMT")) { "times ${screen.rows.map { it.`when` }}" }
check(screen.rows.all { it.heading == "Observation · Medication · Concern" && it.recordedBy == "Recorded by Mina Wife" }) { "rows ${screen.rows}" }
check(screen.rows[0].summary == "Inhaler on the kitchen windowsill in the sun") { "amended text ${screen.rows[0]}" }
check(screen.rows[0].amended == "Amended: this is version 2. Reason: Which windowsill" && screen.rows[1].amended == null) { "amended ${screen.rows}" }
check(screen.rows[0].actions.single().kind == ChronologyActionKind.OpenObservation(bst) &&
    screen.rows[1].actions.single().kind == ChronologyActionKind.OpenObservation(gmt)) { "open history ${screen.rows}" }
// Where OpenObservation leads.
check(midwife.casework().observationHistoryScreen(bst).status == "Version 2 of 2")

// --- a pattern dismissed is heard by Today and the child's screens ---------------------------
observe("2027-10-31T01:50:00Z", "Repeat prescription two weeks late", Severity.LOW_LEVEL_CONCERN)
observe("2027-10-31T01:51:00Z", "Inhaler left in the car", Severity.LOW_LEVEL_CONCERN)
observe("2027-10-31T01:52:00Z", "Spacer cracked", Severity.LOW_LEVEL_CONCERN)
val alert = midwife.casework().patternAlertsScreen(child.id).rows.first()
heard.take()
midwife.casework().dismissAlert(alert.key, "Storage agreed with mother; seen in a cupboard")
val events = heard.take()
check(events == listOf(ChangeEvent(ChangeCause.ALERT_DISMISSED, listOf(ScreenName.TODAY, ScreenName.VISIT)))) { "dismissal heard $events" }
println("chronology.kts: passed")
