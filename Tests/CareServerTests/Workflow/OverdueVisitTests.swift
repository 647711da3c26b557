import CareModel
import CareServer
import Testing

@Suite("Overdue visits: alerts raised and resolved by the server's replica")
struct OverdueVisitTests {
    @Test("a visit with no check-in goes overdue at exactly start + tolerance, not 1 ms before", arguments: TestBackend.all)
    func overdueAtExactlyTheTolerance(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            _ = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let (visit, plan) = try office.planVisit(assigned: ["worker-a"])
            let (cancelledVisit, cancelledPlan) = try office.planVisit(assigned: ["worker-a"])
            let cancel = try office.write(RecordRef(kind: .visit, id: cancelledVisit), .update, [.set(Visit.Field.cancelled, true)])
            try await server.push(office, [plan, cancelledPlan, cancel])

            server.setClock(to: WorkflowSettings.testDueAt - 1)
            #expect(try await server.overdueMonitor.tick() == [])
            server.setClock(to: WorkflowSettings.testDueAt)
            #expect(
                try await server.overdueMonitor.tick()
                    == [.overdueAlertRaised(visit: visit, team: TeamID("north"), dueAt: WorkflowSettings.testDueAt)])
            #expect(try await server.overdueMonitor.tick() == [], "an alert is raised once")

