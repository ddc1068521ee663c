// A whole home visit driven from Kotlin against the real library, with a Kotlin SecretStore
// and a Kotlin Clock: capture offline with a stock-phrase warning, a share and its due time, a
// voice-of-the-child note, a discharge checklist refused then completed, a referral's decision
// due time, the chronology, the Contacts screen and the number a call dials, the Today screen's
// call once the share is overdue, and typed exceptions for bad input and for a wrong key. Lists
// are read from the screen records a shell shows.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.nio.file.Files
import java.security.SecureRandom
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

/// The phone's keystore, in Kotlin: counts calls so the test can see Rust calling it.
class KotlinSecretStore : SecretStore {
    val secrets = HashMap<String, ByteArray>()
    var gets = 0
    var puts = 0
    override fun get(name: String): ByteArray? { gets++; return secrets[name] }
    override fun put(name: String, value: ByteArray) { puts++; secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}

/// A keystore that is locked (before first unlock): every call fails the platform's way.
class LockedSecretStore : SecretStore {
    override fun get(name: String): ByteArray? = throw PlatformException.Unavailable("keystore locked")
    override fun put(name: String, value: ByteArray) = throw PlatformException.Unavailable("keystore locked")
    override fun delete(name: String) = throw PlatformException.Unavailable("keystore locked")
}

/// The phone's clock, in Kotlin, moved by the test.
class KotlinClock(var at: Instant) : Clock {
    var calls = 0
    override fun now(): Instant { calls++; return at }
}

val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val healthVisitingNorth = "01M6A6FT00C9H0VZ4YE6QQ9FM9"
val midwifery = "01M6A6FT00TTZHYYZ9RZKXMQAR"

val dir = Files.createTempDirectory("safeshare-kotlin").toFile()
val dbPath = File(dir, "field.db").path
val secrets = KotlinSecretStore()
// Friday 27 November 2026, 15:00 in London (GMT).
val clock = KotlinClock(Instant.parse("2026-11-27T15:00:00Z"))
val identity = identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)")))

// --- open: the Kotlin SecretStore receives the new data key from Rust ----------------------
val session = Session.open(dbPath, secrets, clock, identity, directory)
check(secrets.puts == 1 && secrets.secrets.size == 1) { "the data key must be put through the Kotlin SecretStore (puts=${secrets.puts})" }
check(secrets.secrets.values.single().size == 32) { "a 256-bit data key" }
check(session.identity() == identity) { "identity ${session.identity()}" }
val mash = session.contacts().screen("front door (MASH)").rows.single().team

/// The observations about `child` in its chronology (each row with "Open history").
fun observationsAbout(s: Session, child: String) =
    s.chronologyScreen(child).rows.filter { row -> row.actions.any { it.kind is ChronologyActionKind.OpenObservation } }
/// Whether a Today action is about `share` (a call chasing it, opening or acknowledging it).
fun TodayActionKind.about(share: String) = when (this) {
    is TodayActionKind.Call -> regardingShare == share
    is TodayActionKind.OpenSentShare -> this.share == share
    is TodayActionKind.AcknowledgeShare -> this.share == share
    else -> false
}

// --- the family -----------------------------------------------------------------------------
val household = session.visits().addHousehold("1 Example Street, LS6")
val child = session.visits().addPerson(household, PersonRole.Child, PersonDetails(name = "Alex Example", knownAs = null, dateOfBirth = "2024-05-10", nhsNumber = "943 476 5919", phone = null, address = null, parentalResponsibility = null))
check(child.nhsNumber == "943 476 5919") { "NHS number ${child.nhsNumber}" }
val mother = session.visits().addPerson(household, PersonRole.MotherOrBirthingParent, PersonDetails(name = "Sam Example", knownAs = null, dateOfBirth = null, nhsNumber = null, phone = null, address = null, parentalResponsibility = true))

// Bad input: a typed exception naming the field, and nothing stored.
val badNhs = expectThrows(SafeShareException.Validation::class.java, "invalid NHS number") {
    session.visits().addPerson(household, PersonRole.Child, PersonDetails(name = "Other Child", knownAs = null, dateOfBirth = "2023-01-01", nhsNumber = "943 476 5918", phone = null, address = null, parentalResponsibility = null))
}
check(badNhs.field == "nhs_number") { "field ${badNhs.field}" }

// --- the visit: offline capture (no server anywhere in this test) -----------------------------
val visit = session.visits().startVisit(household, Place(PlaceKind.Home, null), listOf(Attendee.Person(mother.id), Attendee.Person(child.id)), null)
check(visit.startedAt == clock.at) { "the visit starts at the Kotlin clock's instant, got ${visit.startedAt}" }
// The household's people as the capture screen offers them: the child and the mother; the
// refused person was not stored.
val people = session.visits().screen(visit.id, emptyCaptureDraft()).people
check(people.map { it.person }.toSet() == setOf(child.id, mother.id) && people.size == 2) { "people $people" }

