import SafeShareCore
import SwiftUI

/// The set-up screen's state before there is a session: core's record (`setUpScreen`) for the
/// draft typed so far, or, when the store did not open at launch, for that error (the record is
/// then its one recovery). The same rules as `ScreenModel`: every core call (the record, the
/// bundled directory, opening the store) runs off the main actor, and a newer build replaces an
/// older one still running. There is no session yet, hence not a `ScreenModel`.
@MainActor
final class SetUpModel: ObservableObject {
    @Published private(set) var draft = SetUpDraft(practitionerName: "", teamQuery: "", teams: [], enrolmentCode: "")
    @Published private(set) var record: Result<SetUpScreen, Error>?
    @Published private(set) var problem: String?

    private let app: AppModel
    private let launchError: SafeShareError?
    private var directory: ContactsDirectory??
    private var generation = 0

    init(app: AppModel, launchError: Error?) {
        self.app = app
        // Core's error as thrown by `Session.resume`; anything else is a fault in the app.
        self.launchError = launchError.map { ($0 as? SafeShareError) ?? .Internal(detail: describe($0)) }
        rebuild()
    }

    func update(_ newDraft: SetUpDraft) {
        draft = newDraft
        rebuild()
    }

    private func rebuild() {
        generation += 1
        let asked = generation, draft = draft, launchError = launchError, app = app, known = directory
        Task {
            let (read, built) = await Task.detached { () -> (ContactsDirectory?, SetUpScreen) in
                // Read once, off the main actor, on the first build (the asset is parsed by core).
                let directory = known ?? app.bundledDirectory()
                return (directory, setUpScreen(directory: directory, draft: draft, serverUrl: Platform.serverURL, launchError: launchError))
            }.value
            directory = .some(read)
            if asked == generation { record = .success(built) }
        }
    }

    /// A tap that needs core: `work` runs off the main actor; a failure shows core's words.
    func act(_ work: @escaping () async throws -> Void) {
        problem = nil
        Task {
            do { try await work() } catch { problem = describe(error) }
        }
    }
}

/// Set up as core builds it: before set-up, the name, every team chosen (a practitioner in two
/// teams keeps both) and the search over the directory shipped with the app; when the store did
/// not open at launch, core's one recovery for that error (the same words and actions as
/// Android; docs/operations.md, "A phone whose records will not open").
@MainActor
struct SetUpView: View {
    @StateObject private var model: SetUpModel
    private let app: AppModel

    init(app: AppModel, launchError: Error?) {
        self.app = app
        _model = StateObject(wrappedValue: SetUpModel(app: app, launchError: launchError))
    }

    var body: some View {
        Form {
            Loaded(record: model.record) { screen in
                Section {
                    Text(screen.status)
                    if let recovery = screen.recovery {
                        ItemCard(recovery.title, recovery.text, tone: recovery.tone) {
                            ForEach(recovery.steps, id: \.self) { Text($0) }
                            actions(recovery.actions)
                        }
                    }
                    if let warning = screen.directoryWarning { Text(warning).foregroundStyle(.red) }
                    field(screen.name, \.practitionerName)
                }
                Section(screen.teamsHeading) {
                    if let empty = screen.teamsEmpty { Text(empty) }
                    teamRows(screen.teams)
                    if let search = screen.teamSearch { field(search, \.teamQuery) }
                    teamRows(screen.found)
                }
                Section {
                    field(screen.enrolmentCode, \.enrolmentCode)
                    Text(screen.server).font(.callout)
                    actions(screen.actions)
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    /// A field core labelled, typed only when core says it is editable. An editable field shows
    /// the draft as typed (the record's copy arrives a build later); a fixed one core's value.
    private func field(_ field: SetUpField, _ key: WritableKeyPath<SetUpDraft, String>) -> some View {
        VStack(alignment: .leading) {
            TextField(field.label, text: Binding(
                get: { field.editable ? model.draft[keyPath: key] : field.value },
                set: { typed in
                    var draft = model.draft
                    draft[keyPath: key] = typed
                    model.update(draft)
                }))
                .disabled(!field.editable)
            Text(field.hint).font(.caption).foregroundStyle(.secondary)
        }
    }

    private func teamRows(_ rows: [SetUpTeamRow]) -> some View {
        ForEach(Array(rows.enumerated()), id: \.offset) { _, row in
            ItemCard(row.title, row.subtitle) { actions(row.actions) }
        }
    }

    private func actions(_ actions: [SetUpAction]) -> some View {
        ForEach(Array(actions.enumerated()), id: \.offset) { _, a in
            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
        }
    }

    private func perform(_ kind: SetUpActionKind) {
        var draft = model.draft
        switch kind {
        case let .addTeam(team, name):
            draft.teams.append(TeamMembership(id: team, name: name))
            model.update(draft)
        case let .removeTeam(team):
            draft.teams.removeAll { $0.id == team }
            model.update(draft)
        case .setUp:
            // Core's identity check has enabled it; opening the store is core's, off the main actor.
            let app = app
            model.act { try await app.setUp(name: draft.practitionerName, teams: draft.teams) }
        case .enrol:
            // Enrolment needs a session: the Sync screen offers it once the phone is set up.
            break
        case .tryAgain:
            app.open()
        }
    }
}
