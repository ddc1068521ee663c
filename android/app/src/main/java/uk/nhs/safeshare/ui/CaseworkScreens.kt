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
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.NavController
import uniffi.safeshare.Session
import uniffi.safeshare_core.CaseworkFormKind
import uniffi.safeshare_core.ChronologyActionKind
import uniffi.safeshare_core.MeetingAction
import uniffi.safeshare_core.MeetingActionKind
import uniffi.safeshare_core.MinutesChallengeForm
import uniffi.safeshare_core.ReviewAction
import uniffi.safeshare_core.ReviewActionKind
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.SupervisionActionKind

/*
 * The child's record and the practitioner's casework as core builds them: Chronology
 * (`Session.chronologyScreen`), Pattern alerts and Observation history
 * (`Casework.patternAlertsScreen`, `observationHistoryScreen`), Meeting packs and one pack
 * (`Casework.meetingPacksScreen`, `meetingPackScreen`) and Supervision
 * (`Casework.supervisionScreen`). The same screens, words and actions as iOS
 * (`CaseworkViews.swift`). Every core call is off the main thread (ScreenModel); each screen
 * is rebuilt when core names it in a change event.
 *
 * Preparing a pack, recording supervision and amending an observation open core's form
 * ([CaseworkFormPanel]) in place of the screen.
 */

/** The casework form open in place of a screen, and a count so each opening starts afresh. */
private class OpenForm {
    var kind by mutableStateOf<CaseworkFormKind?>(null)
    var run by mutableStateOf(0)
    fun open(form: CaseworkFormKind) {
        run += 1
        kind = form
    }
}

/** What changes a child's record: a capture, an amendment, a dismissal (core's VISIT). */
private val RECORD_SCREENS = setOf(ScreenName.VISIT)

/** A child's chronology: entries in order, who recorded each, amendments marked. */
@Composable
fun ChronologyScreen(session: Session, changes: ChangeEvents, child: String, nav: NavController) {
    val model = viewModel(key = "chronology-$child") { ScreenModel(session, changes, RECORD_SCREENS, child) { s, c -> s.chronologyScreen(c) } }

    fun perform(kind: ChronologyActionKind) {
        when (kind) {
            is ChronologyActionKind.OpenPatternAlerts -> nav.navigate(Routes.patterns(kind.child))
            is ChronologyActionKind.OpenMeetingPacks -> nav.navigate(Routes.meetingPacks(kind.child))
            is ChronologyActionKind.OpenTeam -> nav.navigate(Routes.team(kind.child))
            is ChronologyActionKind.OpenObservation -> nav.navigate(Routes.observation(kind.observation))
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a.kind) } }
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.heading, row.summary) {
                    Text(row.`when`)
                    row.recordedBy?.let { Text(it) }
                    row.amended?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
                    row.closed?.let { Text(it) }
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a.kind) } }
                }
            }
        }
    }
}

/** A child's standing pattern alerts, dismissal with a reason, and earlier dismissals. */
@Composable
fun PatternAlertsScreen(session: Session, changes: ChangeEvents, child: String, nav: NavController) {
    val model = viewModel(key = "patterns-$child") {
        ScreenModel(session, changes, RECORD_SCREENS + ScreenName.TODAY, child) { s, c -> s.casework().patternAlertsScreen(c) }
    }
    var asking by remember { mutableStateOf<ReviewAction?>(null) }

    fun perform(action: ReviewAction) {
        when (val kind = action.kind) {
            is ReviewActionKind.DismissAlert -> asking = action
            is ReviewActionKind.OpenObservation -> nav.navigate(Routes.observation(kind.observation))
            is ReviewActionKind.Amend, is ReviewActionKind.Close -> Unit
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.message, row.evidence, row.tone) {
                    Text(row.since)
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
                }
            }
            screen.dismissed.forEach { Text(it) }
        }
        Problem(model.problem)
    }

    asking?.let { action ->
        val kind = action.kind
        if (kind is ReviewActionKind.DismissAlert) {
            WordsDialog(action.label, action.detail, { asking = null }) { reason ->
                asking = null
                model.act({ it.casework().dismissAlert(kind.key, reason) })
            }
        }
    }
}

