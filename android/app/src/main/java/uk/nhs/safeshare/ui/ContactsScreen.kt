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
import uniffi.safeshare.Session
import uniffi.safeshare_core.ContactsActionKind
import uniffi.safeshare_core.ScreenName

/**
 * Contacts as core builds them for what is typed (`Contacts.screen(query)`): the teams found,
 * whether each is open now, its hours, and "Call" with the number core chose for now (or
 * disabled, with why). The tap asks core again (`startCall`), which logs the call and gives
 * the number for that instant; the phone's dialler does the rest.
 */
@Composable
fun ContactsScreen(session: Session, changes: ChangeEvents) {
    val context = LocalContext.current
    val model = viewModel(key = "contacts") {
        ScreenModel(session, changes, setOf(ScreenName.CONTACTS), "") { s, query -> s.contacts().screen(query) }
    }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.warning?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            OutlinedTextField(model.input, { model.update(it) }, label = { Text(screen.searchLabel) }, modifier = BigTarget)
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.title, row.subtitle) {
                    Text(row.openWords, style = MaterialTheme.typography.titleSmall)
                    Text(row.hours)
                    row.actions.forEach { a ->
                        ActionButton(a.label, a.enabled, a.detail) {
                            when (val kind = a.kind) {
                                is ContactsActionKind.Call ->
                                    model.act({ it.contacts().startCall(kind.team, null, null) }) { placeCall(context, it.target) }
                            }
                        }
                    }
                }
            }
        }
        Problem(model.problem)
    }
}
