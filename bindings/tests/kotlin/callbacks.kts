// Platform callbacks that misbehave, driven from Kotlin on a real JVM the way an Android app
// uses the library (issue 22): a Clock that throws at each read of a capture in turn; a
// SecretStore that calls back into the session from inside each of its methods during open,
// enrolment, sync and wipe; eight threads capturing while another syncs over real HTTP. Every
// step runs under a watchdog: a hang halts the JVM with a failure instead of stalling the run.
import uniffi.safeshare.*
import uniffi.safeshare_core.*
import java.io.File
import java.nio.file.Files
import java.time.Instant
import java.util.concurrent.Callable
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread

/** Runs `block` on a worker thread; if it has not finished within `seconds`, fails the run. */
fun <T> within(seconds: Long, what: String, block: () -> T): T {
    val pool = Executors.newSingleThreadExecutor { r -> Thread(r, "watched: $what").apply { isDaemon = true } }
    try {
        return pool.submit(Callable { block() }).get(seconds, TimeUnit.SECONDS)
    } catch (e: TimeoutException) {
        System.err.println("HUNG: $what did not finish within $seconds s")
        Runtime.getRuntime().halt(3)
        throw e
    } catch (e: ExecutionException) {
        throw e.cause ?: e
    } finally {
        pool.shutdown()
    }
}

fun <T : Throwable> expectThrows(kind: Class<T>, what: String, block: () -> Unit): T {
    try {
        block()
    } catch (e: Throwable) {
        if (kind.isInstance(e)) return kind.cast(e)
        throw AssertionError("$what: expected ${kind.simpleName}, got $e")
    }
    throw AssertionError("$what: expected ${kind.simpleName}, nothing was thrown")
}

val url = System.getenv("SAFESHARE_TEST_SERVER") ?: throw AssertionError("run-kotlin starts the server")
val code = System.getenv("SAFESHARE_TEST_CODE_2") ?: throw AssertionError("run-kotlin issues a second code")
// The store holds captures before it enrols, so it is opened for the practitioner the code names.
val practitioner = System.getenv("SAFESHARE_TEST_PRACTITIONER_2") ?: throw AssertionError("run-kotlin names the practitioner")
val root = File(System.getProperty("user.dir"))
val directory = ContactsDirectory.fromJsonl(File(root, "data/directory/sample-fictional.jsonl").readText())
val healthVisitingNorth = "01M6A6FT00C9H0VZ4YE6QQ9FM9"
val midwiferyTeam = "01M6A6FT00TTZHYYZ9RZKXMQAR"
val work = Files.createTempDirectory("safeshare-kotlin-callbacks").toFile()

fun identity(who: String? = null): Identity {
    val fresh = identityBeforeEnrolment("Hana Visitor", listOf(TeamMembership(healthVisitingNorth, "Health visiting (north)")))
    return if (who == null) fresh else fresh.copy(practitioner = who)
}
/// The observations about `child` as its chronology lists them (each row with "Open history").
fun observationsAbout(s: Session, child: String) =
    s.chronologyScreen(child).rows.count { row -> row.actions.any { it.kind is ChronologyActionKind.OpenObservation } }
/// The Sync screen's first line for `n` items in the outbox (core's words for the count).
fun waitingWords(n: Long) = when (n) {
    0L -> "Nothing waiting to be sent"
    1L -> "1 item waiting to be sent"
    else -> "$n items waiting to be sent"
}

fun observation(child: String, shared: Boolean) = NewObservationInput(child, null, ConcernCategory.WasNotBrought, Severity.CONCERN,
    Evidence.ObservedFact, "Not brought to the 12-month review; second missed appointment", null, null,
    if (shared) ShareRequest(midwiferyTeam, "Second was-not-brought; please check at your next contact", null) else null)

class MapSecretStore : SecretStore {
    val secrets = java.util.concurrent.ConcurrentHashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = secrets[name]
    override fun put(name: String, value: ByteArray) { secrets[name] = value.copyOf() }
    override fun delete(name: String) { secrets.remove(name) }
}

