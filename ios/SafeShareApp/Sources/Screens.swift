import SafeShareCore
import SwiftUI

/// Where a tap leads; ids as core gave them. The same places as Android's `Routes`.
enum Route: Hashable {
    case shares
    case incoming(share: String)
    case referrals
    case sync
    case capture(household: String, visit: String)
    case share(about: String, observations: [String], voiceNotes: [String])
    case chronology(person: String)
    case checklists(person: String)
    case checklist(id: String)
    case contactPicker(checklist: String, key: String)
    case team(child: String)
    case transfer(child: String)
    case expected
    case patterns(child: String)
    case observation(id: String)
    case meetingPacks(child: String)
    case meetingPack(id: String)
    case supervision
}

/// A tab's navigation stack: the tab's own screen, and any screen a tap leads to.
struct TabStack<Root: View>: View {
    let session: Session
    let changes: ChangeEvents
    @ViewBuilder let root: (Binding<[Route]>) -> Root
    @State private var path: [Route] = []
    var body: some View {
        NavigationStack(path: $path) {
            root($path).navigationDestination(for: Route.self) { route in
                switch route {
                case .shares: SharesView(session: session, changes: changes, path: $path)
                case let .incoming(share): IncomingShareView(session: session, changes: changes, share: share)
                case .referrals: ReferralsView(session: session, changes: changes)
                case .sync: SyncView(session: session, changes: changes)
                case let .capture(_, visit): VisitView(session: session, changes: changes, visitId: visit, path: $path)
                case let .share(about, observations, voiceNotes):
                    ShareView(session: session, changes: changes,
                              start: ShareDraft(about: about, observations: observations, voiceNotes: voiceNotes,
                                                postcode: nil, team: nil, severity: nil, message: ""),
                              path: $path)
                case let .checklists(person): ChecklistsView(session: session, changes: changes, personId: person, path: $path)
                case let .checklist(id): ChecklistView(session: session, changes: changes, checklistId: id, path: $path)
                case let .contactPicker(checklist, key):
                    ContactPickerView(session: session, changes: changes, checklistId: checklist, key: key, path: $path)
                case let .chronology(person): ChronologyView(session: session, changes: changes, child: person, path: $path)
                case let .patterns(child): PatternAlertsView(session: session, changes: changes, child: child, path: $path)
                case let .observation(id): ObservationHistoryView(session: session, changes: changes, observation: id)
                case let .meetingPacks(child): MeetingPacksView(session: session, changes: changes, child: child, path: $path)
                case let .meetingPack(id): MeetingPackView(session: session, changes: changes, pack: id, path: $path)
                case .supervision: SupervisionView(session: session, changes: changes)
                case let .team(child): TeamView(session: session, changes: changes, child: child, path: $path)
                case let .transfer(child): TransferView(session: session, changes: changes, child: child)
                case .expected: ExpectedFamiliesView(session: session, changes: changes, path: $path)
                }
            }
        }
    }
}

/// Today as core builds it (`Session.todayScreen`): what needs attention now in core's order,
/// today's visits, and the actions each offers. A tap calls the core function the action's
/// kind names, or opens the screen it names. "Start home visit" asks the address (the record's
/// field) and hands it to `Visits.startHomeVisit`, which records the household with it.
@MainActor
struct TodayView: View {
    let session: Session
    let changes: ChangeEvents
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<Void, TodayScreen>
    /// "Start home visit" asks the address first (the record's field).
    @State private var askingAddress = false

    init(session: Session, changes: ChangeEvents, path: Binding<[Route]>) {
        self.session = session
        self.changes = changes
        _path = path
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.today, .visit], input: ()) { s, _ in
            try s.todayScreen()
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                Section {
                    Text(screen.date).font(.headline)
                    ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                        ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                    }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
                Section(screen.attentionHeading) {
                    if let empty = screen.attentionEmpty { Text(empty) }
                    ForEach(Array(screen.attention.enumerated()), id: \.offset) { _, item in
                        ItemCard(item.headline, item.text, tone: item.tone) {
                            Text(item.when)
                            ForEach(Array(item.actions.enumerated()), id: \.offset) { _, a in
                                ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                            }
                        }
                    }
                }
                Section(screen.visitsHeading) {
                    if let empty = screen.visitsEmpty { Text(empty) }
                    ForEach(Array(screen.visits.enumerated()), id: \.offset) { _, visit in
                        ItemCard(visit.title, visit.status) {
                            Text(visit.time)
                            ForEach(Array(visit.actions.enumerated()), id: \.offset) { _, a in
                                ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                            }
                        }
                    }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .sheet(isPresented: $askingAddress) {
            if let screen = try? model.record?.get(),
               let start = screen.actions.first(where: { if case .startVisit = $0.kind { return true } else { return false } }) {
                AddressSheet(label: start.label, field: screen.startVisitAddress) { address in
                    model.act({ try $0.visits().startHomeVisit(address: address) }) { started in
                        path.append(.capture(household: started.household, visit: started.visit))
                    }
                }
            }
        }
    }

    private func perform(_ kind: TodayActionKind) {
        switch kind {
        case let .call(team, regardingShare, about):
            model.act({ try $0.contacts().startCall(teamId: team, regardingShareId: regardingShare, aboutPersonId: about) }) { Platform.placeCall($0.target) }
        case .openSentShare: path.append(.shares)
        case let .acknowledgeShare(share): path.append(.incoming(share: share))
        case .openReferral: path.append(.referrals)
        case let .reviewChild(child): path.append(.chronology(person: child))
        case let .openChecklists(person): if let person { path.append(.checklists(person: person)) }
        case .openSync: path.append(.sync)
        // The address is asked first (the record's field); core records it with the visit.
        case .startVisit: askingAddress = true
        case .openSupervision: path.append(.supervision)
        case let .continueVisit(visit, household): path.append(.capture(household: household, visit: visit))
        case let .endVisit(visit): model.act({ _ = try $0.visits().endVisit(visitId: visit, endedAt: nil) })
        }
    }
}

