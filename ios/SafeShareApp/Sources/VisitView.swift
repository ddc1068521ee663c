import SafeShareCore
import SwiftUI

/// Visit and capture as core builds it (`Visits.screen(visit, draft)`): the visit's header, who
/// the record is about, observation or the child's voice, every concern category and severity
/// with none chosen (iOS used to file everything under one category), fact or opinion, the
/// capture prompts, what was recorded on this visit, and the actions with core's labels and
/// enabled state. The draft stays here and goes back to core with every keystroke and choice;
/// core rebuilds the prompts and whether "Save" can be pressed, off the main actor. Speech-to-
/// text is the phone's: its text goes into the draft marked as dictated, and core adds the
/// prompt to read it through.
@MainActor
struct VisitView: View {
    let visitId: String
    @Binding var path: [Route]
    /// The record comes back with the draft it was built for: the empty draft is core's too, so
    /// it is asked for with the first build, off the main actor.
    @StateObject private var model: ScreenModel<CaptureDraft?, (CaptureDraft, VisitScreen)>
    @StateObject private var dictation = Dictation()
    @State private var addingChild: AddChild?

    init(session: Session, changes: ChangeEvents, visitId: String, path: Binding<[Route]>) {
        self.visitId = visitId
        _path = path
        _model = StateObject(wrappedValue: ScreenModel<CaptureDraft?, (CaptureDraft, VisitScreen)>(
            session: session, changes: changes, screens: [.visit], input: nil) { s, asked in
            let draft = asked ?? emptyCaptureDraft()
            return (draft, try s.visits().screen(visit: visitId, draft: draft))
        })
    }

    var body: some View {
        Form {
            Loaded(record: model.record?.map { $0.1 }) { screen in
                Section {
                    if let child = screen.child { Text(child).font(.headline) }
                    if let address = screen.address { Text(address) }
                    Text(screen.started)
                    Text(screen.status)
                }
                Section(screen.aboutHeading) {
                    if let empty = screen.peopleEmpty { Text(empty) }
                    ForEach(Array(screen.people.enumerated()), id: \.offset) { _, p in
                        choice(p.label, p.selected) { $0.about = p.person }
                    }
                    ForEach(Array(screen.kinds.enumerated()), id: \.offset) { _, k in
                        choice(k.label, k.selected) { $0.kind = k.kind }
                    }
                }
                Section {
                    captureField(screen.text, get: { $0.text }, set: { $0.text = $1; $0.input = .typed }, long: true)
                    BigButton(dictation.isListening ? FormWords.stopDictating : FormWords.dictate) {
                        if dictation.isListening {
                            dictation.stop()
                        } else {
                            // The recogniser hands back the whole utterance so far: it follows
                            // what was typed before dictation started.
                            let before = current()?.text ?? ""
                            dictation.start { heard in dictated(before.isEmpty ? heard : before + " " + heard) }
                        }
                    }
                    if let dictated = screen.dictated { Text(dictated).foregroundStyle(.orange) }
                    ForEach(Array(screen.prompts.enumerated()), id: \.offset) { _, p in Text(p.prompt).foregroundStyle(.orange) }
                }
                if let heading = screen.categoryHeading {
                    Section(heading) {
                        ForEach(Array(screen.categories.enumerated()), id: \.offset) { _, c in
                            choice(c.label, c.selected) { $0.category = c.category }
                        }
                        if let name = screen.categoryName {
                            captureField(name, get: { draft in
                                if case let .other(typed)? = draft.category { return typed }
                                return ""
                            }, set: { $0.category = .other($1) })
                        }
                    }
                }
                if let heading = screen.severityHeading {
                    Section(heading) {
                        ForEach(Array(screen.severities.enumerated()), id: \.offset) { _, c in
                            choice(c.label, c.selected) { $0.severity = c.severity }
                            if let detail = c.detail { Text(detail).font(.callout) }
                        }
                    }
                }
                if !screen.evidence.isEmpty || !screen.modes.isEmpty || !screen.present.isEmpty {
                    Section {
                        ForEach(Array(screen.evidence.enumerated()), id: \.offset) { _, c in
                            choice(c.label, c.selected) { $0.evidence = c.evidence }
                        }
                        if let detail = screen.evidenceDetail {
                            captureField(detail, get: { VisitView.detail(of: $0.evidence) },
                                         set: { $0.evidence = VisitView.evidence($0.evidence, detail: $1) })
                        }
                        ForEach(Array(screen.modes.enumerated()), id: \.offset) { _, c in
                            choice(c.label, c.selected) { $0.mode = c.mode }
                        }
                        ForEach(Array(screen.present.enumerated()), id: \.offset) { _, p in
                            choice(p.label, p.selected) { draft in
                                draft.present.removeAll { if case let .person(person) = $0 { return person == p.person }; return false }
                                if !p.selected { draft.present.append(.person(person: p.person)) }
                            }
                        }
                    }
                }
                Section {
                    ForEach(Array(screen.actions.enumerated()), id: \.offset) { _, a in
                        ActionButton(label: a.label, enabled: a.enabled, detail: a.detail) { perform(a) }
                    }
                    if let dictationStopped = dictation.stopped { Text(dictationStopped) }
                    if let problem = model.problem { Text(problem).foregroundStyle(.red) }
                }
                Section(screen.recordedHeading) {
                    ForEach(Array(screen.recorded.enumerated()), id: \.offset) { _, row in
                        ItemCard(row.title, row.text) { Text(row.when) }
                    }
                }
            }
        }
        .navigationTitle((try? model.record?.get())?.1.title ?? "")
        .sheet(item: $addingChild) { adding in
            AddChildSheet(label: adding.action.label, fields: adding.fields) { typed in
                // Each typed value goes to the PersonDetails field its ChildDetail names; core's
                // person rules check them (a refusal names the field, shown as core words it).
                func value(_ detail: ChildDetail) -> String? {
                    guard let text = typed[detail], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                    return text
                }
                let details = PersonDetails(name: value(.name), knownAs: nil, dateOfBirth: value(.dateOfBirth), nhsNumber: value(.nhsNumber), phone: nil, address: nil, parentalResponsibility: nil)
                model.act({ try $0.visits().addPerson(householdId: adding.household, role: .child, details: details) }) { child in
                    change { $0.about = child.id }
                }
            }
        }
        .onDisappear { dictation.stop() }
    }