/** One observation's versions, who changed it, when and why; closing it with a reason. */
@Composable
fun ObservationHistoryScreen(session: Session, changes: ChangeEvents, observation: String) {
    val model = viewModel(key = "observation-$observation") {
        ScreenModel(session, changes, RECORD_SCREENS, observation) { s, o -> s.casework().observationHistoryScreen(o) }
    }
    var asking by remember { mutableStateOf<ReviewAction?>(null) }
    val form = remember { OpenForm() }
    form.kind?.let { kind ->
        CaseworkFormPanel(session, changes, kind, form.run) {
            form.kind = null
            model.rebuild()
        }
        return
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            Text(screen.status, style = MaterialTheme.typography.titleMedium)
            screen.versions.forEach { v ->
                ItemCard(v.heading, v.reason) { v.lines.forEach { Text(it) } }
            }
            screen.actions.forEach { a ->
                ActionButton(a.label, a.enabled, a.detail) {
                    when (val kind = a.kind) {
                        is ReviewActionKind.Close -> asking = a
                        is ReviewActionKind.Amend -> form.open(CaseworkFormKind.AmendObservation(kind.observation))
                        else -> Unit
                    }
                }
            }
        }
        Problem(model.problem)
    }

    asking?.let { action ->
        val kind = action.kind
        if (kind is ReviewActionKind.Close) {
            WordsDialog(action.label, action.detail, { asking = null }) { reason ->
                asking = null
                model.act({ it.casework().closeObservation(kind.observation, reason) })
            }
        }
    }
}

/** What a meeting pack's change can touch: the packs themselves and Supervision. */
private val MEETING_SCREENS = setOf(ScreenName.MEETING_PACKS, ScreenName.SUPERVISION)

/** A child's meeting packs. */
@Composable
fun MeetingPacksScreen(session: Session, changes: ChangeEvents, child: String, nav: NavController) {
    val model = viewModel(key = "packs-$child") { ScreenModel(session, changes, MEETING_SCREENS, child) { s, c -> s.casework().meetingPacksScreen(c) } }
    val form = remember { OpenForm() }
    form.kind?.let { kind ->
        CaseworkFormPanel(session, changes, kind, form.run) { saved ->
            form.kind = null
            model.rebuild()
            saved?.pack?.let { nav.navigate(Routes.meetingPack(it)) }
        }
        return
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            Text(screen.child, style = MaterialTheme.typography.titleMedium)
            screen.actions.forEach { a ->
                ActionButton(a.label, a.enabled, a.detail) {
                    when (val kind = a.kind) {
                        is MeetingActionKind.Prepare -> form.open(CaseworkFormKind.PrepareMeetingPack(kind.child))
                        else -> meetingNav(a, nav)
                    }
                }
            }
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.title, row.status, row.tone) {
                    Text(row.meeting)
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { meetingNav(a, nav) } }
                }
            }
        }
    }
}

/** The navigations a meeting action names; the forms are [MeetingPackScreen]'s. */
private fun meetingNav(action: MeetingAction, nav: NavController) {
    when (val kind = action.kind) {
        is MeetingActionKind.Open -> nav.navigate(Routes.meetingPack(kind.pack))
        is MeetingActionKind.AddHealthStaff -> nav.navigate(Routes.team(kind.child))
        is MeetingActionKind.RecordSupervision -> nav.navigate(Routes.SUPERVISION)
        // Preparing a pack opens core's form on the packs screen; the pack screen's forms are its own.
        is MeetingActionKind.Prepare, is MeetingActionKind.RecordShared, is MeetingActionKind.ChallengeMinutes -> Unit
    }
}

