import SafeShareCore
import SwiftUI

/// The screens that change when a share, an acknowledgement or a take-on lands.
private let teamScreens: [ScreenName] = [.today, .visit, .sharesSent, .incomingShares]

/// Team around the child as core builds it (`session.teamAroundChild().screen(childId:)`): members now and
/// before with core's dates and markers, the lead professional, the social care status, who
/// has not been told the latest concern, and each action enabled as core says. Every core call
/// is off the main actor (ScreenModel).
@MainActor
struct TeamView: View {
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<String, TeamScreen>
    @State private var ending: TeamActionKind?
    @State private var endingDetail: String?
    /// The form open over the screen (each opening starts a fresh draft).
    @State private var form: TeamFormKind?
    private let session: Session
    private let changes: ChangeEvents
    private let child: String

    init(session: Session, changes: ChangeEvents, child: String, path: Binding<[Route]>) {
        _path = path
        self.session = session
        self.changes = changes
        self.child = child
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: teamScreens, input: child) { s, c in
            try s.teamAroundChild().screen(childId: c)
        })
    }

    var body: some View {
        Form {
            Loaded(record: model.record) { screen in
                Section {
                    Text(screen.about).font(.headline)
                    Text(screen.lead)
                    Text(screen.socialCare)
                    if let worker = screen.socialWorker { Text(worker) }
                    if let since = screen.socialCareSince { Text(since) }
                }
                Section(screen.currentHeading) {
                    if let empty = screen.currentEmpty { Text(empty) }
                    ForEach(Array(screen.current.enumerated()), id: \.offset) { _, row in
                        ItemCard(row.title, row.role) {
                            if let lead = row.lead { Text(lead).font(.headline) }
                            if let leadsOn = row.leadsOn { Text(leadsOn) }
                            Text(row.dates)
                            if let household = row.household { Text(household) }
                            ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                                ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                            }
                        }
                    }
                }
                if !screen.ended.isEmpty {
                    Section(screen.endedHeading) {
                        ForEach(Array(screen.ended.enumerated()), id: \.offset) { _, row in
                            ItemCard(row.title, row.dates) { EmptyView() }
                        }
                    }
                }
                Section(screen.notToldHeading ?? "") {
                    ForEach(screen.notTold, id: \.self) { Text($0) }
                    ForEach(screen.told, id: \.self) { Text($0) }
                    ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                        ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                    }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .sheet(isPresented: Binding(get: { ending != nil }, set: { if !$0 { ending = nil } })) {
            WordsSheet(label: FormWords.endDate, detail: endingDetail) { date in
                guard case let .endInvolvement(child, member, household)? = ending else { return }
                ending = nil
                model.act({ (s: Session) throws -> Void in
                    if let household {
                        try s.teamAroundChild().endHouseholdInvolvement(householdId: household, memberId: member, to: date)
                    } else {
                        try s.teamAroundChild().endInvolvement(childId: child, memberId: member, to: date)
                    }
                })
            }
        }
        .sheet(isPresented: Binding(get: { form != nil }, set: { if !$0 { form = nil } }), onDismiss: { model.rebuild() }) {
            if let form {
                NavigationStack {
                    TeamFormView(session: session, changes: changes, child: child, kind: form) { self.form = nil }
                }
            }
        }
    }

    private func perform(_ action: TeamAction) {
        switch action.kind {
        case let .setLead(child, member):
            model.act({ try $0.teamAroundChild().setLead(childId: child, memberId: member) })
        case .endInvolvement:
            endingDetail = action.detail
            ending = action.kind
        case let .call(team, about):
            model.act({ try $0.contacts().startCall(teamId: team, regardingShareId: nil, aboutPersonId: about) }) { Platform.placeCall($0.target) }
        case let .shareLatestConcern(about, observation):
            path.append(.share(about: about, observations: [observation], voiceNotes: []))
        case let .transfer(child):
            path.append(.transfer(child: child))
        case .involveFromDirectory:
            form = .involve
        case .involveContact:
            form = .addContact
        case .setSocialCareStatus:
            form = .socialCareStatus
        }
    }
}

/// Transfer of care as core builds it (`session.transfers().screen(draft:)`): the receiving teams
/// for the new postcode, the pack preview, each severity with core's due time, Send, and each
/// transfer sent with "needs attention" and its call-now until acknowledged.
@MainActor
struct TransferView: View {
    @StateObject private var model: ScreenModel<TransferDraft, TransferScreen>

