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
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import uk.nhs.safeshare.BuildConfig
import uk.nhs.safeshare.SafeShareApplication
import uniffi.safeshare.ContactsDirectory
import uniffi.safeshare.setUpScreen
import uniffi.safeshare_core.SafeShareException
import uniffi.safeshare_core.SetUpAction
import uniffi.safeshare_core.SetUpActionKind
import uniffi.safeshare_core.SetUpDraft
import uniffi.safeshare_core.SetUpField
import uniffi.safeshare_core.SetUpTeamRow
import uniffi.safeshare_core.TeamMembership
import uniffi.safeshare_core.SetUpScreen as SetUpRecord

/**
 * The set-up screen's state before there is a session: core's record (`setUpScreen`) for the
 * draft typed so far, or, when the store did not open at launch, for [launchError] (the record
 * is then its one recovery). The same rules as [ScreenModel]: every core call (the record, the
 * bundled directory, opening the store) runs on `Dispatchers.IO`, and a newer build replaces
 * an older one still running. There is no session yet, hence not a [ScreenModel].
 */
class SetUpModel(private val app: SafeShareApplication, private val launchError: SafeShareException?) : ViewModel() {
    var draft by mutableStateOf(SetUpDraft("", "", emptyList(), ""))
        private set
    var record by mutableStateOf<Result<SetUpRecord>?>(null)
        private set
    var problem by mutableStateOf<String?>(null)
        private set

    // Read once, off the main thread, on the first build (the asset is parsed by core); a build
    // still running when a newer one starts may read it too, hence volatile.
    @Volatile private var directory: ContactsDirectory? = null

    @Volatile private var directoryRead = false
    private var building: Job? = null

    init {
        rebuild()
    }

    fun update(newDraft: SetUpDraft) {
        draft = newDraft
        rebuild()
    }

    private fun rebuild() {
        building?.cancel()
        val asked = draft
        building = viewModelScope.launch {
            record = offMain {
                if (!directoryRead) {
                    directory = app.bundledDirectory()
                    directoryRead = true
                }
                setUpScreen(directory, asked, BuildConfig.SYNC_BASE_URL, launchError)
            }
        }
    }

    /** A tap that needs core: [work] runs off the main thread; a failure shows core's words. */
    fun act(work: () -> Unit) {
        viewModelScope.launch {
            problem = null
            offMain(work).onFailure { problem = describe(it) }
        }
    }
}

/**
 * Set up as core builds it: before set-up, the name, every team chosen (a practitioner in two
 * teams keeps both) and the search over the directory shipped with the app; when the store
 * did not open at launch ([launchError]), core's one recovery for that error (the same words
 * and actions as iOS; docs/operations.md, "A phone whose records will not open").
 */
@Composable
fun SetUpScreen(app: SafeShareApplication, launchError: SafeShareException?) {
    val model = viewModel(key = "set-up-${launchError?.javaClass?.simpleName}") { SetUpModel(app, launchError) }
    val draft = model.draft

    fun perform(action: SetUpAction) {
        // Read at the tap, so an edit never starts from a draft drawn earlier.
        val now = model.draft
        when (val kind = action.kind) {
            is SetUpActionKind.AddTeam -> model.update(now.copy(teams = now.teams + TeamMembership(kind.team, kind.name)))
            is SetUpActionKind.RemoveTeam -> model.update(now.copy(teams = now.teams.filter { it.id != kind.team }))
            // Core's identity check has enabled it; opening the store is core's, off the main thread.
            SetUpActionKind.SetUp -> model.act { app.setUp(now.practitionerName, now.teams) }
            // Enrolment needs a session: the Sync screen offers it once the phone is set up.
            SetUpActionKind.Enrol -> Unit
            SetUpActionKind.TryAgain -> app.open()
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            Text(screen.status, style = MaterialTheme.typography.bodyLarge)
            screen.recovery?.let { recovery ->
                ItemCard(recovery.title, recovery.text, recovery.tone) {
                    recovery.steps.forEach { Text(it) }
                    recovery.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
                }
            }
            screen.directoryWarning?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            SetUpText(screen.name, draft.practitionerName) { model.update(model.draft.copy(practitionerName = it)) }

            Heading(screen.teamsHeading)
            screen.teamsEmpty?.let { Text(it) }
            screen.teams.forEach { row -> TeamRow(row) { perform(it) } }
            screen.teamSearch?.let { field -> SetUpText(field, draft.teamQuery) { model.update(model.draft.copy(teamQuery = it)) } }
            screen.found.forEach { row -> TeamRow(row) { perform(it) } }

            SetUpText(screen.enrolmentCode, draft.enrolmentCode) { model.update(model.draft.copy(enrolmentCode = it)) }
            Text(screen.server, style = MaterialTheme.typography.bodyMedium)
            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
        }
        Problem(model.problem)
    }
}

/**
 * A field core labelled, typed only when core says it is editable. An editable field shows the
 * draft as typed (the record's copy arrives a build later, and a keystroke must not be lost to
 * a build still running); a fixed one shows core's value.
 */
@Composable
private fun SetUpText(field: SetUpField, typed: String, onChange: (String) -> Unit) {
    OutlinedTextField(
        value = if (field.editable) typed else field.value,
        onValueChange = onChange,
        enabled = field.editable,
        label = { Text(field.label) },
        supportingText = { Text(field.hint) },
        modifier = BigTarget,
    )
}

@Composable
private fun TeamRow(row: SetUpTeamRow, perform: (SetUpAction) -> Unit) {
    ItemCard(row.title, row.subtitle) {
        row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
    }
}
