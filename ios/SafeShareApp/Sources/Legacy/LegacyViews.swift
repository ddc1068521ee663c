import SafeShareCore
import SwiftUI

// Not yet rewritten over a view record: the chronology and Checklists screens' records are
// issue 17 item 1, not in core yet. tests/shell-rules-check allows this file by
// name until then. Their core calls run off the main actor (a detached task).

/// A child's chronology as the core builds it.
@MainActor
struct ChronologyView: View {
    let session: Session
    let personId: String
    @State private var entries: [ChronologyLine] = []
    var body: some View {
        List(entries.indices, id: \.self) { i in
            VStack(alignment: .leading) {
                Text("\(local(entries[i].at)) · \(entries[i].kind.replacingOccurrences(of: "_", with: " "))").font(.headline)
                Text(entries[i].summary)
            }
        }
        .navigationTitle("Chronology")
        .task {
            let session = session, personId = personId
            entries = await Task.detached { (try? session.visits().chronologyForChild(childPersonId: personId)) ?? [] }.value
        }
    }
}

/// Admission, handover and discharge checklists: nothing required is skipped silently.
@MainActor
struct ChecklistView: View {
    let session: Session
    let personId: String
    @State private var lists: [Checklist] = []
    @State private var note = ""
    @State private var message: String?
    var body: some View {
        List {
            Section {
                BigButton("Start admission checklist") { act { _ = try session.checklists().startChecklist(kind: .admission, personId: personId) } }
                BigButton("Start handover checklist") { act { _ = try session.checklists().startChecklist(kind: .handover, personId: personId) } }
                BigButton("Start discharge checklist") { act { _ = try session.checklists().startChecklist(kind: .discharge, personId: personId) } }
                TextField("Note or reason", text: $note)
            }
            ForEach(lists, id: \.id) { list in
                Section(list.title + (list.completed != nil ? " (complete)" : "")) {
                    ForEach(list.items, id: \.key) { item in
                        VStack(alignment: .leading, spacing: 6) {
                            Text(item.text)
                            if case .open = item.state {
                                if item.detail == .none || item.detail == .text {
                                    BigButton("Done") { act { _ = try session.checklists().checklistMarkDone(checklistId: list.id, key: item.key, note: note.isEmpty ? nil : note, contacts: []) } }
                                }
                                BigButton("Not applicable") { act { _ = try session.checklists().checklistMarkNotApplicable(checklistId: list.id, key: item.key, reason: note) } }
                            } else if case .done = item.state {
                                Text("done").foregroundStyle(.secondary)
                            } else {
                                Text("not applicable").foregroundStyle(.secondary)
                            }
                        }
                    }
                    if list.completed == nil { BigButton("Complete checklist") { act { _ = try session.checklists().completeChecklist(checklistId: list.id) } } }
                }
            }
            if let message { Text(message).foregroundStyle(.red) }
        }
        .navigationTitle("Checklists")
        .task { reload() }
    }
    private func reload() {
        let session = session, personId = personId
        Task { lists = await Task.detached { (try? session.checklists().checklistsFor(personId: personId)) ?? [] }.value }
    }
    private func act(_ work: @escaping () throws -> Void) {
        Task {
            let failed = await Task.detached { () -> Error? in
                do { try work(); return nil } catch { return error }
            }.value
            message = failed.map(describe)
            reload()
        }
    }
}
