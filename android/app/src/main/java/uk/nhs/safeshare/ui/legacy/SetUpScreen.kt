package uk.nhs.safeshare.ui.legacy

// Not yet rewritten over a view record: the Set up screen's record is issue 17 item 1, not in
// core yet. tests/shell-rules-check allows this file by name until then.

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uk.nhs.safeshare.SafeShareApplication
import uk.nhs.safeshare.ui.BigButton
import uk.nhs.safeshare.ui.BigTarget
import uk.nhs.safeshare.ui.describe
import uk.nhs.safeshare.ui.offMain
import uniffi.safeshare.ContactsDirectory
import uniffi.safeshare_core.TeamMembership

/**
 * First run on this device: who is using it (enrolment replaces the ids with the server's).
 * Opening the store runs off the main thread; the application then shows the app.
 */
@Composable
fun SetUpScreen(app: SafeShareApplication) {
    val scope = rememberCoroutineScope()
    var name by remember { mutableStateOf("") }
    var teamQuery by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    val directory by produceState<ContactsDirectory?>(null) { value = withContext(Dispatchers.IO) { app.bundledDirectory() } }
    Column(Modifier.padding(16.dp)) {
        Text("Set up SafeShare on this phone", style = MaterialTheme.typography.headlineSmall)
        OutlinedTextField(name, { name = it }, label = { Text("Your name") }, modifier = BigTarget)
        OutlinedTextField(teamQuery, { teamQuery = it }, label = { Text("Your team") }, modifier = BigTarget)
        directory?.findTeams(teamQuery)?.take(5)?.forEach { team ->
            BigButton(team.name) {
                scope.launch {
                    offMain { app.setUp(name, TeamMembership(team.id, team.name)) }.onFailure { error = describe(it) }
                }
            }
        }
        error?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    }
}
