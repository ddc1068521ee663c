// The casework forms from Kotlin (issue 17 item 3's last three), against the real library
// through the generated bindings, driven as the shells drive them: each form opened from the
// action core offers on its screen, filled only through core's `caseworkFormWith…` functions
// with times typed as London wall-clock text, Save tried while core shows it disabled (refused,
// nothing written), then saved and read back through the screen records. Times cross the
// autumn clock change (Sunday 25 October 2026). No time is formatted or converted here.
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
val dir = Files.createTempDirectory("safeshare-kotlin-casework-forms").toFile()

// Saturday 24 October 2026, 11:00 UTC = 12:00 in London (BST); the clocks go back tomorrow.
val clock = KotlinClock(Instant.parse("2026-10-24T11:00:00Z"))
val hv = Session.open(File(dir, "hv.db").path, KotlinSecretStore(), clock,
    identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)"))), directory)
val casework = hv.casework()
val household = hv.visits().addHousehold("1 Example Street, LS6")
val child = hv.visits().addPerson(household, PersonRole.Child, PersonDetails(name = "Alex Example", knownAs = null,
    dateOfBirth = "2026-01-10", nhsNumber = null, phone = null, address = null, parentalResponsibility = null))

fun field(form: CaseworkFormScreen, key: CaseworkFieldKey): CaseworkField =
    form.items.filterIsInstance<CaseworkFormItem.Field>().map { it.field }.single { it.key == key }
fun choices(form: CaseworkFormScreen): CaseworkChoices =
    form.items.filterIsInstance<CaseworkFormItem.Choices>().single().list
fun refused(draft: CaseworkFormDraft) {
    try {
        casework.saveForm(draft)
        throw AssertionError("saved an incomplete form")
    } catch (e: SafeShareException.Validation) {
        check(e.field == "form") { "refused on ${e.field}" }
    }
}

// --- Prepare a meeting pack, from the Meeting packs screen's action --------------------------
val prepare = casework.meetingPacksScreen(child.id).actions.single { it.kind is MeetingActionKind.Prepare }
var pack = casework.formDraft(CaseworkFormKind.PrepareMeetingPack((prepare.kind as MeetingActionKind.Prepare).child))
var form = casework.form(pack)
check(form.title == "Prepare a meeting pack" && !form.saveEnabled && form.saveDetail == "Choose the meeting.") { "pack form $form" }
val core = choices(form).options.single { it.label == "Core Group" }
pack = caseworkFormWithChoice(pack, core.choice)
pack = caseworkFormWithText(pack, CaseworkFieldKey.MeetingAt, "2026-10-26 10:00")
form = casework.form(pack)
check(choices(form).options.single { it.selected }.label == "Core Group") { "chosen ${choices(form)}" }
// 10:00 on Monday is GMT (the clocks went back on Sunday): core reads and words it.
check(field(form, CaseworkFieldKey.MeetingAt).shown == "Mon 26 Oct 10:00") { "shown ${field(form, CaseworkFieldKey.MeetingAt)}" }
check(caseworkFormText(pack, CaseworkFieldKey.MeetingAt) == "2026-10-26 10:00")
check(!form.saveEnabled && form.saveDetail == "Say which parts of the child's care you represent.") { "represents ${form.saveDetail}" }
refused(pack)
check(casework.meetingPacksScreen(child.id).rows.isEmpty()) { "nothing written" }
pack = caseworkFormWithText(pack, CaseworkFieldKey.Represents, "health visiting; infant feeding")
form = casework.form(pack)
check(form.saveEnabled && form.saveLabel == "Prepare pack") { "ready $form" }
val prepared = casework.saveForm(pack)
check(prepared.message == "Pack prepared: Core Group, Mon 26 Oct 10:00") { "message ${prepared.message}" }
val packs = casework.meetingPacksScreen(child.id)
check(packs.rows.single().pack == prepared.pack && packs.rows.single().meeting == "Mon 26 Oct 10:00") { "packs ${packs.rows}" }
check(casework.meetingPackScreen(prepared.pack!!).represents == "Representing: health visiting; infant feeding") { "pack represents" }

