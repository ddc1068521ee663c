package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
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
import uniffi.safeshare_core.AddressField
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.TodayActionKind

/**
 * Today as core builds it (`Session.todayScreen`): what needs attention now in core's order,
 * today's visits, and the actions each offers. A tap calls the core function the action's
 * kind names, or opens the screen it names. "Start home visit" asks the address (the record's
 * field) and hands it to `Visits.startHomeVisit`, which records the household with it.
 */
@Composable
fun TodayScreen(session: Session, changes: ChangeEvents, nav: NavController) {
    val context = LocalContext.current
    val model = viewModel(key = "today") {
        ScreenModel(session, changes, setOf(ScreenName.TODAY, ScreenName.VISIT), Unit) { s, _ -> s.todayScreen() }
    }
    var askingAddress by remember { mutableStateOf(false) }

    fun perform(kind: TodayActionKind) {
        when (kind) {
            is TodayActionKind.Call ->
                model.act({ it.contacts().startCall(kind.team, kind.regardingShare, kind.about) }) { placeCall(context, it.target) }
            is TodayActionKind.OpenSentShare -> nav.navigate(Routes.SHARES)
            is TodayActionKind.AcknowledgeShare -> nav.navigate(Routes.incoming(kind.share))
            is TodayActionKind.OpenReferral -> nav.navigate(Routes.REFERRALS)
            is TodayActionKind.ReviewChild -> nav.navigate(Routes.chronology(kind.child))
            is TodayActionKind.OpenChecklists -> kind.person?.let { nav.navigate(Routes.checklists(it)) }
            TodayActionKind.OpenSync -> nav.navigate(Routes.SYNC)
            // The address is asked first (the record's field); core records it with the visit.
            TodayActionKind.StartVisit -> askingAddress = true
            TodayActionKind.OpenSupervision -> nav.navigate(Routes.SUPERVISION)
            is TodayActionKind.ContinueVisit -> nav.navigate(Routes.capture(kind.household, kind.visit))
            is TodayActionKind.EndVisit -> model.act({ it.visits().endVisit(kind.visit, null) })
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            Text(screen.date, style = MaterialTheme.typography.titleMedium)
            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a.kind) } }
            Problem(model.problem)

            Heading(screen.attentionHeading)
            screen.attentionEmpty?.let { Text(it) }
            screen.attention.forEach { item ->
                ItemCard(item.headline, item.text, item.tone) {
                    Text(item.`when`)
                    item.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a.kind) } }
                }
            }

            Heading(screen.visitsHeading)
            screen.visitsEmpty?.let { Text(it) }
            screen.visits.forEach { visit ->
                ItemCard(visit.title, visit.status) {
                    Text(visit.time)
                    visit.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a.kind) } }
                }
            }

            val start = screen.actions.firstOrNull { it.kind is TodayActionKind.StartVisit }
            if (askingAddress && start != null) {
                AddressDialog(start.label, screen.startVisitAddress, { askingAddress = false }) { address ->
                    askingAddress = false
                    model.act({ it.visits().startHomeVisit(address) }) { started ->
                        nav.navigate(Routes.capture(started.household, started.visit))
                    }
                }
            }
        }
    }
}

/** "Start home visit": the address, with the record's label and hint; core treats blank as none. */
@Composable
private fun AddressDialog(label: String, field: AddressField, onDismiss: () -> Unit, onConfirm: (String) -> Unit) {
    var address by remember { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(label) },
        text = {
            Column {
                OutlinedTextField(address, { address = it }, label = { Text(field.label) }, modifier = BigTarget, minLines = 2)
                Text(field.hint, style = MaterialTheme.typography.bodyMedium)
            }
        },
        confirmButton = { Button(onClick = { onConfirm(address) }) { Text(label) } },
        dismissButton = { TextButton(onClick = onDismiss) { Text(FormWords.CANCEL) } },
    )
}
