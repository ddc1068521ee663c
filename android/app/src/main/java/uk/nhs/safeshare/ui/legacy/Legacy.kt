package uk.nhs.safeshare.ui.legacy

import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.MutableState
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter

/*
 * What the screens not yet rewritten over a view record still use (Visit and capture,
 * chronology, Checklists, Set up: their records are issue 17 item 1, not in core yet). The
 * rewritten screens use neither: this file goes when the last of those screens is rewritten
 * (tests/shell-rules-check allows it by name until then).
 */

/** Runs a core query off the main thread and keeps its result (or its error) as state. */
@Composable
fun <T> rememberQuery(vararg keys: Any?, query: () -> T): MutableState<Result<T>?> {
    val state = remember(*keys) { mutableStateOf<Result<T>?>(null) }
    LaunchedEffect(*keys) { state.value = withContext(Dispatchers.IO) { runCatching(query) } }
    return state
}

private val londonTime = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm").withZone(ZoneId.of("Europe/London"))

/** An instant as the practitioner reads it (London time), until core's records word it. */
fun Instant.local(): String = londonTime.format(this)
