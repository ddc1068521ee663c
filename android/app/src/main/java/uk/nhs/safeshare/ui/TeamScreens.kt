package uk.nhs.safeshare.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
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
import androidx.navigation.NavController
import uk.nhs.safeshare.sync.SyncWorker
import uniffi.safeshare.Session
import uniffi.safeshare.emptyTeamFormDraft
import uniffi.safeshare.emptyTransferDraft
import uniffi.safeshare.teamFormWithChoice
import uniffi.safeshare.teamFormWithDate
import uniffi.safeshare.teamFormWithHousehold
import uniffi.safeshare.teamFormWithText
import uniffi.safeshare_core.NewTransfer
import uniffi.safeshare_core.ScreenName
import uniffi.safeshare_core.ShareAction
import uniffi.safeshare_core.ShareActionKind
import uniffi.safeshare_core.ShareField
import uniffi.safeshare_core.SubjectChoice
import uniffi.safeshare_core.TeamAction
import uniffi.safeshare_core.TeamActionKind
import uniffi.safeshare_core.TeamFormDateKey
import uniffi.safeshare_core.TeamFormDraft
import uniffi.safeshare_core.TeamFormItem
import uniffi.safeshare_core.TeamFormKind
import uniffi.safeshare_core.TeamFormTextKey
import uniffi.safeshare_core.TransferAction
import uniffi.safeshare_core.TransferActionKind
import uniffi.safeshare_core.TransferDraft

/** The screens that change when a share, an acknowledgement or a take-on lands. */
private val TEAM_SCREENS = setOf(ScreenName.TODAY, ScreenName.VISIT, ScreenName.SHARES_SENT, ScreenName.INCOMING_SHARES)

/**
 * Team around the child as core builds it (`session.teamAroundChild().screen(child)`): members now and
 * before with core's dates and markers, the lead professional, the social care status, who
 * has not been told the latest concern, and each action enabled as core says. Reached from
 * the Visit screen's person. Every core call is off the main thread (ScreenModel).
 */
@Composable
fun TeamScreen(session: Session, changes: ChangeEvents, child: String, nav: NavController) {
    val context = LocalContext.current
    val model = viewModel(key = "team-$child") { ScreenModel(session, changes, TEAM_SCREENS, child) { s, c -> s.teamAroundChild().screen(c) } }
    var ending by remember { mutableStateOf<TeamAction?>(null) }
    // The form open in place of the screen, and a count so each opening starts a fresh draft.
    var form by remember { mutableStateOf<TeamFormKind?>(null) }
    var formRun by remember { mutableStateOf(0) }
    fun open(kind: TeamFormKind) {
        formRun += 1
        form = kind
    }

    fun perform(action: TeamAction) {
        when (val kind = action.kind) {
            is TeamActionKind.SetLead -> model.act({ it.teamAroundChild().setLead(kind.child, kind.member) })
            is TeamActionKind.EndInvolvement -> ending = action
            is TeamActionKind.Call ->
                model.act({ it.contacts().startCall(kind.team, null, kind.about) }) { placeCall(context, it.target) }
            is TeamActionKind.ShareLatestConcern -> nav.navigate(Routes.share(kind.about, listOf(kind.observation), emptyList()))
            is TeamActionKind.Transfer -> nav.navigate(Routes.transfer(kind.child))
            is TeamActionKind.InvolveFromDirectory -> open(TeamFormKind.INVOLVE)
            is TeamActionKind.InvolveContact -> open(TeamFormKind.ADD_CONTACT)
            is TeamActionKind.SetSocialCareStatus -> open(TeamFormKind.SOCIAL_CARE_STATUS)
        }
    }

    form?.let { kind ->
        TeamFormPanel(session, changes, child, kind, formRun) {
            form = null
            model.rebuild()
        }
        return
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            Text(screen.about, style = MaterialTheme.typography.titleMedium)
            Text(screen.lead)
            Text(screen.socialCare)
            screen.socialWorker?.let { Text(it) }
            screen.socialCareSince?.let { Text(it) }

            Heading(screen.currentHeading)
            screen.currentEmpty?.let { Text(it) }
            screen.current.forEach { row ->
                ItemCard(row.title, row.role) {
                    row.lead?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
                    row.leadsOn?.let { Text(it) }
                    Text(row.dates)
                    row.household?.let { Text(it) }
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
                }
            }
            if (screen.ended.isNotEmpty()) Heading(screen.endedHeading)
            screen.ended.forEach { row -> ItemCard(row.title, row.dates) }

            screen.notToldHeading?.let { Heading(it) }
            screen.notTold.forEach { Text(it) }
            screen.told.forEach { Text(it) }
            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
        }
        Problem(model.problem)
    }

    ending?.let { action ->
        val kind = action.kind as TeamActionKind.EndInvolvement
        WordsDialog(FormWords.END_DATE, action.detail, onDismiss = { ending = null }) { date ->
            ending = null
            val household = kind.household
            model.act({
                if (household != null) it.teamAroundChild().endHouseholdInvolvement(household, kind.member, date)
                else it.teamAroundChild().endInvolvement(kind.child, kind.member, date)
            })
        }
    }
}

