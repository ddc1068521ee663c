package uk.nhs.safeshare

import android.app.Application
import uk.nhs.safeshare.platform.KeystoreSecretStore
import uk.nhs.safeshare.platform.PhoneClock
import uk.nhs.safeshare.sync.SyncWorker
import uniffi.safeshare.ContactsDirectory
import uniffi.safeshare_core.Identity
import uniffi.safeshare.Session
import uniffi.safeshare.SyncServer
import uniffi.safeshare_core.TeamMembership
import uniffi.safeshare.identityBeforeEnrolment
import uniffi.safeshare.isSetUp
import uniffi.safeshare_core.SafeShareException
import java.io.File

/**
 * Holds the one open [Session] for the app's process. Opening, like every other decision, is
 * the core's: this class only finds the database path and the Keystore-backed secret store.
 * Who uses the device (every team, the enrolled device id) is kept by the core in its store,
 * so the app keeps nothing else: at launch it resumes the store when one was set up.
 */
class SafeShareApplication : Application() {
    val secrets by lazy { KeystoreSecretStore(this) }
    val clock = PhoneClock()

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

    @Volatile
    var session: Session? = null
        private set

    private val dbPath by lazy { File(noBackupFilesDir, "safeshare.db").path }

    /**
     * Why the store did not open at launch (e.g. `KeyMismatch` after a Keystore reset): held,
     * not thrown, so the app starts and a screen can show the core's words; iOS holds it the
     * same way (`AppModel.launchError`).
     */
    @Volatile
    var launchError: SafeShareException? = null
        private set

    override fun onCreate() {
        super.onCreate()
        if (isSetUp(dbPath)) {
            try {
                session = Session.resume(dbPath, secrets, clock, bundledDirectory())
            } catch (e: SafeShareException) {
                launchError = e
            }
        }
        SyncWorker.schedule(this)
    }

    /** The regional directory shipped with the build (the server sends newer versions). */
    fun bundledDirectory(): ContactsDirectory? =
        runCatching { assets.open("directory.jsonl").bufferedReader().use { ContactsDirectory.fromJsonl(it.readText()) } }.getOrNull()

    /** First run: who uses this device (ids are replaced by enrolment); the core keeps it. */
    fun setUp(practitionerName: String, team: TeamMembership): Session {
        val identity = identityBeforeEnrolment(practitionerName, listOf(team))
        return Session.open(dbPath, secrets, clock, identity, bundledDirectory()).also { session = it }
    }

    /**
     * Enrols this device with the one-time code from the region's admin. On a fresh install the
     * core takes the practitioner the code was issued for and keeps the identity it returns.
     */
    fun enrol(code: String): Identity {
        val current = session ?: error("set up this device before enrolling")
        return current.sync().enrol(syncServer, code.trim())
    }

    /** After revocation the core has wiped the store and its key; the next launch sets up anew. */
    fun forgetDevice() {
        session = null
    }
}
