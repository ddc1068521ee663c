// A transfer of care walked from Kotlin (issue 21) over the real server run-kotlin starts on
// 127.0.0.1 (HTTPS, pinned test region CA), with two real sessions: the community midwife who
// sends it and the health visitor (north, covering LS6) who receives it. The family's social
// worker and GP are added for the whole household; the transfer is sent and synced; the
// receiving phone lists the family as expected, refuses to take the baby on before its
// read-back, acknowledges, and — the health visitor having recorded the baby already with her
// date of birth a day out — chooses her on the Expected families row, taking the baby on with
// the team around the child seeded from the pack; the sender's next sync shows "Transferred to
// …" and its team around the child has gained the receiving team. Last, the Team around the
// child forms as core builds them: the social care status naming the household's social
// worker, the directory search, a phone number checked as typed. Real time (the server refuses
// stale signatures). Every list is read from the screen record a shell shows.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
// Core's own types, named explicitly where the bindings still hold a mirror of the same name.
import uniffi.safeshare_core.ProfessionalRole
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.util.Locale

class MapSecretStore : SecretStore {
    val secrets = HashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = secrets[name]
    override fun put(name: String, value: ByteArray) { secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}
class RealClock : Clock { override fun now(): Instant = Instant.now() }

fun env(name: String): String = System.getenv(name) ?: throw AssertionError("run-kotlin sets $name")

val midwifery = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val healthVisitingNorth = "01M6A6FT00C9H0VZ4YE6QQ9FM9"
val frontDoor = "01M6A6FT00HYVWQ25FF2BNQ23D"
val laneSurgery = "01M6A6FT00W77B31VJGWECDH0G"
val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val clock = RealClock()
val server = SyncServer.withRegionCa(env("SAFESHARE_TEST_SERVER"), File(env("SAFESHARE_TEST_CA")).readText(), clock)
val dir = Files.createTempDirectory("safeshare-kotlin-transfer").toFile()
// Today in London as core's screens word a date ("1 Dec 2026").
val today = LocalDate.now(ZoneId.of("Europe/London")).format(DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH))

/// The names of the health staff a meeting pack for `child` lists (each line starts with the
/// name), from a pack prepared on `session` for a conference a week ahead.
fun healthStaff(session: Session, child: String): List<String> {
    val pack = session.casework().prepareMeetingPack(child, MeetingType.CHILD_PROTECTION_CONFERENCE,
        Instant.now().plusSeconds(7L * 24 * 3600), listOf("health visiting"))
    return session.casework().meetingPackScreen(pack).sections.single { it.kind == SectionKind.HEALTH_STAFF }.lines.map { it.substringBefore(", ") }
}

fun phone(file: String, name: String, team: String, teamName: String, code: String, practitioner: String): Session {
    val before = identityBeforeEnrolment(name, listOf(TeamMembership(team, teamName))).copy(practitioner = practitioner)
    val session = Session.open(File(dir, file).path, MapSecretStore(), clock, before, directory)
    session.sync().enrol(server, code)
    return session
}

val sender = phone("midwife.db", "Sam Midwife", midwifery, "Community midwifery",
    env("SAFESHARE_TEST_CODE_4"), env("SAFESHARE_TEST_PRACTITIONER_4"))
val receiver = phone("health-visitor.db", "Ash Visitor", healthVisitingNorth, "Health visiting (north)",
    env("SAFESHARE_TEST_CODE_5"), env("SAFESHARE_TEST_PRACTITIONER_5"))
// Both phones in the signed roster before anything is sealed to them.
receiver.sync().syncNow(server)
sender.sync().syncNow(server)

// The baby, and the family's social worker and GP added for the whole household.
val household = sender.visits().addHousehold("4 Fictional Court, Leeds")
val baby = sender.visits().addPerson(household, PersonRole.Child,
    PersonDetails("Demelza Example", null, "2026-11-20", "943 476 5919", null, null, null))
val senderTeam = sender.teamAroundChild()
val socialWorker = senderTeam.involveForHousehold(household,
    NewInvolvement(ContactRef.Directory(frontDoor, ""), "Wenna Carlyon", ProfessionalRole.SocialWorker, "", "2026-11-20"))
senderTeam.involveForHousehold(household,
    NewInvolvement(ContactRef.Directory(laneSurgery, ""), null, ProfessionalRole.Gp, "", "2026-11-20"))
// The Team around the child screen as core builds it: the household's members, marked, current.
val teamScreen = senderTeam.screen(baby.id)
check(teamScreen.title == "Team around the child" && teamScreen.current.size == 2 && teamScreen.ended.isEmpty() &&
    teamScreen.current.all { it.household == "For the whole household" && it.dates == "From 20 Nov 2026" }) { "team screen $teamScreen" }
