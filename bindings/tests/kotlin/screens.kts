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

// --- Today, empty: starting a visit, and Supervision ----------------------------------------------
var today = hv.todayScreen()
check(today.title == "Today" && today.date == "Friday 27 November 2026") { "today ${today.title} ${today.date}" }
check(today.attention.isEmpty() && today.attentionEmpty == "Nothing is due.") { "attention ${today.attention}" }
check(today.actions.map { it.kind } == listOf(TodayActionKind.StartVisit, TodayActionKind.OpenSupervision) && today.actions.all { it.enabled }) { "today actions ${today.actions}" }

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

// --- Set up, Visit and capture, Share (issue 17 item 1, the rest) -----------------------------
// Before a session: every team chosen is listed; "Set up" waits for the name.
var setUp = setUpScreen(directory, SetUpDraft("", "health visiting", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)")), ""), "https://safeshare.example", null)
check(setUp.stage == SetUpStage.NOT_SET_UP && setUp.teams.single().team == healthVisitingNorth) { "set up $setUp" }
check(setUp.found.none { it.team == healthVisitingNorth } && setUp.found.isNotEmpty()) { "found ${setUp.found}" }
check(!setUp.actions.first().enabled && setUp.actions.first().detail == "Type your name.") { "set up action ${setUp.actions.first()}" }
// A key mismatch at launch is the one recovery, the same words on both shells.
setUp = setUpScreen(null, SetUpDraft("", "", emptyList(), ""), "https://safeshare.example", SafeShareException.KeyMismatch("the device key does not open this store"))
check(setUp.stage == SetUpStage.CANNOT_OPEN && setUp.recovery?.title == "The records on this phone cannot be opened") { "recovery ${setUp.recovery}" }
check(setUp.recovery!!.actions.single().kind == SetUpActionKind.TryAgain) { "try again ${setUp.recovery}" }
// After set-up: the store's identity, and Enrol once a code is typed.
setUp = hv.sync().setUpScreen(SetUpDraft("", "", emptyList(), "ABCD-EFGH"), "https://safeshare.example")
check(setUp.stage == SetUpStage.NOT_ENROLLED && setUp.name.value == "Hana Visitor" && setUp.actions.single().enabled) { "enrol $setUp" }

// The visit still in progress since Friday: its header in London time, every category, and
// "Share this concern" naming what was recorded about the child on it.
val capture = hv.visits().screen(visit.id, emptyCaptureDraft().copy(about = child.id))
check(capture.started == "Started Fri 27 Nov 15:00" && capture.status == "In progress") { "visit ${capture.started} ${capture.status}" }
check(capture.categories.size == 14 && capture.categories.none { it.selected }) { "categories ${capture.categories}" }
check(!capture.actions.first().enabled && capture.actions.first().detail == "Choose what kind of concern this is.") { "save ${capture.actions.first()}" }
val shareConcern = capture.actions.first { it.kind is VisitActionKind.ShareConcern }
check(shareConcern.enabled && (shareConcern.kind as VisitActionKind.ShareConcern).observations == listOf(seen.observation.record.id)) { "share concern $shareConcern" }

// The Share screen for it: teams covering the postcode, each severity's due time from the rule.
val shareScreen = hv.shares().shareScreen(ShareDraft(child.id, listOf(seen.observation.record.id), emptyList(), "LS6 1AA", null, null, ""))
check(shareScreen.foundHeading == "Teams covering LS6" && shareScreen.found.first().team == healthVisitingNorth) { "found ${shareScreen.found}" }
check(!shareScreen.severities[0].enabled && shareScreen.severities[1].selected) { "severities ${shareScreen.severities}" }
check(shareScreen.severities[1].due == "To be acknowledged by today 15:30") { "due ${shareScreen.severities[1].due}" }
check(!shareScreen.actions.first().enabled && shareScreen.actions.first().detail == "Choose the team to share with.") { "send ${shareScreen.actions.first()}" }

println("screens.kts: Today, shares sent and to my team, sync, referrals, contacts, set up, visit and capture, and share driven from view records")

