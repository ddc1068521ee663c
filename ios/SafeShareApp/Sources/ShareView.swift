import SafeShareCore
import SwiftUI

/// Share as core builds it (`Shares.shareScreen(draft)`): what will be shared, the involved
/// teams not yet told, the teams covering the postcode, each severity with by when the team must
/// acknowledge it (core's London time), the message, and "Send" / "Call" enabled as core says.
/// The draft starts from the capture screen's "Share this concern" and goes back to core, off
/// the main actor, with every choice and keystroke.
@MainActor
struct ShareView: View {
    @Binding var path: [Route]
    @StateObject private var model: ScreenModel<ShareDraft, ShareScreen>

    init(session: Session, changes: ChangeEvents, start: ShareDraft, path: Binding<[Route]>) {
        _path = path
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.sharesSent], input: start) { s, draft in
            try s.shares().shareScreen(draft: draft)
        })
    }

    var body: some View {
        Form {
            Loaded(record: model.record) { screen in
                Section {
                    if let warning = screen.directoryWarning { Text(warning).foregroundStyle(.red) }
                    if let warning = screen.clockWarning { Text(warning).foregroundStyle(.red) }
                    Text(screen.about).font(.headline)
                    ForEach(screen.carrying, id: \.self) { Text($0) }
                }
                Section(screen.suggestedHeading) { teamRows(screen.suggested) }
                Section(screen.foundHeading) {
                    field(screen.postcode, get: { $0.postcode ?? screen.postcode.value }, set: { $0.postcode = $1 })
                    if let empty = screen.foundEmpty { Text(empty) }
                    teamRows(screen.found)
                }
                Section(screen.severityHeading) {
                    if let chosen = screen.chosen { Text(chosen).font(.headline) }
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
                    field(screen.message, get: { $0.message }, set: { $0.message = $1 }, long: true)
                    ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                        ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                    }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    /// The draft changed by `edit`, sent to core for a new record.
    private func change(_ edit: (inout ShareDraft) -> Void) {
        var draft = model.input
        edit(&draft)
        model.update(draft)
    }

    private func teamRows(_ rows: [ShareTeamRow]) -> some View {
        ForEach(Array(rows.enumerated()), id: \.offset) { _, row in
            ItemCard(row.title, row.subtitle) {
                Text(row.why)
                Text(row.openWords)
                ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a.kind) }
                }
            }
        }
    }

    /// A field core labelled, showing the draft as typed, and core's problem with it if any.
    private func field(_ field: ShareField, get: @escaping (ShareDraft) -> String,
                       set: @escaping (inout ShareDraft, String) -> Void, long: Bool = false) -> some View {
        VStack(alignment: .leading) {
            TextField(field.label, text: Binding(get: { get(model.input) }, set: { typed in change { set(&$0, typed) } }), axis: .vertical)
                .lineLimit(long ? 3...10 : 1...2)
            Text(field.problem ?? field.hint).font(.caption).foregroundStyle(field.problem == nil ? .secondary : .red)
        }
    }

    private func perform(_ kind: ShareActionKind) {
        switch kind {
        case let .chooseTeam(team):
            change { $0.team = team }
        case let .send(team, chosen):
            // Core enables "Send" only once a team is chosen; its severity is core's (never
            // below what the records carry).
            guard let team else { return }
            let draft = model.input
            model.act({ try $0.shares().shareWithTeam(aboutPersonId: draft.about, observationIds: draft.observations,
                                                      voiceNoteIds: draft.voiceNotes,
                                                      request: ShareRequest(team: team, message: draft.message, severity: chosen)) }) { _ in
                path = [.shares]
            }
        case let .call(team, about):
            model.act({ try $0.contacts().startCall(teamId: team, regardingShareId: nil, aboutPersonId: about) }) { Platform.placeCall($0.target) }
        }
    }
}
