import BackgroundTasks
import SafeShareCore
import SwiftUI

/// The SwiftUI shell: renders core's view records and performs effects (dial, dictate,
/// schedule). Every decision, validation, time and piece of wording that matters is core's.
@main
struct SafeShareApp: App {
    @StateObject private var model = AppModel()

    init() {
        // Connectivity is pushed, not polled: iOS wakes us when it sees fit and we ask core to
        // sync; backoff with jitter after failures is core's.
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Platform.syncTask, using: nil) { task in
            guard let refresh = task as? BGAppRefreshTask else { return task.setTaskCompleted(success: false) }
            Platform.handleBackgroundSync(refresh)
        }
    }

    var body: some Scene {
        WindowGroup {
            switch model.launch {
            case .opening: ProgressView()
            case .notSetUp: NavigationStack { SetUpView(app: model, launchError: nil) }
            // Core's one recovery for a store that did not open (`SetUpScreen.cannotOpen`), as on Android.
            case let .problem(error): NavigationStack { SetUpView(app: model, launchError: error) }
            case let .ready(session): MainTabs(session: session, changes: model.changes).environmentObject(model)
            }
        }
    }
}

/// The same five places as Android, in the same order; each tab keeps its own navigation.
struct MainTabs: View {
    let session: Session
    let changes: ChangeEvents
    var body: some View {
        TabView {
            TabStack(session: session, changes: changes) { TodayView(session: session, changes: changes, path: $0) }
                .tabItem { Label(FormWords.tabToday, systemImage: "house") }
            TabStack(session: session, changes: changes) { path in
                VStack {
                    ActionButton(label: FormWords.openExpected, enabled: true, detail: nil) { path.wrappedValue.append(.expected) }
                    SharesView(session: session, changes: changes, path: path)
                }
            }
                .tabItem { Label(FormWords.tabShares, systemImage: "paperplane") }
            TabStack(session: session, changes: changes) { _ in ReferralsView(session: session, changes: changes) }
                .tabItem { Label(FormWords.tabReferrals, systemImage: "clock") }
            TabStack(session: session, changes: changes) { _ in ContactsView(session: session, changes: changes) }
                .tabItem { Label(FormWords.tabContacts, systemImage: "phone") }
            TabStack(session: session, changes: changes) { _ in SyncView(session: session, changes: changes) }
                .tabItem { Label(FormWords.tabSync, systemImage: "arrow.triangle.2.circlepath") }
        }
    }
}