/// "Start home visit": the address, with the record's label and hint; core treats blank as none.
struct AddressSheet: View {
    let label: String
    let field: AddressField
    let confirm: (String) -> Void
    @Environment(\.dismiss) private var dismiss
    @State private var address = ""
    var body: some View {
        NavigationStack {
            Form {
                TextField(field.label, text: $address, axis: .vertical).lineLimit(2...4)
                Text(field.hint)
                BigButton(label) { confirm(address); dismiss() }
            }
            .navigationTitle(label)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { dismiss() } } }
        }
    }
}

/// "Shares I sent" (`Shares.sentScreen`) and "Shares to my team" (`Shares.incomingScreen`) as
/// core builds them: each share's state and read-backs in core's words, and the actions core
/// offers (confirm or flag a read-back, call the team, open a share to acknowledge it).
@MainActor
struct SharesView: View {
    @Binding var path: [Route]
    @StateObject private var sent: ScreenModel<Void, SharesSentScreen>
    @StateObject private var incoming: ScreenModel<Void, IncomingSharesScreen>
    /// The read-back flag being worded: what the sender says to correct goes to core with it.
    @State private var flagging: Flag?

    init(session: Session, changes: ChangeEvents, path: Binding<[Route]> = .constant([])) {
        _path = path
        _sent = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.sharesSent], input: ()) { s, _ in
            try s.shares().sentScreen()
        })
        _incoming = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.incomingShares], input: ()) { s, _ in
            try s.shares().incomingScreen()
        })
    }

    var body: some View {
        List {
            Loaded(record: sent.record) { screen in
                Section(screen.title) {
                    if let empty = screen.empty { Text(empty) }
                    ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                        ItemCard(row.title, row.status, tone: row.tone) {
                            Text(row.sent)
                            ForEach(row.readBacks, id: \.self) { Text($0).font(.callout) }
                            ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                                ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                            }
                        }
                    }
                    if let problem = sent.problem { Text(problem).foregroundStyle(.red) }
                }
            }
            Loaded(record: incoming.record) { screen in
                Section(screen.title) {
                    if let empty = screen.empty { Text(empty) }
                    ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                        ItemCard(row.title, row.status, tone: row.tone) {
                            ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                                ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) {
                                    switch a.kind {
                                    case let .open(share), let .acknowledge(share): path.append(.incoming(share: share))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        .navigationTitle(FormWords.tabShares)
        .sheet(item: $flagging) { flag in
            WordsSheet(label: flag.action.label, detail: flag.action.detail) { words in
                sent.act({ try $0.shares().checkReadBack(shareId: flag.share, verdict: flag.verdict(words)) })
            }
        }
    }

    private func perform(_ action: SentShareAction) {
        switch action.kind {
        case let .confirmReadBack(share):
            sent.act({ try $0.shares().checkReadBack(shareId: share, verdict: .confirmed) })
        case let .flagOverEmphasised(share):
            flagging = Flag(action: action, share: share) { .overEmphasised($0) }
        case let .flagUnderEmphasised(share):
            flagging = Flag(action: action, share: share) { .underEmphasised($0) }
        case let .call(team, share):
            sent.act({ try $0.contacts().startCall(teamId: team, regardingShareId: share, aboutPersonId: nil) }) { Platform.placeCall($0.target) }
        }
    }

    /// A read-back flag waiting for the sender's words: the action, its share, its verdict.
    struct Flag: Identifiable {
        let id = UUID()
        let action: SentShareAction
        let share: String
        let verdict: (String) -> ReadBackVerdict
    }
}

/// One share to my team (`Shares.incomingShareScreen(share, draft)`): what was shared, and the
/// read-back form. Core rebuilds the record as the practitioner types, so "Acknowledge" is
/// enabled exactly when core says the read-back is complete.
@MainActor
struct IncomingShareView: View {
    @StateObject private var model: ScreenModel<ReadBack, IncomingShareScreen>

    init(session: Session, changes: ChangeEvents, share: String) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.incomingShares],
                                                       input: ReadBack(who: "", risk: "", nextAction: "")) { s, draft in
            try s.shares().incomingShareScreen(shareId: share, draft: draft)
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                Section {
                    ItemCard(screen.severity, screen.status, tone: screen.tone) { Text(screen.sent) }
                    if let warning = screen.clockWarning { Text(warning).foregroundStyle(.red) }
                    ForEach(screen.about, id: \.self) { Text($0) }
                    Text(screen.message)
                    ForEach(screen.shared, id: \.self) { Text($0) }
                }
                Section(screen.readBackHeading) {
                    // Who, the risk, the next action: core's order, labels and hints; the text
                    // typed stays here and goes back to core with every keystroke.
                    ForEach(Array(screen.readBack.enumerated()), id: \.offset) { i, field in
                        VStack(alignment: .leading) {
                            TextField(field.label, text: binding(i), axis: .vertical)
                            Text(field.hint).font(.caption).foregroundStyle(field.missing ? .red : .secondary)
                        }
                    }
                    ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                        ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) {
                            switch a.kind {
                            case let .acknowledge(share):
                                let draft = model.input
                                model.act({ _ = try $0.shares().acknowledgeShare(shareId: share, readBack: draft) })
                            case .open: model.rebuild()
                            }
                        }
                    }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    private func binding(_ i: Int) -> Binding<String> {
        Binding(
            get: { [model.input.who, model.input.risk, model.input.nextAction][i] },
            set: { typed in
                var draft = model.input
                switch i {
                case 0: draft.who = typed
                case 1: draft.risk = typed
                default: draft.nextAction = typed
                }
                model.update(draft)
            }
        )
    }
}

