import Combine
import SafeShareCore
import SwiftUI

/// Practitioners use this standing in a doorway: large, full-width tap targets.
struct BigButton: View {
    let title: String
    var enabled = true
    let action: () -> Void
    init(_ title: String, enabled: Bool = true, action: @escaping () -> Void) {
        self.title = title
        self.enabled = enabled
        self.action = action
    }
    var body: some View {
        Button(action: action) { Text(title).font(.title3).frame(maxWidth: .infinity, minHeight: 56) }
            .buttonStyle(.borderedProminent)
            .disabled(!enabled)
    }
}

/// One action from a view record: its label, its enabled state as core set it, and core's line
/// under it (why this number, or why it cannot be pressed now).
struct ActionButton: View {
    let label: String
    let enabled: Bool
    let detail: String?
    let action: () -> Void
    var body: some View {
        BigButton(label, enabled: enabled, action: action)
        if let detail { Text(detail).font(.callout) }
    }
}

/// How loudly a row shows, from core's `Tone`: colour only; the words are in the row.
func toneColour(_ tone: Tone) -> Color {
    switch tone {
    case .immediateRisk: return .red.opacity(0.25)
    case .overdue: return .red.opacity(0.15)
    case .actionNeeded: return .orange.opacity(0.15)
    case .dueSoon: return .yellow.opacity(0.15)
    case .waiting: return .gray.opacity(0.1)
    case .done: return .clear
    }
}

/// A row: core's title and body, coloured by core's tone, with what follows (times, actions).
struct ItemCard<Content: View>: View {
    let title: String
    let bodyText: String?
    let tone: Tone
    @ViewBuilder let content: () -> Content
    init(_ title: String, _ bodyText: String? = nil, tone: Tone = .done, @ViewBuilder content: @escaping () -> Content) {
        self.title = title
        self.bodyText = bodyText
        self.tone = tone
        self.content = content
    }
    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(title).font(.headline)
            if let bodyText { Text(bodyText) }
            content()
        }
        .padding(.vertical, 4)
        .listRowBackground(toneColour(tone))
    }
}

extension ItemCard where Content == EmptyView {
    init(_ title: String, _ bodyText: String? = nil, tone: Tone = .done) {
        self.init(title, bodyText, tone: tone) { EmptyView() }
    }
}

/// One screen's state: core's view record for `input`, built off the main actor (a detached
/// task) when the screen appears, when `input` changes, after each tap's core call, and when
/// core says the screen changed. The view maps the record to widgets and decides nothing from it.
///
/// Invariants: every core call runs off the main actor; a newer build replaces an older one
/// still running (its result is dropped), so a screen never shows an answer to a stale input.
@MainActor
final class ScreenModel<Input, Record>: ObservableObject {
    @Published private(set) var input: Input
    @Published private(set) var record: Result<Record, Error>?
    /// Core's words for the last tap that failed (cleared by the next tap).
    @Published private(set) var problem: String?

    private let session: Session
    private let screens: Set<ScreenName>
    private let build: (Session, Input) throws -> Record
    private var generation = 0
    private var listening: AnyCancellable?

    init(session: Session, changes: ChangeEvents, screens: Set<ScreenName>, input: Input,
         build: @escaping (Session, Input) throws -> Record) {
        self.session = session
        self.screens = screens
        self.input = input
        self.build = build
        let screens = screens
        listening = changes.events.sink { [weak self] event in
            guard event.screens.contains(where: screens.contains) else { return }
            Task { @MainActor in self?.rebuild() }
        }
    }

    func update(_ newInput: Input) {
        input = newInput
        rebuild()
    }

    func rebuild() {
        generation += 1
        let asked = generation, session = session, input = input, build = build
        Task {
            let built = await Task.detached { Result { try build(session, input) } }.value
            if asked == generation { record = built }
        }
    }

    /// A tap: `work` (the core call the action names) runs off the main actor, then `after`
    /// gets its result on the main actor (to dial, to navigate) and the screen is rebuilt.
    func act<R>(_ work: @escaping (Session) throws -> R, after: @escaping @MainActor (R) -> Void = { _ in }) {
        problem = nil
        let session = session
        Task {
            switch await Task.detached(operation: { Result { try work(session) } }).value {
            case let .success(value): after(value)
            case let .failure(error): problem = describe(error)
            }
            rebuild()
        }
    }
}

/// Runs a core call in a detached task (off the main actor) and hands back its result.
func offMain<R>(_ work: @escaping () throws -> R) async -> Result<R, Error> {
    await Task.detached { Result { try work() } }.value
}

/// A record still being built, or core's error for it.
struct Loaded<Record, Content: View>: View {
    let record: Result<Record, Error>?
    @ViewBuilder let content: (Record) -> Content
    var body: some View {
        switch record {
        case nil: ProgressView()
        case let .success(value)?: content(value)
        case let .failure(error)?: Text(describe(error)).foregroundStyle(.red)
        }
    }
}

/// An action that needs the practitioner's words before core is called (what to correct, a
/// reason): a sheet titled with the action's label, core's `detail` as the prompt, and the
/// action's label again on the button that calls core.
struct WordsSheet: View {
    let label: String
    let detail: String?
    let confirm: (String) -> Void
    @Environment(\.dismiss) private var dismiss
    @State private var words = ""
    var body: some View {
        NavigationStack {
            Form {
                if let detail { Text(detail) }
                TextField(detail ?? label, text: $words, axis: .vertical).lineLimit(2...6)
                BigButton(label) { confirm(words); dismiss() }
            }
            .navigationTitle(label)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button(FormWords.cancel) { dismiss() } } }
        }
    }
}
