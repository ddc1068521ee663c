package uk.nhs.safeshare.ui

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
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavController
import uniffi.safeshare.Session
import uniffi.safeshare_core.IncomingActionKind
import uniffi.safeshare_core.ReadBack
import uniffi.safeshare_core.ReadBackVerdict
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.SentShareAction
import uniffi.safeshare_core.SentShareActionKind

/**
 * "Shares I sent" (`Shares.sentScreen`) and "Shares to my team" (`Shares.incomingScreen`) as
 * core builds them: each share's state and read-backs in core's words, and the actions core
 * offers (confirm or flag a read-back, call the team, open a share to acknowledge it).
 */
@Composable
fun SharesScreen(session: Session, changes: ChangeEvents, nav: NavController) {
    val context = LocalContext.current
    val sent = viewModel(key = "shares-sent") {
        ScreenModel(session, changes, setOf(ScreenName.SHARES_SENT), Unit) { s, _ -> s.shares().sentScreen() }
    }
    val incoming = viewModel(key = "shares-incoming") {
        ScreenModel(session, changes, setOf(ScreenName.INCOMING_SHARES), Unit) { s, _ -> s.shares().incomingScreen() }
    }
    // The flag being worded: what the sender says to correct goes to core with the verdict.
    var flagging by remember { mutableStateOf<Flag?>(null) }

    fun perform(action: SentShareAction) {
        when (val kind = action.kind) {
            is SentShareActionKind.ConfirmReadBack -> sent.act({ it.shares().checkReadBack(kind.share, ReadBackVerdict.Confirmed) })
            is SentShareActionKind.FlagOverEmphasised -> flagging = Flag(action, kind.share) { ReadBackVerdict.OverEmphasised(it) }
            is SentShareActionKind.FlagUnderEmphasised -> flagging = Flag(action, kind.share) { ReadBackVerdict.UnderEmphasised(it) }
            is SentShareActionKind.Call ->
                sent.act({ it.contacts().startCall(kind.team, kind.share, null) }) { placeCall(context, it.target) }
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(sent.record) { screen ->
            Heading(screen.title)
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.title, row.status, row.tone) {
                    Text(row.sent)
                    row.readBacks.forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
                }
            }
        }
        Problem(sent.problem)

        Loaded(incoming.record) { screen ->
            Heading(screen.title)
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.title, row.status, row.tone) {
                    row.actions.forEach { a ->
                        ActionButton(a.label, a.enabled, a.detail) {
                            when (val kind = a.kind) {
                                is IncomingActionKind.Open -> nav.navigate(Routes.incoming(kind.share))
                                is IncomingActionKind.Acknowledge -> nav.navigate(Routes.incoming(kind.share))
                            }
                        }
                    }
                }
            }
        }
    }

    flagging?.let { flag ->
        WordsDialog(flag.action.label, flag.action.detail, onDismiss = { flagging = null }) { words ->
            flagging = null
            sent.act({ it.shares().checkReadBack(flag.share, flag.verdict(words)) })
        }
    }
}

/** A read-back flag waiting for the sender's words: the action, its share, and its verdict. */
private class Flag(val action: SentShareAction, val share: String, val verdict: (String) -> ReadBackVerdict)

/**
 * One share to my team (`Shares.incomingShareScreen(share, draft)`): what was shared, and the
 * read-back form. Core rebuilds the record as the practitioner types, so "Acknowledge" is
 * enabled exactly when core says the read-back is complete.
 */
@Composable
fun IncomingShareScreen(session: Session, changes: ChangeEvents, share: String) {
    val model = viewModel(key = "incoming-$share") {
        ScreenModel(session, changes, setOf(ScreenName.INCOMING_SHARES), ReadBack("", "", "")) { s, draft ->
            s.shares().incomingShareScreen(share, draft)
        }
    }
    val draft = model.input
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            ItemCard(screen.severity, screen.status, screen.tone) { Text(screen.sent) }
            screen.clockWarning?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            screen.about.forEach { Text(it) }
            Text(screen.message, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(vertical = 8.dp))
            screen.shared.forEach { Text(it) }

            Heading(screen.readBackHeading)
            // Who, the risk, the next action: core's order, labels and hints; the text typed
            // stays here and goes back to core with every keystroke.
            val values = listOf(draft.who, draft.risk, draft.nextAction)
            screen.readBack.forEachIndexed { i, field ->
                OutlinedTextField(
                    value = values.getOrElse(i) { "" },
                    onValueChange = { typed ->
                        model.update(
                            when (i) {
                                0 -> draft.copy(who = typed)
                                1 -> draft.copy(risk = typed)
                                else -> draft.copy(nextAction = typed)
                            },
                        )
                    },
                    label = { Text(field.label) },
                    supportingText = { Text(field.hint) },
                    isError = field.missing,
                    modifier = BigTarget,
                )
            }
            screen.actions.forEach { a ->
                ActionButton(a.label, a.enabled, a.detail) {
                    when (val kind = a.kind) {
                        is IncomingActionKind.Acknowledge -> model.act({ it.shares().acknowledgeShare(kind.share, draft) })
                        is IncomingActionKind.Open -> model.rebuild()
                    }
                }
            }
        }
        Problem(model.problem)
    }
}