// A time London skips in spring is refused with core's words.
form = casework.form(caseworkFormWithText(pack, CaseworkFieldKey.MeetingAt, "2027-03-28 01:30"))
check(!form.saveEnabled && field(form, CaseworkFieldKey.MeetingAt).problem ==
    "There is no such time on 28 Mar 2027 in London: the clocks go forward from 01:00 to 02:00. Check the time.") { "skipped ${field(form, CaseworkFieldKey.MeetingAt)}" }

// --- Record supervision, from the Supervision screen's action ---------------------------------
val record = casework.supervisionScreen().actions.single { it.kind is SupervisionActionKind.Record }
var sup = casework.formDraft(CaseworkFormKind.RecordSupervision((record.kind as SupervisionActionKind.Record).child))
sup = caseworkFormWithText(sup, CaseworkFieldKey.Supervisor, "Alex Lead, named nurse for safeguarding")
// In the future: refused before Save.
sup = caseworkFormWithText(sup, CaseworkFieldKey.HeldAt, "2026-10-24 12:30")
form = casework.form(sup)
check(field(form, CaseworkFieldKey.HeldAt).problem == "After now: supervision is recorded once it has been held. Check the time.") { "future ${field(form, CaseworkFieldKey.HeldAt)}" }
refused(sup)
sup = caseworkFormWithText(sup, CaseworkFieldKey.HeldAt, "2026-10-24 09:30")
sup = caseworkFormWithText(sup, CaseworkFieldKey.CaseSearch, "alex")
form = casework.form(sup)
sup = caseworkFormWithChoice(sup, choices(form).options.single().choice)
check(sup.cases == listOf(child.id) && caseworkFormText(sup, CaseworkFieldKey.CaseSearch) == "") { "chosen ${sup.cases}" }
form = casework.form(sup)
check(!form.saveEnabled && field(form, CaseworkFieldKey.CaseSummary(child.id)).required) { "summary needed $form" }
sup = caseworkFormWithText(sup, CaseworkFieldKey.CaseSummary(child.id), "Core group plan reviewed.")
sup = caseworkFormWithText(sup, CaseworkFieldKey.ActionText(0u), "Weigh at the next visit")
sup = caseworkFormWithText(sup, CaseworkFieldKey.ActionOwner(0u), "Hana Visitor")
sup = caseworkFormWithText(sup, CaseworkFieldKey.ActionDue(0u), "2026-10-30")
form = casework.form(sup)
check(form.saveEnabled) { "supervision ${form.saveDetail}" }
check(casework.saveForm(sup).message == "Supervision recorded: 1 case(s), 1 action(s) agreed")
val supervision = casework.supervisionScreen()
check(supervision.rows.size == 1 && supervision.rows.single().actions.single().text.contains("Weigh at the next visit")) { "supervision ${supervision.rows}" }

// --- Amend an observation, from its history's action -------------------------------------------
val weight = hv.visits().captureObservation(NewObservationInput(child.id, null, ConcernCategory.GrowthOrWeight, Severity.CONCERN,
    Evidence.ObservedFact, "Weight on the 9th centile", null, null, null)).observation.record.id
val amend = casework.observationHistoryScreen(weight).actions.single { it.kind is ReviewActionKind.Amend }
var fix = casework.formDraft(CaseworkFormKind.AmendObservation((amend.kind as ReviewActionKind.Amend).observation))
check(caseworkFormText(fix, CaseworkFieldKey.NewText) == "Weight on the 9th centile") { "starts as recorded" }
form = casework.form(fix)
check((form.items.first() as CaseworkFormItem.Shown).text == "Growth or weight · Concern: Weight on the 9th centile") { "shown ${form.items.first()}" }
fix = caseworkFormWithText(fix, CaseworkFieldKey.NewText, "Weight on the 25th centile")
check(casework.form(fix).saveDetail == "Fill in \"Why it is amended\".")
refused(fix)
check(casework.observationHistoryScreen(weight).versions.size == 1) { "nothing written" }
fix = caseworkFormWithText(fix, CaseworkFieldKey.Reason, "Centile misread")
casework.saveForm(fix)
val history = casework.observationHistoryScreen(weight)
check(history.versions.size == 2 && history.status == "Version 2 of 2") { "history $history" }
val row = hv.chronologyScreen(child.id).rows.single()
check(row.summary == "Weight on the 25th centile" && row.amended == "Amended: this is version 2. Reason: Centile misread") { "chronology $row" }

dir.deleteRecursively()
println("casework_forms.kts: passed")