            let state = try #require(try await server.state(of: RecordRef(kind: .visit, id: visit)))
            #expect(
                Visit.alerts(of: state)
                    == [Visit.Alert(kind: .overdue, dueAt: WorkflowSettings.testDueAt, raisedAt: WorkflowSettings.testDueAt)])
            let alertOperation = try #require(
                try await server.pullAll(office).operations.first { $0.changes.first?.field == Visit.Field.alerts })
            #expect(alertOperation.author == ServerIdentity.workerID)
            #expect(alertOperation.device == server.application.identity.device)

            let overdue: VisitListBody = try await server.get("/v1/workflows/visits?state=overdue", as: office)
            #expect(overdue.visits.map(\.visit) == [visit.description])
            #expect(overdue.visits.first?.awaiting_confirmation == false)
            server.setClock(to: TestServer.visitStart + 60 * 60_000)
            let later: VisitListBody = try await server.get("/v1/workflows/visits?state=overdue", as: office)
            #expect(later.visits.first?.awaiting_confirmation == true, "past the missed threshold")
            // Cancelled after the alert: the alert stays on the visit, the list no longer shows it overdue.
            try await server.push(office, [try office.write(RecordRef(kind: .visit, id: visit), .update, [.set(Visit.Field.cancelled, true)])])
            let cancelled: VisitListBody = try await server.get("/v1/workflows/visits?state=overdue", as: office)
            #expect(cancelled.visits.isEmpty)
            #expect(try await server.overdueMonitor.tick() == [])
        }
    }

    @Test("a check-in made offline before the due time and synced after resolves the alert as delivered_sync_delayed; the alert is kept", arguments: TestBackend.all)
    func lateSyncResolvesAsDelivered(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let (visit, plan) = try office.planVisit(assigned: ["worker-a"])
            try await server.push(office, [plan])
            // At the door five minutes after the start, with no signal.
            let offlineCheckIn = try worker.attend(visit, at: TestServer.visitStart + 5 * 60_000)

            server.setClock(to: WorkflowSettings.testDueAt)
            #expect(try await server.overdueMonitor.tick().count == 1)
            server.setClock(to: WorkflowSettings.testDueAt + 2 * 3_600_000)
            #expect(try await server.push(worker, [offlineCheckIn]).statuses == [.stored])
            #expect(
                try await server.overdueMonitor.tick()
                    == [.overdueAlertResolved(visit: visit, team: TeamID("north"), outcome: .deliveredSyncDelayed)])
            #expect(try await server.overdueMonitor.tick() == [])

            let state = try #require(try await server.state(of: RecordRef(kind: .visit, id: visit)))
            let alerts = Visit.alerts(of: state)
            #expect(alerts.count == 1, "the alert is kept")
            #expect(alerts.first?.outcome == .deliveredSyncDelayed)
            #expect(Visit.openReviewReasons(of: state).isEmpty)
            let overdue: VisitListBody = try await server.get("/v1/workflows/visits?state=overdue", as: office)
            #expect(overdue.visits.isEmpty)
        }
    }

    @Test("a coordinator's missed confirmation and a late check-in arriving concurrently keep both and flag review", arguments: TestBackend.all)
    func confirmationConcurrentWithLateCheckIn(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let (visit, plan) = try office.planVisit(assigned: ["worker-a"])
            try await server.push(office, [plan])
            server.setClock(to: WorkflowSettings.testDueAt)
            #expect(try await server.overdueMonitor.tick().count == 1)

            // Neither has seen the other: the office confirms the call missed while
            // the worker, offline, checks in forty minutes late.
            let confirmation = try office.markMissed(visit)
            let lateCheckIn = try worker.attend(visit, at: TestServer.visitStart + 40 * 60_000)
            try await server.push(office, [confirmation])
            try await server.push(worker, [lateCheckIn])
            #expect(
                try await server.overdueMonitor.tick()
                    == [.overdueAlertResolved(visit: visit, team: TeamID("north"), outcome: .late)])

            let state = try #require(try await server.state(of: RecordRef(kind: .visit, id: visit)))
            #expect(state[Visit.Field.markedMissed] == .bool(true))
            #expect(state[Visit.Field.markedMissedReason] == "no_access")
            #expect(Visit.firstCheckInTime(of: state) == TestServer.visitStart + 40 * 60_000)
            #expect(Visit.openReviewReasons(of: state) == [.attendedButMarkedMissed])
            #expect(Visit.alerts(of: state).map(\.outcome) == [.late])
            for listed in ["missed", "late"] {
                let list: VisitListBody = try await server.get("/v1/workflows/visits?state=\(listed)", as: office)
                #expect(list.visits.map(\.visit) == [visit.description], "\(listed)")
            }
        }
    }

    @Test("alerts reach the visit's team's coordinators and assigned workers, not other teams or unrelated workers", arguments: TestBackend.all)
    func alertVisibility(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var north = try await server.enrol("coord-n", roles: [.coordinator], teams: ["north"])
            let south = try await server.enrol("coord-s", roles: [.coordinator], teams: ["south"])
            let assigned = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let colleague = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])
            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            let (_, plan) = try north.planVisit(assigned: ["worker-a"])
            try await server.push(north, [plan])
            server.setClock(to: WorkflowSettings.testDueAt)
            #expect(try await server.overdueMonitor.tick().count == 1)

            func seesAlert(_ device: TestDevice) async throws -> Bool {
                try await server.pullAll(device).operations.contains { $0.author == ServerIdentity.workerID }
            }
            for device in [north, assigned, auditor] { #expect(try await seesAlert(device), "\(device.worker)") }
            for device in [south, colleague] { #expect(try await seesAlert(device) == false, "\(device.worker)") }
            let southList: VisitListBody = try await server.get("/v1/workflows/visits?state=overdue", as: south)
            #expect(southList.visits.isEmpty)
        }
    }

    @Test("the visit lists: late and short visits by contract; only coordinators and auditors; bad parameters refused", arguments: TestBackend.all)
    func visitLists(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let (onTime, onTimePlan) = try office.planVisit(assigned: ["worker-a"])
            let (late, latePlan) = try office.planVisit(assigned: ["worker-a"])
            try await server.push(office, [onTimePlan, latePlan])
            let start = TestServer.visitStart
            try await server.push(
                worker,
                [
                    // On time but cropped: 10 of 30 minutes.
                    try worker.attend(onTime, at: start), try worker.attend(onTime, Visit.Field.checkOuts, at: start + 10 * 60_000),
                    // 16 minutes late, full length.
                    try worker.attend(late, at: start + 16 * 60_000),
                    try worker.attend(late, Visit.Field.checkOuts, at: start + 46 * 60_000),
                ])
            let shortList: VisitListBody = try await server.get("/v1/workflows/visits?state=short", as: office)
            #expect(shortList.visits.map(\.visit) == [onTime.description])
            let lateList: VisitListBody = try await server.get("/v1/workflows/visits?state=late", as: office)
            #expect(lateList.visits.map(\.visit) == [late.description])
            let outside: VisitListBody = try await server.get(
                "/v1/workflows/visits?state=late&from=\(start + 1)&to=\(start + 3_600_000)", as: office)
            #expect(outside.visits.isEmpty)

            let refused = try await server.request(.get, "/v1/workflows/visits?state=late", token: worker.token)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "coordinator_only")
            for query in ["state=lost", "state=late&from=10&to=5", "state=late&from=0&to=\(40 * 86_400_000)", "state=late&from=x"] {
                let bad = try await server.request(.get, "/v1/workflows/visits?\(query)", token: office.token)
                #expect(bad.status == .badRequest, "\(query)")
                #expect(bad.errorCode == "invalid_parameter", "\(query)")
            }
        }
    }
}
