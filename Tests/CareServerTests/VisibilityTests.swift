import CareModel
import CareServer
import Hummingbird
import Testing

@Suite("Who receives what on pull")
struct VisibilityTests {
    @Test("worker A never receives worker B's visits, notes or missed calls", arguments: TestBackend.all)
    func workersSeeOnlyTheirVisits(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var workerA = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            var workerB = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])
            let (visitA, planA) = try office.createVisit(team: "north", assigned: ["worker-a"])
            let (visitB, planB) = try office.createVisit(team: "north", assigned: ["worker-b"])
            try await server.push(office, [planA, planB])
            let evidenceA = [try workerA.checkIn(visitA), try workerA.note(on: visitA).operation, try workerA.missedCall(on: visitA)]
            let evidenceB = [try workerB.checkIn(visitB), try workerB.note(on: visitB).operation, try workerB.missedCall(on: visitB)]
            try await server.push(workerA, evidenceA)
            try await server.push(workerB, evidenceB)

            let seenByA = try await server.pullAll(workerA).operations
            let seenByB = try await server.pullAll(workerB).operations
            #expect(seenByA == [planA.operation])
            #expect(seenByB == [planB.operation])
            let seenByOffice = try await server.pullAll(office).operations
            #expect(Set(seenByOffice) == Set((evidenceA + evidenceB).map(\.operation)))
        }
    }

    @Test("abuse reports reach their reporter's other devices, safeguarding leads and auditors only", arguments: TestBackend.all)
    func abuseReports(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var reporter = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let reporterPhone2 = try await server.enrol("worker-a")
            let colleague = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])
            let lead = try await server.enrol("lead-1", roles: [.safeguardingLead])
            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            let coordinatorLead = try await server.enrol(
                "coord-2", roles: [.coordinator, .safeguardingLead], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a", "worker-b"])
            try await server.push(office, [plan])
            let (_, report) = try reporter.abuseReport(visit: visit)
            #expect(try await server.push(reporter, [report]).statuses == [.stored])

            for device in [reporterPhone2, lead, auditor, coordinatorLead] {
                #expect(try await server.pullAll(device).operations.contains(report.operation))
            }
            for device in [colleague, office] {
                let seen = try await server.pullAll(device).operations
                #expect(!seen.contains { $0.record.kind == .abuseReport })
            }
        }
    }

    @Test("a coordinator sees only their team's visits and never a report", arguments: TestBackend.all)
    func coordinatorsSeeTheirTeam(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var north = try await server.enrol("coord-n", roles: [.coordinator], teams: ["north"])
            var south = try await server.enrol("coord-s", roles: [.coordinator], teams: ["south"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north", "south"])
            let (northVisit, northPlan) = try north.createVisit(team: "north", assigned: ["worker-a"])
            let (southVisit, southPlan) = try south.createVisit(team: "south", assigned: ["worker-a"])
            try await server.push(north, [northPlan])
            try await server.push(south, [southPlan])
            let northNote = try worker.note(on: northVisit).operation
            let southNote = try worker.note(on: southVisit).operation
            let report = try worker.abuseReport(visit: northVisit).operation
            try await server.push(worker, [northNote, southNote, report])

            #expect(try await server.pullAll(north).operations == [northNote.operation])
            #expect(try await server.pullAll(south).operations == [southNote.operation])
        }
    }

    @Test("a newly assigned worker receives the visit's earlier history although their cursor is past it", arguments: TestBackend.all)
    func newlyAssignedWorkerReceivesHistory(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var first = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            var second = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])

            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            try await server.push(office, [plan])
            let history = [try first.checkIn(visit), try first.note(on: visit).operation]
            try await server.push(first, history)
            // worker-b works elsewhere meanwhile; their cursor moves past the visit's history.
            let (otherVisit, otherPlan) = try office.createVisit(team: "north", assigned: ["worker-b"])
            try await server.push(office, [otherPlan])
            let before = try await server.pullAll(second)
            #expect(before.operations == [otherPlan.operation])
            #expect(before.cursor == 4)

            let reassignment = try office.assign(visit, to: ["worker-b"])
            try await server.push(office, [reassignment])
            let after = try await server.pullAll(second, after: before.cursor)
            #expect(after.operations == [plan.operation] + history.map(\.operation) + [reassignment.operation])

            // The first worker keeps sight of the visit their evidence is on.
            let firstView = try await server.pullAll(first).operations
            #expect(firstView.contains(reassignment.operation))
            // Later ops reach both, once.
            let lateNote = try second.note(on: visit).operation
            try await server.push(second, [lateNote])
            #expect(try await server.pullAll(second, after: after.cursor).operations.isEmpty)
            #expect(try await server.pullAll(first, after: 5).operations == [lateNote.operation])
            _ = otherVisit
        }
    }

    @Test("a visit's history delivered at one position is never split across pages", arguments: TestBackend.all, [1, 2, 3])
    func historyIsNotSplit(backend: TestBackend, limit: Int) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var first = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let second = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            try await server.push(office, [plan])
            var history: [ChainedOperation] = []
            for _ in 0..<4 { history.append(try first.checkIn(visit)) }
            try await server.push(first, history)
            let (_, otherPlan) = try office.createVisit(team: "north", assigned: ["worker-b"])
            let reassignment = try office.assign(visit, to: ["worker-a", "worker-b"])
            let (_, thirdPlan) = try office.createVisit(team: "north", assigned: ["worker-b"])
            try await server.push(office, [otherPlan, reassignment, thirdPlan])

            let pulled = try await server.pullAll(second, limit: limit)
            let expected = [otherPlan.operation, plan.operation] + history.map(\.operation)
                + [reassignment.operation, thirdPlan.operation]
            #expect(pulled.operations == expected)
            #expect(pulled.cursor == 8)
        }
    }
}
