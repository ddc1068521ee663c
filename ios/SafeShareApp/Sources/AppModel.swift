import BackgroundTasks
import Foundation
import SafeShareCore

/// Holds the one open Session; opening is the core's decision. Who uses the device (every team,
/// the enrolled device id) is kept by the core in its store, so the app keeps nothing else.
@MainActor
final class AppModel: ObservableObject {
    static let syncTask = "uk.nhs.safeshare.sync"
    /// The regional sync server: Info.plist `SafeShareSyncBaseURL` (https), trusting only the
    /// region's certificate authority bundled as `region-ca.pem` (never the public roots; see
    /// docs/operations.md). Without it, core refuses with `UntrustedServer`, which the sync
    /// screen shows like any other error.
    nonisolated static func server() throws -> SyncServer {
        let url = Bundle.main.object(forInfoDictionaryKey: "SafeShareSyncBaseURL") as? String ?? "https://safeshare.example.nhs.uk"
        let pem = Bundle.main.url(forResource: "region-ca", withExtension: "pem").flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        return try SyncServer.withRegionCa(baseUrl: url, regionCaPem: pem, clock: SystemClock())
    }
    /// The session for background work, which runs outside the view hierarchy.
    nonisolated(unsafe) static var shared: Session?

    @Published private(set) var session: Session?
    let secrets = KeychainSecretStore()
    let clock = SystemClock()
    /// Why the store did not open at launch (e.g. KeyMismatch after a keychain reset): held, not
    /// thrown, so the app starts and a screen can show the core's words; Android holds it the
    /// same way (`SafeShareApplication.launchError`).
    @Published private(set) var launchError: Error?

    init() {
        do {
            let db = try AppModel.databaseURL()
            if isSetUp(dbPath: db.path) {
                let resumed = try Session.resume(dbPath: db.path, secrets: secrets, clock: clock, directory: bundledDirectory())
                session = AppModel.protect(resumed, at: db)
            }
        } catch {
            launchError = error
        }
        AppModel.scheduleSync()
    }

    /// The regional directory bundled with the build (the server sends newer versions).
    func bundledDirectory() -> ContactsDirectory? {
        guard let url = Bundle.main.url(forResource: "directory", withExtension: "jsonl"),
              let text = try? String(contentsOf: url) else { return nil }
        return try? ContactsDirectory.fromJsonl(text: text)
    }

    /// First run: who uses this device (enrolment replaces the ids with the server's).
    func setUp(name: String, team: TeamSummary) throws {
        let identity = try identityBeforeEnrolment(practitionerName: name,
                                                   teams: [TeamMembership(id: team.id, name: team.name)])
        let db = try AppModel.databaseURL()
        let opened = try Session.open(dbPath: db.path, secrets: secrets, clock: clock, identity: identity, directory: bundledDirectory())
        session = AppModel.protect(opened, at: db)
    }

    /// Enrols this phone with the admin's one-time code. On a fresh install the core takes the
    /// practitioner the code was issued for and keeps the identity it returns.
    func enrol(code: String) throws -> Identity {
        guard let session else { throw CocoaError(.userCancelled) }
        return try session.sync().enrol(server: try AppModel.server(), code: code.trimmingCharacters(in: .whitespaces))
    }

    /// After revocation the core has wiped the store and its key; the next launch sets up anew.
    func forgetDevice() {
        session = nil
        AppModel.shared = nil
    }

    private static func databaseURL() throws -> URL {
        let dir = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        return dir.appendingPathComponent("safeshare.db")
    }

    private static func protect(_ session: Session, at db: URL) -> Session {
        // Readable after first unlock, so background sync works while the phone is locked;
        // the store is sealed row by row by the core in any case.
        try? FileManager.default.setAttributes([.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication], ofItemAtPath: db.path)
        var noBackup = URLResourceValues()
        noBackup.isExcludedFromBackup = true
        var url = db
        try? url.setResourceValues(noBackup)
        AppModel.shared = session
        return session
    }

    nonisolated static func scheduleSync() {
        let request = BGAppRefreshTaskRequest(identifier: syncTask)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }

    nonisolated static func handleBackgroundSync(_ task: BGAppRefreshTask) {
        scheduleSync()
        let work = Task.detached {
            do {
                if let session = AppModel.shared { _ = try session.sync().syncNow(server: try AppModel.server()) }
                task.setTaskCompleted(success: true)
            } catch SafeShareError.Network {
                task.setTaskCompleted(success: false)
            } catch {
                task.setTaskCompleted(success: false)
            }
        }
        task.expirationHandler = { work.cancel() }
    }
}

/// A core error as the core worded it, with the field first when there is one.
func describe(_ error: Error) -> String {
    switch error {
    case let SafeShareError.Validation(field, detail): return "\(field.replacingOccurrences(of: "_", with: " ")): \(detail)"
    case let SafeShareError.Refused(detail, _): return detail
    case SafeShareError.KeyMismatch: return "This device's key does not open the records. Nothing was changed."
    case SafeShareError.Network: return "No connection. Saved on the phone; it will be sent later."
    case let SafeShareError.UntrustedServer(_, detail): return "The sync server is not trusted: \(detail). Nothing was sent; tell your IT service desk."
    default: return error.localizedDescription
    }
}

/// An instant as the practitioner reads it (London time).
func local(_ date: Date) -> String {
    let f = DateFormatter()
    f.timeZone = TimeZone(identifier: "Europe/London")
    f.dateFormat = "EEE d MMM, HH:mm"
    return f.string(from: date)
}
