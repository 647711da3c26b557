import CareModel
import CareServer
import Hummingbird
import Testing

@Suite("Each pushed operation is answered on its own, with a stable code")
struct RejectionTests {
    @Test("a batch mixing good and bad operations stores the good prefix and says why the rest waits", arguments: TestBackend.all)
    func mixedBatch(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            let reassign = try office.assign(visit, to: ["worker-b"])
            let foreign = try office.createVisit(team: "south", assigned: []).operation  // not the office's team
            let later = try office.createVisit(team: "north", assigned: []).operation
            let response = try await server.push(office, [plan, reassign, foreign, later])
            #expect(response.statuses == [.stored, .stored, .rejected, .rejected])
            #expect(response.codes == [nil, nil, "access_denied", "preceding_rejected"])
            #expect(try await server.counts().operations == 2)

            // The device fixes its log: the rejected operations never reach the store; the next
            // push of the tail is judged afresh.
            let retry = try await server.push(office, [later])
            #expect(retry.codes == ["counter_gap"])
        }
    }

    @Test("a counter that skips ahead is refused", arguments: TestBackend.all)
    func counterGap(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            _ = try office.createVisit(team: "north", assigned: [])
            let second = try office.createVisit(team: "north", assigned: []).operation
            let response = try await server.push(office, [second])
            #expect(response.codes == ["counter_gap"])
            #expect(try await server.counts().operations == 0)
        }
    }

    @Test("the same operation id with different content is a conflicting duplicate", arguments: TestBackend.all)
    func conflictingDuplicate(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let original = try office.createVisit(team: "north", assigned: []).operation
            try await server.push(office, [original])
            var altered = original.operation
            altered.changes[0] = .set(Visit.Field.resident, "resident-2")
            let response = try await server.push(
                office, office.pushRequest([altered], after: .genesis))
            #expect(response.codes == ["conflicting_duplicate"])
            #expect(try await server.counts().operations == 1)
        }
    }

    @Test("a head that differs from the server's chain refuses the batch", arguments: TestBackend.all)
    func chainMismatch(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let one = try office.createVisit(team: "north", assigned: []).operation
            let two = try office.createVisit(team: "north", assigned: []).operation
            let response = try await server.push(
                office,
                PushRequest(replica: office.enrolment.replica, operations: [one.operation, two.operation], head: one.hash)
                    .signed(by: TestDevice.signer))
            #expect(response.codes == ["chain_mismatch", "preceding_rejected"])
            #expect(try await server.counts().operations == 0)
            #expect(try await server.push(office, [one, two]).statuses == [.stored, .stored])
        }
    }

    @Test("an operation larger than the limit is refused", arguments: TestBackend.all)
    func operationTooLarge(backend: TestBackend) async throws {
        try await TestServer.run(backend, configure: { $0.maximumOperationBytes = 1_000 }) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: [])
            let (_, note) = try office.note(on: visit, String(repeating: "long day ", count: 200))
            let response = try await server.push(office, [plan, note])
            #expect(response.codes == [nil, "operation_too_large"])
        }
    }

    @Test(
        "the model's schema checks answer with the model's codes",
        arguments: TestBackend.all,
        [
            ("unknown_field", Action.update, [Change.set("colour", "red")]),
            ("invalid_value", Action.update, [Change.set(Visit.Field.workerStatus, "asleep")]),
            ("deletion_forbidden", Action.delete, [Change.set(Visit.Field.cancelled, true)]),
            ("append_only_field", Action.update, [Change.set(Visit.Field.checkIns, ["time": 1, "method": "qr"])]),
        ])
    func schemaRejections(backend: TestBackend, rejection: (String, Action, [Change])) async throws {
        let (code, action, changes) = rejection
        try await TestServer.run(backend) { server in
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            try await server.push(office, [plan])
            let bad = worker.unvalidated(record: RecordRef(kind: .visit, id: visit), action: action, changes: changes)
            let response = try await server.push(worker, worker.pushRequest([bad], after: worker.replica.head))
            #expect(response.codes == [code])
            #expect(try await server.counts().operations == 1)
            _ = try worker.checkIn(visit)  // keep the test device's counter honest
        }
    }

    @Test("writes the policy does not grant are refused with access_denied", arguments: TestBackend.all)
    func accessDenied(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            var stranger = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])
            var auditor = try await server.enrol("auditor-1", roles: [.auditor])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            try await server.push(office, [plan])

            // A care worker cannot plan visits, nor check in to a visit not theirs.
            let workerPlan = try worker.createVisit(team: "north", assigned: ["worker-a"]).operation
            #expect(try await server.push(worker, [workerPlan]).codes == ["access_denied"])
            let strangerCheckIn = try stranger.checkIn(visit)
            #expect(try await server.push(stranger, [strangerCheckIn]).codes == ["access_denied"])
            // An auditor reads and never writes, not even an abuse report.
            let auditorReport = try auditor.abuseReport().operation
            #expect(try await server.push(auditor, [auditorReport]).codes == ["access_denied"])
            // A care worker cannot change the plan of their own visit.
            var workerReplan = worker
            workerReplan.replica = LocalReplica(
                replica: worker.enrolment.replica, device: worker.enrolment.device, author: worker.worker)
            let replan = try workerReplan.assign(visit, to: ["worker-a", "worker-b"])
            #expect(try await server.push(workerReplan, [replan]).codes == ["access_denied"])
            #expect(try await server.counts().operations == 1)
        }
    }

    @Test("operations on records the server does not hold are refused", arguments: TestBackend.all)
    func unknownRecords(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let update = try office.assign(TestDevice.newRecordID(), to: ["worker-a"])
            #expect(try await server.push(office, [update]).codes == ["unknown_record"])

            var other = try await server.enrol("coord-2", roles: [.coordinator], teams: ["north"])
            let (_, note) = try other.note(on: TestDevice.newRecordID())
            #expect(try await server.push(other, [note]).codes == ["unknown_visit"])
            #expect(try await server.counts().operations == 0)
        }
    }

    @Test("a second create of an existing record is refused", arguments: TestBackend.all)
    func recordExists(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var first = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var second = try await server.enrol("coord-2", roles: [.coordinator], teams: ["north"])
            let plan = try first.createVisit(team: "north", assigned: []).operation
            try await server.push(first, [plan])
            let copy = try second.write(plan.operation.record, .create, plan.operation.changes)
            #expect(try await server.push(second, [copy]).codes == ["record_exists"])
        }
    }
}
