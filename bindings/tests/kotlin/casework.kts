// The whole surface reachable from Kotlin (issue 17 item 3), against the real library through
// the generated bindings: checklist contact items closed from the team around the child and from
// the picker (a team with no out-of-hours route shown disabled), an observation amended and its
// history read back, a pattern alert dismissed with a reason, a call's outcome recorded and seen
// in the child's chronology, a Child Protection Conference pack with what is missing, supervision recorded
// clearing the oversight prompt and its agreed action marked done, and after the meeting what
// was shared and a challenge to the minutes. Times cross the autumn clock change (Sunday 31
// October 2027). Every check reads a record's field: no time is formatted here.
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
val schoolNursing = "01M6A6FT00CWYWWHY4JQJQ25HH"
val dir = Files.createTempDirectory("safeshare-kotlin-casework").toFile()

// Monday 25 October 2027, 10:00 UTC = 11:00 in London (BST).
val clock = KotlinClock(Instant.parse("2027-10-25T10:00:00Z"))
val hv = Session.open(File(dir, "hv.db").path, KotlinSecretStore(), clock,
    identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)"))), directory)
val casework = hv.casework()
val household = hv.visits().addHousehold("1 Example Street, LS6")
val child = hv.visits().addPerson(household, PersonRole.Child, PersonDetails(name = "Alex Example", knownAs = null, dateOfBirth = "2027-01-10", nhsNumber = "943 476 5919", phone = null, address = null, parentalResponsibility = null))

// --- checklist contact items ------------------------------------------------------------------
val team = hv.teamAroundChild()
team.involve(child.id, NewInvolvement(ContactRef.Directory(midwifery, ""), null, ProfessionalRole.Midwife, "", "2027-02-01"))
val admission = hv.checklists().startChecklist(ChecklistKind.ADMISSION, child.id)
var list = hv.checklists().screen(child.id)
check(list.rows.single().status == "2 of 2 required items open" && !list.actions.first().enabled) { "checklists $list" }
var checklist = hv.checklists().checklistScreen(admission.id)
val oneTap = checklist.items.first().actions.first()
check(oneTap.enabled && oneTap.label == "Record the team around the child (1)") { "one tap $oneTap" }
val record = oneTap.kind as ChecklistActionKind.RecordContacts
// The team around the child now: the midwifery team involved above, as the team screen lists it.
check(record.contacts == listOf(ContactRef.Directory(midwifery, "Fictional Northshire community midwifery")) &&
    team.screen(child.id).current.single().title.contains("Fictional Northshire community midwifery")) { "contacts ${record.contacts}" }
// The shell's tap: the call the action names.
hv.checklists().checklistMarkDone(record.checklist, record.key, null, record.contacts)
checklist = hv.checklists().checklistScreen(admission.id)
check(checklist.items.first().state == "Done today 11:00 by Hana Visitor") { "state ${checklist.items.first().state}" }
check(checklist.items.first().tone == Tone.DONE && checklist.status == "1 of 2 required items open") { "after $checklist" }

// Handover: school nursing has no number out of hours, so the one tap is disabled with why,
// and the picker offers the health visiting team found in the directory that has an
// out-of-hours number (the north team has none, so it is shown disabled).
team.involve(child.id, NewInvolvement(ContactRef.Directory(schoolNursing, ""), null, ProfessionalRole.SchoolNurse, "", "2027-02-01"))
val handover = hv.checklists().startChecklist(ChecklistKind.HANDOVER, child.id)
val ooh = hv.checklists().checklistScreen(handover.id).items.first()
check(!ooh.actions.first().enabled && ooh.actions.first().detail == "No out-of-hours number for: Fictional Northshire school nursing. Choose contacts instead.") { "ooh ${ooh.actions.first()}" }
val pick = ooh.actions[1].kind as ChecklistActionKind.PickContacts
var picker = hv.checklists().contactPicker(pick.checklist, pick.key, "health visiting (north)", emptyList())
val school = picker.suggested.single { it.title == "Fictional Northshire school nursing" }
check(!school.enabled && school.detail == "No out-of-hours number in the directory") { "school $school" }
val north = picker.found.single()
check(!north.enabled && north.detail == "No out-of-hours number in the directory") { "north $north" }
check(!picker.record.enabled && picker.record.detail == "Choose at least one contact.") { "record ${picker.record}" }
picker = hv.checklists().contactPicker(pick.checklist, pick.key, "all districts", emptyList())
val allDistricts = picker.found.single()
check(allDistricts.enabled && allDistricts.title == "Fictional Northshire health visiting (all districts)") { "all districts $allDistricts" }
// Ticking a contact the item refuses keeps Record disabled, with core's reason; an accepted one enables it.
picker = hv.checklists().contactPicker(pick.checklist, pick.key, "all districts", listOf(school.contact))
check(!picker.record.enabled && picker.record.detail == "No out-of-hours number in the directory") { "record ${picker.record}" }
picker = hv.checklists().contactPicker(pick.checklist, pick.key, "all districts", listOf(allDistricts.contact))
check(picker.record.enabled && (picker.record.kind as ChecklistActionKind.RecordContacts).contacts == listOf(allDistricts.contact)) { "record ${picker.record}" }
hv.checklists().checklistMarkDone(handover.id, pick.key, null, listOf(allDistricts.contact))
check(hv.checklists().checklistScreen(handover.id).items.first().state == "Done today 11:00 by Hana Visitor")