/**
 * Transfer of care as core builds it (`session.transfers().screen(draft)`): the receiving teams
 * for the new postcode, the pack preview, each severity with core's due time, Send, and each
 * transfer sent with "needs attention" and its call-now until acknowledged. The draft goes
 * back to core with every choice and keystroke.
 */
@Composable
fun TransferScreen(session: Session, changes: ChangeEvents, child: String) {
    val context = LocalContext.current
    val model = viewModel(key = "transfer-$child") {
        ScreenModel(session, changes, TEAM_SCREENS, emptyTransferDraft(child)) { s, d -> s.transfers().screen(d) }
    }
    val draft = model.input
    fun edit(change: (TransferDraft) -> TransferDraft) = model.update(change(model.input))

    fun perform(action: TransferAction) {
        when (val kind = action.kind) {
            is TransferActionKind.Send -> {
                val team = kind.team ?: return
                val d = model.input
                model.act({
                    it.transfers().sendTransfer(NewTransfer(d.child, team, d.newPostcode, d.newAddress, d.movingOn, d.message,
                        kind.severity, d.healthNeeds, d.medication, d.followUpAppointments))
                }) { SyncWorker.syncSoon(context) }
            }
            is TransferActionKind.Call ->
                model.act({ it.contacts().startCall(kind.team, null, kind.about) }) { placeCall(context, it.target) }
            is TransferActionKind.Acknowledge, is TransferActionKind.TakeOn, is TransferActionKind.TakeOnAs,
            is TransferActionKind.TakeOnAsNew, is TransferActionKind.OpenChild -> Unit
        }
    }

    fun performTeam(action: ShareAction) {
        when (val kind = action.kind) {
            is ShareActionKind.ChooseTeam -> edit { it.copy(team = kind.team) }
            is ShareActionKind.Call ->
                model.act({ it.contacts().startCall(kind.team, null, kind.about) }) { placeCall(context, it.target) }
            is ShareActionKind.Send -> Unit
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.directoryWarning?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            Text(screen.about, style = MaterialTheme.typography.titleMedium)
            if (screen.sent.isNotEmpty()) Heading(screen.sentHeading)
            screen.sent.forEach { row ->
                ItemCard(row.title, row.status, row.tone) {
                    row.attention?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
                }
            }
            TransferText(screen.postcode, draft.newPostcode) { typed -> edit { it.copy(newPostcode = typed) } }
            Heading(screen.teamsHeading)
            screen.teamsEmpty?.let { Text(it) }
            screen.teams.forEach { row ->
                ItemCard(row.title, row.subtitle) {
                    Text(row.why)
                    Text(row.openWords)
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { performTeam(a) } }
                }
            }
            screen.chosen?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
            Heading(screen.packHeading)
            screen.pack.forEach { Text(it) }
            Heading(screen.severityHeading)
            screen.severities.forEach { c ->
                Choice(c.label, c.selected, c.enabled) { edit { it.copy(severity = c.severity) } }
                Text(c.due, style = MaterialTheme.typography.bodyMedium)
                c.advice?.let { Text(it, color = MaterialTheme.colorScheme.error) }
                c.detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            }
            TransferText(screen.message, draft.message) { typed -> edit { it.copy(message = typed) } }
            TransferText(screen.healthNeeds, draft.healthNeeds) { typed -> edit { it.copy(healthNeeds = typed) } }
            TransferText(screen.medication, draft.medication) { typed -> edit { it.copy(medication = typed) } }
            TransferText(screen.followUpAppointments, draft.followUpAppointments) { typed -> edit { it.copy(followUpAppointments = typed) } }
            screen.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
        }
        Problem(model.problem)
    }
}