// --- 1. A clock that throws at the 1st, 2nd, ... read of a capture, until the capture needs fewer
// reads than the one that fails: each time a typed error, nothing written, and the next capture
// and every read work.
class FlakyClock : Clock {
    val reads = AtomicInteger(0)
    @Volatile var failAt = 0
    override fun now(): Instant {
        val read = reads.incrementAndGet()
        if (read == failAt) throw IllegalStateException("clock service died (read $read)")
        return Instant.now()
    }
    fun arm(at: Int) { reads.set(0); failAt = at }
}
within(120, "clock failing at each read of a capture") {
    val clock = FlakyClock()
    val session = Session.open(File(work, "clock.db").path, MapSecretStore(), clock, identity(), directory)
    val household = session.visits().addHousehold(null)
    val child = session.visits().addPerson(household, PersonRole.Child, PersonDetails("Alex Example", null, "2024-05-10", null, null, null, null))
    var stored = 0
    var failures = 0
    var failAt = 1
    while (true) {
        clock.arm(failAt)
        val outcome = runCatching { session.visits().captureObservation(observation(child.id, true)) }
        val reads = clock.reads.get()
        clock.arm(0)
        if (outcome.isSuccess) {
            check(reads < failAt) { "read $failAt was to fail, yet the capture succeeded" }
            stored++
            break
        }
        val err = outcome.exceptionOrNull()
        check(err is SafeShareException.Storage) { "read $failAt: expected Storage, got $err" }
        failures++
        check(observationsAbout(session, child.id) == stored) { "nothing half-written after failing read $failAt" }
        check(SessionTools(session).pendingEnvelopes().size == stored) { "no envelope without its capture (read $failAt)" }
        session.visits().captureObservation(observation(child.id, true))
        stored++
        check(session.shares().sentScreen().rows.size == stored) { "the next capture works after failing read $failAt" }
        failAt++
    }
    check(failures >= 1) { "the capture read the clock at least once" }
    check(observationsAbout(session, child.id) == stored && SessionTools(session).pendingEnvelopes().size == stored) { "counts exact: $stored" }
    check(session.sync().screen().lines.first().text == waitingWords(stored.toLong())) { "sync screen ${session.sync().screen().lines}" }
    println("  clock: $failures failing read(s) each a typed Storage error; $stored captures stored, counts exact")
}

// --- 2. A keystore that calls back into the session from inside get, put and delete, during open,
// enrolment, sync and wipe: each call back completes or gets a typed error, never a hang.
val inCallback = ThreadLocal.withInitial { false }
class ReentrantSecretStore : SecretStore {
    val secrets = MapSecretStore()
    @Volatile var target: Session? = null
    @Volatile var person: String? = null
    @Volatile var server: SyncServer? = null
    val answers = java.util.Collections.synchronizedList(mutableListOf<String>())
    fun callBack(method: String) {
        val session = target ?: return
        if (inCallback.get()) return
        inCallback.set(true)
        try {
            for ((what, call) in listOf<Pair<String, () -> Unit>>(
                "read" to { person?.let { session.chronologyScreen(it) } ?: SessionTools(session).pendingEnvelopes() },
                "status" to { session.sync().screen() },
                "sync" to { server?.let { session.sync().syncNow(it) } },
            )) {
                val answer = try { call(); "ok" } catch (e: SafeShareException) { e.javaClass.simpleName }
                answers.add("$method/$what: $answer")
            }
        } finally {
            inCallback.set(false)
        }
    }
    fun take(): List<String> { val out = answers.toList(); answers.clear(); return out }
    override fun get(name: String): ByteArray? { callBack("get"); return secrets.get(name) }
    override fun put(name: String, value: ByteArray) { callBack("put"); secrets.put(name, value) }
    override fun delete(name: String) { callBack("delete"); secrets.delete(name) }
}
class RealClock : Clock { override fun now(): Instant = Instant.now() }

val clock = RealClock()
val keystore = ReentrantSecretStore()
val server = SyncServer.withRegionCa(url, java.io.File(System.getenv("SAFESHARE_TEST_CA") ?: throw AssertionError("run-kotlin makes the CA")).readText(), clock)
val dbPath = File(work, "field.db").path
val session = Session.open(dbPath, keystore, clock, identity(practitioner), directory)
val household = session.visits().addHousehold(null)
val child = session.visits().addPerson(household, PersonRole.Child, PersonDetails("Alex Example", null, "2024-05-10", null, null, null, null))
keystore.target = session
keystore.person = child.id
keystore.server = server

// Open: a second session on the same file, whose keystore calls into the first while it opens.
val second = within(60, "keystore calling back during open") { Session.open(dbPath, keystore, clock, session.identity(), null) }
val duringOpen = keystore.take()
// (Not enrolled yet, so a sync started from inside is refused; reads complete.)
check(duringOpen.isNotEmpty() && duringOpen.all { it.endsWith(": ok") || it.endsWith(": Refused") }) { "open: $duringOpen" }
check(duringOpen.filter { !it.contains("/sync") }.all { it.endsWith(": ok") }) { "open: $duringOpen" }
check(second.chronologyScreen(child.id).title.contains("Alex Example")) { "the second session reads the first's records" }
second.destroy()