val vague = session.visits().captureObservation(NewObservationInput(child.id, visit.id, ConcernCategory.GrowthOrWeight, Severity.LOW_LEVEL_CONCERN, Evidence.Opinion(null), "No concerns", null, null, null))
check(vague.warnings.map { it.kind } == listOf(CaptureWarningKind.NOT_SPECIFIC, CaptureWarningKind.OPINION_WITHOUT_BASIS)) { "warnings ${vague.warnings}" }
check(vague.warnings[0].stockPhrases == listOf("no concerns")) { "stock phrases ${vague.warnings[0].stockPhrases}" }
check(vague.observation.warnings == vague.warnings) { "prompts are stored with the record" }

val seen = session.visits().captureObservation(NewObservationInput(child.id, visit.id, ConcernCategory.Medication, Severity.CONCERN, Evidence.ObservedFact,
    "Inhaler out of date (expired August); mother says the repeat prescription lapsed", null, Place(PlaceKind.Home, null),
    ShareRequest(midwifery, "Please check the repeat prescription at the next contact", null)))
check(seen.warnings.isEmpty()) { "a specific observed fact raises no prompt: ${seen.warnings}" }
val receipt = seen.share ?: throw AssertionError("a share was asked for")
check(receipt.advice == SendAdvice.SEND && receipt.severity == Severity.CONCERN)
// A concern has 4 working hours: Friday 15:00-17:00 is two, Monday 09:00-11:00 the other two.
check(receipt.dueAt == Instant.parse("2026-11-30T11:00:00Z")) { "share due ${receipt.dueAt}" }

val voice = session.visits().captureVoiceNote(NewVoiceNoteInput(child.id, visit.id, "Mummy shouts when the baby cries", ExpressionMode.SPEECH, emptyList(), null, InputMethod.DICTATED, null))
check(voice.input == InputMethod.DICTATED) { "dictated text stays marked as dictated" }
check(voice.warnings.map { it.kind } == listOf(CaptureWarningKind.PRESENCE_NOT_RECORDED)) { "voice warnings ${voice.warnings}" }
check(voice.childAge.isNotBlank())
check(observationsAbout(session, child.id).size == 2)

// --- discharge checklist: refused while required items are open, then completed --------------
val checklist = session.checklists().startChecklist(ChecklistKind.DISCHARGE, child.id)
val concernItems = checklist.items.filter { it.key.startsWith("concern:") }
check(concernItems.size == 2) { "both open concerns are handed over as items: ${checklist.items.map { it.key }}" }
val refused = expectThrows(SafeShareException.Refused::class.java, "completing with open items") {
    session.checklists().completeChecklist(checklist.id)
}
check(refused.openItems.toSet() == checklist.items.filter { it.required }.map { it.key }.toSet()) { "open items ${refused.openItems}" }
var current = checklist
for (item in checklist.items.filter { it.required }) {
    current = when (item.detail) {
        DetailKind.TEXT, DetailKind.NONE -> session.checklists().checklistMarkDone(checklist.id, item.key, "Handed over to the ward sister by phone", emptyList())
        DetailKind.CONTACTS, DetailKind.CONTACTS_WITH_OUT_OF_HOURS -> session.checklists().checklistMarkDone(checklist.id, item.key, null,
            listOf(ContactRef.Captured("Jo Nurse", "community midwife, Fictional Trust", "0113 496 0101", "0113 496 0102")))
    }
}
check(current.items.none { it.required && it.state == ItemState.Open }) { "every required item closed" }
val completed = session.checklists().completeChecklist(checklist.id)
check(completed.completed != null) { "checklist completes once every required item is closed" }

// --- referral to the front door: decision due one working day later -------------------------
val referral = session.referrals().recordReferral(NewReferralInput(child.id, mash, null, "Repeated shouting disclosed by the child; medication lapsed", ReferralChannel.ONLINE_PORTAL))
// Sent Friday 15:00: due Monday 15:00 (the weekend is not working time).
check(referral.decisionDueAt == Instant.parse("2026-11-30T15:00:00Z")) { "referral due ${referral.decisionDueAt}" }
check(referral.status == ReferralStatus.AwaitingDecision(Instant.parse("2026-11-30T15:00:00Z"))) { "status ${referral.status}" }