/**
 * Families moving to your area as core builds it (`session.transfers().expectedFamiliesScreen()`): each
 * with core's status, the pack, and "Take on" enabled only once acknowledged with a read-back;
 * when someone recorded here has the child's NHS number, core's candidates, each with "This is
 * the child", and "None of these" in Take on's place.
 */
@Composable
fun ExpectedFamiliesScreen(session: Session, changes: ChangeEvents, nav: NavController) {
    val model = viewModel(key = "expected") { ScreenModel(session, changes, TEAM_SCREENS, Unit) { s, _ -> s.transfers().expectedFamiliesScreen() } }

    fun perform(action: TransferAction) {
        when (val kind = action.kind) {
            is TransferActionKind.Acknowledge -> nav.navigate(Routes.incoming(kind.share))
            // Take on may answer that the practitioner must choose: the rebuilt record then
            // carries the people to choose between.
            is TransferActionKind.TakeOn -> model.act({ it.transfers().takeOn(kind.share) })
            is TransferActionKind.TakeOnAs ->
                model.act({ it.transfers().takeOnResolved(kind.share, SubjectChoice.SamePerson(kind.person)) })
            is TransferActionKind.TakeOnAsNew ->
                model.act({ it.transfers().takeOnResolved(kind.share, SubjectChoice.NewPerson) })
            is TransferActionKind.OpenChild -> nav.navigate(Routes.team(kind.child))
            is TransferActionKind.Send, is TransferActionKind.Call -> Unit
        }
    }

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            screen.empty?.let { Text(it) }
            screen.families.forEach { row ->
                ItemCard(row.title, row.status, row.tone) {
                    Text(row.from)
                    row.pack.forEach { Text(it, style = MaterialTheme.typography.bodyMedium) }
                    row.candidatesHeading?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
                    row.candidates.forEach { c ->
                        ItemCard(c.title, c.differences) {
                            ActionButton(c.action.label, c.action.enabled, c.action.detail) { perform(c.action) }
                        }
                    }
                    row.actions.forEach { a -> ActionButton(a.label, a.enabled, a.detail) { perform(a) } }
                }
            }
        }
        Problem(model.problem)
    }
}

/** A field core labelled, showing the draft as typed, and core's problem with it if any. */
@Composable
private fun TransferText(field: ShareField, typed: String, onChange: (String) -> Unit) {
    OutlinedTextField(
        typed,
        onChange,
        label = { Text(field.label) },
        supportingText = { Text(field.problem ?: field.hint) },
        isError = field.problem != null,
        modifier = BigTarget,
    )
}

/**
 * One of the Team around the child screen's forms as core builds it (`teamAroundChild().form(draft)`):
 * core's fields in core's order, each choice, what is required and wrong, and Save enabled as
 * core says. The draft changes only through core's `teamFormWith…` functions and goes back to
 * core with every keystroke and tap; Save is `teamAroundChild().saveForm(draft)`, off the main thread.
 */
