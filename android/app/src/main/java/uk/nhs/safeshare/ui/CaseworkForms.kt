package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import uniffi.safeshare.Session
import uniffi.safeshare.caseworkFormText
import uniffi.safeshare.caseworkFormWithChoice
import uniffi.safeshare.caseworkFormWithText
import uniffi.safeshare_core.CaseworkFormDraft
import uniffi.safeshare_core.CaseworkFormItem
import uniffi.safeshare_core.CaseworkFormKind
import uniffi.safeshare_core.CaseworkFormSaved
import uniffi.safeshare_core.CaseworkFormScreen
import uniffi.safeshare_core.ScreenName

/*
 * The casework forms as core builds them (`casework().form(draft)`): Prepare a meeting pack,
 * Record supervision and Amend an observation, in one shape — core's fields in core's order,
 * each choice, what is required and wrong, and Save enabled as core says. The same form and
 * words as iOS (`CaseworkForms.swift`). Times are typed as London date and time and read by
 * core; nothing here converts, formats or checks them. The draft comes from core
 * (`formDraft(kind)`, built off the main thread with the first form), changes only through
 * core's `caseworkFormWith…` functions (pure, no store) and goes back to core with every
 * keystroke and tap; Save is `casework().saveForm(draft)`, off the main thread.
 */

/** What a casework form's Save can change. */
private val FORM_SCREENS = setOf(ScreenName.MEETING_PACKS, ScreenName.SUPERVISION, ScreenName.VISIT)

/** The draft and the form core built for it (the first build also makes the draft). */
private class Built(val draft: CaseworkFormDraft, val form: CaseworkFormScreen)

/**
 * The form [kind] names, shown in place of its screen; [run] makes each opening a fresh draft.
 * [onDone] gets what Save recorded, or null when cancelled.
 */
@Composable
fun CaseworkFormPanel(session: Session, changes: ChangeEvents, kind: CaseworkFormKind, run: Int, onDone: (CaseworkFormSaved?) -> Unit) {
    val model = viewModel(key = "casework-form-$kind-$run") {
        ScreenModel<CaseworkFormDraft?, Built>(session, changes, FORM_SCREENS, null) { s, d ->
            val draft = d ?: s.casework().formDraft(kind)
            Built(draft, s.casework().form(draft))
        }
    }
    /** The draft being typed: the input once changed, until then the one core made. */
    fun draft(): CaseworkFormDraft? = model.input ?: model.record?.getOrNull()?.draft
    fun edit(change: (CaseworkFormDraft) -> CaseworkFormDraft) {
        draft()?.let { model.update(change(it)) }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { built ->
            val screen = built.form
            val typed = draft() ?: built.draft
            Heading(screen.title)
            Text(screen.about, style = MaterialTheme.typography.titleMedium)
            screen.items.forEach { item ->
                when (item) {
                    is CaseworkFormItem.Field -> {
                        val field = item.field
                        OutlinedTextField(
                            caseworkFormText(typed, field.key),
                            { text -> edit { caseworkFormWithText(it, field.key, text) } },
                            label = { Text(field.label) },
                            supportingText = { Text(field.problem ?: field.shown ?: field.hint) },
                            isError = field.problem != null,
                            singleLine = !field.multiline,
                            minLines = if (field.multiline) 4 else 1,
                            modifier = BigTarget,
                        )
                        if (field.shown != null) Text(field.hint, style = MaterialTheme.typography.bodyMedium)
                    }
                    is CaseworkFormItem.Choices -> {
                        val list = item.list
                        Text(list.label, style = MaterialTheme.typography.titleMedium)
                        Text(list.hint, style = MaterialTheme.typography.bodyMedium)
                        list.empty?.let { Text(it) }
                        list.options.forEach { o ->
                            Choice(o.label, o.selected) { edit { caseworkFormWithChoice(it, o.choice) } }
                            o.detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
                        }
                    }
                    is CaseworkFormItem.Shown -> ItemCard(item.label, item.text)
                }
            }
            ActionButton(screen.saveLabel, screen.saveEnabled, screen.saveDetail) {
                val draft = typed
                model.act({ it.casework().saveForm(draft) }) { saved -> onDone(saved) }
            }
            ActionButton(FormWords.CANCEL, true, null) { onDone(null) }
        }
        Problem(model.problem)
    }
}
