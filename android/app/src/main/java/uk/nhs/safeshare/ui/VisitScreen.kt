package uk.nhs.safeshare.ui

import android.Manifest
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.TextButton
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavController
import uk.nhs.safeshare.sync.SyncWorker
import uniffi.safeshare.Session
import uniffi.safeshare.emptyCaptureDraft
import uniffi.safeshare_core.Attendee
import uniffi.safeshare_core.CaptureDraft
import uniffi.safeshare_core.CaptureField
import uniffi.safeshare_core.CaptureKind
import uniffi.safeshare_core.ChildDetail
import uniffi.safeshare_core.ChildField
import uniffi.safeshare_core.ConcernCategory
import uniffi.safeshare_core.Evidence
import uniffi.safeshare_core.InputMethod
import uniffi.safeshare_core.NewObservationInput
import uniffi.safeshare_core.NewVoiceNoteInput
import uniffi.safeshare_core.PersonDetails
import uniffi.safeshare_core.PersonRole
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.VisitAction
import uniffi.safeshare_core.VisitActionKind
import uniffi.safeshare_core.VisitScreen as VisitRecord

/**
 * Visit and capture as core builds it (`Visits.screen(visit, draft)`): the visit's header,
 * who the record is about, observation or the child's voice, every concern category and
 * severity with none chosen, fact or opinion, the capture prompts, what was recorded on this
 * visit, and the actions with core's labels and enabled state. The draft stays here and goes
 * back to core with every keystroke and choice; core rebuilds the prompts and whether "Save"
 * can be pressed. Speech-to-text is the phone's: its text goes into the draft marked as
 * dictated, and core adds the prompt to read it through.
 */
@Composable
fun VisitScreen(session: Session, changes: ChangeEvents, visit: String, nav: NavController) {
    val context = LocalContext.current
    val model = viewModel(key = "visit-$visit") {
        // The empty draft is core's too, so it is asked for with the first build, off the main
        // thread; the record comes back with the draft it was built for.
        ScreenModel<CaptureDraft?, Pair<CaptureDraft, VisitRecord>>(session, changes, setOf(ScreenName.VISIT), null) { s, asked ->
            val draft = asked ?: emptyCaptureDraft()
            draft to s.visits().screen(visit, draft)
        }
    }

    // The draft as typed so far (null only before the first record, when nothing can be typed).
    fun current(): CaptureDraft? = model.input ?: model.record?.getOrNull()?.first
    fun edit(change: (CaptureDraft) -> CaptureDraft) {
        current()?.let { model.update(change(it)) }
    }
    var addingChild by remember { mutableStateOf<VisitAction?>(null) }
    var childFields by remember { mutableStateOf(emptyList<ChildField>()) }
    var dictationStopped by remember { mutableStateOf(false) }

    // The transcript is read against the draft as it is when it arrives, not as it was drawn.
    val dictation = remember {
        Dictation(context, { heard ->
            dictationStopped = false
            edit { now -> now.copy(text = if (now.text.isBlank()) heard else "${now.text} $heard", input = InputMethod.DICTATED) }
        }, { dictationStopped = true })
    }
    DisposableEffect(Unit) { onDispose { dictation.release() } }
    val askMic = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted -> if (granted) dictation.start() }

    fun perform(action: VisitAction) {
        when (val kind = action.kind) {
            VisitActionKind.Save -> {
                val d = current() ?: return
                val about = d.about ?: return
                model.act({ s ->
                    when (d.kind) {
                        CaptureKind.VOICE_OF_CHILD ->
                            s.visits().captureVoiceNote(NewVoiceNoteInput(about, visit, d.text, d.mode, d.present, null, d.input, null))
                        CaptureKind.OBSERVATION -> {
                            // Core enables "Save" only with both chosen; nothing is defaulted here.
                            val category = d.category ?: return@act
                            val chosen = d.severity ?: return@act
                            s.visits().captureObservation(NewObservationInput(about, visit, category, chosen, d.evidence, d.text, null, null, null))
                        }
                    }
                }) {
                    edit { it.copy(text = "", input = InputMethod.TYPED) }
                    SyncWorker.syncSoon(context)
                }
            }
            is VisitActionKind.EndVisit -> model.act({ it.visits().endVisit(kind.visit, null) })
            is VisitActionKind.ShareConcern -> kind.about?.let { nav.navigate(Routes.share(it, kind.observations, kind.voiceNotes)) }
            is VisitActionKind.AddChild -> addingChild = action
            is VisitActionKind.OpenChronology -> nav.navigate(Routes.chronology(kind.person))
            is VisitActionKind.OpenChecklists -> nav.navigate(Routes.checklists(kind.person))
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { (built, screen) ->
            val draft = model.input ?: built
            Heading(screen.title)
            screen.child?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
            screen.address?.let { Text(it) }
            Text(screen.started)
            Text(screen.status)

            Heading(screen.aboutHeading)
            screen.peopleEmpty?.let { Text(it) }
            screen.people.forEach { p -> Choice(p.label, p.selected) { edit { d -> d.copy(about = p.person) } } }
            screen.kinds.forEach { k -> Choice(k.label, k.selected) { edit { d -> d.copy(kind = k.kind) } } }

            CaptureText(screen.text, draft.text, minLines = 4) { edit { d -> d.copy(text = it, input = InputMethod.TYPED) } }
            BigButton(FormWords.DICTATE) { askMic.launch(Manifest.permission.RECORD_AUDIO) }
            if (dictationStopped) Text(FormWords.DICTATION_STOPPED)
            screen.dictated?.let { Text(it, color = MaterialTheme.colorScheme.tertiary) }
            screen.prompts.forEach { Text(it.prompt, color = MaterialTheme.colorScheme.tertiary) }

            screen.categoryHeading?.let { Heading(it) }
            screen.categories.forEach { c -> Choice(c.label, c.selected) { edit { d -> d.copy(category = c.category) } } }
            screen.categoryName?.let { field -> CaptureText(field, (draft.category as? ConcernCategory.Other)?.v1 ?: "") { edit { d -> d.copy(category = ConcernCategory.Other(it)) } } }
            screen.severityHeading?.let { Heading(it) }
            screen.severities.forEach { c ->
                Choice(c.label, c.selected) { edit { d -> d.copy(severity = c.severity) } }
                c.detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            }
            screen.evidence.forEach { c -> Choice(c.label, c.selected) { edit { d -> d.copy(evidence = c.evidence) } } }
            screen.evidenceDetail?.let { field -> CaptureText(field, detailOf(draft.evidence)) { edit { d -> d.copy(evidence = withDetail(d.evidence, it)) } } }
            screen.modes.forEach { c -> Choice(c.label, c.selected) { edit { d -> d.copy(mode = c.mode) } } }
            screen.present.forEach { p ->
                Choice(p.label, p.selected) {
                    edit { d ->
                        val others = d.present.filter { !(it is Attendee.Person && it.person == p.person) }
                        d.copy(present = if (p.selected) others else others + Attendee.Person(p.person))
                    }
                }
            }

            screen.actions.forEach { a ->
                ActionButton(a.label, a.enabled, a.detail) {
                    // The form's fields as the record carried them when "Add a child" was tapped.
                    if (a.kind is VisitActionKind.AddChild) childFields = screen.addChild
                    perform(a)
                }
            }
            Problem(model.problem)

            Heading(screen.recordedHeading)
            screen.recorded.forEach { row -> ItemCard(row.title, row.text) { Text(row.`when`) } }
        }
    }

    addingChild?.let { action ->
        AddChildDialog(action.label, childFields, onDismiss = { addingChild = null }) { typed ->
            addingChild = null
            val kind = action.kind
            if (kind is VisitActionKind.AddChild) {
                // Each typed value goes to the PersonDetails field its ChildDetail names; core's
                // person rules check them (a refusal names the field, shown as core words it).
                fun value(detail: ChildDetail) = typed[detail]?.ifBlank { null }
                val details = PersonDetails(value(ChildDetail.NAME), null, value(ChildDetail.DATE_OF_BIRTH), value(ChildDetail.NHS_NUMBER), null, null, null)
                model.act({ it.visits().addPerson(kind.household, PersonRole.Child, details) }) { child ->
                    edit { it.copy(about = child.id) }
                }
            }
        }
    }
}

