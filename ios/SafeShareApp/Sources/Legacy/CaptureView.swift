import AVFoundation
import SafeShareCore
import Speech
import SwiftUI

// Not yet rewritten over a view record: the Visit and capture record is issue 17 item 1, not in
// core yet. tests/shell-rules-check allows this file by name until then. Its core calls run off
// the main actor (`offMain`); capture prompts are a pure core function called as the text changes.

/// Capture on the visit, with or without signal. Dictation uses SFSpeechRecognizer (on-device
/// where the phone supports it) and the text goes to the core marked as dictated. The core's
/// prompts show as the practitioner types and again on the saved record; they never block saving.
@MainActor
struct CaptureView: View {
    let session: Session
    let household: String
    let visitId: String
    @StateObject private var dictation = Dictation()
    @State private var members: [Person] = []
    @State private var personId: String?
    @State private var childName = ""
    @State private var childDob = ""
    @State private var childNhs = ""
    @State private var text = ""
    @State private var dictated = false
    @State private var opinion = false
    @State private var basis = ""
    @State private var severity: Severity = .lowLevelConcern
    @State private var voiceOfChild = false
    @State private var message: String?

    var body: some View {
        Form {
            Section("Who is it about?") {
                Picker("Person", selection: $personId) {
                    ForEach(members, id: \.id) { p in Text(p.knownAs ?? p.name ?? "Unborn baby").tag(Optional(p.id)) }
                }
                TextField("Add a child: name", text: $childName)
                TextField("Date of birth (YYYY-MM-DD)", text: $childDob)
                TextField("NHS number", text: $childNhs).keyboardType(.numberPad)
                BigButton("Add child") {
                    let details = PersonDetails(name: childName, knownAs: nil, dateOfBirth: childDob.isEmpty ? nil : childDob, nhsNumber: childNhs.isEmpty ? nil : childNhs, phone: nil, address: nil, parentalResponsibility: nil)
                    let session = session, household = household
                    Task {
                        switch await offMain({ try session.visits().addPerson(householdId: household, role: .child, details: details) }) {
                        case let .success(p): reload(); personId = p.id; message = nil
                        case let .failure(error): message = describe(error)
                        }
                    }
                }
            }
            Section {
                Picker("Kind", selection: $voiceOfChild) { Text("Observation").tag(false); Text("Voice of the child").tag(true) }.pickerStyle(.segmented)
                TextEditor(text: $text).frame(minHeight: 120).onChange(of: text) { _ in if !dictation.isListening { dictated = dictated && !text.isEmpty } }
                BigButton(dictation.isListening ? "Stop dictation" : "Dictate") {
                    if dictation.isListening { dictation.stop() } else { dictation.start { heard in text = heard; dictated = true } }
                }
                if dictated { Text("Marked as dictated").foregroundStyle(.secondary) }
                if !voiceOfChild {
                    Toggle("This is my opinion", isOn: $opinion)
                    if opinion { TextField("What is it based on?", text: $basis) }
                    Picker("Severity", selection: $severity) {
                        Text("Low-level concern").tag(Severity.lowLevelConcern)
                        Text("Concern").tag(Severity.concern)
                        Text("Immediate risk").tag(Severity.immediateRisk)
                    }
                    ForEach(capturePrompts(description: text, evidence: evidence).map(\.prompt), id: \.self) { Text($0).foregroundStyle(.orange) }
                }
            }
            BigButton("Save") { save() }
            if let personId {
                NavigationLink("Chronology") { ChronologyView(session: session, personId: personId) }
                NavigationLink("Checklists") { ChecklistView(session: session, personId: personId) }
            }
            if let message { Text(message) }
        }
        .navigationTitle("Capture")
        .task { reload() }
    }

    private var evidence: Evidence { opinion ? .opinion(basis: basis.isEmpty ? nil : basis) : .observedFact }

    private func reload() {
        let session = session, household = household
        Task {
            members = (try? await offMain({ try session.visits().householdMembers(householdId: household) }).get()) ?? []
            if personId == nil { personId = members.first?.id }
        }
    }

    private func save() {
        guard let about = personId else { message = "Choose who it is about"; return }
        let input: InputMethod = dictated ? .dictated : .typed
        let voice = voiceOfChild ? NewVoiceNoteInput(child: about, visit: visitId, words: text, mode: .speech, present: [], expressedAt: nil, input: input, share: nil) : nil
        let observation = NewObservationInput(about: about, visit: visitId, category: .newOrEmergingHealthNeed, severity: severity, evidence: evidence, description: text, observedAt: nil, place: nil, share: nil)
        let session = session
        Task {
            let saved = await offMain { () throws -> [CapturePrompt] in
                if let voice { return try session.visits().captureVoiceNote(input: voice).warnings }
                return try session.visits().captureObservation(input: observation).warnings
            }
            switch saved {
            case let .success(warnings):
                message = warnings.isEmpty ? "Saved on the phone, encrypted." : "Saved. " + warnings.map(\.prompt).joined(separator: " ")
                text = ""; dictated = false
            case let .failure(error): message = describe(error)
            }
        }
    }
}

/// SFSpeechRecognizer dictation (en-GB), on-device when the phone supports it: visits often
/// have no signal.
@MainActor
final class Dictation: ObservableObject {
    @Published private(set) var isListening = false
    private let recognizer = SFSpeechRecognizer(locale: Locale(identifier: "en-GB"))
    private let engine = AVAudioEngine()
    private var request: SFSpeechAudioBufferRecognitionRequest?
    private var task: SFSpeechRecognitionTask?

    func start(onText: @escaping (String) -> Void) {
        SFSpeechRecognizer.requestAuthorization { status in
            guard status == .authorized else { return }
            Task { @MainActor in self.begin(onText: onText) }
        }
    }

    private func begin(onText: @escaping (String) -> Void) {
        guard let recognizer, recognizer.isAvailable else { return }
        let request = SFSpeechAudioBufferRecognitionRequest()
        request.requiresOnDeviceRecognition = recognizer.supportsOnDeviceRecognition
        let input = engine.inputNode
        input.installTap(onBus: 0, bufferSize: 1024, format: input.outputFormat(forBus: 0)) { buffer, _ in request.append(buffer) }
        try? AVAudioSession.sharedInstance().setCategory(.record, mode: .measurement)
        try? AVAudioSession.sharedInstance().setActive(true)
        engine.prepare()
        guard (try? engine.start()) != nil else { return }
        self.request = request
        isListening = true
        task = recognizer.recognitionTask(with: request) { result, error in
            if let result { Task { @MainActor in onText(result.bestTranscription.formattedString) } }
            if error != nil || result?.isFinal == true { Task { @MainActor in self.stop() } }
        }
    }

    func stop() {
        engine.stop()
        engine.inputNode.removeTap(onBus: 0)
        request?.endAudio()
        task?.cancel()
        isListening = false
    }
}
