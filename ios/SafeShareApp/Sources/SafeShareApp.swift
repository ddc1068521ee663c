import BackgroundTasks
import SafeShareCore
import SwiftUI

/// The SwiftUI shell: renders what the core returns and performs effects (dial, dictate,
/// schedule). Every decision, validation and clinically meaningful wording is the core's.
@main
struct SafeShareApp: App {
    @StateObject private var model = AppModel()

    init() {
        // Connectivity is pushed, not polled: iOS wakes us when it sees fit and we ask the core
        // to sync; backoff with jitter after failures is the core's.
        BGTaskScheduler.shared.register(forTaskWithIdentifier: AppModel.syncTask, using: nil) { task in
            AppModel.handleBackgroundSync(task as! BGAppRefreshTask)
        }
    }

    var body: some Scene {
        WindowGroup {
            if let session = model.session {
                MainTabs(session: session).environmentObject(model)
            } else {
                SetUpView().environmentObject(model)
            }
        }
    }
}

struct MainTabs: View {
    let session: Session
    var body: some View {
        TabView {
            NavigationStack { TodayView(session: session) }.tabItem { Label("Today", systemImage: "house") }
            NavigationStack { SharesView(session: session) }.tabItem { Label("Shares", systemImage: "paperplane") }
            NavigationStack { ReferralsView(session: session) }.tabItem { Label("Referrals", systemImage: "clock") }
            NavigationStack { ContactsView(session: session) }.tabItem { Label("Contacts", systemImage: "phone") }
            NavigationStack { SyncView(session: session) }.tabItem { Label("Sync", systemImage: "arrow.triangle.2.circlepath") }
        }
    }
}