    init(session: Session, changes: ChangeEvents, child: String) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: teamScreens,
                                                       input: emptyTransferDraft(childId: child)) { s, draft in
            try s.transfers().screen(draft: draft)
        })
    }

    var body: some View {
        Form {
            Loaded(record: model.record) { screen in
                Section {
                    if let warning = screen.directoryWarning { Text(warning).foregroundStyle(.red) }
                    Text(screen.about).font(.headline)
                }
                if !screen.sent.isEmpty {
                    Section(screen.sentHeading) {
                        ForEach(Array(screen.sent.enumerated()), id: \.offset) { _, row in
                            ItemCard(row.title, row.status, tone: row.tone) {
                                if let attention = row.attention { Text(attention).foregroundStyle(.red) }
                                ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                                }
                            }
                        }
                    }
                }
                Section(screen.teamsHeading) {
                    field(screen.postcode, get: { $0.newPostcode }, set: { $0.newPostcode = $1 })
                    if let empty = screen.teamsEmpty { Text(empty) }
                    ForEach(Array(screen.teams.enumerated()), id: \.offset) { _, row in
                        ItemCard(row.title, row.subtitle) {
                            Text(row.why)
                            Text(row.openWords)
                            ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                                ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { performTeam(a.kind) }
                            }
                        }
                    }
                    if let chosen = screen.chosen { Text(chosen).font(.headline) }
                }
                Section(screen.packHeading) { ForEach(screen.pack, id: \.self) { Text($0) } }
                Section(screen.severityHeading) {
                    ForEach(Array(screen.severities.enumerated()), id: \.offset) { _, c in
                        Button { change { $0.severity = c.severity } } label: {
                            Label(c.label, systemImage: c.selected ? "checkmark.circle.fill" : "circle")
                                .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
                        }
                        .disabled(!c.enabled)
                        Text(c.due).font(.callout)
                        if let advice = c.advice { Text(advice).foregroundStyle(.red) }
                        if let detail = c.detail { Text(detail).font(.callout) }
                    }
                }
                Section {
                    field(screen.message, get: { $0.message }, set: { $0.message = $1 })
                    field(screen.healthNeeds, get: { $0.healthNeeds }, set: { $0.healthNeeds = $1 })
                    field(screen.medication, get: { $0.medication }, set: { $0.medication = $1 })
                    field(screen.followUpAppointments, get: { $0.followUpAppointments }, set: { $0.followUpAppointments = $1 })
                    ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                        ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                    }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    private func change(_ edit: (inout TransferDraft) -> Void) {
        var draft = model.input
        edit(&draft)
        model.update(draft)
    }

    /// A field core labelled, showing the draft as typed, and core's problem with it if any.
    private func field(_ field: ShareField, get: @escaping (TransferDraft) -> String,
                       set: @escaping (inout TransferDraft, String) -> Void) -> some View {
        VStack(alignment: .leading) {
            TextField(field.label, text: Binding(get: { get(model.input) }, set: { typed in change { set(&$0, typed) } }), axis: .vertical)
                .lineLimit(1...6)
            Text(field.problem ?? field.hint).font(.caption).foregroundStyle(field.problem == nil ? .secondary : .red)
        }
    }

    private func perform(_ kind: TransferActionKind) {
        switch kind {
        case let .send(child, team, chosen):
            // Core enables "Send" only once a team is chosen; its severity is core's.
            guard let team else { return }
            let d = model.input
            model.act({ try $0.transfers().sendTransfer(new: NewTransfer(
                child: child, team: team, newPostcode: d.newPostcode, newAddress: d.newAddress, movingOn: d.movingOn,
                message: d.message, severity: chosen, healthNeeds: d.healthNeeds, medication: d.medication,
                followUpAppointments: d.followUpAppointments)) })
        case let .call(team, about):
            model.act({ try $0.contacts().startCall(teamId: team, regardingShareId: nil, aboutPersonId: about) }) { Platform.placeCall($0.target) }
        case .acknowledge, .takeOn, .takeOnAs, .takeOnAsNew, .openChild:
            break
        }
    }

    private func performTeam(_ kind: ShareActionKind) {
        switch kind {
        case let .chooseTeam(team):
            change { $0.team = team }
        case let .call(team, about):
            model.act({ try $0.contacts().startCall(teamId: team, regardingShareId: nil, aboutPersonId: about) }) { Platform.placeCall($0.target) }
        case .send:
            break
        }
    }
}

/// Families moving to your area as core builds it (`session.transfers().expectedFamiliesScreen()`): each
/// with core's status, the pack, and "Take on" enabled only once acknowledged with a read-back;
/// when someone recorded here has the child's NHS number, core's candidates, each with "This is
/// the child", and "None of these" in Take on's place.
@MainActor
struct ExpectedFamiliesView: View {
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<Int, ExpectedFamiliesScreen>