check(teamScreen.current.first().member == socialWorker &&
    teamScreen.current.first().title == "Wenna Carlyon, social worker (Fictional Northshire children's front door (MASH))") {
    "the directory's name is stored: ${teamScreen.current.first()}"
}
val staff = healthStaff(sender, baby.id)
check(staff == listOf("Fictional Lane Surgery")) { "the meeting pack's health staff: $staff" }
check(teamScreen.actions.first().label == "Involve a team from the directory" && teamScreen.actions.first().enabled) {
    "team screen actions ${teamScreen.actions}"
}

// The transfer, sent to the team found by the new postcode, then synced.
val senderTransfers = sender.transfers()
val found = senderTransfers.screen(emptyTransferDraft(baby.id).copy(newPostcode = "LS6 2AB")).teams
check(found.first().team == healthVisitingNorth) { "receiving teams $found" }
val sent = senderTransfers.sendTransfer(NewTransfer(baby.id, healthVisitingNorth, "LS6 2AB", null, null,
    "Family moving to your area; please take on the baby's care.", null, "none known", "none known", "none known"))
check(!sent.transferred) { "awaiting acknowledgement: $sent" }
// The sender's Transfer screen: the receiving team found by the postcode, the transfer in
// "needs attention" with a call-now until it is acknowledged.
val senderScreen = senderTransfers.screen(emptyTransferDraft(baby.id).copy(newPostcode = "LS6 2AB"))
check(senderScreen.teams.any { it.team == healthVisitingNorth }) { "transfer screen teams ${senderScreen.teams}" }
check(senderScreen.sent.single().attention?.startsWith("Needs attention: ") == true &&
    senderScreen.sent.single().actions.single().kind is TransferActionKind.Call) { "sent transfer ${senderScreen.sent}" }
sender.sync().syncNow(server)
receiver.sync().syncNow(server)

// The receiving phone expects the family before anyone acknowledges.
val receiverTransfers = receiver.transfers()
fun familyRow() = receiverTransfers.expectedFamiliesScreen().families.single()
val expected = familyRow()
check(expected.share == sent.shareId && expected.title == "Demelza Example, born 20 Nov 2026") { "expected $expected" }
check(expected.status.startsWith("To acknowledge by ") && expected.actions.none { it.kind is TransferActionKind.OpenChild } &&
    expected.actions.single { it.kind is TransferActionKind.Acknowledge }.enabled) { "not yet acknowledged nor taken on: $expected" }
check(expected.pack.filter { it.startsWith("Involved: ") } == listOf(
    "Involved: Wenna Carlyon, social worker (Fictional Northshire children's front door (MASH))", "Involved: GP (Fictional Lane Surgery)")) {
    "the household's members travel in the pack: ${expected.pack}"
}

// Not before the read-back: the screen offers Take on disabled, and core refuses it.
fun takeOnAction() = familyRow().actions.single { it.kind is TransferActionKind.TakeOn }
check(!takeOnAction().enabled) { "Take on before the read-back: ${takeOnAction()}" }
check(familyRow().candidates.isEmpty()) { "no one here has her NHS number yet: ${familyRow()}" }
try {
    receiverTransfers.takeOn(expected.share)
    throw AssertionError("taking on before the acknowledgement must be refused")
} catch (e: SafeShareException.Refused) {
    // refused, nothing recorded
}

// The health visitor had already recorded the baby from the hospital's notification, with her
// date of birth a day out: the row now offers her to choose, in place of Take on.
val localHousehold = receiver.visits().addHousehold("9 Fictional Terrace, Leeds")
val recordedHere = receiver.visits().addPerson(localHousehold, PersonRole.Child,
    PersonDetails("Demelza Example", null, "2026-11-21", "943 476 5919", null, null, null))
val choosing = familyRow()
check(choosing.candidatesHeading != null && choosing.candidates.single().person == recordedHere.id &&
    choosing.candidates.single().differences == "Differs from the transfer: date of birth" &&
    !choosing.candidates.single().action.enabled) { "the candidate before the read-back: $choosing" }
check(choosing.actions.none { it.kind is TransferActionKind.TakeOn } &&
    choosing.actions.single { it.kind is TransferActionKind.TakeOnAsNew }.let { !it.enabled }) { "Take on replaced: ${choosing.actions}" }

receiver.shares().acknowledgeShare(expected.share,
    ReadBack("Demelza Example, moving into LS6", "family's social worker involved", "new birth visit this week"))
