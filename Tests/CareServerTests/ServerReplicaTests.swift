import CareAudit
import CareModel
import CareServer
import Foundation
import Testing

/// The server's own replica: one identity per database, writes that go through
/// the same checks, chain and signatures as a device's, and an audit that
/// verifies them like any other.
@Suite("Server replica")
struct ServerReplicaTests {
    @Test("the server's identity is made on first start and kept across restarts", arguments: TestBackend.all)
    func identityIsKept(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let configuration = TestServer.configuration(database: database)
            let first = try await TestServer.run(configuration: configuration) { server in
                let result = try await server.request(.get, "/v1/server/identity")
                #expect(result.status == .ok)
                let message = try result.decode(ServerIdentityMessage.self)
                #expect(message.replica == server.application.identity.replica)
                #expect(message.publicKey == server.application.identity.publicKeyBase64)
                #expect(message.worker == ServerIdentity.workerID)
                let registered = try await server.storage.devices().filter { $0.replica == message.replica }
                #expect(registered.map(\.worker) == [ServerIdentity.workerID])
                #expect(registered.map(\.publicKey) == [message.publicKey])
                return message
            }
            let second = try await TestServer.run(configuration: configuration) { server in
                try await server.request(.get, "/v1/server/identity").decode(ServerIdentityMessage.self)
            }
            #expect(second == first)
        }
    }

    @Test(
        "a write on a coordinator's behalf is checked as theirs, stored on the server's chain, and verifies",
        arguments: TestBackend.all)
    func writeOnBehalf(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, create) = try office.createVisit(team: "north", assigned: [])
            try await server.push(office, [create])
            let coordinator = try #require(try await server.storage.worker(WorkerID("coord-1")!))

            let decision = OperationDraft(
                record: RecordRef(kind: .visit, id: visit), action: .update,
                changes: [.append(Visit.Field.reviewDecisions, ["decision": "visit took place", "reason": "rota"])])
            let results = try await server.application.serverWriter.write([decision], as: coordinator)
            #expect(results.map(\.status) == [.stored])

            let written = try await server.storage.operations(on: RecordRef(kind: .visit, id: visit))
            #expect(written.count == 2)
            let stored = try #require(written.last)
            #expect(stored.author == coordinator.id)
            #expect(stored.device == server.application.identity.device)
            #expect(stored.id == Dot(replica: server.application.identity.replica, counter: 1))
            #expect(stored.context.contains(create.operation.id), "the write has seen the visit's create")

            let report = try await AuditVerification.verify(StorageAuditSource(storage: server.storage))
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.signaturesVerified == 2)
        }
    }

    @Test("a write the policy refuses for the worker it is made as stores nothing", arguments: TestBackend.all)
    func refusedWrite(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            _ = try await server.enrol("coord-2", roles: [.coordinator], teams: ["south"])
            let (visit, create) = try office.createVisit(team: "north", assigned: [])
            try await server.push(office, [create])
            let before = try await server.counts()

            let stranger = try #require(try await server.storage.worker(WorkerID("coord-2")!))
            let results = try await server.application.serverWriter.write(
                [
                    OperationDraft(
                        record: RecordRef(kind: .visit, id: visit), action: .update,
                        changes: [.append(Visit.Field.reviewDecisions, ["decision": "not mine to decide"])])
                ], as: stranger)
            #expect(results.map(\.error?.code) == ["access_denied"])
            #expect(try await server.counts() == before)
            #expect(try await server.storage.replicaHead(server.application.identity.replica) == nil)
        }
    }

    @Test("two writers racing for the server's chain both store everything, on one unbroken chain", arguments: TestBackend.all)
    func racingWriters(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, create) = try office.createVisit(team: "north", assigned: [])
            try await server.push(office, [create])
            let coordinator = try #require(try await server.storage.worker(WorkerID("coord-1")!))
            // A second instance on the same database: the same identity, its own writer.
            let other = ServerReplicaWriter(
                identity: server.application.identity, storage: server.storage,
                planner: IngestPlanner(maximumOperationBytes: server.configuration.maximumOperationBytes),
                clock: server.clock)
            let writers = [server.application.serverWriter, other]
            let statuses = try await withThrowingTaskGroup(of: [OperationResult.Status].self) { group in
                for (index, writer) in writers.enumerated() {
                    group.addTask {
                        var statuses: [OperationResult.Status] = []
                        for round in 0..<5 {
                            let draft = OperationDraft(
                                record: RecordRef(kind: .visit, id: visit), action: .update,
                                changes: [.append(Visit.Field.reviewDecisions, ["decision": .string("writer \(index) round \(round)")])])
                            statuses += try await writer.write([draft], as: coordinator).map(\.status)
                        }
                        return statuses
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(statuses == Array(repeating: .stored, count: 10))
            #expect(try await server.storage.replicaHead(server.application.identity.replica)?.counter == 10)
            let report = try await AuditVerification.verify(StorageAuditSource(storage: server.storage))
            #expect(report.isIntact, "\(report.findings)")
        }
    }

    @Test(
        "the operations of several records are read together, each record's in log order, unknown ones absent",
        arguments: TestBackend.all)
    func operationsOfSeveralRecords(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-1", roles: [.careWorker], teams: ["north"])
            let (first, createFirst) = try office.createVisit(team: "north", assigned: ["worker-1"])
            let (second, createSecond) = try office.createVisit(team: "north", assigned: ["worker-1"])
            try await server.push(office, [createFirst, createSecond])
            let (note, noteCreate) = try worker.note(on: first)
            let checkIn = try worker.checkIn(first)
            let (report, reportCreate) = try worker.abuseReport()
            try await server.push(worker, [noteCreate, checkIn, reportCreate])

            let refs = [
                RecordRef(kind: .visit, id: first), RecordRef(kind: .visit, id: second),
                RecordRef(kind: .visitNote, id: note), RecordRef(kind: .abuseReport, id: report),
                RecordRef(kind: .visit, id: TestDevice.newRecordID()),
            ]
            let read = try await server.storage.operations(on: refs)
            #expect(read[refs[0]]?.map(\.id) == [createFirst.operation.id, checkIn.operation.id])
            #expect(read[refs[1]]?.map(\.id) == [createSecond.operation.id])
            #expect(read[refs[2]]?.map(\.id) == [noteCreate.operation.id])
            #expect(read[refs[3]]?.map(\.id) == [reportCreate.operation.id])
            #expect(read[refs[4]] == nil)
            #expect(try await server.storage.operations(on: refs[0]) == read[refs[0]])
        }
    }

    @Test("admins cannot manage the server's own worker or give anyone the server role", arguments: [TestBackend.sqlite])
    func reservedWorker(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let before = try await server.counts()
            struct Body: Encodable {
                var roles: [Role]
                var teams: [String]
            }
            let takeover = try await server.request(
                .put, "/v1/admin/workers/caresync-server", token: TestServer.adminToken,
                json: Body(roles: [.coordinator], teams: ["north"]))
            #expect(takeover.status == .forbidden)
            #expect(takeover.errorCode == "reserved_worker")
            let promotion = try await server.request(
                .put, "/v1/admin/workers/someone", token: TestServer.adminToken, json: Body(roles: [.server], teams: []))
            #expect(promotion.status == .forbidden)
            #expect(promotion.errorCode == "reserved_worker")
            let code = try await server.request(
                .post, "/v1/admin/workers/caresync-server/enrolment-codes", token: TestServer.adminToken)
            #expect(code.status == .forbidden)
            #expect(code.errorCode == "reserved_worker")
            #expect(try await server.counts() == before)
        }
    }
}