@Composable
private fun TeamFormPanel(session: Session, changes: ChangeEvents, child: String, kind: TeamFormKind, run: Int, onDone: () -> Unit) {
    val model = viewModel(key = "team-form-$child-$kind-$run") {
        ScreenModel(session, changes, TEAM_SCREENS, emptyTeamFormDraft(child, kind)) { s, d -> s.teamAroundChild().form(d) }
    }
    fun edit(change: (TeamFormDraft) -> TeamFormDraft) = model.update(change(model.input))

    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Loaded(model.record) { screen ->
            Heading(screen.title)
            Text(screen.about, style = MaterialTheme.typography.titleMedium)
            screen.items.forEach { item ->
                when (item) {
                    is TeamFormItem.Text -> {
                        val field = item.field
                        FormField(field.label, field.problem ?: field.hint, field.problem != null, typedText(model.input, field.key)) { typed ->
                            edit { teamFormWithText(it, field.key, typed) }
                        }
                    }
                    is TeamFormItem.Choices -> {
                        val list = item.list
                        Text(list.label, style = MaterialTheme.typography.titleMedium)
                        Text(list.hint, style = MaterialTheme.typography.bodyMedium)
                        list.empty?.let { Text(it) }
                        list.options.forEach { o ->
                            Choice(o.label, o.selected) { edit { teamFormWithChoice(it, o.choice) } }
                            o.detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
                        }
                    }
                    is TeamFormItem.Date -> {
                        val field = item.field
                        FormField(field.label, field.problem ?: field.shown, field.problem != null, typedDate(model.input, field.key)) { typed ->
                            edit { teamFormWithDate(it, field.key, typed) }
                        }
                        Text(field.hint, style = MaterialTheme.typography.bodyMedium)
                    }
                    is TeamFormItem.Household -> {
                        val toggle = item.toggle
                        Row(BigTarget, verticalAlignment = Alignment.CenterVertically) {
                            Switch(model.input.forHousehold, { on -> edit { teamFormWithHousehold(it, on) } })
                            Text(toggle.label, Modifier.padding(start = 12.dp))
                        }
                        Text(toggle.hint, style = MaterialTheme.typography.bodyMedium)
                    }
                }
            }
            ActionButton(screen.saveLabel, screen.saveEnabled, screen.saveDetail) {
                val draft = model.input
                model.act({ it.teamAroundChild().saveForm(draft) }) { onDone() }
            }
            ActionButton(FormWords.CANCEL, true, null) { onDone() }
        }
        Problem(model.problem)
    }
}

/** What the practitioner typed in a form's text field (the draft, ahead of the record). */
private fun typedText(draft: TeamFormDraft, key: TeamFormTextKey): String = when (key) {
    TeamFormTextKey.TEAM_SEARCH -> draft.teamSearch
    TeamFormTextKey.OTHER_ROLE -> draft.otherRole
    TeamFormTextKey.PROFESSIONAL_NAME -> draft.professionalName
    TeamFormTextKey.LEADS_ON -> draft.leadsOn
    TeamFormTextKey.CONTACT_NAME -> draft.contactName
    TeamFormTextKey.CONTACT_ROLE -> draft.contactRole
    TeamFormTextKey.PHONE -> draft.phone
    TeamFormTextKey.OUT_OF_HOURS_PHONE -> draft.outOfHoursPhone
}

/** What the practitioner typed in a form's date field (core reads it). */
private fun typedDate(draft: TeamFormDraft, key: TeamFormDateKey): String = when (key) {
    TeamFormDateKey.FROM -> draft.from
    TeamFormDateKey.SINCE -> draft.since
}

/** A field core labelled, showing the draft as typed, with core's line (a problem, or a hint) under it. */
@Composable
private fun FormField(label: String, line: String, isProblem: Boolean, typed: String, onChange: (String) -> Unit) {
    OutlinedTextField(
        typed,
        onChange,
        label = { Text(label) },
        supportingText = { Text(line) },
        isError = isProblem,
        modifier = BigTarget,
    )
}