val chooseAfter = familyRow().candidates.single().action
check(chooseAfter.enabled && chooseAfter.label == "This is the child") { "the choice after the read-back: $chooseAfter" }
check(receiverTransfers.takeOn(expected.share) is TransferTakeOn.Confirm) { "Take on asks for the choice" }
val chosenKind = chooseAfter.kind as TransferActionKind.TakeOnAs
val takenOn = receiverTransfers.takeOnResolved(chosenKind.share, SubjectChoice.SamePerson(chosenKind.person))
check(takenOn is TransferTakeOn.TakenOn && takenOn.existing && takenOn.child.id == recordedHere.id) { "taken on $takenOn" }
check(familyRow().candidates.isEmpty() && familyRow().status == "Taken on to your caseload") { "after the choice: ${familyRow()}" }
val child = (takenOn as TransferTakeOn.TakenOn).child
val seeded = receiver.teamAroundChild().screen(child.id)
check(seeded.current.map { it.title } == listOf("Wenna Carlyon, social worker (Fictional Northshire children's front door (MASH))",
    "GP (Fictional Lane Surgery)", "health visitor (Fictional Northshire health visiting (north))")) { "seeded team ${seeded.current}" }
// The sending team (a midwife) is previously involved, to today.
check(seeded.ended.single().let { it.title.endsWith("midwife (Fictional Northshire community midwifery)") && it.role == "Midwife" && it.dates.endsWith(" to $today") }) {
    "the sending team is previously involved: ${seeded.ended}"
}
val receivingStaff = healthStaff(receiver, child.id)
check(receivingStaff == listOf("Fictional Lane Surgery", "Fictional Northshire health visiting (north)")) {
    "health staff on the receiving phone: $receivingStaff"
}
check(familyRow().actions.any { it.kind == TransferActionKind.OpenChild(child.id) }) { "the expected list says taken on" }
val again = receiverTransfers.takeOn(expected.share)
check(again == TransferTakeOn.TakenOn(child, true)) { "taken on once: $again" }

// The acknowledgement back to the sender: transferred, and the receiving team joined.
receiver.sync().syncNow(server)
sender.sync().syncNow(server)
val transferred = senderTransfers.screen(emptyTransferDraft(baby.id)).sent.single()
check(transferred.title.startsWith("Transferred to Fictional Northshire health visiting (north) on ") &&
    transferred.attention == null && transferred.actions.isEmpty()) {
    "the sender's Transfer screen after acknowledgement: $transferred"
}
check(senderTeam.screen(baby.id).current.any { it.title.endsWith("health visitor (Fictional Northshire health visiting (north))") && it.dates.startsWith("From ") }) {
    "the sender's team around the child gains the receiving team: ${senderTeam.screen(baby.id).current}"
}

// The Team around the child forms, on the sender's baby: core builds each form from the draft.
var status = emptyTeamFormDraft(baby.id, TeamFormKind.SOCIAL_CARE_STATUS)
status = teamFormWithChoice(status, TeamFormChoice.Level(SocialCareLevel.CHILD_IN_NEED))
fun statusForm() = senderTeam.form(status)
val workers = statusForm().items.filterIsInstance<TeamFormItem.Choices>().single { it.list.key == TeamFormListKey.SOCIAL_WORKER }.list
check(workers.options.map { it.choice } == listOf(TeamFormChoice.SocialWorker(null), TeamFormChoice.SocialWorker(socialWorker))) {
    "the household's social worker can be named: $workers"
}
status = teamFormWithChoice(status, workers.options[1].choice)
check(!statusForm().saveEnabled && statusForm().saveDetail == "Give \"Since\".") { "since is never filled in: ${statusForm()}" }
try {
    senderTeam.saveForm(status)
    throw AssertionError("an incomplete form must be refused")
} catch (e: SafeShareException.Validation) {
    check(e.field == "form") { "refused on the form: $e" }
}
status = teamFormWithDate(status, TeamFormDateKey.SINCE, "2026-11-24")
check(statusForm().saveEnabled) { "the status form complete: ${statusForm()}" }
val saved = senderTeam.saveForm(status)
check(sender.teamAroundChild().screen(baby.id).socialCare == "Children's social care: child in need") { "the status recorded: $saved" }

var involve = teamFormWithText(emptyTeamFormDraft(baby.id, TeamFormKind.INVOLVE), TeamFormTextKey.TEAM_SEARCH, "lane")
val lane = senderTeam.form(involve).items.filterIsInstance<TeamFormItem.Choices>().single { it.list.key == TeamFormListKey.TEAM }.list.options.single()
check(lane.choice == TeamFormChoice.Team(laneSurgery) && lane.detail?.contains("already involved as GP") == true) { "the search: $lane" }

var contact = emptyTeamFormDraft(baby.id, TeamFormKind.ADD_CONTACT)
contact = teamFormWithText(contact, TeamFormTextKey.PHONE, "0113 496")
val phoneField = senderTeam.form(contact).items.filterIsInstance<TeamFormItem.Text>().single { it.field.key == TeamFormTextKey.PHONE }.field
check(phoneField.problem == "Not a UK phone number: check the digits.") { "the phone number checked as typed: $phoneField" }

sender.destroy()
receiver.destroy()
dir.deleteRecursively()
println("kotlin transfer: sent, synced, expected, acknowledged with read-back, chosen and taken on with ${seeded.current.size + seeded.ended.size} members seeded, sender shows \"${transferred.title}\", team forms: ok")
