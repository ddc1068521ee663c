import SafeShareCore
import SwiftUI
import UIKit

/// Practitioners use this standing in a doorway: large, full-width tap targets.
struct BigButton: View {
    let title: String
    let action: () -> Void
    init(_ title: String, action: @escaping () -> Void) { self.title = title; self.action = action }
    var body: some View {
        Button(action: action) { Text(title).font(.title3).frame(maxWidth: .infinity, minHeight: 56) }
            .buttonStyle(.borderedProminent)
    }
}

/// One-tap call with the number the core chose for this moment (RFC 3966 `tel:` URI).
func placeCall(_ target: CallTarget) {
    if let url = URL(string: target.telUri) { UIApplication.shared.open(url) }
}

struct SetUpView: View {
    @EnvironmentObject var model: AppModel
    @State private var name = ""
    @State private var query = ""
    @State private var error: String?
    var body: some View {
        Form {
            TextField("Your name", text: $name)
            TextField("Your team", text: $query)
            ForEach(model.bundledDirectory()?.findTeams(query: query).prefix(5).map { $0 } ?? [], id: \.id) { team in
                BigButton(team.name) {
                    do { try model.setUp(name: name, team: team) } catch { self.error = describe(error) }
                }
            }
            if let error { Text(error).foregroundStyle(.red) }
        }.navigationTitle("Set up SafeShare")
    }
}

/// Today: what needs attention now, most urgent first as the core orders it, and starting a visit.
struct TodayView: View {
    let session: Session
    @State private var items: [ListedAttention] = []
    @State private var address = ""
    @State private var visit: (household: String, visit: String)?
    @State private var error: String?
    var body: some View {
        List {
            Section("Needs attention now") {
                if items.isEmpty { Text("Nothing is due.") }
                ForEach(items.indices, id: \.self) { i in
                    let item = items[i]
                    VStack(alignment: .leading, spacing: 8) {
                        Text(item.immediateRisk ? "IMMEDIATE RISK: \(item.why)" : item.why).font(.headline)
                        Text("Due \(local(item.due))")
                        if let call = item.call { BigButton("Call \(call.label)") { placeCall(call) } }
                        if let problem = item.callProblem { Text(problem) }
                    }
                }
            }
            Section("Start a visit") {
                TextField("Family's address (optional)", text: $address)
                BigButton("Start home visit") {
                    do {
                        let household = try session.visits().addHousehold(address: address.isEmpty ? nil : address)
                        let v = try session.visits().startVisit(householdId: household, place: Place(kind: .home, detail: nil), present: [], startedAt: nil)
                        visit = (household, v.id)
                    } catch { self.error = describe(error) }
                }
                if let error { Text(error).foregroundStyle(.red) }
            }
        }
        .navigationTitle("Today")
        .navigationDestination(isPresented: Binding(get: { visit != nil }, set: { if !$0 { visit = nil } })) {
            if let visit { CaptureView(session: session, household: visit.household, visitId: visit.visit) }
        }
        .task { items = (try? session.needsAttentionNow()) ?? [] }
    }
}

/// A child's chronology as the core builds it.
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
        .task { entries = (try? session.visits().chronologyForChild(childPersonId: personId)) ?? [] }
    }
}

/// Admission, handover and discharge checklists: nothing required is skipped silently.
struct ChecklistView: View {
    let session: Session
    let personId: String
    @State private var lists: [Checklist] = []
    @State private var note = ""
    @State private var message: String?
    var body: some View {
        List {
            Section {
                BigButton("Start admission checklist") { act { _ = try session.checklists().startChecklist(kind: .admission, personId: personId) } }
                BigButton("Start handover checklist") { act { _ = try session.checklists().startChecklist(kind: .handover, personId: personId) } }
                BigButton("Start discharge checklist") { act { _ = try session.checklists().startChecklist(kind: .discharge, personId: personId) } }
                TextField("Note or reason", text: $note)
            }
            ForEach(lists, id: \.id) { list in
                Section(list.title + (list.completed != nil ? " (complete)" : "")) {
                    ForEach(list.items, id: \.key) { item in
                        VStack(alignment: .leading, spacing: 6) {
                            Text(item.text)
                            if case .open = item.state {
                                if item.detail == .none || item.detail == .text {
                                    BigButton("Done") { act { _ = try session.checklists().checklistMarkDone(checklistId: list.id, key: item.key, note: note.isEmpty ? nil : note, contacts: []) } }
                                }
                                BigButton("Not applicable") { act { _ = try session.checklists().checklistMarkNotApplicable(checklistId: list.id, key: item.key, reason: note) } }
                            } else if case .done = item.state {
                                Text("done").foregroundStyle(.secondary)
                            } else {
                                Text("not applicable").foregroundStyle(.secondary)
                            }
                        }
                    }
                    if list.completed == nil { BigButton("Complete checklist") { act { _ = try session.checklists().completeChecklist(checklistId: list.id) } } }
                }
            }
            if let message { Text(message).foregroundStyle(.red) }
        }
        .navigationTitle("Checklists")
        .task { reload() }
    }
    private func reload() { lists = (try? session.checklists().checklistsFor(personId: personId)) ?? [] }
    private func act(_ work: () throws -> Void) {
        do { try work(); message = nil } catch { message = describe(error) }
        reload()
    }
}

