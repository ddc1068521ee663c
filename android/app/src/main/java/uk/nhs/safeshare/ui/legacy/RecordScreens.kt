package uk.nhs.safeshare.ui.legacy

// Not yet rewritten over a view record: its screen's record is issue 17 item 1, not in core
// yet. tests/shell-rules-check allows this file by name until then.

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import uk.nhs.safeshare.ui.BigButton
import uk.nhs.safeshare.ui.BigTarget
import uk.nhs.safeshare.ui.ItemCard
import uk.nhs.safeshare.ui.describe
import uk.nhs.safeshare.ui.offMain
import uniffi.safeshare_core.ChecklistKind
import uniffi.safeshare_core.DetailKind
import uniffi.safeshare_core.ItemState
import uniffi.safeshare_core.SafeShareException
import uniffi.safeshare.Session

/** A child's chronology as the core builds it: observations, voice, shares, referrals, calls. */
@Composable
fun ChronologyScreen(session: Session, person: String) {
    val entries by rememberQuery(person) { session.visits().chronologyForChild(person) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text("Chronology", style = MaterialTheme.typography.headlineSmall)
        entries?.onSuccess { list ->
            list.forEach { e -> ItemCard("${e.at.local()} · ${e.kind.replace('_', ' ')}", e.summary) }
        }?.onFailure { Text(describe(it)) }
    }
}

/** Admission, handover and discharge checklists: nothing required is skipped silently. */
@Composable
fun ChecklistScreen(session: Session, person: String) {
    var refresh by remember { mutableStateOf(0) }
    val lists by rememberQuery(person, refresh) { session.checklists().checklistsFor(person) }
    var note by remember { mutableStateOf("") }
    var message by remember { mutableStateOf<String?>(null) }
    val scope = rememberCoroutineScope()
    // Core writes run off the main thread.
    fun act(block: () -> Unit) {
        scope.launch {
            offMain(block).onSuccess { refresh++; message = null }.onFailure { e ->
                message = if (e is SafeShareException.Refused && e.openItems.isNotEmpty()) "${e.detail} (${e.openItems.size} still open)" else describe(e)
            }
        }
    }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        ChecklistKind.entries.forEach { kind -> BigButton("Start ${kind.name.lowercase()} checklist") { act { session.checklists().startChecklist(kind, person) } } }
        OutlinedTextField(note, { note = it }, label = { Text("Note or reason") }, modifier = BigTarget)
        lists?.onSuccess { all ->
            all.forEach { list ->
                ItemCard(list.title + if (list.completed != null) " (complete)" else "") {
                    list.items.forEach { item ->
                        val state = when (val s = item.state) {
                            ItemState.Open -> if (item.required) "required" else "optional"
                            is ItemState.Done -> "done"
                            is ItemState.NotApplicable -> "not applicable: ${s.reason}"
                        }
                        Text("${item.text} — $state")
                        if (item.state == ItemState.Open && item.detail != DetailKind.CONTACTS && item.detail != DetailKind.CONTACTS_WITH_OUT_OF_HOURS) {
                            BigButton("Done") { act { session.checklists().checklistMarkDone(list.id, item.key, note.ifBlank { null }, emptyList()) } }
                        }
                        if (item.state == ItemState.Open) BigButton("Not applicable") { act { session.checklists().checklistMarkNotApplicable(list.id, item.key, note) } }
                    }
                    if (list.completed == null) BigButton("Complete checklist") { act { session.checklists().completeChecklist(list.id) } }
                }
            }
        }?.onFailure { Text(describe(it)) }
        message?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    }
}