/** One pack: what is missing, every section, health staff, what was shared, challenges. */
@Composable
fun MeetingPackScreen(session: Session, changes: ChangeEvents, pack: String, nav: NavController) {
    val model = viewModel(key = "pack-$pack") { ScreenModel(session, changes, MEETING_SCREENS, pack) { s, p -> s.casework().meetingPackScreen(p) } }
    var asking by remember { mutableStateOf<MeetingAction?>(null) }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            ItemCard(screen.meeting, screen.represents, screen.tone) {
                Text(screen.prepared)
                screen.missing.forEach { Text(it) }
            }
            screen.actions.forEach { a ->
                ActionButton(a.label, a.enabled, a.detail) {
                    when (a.kind) {
                        is MeetingActionKind.RecordShared, is MeetingActionKind.ChallengeMinutes -> asking = a
                        else -> meetingNav(a, nav)
                    }
                }
            }
            screen.sections.forEach { section ->
                ItemCard(section.title, section.empty) { section.lines.forEach { Text(it) } }
            }
            screen.shared.forEach { Text(it) }
            screen.challenges.forEach { Text(it) }

            asking?.let { action ->
                val done = { asking = null }
                when (val kind = action.kind) {
                    is MeetingActionKind.RecordShared -> WordsDialog(action.label, action.detail, done) { summary ->
                        done()
                        model.act({ it.casework().recordSharedAtMeeting(kind.pack, summary, emptyList()) })
                    }
                    is MeetingActionKind.ChallengeMinutes -> MinutesDialog(action.label, screen.minutesForm, done) { said, should, raisedWith ->
                        done()
                        model.act({ it.casework().challengeMinutes(kind.pack, said, should, raisedWith) })
                    }
                    else -> Unit
                }
            }
        }
        Problem(model.problem)
    }
}

/** "Challenge inaccurate minutes": the record's three labelled fields; core requires each. */
@Composable
private fun MinutesDialog(label: String, form: MinutesChallengeForm, onDismiss: () -> Unit, onConfirm: (String, String, String) -> Unit) {
    var said by remember { mutableStateOf("") }
    var should by remember { mutableStateOf("") }
    var raisedWith by remember { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(label) },
        text = {
            Column {
                OutlinedTextField(said, { said = it }, label = { Text(form.inaccuracyLabel) }, modifier = BigTarget)
                OutlinedTextField(should, { should = it }, label = { Text(form.correctionLabel) }, modifier = BigTarget)
                OutlinedTextField(raisedWith, { raisedWith = it }, label = { Text(form.raisedWithLabel) }, modifier = BigTarget)
            }
        },
        confirmButton = { Button(onClick = { onConfirm(said, should, raisedWith) }) { Text(label) } },
        dismissButton = { TextButton(onClick = onDismiss) { Text(FormWords.CANCEL) } },
    )
}

/** The practitioner's supervision: conferences needing oversight, sessions, agreed actions. */
@Composable
fun SupervisionScreen(session: Session, changes: ChangeEvents) {
    val model = viewModel(key = "supervision") { ScreenModel(session, changes, MEETING_SCREENS, Unit) { s, _ -> s.casework().supervisionScreen() } }
    val form = remember { OpenForm() }

    fun perform(kind: SupervisionActionKind) {
        when (kind) {
            is SupervisionActionKind.MarkActionDone -> model.act({ it.casework().markSupervisionActionDone(kind.supervision, kind.index) })
            is SupervisionActionKind.Record -> form.open(CaseworkFormKind.RecordSupervision(kind.child))
        }
    }

    form.kind?.let { kind ->
        CaseworkFormPanel(session, changes, kind, form.run) {
            form.kind = null
            model.rebuild()
        }
        return
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.needed.forEach { ItemCard(it) }
            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a.kind) } }
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.title, row.held, row.tone) {
                    row.cases.forEach { Text(it) }
                    row.actions.forEach { agreed ->
                        ItemCard(agreed.text, agreed.owner, agreed.tone) {
                            Text(agreed.due)
                            agreed.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a.kind) } }
                        }
                    }
                }
            }
        }
        Problem(model.problem)
    }
}