/// Referrals as core builds them (`Referrals.screen`): each referral's state, decision due time
/// and escalation in core's words, and the actions core offers (chase by phone, record the
/// decision, open the escalation, record the one step that may come next, close it), with the
/// words of the decision and step forms from the same record.
@MainActor
struct ReferralsView: View {
    @StateObject private var model: ScreenModel<Void, ReferralsScreen>
    /// The action whose form is open (decision, step outcome, reason to close).
    @State private var asking: Asking?

    init(session: Session, changes: ChangeEvents) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.referrals], input: ()) { s, _ in
            try s.referrals().screen()
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                if let empty = screen.empty { Text(empty) }
                ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                    ItemCard(row.title, row.status, tone: row.tone) {
                        Text(row.sent)
                        if let escalation = row.escalation { Text(escalation) }
                        if let next = row.nextStep { Text(next) }
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                        }
                    }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? FormWords.tabReferrals)
        .sheet(item: $asking) { asking in
            // The forms' words are the record's (it carries them whatever the rows).
            if let screen = try? model.record?.get() {
                switch asking.action.kind {
                case let .recordDecision(referral):
                    DecisionSheet(label: asking.action.label, form: screen.decisionForm) { outcome, feedback in
                        model.act({ _ = try $0.referrals().recordReferralDecision(referralId: referral, outcome: outcome, feedbackToFamilyGiven: feedback, arrivedAt: nil) })
                    }
                case let .recordStep(referral, step):
                    StepSheet(label: asking.action.label, detail: asking.action.detail, form: screen.stepForm) { outcome in
                        model.act({ _ = try $0.referrals().recordEscalationStep(referralId: referral, step: step, outcome: outcome) })
                    }
                case let .resolveEscalation(referral):
                    WordsSheet(label: asking.action.label, detail: asking.action.detail) { reason in
                        model.act({ _ = try $0.referrals().resolveEscalation(referralId: referral, reason: reason) })
                    }
                default: EmptyView()
                }
            }
        }
    }

    private func perform(_ action: ReferralAction) {
        switch action.kind {
        case let .call(team, about):
            model.act({ try $0.contacts().startCall(teamId: team, regardingShareId: nil, aboutPersonId: about) }) { Platform.placeCall($0.target) }
        case let .openEscalation(referral):
            model.act({ _ = try $0.referrals().openEscalation(referralId: referral) })
        case .recordDecision, .recordStep, .resolveEscalation:
            asking = Asking(action: action)
        }
    }

    struct Asking: Identifiable {
        let id = UUID()
        let action: ReferralAction
    }
}

