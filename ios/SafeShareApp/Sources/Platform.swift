import BackgroundTasks
import Foundation
import SafeShareCore
import UIKit

/// What only the phone does: the regional server's configuration, background sync (iOS wakes
/// the app; core does the work and its backoff), the dialler, and the one timer's delay until
/// core's next deadline check. The only app file that reads the clock
/// (tests/shell-rules-check allows it here and in the core package's SystemClock).
enum Platform {
    static let syncTask = "uk.nhs.safeshare.sync"

    /// The regional sync server: Info.plist `SafeShareSyncBaseURL` (https), trusting only the
    /// region's certificate authority bundled as `region-ca.pem` (never the public roots; see
    /// docs/operations.md). Without it, core refuses with `UntrustedServer`, which the sync
    /// screen shows like any other error.
    static func server() throws -> SyncServer {
        let url = serverURL
        let pem = Bundle.main.url(forResource: "region-ca", withExtension: "pem").flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        return try SyncServer.withRegionCa(baseUrl: url, regionCaPem: pem, clock: SystemClock())
    }

    /// The regional server's address as configured (Info.plist `SafeShareSyncBaseURL`); the
    /// set-up screen shows it in core's words.
    static var serverURL: String {
        Bundle.main.object(forInfoDictionaryKey: "SafeShareSyncBaseURL") as? String ?? "https://safeshare.example.nhs.uk"
    }

    /// How long the deadline timer sleeps for `at` (core's next check): at least a second, and
    /// a minute when core could not say (a failed check is tried again then). UTC instants
    /// only; no zone, no rule.
    static func nanosecondsUntil(_ at: Date?) -> UInt64 {
        let seconds = at.map { max($0.timeIntervalSinceNow, 1) } ?? 60
        return UInt64(seconds * 1_000_000_000)
    }

    /// Asks iOS to wake the app for a background sync (the OS picks the moment; not a clinical time).
    static func scheduleBackgroundSync() {
        let request = BGAppRefreshTaskRequest(identifier: syncTask)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }

    /// The background sync: core pushes and pulls, then tells the change listener.
    static func handleBackgroundSync(_ task: BGAppRefreshTask) {
        scheduleBackgroundSync()
        let work = Task.detached {
            do {
                if let session = AppModel.shared { _ = try session.sync().syncNow(server: try Platform.server()) }
                task.setTaskCompleted(success: true)
            } catch {
                task.setTaskCompleted(success: false)
            }
        }
        task.expirationHandler = { work.cancel() }
    }

    /// One-tap call with the number core chose for this moment (RFC 3966 `tel:` URI).
    @MainActor
    static func placeCall(_ target: CallTarget) {
        if let url = URL(string: target.telUri) { UIApplication.shared.open(url) }
    }
}
