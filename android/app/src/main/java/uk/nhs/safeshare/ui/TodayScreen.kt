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
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.navigation.NavController
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uk.nhs.safeshare.SafeShareApplication
import uniffi.safeshare_core.Place
import uniffi.safeshare_core.PlaceKind
import uniffi.safeshare.Session
import uniffi.safeshare_core.TeamMembership

/** Today: what needs attention now (most urgent first, as the core orders it) and starting a visit. */
@Composable
fun TodayScreen(session: Session, nav: NavController) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val attention by rememberQuery { session.needsAttentionNow() }
    var address by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text("Needs attention now", style = MaterialTheme.typography.headlineSmall)
        attention?.onSuccess { items ->
            if (items.isEmpty()) Text("Nothing is due.")
            items.forEach { item ->
                ItemCard(if (item.immediateRisk) "IMMEDIATE RISK: ${item.why}" else item.why, "Due ${item.due.local()}") {
                    item.call?.let { target -> BigButton("Call ${target.label}") { placeCall(context, target) } }
                    item.callProblem?.let { Text(it) }
                }
            }
        }?.onFailure { Text(describe(it)) }

        Text("Start a visit", style = MaterialTheme.typography.headlineSmall, modifier = Modifier.padding(top = 24.dp))
        OutlinedTextField(address, { address = it }, label = { Text("Family's address (optional)") }, modifier = BigTarget)
        BigButton("Start home visit") {
            scope.launch {
                runCatching {
                    withContext(Dispatchers.IO) {
                        val household = session.visits().addHousehold(address.ifBlank { null })
                        household to session.visits().startVisit(household, Place(PlaceKind.Home, null), emptyList(), null)
                    }
                }.onSuccess { (household, visit) -> nav.navigate("capture/$household/${visit.id}") }
                    .onFailure { error = describe(it) }
            }
        }
        BigButton("Referrals") { nav.navigate("referrals") }
        error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    }
}

/** First run on this device: who is using it (enrolment replaces the ids with the server's). */
@Composable
fun SetUpScreen(app: SafeShareApplication, onReady: (Session) -> Unit) {
    val scope = rememberCoroutineScope()
    var name by remember { mutableStateOf("") }
    var teamQuery by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    val directory = remember { app.bundledDirectory() }
    Column(Modifier.padding(16.dp)) {
        Text("Set up SafeShare on this phone", style = MaterialTheme.typography.headlineSmall)
        OutlinedTextField(name, { name = it }, label = { Text("Your name") }, modifier = BigTarget)
        OutlinedTextField(teamQuery, { teamQuery = it }, label = { Text("Your team") }, modifier = BigTarget)
        directory?.findTeams(teamQuery)?.take(5)?.forEach { team ->
            BigButton(team.name) {
                scope.launch {
                    runCatching { withContext(Dispatchers.IO) { app.setUp(name, TeamMembership(team.id, team.name)) } }
                        .onSuccess(onReady).onFailure { error = describe(it) }
                }
            }
        }
        error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    }
}
