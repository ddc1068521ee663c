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

    init(session: Session, changes: ChangeEvents, child: String, path: Binding<[Route]>) {
        _path = path
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
        // The involvement and social care status forms are not built in the shells yet
        // (CHANGELOG): the action is shown as core offers it.
        case .involveFromDirectory, .involveContact, .setSocialCareStatus:
            break
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
        case .acknowledge, .takeOn, .openChild:
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
/// with core's status, the pack, and "Take on" enabled only once acknowledged with a read-back.
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
            model.act({ try $0.transfers().takeOn(shareId: share) })
        case let .openChild(child):
            path.append(.team(child: child))
        case .send, .call:
            break
        }
    }
}