// --- an amendment and its history ----------------------------------------------------------------
val weight = hv.visits().captureObservation(NewObservationInput(child.id, null, ConcernCategory.GrowthOrWeight, Severity.CONCERN, Evidence.ObservedFact,
    "Weight on the 9th centile, was 25th at birth", null, null, null))
// 10:30 UTC: the centile was misread.
clock.at = Instant.parse("2027-10-25T10:30:00Z")
casework.amendObservation(weight.observation.record.id, ObservationCorrection(ConcernCategory.GrowthOrWeight, Severity.CONCERN, Evidence.ObservedFact,
    "Weight on the 2nd centile, was 25th at birth", Instant.parse("2027-10-25T10:00:00Z"), null), "Centile misread from the chart")
val history = casework.observationHistoryScreen(weight.observation.record.id)
check(history.status == "Version 2 of 2" && history.versions.size == 2) { "history $history" }
check(history.versions[0].heading == "Recorded today 11:00 by Hana Visitor" && history.versions[0].reason == null) { "v1 ${history.versions[0]}" }
check(history.versions[1].heading == "Amended today 11:30 by Hana Visitor" && history.versions[1].reason == "Centile misread from the chart") { "v2 ${history.versions[1]}" }
check(history.versions[0].lines.contains("Weight on the 9th centile, was 25th at birth") && history.versions[1].lines.contains("Weight on the 2nd centile, was 25th at birth")) { "lines $history" }
check(history.actions.map { it.kind } == listOf(ReviewActionKind.Amend(weight.observation.record.id), ReviewActionKind.Close(weight.observation.record.id))) { "history actions ${history.actions}" }

// --- a pattern alert dismissed with a reason ----------------------------------------------------
for (i in 1..3) {
    hv.visits().captureObservation(NewObservationInput(child.id, null, ConcernCategory.Medication, Severity.LOW_LEVEL_CONCERN, Evidence.ObservedFact,
        "Inhaler left on the windowsill in the sun (visit $i)", null, null, null))
}
var alerts = casework.patternAlertsScreen(child.id)
val alert = alerts.rows.single()
check(alert.key.kind == PatternKind.REPEATED_LOW_LEVEL_CONCERNS && alert.tone == Tone.ACTION_NEEDED) { "alert $alert" }
val dismiss = alert.actions.first()
check(dismiss.label == "Dismiss with a reason" && dismiss.kind == ReviewActionKind.DismissAlert(alert.key)) { "dismiss $dismiss" }
casework.dismissAlert(alert.key, "Storage discussed; inhaler now kept in a cupboard, seen")
alerts = casework.patternAlertsScreen(child.id)
check(alerts.rows.isEmpty() && alerts.empty == "No pattern stands in this child's record.") { "alerts $alerts" }
check(alerts.dismissed.single() == "Dismissed today 11:30 by Hana Visitor: Storage discussed; inhaler now kept in a cupboard, seen") { "dismissed ${alerts.dismissed}" }

// --- a call's outcome ---------------------------------------------------------------------------------
val call = hv.contacts().startCall(midwifery, null, child.id)
fun callRows() = hv.chronologyScreen(child.id).rows.filter { it.heading == "Call" }
check(call.call.answeringTeamName == "Fictional Northshire community midwifery" &&
    callRows().single().summary == "Call to Fictional Northshire community midwifery started") { "calls ${callRows()}" }
