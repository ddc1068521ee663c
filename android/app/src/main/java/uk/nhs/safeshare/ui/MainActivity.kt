package uk.nhs.safeshare.ui

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Schedule
import androidx.compose.material.icons.filled.Send
import androidx.compose.material.icons.filled.Sync
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import uk.nhs.safeshare.Launch
import uk.nhs.safeshare.SafeShareApplication
import uniffi.safeshare.Session
import uniffi.safeshare_core.ShareDraft

/** Where each screen is; ids go in the route as core gave them. */
object Routes {
    const val TODAY = "today"
    const val SHARES = "shares"
    const val REFERRALS = "referrals"
    const val CONTACTS = "contacts"
    const val SYNC = "sync"
    fun incoming(share: String) = "incoming/$share"
    fun capture(household: String, visit: String) = "capture/$household/$visit"
    fun share(about: String, observations: List<String>, voiceNotes: List<String>) =
        "share/$about/${ids(observations)}/${ids(voiceNotes)}"
    fun chronology(person: String) = "chronology/$person"
    fun patterns(child: String) = "patterns/$child"
    fun observation(id: String) = "observation/$id"
    fun meetingPacks(child: String) = "meeting-packs/$child"
    fun meetingPack(pack: String) = "meeting-pack/$pack"
    const val SUPERVISION = "supervision"
    fun checklists(person: String) = "checklists/$person"
    fun team(child: String) = "team/$child"
    fun transfer(child: String) = "transfer/$child"
    const val EXPECTED = "expected"

    // A list of core's ids in one path segment; NONE for an empty list (an id is never "none").
    private const val NONE = "none"
    private fun ids(list: List<String>) = if (list.isEmpty()) NONE else list.joinToString(",")
    fun idsFrom(segment: String?): List<String> = if (segment == null || segment == NONE) emptyList() else segment.split(",")
}

/**
 * The one activity. What it shows follows the launch state the application holds: opening
 * (the store opens off the main thread), set-up, set-up showing core's recovery for a store
 * that did not open (`SetUpScreen.cannotOpen`, the same on iOS), or the app.
 */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as SafeShareApplication
        setContent {
            MaterialTheme {
                val launch by app.launch.collectAsState()
                when (val state = launch) {
                    Launch.Opening -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
                    Launch.NotSetUp -> SetUpScreen(app, null)
                    is Launch.Problem -> SetUpScreen(app, state.error)
                    is Launch.Ready -> SafeShareNav(app, state.session)
                }
            }
        }
    }
}

@Composable
private fun SafeShareNav(app: SafeShareApplication, session: Session) {
    val nav = rememberNavController()
    val route = nav.currentBackStackEntryAsState().value?.destination?.route
    Scaffold(bottomBar = {
        NavigationBar {
            listOf(
                Triple(Routes.TODAY, FormWords.TAB_TODAY, Icons.Filled.Home),
                Triple(Routes.SHARES, FormWords.TAB_SHARES, Icons.Filled.Send),
                Triple(Routes.REFERRALS, FormWords.TAB_REFERRALS, Icons.Filled.Schedule),
                Triple(Routes.CONTACTS, FormWords.TAB_CONTACTS, Icons.Filled.Call),
                Triple(Routes.SYNC, FormWords.TAB_SYNC, Icons.Filled.Sync),
            ).forEach { (dest, label, icon) ->
                NavigationBarItem(
                    selected = route == dest,
                    onClick = { nav.navigate(dest) { launchSingleTop = true } },
                    icon = { Icon(icon, contentDescription = label) },
                    label = { Text(label) },
                )
            }
        }
    }) { padding ->
        Column(Modifier.fillMaxSize().padding(padding)) {
            NavHost(nav, startDestination = Routes.TODAY) {
                composable(Routes.TODAY) { TodayScreen(session, app.changes, nav) }
                composable(Routes.SHARES) {
                    Column {
                        ActionButton(FormWords.OPEN_EXPECTED, true, null) { nav.navigate(Routes.EXPECTED) }
                        SharesScreen(session, app.changes, nav)
                    }
                }
                composable(Routes.EXPECTED) { ExpectedFamiliesScreen(session, app.changes, nav) }
                composable("team/{child}") { entry -> TeamScreen(session, app.changes, entry.arguments?.getString("child") ?: "", nav) }
                composable("transfer/{child}") { entry -> TransferScreen(session, app.changes, entry.arguments?.getString("child") ?: "") }
                composable("incoming/{share}") { entry ->
                    IncomingShareScreen(session, app.changes, entry.arguments?.getString("share") ?: "")
                }
                composable(Routes.REFERRALS) { ReferralsScreen(session, app.changes) }
                composable(Routes.CONTACTS) { ContactsScreen(session, app.changes) }
                composable(Routes.SYNC) { SyncScreen(app, session) }
                composable("capture/{household}/{visit}") { entry ->
                    VisitScreen(session, app.changes, entry.arguments?.getString("visit") ?: "", nav)
                }
                composable("share/{about}/{observations}/{voiceNotes}") { entry ->
                    val args = entry.arguments
                    val start = ShareDraft(
                        args?.getString("about") ?: "",
                        Routes.idsFrom(args?.getString("observations")),
                        Routes.idsFrom(args?.getString("voiceNotes")),
                        null,
                        null,
                        null,
                        "",
                    )
                    ShareScreen(session, app.changes, start, nav)
                }
                composable("chronology/{person}") { entry -> ChronologyScreen(session, app.changes, entry.arguments?.getString("person") ?: "", nav) }
                composable("patterns/{child}") { entry -> PatternAlertsScreen(session, app.changes, entry.arguments?.getString("child") ?: "", nav) }
                composable("observation/{id}") { entry -> ObservationHistoryScreen(session, app.changes, entry.arguments?.getString("id") ?: "") }
                composable("meeting-packs/{child}") { entry -> MeetingPacksScreen(session, app.changes, entry.arguments?.getString("child") ?: "", nav) }
                composable("meeting-pack/{pack}") { entry -> MeetingPackScreen(session, app.changes, entry.arguments?.getString("pack") ?: "", nav) }
                composable(Routes.SUPERVISION) { SupervisionScreen(session, app.changes) }
                composable("checklists/{person}") { entry -> ChecklistsScreen(session, app.changes, entry.arguments?.getString("person") ?: "") }
            }
        }
    }
}
