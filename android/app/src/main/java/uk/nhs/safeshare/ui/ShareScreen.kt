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
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavController
import uk.nhs.safeshare.sync.SyncWorker
import uniffi.safeshare.Session
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.ShareAction
import uniffi.safeshare_core.ShareActionKind
import uniffi.safeshare_core.ShareDraft
import uniffi.safeshare_core.ShareField
import uniffi.safeshare_core.ShareRequest
import uniffi.safeshare_core.ShareTeamRow

/**
 * Share as core builds it (`Shares.shareScreen(draft)`): what will be shared, the involved
 * teams not yet told, the teams covering the postcode, each severity with by when the team
 * must acknowledge it (core's London time), the message, and "Send" / "Call" enabled as core
 * says. The draft starts from the capture screen's "Share this concern" and goes back to core
 * with every choice and keystroke.
 */
@Composable
fun ShareScreen(session: Session, changes: ChangeEvents, start: ShareDraft, nav: NavController) {
    val context = LocalContext.current
    val model = viewModel(key = "share-${start.about}-${start.observations}-${start.voiceNotes}") {
        ScreenModel(session, changes, setOf(ScreenName.SHARES_SENT), start) { s, draft -> s.shares().shareScreen(draft) }
    }
    val draft = model.input

    // Read at the tap or keystroke, so an edit never starts from a draft drawn earlier.
    fun edit(change: (ShareDraft) -> ShareDraft) = model.update(change(model.input))

    fun perform(action: ShareAction) {
        when (val kind = action.kind) {
            is ShareActionKind.ChooseTeam -> edit { it.copy(team = kind.team) }
            is ShareActionKind.Send -> {
                // Core enables "Send" only once a team is chosen; its severity is core's (never
                // below what the records carry).
                val team = kind.team ?: return
                val d = model.input
                model.act({ it.shares().shareWithTeam(d.about, d.observations, d.voiceNotes, ShareRequest(team, d.message, kind.severity)) }) {
                    SyncWorker.syncSoon(context)
                    nav.navigate(Routes.SHARES) { popUpTo(Routes.TODAY) }
                }
            }
            is ShareActionKind.Call ->
                model.act({ it.contacts().startCall(kind.team, null, kind.about) }) { placeCall(context, it.target) }
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.directoryWarning?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            screen.clockWarning?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            Text(screen.about, style = MaterialTheme.typography.titleMedium)
            screen.carrying.forEach { Text(it) }

            Heading(screen.suggestedHeading)
            screen.suggested.forEach { row -> TeamRow(row) { perform(it) } }
            ShareText(screen.postcode, draft.postcode ?: screen.postcode.value) { typed -> edit { it.copy(postcode = typed) } }
            Heading(screen.foundHeading)
            screen.foundEmpty?.let { Text(it) }
            screen.found.forEach { row -> TeamRow(row) { perform(it) } }
            screen.chosen?.let { Text(it, style = MaterialTheme.typography.titleMedium) }

            Heading(screen.severityHeading)
            screen.severities.forEach { c ->
                Choice(c.label, c.selected, c.enabled) { edit { it.copy(severity = c.severity) } }
                Text(c.due, style = MaterialTheme.typography.bodyMedium)
                c.advice?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                c.detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            }
            ShareText(screen.message, draft.message, minLines = 3) { typed -> edit { it.copy(message = typed) } }

            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
        }
        Problem(model.problem)
    }
}

@Composable
private fun TeamRow(row: ShareTeamRow, perform: (ShareAction) -> Unit) {
    ItemCard(row.title, row.subtitle) {
        Text(row.why)
        Text(row.openWords)
        row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
    }
}

/** A field core labelled, showing the draft as typed, and core's problem with it if any. */
@Composable
private fun ShareText(field: ShareField, typed: String, minLines: Int = 1, onChange: (String) -> Unit) {
    OutlinedTextField(
        typed,
        onChange,
        label = { Text(field.label) },
        supportingText = { Text(field.problem ?: field.hint) },
        isError = field.problem != null,
        modifier = BigTarget,
        minLines = minLines,
    )
}
