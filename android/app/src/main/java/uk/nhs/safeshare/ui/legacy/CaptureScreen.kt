package uk.nhs.safeshare.ui.legacy

// Not yet rewritten over a view record: its screen's record is issue 17 item 1, not in core
// yet. tests/shell-rules-check allows this file by name until then.

import android.Manifest
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
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
import uk.nhs.safeshare.sync.SyncWorker
import uk.nhs.safeshare.ui.BigButton
import uk.nhs.safeshare.ui.BigTarget
import uk.nhs.safeshare.ui.Dictation
import uk.nhs.safeshare.ui.describe
import uniffi.safeshare_core.ConcernCategory
import uniffi.safeshare_core.Evidence
import uniffi.safeshare_core.ExpressionMode
import uniffi.safeshare_core.InputMethod
import uniffi.safeshare_core.NewObservationInput
import uniffi.safeshare_core.NewVoiceNoteInput
import uniffi.safeshare_core.PersonDetails
import uniffi.safeshare_core.PersonRole
import uniffi.safeshare.Session
import uniffi.safeshare_core.Severity
import uniffi.safeshare.capturePrompts

/**
 * Capture on the visit, with or without signal: an observation (fact or opinion, severity) or
 * the child's voice, typed or dictated. The core's prompts show as the practitioner types and
 * again on the saved record; they never block saving.
 */
