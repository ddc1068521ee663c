package uk.nhs.safeshare

import android.app.Application
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import uk.nhs.safeshare.platform.KeystoreSecretStore
import uk.nhs.safeshare.platform.PhoneClock
import uk.nhs.safeshare.sync.SyncWorker
import uk.nhs.safeshare.ui.ChangeEvents
import uniffi.safeshare.ContactsDirectory
import uniffi.safeshare.Session
import uniffi.safeshare.SyncServer
import uniffi.safeshare.identityBeforeEnrolment
import uniffi.safeshare.isSetUp
import uniffi.safeshare_core.SafeShareException
import uniffi.safeshare_core.TeamMembership
import java.io.File

/** Where the app stands at launch; the activity shows one screen per state. */
sealed interface Launch {
    /** The store is being opened (off the main thread). */
    data object Opening : Launch

    /** No store on this phone yet: the set-up screen. */
    data object NotSetUp : Launch

    /** The store is open. */
    data class Ready(val session: Session) : Launch

    /**
     * The store is on this phone but did not open (`KeyMismatch`: the keystore's key does not
     * open it or is gone; `Storage`: the keystore or the file failed). Held, not thrown, so the
     * set-up screen shows core's one recovery for it (iOS holds it the same way, `AppModel.launch`).
     */
    data class Problem(val error: SafeShareException) : Launch
}

/**
 * Holds the one open [Session] for the app's process. Opening, like every other decision, is
 * core's: this class finds the database path and the Keystore-backed secret store and keeps
 * nothing else (who uses the phone, every team, the enrolled device id are in core's store).
 * At launch it asks core `isSetUp` and then `Session.resume`, both off the main thread.
 *
 * It also owns the two things that keep the screens current without polling: the
 * [ChangeEvents] listener registered with the session, and one timer that calls
 * `checkDeadlines` at the instant core names (core then tells the listener if a deadline
 * passed).
 */
class SafeShareApplication : Application() {
    val secrets by lazy { KeystoreSecretStore(this) }
    val clock = PhoneClock()

    /** Told by core when something a screen shows changed; screens rebuild from it. */
    val changes = ChangeEvents()

    /** Core calls run here: never on the main thread. */
    val background = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    /**
     * The regional server (BuildConfig `SYNC_BASE_URL`, https), trusting only the region's
     * certificate authority shipped as the asset `region-ca.pem` (never the public roots; see
     * docs/operations.md). Without it, core refuses with `UntrustedServer`, shown on the sync screen.
     */
    val syncServer: SyncServer
        get() = SyncServer.withRegionCa(BuildConfig.SYNC_BASE_URL, regionCaPem, clock)

    private val regionCaPem by lazy {
        runCatching { assets.open("region-ca.pem").bufferedReader().use { it.readText() } }.getOrDefault("")
    }

    private val state = MutableStateFlow<Launch>(Launch.Opening)
    val launch: StateFlow<Launch> = state.asStateFlow()

    /** The open session, or null (not set up, not open yet, or a launch problem). */
    val session: Session?
        get() = (state.value as? Launch.Ready)?.session

    private val dbPath by lazy { File(noBackupFilesDir, "safeshare.db").path }
    private var deadlineTimer: Job? = null

    override fun onCreate() {
        super.onCreate()
        open()
        SyncWorker.schedule(this)
    }

    /** Opens the store as it was left (at launch, and "Try again" on the recovery core words for a store that did not open). */
    fun open() {
        state.value = Launch.Opening
        background.launch {
            state.value = try {
                if (isSetUp(dbPath)) started(Session.resume(dbPath, secrets, clock, bundledDirectory())) else Launch.NotSetUp
            } catch (e: SafeShareException) {
                Launch.Problem(e)
            }
        }
    }

    /** The background sync waits for launch to finish; null when there is no open store. */
    suspend fun awaitSession(): Session? =
        (launch.first { it !is Launch.Opening } as? Launch.Ready)?.session

    /** The regional directory shipped with the build (the server sends newer versions). */
    fun bundledDirectory(): ContactsDirectory? =
        runCatching { assets.open("directory.jsonl").bufferedReader().use { ContactsDirectory.fromJsonl(it.readText()) } }.getOrNull()

    /**
     * First run: who uses this device and every team they work in (ids are replaced by
     * enrolment); core keeps it. Called off the main thread by the set-up screen, once core's
     * record has enabled "Set up this phone".
     */
    fun setUp(practitionerName: String, teams: List<TeamMembership>): Session {
        val identity = identityBeforeEnrolment(practitionerName, teams)
        val session = Session.open(dbPath, secrets, clock, identity, bundledDirectory())
        state.value = started(session)
        return session
    }

    /** After revocation core has wiped the store and its key; the set-up screen shows next. */
    fun forgetDevice() {
        deadlineTimer?.cancel()
        session?.setChangeListener(null)
        state.value = Launch.NotSetUp
    }

    private fun started(session: Session): Launch {
        session.setChangeListener(changes)
        deadlineTimer?.cancel()
        // One timer, not a poll: core says when something could next fall due and tells the
        // listener when it did (bindings/src/changes.rs).
        deadlineTimer = background.launch {
            while (isActive) {
                val next = try {
                    session.checkDeadlines().nextCheckAt
                } catch (e: SafeShareException) {
                    null
                }
                delay(clock.millisUntil(next))
            }
        }
        return Launch.Ready(session)
    }
}
