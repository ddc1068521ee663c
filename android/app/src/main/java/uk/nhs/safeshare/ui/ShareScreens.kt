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
import uniffi.safeshare_core.ReadBack
import uniffi.safeshare_core.ReadBackVerdict
import uniffi.safeshare_core.ReferralStatus
import uniffi.safeshare.Session
import uniffi.safeshare_core.ShareStatus

/** Shares sent (with their acknowledgement state) and shares to my team (acknowledge with read-back). */
@Composable
fun SharesScreen(session: Session) {
    val context = LocalContext.current
    var refresh by remember { mutableStateOf(0) }
    val sent by rememberQuery(refresh) { session.shares().sharesSent() }
    val incoming by rememberQuery(refresh) { session.shares().incomingShares() }
    var who by remember { mutableStateOf("") }
    var risk by remember { mutableStateOf("") }
    var next by remember { mutableStateOf("") }
    var message by remember { mutableStateOf<String?>(null) }
    fun act(block: () -> Unit) = runCatching(block).onSuccess { refresh++; message = null }.onFailure { message = describe(it) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text("Shares I sent", style = MaterialTheme.typography.headlineSmall)
        sent?.onSuccess { list ->
            list.forEach { share ->
                val state = when (val s = share.status) {
                    is ShareStatus.AwaitingAcknowledgement -> "awaiting acknowledgement, due ${s.due.local()}"
                    is ShareStatus.Overdue -> "NOT ACKNOWLEDGED, due ${s.due.local()}: call now"
                    is ShareStatus.ReadBackToCheck -> "acknowledged ${s.acknowledgedAt.local()}: check their read-back"
                    is ShareStatus.MisunderstoodReadBack -> "misunderstood: phone to correct (${s.correction})"
                    ShareStatus.Closed -> "acknowledged and understood"
                    null -> ""
                }
                ItemCard("${share.teamName} · ${share.severity.name.lowercase().replace('_', ' ')}", state) {
                    share.readBack?.let { Text("They understood: ${it.who}; ${it.risk}; next: ${it.nextAction}") }
                    if (share.status is ShareStatus.ReadBackToCheck) {
                        BigButton("Read-back is right") { act { session.shares().checkReadBack(share.id, ReadBackVerdict.Confirmed) } }
                    }
                    if (share.status is ShareStatus.Overdue || share.status is ShareStatus.MisunderstoodReadBack) {
                        BigButton("Call ${share.teamName}") {
                            runCatching { session.contacts().startCall(share.teamId, share.id, null) }
                                .onSuccess { placeCall(context, it.target) }.onFailure { message = describe(it) }
                        }
                    }
                }
            }
        }?.onFailure { Text(describe(it)) }

        Text("Shares to my team", style = MaterialTheme.typography.headlineSmall, modifier = Modifier.padding(top = 24.dp))
        incoming?.onSuccess { list ->
            list.forEach { share ->
                ItemCard("From ${share.sentAt.local()} · ${share.severity.name.lowercase().replace('_', ' ')}", if (share.acknowledged) "acknowledged" else "to acknowledge by ${share.dueAt.local()}") {
                    if (!share.acknowledged) {
                        OutlinedTextField(who, { who = it }, label = { Text("Who is it about?") }, modifier = BigTarget)
                        OutlinedTextField(risk, { risk = it }, label = { Text("What is the risk?") }, modifier = BigTarget)
                        OutlinedTextField(next, { next = it }, label = { Text("What happens next?") }, modifier = BigTarget)
                        BigButton("Acknowledge with read-back") { act { session.shares().acknowledgeShare(share.id, ReadBack(who, risk, next)) } }
                    }
                }
            }
        }?.onFailure { Text(describe(it)) }
        message?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    }
}

/** Referrals to children's social care with their decision due time (one working day). */
@Composable
fun ReferralsScreen(session: Session) {
    val context = LocalContext.current
    val referrals by rememberQuery { session.referrals().referrals() }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text("Referrals", style = MaterialTheme.typography.headlineSmall)
        referrals?.onSuccess { list ->
            list.forEach { r ->
                val state = when (val s = r.status) {
                    is ReferralStatus.AwaitingDecision -> "decision due ${s.due.local()}"
                    is ReferralStatus.DecisionOverdue -> "NO DECISION, due ${s.due.local()}: chase"
                    is ReferralStatus.Accepted -> "accepted"
                    is ReferralStatus.NotAccepted -> "not accepted"
                }
                ItemCard(r.frontDoorName, state) {
                    r.nextStep?.let { step -> Text("Next: $step" + (r.nextStepDueAt?.let { " by ${it.local()}" } ?: "")) }
                    if (r.status is ReferralStatus.DecisionOverdue) {
                        BigButton("Call ${r.frontDoorName}") { runCatching { session.contacts().startCall(r.frontDoorTeamId, null, r.aboutPersonId) }.onSuccess { placeCall(context, it.target) } }
                    }
                }
            }
        }?.onFailure { Text(describe(it)) }
    }
}
