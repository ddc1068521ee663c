package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavController
import uniffi.safeshare.Session
import uniffi.safeshare_core.Place
import uniffi.safeshare_core.PlaceKind
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.TodayActionKind

/**
 * Today as core builds it (`Session.todayScreen`): what needs attention now in core's order,
 * today's visits, and the actions each offers. A tap calls the core function the action's
 * kind names, or opens the screen it names.
 */
@Composable
fun TodayScreen(session: Session, changes: ChangeEvents, nav: NavController) {
    val context = LocalContext.current
    val model = viewModel(key = "today") {
        ScreenModel(session, changes, setOf(ScreenName.TODAY, ScreenName.VISIT), Unit) { s, _ -> s.todayScreen() }
    }

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
            TodayActionKind.StartVisit -> model.act({ s ->
                val household = s.visits().addHousehold(null)
                household to s.visits().startVisit(household, Place(PlaceKind.Home, null), emptyList(), null).id
            }) { (household, visit) -> nav.navigate(Routes.capture(household, visit)) }
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
        }
    }
}
