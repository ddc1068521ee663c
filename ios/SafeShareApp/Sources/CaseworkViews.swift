import SafeShareCore
import SwiftUI

// The child's record and the practitioner's casework as core builds them: Chronology
// (`Session.chronologyScreen`), Pattern alerts and Observation history
// (`Casework.patternAlertsScreen`, `observationHistoryScreen`), Meeting packs and one pack
// (`Casework.meetingPacksScreen`, `meetingPackScreen`) and Supervision
// (`Casework.supervisionScreen`). The same screens, words and actions as Android
// (`CaseworkScreens.kt`). Every core call runs off the main actor (ScreenModel); each screen is
// rebuilt when core names it in a change event.
//
// Preparing a pack, recording supervision and amending an observation open core's form as a
// sheet (`CaseworkFormView`, `caseworkForm`).

/// What changes a child's record: a capture, an amendment, a dismissal (core's `.visit`).
private let recordScreens: Set<ScreenName> = [.visit]
/// What a meeting pack's or supervision's change can touch.
private let meetingScreens: Set<ScreenName> = [.meetingPacks, .supervision]

/// An action waiting for the practitioner's words, shown as a sheet.
private struct Asking<Action>: Identifiable {
    let id = UUID()
    let action: Action
}

/// A child's chronology: entries in order, who recorded each, amendments marked.
@MainActor
struct ChronologyView: View {
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<String, ChronologyScreen>

    init(session: Session, changes: ChangeEvents, child: String, path: Binding<[Route]>) {
        _path = path
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: recordScreens, input: child) { s, c in
            try s.chronologyScreen(childId: c)
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                Section {
                    ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                        ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                    }
                }
                Section {
                    if let empty = screen.empty { Text(empty) }
                    ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                        ItemCard(row.heading, row.summary) {
                            Text(row.when)
                            if let by = row.recordedBy { Text(by) }
                            if let amended = row.amended { Text(amended).font(.headline) }
                            if let closed = row.closed { Text(closed) }
                            ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                                ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                            }
                        }
                    }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    private func perform(_ kind: ChronologyActionKind) {
        switch kind {
        case let .openPatternAlerts(child): path.append(.patterns(child: child))
        case let .openMeetingPacks(child): path.append(.meetingPacks(child: child))
        case let .openTeam(child): path.append(.team(child: child))
        case let .openObservation(observation): path.append(.observation(id: observation))
        }
    }
}

/// A child's standing pattern alerts, dismissal with a reason, and earlier dismissals.
@MainActor
struct PatternAlertsView: View {
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<String, PatternAlertsScreen>
    @State private var asking: Asking<ReviewAction>?

    init(session: Session, changes: ChangeEvents, child: String, path: Binding<[Route]>) {
        _path = path
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: recordScreens.union([.today]), input: child) { s, c in
            try s.casework().patternAlertsScreen(childId: c)
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                if let empty = screen.empty { Text(empty) }
                ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                    ItemCard(row.message, row.evidence, tone: row.tone) {
                        Text(row.since)
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                        }
                    }
                }
                ForEach(screen.dismissed, id: \.self) { Text($0) }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .sheet(item: $asking) { asking in
            if case let .dismissAlert(key) = asking.action.kind {
                WordsSheet(label: asking.action.label, detail: asking.action.detail) { reason in
                    model.act({ try $0.casework().dismissAlert(key: key, reason: reason) })
                }
            }
        }
    }

    private func perform(_ action: ReviewAction) {
        switch action.kind {
        case .dismissAlert: asking = Asking(action: action)
        case let .openObservation(observation): path.append(.observation(id: observation))
        case .amend, .close: break
        }
    }
}

/// One observation's versions, who changed it, when and why; closing it with a reason.
@MainActor
struct ObservationHistoryView: View {
    @StateObject private var model: ScreenModel<String, ObservationHistoryScreen>
    @State private var asking: Asking<ReviewAction>?
    @State private var form: OpenCaseworkForm?
    private let session: Session
    private let changes: ChangeEvents

    init(session: Session, changes: ChangeEvents, observation: String) {
        self.session = session
        self.changes = changes
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: recordScreens, input: observation) { s, o in
            try s.casework().observationHistoryScreen(observationId: o)
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                Text(screen.status).font(.headline)
                ForEach(Array(screen.versions.enumerated()), id: \.offset) { _, v in
                    ItemCard(v.heading, v.reason) {
                        ForEach(v.lines, id: \.self) { Text($0) }
                    }
                }
                ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) {
                        switch a.kind {
                        case .close: asking = Asking(action: a)
                        case let .amend(observation): form = OpenCaseworkForm(kind: .amendObservation(observation: observation))
                        default: break
                        }
                    }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .caseworkForm($form, session: session, changes: changes) { _ in model.rebuild() }
        .sheet(item: $asking) { asking in
            if case let .close(observation) = asking.action.kind {
                WordsSheet(label: asking.action.label, detail: asking.action.detail) { reason in
                    model.act({ try $0.casework().closeObservation(observationId: observation, reason: reason) })
                }
            }
        }
    }
}

/// The navigations a meeting action names; the forms are `MeetingPackView`'s.
@MainActor
private func meetingNav(_ kind: MeetingActionKind, _ path: Binding<[Route]>) {
    switch kind {
    case let .open(pack): path.wrappedValue.append(.meetingPack(id: pack))
    case let .addHealthStaff(child): path.wrappedValue.append(.team(child: child))
    case .recordSupervision: path.wrappedValue.append(.supervision)
    // Preparing a pack opens core's form on the packs view; the pack view's forms are its own.
    case .prepare, .recordShared, .challengeMinutes: break
    }
}

