package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
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
import androidx.lifecycle.viewmodel.compose.viewModel
import uk.nhs.safeshare.SafeShareApplication
import uk.nhs.safeshare.sync.SyncWorker
import uniffi.safeshare.Session
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.SyncAction
import uniffi.safeshare_core.SyncActionKind
import uniffi.safeshare_core.SyncRow

/**
 * Sync as core words it (`Sync.screen`): the headline, the lines under it, anything the
 * server did not accept (with "Discard" and a reason) or that could not be read, and "Send
 * now" / "Enrol" enabled as core says. "Send now" asks the background sync (WorkManager) to
 * run; core's listener redraws this screen when it has.
 */
@Composable
fun SyncScreen(app: SafeShareApplication, session: Session) {
    val context = LocalContext.current
    val model = viewModel(key = "sync") {
        ScreenModel(session, app.changes, setOf(ScreenName.SYNC), Unit) { s, _ -> s.sync().screen() }
    }
    var code by remember { mutableStateOf("") }
    var discarding by remember { mutableStateOf<SyncAction?>(null) }

    fun perform(action: SyncAction) {
        when (action.kind) {
            SyncActionKind.SendNow -> SyncWorker.syncSoon(context)
            // The admin's one-time code; core checks it and decides whose store this is.
            SyncActionKind.Enrol -> model.act({ it.sync().enrol(app.syncServer, code.trim()) }) { code = "" }
            is SyncActionKind.DiscardRejected -> discarding = action
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            ItemCard(screen.headline, screen.notice, screen.tone)
            SyncRows(screen.lines) { perform(it) }
            SyncRows(screen.rejected) { perform(it) }
            SyncRows(screen.unreadable) { perform(it) }
            OutlinedTextField(code, { code = it }, label = { Text(screen.enrolmentCodeLabel) }, modifier = BigTarget)
            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
        }
        Problem(model.problem)
    }

    discarding?.let { action ->
        WordsDialog(action.label, action.detail, onDismiss = { discarding = null }) { reason ->
            discarding = null
            val kind = action.kind
            if (kind is SyncActionKind.DiscardRejected) model.act({ it.sync().discardRejected(kind.envelope, reason) })
        }
    }
}

@Composable
private fun SyncRows(rows: List<SyncRow>, perform: (SyncAction) -> Unit) {
    rows.forEach { row ->
        ItemCard(row.text, row.detail, row.tone) {
            row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
        }
    }
}
