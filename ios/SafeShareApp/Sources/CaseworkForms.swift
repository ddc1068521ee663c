import SafeShareCore
import SwiftUI

// The casework forms as core builds them (`casework().form(draft:)`): Prepare a meeting pack,
// Record supervision and Amend an observation, in one shape — core's fields in core's order,
// each choice, what is required and wrong, and Save enabled as core says. The same form and
// words as Android (`CaseworkForms.kt`). Times are typed as London date and time and read by
// core; nothing here converts, formats or checks them. The draft comes from core
// (`formDraft(form:)`, built off the main actor with the first form), changes only through
// core's `caseworkFormWith…` functions (pure, no store) and goes back to core with every
// keystroke and tap; Save is `casework().saveForm(draft:)`, off the main actor.

/// What a casework form's Save can change.
private let formScreens: Set<ScreenName> = [.meetingPacks, .supervision, .visit]

/// A casework form to open as a sheet (each opening a fresh draft).
struct OpenCaseworkForm: Identifiable {
    let id = UUID()
    let kind: CaseworkFormKind
}

/// The draft and the form core built for it (the first build also makes the draft).
struct BuiltCaseworkForm {
    let draft: CaseworkFormDraft
    let form: CaseworkFormScreen
}

/// The form `kind` names; `done` gets what Save recorded, or nil when cancelled.
@MainActor
struct CaseworkFormView: View {
    @StateObject private var model: ScreenModel<CaseworkFormDraft?, BuiltCaseworkForm>
    let done: (CaseworkFormSaved?) -> Void

    init(session: Session, changes: ChangeEvents, kind: CaseworkFormKind, done: @escaping (CaseworkFormSaved?) -> Void) {
        self.done = done
        _model = StateObject(wrappedValue: ScreenModel(session: session, changes: changes, screens: formScreens,
                                                       input: nil) { s, d in
            let draft = try d ?? s.casework().formDraft(form: kind)
            return BuiltCaseworkForm(draft: draft, form: try s.casework().form(draft: draft))
        })
    }

    /// The draft being typed: the input once changed, until then the one core made.
    private var draft: CaseworkFormDraft? { model.input ?? (try? model.record?.get())?.draft }

    var body: some View {
        Form {
            Loaded(record: model.record) { built in
                let screen = built.form
                Section { Text(screen.about).font(.headline) }
                ForEach(Array(screen.items.enumerated()), id: \.offset) { _, item in
                    switch item {
                    case let .field(field):
                        Section {
                            TextField(field.label, text: Binding(get: { caseworkFormText(draft: draft ?? built.draft, key: field.key) },
                                                                 set: { typed in edit { caseworkFormWithText(draft: $0, key: field.key, value: typed) } }),
                                      axis: field.multiline ? .vertical : .horizontal)
                                .lineLimit(field.multiline ? 4 ... 12 : 1 ... 1)
                            Text(field.problem ?? field.shown ?? field.hint).font(.caption).foregroundStyle(field.problem == nil ? .secondary : .red)
                            if field.shown != nil { Text(field.hint).font(.caption) }
                        }
                    case let .choices(list):
                        Section(list.label) {
                            Text(list.hint).font(.callout)
                            if let empty = list.empty { Text(empty) }
                            ForEach(Array(list.options.enumerated()), id: \.offset) { _, o in
                                Button { edit { caseworkFormWithChoice(draft: $0, choice: o.choice) } } label: {
                                    Label(o.label, systemImage: o.selected ? "checkmark.circle.fill" : "circle")
                                        .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
                                }
                                if let detail = o.detail { Text(detail).font(.callout) }
                            }
                        }
                    case let .shown(label, text):
                        Section(label) { Text(text) }
                    }
                }
                Section {
                    ActionButton(label: screen.saveLabel, enabled: screen.saveEnabled, detail: screen.saveDetail) {
                        let typed = draft ?? built.draft
                        model.act({ try $0.casework().saveForm(draft: typed) }) { saved in done(saved) }
                    }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.form.title ?? "")
        .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { done(nil) } } }
    }

    private func edit(_ change: (CaseworkFormDraft) -> CaseworkFormDraft) {
        if let current = draft { model.update(change(current)) }
    }
}

extension View {
    /// Shows `form` as a sheet over a casework screen; `saved` hears what Save recorded.
    func caseworkForm(_ form: Binding<OpenCaseworkForm?>, session: Session, changes: ChangeEvents,
                      saved: @escaping (CaseworkFormSaved) -> Void = { _ in }) -> some View {
        sheet(item: form) { open in
            NavigationStack {
                CaseworkFormView(session: session, changes: changes, kind: open.kind) { result in
                    form.wrappedValue = nil
                    if let result { saved(result) }
                }
            }
        }
    }
}
