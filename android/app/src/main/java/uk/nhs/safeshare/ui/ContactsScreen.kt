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
import uk.nhs.safeshare.SafeShareApplication
import uniffi.safeshare.Session

/** Contacts: find a team, and call the number the core chooses for this moment with one tap. */
@Composable
fun ContactsScreen(session: Session) {
    val context = LocalContext.current
    val directory = remember { (context.applicationContext as SafeShareApplication).bundledDirectory() }
    var query by remember { mutableStateOf("") }
    var message by remember { mutableStateOf<String?>(null) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text("Contacts", style = MaterialTheme.typography.headlineSmall)
        if (directory?.isFictional() == true) Text("SAMPLE DIRECTORY: fictional numbers, not for real calls", color = MaterialTheme.colorScheme.error)
        OutlinedTextField(query, { query = it }, label = { Text("Team or organisation") }, modifier = BigTarget)
        directory?.findTeams(query)?.forEach { team ->
            ItemCard(team.name, team.service) {
                BigButton("Call") {
                    runCatching { session.contacts().startCall(team.id, null, null) }
                        .onSuccess { start ->
                            message = start.target.explanation + if (!start.target.expectsAnswer) " It may not be answered." else ""
                            placeCall(context, start.target)
                        }.onFailure { message = describe(it) }
                }
            }
        }
        message?.let { Text(it) }
    }
}
