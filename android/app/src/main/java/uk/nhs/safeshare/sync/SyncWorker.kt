package uk.nhs.safeshare.sync

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uk.nhs.safeshare.SafeShareApplication
import uniffi.safeshare_core.SafeShareException
import java.util.concurrent.TimeUnit

/**
 * Connectivity is pushed, not polled: WorkManager runs this when the phone has a network, and
 * the core's syncNow() pushes the outbox and pulls what is addressed to the practitioner's
 * teams; core then tells the change listener, so the screens redraw without polling. Backoff
 * with jitter after failures is the core's; WorkManager only wakes us.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = withContext(Dispatchers.IO) {
        val app = applicationContext as SafeShareApplication
        // A worker can start the process: wait for the store to open (off the main thread).
        val session = app.awaitSession() ?: return@withContext Result.success()
        try {
            session.sync().syncNow(app.syncServer)
            Result.success()
        } catch (e: SafeShareException.Network) {
            Result.retry()
        } catch (e: SafeShareException.Revoked) {
            // The core has wiped the store and its key; forget the identity too.
            app.forgetDevice()
            Result.success()
        } catch (e: SafeShareException) {
            // Not worth retrying now (untrusted server, a sync already running, storage): the
            // sync screen shows core's words for it from the status.
            Result.failure()
        }
    }

    companion object {
        private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

        /** Periodic sync while online, plus one run as soon as a connection appears. */
        fun schedule(context: Context) {
            val work = WorkManager.getInstance(context)
            work.enqueueUniquePeriodicWork(
                "safeshare.sync.periodic",
                ExistingPeriodicWorkPolicy.KEEP,
                PeriodicWorkRequestBuilder<SyncWorker>(15, TimeUnit.MINUTES).setConstraints(online).build(),
            )
            syncSoon(context)
        }

        /** Called after a capture or share: runs when the network is there. */
        fun syncSoon(context: Context) {
            WorkManager.getInstance(context).enqueueUniqueWork(
                "safeshare.sync.now",
                ExistingWorkPolicy.REPLACE,
                OneTimeWorkRequestBuilder<SyncWorker>()
                    .setConstraints(online)
                    .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                    .build(),
            )
        }
    }
}
