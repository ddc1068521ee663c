// Issue 17's must-show, on a real JVM against the real library: a community midwife's whole
// home visit and a share's acknowledgement driven only through the view records and the
// actions they offer, between two real phones (their own encrypted stores, each enrolled with a
// one-time code) and the real regional server run-kotlin starts on 127.0.0.1 over TLS.
// Today's "Start home visit" -> the Visit screen (child added from its "Add a child" form's fields, person,
// category, severity and evidence chosen from the record's choices, prompts as typed, Save
// enabled only when complete) -> "Share this concern" -> the Share screen (team found for the
// postcode, severity, due time) -> Send; sync; the health visitor's Today and incoming screens
// show it, the read-back is typed until "Acknowledge" is enabled; sync; the midwife's Shares
// sent screen shows it with the read-back to confirm; End visit. A listener on each session
// must hear each step with its cause and screens. Real time throughout (the server refuses
// stale signatures), so times are checked as the records word them, never formatted here.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.util.Collections

class MapSecretStore : SecretStore {
    val secrets = HashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = secrets[name]
    override fun put(name: String, value: ByteArray) { secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}
class RealClock : Clock { override fun now(): Instant = Instant.now() }

/** A shell's listener: it notes what it was told (the shell would rebuild those screens). */
class Heard : ChangeListener {
    val events: MutableList<ChangeEvent> = Collections.synchronizedList(mutableListOf())
    override fun changed(event: ChangeEvent) { events.add(event) }
    fun take(): List<ChangeEvent> = synchronized(events) { events.toList().also { events.clear() } }
}

fun env(name: String): String = System.getenv(name) ?: throw AssertionError("run-kotlin sets $name")

val pulled = listOf(ScreenName.TODAY, ScreenName.INCOMING_SHARES, ScreenName.SHARES_SENT, ScreenName.REFERRALS, ScreenName.CONTACTS, ScreenName.SYNC, ScreenName.CHECKLISTS, ScreenName.MEETING_PACKS, ScreenName.SHARE)
val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val midwifery = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val healthVisitingNorth = "01M6A6FT00C9H0VZ4YE6QQ9FM9"
val clock = RealClock()
val dir = Files.createTempDirectory("safeshare-kotlin-visit-screens").toFile()
val server = SyncServer.withRegionCa(env("SAFESHARE_TEST_SERVER"), File(env("SAFESHARE_TEST_CA")).readText(), clock)

// --- two phones: the midwife's, then the health visitor's (enrolled and synced before the
// share is sealed, so the signed roster the midwife's phone pulls names her key) -------------
val midwife = Session.open(File(dir, "midwife.db").path, MapSecretStore(), clock,
    identityBeforeEnrolment("Mo Midwife", listOf(TeamMembership(midwifery, "Community midwifery"))).copy(practitioner = env("SAFESHARE_TEST_PRACTITIONER_6")), directory)
val hv = Session.open(File(dir, "hv.db").path, MapSecretStore(), clock,
    identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)"))).copy(practitioner = env("SAFESHARE_TEST_PRACTITIONER_7")), directory)
val heardByMidwife = Heard()
val heardByHv = Heard()
midwife.setChangeListener(heardByMidwife)
hv.setChangeListener(heardByHv)
midwife.sync().enrol(server, env("SAFESHARE_TEST_CODE_6"))
hv.sync().enrol(server, env("SAFESHARE_TEST_CODE_7"))
hv.sync().syncNow(server)
heardByMidwife.take()
check(heardByHv.take().all { it.cause == ChangeCause.SYNCED }) { "enrolment and a first sync are heard as syncs only" }

// --- Today: "Start home visit", as the shell does it --------------------------------------------
var today = midwife.todayScreen()
check(today.visits.isEmpty() && today.visitsEmpty == "No visits recorded for today.") { "no visits yet: ${today.visits}" }
val start = today.actions.first()
check(start.kind == TodayActionKind.StartVisit && start.label == "Start home visit" && start.enabled) { "start $start" }
check(today.startVisitAddress.label == "Address of the home") { "address field ${today.startVisitAddress}" }
// The address typed in the record's field goes to the call the action names.
val started = midwife.visits().startHomeVisit("3 Example Lane")
val household = started.household
val visitId = started.visit
today = midwife.todayScreen()
val todayVisit = today.visits.single()
check(todayVisit.visit == visitId && todayVisit.status == "In progress" && todayVisit.title == "Home visit: 3 Example Lane") { "today's visit $todayVisit" }
check(todayVisit.actions.any { it.kind == TodayActionKind.ContinueVisit(visitId, household) && it.enabled }) { "continue ${todayVisit.actions}" }

// --- the Visit screen: nobody yet; "Add a child" is what it offers ------------------------------
var draft = emptyCaptureDraft()
var screen = midwife.visits().screen(visitId, draft)
check(screen.title == "Home visit" && screen.status == "In progress" && screen.started.startsWith("Started ")) { "header ${screen.title} ${screen.status} ${screen.started}" }
check(screen.people.isEmpty() && screen.peopleEmpty != null) { "people ${screen.people}" }
fun action(s: VisitScreen, kind: (VisitActionKind) -> Boolean): VisitAction = s.actions.single { kind(it.kind) }
val addChild = action(screen) { it is VisitActionKind.AddChild }
check(addChild.enabled && addChild.label == "Add a child" && (addChild.kind as VisitActionKind.AddChild).household == household) { "add child $addChild" }
// Its form's fields are the record's: name and date of birth required, the NHS number not.
check(screen.addChild.map { it.detail to it.required } == listOf(ChildDetail.NAME to true, ChildDetail.DATE_OF_BIRTH to true, ChildDetail.NHS_NUMBER to false)) { "add child fields ${screen.addChild}" }
val typedChild = mapOf(ChildDetail.NAME to "Alex Example", ChildDetail.DATE_OF_BIRTH to "2024-05-10")
midwife.visits().addPerson((addChild.kind as VisitActionKind.AddChild).household, PersonRole.Child,
    PersonDetails(typedChild[ChildDetail.NAME], null, typedChild[ChildDetail.DATE_OF_BIRTH], typedChild[ChildDetail.NHS_NUMBER], null, null, null))
val startHeard = heardByMidwife.take()
check(startHeard == listOf(ChangeEvent(ChangeCause.VISIT_STARTED, listOf(ScreenName.TODAY, ScreenName.VISIT)))) { "starting a visit is heard (Today lists it), adding a person is not: $startHeard" }

// Choose the person the record now lists: Save still waits for the category.
screen = midwife.visits().screen(visitId, draft)
val alex = screen.people.single()
check(alex.label.startsWith("Alex Example") && !alex.selected) { "person $alex" }
draft = draft.copy(about = alex.person)
screen = midwife.visits().screen(visitId, draft)
check(screen.people.single().selected && screen.child?.startsWith("Alex Example") == true) { "chosen ${screen.people} ${screen.child}" }
var save = action(screen) { it == VisitActionKind.Save }
check(!save.enabled && save.detail == "Choose what kind of concern this is.") { "save $save" }
check(screen.categories.none { it.selected } && screen.severities.none { it.selected }) { "nothing chosen yet" }

// Category from the record's list, then Save waits for how serious.
val medication = screen.categories.single { it.category == ConcernCategory.Medication }
draft = draft.copy(category = medication.category)
screen = midwife.visits().screen(visitId, draft)
check(screen.categories.single { it.selected }.category == ConcernCategory.Medication) { "category ${screen.categories.filter { it.selected }}" }
save = action(screen) { it == VisitActionKind.Save }
check(!save.enabled && save.detail == "Choose how serious it is.") { "save $save" }
val concern = screen.severities.single { it.severity == Severity.CONCERN }
draft = draft.copy(severity = concern.severity)
val observed = screen.evidence.single { it.evidence == Evidence.ObservedFact }
check(observed.label == "I saw or heard it") { "evidence ${observed.label}" }
draft = draft.copy(evidence = observed.evidence)

// Typing: a stock phrase raises the prompt as typed; nothing typed, Save is refused.
screen = midwife.visits().screen(visitId, draft)
check(screen.severities.single { it.selected }.severity == Severity.CONCERN && screen.evidence.single { it.selected }.evidence == Evidence.ObservedFact) { "choices" }
save = action(screen) { it == VisitActionKind.Save }
check(!save.enabled && screen.prompts.isEmpty()) { "blank text: $save ${screen.prompts}" }
draft = draft.copy(text = "all fine")
screen = midwife.visits().screen(visitId, draft)
val prompt = screen.prompts.single()
check(prompt.kind == CaptureWarningKind.NOT_SPECIFIC && prompt.stockPhrases == listOf("all fine")) { "prompt $prompt" }
check(prompt.prompt == "\"all fine\" does not say what you saw or heard. What did you actually see?") { "prompt words ${prompt.prompt}" }
draft = draft.copy(text = "Inhaler out of date (expired August); mother says the repeat prescription lapsed")
screen = midwife.visits().screen(visitId, draft)
check(screen.prompts.isEmpty() && screen.text.value == draft.text) { "specific text: ${screen.prompts}" }
save = action(screen) { it == VisitActionKind.Save }
check(save.enabled && save.label == "Save observation") { "save $save" }
var share = action(screen) { it is VisitActionKind.ShareConcern }
check(!share.enabled && share.detail == "Save what you saw first, then share it with a team.") { "share before save $share" }

// Save, through the call the action names, with the draft's values.
val captured = midwife.visits().captureObservation(NewObservationInput(draft.about!!, visitId, draft.category!!, draft.severity!!, draft.evidence, draft.text, null, null, null))
var heard = heardByMidwife.take()
check(heard == listOf(ChangeEvent(ChangeCause.CAPTURE_STORED, listOf(ScreenName.TODAY, ScreenName.VISIT, ScreenName.CHECKLISTS)))) { "save heard $heard" }
draft = emptyCaptureDraft().copy(about = alex.person)
screen = midwife.visits().screen(visitId, draft)
check(screen.recorded.size == 1 && screen.recorded.single().about == alex.person) { "recorded ${screen.recorded}" }
check(screen.categories.none { it.selected } && screen.text.value == "") { "a fresh draft after Save" }

// --- "Share this concern" -> the Share screen ---------------------------------------------------
share = action(screen) { it is VisitActionKind.ShareConcern }
val concernKind = share.kind as VisitActionKind.ShareConcern
check(share.enabled && concernKind.observations == listOf(captured.observation.record.id) && concernKind.voiceNotes.isEmpty()) { "share concern $share" }
var shareDraft = ShareDraft(concernKind.about!!, concernKind.observations, concernKind.voiceNotes, "LS6 1AA", null, null, "")
var shareScreen = midwife.shares().shareScreen(shareDraft)
check(shareScreen.carrying.size == 1 && shareScreen.foundHeading == "Teams covering LS6") { "share screen ${shareScreen.carrying} ${shareScreen.foundHeading}" }
var send = shareScreen.actions.first()
check(!send.enabled && send.detail == "Choose the team to share with.") { "send $send" }
val north = shareScreen.found.first()
check(north.team == healthVisitingNorth && !north.chosen) { "found ${shareScreen.found}" }
val choose = north.actions.single { it.kind is ShareActionKind.ChooseTeam }
shareDraft = shareDraft.copy(team = (choose.kind as ShareActionKind.ChooseTeam).team)
shareScreen = midwife.shares().shareScreen(shareDraft)
// The severity carried is the floor: chosen already, lower ones refused; its due time shown.
val carried = shareScreen.severities.single { it.selected }
check(carried.severity == Severity.CONCERN && carried.due.startsWith("To be acknowledged by ")) { "severity $carried" }
check(!shareScreen.severities.single { it.severity == Severity.LOW_LEVEL_CONCERN }.enabled) { "below the carried severity is refused" }
send = shareScreen.actions.first()
check(!send.enabled && send.detail == "Say why you are sharing and what you ask of the team.") { "send without message $send" }
shareDraft = shareDraft.copy(message = "Please check the repeat prescription at your next contact")
shareScreen = midwife.shares().shareScreen(shareDraft)
send = shareScreen.actions.first()
val sendKind = send.kind as ShareActionKind.Send
check(send.enabled && send.label.startsWith("Send to ") && sendKind.team == healthVisitingNorth && sendKind.severity == Severity.CONCERN) { "send $send" }
val receipt = midwife.shares().shareWithTeam(shareDraft.about, shareDraft.observations, shareDraft.voiceNotes,
    ShareRequest(sendKind.team!!, shareDraft.message, sendKind.severity))
heard = heardByMidwife.take()
check(heard == listOf(ChangeEvent(ChangeCause.CAPTURE_STORED, listOf(ScreenName.TODAY, ScreenName.VISIT, ScreenName.SHARES_SENT, ScreenName.SYNC, ScreenName.SHARE)))) { "send heard $heard" }
var sent = midwife.shares().sentScreen().rows.single()
check(sent.share == receipt.share && sent.readBacks.isEmpty()) { "sent $sent" }

// --- sync: the health visitor's phone pulls it --------------------------------------------------
midwife.sync().syncNow(server)
heard = heardByMidwife.take()
check(heard.isNotEmpty() && heard.all { it.cause == ChangeCause.SYNCED && ScreenName.SYNC in it.screens }) { "push heard $heard" }
hv.sync().syncNow(server)
heard = heardByHv.take()
check(heard == listOf(ChangeEvent(ChangeCause.SYNCED, pulled))) { "arrival heard $heard" }
today = hv.todayScreen()
val toAcknowledge = today.attention.single { item -> item.actions.any { it.kind == TodayActionKind.AcknowledgeShare(receipt.share) } }
check(toAcknowledge.actions.single { it.kind == TodayActionKind.AcknowledgeShare(receipt.share) }.label == "Read and acknowledge") { "today $toAcknowledge" }
val incomingRow = hv.shares().incomingScreen().rows.single()
check(incomingRow.share == receipt.share && incomingRow.actions.isNotEmpty()) { "incoming $incomingRow" }

// --- the read-back typed until "Acknowledge" is enabled -----------------------------------------
var readBack = ReadBack("", "", "")
var opened = hv.shares().incomingShareScreen(receipt.share, readBack)
check(opened.title == "Share from Mo Midwife" && opened.readBack.all { it.missing }) { "opened ${opened.title} ${opened.readBack}" }
check(opened.message == "Please check the repeat prescription at your next contact") { "message ${opened.message}" }
check(!opened.actions.single().enabled) { "acknowledge waits for the read-back" }
readBack = readBack.copy(who = "Alex, 2")
opened = hv.shares().incomingShareScreen(receipt.share, readBack)
check(!opened.readBack[0].missing && opened.readBack.drop(1).all { it.missing } && !opened.actions.single().enabled) { "partial ${opened.readBack}" }
readBack = readBack.copy(risk = "Inhaler expired; repeat prescription lapsed", nextAction = "Health visitor checks the prescription at the next contact")
opened = hv.shares().incomingShareScreen(receipt.share, readBack)
val acknowledge = opened.actions.single()
check(acknowledge.enabled && acknowledge.kind == IncomingActionKind.Acknowledge(receipt.share)) { "acknowledge $acknowledge" }
hv.shares().acknowledgeShare((acknowledge.kind as IncomingActionKind.Acknowledge).share, readBack)
heard = heardByHv.take()
check(heard == listOf(ChangeEvent(ChangeCause.ACKNOWLEDGEMENT_RECORDED, listOf(ScreenName.TODAY, ScreenName.INCOMING_SHARES, ScreenName.SYNC)))) { "acknowledgement heard $heard" }
check(hv.todayScreen().attention.none { item -> item.actions.any { it.kind == TodayActionKind.AcknowledgeShare(receipt.share) } }) { "acknowledged: off Today" }

// --- sync: back on the midwife's phone, the read-back to confirm --------------------------------
hv.sync().syncNow(server)
heard = heardByHv.take()
check(heard.isNotEmpty() && heard.all { it.cause == ChangeCause.SYNCED && ScreenName.SYNC in it.screens }) { "push heard $heard" }
midwife.sync().syncNow(server)
heard = heardByMidwife.take()
check(heard == listOf(ChangeEvent(ChangeCause.SYNCED, pulled))) { "acknowledgement arrival heard $heard" }
sent = midwife.shares().sentScreen().rows.single()
check(sent.tone == Tone.ACTION_NEEDED && sent.readBacks.single().contains("Inhaler expired; repeat prescription lapsed")) { "sent $sent" }
val confirm = sent.actions.first()
check(confirm.kind == SentShareActionKind.ConfirmReadBack(receipt.share) && confirm.label == "Read-back is right" && confirm.enabled) { "confirm $confirm" }
midwife.shares().checkReadBack((confirm.kind as SentShareActionKind.ConfirmReadBack).share, ReadBackVerdict.Confirmed)
heard = heardByMidwife.take()
check(heard == listOf(ChangeEvent(ChangeCause.READ_BACK_CHECKED, listOf(ScreenName.TODAY, ScreenName.SHARES_SENT)))) { "confirmation heard $heard" }
sent = midwife.shares().sentScreen().rows.single()
check(sent.tone == Tone.DONE && sent.status == "Acknowledged and understood." && sent.actions.isEmpty()) { "closed $sent" }

// --- End visit, from the Visit screen's action -------------------------------------------------
screen = midwife.visits().screen(visitId, draft)
val end = action(screen) { it is VisitActionKind.EndVisit }
check(end.enabled && end.label == "End visit") { "end $end" }
midwife.visits().endVisit((end.kind as VisitActionKind.EndVisit).visit, null)
heard = heardByMidwife.take()
check(heard == listOf(ChangeEvent(ChangeCause.VISIT_ENDED, listOf(ScreenName.TODAY, ScreenName.VISIT)))) { "end heard $heard" }
screen = midwife.visits().screen(visitId, draft)
check(screen.status.startsWith("Ended ") && !action(screen) { it is VisitActionKind.EndVisit }.enabled) { "ended ${screen.status}" }

midwife.setChangeListener(null)
hv.setChangeListener(null)
midwife.destroy()
hv.destroy()
dir.deleteRecursively()
println("visit_screens.kts: a whole visit, its share and the acknowledgement driven through view records between two enrolled phones and the server, each step heard by the listeners")
