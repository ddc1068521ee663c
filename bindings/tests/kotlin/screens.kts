// The screens' view records driven from Kotlin against the real library (issue 17 item 1): a
// health visitor's Today screen before and after her share falls due (the call action's kind
// names the team and share, and the shell's tap is `startCall` with them), the midwife's
// incoming share with "Acknowledge" enabled only for a complete read-back, the sender's
// read-back confirmed from the action the screen offers, and the Sync, Referrals and Contacts
// screens' words. Everything the test checks is a record's field: no time is formatted here.
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

val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val healthVisitingNorth = "01M6A6FT00C9H0VZ4YE6QQ9FM9"
val midwifery = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val dir = Files.createTempDirectory("safeshare-kotlin-screens").toFile()

// Friday 27 November 2026, 15:00 in London (GMT).
val clock = KotlinClock(Instant.parse("2026-11-27T15:00:00Z"))
val hv = Session.open(File(dir, "hv.db").path, KotlinSecretStore(), clock,
    identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)"))), directory)
val midwife = Session.open(File(dir, "midwife.db").path, KotlinSecretStore(), clock,
    identityBeforeEnrolment("Mo Midwife", listOf(TeamMembership(midwifery, "Community midwifery"))), directory)

// --- Today, empty: one action, starting a visit ----------------------------------------------
var today = hv.todayScreen()
check(today.title == "Today" && today.date == "Friday 27 November 2026") { "today ${today.title} ${today.date}" }
check(today.attention.isEmpty() && today.attentionEmpty == "Nothing is due.") { "attention ${today.attention}" }
check(today.actions.single().kind == TodayActionKind.StartVisit && today.actions.single().enabled)

// The shell's "Start home visit": what the action names.
val household = hv.visits().addHousehold("1 Example Street, LS6")
val child = hv.visits().addPerson(household, PersonRole.Child, PersonDetails(name = "Alex Example", knownAs = null, dateOfBirth = "2024-05-10", nhsNumber = "943 476 5919", phone = null, address = null, parentalResponsibility = null))
val visit = hv.visits().startVisit(household, Place(PlaceKind.Home, null), emptyList(), null)
val seen = hv.visits().captureObservation(NewObservationInput(child.id, visit.id, ConcernCategory.Medication, Severity.CONCERN, Evidence.ObservedFact,
    "Inhaler out of date (expired August); mother says the repeat prescription lapsed", null, Place(PlaceKind.Home, null),
    ShareRequest(midwifery, "Please check the repeat prescription at the next contact", null)))
val share = seen.share ?: throw AssertionError("a share was asked for")

today = hv.todayScreen()
val row = today.visits.single()
check(row.visit == visit.id && row.time == "15:00" && row.title == "Home visit: 1 Example Street, LS6" && row.status == "In progress") { "visit row $row" }
check(row.actions.map { it.kind } == listOf(TodayActionKind.ContinueVisit(visit.id, household), TodayActionKind.EndVisit(visit.id))) { "visit actions ${row.actions}" }
var sent = hv.shares().sentScreen().rows.single()
check(sent.status == "Awaiting acknowledgement, due Mon 30 Nov 11:00") { "sent ${sent.status}" }
check(sent.actions.isEmpty()) { "nothing to do while in time: ${sent.actions}" }

// --- Monday 11:30: overdue; the call action names the team and the share ----------------------
clock.at = Instant.parse("2026-11-30T11:30:00Z")
today = hv.todayScreen()
val item = today.attention.first()
check(item.tone == Tone.OVERDUE && item.headline == "Overdue" && item.`when` == "Was due today 11:00") { "item $item" }
val call = item.actions.first()
check(call.kind == TodayActionKind.Call(midwifery, share.share, null)) { "call ${call.kind}" }
check(call.enabled && call.label == "Call Fictional Northshire community midwifery (in hours)") { "call ${call.label}" }
// The shell's tap: start the call the action names; core logs it and gives the number.
val kind = call.kind as TodayActionKind.Call
val started = hv.contacts().startCall(kind.team, kind.regardingShare, kind.about)
check(started.target.telUri == "tel:+441134960101") { "dial ${started.target.telUri}" }

// --- the midwife's phone: the share to her team, acknowledged with a read-back ----------------
SessionTools(hv).pendingEnvelopes().forEach { SessionTools(midwife).applyInbound(it) }
val incoming = midwife.shares().incomingScreen().rows.single()
check(incoming.share == share.share && incoming.tone == Tone.OVERDUE) { "incoming $incoming" }
check(incoming.status == "Not acknowledged: it was due today 11:00. Acknowledge it now.") { "incoming ${incoming.status}" }
val blank = ReadBack("", "", "")
var opened = midwife.shares().incomingShareScreen(share.share, blank)
check(opened.title == "Share from Hana Visitor" && opened.readBack.all { it.missing }) { "opened $opened" }
check(opened.readBack.map { it.label } == listOf("Who is it about?", "What is the risk?", "What happens next?"))
check(!opened.actions.single().enabled) { "acknowledge must wait for a complete read-back" }
val readBack = ReadBack("Alex, 2, at 1 Example Street", "Asthma inhaler expired; prescription lapsed", "Midwife to check the prescription at Thursday's visit")
opened = midwife.shares().incomingShareScreen(share.share, readBack)
val acknowledge = opened.actions.single()
check(acknowledge.enabled && acknowledge.kind == IncomingActionKind.Acknowledge(share.share)) { "acknowledge $acknowledge" }
midwife.shares().acknowledgeShare(share.share, readBack)
check(!midwife.shares().incomingShareScreen(share.share, readBack).actions.single().enabled) { "acknowledged once" }

// --- back on the sender's phone: the read-back to confirm, as the screen offers it ------------
SessionTools(midwife).pendingEnvelopes().forEach { SessionTools(hv).applyInbound(it) }
sent = hv.shares().sentScreen().rows.single()
check(sent.tone == Tone.ACTION_NEEDED && sent.readBacks.single().contains("Asthma inhaler expired")) { "sent $sent" }
val confirm = sent.actions.first()
check(confirm.kind == SentShareActionKind.ConfirmReadBack(share.share) && confirm.label == "Read-back is right") { "confirm $confirm" }
hv.shares().checkReadBack(share.share, ReadBackVerdict.Confirmed)
sent = hv.shares().sentScreen().rows.single()
check(sent.tone == Tone.DONE && sent.status == "Acknowledged and understood." && sent.actions.isEmpty()) { "closed $sent" }
check(hv.todayScreen().attention.none { it.actions.any { a -> a.kind == TodayActionKind.OpenSentShare(share.share) } }) { "nothing left about the share" }

// --- Sync, Referrals, Contacts -------------------------------------------------------------------
val sync = hv.sync().screen()
check(sync.summary == SyncSummary.NOT_ENROLLED && sync.actions.first().kind == SyncActionKind.SendNow && !sync.actions.first().enabled) { "sync $sync" }
check(hv.referrals().screen().empty == "No referrals recorded on this phone.")
val contacts = hv.contacts().screen("community midwifery")
check(contacts.warning == "SAMPLE DIRECTORY: fictional numbers, not for real calls") { "warning ${contacts.warning}" }
val team = contacts.rows.single()
check(team.openNow && team.openWords == "Open now" && team.actions.single().kind == ContactsActionKind.Call(midwifery)) { "contacts $team" }

println("screens.kts: Today, shares sent and to my team, sync, referrals and contacts driven from view records")