@Composable
fun CaptureScreen(session: Session, household: String, visit: String, nav: NavController) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    var members by remember { mutableStateOf(emptyList<uniffi.safeshare_core.Person>()) }
    var personId by remember { mutableStateOf<String?>(null) }
    // Store reads and writes run off the main thread; the core is synchronous.
    LaunchedEffect(household) {
        members = withContext(Dispatchers.IO) { session.visits().householdMembers(household) }
        if (personId == null) personId = members.firstOrNull()?.id
    }
    var childName by remember { mutableStateOf("") }
    var childDob by remember { mutableStateOf("") }
    var childNhs by remember { mutableStateOf("") }
    var text by remember { mutableStateOf("") }
    var input by remember { mutableStateOf(InputMethod.TYPED) }
    var opinion by remember { mutableStateOf(false) }
    var basisOrSource by remember { mutableStateOf("") }
    var severity by remember { mutableStateOf(Severity.LOW_LEVEL_CONCERN) }
    var voiceOfChild by remember { mutableStateOf(false) }
    var category by remember { mutableStateOf<ConcernCategory>(ConcernCategory.NewOrEmergingHealthNeed) }
    var message by remember { mutableStateOf<String?>(null) }

    val dictation = remember { Dictation(context, { heard -> text = if (text.isBlank()) heard else "$text $heard"; input = InputMethod.DICTATED }, { message = "Dictation stopped; you can type instead." }) }
    DisposableEffect(Unit) { onDispose { dictation.release() } }
    val askMic = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted -> if (granted) dictation.start() }

    val evidence = if (opinion) Evidence.Opinion(basisOrSource.ifBlank { null }) else Evidence.ObservedFact
    val prompts = remember(text, evidence, voiceOfChild) { if (voiceOfChild || text.isBlank()) emptyList() else capturePrompts(text, evidence) }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text("Who is it about?", style = MaterialTheme.typography.titleLarge)
        members.forEach { p -> FilterChip(personId == p.id, { personId = p.id }, { Text(p.knownAs ?: p.name ?: "Unborn baby") }, modifier = BigTarget) }
        OutlinedTextField(childName, { childName = it }, label = { Text("Add a child: name") }, modifier = BigTarget)
        OutlinedTextField(childDob, { childDob = it }, label = { Text("Date of birth (YYYY-MM-DD)") }, modifier = BigTarget)
        OutlinedTextField(childNhs, { childNhs = it }, label = { Text("NHS number") }, modifier = BigTarget)
        BigButton("Add child") {
            scope.launch {
                runCatching {
                    withContext(Dispatchers.IO) {
                        val child = session.visits().addPerson(household, PersonRole.Child, PersonDetails(childName, null, childDob.ifBlank { null }, childNhs.ifBlank { null }, null, null, null))
                        child to session.visits().householdMembers(household)
                    }
                }.onSuccess { (child, all) -> members = all; personId = child.id; message = null }
                    .onFailure { message = describe(it) }
            }
        }

        Row { FilterChip(!voiceOfChild, { voiceOfChild = false }, { Text("Observation") }); FilterChip(voiceOfChild, { voiceOfChild = true }, { Text("Voice of the child") }) }
        OutlinedTextField(text, { text = it; input = InputMethod.TYPED }, label = { Text(if (voiceOfChild) "The child's own words" else "What did you see or hear?") }, modifier = BigTarget, minLines = 4)
        BigButton(if (input == InputMethod.DICTATED) "Dictate more (marked as dictated)" else "Dictate") { askMic.launch(Manifest.permission.RECORD_AUDIO) }
        if (!voiceOfChild) {
            Row { FilterChip(!opinion, { opinion = false }, { Text("Fact I saw or heard") }); FilterChip(opinion, { opinion = true }, { Text("My opinion") }) }
            if (opinion) OutlinedTextField(basisOrSource, { basisOrSource = it }, label = { Text("What is it based on?") }, modifier = BigTarget)
            CATEGORIES.forEach { (label, c) -> FilterChip(category == c, { category = c }, { Text(label) }, modifier = BigTarget) }
            Severity.entries.forEach { s -> FilterChip(severity == s, { severity = s }, { Text(s.name.lowercase().replace('_', ' ')) }, modifier = BigTarget) }
        }
        prompts.forEach { Text(it.prompt, color = MaterialTheme.colorScheme.tertiary) }

        BigButton("Save") {
            val about = personId ?: run { message = "Choose who it is about"; return@BigButton }
            scope.launch {
                runCatching {
                    withContext(Dispatchers.IO) {
                        if (voiceOfChild) {
                            session.visits().captureVoiceNote(NewVoiceNoteInput(about, visit, text, ExpressionMode.SPEECH, emptyList(), null, input, null)).warnings
                        } else {
                            session.visits().captureObservation(NewObservationInput(about, visit, category, severity, evidence, text, null, null, null)).warnings
                        }
                    }
                }.onSuccess { warnings ->
                    message = if (warnings.isEmpty()) "Saved on the phone, encrypted." else "Saved. " + warnings.joinToString(" ") { it.prompt }
                    text = ""; input = InputMethod.TYPED
                    SyncWorker.syncSoon(context)
                }.onFailure { message = describe(it) }
            }
        }
        personId?.let { p ->
            BigButton("Chronology") { nav.navigate("chronology/$p") }
            BigButton("Checklists") { nav.navigate("checklists/$p") }
        }
        message?.let { Text(it) }
    }
}

/** The categories from the regional briefing, in the order practitioners know them. */
private val CATEGORIES = listOf(
    "Open to children's social care" to ConcernCategory.OpenToChildrensSocialCare,
    "Disclosure by a child" to ConcernCategory.ChildDisclosureBelowThreshold,
    "Parental substance misuse" to ConcernCategory.ParentalSubstanceMisuse,
    "Domestic abuse" to ConcernCategory.DomesticAbuse,
    "Parental mental health" to ConcernCategory.ParentalMentalHealth,
    "Not following the care plan" to ConcernCategory.NonComplianceWithCarePlan,
    "Was not brought" to ConcernCategory.WasNotBrought,
    "Parental aggression" to ConcernCategory.ParentalAggression,
    "Early Help refused" to ConcernCategory.EarlyHelpRefused,
    "Medication" to ConcernCategory.Medication,
    "Growth or weight" to ConcernCategory.GrowthOrWeight,
    "Long-term condition not managed" to ConcernCategory.LongTermConditionNotManaged,
    "New or emerging health need" to ConcernCategory.NewOrEmergingHealthNeed,
)