// Enrolment: the keystore keeps the new device key (put) and calls back; a sync started from
// inside it is refused (one sync at a time), reads complete.
val enrolled = within(60, "keystore calling back during enrolment") { session.sync().enrol(server, code) }
val duringEnrol = keystore.take()
check(duringEnrol.any { it.startsWith("put/") }) { "enrolment stored the device key: $duringEnrol" }
check(duringEnrol.all { it.endsWith(": ok") || it.endsWith(": Refused") }) { "enrolment: $duringEnrol" }
check(duringEnrol.filter { it.contains("/sync") }.all { it.endsWith(": Refused") }) { "no second sync during enrolment: $duringEnrol" }

// Captured after enrolment, so its envelope carries the device id the server issued.
session.visits().captureObservation(observation(child.id, true))

// Sync: the keystore hands over the device key (get) and calls back, including a nested sync.
val report = within(60, "keystore calling back during sync") { session.sync().syncNow(server) }
val duringSync = keystore.take()
check(report.accepted >= 1uL) { "report $report" }
check(duringSync.any { it.startsWith("get/") }) { "sync read the device key: $duringSync" }
check(duringSync.all { it.endsWith(": ok") || it.endsWith(": Refused") }) { "sync: $duringSync" }
check(duringSync.filter { it.contains("/sync") }.all { it.endsWith(": Refused") }) { "a sync from inside a sync is refused: $duringSync" }

// --- 3. Eight threads capturing while another thread syncs: every capture stored and sent once.
keystore.target = null
val pendingBefore = SessionTools(session).pendingEnvelopes().size.toLong()
check(session.sync().screen().lines.first().text == waitingWords(pendingBefore)) { "before: ${session.sync().screen().lines}" }
val perThread = 12
val sent = AtomicLong(0)
within(300, "eight capturers and a syncer") {
    val capturing = java.util.concurrent.atomic.AtomicBoolean(true)
    val syncer = thread(name = "syncer") {
        while (capturing.get()) {
            val r = session.sync().syncNow(server)
            sent.addAndGet((r.accepted + r.duplicate).toLong())
        }
    }
    val capturers = (1..8).map { n ->
        thread(name = "capturer-$n") { repeat(perThread) { session.visits().captureObservation(observation(child.id, true)) } }
    }
    capturers.forEach { it.join() }
    capturing.set(false)
    syncer.join()
    val last = session.sync().syncNow(server)
    sent.addAndGet((last.accepted + last.duplicate).toLong())
}
val captured = 8 * perThread
check(observationsAbout(session, child.id) == 1 + captured) { "observations ${observationsAbout(session, child.id)}" }
check(sent.get() == pendingBefore + captured) { "sent ${sent.get()}, expected ${pendingBefore + captured}" }
val status = session.sync().screen()
check(status.lines.first().text == waitingWords(0) && status.summary == SyncSummary.ALL_SYNCED) { "status $status" }
println("  concurrency: 8 threads x $perThread captures while syncing; ${sent.get()} envelopes sent once each")

// --- 4. Wipe: the keystore's delete calls back into the session being wiped: Revoked, no hang.
keystore.target = session
within(60, "keystore calling back during wipe") { session.wipeLocal() }
val duringWipe = keystore.take()
check(duringWipe.any { it.startsWith("delete/") }) { "wipe deleted the key: $duringWipe" }
check(duringWipe.all { it.endsWith(": Revoked") }) { "wipe: $duringWipe" }
check(!File(dbPath).exists()) { "the store file is erased" }
expectThrows(SafeShareException.Revoked::class.java, "after wipe") { session.chronologyScreen(child.id) }

// --- 5. A destroyed session: the generated code refuses the call before it reaches Rust with
// IllegalStateException (documented in docs/bindings.md); the library carries on.
session.destroy()
expectThrows(IllegalStateException::class.java, "call after destroy") { session.identity() }
val fresh = Session.open(File(work, "after.db").path, MapSecretStore(), clock, identity(), null)
check(fresh.identity().practitionerName == "Hana Visitor")
fresh.close()

work.deleteRecursively()
println("kotlin callbacks: throwing clock, re-entrant keystore (open, enrolment, sync, wipe), concurrent capture + sync, destroyed session: ok")
