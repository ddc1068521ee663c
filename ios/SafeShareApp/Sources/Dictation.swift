import AVFoundation
import Speech
import SwiftUI

/// SFSpeechRecognizer dictation (en-GB), on-device when the phone supports it: visits often
/// have no signal. Platform code: the transcript goes into the capture draft marked as
/// dictated, and core adds the prompt to read it through.
@MainActor
final class Dictation: ObservableObject {
    @Published private(set) var isListening = false
    /// Why dictation is not listening after the practitioner asked it to (the shell's words).
    @Published private(set) var stopped: String?
    private let recognizer = SFSpeechRecognizer(locale: Locale(identifier: "en-GB"))
    private let engine = AVAudioEngine()
    private var request: SFSpeechAudioBufferRecognitionRequest?
    private var task: SFSpeechRecognitionTask?

    func start(onText: @escaping (String) -> Void) {
        stopped = nil
        SFSpeechRecognizer.requestAuthorization { status in
            guard status == .authorized else {
                Task { @MainActor in self.stopped = FormWords.dictationStopped }
                return
            }
            Task { @MainActor in self.begin(onText: onText) }
        }
    }

    private func begin(onText: @escaping (String) -> Void) {
        guard let recognizer, recognizer.isAvailable else { stopped = FormWords.dictationStopped; return }
        let request = SFSpeechAudioBufferRecognitionRequest()
        request.requiresOnDeviceRecognition = recognizer.supportsOnDeviceRecognition
        let input = engine.inputNode
        input.installTap(onBus: 0, bufferSize: 1024, format: input.outputFormat(forBus: 0)) { buffer, _ in request.append(buffer) }
        try? AVAudioSession.sharedInstance().setCategory(.record, mode: .measurement)
        try? AVAudioSession.sharedInstance().setActive(true)
        engine.prepare()
        guard (try? engine.start()) != nil else { stopped = FormWords.dictationStopped; return }
        self.request = request
        isListening = true
        task = recognizer.recognitionTask(with: request) { result, error in
            if let result { Task { @MainActor in onText(result.bestTranscription.formattedString) } }
            if error != nil { Task { @MainActor in self.stopped = FormWords.dictationStopped } }
            if error != nil || result?.isFinal == true { Task { @MainActor in self.stop() } }
        }
    }

    func stop() {
        guard isListening else { return }
        engine.stop()
        engine.inputNode.removeTap(onBus: 0)
        request?.endAudio()
        task?.cancel()
        isListening = false
    }
}