/** The "Add a child" form: one field per `ChildField` the Visit record carries, core's words. */
@Composable
private fun AddChildDialog(label: String, fields: List<ChildField>, onDismiss: () -> Unit, onConfirm: (Map<ChildDetail, String>) -> Unit) {
    var typed by remember { mutableStateOf(mapOf<ChildDetail, String>()) }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(label) },
        text = {
            Column {
                fields.forEach { f ->
                    OutlinedTextField(typed[f.detail] ?: "", { typed = typed + (f.detail to it) },
                        label = { Text(f.label) }, supportingText = { Text(f.hint) }, modifier = BigTarget)
                }
            }
        },
        confirmButton = { Button(onClick = { onConfirm(typed) }) { Text(label) } },
        dismissButton = { TextButton(onClick = onDismiss) { Text(FormWords.CANCEL) } },
    )
}

/** The typed source or basis kept in the evidence core offered; a fact seen has none. */
private fun withDetail(evidence: Evidence, typed: String): Evidence = when (evidence) {
    is Evidence.ReportedFact -> Evidence.ReportedFact(typed.ifBlank { null })
    is Evidence.Opinion -> Evidence.Opinion(typed.ifBlank { null })
    else -> evidence
}

/** What was typed for the evidence's source or basis (core's field label says which). */
private fun detailOf(evidence: Evidence): String = when (evidence) {
    is Evidence.ReportedFact -> evidence.source ?: ""
    is Evidence.Opinion -> evidence.basis ?: ""
    else -> ""
}

/** One of core's choices: its label, selected and enabled as the record says. */
@Composable
fun Choice(label: String, selected: Boolean, enabled: Boolean = true, onClick: () -> Unit) {
    FilterChip(selected, onClick, { Text(label) }, modifier = BigTarget, enabled = enabled)
}

/**
 * A field core labelled. It shows the draft's text as typed (not the record's copy, which
 * arrives a build later), so a keystroke is never lost to a build still running.
 */
@Composable
private fun CaptureText(field: CaptureField, typed: String, minLines: Int = 1, onChange: (String) -> Unit) {
    OutlinedTextField(typed, onChange, label = { Text(field.label) }, supportingText = { Text(field.hint) }, modifier = BigTarget, minLines = minLines)
}
