package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import uk.nhs.safeshare.SafeShareApplication
import uk.nhs.safeshare.sync.SyncWorker
import uniffi.safeshare.Session

/** Sync state: what is waiting to be sent, when it last worked, and anything the server rejected. */
@Composable
fun SyncScreen(session: Session) {
    val context = LocalContext.current
    var refresh by remember { mutableStateOf(0) }
    val status by rememberQuery(refresh) { session.sync().syncStatus() }
    Column(Modifier.padding(16.dp)) {
        Text("Sync", style = MaterialTheme.typography.headlineSmall)
        status?.onSuccess { s ->
            Text("${s.pending} waiting to be sent")
            s.lastSuccess?.let { Text("Last sent ${it.local()}") }
            s.lastError?.let { Text("Last problem: $it") }
            s.rejected.forEach { item ->
                ItemCard("Not accepted by the server: ${item.kind.name.lowercase()}", "${item.reason} (captured ${item.capturedAt.local()})")
            }
            s.unreadable.forEach { ItemCard("Received but could not be read", "${it.id}: ${it.reason}") }
        }?.onFailure { Text(describe(it)) }
        BigButton("Send now") { SyncWorker.syncSoon(context); refresh++ }
        // Enrolment: the one-time code from the safeguarding admin links this phone to the
        // region's server; the core checks it and decides whose store this is.
        var code by remember { mutableStateOf("") }
        var enrolResult by remember { mutableStateOf<String?>(null) }
        OutlinedTextField(value = code, onValueChange = { code = it }, label = { Text("Enrolment code") })
        BigButton("Enrol this phone") {
            val app = context.applicationContext as SafeShareApplication
            enrolResult = runCatching { app.enrol(code) }
                .fold({ "Enrolled for ${it.teams.joinToString { t -> t.name }}" }, { describe(it) })
            refresh++
        }
        enrolResult?.let { Text(it) }
    }
}