/// Shares I sent, with their acknowledgement state, and shares to my team to acknowledge.
struct SharesView: View {
    let session: Session
    @State private var sent: [ListedShare] = []
    @State private var incoming: [ListedShare] = []
    @State private var who = ""
    @State private var risk = ""
    @State private var next = ""
    @State private var message: String?
    var body: some View {
        List {
            Section("Shares I sent") {
                ForEach(sent, id: \.id) { share in
                    VStack(alignment: .leading, spacing: 6) {
                        Text(share.teamName).font(.headline)
                        Text(state(share))
                        if let rb = share.readBack { Text("They understood: \(rb.who); \(rb.risk); next: \(rb.nextAction)") }
                        if case .readBackToCheck = share.status {
                            BigButton("Read-back is right") { act { try session.shares().checkReadBack(shareId: share.id, verdict: .confirmed) } }
                        }
                        if case .overdue = share.status {
                            BigButton("Call \(share.teamName)") { act { placeCall(try session.contacts().startCall(teamId: share.teamId, regardingShareId: share.id, aboutPersonId: nil).target) } }
                        }
                    }
                }
            }
            Section("Shares to my team") {
                ForEach(incoming, id: \.id) { share in
                    VStack(alignment: .leading, spacing: 6) {
                        Text("Sent \(local(share.sentAt))").font(.headline)
                        if share.acknowledged { Text("acknowledged") } else {
                            TextField("Who is it about?", text: $who)
                            TextField("What is the risk?", text: $risk)
                            TextField("What happens next?", text: $next)
                            BigButton("Acknowledge with read-back") {
                                act { try session.shares().acknowledgeShare(shareId: share.id, readBack: ReadBack(who: who, risk: risk, nextAction: next)) }
                            }
                        }
                    }
                }
            }
            if let message { Text(message).foregroundStyle(.red) }
        }
        .navigationTitle("Shares")
        .task { reload() }
    }
    private func state(_ share: Share) -> String {
        switch share.status {
        case let .awaitingAcknowledgement(due): return "awaiting acknowledgement, due \(local(due))"
        case let .overdue(due): return "NOT ACKNOWLEDGED, due \(local(due)): call now"
        case .readBackToCheck: return "acknowledged: check their read-back"
        case let .misunderstoodReadBack(correction): return "misunderstood: phone to correct (\(correction))"
        case .closed: return "acknowledged and understood"
        case .none: return ""
        }
    }
    private func reload() {
        sent = (try? session.shares().sharesSent()) ?? []
        incoming = (try? session.shares().incomingShares()) ?? []
    }
    private func act(_ work: () throws -> Void) {
        do { try work(); message = nil } catch { message = describe(error) }
        reload()
    }
}

/// Referrals with their decision due time (one working day), and the chase call when overdue.
struct ReferralsView: View {
    let session: Session
    @State private var referrals: [ListedReferral] = []
    var body: some View {
        List(referrals, id: \.id) { r in
            VStack(alignment: .leading, spacing: 6) {
                Text(r.frontDoorName).font(.headline)
                switch r.status {
                case let .awaitingDecision(due): Text("decision due \(local(due))")
                case let .decisionOverdue(due):
                    Text("NO DECISION, due \(local(due)): chase")
                    BigButton("Call \(r.frontDoorName)") {
                        if let start = try? session.contacts().startCall(teamId: r.frontDoorTeamId, regardingShareId: nil, aboutPersonId: r.aboutPersonId) { placeCall(start.target) }
                    }
                case .accepted: Text("accepted")
                case .notAccepted: Text("not accepted")
                }
                if let step = r.nextStep { Text("Next: \(step)") }
            }
        }
        .navigationTitle("Referrals")
        .task { referrals = (try? session.referrals().referrals()) ?? [] }
    }
}

/// Contacts: find a team and call the number the core chooses for now.
struct ContactsView: View {
    @EnvironmentObject var model: AppModel
    let session: Session
    @State private var query = ""
    @State private var message: String?
    var body: some View {
        let directory = model.bundledDirectory()
        List {
            if directory?.isFictional() == true { Text("SAMPLE DIRECTORY: fictional numbers, not for real calls").foregroundStyle(.red) }
            TextField("Team or organisation", text: $query)
            ForEach(directory?.findTeams(query: query) ?? [], id: \.id) { team in
                VStack(alignment: .leading, spacing: 6) {
                    Text(team.name).font(.headline)
                    Text(team.service)
                    BigButton("Call") {
                        do {
                            let start = try session.contacts().startCall(teamId: team.id, regardingShareId: nil, aboutPersonId: nil)
                            message = start.target.explanation + (start.target.expectsAnswer ? "" : " It may not be answered.")
                            placeCall(start.target)
                        } catch { message = describe(error) }
                    }
                }
            }
            if let message { Text(message) }
        }
        .navigationTitle("Contacts")
    }
}

/// Sync state: what waits to be sent, when it last worked, and anything the server rejected.
struct SyncView: View {
    let session: Session
    @EnvironmentObject var model: AppModel
    @State private var status: SyncStatus?
    @State private var error: String?
    @State private var code = ""
    var body: some View {
        List {
            if let status {
                Text("\(status.pending) waiting to be sent")
                if let last = status.lastSuccess { Text("Last sent \(local(last))") }
                ForEach(status.rejected.indices, id: \.self) { i in
                    Text("Not accepted: \(status.rejected[i].reason)").foregroundStyle(.red)
                }
            }
            BigButton("Send now") {
                do { _ = try session.sync().syncNow(server: try AppModel.server()); status = try session.sync().syncStatus() } catch { self.error = describe(error) }
            }
            // Enrolment: the admin's one-time code links this phone to the region's server.
            TextField("Enrolment code", text: $code).textInputAutocapitalization(.characters)
            BigButton("Enrol this phone") {
                do {
                    let identity = try model.enrol(code: code)
                    self.error = "Enrolled for \(identity.teams.map(\.name).joined(separator: ", "))"
                } catch { self.error = describe(error) }
            }
            if let error { Text(error) }
        }
        .navigationTitle("Sync")
        .task { status = try? session.sync().syncStatus() }
    }
}
