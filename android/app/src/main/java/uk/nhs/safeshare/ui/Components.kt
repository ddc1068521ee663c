package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.MutableState
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uniffi.safeshare_core.SafeShareException
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter

/** Practitioners use this standing in a doorway: every tap target is at least 64 dp tall. */
val BigTarget = Modifier.fillMaxWidth().heightIn(min = 64.dp)

@Composable
fun BigButton(text: String, onClick: () -> Unit) {
    Button(onClick = onClick, modifier = BigTarget.padding(vertical = 4.dp)) { Text(text, fontSize = 18.sp) }
}

@Composable
fun ItemCard(title: String, body: String? = null, content: @Composable () -> Unit = {}) {
    Card(Modifier.fillMaxWidth().padding(vertical = 6.dp)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            if (body != null) Text(body, style = MaterialTheme.typography.bodyLarge)
            content()
        }
    }
}

/** Shows a core error as the core worded it; the field name, when there is one, leads. */
fun describe(e: Throwable): String = when (e) {
    is SafeShareException.Validation -> "${e.field.replace('_', ' ')}: ${e.detail}"
    is SafeShareException.Refused -> e.detail
    is SafeShareException.KeyMismatch -> "This device's key does not open the records. Nothing was changed."
    is SafeShareException.Network -> "No connection. Saved on the phone; it will be sent later."
    is SafeShareException.UntrustedServer -> "The sync server is not trusted: ${e.detail}. Nothing was sent; tell your IT service desk."
    is SafeShareException -> e.message ?: "Something went wrong"
    else -> "Something went wrong"
}

/** Runs a core query off the main thread and keeps its result (or its error) as state. */
@Composable
fun <T> rememberQuery(vararg keys: Any?, query: () -> T): MutableState<Result<T>?> {
    val state = remember(*keys) { mutableStateOf<Result<T>?>(null) }
    LaunchedEffect(*keys) { state.value = withContext(Dispatchers.IO) { runCatching(query) } }
    return state
}

private val londonTime = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm").withZone(ZoneId.of("Europe/London"))

/** An instant as the practitioner reads it (London time). */
fun Instant.local(): String = londonTime.format(this)