// A second referral, not accepted: the escalation steps open and must be taken in order.
val second = session.referrals().recordReferral(NewReferralInput(child.id, mash, null, "Bruising seen on the child's upper arm, explanation inconsistent", ReferralChannel.PHONE))
val declined = session.referrals().recordReferralDecision(second.id, DecisionOutcome.NotAccepted("below threshold"), true, null)
check(declined.status == ReferralStatus.NotAccepted(true)) { "status ${declined.status}" }
check(declined.nextStepKind == EscalationStep.REVIEW_AND_RE_REFER && !declined.nextStep.isNullOrBlank()) { "next ${declined.nextStepKind}" }
expectThrows(SafeShareException.Refused::class.java, "escalation step out of order") {
    session.referrals().recordEscalationStep(second.id, EscalationStep.SEEK_COLLATERAL_HISTORY, StepOutcome.Done("rang the GP"))
}
val stepped = session.referrals().recordEscalationStep(second.id, EscalationStep.REVIEW_AND_RE_REFER, StepOutcome.Done("re-referred with the photographs and the GP's letter"))
check(stepped.nextStepKind == EscalationStep.CHECK_EARLY_HELP_THRESHOLDS) { "next after review ${stepped.nextStepKind}" }

// --- chronology -------------------------------------------------------------------------------
val headings = session.chronologyScreen(child.id).rows.map { it.heading }
for (k in listOf("Observation · ", "Voice of the child", "Shared", "Referral to children's social care")) {
    check(headings.any { it.startsWith(k) }) { "chronology lacks $k: $headings" }
}

// --- Contacts: the team is open on a Friday afternoon, with its call and why this number ------
val call = session.contacts().screen("community midwifery").rows.single { it.team == midwifery }
check(call.openNow && call.actions.single().kind == ContactsActionKind.Call(midwifery)) { "contact $call" }
check(call.actions.single().label.isNotBlank() && !call.actions.single().detail.isNullOrBlank()) { "call ${call.actions}" }

// --- Monday 12:00: the share is overdue, so Today asks for a call; the tap dials the direct line --
clock.at = Instant.parse("2026-11-30T12:00:00Z")
val attention = session.todayScreen().attention
val callNow = attention.firstOrNull { item -> item.actions.any { it.kind is TodayActionKind.Call && it.kind.about(receipt.share) } }
    ?: throw AssertionError("an overdue share asks for a call: ${attention.map { it.headline }}")
check(callNow.tone == Tone.OVERDUE && (callNow.actions.first().kind as TodayActionKind.Call).team == midwifery) { "call now $callNow" }
check(session.shares().share(receipt.share).status == ShareStatus.Overdue(Instant.parse("2026-11-30T11:00:00Z")))
val started = session.contacts().startCall(midwifery, receipt.share, child.id)
check(started.call.id.isNotBlank() && started.target.telUri == "tel:+441134960101" && started.target.reason == CallReason.TEAM_OPEN) { "started $started" }
val allAffirmed = Principles(Affirmation.Affirmed, Affirmation.Affirmed, Affirmation.Affirmed, Affirmation.Affirmed, Affirmation.Affirmed, Affirmation.Affirmed)
val report = session.contacts().recordCallOutcome(started.call.id,
    CallOutcomeInput(CallOutcome.SPOKE, Answerer("Pat Duty", "duty midwife"), listOf(SharedItem(Nature.FACT, "Inhaler out of date; repeat prescription lapsed", seen.observation.record.id)),
        UnderstandingCheck.ReadBack("Alex's inhaler has expired; they will check the prescription"), "Will visit Tuesday"),
    CallDecisionToShare(listOf(child.id), "Continuity of asthma care", LawfulBasis.PublicTask, SpecialCategoryCondition.HealthOrSocialCare, allAffirmed, IndividualInformed.Told("told mother at the visit")))
check(report.decisionRecord?.decision is Decision.ToShare) { "the call becomes an information-sharing record: $report" }
check(report.closedShare == receipt.share) { "the call closes the overdue share's escalation: ${report.closedShare}" }
check(session.todayScreen().attention.none { item -> item.actions.any { it.kind is TodayActionKind.Call && it.kind.about(receipt.share) } }) { "no call asked for once the team was reached" }

// Information-sharing decision records: a decision not to share must say whether the requester was told.
val notToShare = expectThrows(SafeShareException.Validation::class.java, "decision not to share without requester") {
    session.shares().recordDecisionNotToShare(DecisionNotToShareInput(listOf(child.id), "School asked for the health plan", "not relevant to the school's request", null))
}
check(notToShare.field.isNotBlank())
check(session.shares().recordDecisionNotToShare(DecisionNotToShareInput(listOf(child.id), "School asked for the health plan", "not relevant to the school's request", RequesterInformed.NoRequest)).decision is Decision.NotToShare)

