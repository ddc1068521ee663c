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
import java.io.File

/**
 * Holds the one open [Session] for the app's process. Opening, like every other decision, is
 * the core's: this class only finds the database path, the Keystore-backed secret store and
 * the identity the practitioner set up on this device.
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

    private val prefs by lazy { getSharedPreferences("safeshare.identity", MODE_PRIVATE) }

    override fun onCreate() {
        super.onCreate()
        storedIdentity()?.let { open(it) }
        SyncWorker.schedule(this)
    }

    /** The regional directory shipped with the build (the server sends newer versions). */
    fun bundledDirectory(): ContactsDirectory? =
        runCatching { assets.open("directory.jsonl").bufferedReader().use { ContactsDirectory.fromJsonl(it.readText()) } }.getOrNull()

    /** First run: records who uses this device (ids are replaced by enrolment) and opens the store. */
    fun setUp(practitionerName: String, team: TeamMembership): Session {
        val identity = identityBeforeEnrolment(practitionerName, listOf(team))
        remember(identity)
        return open(identity)
    }

    /**
     * Enrols this device with the one-time code from the region's admin. On a fresh install the
     * core takes the practitioner the code was issued for; the identity it returns is what the
     * next launch must open the store with, so it is remembered here.
     */
    fun enrol(code: String): Identity {
        val current = session ?: error("set up this device before enrolling")
        val identity = current.sync().enrol(syncServer, code.trim())
        remember(identity)
        return identity
    }

    private fun remember(identity: Identity) {
        val team = identity.teams.firstOrNull()
        prefs.edit()
            .putString("practitioner_id", identity.practitioner)
            .putString("practitioner_name", identity.practitionerName)
            .putString("team_id", team?.id ?: "")
            .putString("team_name", team?.name ?: "")
            .putString("device_id", identity.device)
            .apply()
    }

    private fun open(identity: Identity): Session {
        val db = File(noBackupFilesDir, "safeshare.db").path
        return Session.open(db, secrets, clock, identity, bundledDirectory()).also { session = it }
    }

    private fun storedIdentity(): Identity? {
        val id = prefs.getString("practitioner_id", null) ?: return null
        return Identity(
            id,
            prefs.getString("practitioner_name", "") ?: "",
            listOf(TeamMembership(prefs.getString("team_id", "") ?: "", prefs.getString("team_name", "") ?: "")),
            prefs.getString("device_id", "") ?: "",
        )
    }

    /** After revocation the core has wiped the store; forget the identity too. */
    fun forgetDevice() {
        session = null
        prefs.edit().clear().apply()
    }
}