hv.contacts().recordCallOutcome(call.call.id, CallOutcomeInput(CallOutcome.SPOKE, Answerer("Pat Duty", "duty midwife"),
    listOf(SharedItem(Nature.FACT, "Inhaler storage discussed at the visit", null)),
    UnderstandingCheck.ReadBack("Joint visit Thursday about the inhaler"), "Agreed a joint visit on Thursday"), null)
check(callRows().single().summary == "Call to Fictional Northshire community midwifery: Agreed a joint visit on Thursday") { "outcome recorded: ${callRows()}" }

// --- a meeting pack, supervision, and after the meeting ------------------------------------------
val packId = casework.prepareMeetingPack(child.id, MeetingType.CHILD_PROTECTION_CONFERENCE, Instant.parse("2027-11-01T10:00:00Z"), listOf("health visiting"))
var pack = casework.meetingPackScreen(packId)
check(pack.meeting == "Meeting Mon 1 Nov 10:00" && pack.prepared == "Prepared today 11:30") { "pack ${pack.meeting} ${pack.prepared}" }
check(pack.missing.first() == "Seek safeguarding supervision for this child before the Child Protection Conference: no supervision is recorded.") { "missing ${pack.missing}" }
val staff = pack.sections.single { it.kind == SectionKind.HEALTH_STAFF }
check(staff.lines.size == 2 && staff.lines.any { it.startsWith("Fictional Northshire community midwifery, midwife") }) { "staff ${staff.lines}" }
check(pack.actions.first().kind == MeetingActionKind.RecordSupervision(child.id)) { "actions ${pack.actions}" }
check(pack.actions.none { it.kind is MeetingActionKind.RecordShared && it.enabled }) { "nothing to record before the meeting" }
val supervision = casework.recordSupervision(SupervisionInput("Alex Lead, named nurse for safeguarding", Instant.parse("2027-10-25T09:00:00Z"),
    listOf(CaseDiscussed(child.id, "Weight and medication storage discussed")),
    listOf(SupervisionAction("Weigh weekly until back on her centile", "Hana Visitor", null, "2027-10-26"))))
pack = casework.meetingPackScreen(packId)
check(pack.missing.none { it.startsWith("Seek safeguarding supervision") }) { "oversight recorded: ${pack.missing}" }

// Monday 1 November, 09:00 GMT: the agreed action was due on Tuesday.
clock.at = Instant.parse("2027-11-01T09:00:00Z")
var sup = casework.supervisionScreen()
var row = sup.rows.single()
check(row.supervision == supervision && row.held == "Held Mon 25 Oct 10:00" && row.tone == Tone.OVERDUE) { "supervision $row" }
check(row.actions.single().due == "Was due Tue 26 Oct") { "due ${row.actions.single().due}" }
val mark = row.actions.single().actions.single().kind as SupervisionActionKind.MarkActionDone
casework.markSupervisionActionDone(mark.supervision, mark.index)
row = casework.supervisionScreen().rows.single()
check(row.actions.single().due == "Done today 09:00 by Hana Visitor" && row.tone == Tone.DONE) { "done $row" }

// 11:00 GMT: the conference has been held.
clock.at = Instant.parse("2027-11-01T11:00:00Z")
pack = casework.meetingPackScreen(packId)
check(pack.missing.isEmpty() && pack.actions.all { it.enabled } && pack.tone == Tone.ACTION_NEEDED) { "after the meeting $pack" }
casework.recordSharedAtMeeting(packId, "Shared the weight drop and the medication storage pattern", listOf(SectionKind.GROWTH, SectionKind.MEDICATION))
casework.challengeMinutes(packId, "Health visitor had not seen the child since birth", "Health visitor saw the child on 25 October", "the conference chair")
pack = casework.meetingPackScreen(packId)
check(pack.tone == Tone.DONE && pack.shared.single() == "today 11:00: Shared the weight drop and the medication storage pattern (covered: Growth; Medication and its significance)") { "shared ${pack.shared}" }
check(pack.challenges.single().contains("raised with the conference chair")) { "challenge ${pack.challenges}" }
check(casework.meetingPacksScreen(child.id).rows.single().status == "Held: what was shared is recorded")

// A refusal crosses as a typed error, nothing written.
try {
    casework.recordSharedAtMeeting(packId, "  ", emptyList())
    throw AssertionError("a blank summary must be refused")
} catch (e: SafeShareException.Validation) {
    check(e.field == "summary") { "field ${e.field}" }
}

println("casework.kts: checklist contacts, amendment history, alert dismissal, call outcome, meeting pack and supervision reached through the bindings")