    /// The draft as typed so far (nil only before the first record, when nothing can be typed).
    private func current() -> CaptureDraft? {
        model.input ?? (try? model.record?.get())?.0
    }

    /// The draft changed by `edit`, sent to core for a new record.
    private func change(_ edit: (inout CaptureDraft) -> Void) {
        guard var draft = current() else { return }
        edit(&draft)
        model.update(draft)
    }

    /// The phone's transcript into the draft as it is when it arrives, marked as dictated.
    private func dictated(_ heard: String) {
        change { $0.text = heard; $0.input = .dictated }
    }

    /// One of core's choices: its label, selected as the record says.
    private func choice(_ label: String, _ selected: Bool, _ edit: @escaping (inout CaptureDraft) -> Void) -> some View {
        Button { change(edit) } label: {
            Label(label, systemImage: selected ? "checkmark.circle.fill" : "circle").frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
        }
    }

    /// A field core labelled. It shows the draft as typed (the record's copy arrives a build
    /// later), so a keystroke is never lost to a build still running.
    private func captureField(_ field: CaptureField, get: @escaping (CaptureDraft) -> String,
                              set: @escaping (inout CaptureDraft, String) -> Void, long: Bool = false) -> some View {
        VStack(alignment: .leading) {
            TextField(field.label, text: Binding(get: { current().map(get) ?? "" }, set: { typed in change { set(&$0, typed) } }), axis: .vertical)
                .lineLimit(long ? 4...12 : 1...4)
            Text(field.hint).font(.caption).foregroundStyle(.secondary)
        }
    }

    /// What was typed for the evidence's source or basis (core's field label says which).
    static func detail(of evidence: Evidence) -> String {
        switch evidence {
        case let .reportedFact(source): return source ?? ""
        case let .opinion(basis): return basis ?? ""
        case .observedFact: return ""
        }
    }

    /// The typed source or basis kept in the evidence core offered; a fact seen has none.
    static func evidence(_ evidence: Evidence, detail: String) -> Evidence {
        switch evidence {
        case .reportedFact: return .reportedFact(source: detail.isEmpty ? nil : detail)
        case .opinion: return .opinion(basis: detail.isEmpty ? nil : detail)
        case .observedFact: return .observedFact
        }
    }

    private func perform(_ action: VisitAction) {
        switch action.kind {
        case .save:
            let visitId = visitId
            guard let draft = current(), let about = draft.about else { return }
            model.act({ s in
                switch draft.kind {
                case .voiceOfChild:
                    _ = try s.visits().captureVoiceNote(input: NewVoiceNoteInput(child: about, visit: visitId, words: draft.text, mode: draft.mode, present: draft.present, expressedAt: nil, input: draft.input, share: nil))
                case .observation:
                    // Core enables "Save" only with both chosen; nothing is defaulted here.
                    guard let category = draft.category, let chosen = draft.severity else { return }
                    _ = try s.visits().captureObservation(input: NewObservationInput(about: about, visit: visitId, category: category, severity: chosen, evidence: draft.evidence, description: draft.text, observedAt: nil, place: nil, share: nil))
                }
            }) { _ in change { $0.text = ""; $0.input = .typed } }
        case let .endVisit(visit):
            model.act({ _ = try $0.visits().endVisit(visitId: visit, endedAt: nil) })
        case let .shareConcern(about, observations, voiceNotes):
            if let about { path.append(.share(about: about, observations: observations, voiceNotes: voiceNotes)) }
        case let .addChild(household):
            // The form's fields as the record carried them when "Add a child" was tapped.
            let fields = (try? model.record?.get())?.1.addChild ?? []
            addingChild = AddChild(action: action, household: household, fields: fields)
        case let .openChronology(person):
            path.append(.chronology(person: person))
        case let .openChecklists(person):
            path.append(.checklists(person: person))
        }
    }

    /// "Add a child" waiting for the details its form's fields (core's `ChildField`s) ask.
    struct AddChild: Identifiable {
        let id = UUID()
        let action: VisitAction
        let household: String
        let fields: [ChildField]
    }
}

/// The "Add a child" form: one field per `ChildField` the Visit record carries, core's words.
struct AddChildSheet: View {
    let label: String
    let fields: [ChildField]
    let confirm: ([ChildDetail: String]) -> Void
    @Environment(\.dismiss) private var dismiss
    @State private var typed: [ChildDetail: String] = [:]
    var body: some View {
        NavigationStack {
            Form {
                ForEach(Array(fields.enumerated()), id: \.offset) { _, field in
                    Section {
                        TextField(field.label, text: Binding(get: { typed[field.detail] ?? "" }, set: { typed[field.detail] = $0 }))
                    } header: { Text(field.label) } footer: { Text(field.hint) }
                }
                BigButton(label) { confirm(typed); dismiss() }
            }
            .navigationTitle(label)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { dismiss() } } }
        }
    }
}
