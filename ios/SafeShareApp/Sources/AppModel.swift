import Combine
import Foundation
import SafeShareCore

/// Where the app stands at launch; the app shows one screen per state (Android: `Launch`).
enum LaunchState {
    /// The store is being opened (off the main actor).
    case opening
    /// No store on this phone yet: the set-up screen.
    case notSetUp
    /// The store is open.
    case ready(Session)
    /// The store is on this phone but did not open (`KeyMismatch`: the Keychain's key does not
    /// open it or is gone; `Storage`: the Keychain or the file failed). Held, not thrown, so
    /// the set-up screen shows core's one recovery for it, as Android does.
    case problem(Error)
}

/// The shell's `ChangeListener`: core calls it on whatever thread made the change (a capture, a
/// background sync, the deadline timer), with no SafeShare lock held. It only hands the event
/// to the main actor; each `ScreenModel` rebuilds its screen if the event names it. Nothing polls.
final class ChangeEvents: ChangeListener, @unchecked Sendable {
    let events = PassthroughSubject<ChangeEvent, Never>()

    func changed(event: ChangeEvent) throws {
        Task { @MainActor in self.events.send(event) }
    }
}

/// Holds the one open Session. Opening is core's decision: this model finds the database path
/// and the Keychain store and keeps nothing else (who uses the phone, every team, the enrolled
/// device id are in core's store). At launch it asks core `isSetUp` and then `Session.resume`,
/// off the main actor. It also owns the change listener and the one deadline timer.
@MainActor
final class AppModel: ObservableObject {
    /// The session for background work, which runs outside the view hierarchy.
    nonisolated(unsafe) static var shared: Session?

    @Published private(set) var launch: LaunchState = .opening
    let secrets = KeychainSecretStore()
    let clock = SystemClock()
    let changes = ChangeEvents()
    private var deadlineTimer: Task<Void, Never>?

    init() {
        open()
        Platform.scheduleBackgroundSync()
    }

    /// Opens the store as it was left (at launch, and "Try again" on the recovery core words for a store that did not open).
    func open() {
        launch = .opening
        let secrets = secrets, clock = clock, directory = bundledDirectory()
        Task {
            let opened: Result<Session?, Error> = await Task.detached {
                Result {
                    let db = try AppModel.databaseURL()
                    guard isSetUp(dbPath: db.path) else { return nil }
                    let session = try Session.resume(dbPath: db.path, secrets: secrets, clock: clock, directory: directory)
                    AppModel.protect(db)
                    return session
                }
            }.value
            switch opened {
            case let .success(session?): started(session)
            case .success(nil): launch = .notSetUp
            case let .failure(error): launch = .problem(error)
            }
        }
    }

    /// The regional directory bundled with the build (the server sends newer versions).
    nonisolated func bundledDirectory() -> ContactsDirectory? {
        guard let url = Bundle.main.url(forResource: "directory", withExtension: "jsonl"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return try? ContactsDirectory.fromJsonl(text: text)
    }

    /// First run: who uses this device and every team they work in (enrolment replaces the ids
    /// with the server's), once core's set-up record has enabled "Set up this phone". Runs off
    /// the main actor, the directory read too; the app shows the tabs once core has opened the store.
    func setUp(name: String, teams: [TeamMembership]) async throws {
        let secrets = secrets, clock = clock
        let session = try await Task.detached { [self] in
            let directory = bundledDirectory()
            let identity = try identityBeforeEnrolment(practitionerName: name, teams: teams)
            let db = try AppModel.databaseURL()
            let session = try Session.open(dbPath: db.path, secrets: secrets, clock: clock, identity: identity, directory: directory)
            AppModel.protect(db)
            return session
        }.value
        started(session)
    }

    /// After revocation core has wiped the store and its key; the set-up screen shows next.
    func forgetDevice() {
        deadlineTimer?.cancel()
        if case let .ready(session) = launch { session.setChangeListener(listener: nil) }
        launch = .notSetUp
        AppModel.shared = nil
    }

    private func started(_ session: Session) {
        session.setChangeListener(listener: changes)
        AppModel.shared = session
        launch = .ready(session)
        deadlineTimer?.cancel()
        // One timer, not a poll: core says when something could next fall due and tells the
        // listener when it did (bindings/src/changes.rs).
        deadlineTimer = Task.detached {
            while !Task.isCancelled {
                let next = try? session.checkDeadlines().nextCheckAt
                try? await Task.sleep(nanoseconds: Platform.nanosecondsUntil(next))
            }
        }
    }

    nonisolated static func databaseURL() throws -> URL {
        let dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        return dir.appendingPathComponent("safeshare.db")
    }

    nonisolated private static func protect(_ db: URL) {
        // Readable after first unlock, so background sync works while the phone is locked;
        // the store is sealed row by row by core in any case.
        try? FileManager.default.setAttributes([.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication], ofItemAtPath: db.path)
        var noBackup = URLResourceValues()
        noBackup.isExcludedFromBackup = true
        var url = db
        try? url.setResourceValues(noBackup)
    }
}

/// Core's error as core worded it (`SafeShareError`'s messages never quote personal data); a
/// validation error leads with the field it is about, as core's own message does.
func describe(_ error: Error) -> String {
    switch error {
    case let SafeShareError.Validation(field, detail): return "\(field): \(detail)"
    case let SafeShareError.KeyMismatch(detail): return detail
    case let SafeShareError.Revoked(detail): return detail
    case let SafeShareError.UntrustedServer(_, detail): return detail
    case let SafeShareError.Network(detail): return detail
    case let SafeShareError.Refused(detail, _): return detail
    case let SafeShareError.NotFound(detail): return detail
    case let SafeShareError.Storage(detail): return detail
    case let SafeShareError.Internal(detail): return detail
    default: return String(describing: type(of: error))
    }
}