/// A child's meeting packs.
@MainActor
struct MeetingPacksView: View {
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<String, MeetingPacksScreen>
    @State private var form: OpenCaseworkForm?
    private let session: Session
    private let changes: ChangeEvents

    init(session: Session, changes: ChangeEvents, child: String, path: Binding<[Route]>) {
        _path = path
        self.session = session
        self.changes = changes
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: meetingScreens, input: child) { s, c in
            try s.casework().meetingPacksScreen(childId: c)
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                Text(screen.child).font(.headline)
                ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) {
                        if case let .prepare(child) = a.kind {
                            form = OpenCaseworkForm(kind: .prepareMeetingPack(child: child))
                        } else {
                            meetingNav(a.kind, $path)
                        }
                    }
                }
                if let empty = screen.empty { Text(empty) }
                ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                    ItemCard(row.title, row.status, tone: row.tone) {
                        Text(row.meeting)
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { meetingNav(a.kind, $path) }
                        }
                    }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .caseworkForm($form, session: session, changes: changes) { saved in
            model.rebuild()
            if let pack = saved.pack { path.append(.meetingPack(id: pack)) }
        }
    }
}

/// One pack: what is missing, every section, health staff, what was shared, challenges.
@MainActor
struct MeetingPackView: View {
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<String, MeetingPackScreen>
    @State private var asking: Asking<MeetingAction>?

    init(session: Session, changes: ChangeEvents, pack: String, path: Binding<[Route]>) {
        _path = path
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: meetingScreens, input: pack) { s, p in
            try s.casework().meetingPackScreen(packId: p)
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                ItemCard(screen.meeting, screen.represents, tone: screen.tone) {
                    Text(screen.prepared)
                    ForEach(screen.missing, id: \.self) { Text($0) }
                }
                ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) {
                        switch a.kind {
                        case .recordShared, .challengeMinutes: asking = Asking(action: a)
                        default: meetingNav(a.kind, $path)
                        }
                    }
                }
                ForEach(Array(screen.sections.enumerated()), id: \.offset) { _, section in
                    ItemCard(section.title, section.empty) {
                        ForEach(section.lines, id: \.self) { Text($0) }
                    }
                }
                ForEach(screen.shared, id: \.self) { Text($0) }
                ForEach(screen.challenges, id: \.self) { Text($0) }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .sheet(item: $asking) { asking in
            if let screen = try? model.record?.get() {
                switch asking.action.kind {
                case let .recordShared(pack):
                    WordsSheet(label: asking.action.label, detail: asking.action.detail) { summary in
                        model.act({ try $0.casework().recordSharedAtMeeting(packId: pack, summary: summary, sections: []) })
                    }
                case let .challengeMinutes(pack):
                    MinutesSheet(label: asking.action.label, form: screen.minutesForm) { said, should, raisedWith in
                        model.act({ try $0.casework().challengeMinutes(packId: pack, inaccuracy: said, correction: should, raisedWith: raisedWith) })
                    }
                default: EmptyView()
                }
            }
        }
    }
}

/// "Challenge inaccurate minutes": the record's three labelled fields; core requires each.
struct MinutesSheet: View {
    let label: String
    let form: MinutesChallengeForm
    let confirm: (String, String, String) -> Void
    @Environment(\.dismiss) private var dismiss
    @State private var said = ""
    @State private var should = ""
    @State private var raisedWith = ""
    var body: some View {
        NavigationStack {
            Form {
                TextField(form.inaccuracyLabel, text: $said, axis: .vertical)
                TextField(form.correctionLabel, text: $should, axis: .vertical)
                TextField(form.raisedWithLabel, text: $raisedWith)
                BigButton(label) { confirm(said, should, raisedWith); dismiss() }
            }
            .navigationTitle(label)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { dismiss() } } }
        }
    }
}

/// The practitioner's supervision: conferences needing oversight, sessions, agreed actions.
@MainActor
struct SupervisionView: View {
    @StateObject private var model: ScreenModel<Void, SupervisionScreen>
    @State private var form: OpenCaseworkForm?
    private let session: Session
    private let changes: ChangeEvents

    init(session: Session, changes: ChangeEvents) {
        self.session = session
        self.changes = changes
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: meetingScreens, input: ()) { s, _ in
            try s.casework().supervisionScreen()
        })
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                ForEach(screen.needed, id: \.self) { ItemCard($0) }
                ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                }
                if let empty = screen.empty { Text(empty) }
                ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                    ItemCard(row.title, row.held, tone: row.tone) {
                        ForEach(row.cases, id: \.self) { Text($0) }
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, agreed in
                            ItemCard(agreed.text, agreed.owner, tone: agreed.tone) {
                                Text(agreed.due)
                                ForEach(Array(agreed.actions.enumerated()), id: \.offset) { _, a in
                                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                                }
                            }
                        }
                    }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .caseworkForm($form, session: session, changes: changes) { _ in model.rebuild() }
    }

    private func perform(_ kind: SupervisionActionKind) {
        switch kind {
        case let .markActionDone(supervision, index):
            model.act({ try $0.casework().markSupervisionActionDone(supervisionId: supervision, index: index) })
        case let .record(child): form = OpenCaseworkForm(kind: .recordSupervision(child: child))
        }
    }
}