// --- acknowledgement with read-back, through envelopes as the server would carry them --------
// A midwife's device (its own store, keystore and identity) receives the share, acknowledges
// it in her own words; the health visitor's device receives the acknowledgement and checks it.
val midwifeSecrets = KotlinSecretStore()
val midwife = Session.open(File(dir, "midwife.db").path, midwifeSecrets, clock, identityBeforeEnrolment("Mo Midwife", listOf(TeamMembership(midwifery, "Community midwifery"))), directory)
val outcomes = SessionTools(session).pendingEnvelopes().map { SessionTools(midwife).applyInbound(it) }
check(InboundOutcome.SHARE_RECEIVED in outcomes) { "the share reaches the team: $outcomes" }
val incoming = midwife.shares().share(midwife.shares().incomingScreen().rows.single().share)
check(incoming.id == receipt.share && !incoming.outgoing && !incoming.acknowledged)
check(midwife.todayScreen().attention.any { item -> item.actions.any { it.kind == TodayActionKind.AcknowledgeShare(receipt.share) } })
val readBack = ReadBack("Alex, 2", "asthma inhaler expired, prescription lapsed", "check the repeat prescription on Tuesday's visit")
midwife.shares().acknowledgeShare(receipt.share, readBack)
expectThrows(SafeShareException.Refused::class.java, "second acknowledgement") { midwife.shares().acknowledgeShare(receipt.share, readBack) }
val back = SessionTools(midwife).pendingEnvelopes().map { SessionTools(session).applyInbound(it) }
check(InboundOutcome.MY_SHARE_ACKNOWLEDGED in back) { "the acknowledgement reaches the sender: $back" }
val acknowledged = session.shares().share(receipt.share)
check(acknowledged.acknowledged && acknowledged.readBack == readBack) { "read-back ${acknowledged.readBack}" }
check(acknowledged.status is ShareStatus.ReadBackToCheck) { "status ${acknowledged.status}" }
session.shares().checkReadBack(receipt.share, ReadBackVerdict.Confirmed)
check(session.shares().share(receipt.share).status == ShareStatus.Closed) { "status ${session.shares().share(receipt.share).status}" }
check(session.todayScreen().attention.none { item -> item.actions.any { it.kind.about(receipt.share) } }) { "a closed share needs nothing" }

// --- sync: everything captured offline waits in the outbox; no network is a typed Network error --
val beforeSync = session.sync().screen()
check(beforeSync.summary == SyncSummary.NOT_ENROLLED && beforeSync.lines.first().text.endsWith(" waiting to be sent") &&
    beforeSync.lines.first().tone == Tone.WAITING) { "offline captures wait to be sent: $beforeSync" }
val closedPort = java.net.ServerSocket(0).use { it.localPort }
val server = SyncServer("http://127.0.0.1:$closedPort", clock)
expectThrows(SafeShareException.Refused::class.java, "sync before enrolment") { session.sync().syncNow(server) }
expectThrows(SafeShareException.Network::class.java, "enrol with no server reachable") { session.sync().enrol(server, "ABCD-1234") }
check(session.sync().screen().lines.first() == beforeSync.lines.first()) { "nothing is lost when the network is down" }

// --- keys: a locked keystore and a wrong key are typed exceptions; the right key reopens -------
expectThrows(SafeShareException.Storage::class.java, "locked keystore") {
    Session.open(dbPath, LockedSecretStore(), clock, identity, null)
}
// A keystore bug (any exception, not the typed one) is converted, not a crash of the JVM or Rust.
class BuggySecretStore : SecretStore {
    override fun get(name: String): ByteArray? = throw IllegalStateException("bug in the keystore adapter")
    override fun put(name: String, value: ByteArray) = throw IllegalStateException("bug")
    override fun delete(name: String) = throw IllegalStateException("bug")
}
expectThrows(SafeShareException.Storage::class.java, "keystore throwing an unexpected exception") {
    Session.open(dbPath, BuggySecretStore(), clock, identity, null)
}
val wrongKey = KotlinSecretStore()
val otherKey = ByteArray(32).also { SecureRandom().nextBytes(it) }
wrongKey.secrets["safeshare.store.data-key"] = otherKey
expectThrows(SafeShareException.KeyMismatch::class.java, "wrong key") {
    Session.open(dbPath, wrongKey, clock, identity, null)
}
check(wrongKey.gets >= 1) { "Rust asked the Kotlin SecretStore for the key" }
val reopened = Session.open(dbPath, secrets, clock, identity, null)
check(observationsAbout(reopened, child.id).size == 2) { "captures survive reopening with the right key" }

dir.deleteRecursively()
println("kotlin visit: whole home visit with a Kotlin SecretStore (puts=${secrets.puts}, gets=${secrets.gets}) and Kotlin Clock (calls=${clock.calls}): ok")