    init(session: Session, changes: ChangeEvents, path: Binding<[Route]>) {
        _path = path
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: teamScreens, input: 0) { s, _ in
            try s.transfers().expectedFamiliesScreen()
        })
    }

    var body: some View {
        Form {
            Loaded(record: model.record) { screen in
                if let empty = screen.empty { Text(empty) }
                ForEach(Array(screen.families.enumerated()), id: \.offset) { _, row in
                    ItemCard(row.title, row.status, tone: row.tone) {
                        Text(row.from)
                        ForEach(row.pack, id: \.self) { Text($0).font(.callout) }
                        if let heading = row.candidatesHeading { Text(heading).font(.headline) }
                        ForEach(Array(row.candidates.enumerated()), id: \.offset) { _, c in
                            ItemCard(c.title, c.differences) {
                                ActionButton(label: c.action.label, enabled: c.action.enabled, detail: c.action.detail) { perform(c.action.kind) }
                            }
                        }
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                        }
                    }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    private func perform(_ kind: TransferActionKind) {
        switch kind {
        case let .acknowledge(share):
            path.append(.incoming(share: share))
        case let .takeOn(share):
            // Take on may answer that the practitioner must choose: the rebuilt record then
            // carries the people to choose between.
            model.act({ try $0.transfers().takeOn(shareId: share) })
        case let .takeOnAs(share, person):
            model.act({ try $0.transfers().takeOnResolved(shareId: share, choice: .samePerson(person)) })
        case let .takeOnAsNew(share):
            model.act({ try $0.transfers().takeOnResolved(shareId: share, choice: .newPerson) })
        case let .openChild(child):
            path.append(.team(child: child))
        case .send, .call:
            break
        }
    }
}

/// One of the Team around the child screen's forms as core builds it (`teamAroundChild().form(draft:)`):
/// core's fields in core's order, each choice, what is required and wrong, and Save enabled as
/// core says. The draft changes only through core's `teamFormWith…` functions and goes back to
/// core with every keystroke and tap; Save is `teamAroundChild().saveForm(draft:)`, off the main actor.
@MainActor
struct TeamFormView: View {
    @StateObject private var model: ScreenModel<TeamFormDraft, TeamFormScreen>
    let done: () -> Void

    init(session: Session, changes: ChangeEvents, child: String, kind: TeamFormKind, done: @escaping () -> Void) {
        self.done = done
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: teamScreens,
                                                       input: emptyTeamFormDraft(childId: child, form: kind)) { s, draft in
            try s.teamAroundChild().form(draft: draft)
        })
    }

    var body: some View {
        Form {
            Loaded(record: model.record) { screen in
                Section { Text(screen.about).font(.headline) }
                ForEach(Array(screen.items.enumerated()), id: \.offset) { _, item in
                    switch item {
                    case let .text(field):
                        Section {
                            TextField(field.label, text: Binding(get: { typedText(model.input, field.key) },
                                                                 set: { typed in edit { teamFormWithText(draft: $0, key: field.key, value: typed) } }))
                            Text(field.problem ?? field.hint).font(.caption).foregroundStyle(field.problem == nil ? .secondary : .red)
                        }
                    case let .choices(list):
                        Section(list.label) {
                            Text(list.hint).font(.callout)
                            if let empty = list.empty { Text(empty) }
                            ForEach(Array(list.options.enumerated()), id: \.offset) { _, o in
                                Button { edit { teamFormWithChoice(draft: $0, choice: o.choice) } } label: {
                                    Label(o.label, systemImage: o.selected ? "checkmark.circle.fill" : "circle")
                                        .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
                                }
                                if let detail = o.detail { Text(detail).font(.callout) }
                            }
                        }
                    case let .date(field):
                        Section {
                            TextField(field.label, text: Binding(get: { typedDate(model.input, field.key) },
                                                                 set: { typed in edit { teamFormWithDate(draft: $0, key: field.key, value: typed) } }))
                            Text(field.problem ?? field.shown).font(.caption).foregroundStyle(field.problem == nil ? .secondary : .red)
                            Text(field.hint).font(.caption)
                        }
                    case let .household(toggle):
                        Section {
                            Toggle(toggle.label, isOn: Binding(get: { model.input.forHousehold },
                                                               set: { on in edit { teamFormWithHousehold(draft: $0, value: on) } }))
                                .frame(minHeight: 44)
                            Text(toggle.hint).font(.callout)
                        }
                    }
                }
                Section {
                    ActionButton(label: screen.saveLabel, enabled: screen.saveEnabled, detail: screen.saveDetail) {
                        let draft = model.input
                        model.act({ try $0.teamAroundChild().saveForm(draft: draft) }) { _ in done() }
                    }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { done() } } }
    }

    private func edit(_ change: (TeamFormDraft) -> TeamFormDraft) {
        model.update(change(model.input))
    }
}

/// What the practitioner typed in a form's text field (the draft, ahead of the record).
private func typedText(_ draft: TeamFormDraft, _ key: TeamFormTextKey) -> String {
    switch key {
    case .teamSearch: return draft.teamSearch
    case .otherRole: return draft.otherRole
    case .professionalName: return draft.professionalName
    case .leadsOn: return draft.leadsOn
    case .contactName: return draft.contactName
    case .contactRole: return draft.contactRole
    case .phone: return draft.phone
    case .outOfHoursPhone: return draft.outOfHoursPhone
    }
}

/// What the practitioner typed in a form's date field (core reads it).
private func typedDate(_ draft: TeamFormDraft, _ key: TeamFormDateKey) -> String {
    switch key {
    case .from: return draft.from
    case .since: return draft.since
    }
}
