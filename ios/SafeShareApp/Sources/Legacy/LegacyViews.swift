import SafeShareCore
import SwiftUI

// Not yet rewritten over a view record: core has no chronology view record yet (issue 17
// item 1). tests/shell-rules-check allows this file by name until then. Its core call runs
// off the main actor (a detached task).

/// A child's chronology as the core builds it.
@MainActor
struct ChronologyView: View {
    let session: Session
    let personId: String
    @State private var entries: [ChronologyLine] = []
    var body: some View {
        List(entries.indices, id: \.self) { i in
            VStack(alignment: .leading) {
                Text("\(local(entries[i].at)) · \(entries[i].kind.replacingOccurrences(of: "_", with: " "))").font(.headline)
                Text(entries[i].summary)
            }
        }
        .navigationTitle("Chronology")
        .task {
            let session = session, personId = personId
            entries = await Task.detached { (try? session.visits().chronologyForChild(childPersonId: personId)) ?? [] }.value
        }
    }
}
