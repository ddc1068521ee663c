package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import uniffi.safeshare_core.SafeShareException
import uniffi.safeshare_core.Tone

/** Practitioners use this standing in a doorway: every tap target is at least 64 dp tall. */
val BigTarget = Modifier.fillMaxWidth().heightIn(min = 64.dp)

@Composable
fun BigButton(text: String, enabled: Boolean = true, onClick: () -> Unit) {
    Button(onClick = onClick, enabled = enabled, modifier = BigTarget.padding(vertical = 4.dp)) { Text(text, fontSize = 18.sp) }
}

/** A heading core wrote (a screen's title, a section's heading). */
@Composable
fun Heading(text: String) {
    Text(text, style = MaterialTheme.typography.headlineSmall, modifier = Modifier.padding(top = 12.dp, bottom = 4.dp).semantics { heading() })
}

/**
 * One action from a view record: its label on the button, its enabled state as core set it,
 * and core's line under it (why this number, or why it cannot be pressed now).
 */
@Composable
fun ActionButton(label: String, enabled: Boolean, detail: String?, onClick: () -> Unit) {
    BigButton(label, enabled, onClick)
    detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
}

/** How loudly a row shows, from core's [Tone]: colour only; the words are in the row. */
@Composable
fun toneColour(tone: Tone): Color = when (tone) {
    Tone.IMMEDIATE_RISK -> MaterialTheme.colorScheme.errorContainer
    Tone.OVERDUE -> MaterialTheme.colorScheme.errorContainer
    Tone.ACTION_NEEDED -> MaterialTheme.colorScheme.tertiaryContainer
    Tone.DUE_SOON -> MaterialTheme.colorScheme.secondaryContainer
    Tone.WAITING -> MaterialTheme.colorScheme.surfaceVariant
    Tone.DONE -> MaterialTheme.colorScheme.surface
}

@Composable
fun ItemCard(title: String, body: String? = null, tone: Tone = Tone.DONE, content: @Composable () -> Unit = {}) {
    Card(Modifier.fillMaxWidth().padding(vertical = 6.dp), colors = CardDefaults.cardColors(containerColor = toneColour(tone))) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            if (body != null) Text(body, style = MaterialTheme.typography.bodyLarge)
            content()
        }
    }
}

/** A record that is still being built, or core's error for it. */
@Composable
fun <T> Loaded(record: Result<T>?, content: @Composable (T) -> Unit) {
    record?.onSuccess { content(it) }?.onFailure { Text(describe(it), color = MaterialTheme.colorScheme.error) }
}

/** Core's words for a failed call, shown as they are (core never puts personal data in them). */
@Composable
fun Problem(text: String?) {
    text?.let { Text(it, color = MaterialTheme.colorScheme.error, modifier = Modifier.padding(vertical = 8.dp)) }
}

/**
 * An action that needs the practitioner's words before core is called (what to correct, a
 * reason, a code): a dialog titled with the action's label, core's `detail` as the field's
 * label, and the action's label again on the button that calls core.
 */
@Composable
fun WordsDialog(label: String, detail: String?, onDismiss: () -> Unit, onConfirm: (String) -> Unit) {
    var words by remember { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(label) },
        text = { OutlinedTextField(words, { words = it }, label = detail?.let { { Text(it) } }, modifier = BigTarget, minLines = 2) },
        confirmButton = { Button(onClick = { onConfirm(words) }) { Text(label) } },
        dismissButton = { TextButton(onClick = onDismiss) { Text(FormWords.CANCEL) } },
    )
}

/** A choice between two outcomes, each needing words (a referral's decision, a step's outcome). */
@Composable
fun ChoiceButtons(first: String, second: String, onFirst: () -> Unit, onSecond: () -> Unit) {
    OutlinedButton(onClick = onFirst, modifier = BigTarget) { Text(first) }
    OutlinedButton(onClick = onSecond, modifier = BigTarget) { Text(second) }
}

/**
 * Core's error as core worded it (`SafeShareError`'s messages never quote personal data); a
 * validation error leads with the field it is about, as core's own message does.
 */
fun describe(e: Throwable): String = when (e) {
    is SafeShareException.Validation -> "${e.field}: ${e.detail}"
    is SafeShareException.KeyMismatch -> e.detail
    is SafeShareException.Revoked -> e.detail
    is SafeShareException.UntrustedServer -> e.detail
    is SafeShareException.Network -> e.detail
    is SafeShareException.Refused -> e.detail
    is SafeShareException.NotFound -> e.detail
    is SafeShareException.Storage -> e.detail
    is SafeShareException.Internal -> e.detail
    else -> e.javaClass.simpleName
}