/// Children's social care's decision: accepted (the response) or not (the reasons), and feedback.
struct DecisionSheet: View {
    let label: String
    let form: DecisionForm
    let confirm: (DecisionOutcome, Bool) -> Void
    @Environment(\.dismiss) private var dismiss
    @State private var accepted: Bool?
    @State private var words = ""
    @State private var feedback = false
    var body: some View {
        NavigationStack {
            Form {
                Picker(label, selection: $accepted) {
                    Text(form.accepted).tag(Bool?.some(true))
                    Text(form.notAccepted).tag(Bool?.some(false))
                }
                .pickerStyle(.inline)
                if let accepted {
                    TextField(accepted ? form.responseLabel : form.reasonsLabel, text: $words, axis: .vertical)
                    Toggle(form.feedbackLabel, isOn: $feedback)
                    BigButton(label) {
                        confirm(accepted ? .accepted(response: words) : .notAccepted(reasons: words), feedback)
                        dismiss()
                    }
                }
            }
            .navigationTitle(label)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { dismiss() } } }
        }
    }
}

/// An escalation step's outcome: done (what happened) or not applicable (why); core checks the words.
struct StepSheet: View {
    let label: String
    let detail: String?
    let form: StepForm
    let confirm: (StepOutcome) -> Void
    @Environment(\.dismiss) private var dismiss
    @State private var words = ""
    var body: some View {
        NavigationStack {
            Form {
                if let detail { Text(detail) }
                TextField(label, text: $words, axis: .vertical).lineLimit(2...6)
                BigButton(form.done) { confirm(.done(words)); dismiss() }
                BigButton(form.notApplicable) { confirm(.notApplicable(words)); dismiss() }
            }
            .navigationTitle(label)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { dismiss() } } }
        }
    }
}

/// Contacts as core builds them for what is typed (`Contacts.screen(query)`): the teams found,
/// whether each is open now, its hours, and "Call" with the number core chose for now (or
/// disabled, with why). The tap asks core again (`startCall`), which logs the call and gives the
/// number for that instant; the phone's dialler does the rest.
@MainActor
struct ContactsView: View {
    @StateObject private var model: ScreenModel<String, ContactsScreen>

    init(session: Session, changes: ChangeEvents) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.contacts], input: "") { s, query in
            try s.contacts().screen(query: query)
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                if let warning = screen.warning { Text(warning).foregroundStyle(.red) }
                TextField(screen.searchLabel, text: Binding(get: { model.input }, set: { model.update($0) }))
                if let empty = screen.empty { Text(empty) }
                ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                    ItemCard(row.title, row.subtitle) {
                        Text(row.openWords).font(.subheadline)
                        Text(row.hours)
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) {
                                switch a.kind {
                                case let .call(team):
                                    model.act({ try $0.contacts().startCall(teamId: team, regardingShareId: nil, aboutPersonId: nil) }) { Platform.placeCall($0.target) }
                                }
                            }
                        }
                    }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? FormWords.tabContacts)
    }
}

/// Sync as core words it (`Sync.screen`): the headline, the lines under it, anything the server
/// did not accept (with "Discard" and a reason) or that could not be read, and "Send now" /
/// "Enrol" enabled as core says. Both run off the main actor; core's listener redraws.
@MainActor
struct SyncView: View {
    @StateObject private var model: ScreenModel<Void, SyncScreen>
    @State private var code = ""
    @State private var discarding: Discarding?

    init(session: Session, changes: ChangeEvents) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.sync], input: ()) { s, _ in
            try s.sync().screen()
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                ItemCard(screen.headline, screen.notice, tone: screen.tone)
                ForEach(Array((screen.lines + screen.rejected + screen.unreadable).enumerated()), id: \.offset) { _, row in
                    ItemCard(row.text, row.detail, tone: row.tone) {
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                        }
                    }
                }
                TextField(screen.enrolmentCodeLabel, text: $code).textInputAutocapitalization(.characters)
                ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? FormWords.tabSync)
        .sheet(item: $discarding) { discarding in
            WordsSheet(label: discarding.action.label, detail: discarding.action.detail) { reason in
                model.act({ try $0.sync().discardRejected(envelopeId: discarding.envelope, reason: reason) })
            }
        }
    }

    private func perform(_ action: SyncAction) {
        switch action.kind {
        case .sendNow:
            model.act({ _ = try $0.sync().syncNow(server: try Platform.server()) })
        case .enrol:
            // The admin's one-time code; core checks it and decides whose store this is.
            let typed = code.trimmingCharacters(in: .whitespaces)
            model.act({ _ = try $0.sync().enrol(server: try Platform.server(), code: typed) }) { _ in code = "" }
        case let .discardRejected(envelope):
            discarding = Discarding(action: action, envelope: envelope)
        }
    }

    struct Discarding: Identifiable {
        let id = UUID()
        let action: SyncAction
        let envelope: String
    }
}
