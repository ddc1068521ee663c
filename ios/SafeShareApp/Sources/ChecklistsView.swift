import SafeShareCore
import SwiftUI

/// A person's checklists as core builds them (`Checklists.screen`): each checklist's status in
/// core's words, and starting one (disabled with why while one of that kind is open). The same
/// screen as Android's `ChecklistsScreen`.
@MainActor
struct ChecklistsView: View {
    @StateObject private var model: ScreenModel<String, ChecklistsScreen>
    @Binding var path: [Route]

    init(session: Session, changes: ChangeEvents, personId: String, path: Binding<[Route]>) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.checklists], input: personId) { s, person in
            try s.checklists().screen(personId: person)
        })
        _path = path
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                Text(screen.person)
                if let empty = screen.empty { Text(empty) }
                ForEach(Array(screen.rows.enumerated()), id: \.offset) { _, row in
                    ItemCard(row.title, row.status, tone: row.tone) {
                        Text(row.started)
                        ForEach(Array(row.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                        }
                    }
                }
                ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    private func perform(_ action: ChecklistAction) {
        switch action.kind {
        case let .start(kind, person):
            model.act({ try $0.checklists().startChecklist(kind: kind, personId: person) }) { path.append(.checklist(id: $0.id)) }
        case let .open(checklist):
            path.append(.checklist(id: checklist))
        default:
            // Item actions are offered on one checklist's screen, not on the list.
            break
        }
    }
}

/// One checklist as core builds it (`Checklists.checklistScreen`): each item, what it needs,
/// its state, and the actions core offers (done, with a note where asked; the team around the
/// child in one tap; the contact picker; not applicable, with a reason; complete).
@MainActor
struct ChecklistView: View {
    @StateObject private var model: ScreenModel<String, ChecklistScreen>
    @Binding var path: [Route]
    /// The action whose words are asked for (a note, a reason).
    @State private var asking: Asking?

    init(session: Session, changes: ChangeEvents, checklistId: String, path: Binding<[Route]>) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.checklists], input: checklistId) { s, id in
            try s.checklists().checklistScreen(checklistId: id)
        })
        _path = path
    }

    var body: some View {
        List {
            Loaded(record: model.record) { screen in
                ItemCard(screen.person, screen.status, tone: screen.tone) {
                    Text(screen.started)
                    if let notice = screen.notice { Text(notice) }
                }
                ForEach(Array(screen.items.enumerated()), id: \.offset) { _, item in
                    ItemCard(item.text, item.state, tone: item.tone) {
                        Text(item.needs)
                        ForEach(Array(item.recorded.enumerated()), id: \.offset) { _, line in Text(line) }
                        ForEach(Array(item.actions.enumerated()), id: \.offset) { _, a in
                            ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                        }
                    }
                }
                ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                    ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
        .sheet(item: $asking) { asking in
            WordsSheet(label: asking.action.label, detail: asking.action.detail) { words in
                switch asking.action.kind {
                case let .markDone(checklist, key, _):
                    model.act({ _ = try $0.checklists().checklistMarkDone(checklistId: checklist, key: key, note: words, contacts: []) })
                case let .markNotApplicable(checklist, key):
                    model.act({ _ = try $0.checklists().checklistMarkNotApplicable(checklistId: checklist, key: key, reason: words) })
                default: break
                }
            }
        }
    }

    private func perform(_ action: ChecklistAction) {
        switch action.kind {
        case let .markDone(checklist, key, needsNote):
            if needsNote {
                asking = Asking(action: action)
            } else {
                model.act({ _ = try $0.checklists().checklistMarkDone(checklistId: checklist, key: key, note: nil, contacts: []) })
            }
        case let .recordContacts(checklist, key, contacts):
            model.act({ _ = try $0.checklists().checklistMarkDone(checklistId: checklist, key: key, note: nil, contacts: contacts) })
        case let .pickContacts(checklist, key):
            path.append(.contactPicker(checklist: checklist, key: key))
        case .markNotApplicable:
            asking = Asking(action: action)
        case let .complete(checklist):
            model.act({ _ = try $0.checklists().completeChecklist(checklistId: checklist) })
        case let .start(kind, person):
            model.act({ try $0.checklists().startChecklist(kind: kind, personId: person) }) { path.append(.checklist(id: $0.id)) }
        case let .open(checklist):
            path.append(.checklist(id: checklist))
        }
    }

    struct Asking: Identifiable {
        let id = UUID()
        let action: ChecklistAction
    }
}

/// The contact picker core builds for one item (`Checklists.contactPicker`): the team around
/// the child first, then the directory's teams for the search, each enabled only where core
/// says the item would accept it (a disabled one shows core's reason). The chosen contacts are
/// recorded with `checklistMarkDone`.
@MainActor
struct ContactPickerView: View {
    @StateObject private var model: ScreenModel<PickerInput, ContactPicker>
    @Binding var path: [Route]
    let checklistId: String
    let key: String

    init(session: Session, changes: ChangeEvents, checklistId: String, key: String, path: Binding<[Route]>) {
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: [.checklists], input: PickerInput(query: "", chosen: [])) { s, input in
            try s.checklists().contactPicker(checklistId: checklistId, key: key, query: input.query, chosen: input.chosen)
        })
        self.checklistId = checklistId
        self.key = key
        _path = path
    }

    var body: some View {
        List {
            Loaded(record: model.record) { picker in
                Text(picker.needs)
                if let warning = picker.warning { Text(warning).foregroundStyle(.red) }
                ForEach(Array(picker.suggested.enumerated()), id: \.offset) { _, c in choice(c) }
                TextField(picker.searchLabel, text: Binding(get: { model.input.query }, set: { query in
                    var input = model.input
                    input.query = query
                    model.update(input)
                }))
                if let empty = picker.empty { Text(empty) }
                ForEach(Array(picker.found.enumerated()), id: \.offset) { _, c in choice(c) }
                // Core's Record action for the chosen contacts: its label, enabled state and why not.
                BigButton(picker.record.label, enabled: picker.record.enabled) {
                    let checklist = checklistId, key = key, contacts = model.input.chosen
                    model.act({ _ = try $0.checklists().checklistMarkDone(checklistId: checklist, key: key, note: nil, contacts: contacts) }) { _ in
                        if !path.isEmpty { path.removeLast() }
                    }
                }
                if let why = picker.record.detail { Text(why) }
                if let problem = model.problem { Text(problem).foregroundStyle(.red) }
            }
        }
        .navigationTitle((try? model.record?.get())?.title ?? "")
    }

    private func choice(_ c: ContactChoice) -> some View {
        ItemCard(c.title, c.subtitle) {
            Text(c.numbers)
            Toggle(isOn: Binding(
                get: { model.input.chosen.contains(c.contact) },
                set: { on in
                    var input = model.input
                    if on { input.chosen.append(c.contact) } else { input.chosen.removeAll { $0 == c.contact } }
                    model.update(input)
                }
            )) { Text(c.detail ?? c.title) }
                .disabled(!c.enabled)
        }
    }
}

/// What the contact picker is built from: the search and the contacts ticked so far.
struct PickerInput {
    var query: String
    var chosen: [ContactRef]
}
