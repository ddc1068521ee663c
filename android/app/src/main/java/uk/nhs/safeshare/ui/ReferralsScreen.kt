package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import uniffi.safeshare.Session
import uniffi.safeshare_core.DecisionForm
import uniffi.safeshare_core.DecisionOutcome
import uniffi.safeshare_core.ReferralAction
import uniffi.safeshare_core.ReferralActionKind
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.StepForm
import uniffi.safeshare_core.StepOutcome

/**
 * Referrals as core builds them (`Referrals.screen`): each referral's state, decision due time
 * and escalation in core's words, and the actions core offers (chase by phone, record the
 * decision, open the escalation, record the one step that may come next, close it), with the
 * words of the decision and step forms from the same record.
 */
@Composable
fun ReferralsScreen(session: Session, changes: ChangeEvents) {
    val context = LocalContext.current
    val model = viewModel(key = "referrals") {
        ScreenModel(session, changes, setOf(ScreenName.REFERRALS), Unit) { s, _ -> s.referrals().screen() }
    }
    // The action whose form is open (decision, step outcome, reason to close).
    var asking by remember { mutableStateOf<ReferralAction?>(null) }

    fun perform(action: ReferralAction) {
        when (val kind = action.kind) {
            is ReferralActionKind.Call ->
                model.act({ it.contacts().startCall(kind.team, null, kind.about) }) { placeCall(context, it.target) }
            is ReferralActionKind.OpenEscalation -> model.act({ it.referrals().openEscalation(kind.referral) })
            is ReferralActionKind.RecordDecision, is ReferralActionKind.RecordStep, is ReferralActionKind.ResolveEscalation ->
                asking = action
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.empty?.let { Text(it) }
            screen.rows.forEach { row ->
                ItemCard(row.title, row.status, row.tone) {
                    Text(row.sent)
                    row.escalation?.let { Text(it) }
                    row.nextStep?.let { Text(it) }
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
                }
            }
        }
        Problem(model.problem)
    }

    // The forms' words are the record's (it carries them whatever the rows).
    val screen = model.record?.getOrNull()
    if (screen != null) asking?.let { action ->
        val done = { asking = null }
        when (val kind = action.kind) {
            is ReferralActionKind.RecordDecision -> DecisionDialog(action.label, screen.decisionForm, done) { outcome, feedback ->
                done()
                model.act({ it.referrals().recordReferralDecision(kind.referral, outcome, feedback, null) })
            }
            is ReferralActionKind.RecordStep -> StepDialog(action.label, action.detail, screen.stepForm, done) { outcome ->
                done()
                model.act({ it.referrals().recordEscalationStep(kind.referral, kind.step, outcome) })
            }
            is ReferralActionKind.ResolveEscalation -> WordsDialog(action.label, action.detail, done) { reason ->
                done()
                model.act({ it.referrals().resolveEscalation(kind.referral, reason) })
            }
            else -> Unit
        }
    }
}

/** Children's social care's decision: accepted (the response) or not (the reasons), and feedback. */
@Composable
private fun DecisionDialog(label: String, form: DecisionForm, onDismiss: () -> Unit, onConfirm: (DecisionOutcome, Boolean) -> Unit) {
    var accepted by remember { mutableStateOf<Boolean?>(null) }
    var words by remember { mutableStateOf("") }
    var feedback by remember { mutableStateOf(false) }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(label) },
        text = {
            Column {
                ChoiceButtons(form.accepted, form.notAccepted, { accepted = true }, { accepted = false })
                accepted?.let { yes ->
                    OutlinedTextField(words, { words = it }, label = { Text(if (yes) form.responseLabel else form.reasonsLabel) }, modifier = BigTarget)
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        Checkbox(feedback, { feedback = it })
                        Text(form.feedbackLabel)
                    }
                }
            }
        },
        confirmButton = {
            Button(enabled = accepted != null, onClick = {
                val outcome = if (accepted == true) DecisionOutcome.Accepted(words) else DecisionOutcome.NotAccepted(words)
                onConfirm(outcome, feedback)
            }) { Text(label) }
        },
        dismissButton = { TextButton(onClick = onDismiss) { Text(FormWords.CANCEL) } },
    )
}

/** An escalation step's outcome: done (what happened) or not applicable (why); core checks the words. */
@Composable
private fun StepDialog(label: String, detail: String?, form: StepForm, onDismiss: () -> Unit, onConfirm: (StepOutcome) -> Unit) {
    var words by remember { mutableStateOf("") }
    AlertDialog(
        onDismissRequest = onDismiss,
        title = { Text(label) },
        text = {
            Column {
                detail?.let { Text(it) }
                OutlinedTextField(words, { words = it }, modifier = BigTarget, minLines = 2)
                ChoiceButtons(
                    form.done,
                    form.notApplicable,
                    { onConfirm(StepOutcome.Done(words)) },
                    { onConfirm(StepOutcome.NotApplicable(words)) },
                )
            }
        },
        confirmButton = {},
        dismissButton = { TextButton(onClick = onDismiss) { Text(FormWords.CANCEL) } },
    )
}
