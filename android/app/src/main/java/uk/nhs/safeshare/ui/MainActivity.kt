package uk.nhs.safeshare.ui

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.Icon
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Send
import androidx.compose.material.icons.filled.Sync
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import uk.nhs.safeshare.SafeShareApplication
import uniffi.safeshare.Session

/** The one activity: a bottom bar for the four places used at a doorstep, and the screens. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as SafeShareApplication
        setContent {
            MaterialTheme {
                var session by remember { mutableStateOf(app.session) }
                val current = session
                if (current == null) SetUpScreen(app) { session = it } else SafeShareNav(current)
            }
        }
    }
}

@Composable
private fun SafeShareNav(session: Session) {
    val nav = rememberNavController()
    val route = nav.currentBackStackEntryAsState().value?.destination?.route
    Scaffold(bottomBar = {
        NavigationBar {
            listOf(
                Triple("today", "Today", Icons.Filled.Home),
                Triple("shares", "Shares", Icons.Filled.Send),
                Triple("contacts", "Contacts", Icons.Filled.Call),
                Triple("sync", "Sync", Icons.Filled.Sync),
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
            NavHost(nav, startDestination = "today") {
                composable("today") { TodayScreen(session, nav) }
                composable("capture/{household}/{visit}") { entry ->
                    CaptureScreen(session, entry.arguments?.getString("household") ?: "", entry.arguments?.getString("visit") ?: "", nav)
                }
                composable("chronology/{person}") { entry -> ChronologyScreen(session, entry.arguments?.getString("person") ?: "") }
                composable("checklists/{person}") { entry -> ChecklistScreen(session, entry.arguments?.getString("person") ?: "") }
                composable("shares") { SharesScreen(session) }
                composable("referrals") { ReferralsScreen(session) }
                composable("contacts") { ContactsScreen(session) }
                composable("sync") { SyncScreen(session) }
            }
        }
    }
}
