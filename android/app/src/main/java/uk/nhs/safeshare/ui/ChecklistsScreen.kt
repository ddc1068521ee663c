package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Checkbox
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import uniffi.safeshare.Session
import uniffi.safeshare_core.ChecklistAction
import uniffi.safeshare_core.ChecklistActionKind
import uniffi.safeshare_core.ChecklistScreen
import uniffi.safeshare_core.ContactChoice
import uniffi.safeshare_core.ContactRef
import uniffi.safeshare_core.ScreenName

/**
 * A person's checklists as core builds them (`Checklists.screen`), one checklist
 * (`checklistScreen`) and, for a contacts item, the contact picker (`contactPicker`). Which
 * items are open, what each needs and whether an action can be pressed are core's; the shell
 * shows the words and passes taps back. A contacts item is closable from here: "Record the team
 * around the child" carries the contacts core chose, and the picker's choices go to
 * `checklistMarkDone`.
 */
@Composable
fun ChecklistsScreen(session: Session, changes: ChangeEvents, person: String) {
    // Which checklist is open, and which item's picker; null shows the list.
    var open by remember { mutableStateOf<String?>(null) }
    var picking by remember { mutableStateOf<ChecklistActionKind.PickContacts?>(null) }
    val list = viewModel(key = "checklists/$person") {
        ScreenModel(session, changes, setOf(ScreenName.CHECKLISTS), person) { s, p -> s.checklists().screen(p) }
    }
    val one = viewModel(key = "checklist/$person") {
        ScreenModel<String?, ChecklistScreen?>(session, changes, setOf(ScreenName.CHECKLISTS), null) { s, id -> id?.let { s.checklists().checklistScreen(it) } }
    }
    // The action whose words are being asked for (a note, a reason).
    var asking by remember { mutableStateOf<ChecklistAction?>(null) }

    fun perform(model: ScreenModel<*, *>, action: ChecklistAction) {
        when (val kind = action.kind) {
            is ChecklistActionKind.Start -> model.act({ it.checklists().startChecklist(kind.kind, kind.person) }) { c ->
                open = c.id
                one.update(c.id)
            }
            is ChecklistActionKind.Open -> {
                open = kind.checklist
                one.update(kind.checklist)
            }
            is ChecklistActionKind.MarkDone ->
                if (kind.needsNote) {
                    asking = action
                } else {
                    model.act({ it.checklists().checklistMarkDone(kind.checklist, kind.key, null, emptyList()) })
                }
            is ChecklistActionKind.RecordContacts ->
                model.act({ it.checklists().checklistMarkDone(kind.checklist, kind.key, null, kind.contacts) })
            is ChecklistActionKind.PickContacts -> picking = kind
            is ChecklistActionKind.MarkNotApplicable -> asking = action
            is ChecklistActionKind.Complete -> model.act({ it.checklists().completeChecklist(kind.checklist) })
        }
    }

    val pick = picking
    if (pick != null) {
        ContactPickerScreen(session, changes, pick) { picking = null; one.rebuild() }
        return
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        if (open == null) {
            Loaded(list.record) { screen ->
                Heading(screen.title)
                Text(screen.person)
                screen.empty?.let { Text(it) }
                screen.rows.forEach { row ->
                    ItemCard(row.title, row.status, row.tone) {
                        Text(row.started)
                        row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(list, a) } }
                    }
                }
                screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(list, a) } }
            }
            Problem(list.problem)
        } else {
            Loaded(one.record) { built ->
                // Null only before a checklist is chosen.
                built?.let { screen ->
                    Heading(screen.title)
                    ItemCard(screen.person, screen.status, screen.tone) {
                        Text(screen.started)
                        screen.notice?.let { Text(it) }
                    }
                    screen.items.forEach { item ->
                        ItemCard(item.text, item.state, item.tone) {
                            Text(item.needs)
                            item.recorded.forEach { Text(it) }
                            item.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(one, a) } }
                        }
                    }
                    screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(one, a) } }
                }
            }
            Problem(one.problem)
            BigButton(FormWords.BACK) { open = null; list.rebuild() }
        }
    }

    asking?.let { action ->
        val done = { asking = null }
        WordsDialog(action.label, action.detail, done) { words ->
            done()
            when (val kind = action.kind) {
                is ChecklistActionKind.MarkDone -> one.act({ it.checklists().checklistMarkDone(kind.checklist, kind.key, words, emptyList()) })
                is ChecklistActionKind.MarkNotApplicable -> one.act({ it.checklists().checklistMarkNotApplicable(kind.checklist, kind.key, words) })
                else -> Unit
            }
        }
    }
}

/**
 * The contact picker core builds for one item: the team around the child first, then the
 * directory's teams for the search; each choice enabled only where core says the item would
 * accept it (disabled ones show core's reason). The chosen contacts are recorded with
 * `checklistMarkDone`.
 */
@Composable
fun ContactPickerScreen(session: Session, changes: ChangeEvents, pick: ChecklistActionKind.PickContacts, close: () -> Unit) {
    val model = viewModel(key = "picker/${pick.checklist}/${pick.key}") {
        ScreenModel(session, changes, setOf(ScreenName.CHECKLISTS), PickerInput("", emptyList())) { s, input ->
            s.checklists().contactPicker(pick.checklist, pick.key, input.query, input.chosen)
        }
    }
    val chosen = model.input.chosen

    @Composable
    fun Choice(choice: ContactChoice) {
        ItemCard(choice.title, choice.subtitle) {
            Text(choice.numbers)
            Row(verticalAlignment = Alignment.CenterVertically) {
                Checkbox(
                    checked = choice.contact in chosen,
                    enabled = choice.enabled,
                    onCheckedChange = { on -> model.update(model.input.copy(chosen = if (on) chosen + choice.contact else chosen - choice.contact)) },
                )
                choice.detail?.let { Text(it) }
            }
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { picker ->
            Heading(picker.title)
            Text(picker.needs)
            picker.warning?.let { Text(it) }
            picker.suggested.forEach { Choice(it) }
            OutlinedTextField(model.input.query, { model.update(model.input.copy(query = it)) }, label = { Text(picker.searchLabel) }, modifier = BigTarget)
            picker.empty?.let { Text(it) }
            picker.found.forEach { Choice(it) }
            // Core's Record action for the chosen contacts: its label, whether it is enabled, why not.
            BigButton(picker.record.label, enabled = picker.record.enabled) {
                model.act({ it.checklists().checklistMarkDone(pick.checklist, pick.key, null, chosen) }) { close() }
            }
            picker.record.detail?.let { Text(it) }
        }
        Problem(model.problem)
        BigButton(FormWords.CANCEL) { close() }
    }
}

/** What the contact picker is built from: the search and the contacts ticked so far. */
data class PickerInput(val query: String, val chosen: List<ContactRef>)
