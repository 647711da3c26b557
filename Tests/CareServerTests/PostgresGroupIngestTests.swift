import CareAudit
import CareModel
@testable import CareServer
import Foundation
import PostgresNIO
import Testing

/// PostgreSQL stores a group of pushes with one snapshot read and one write
/// (`IngestGroupSnapshot`): each batch must be answered as if it were stored
/// alone after the ones before it. The groups here are made deterministic by
/// holding the ingest lock from a test session while a first push waits for it
/// and the others gather behind it: they become the next group, in order.
@Suite("PostgreSQL group ingest", .enabled(if: TestBackend.all.contains(.postgres), "CARESYNC_TEST_BACKENDS leaves PostgreSQL out"))
struct PostgresGroupIngestTests {
    /// Pushes `first` while the ingest lock is held elsewhere, then `group`
    /// one after the other once each earlier one waits in the server's group
    /// commit queue, then lets the lock go: `group` is stored as one group.
    /// Returns the HTTP answers of `group`, in order.
    static func pushAsOneGroup(
        on server: TestServer, first: (TestDevice, PushRequest), group: [(TestDevice, PushRequest)]
    ) async throws -> [HTTPResult] {
        let storage = try #require(server.storage as? PostgresSyncStorage)
        let cluster = try PostgresTestCluster.fromEnvironment()
        let database = String(server.configuration.databasePath.split(separator: "/").last!)
        return try await cluster.withConnection(database: database) { holder in
            try await holder.query("BEGIN", logger: PostgresTestCluster.logger)
            try await holder.query(
                "SELECT pg_advisory_xact_lock(\(PostgresSyncStorage.ingestLockKey))", logger: PostgresTestCluster.logger)
            return try await withThrowingTaskGroup(of: (Int, HTTPResult).self) { tasks in
                tasks.addTask { (-1, try await server.request(.post, "/v1/push", token: first.0.token, json: first.1)) }
                do {
                    try await cluster.waitForLockWaiters(1, database: database)
                    for (index, (device, push)) in group.enumerated() {
                        tasks.addTask { (index, try await server.request(.post, "/v1/push", token: device.token, json: push)) }
                        try await waitUntil { await storage.ingestGroups.waitingCount == index + 1 }
                    }
                } catch {
                    _ = try? await holder.query("ROLLBACK", logger: PostgresTestCluster.logger)
                    throw error
                }
                try await holder.query("COMMIT", logger: PostgresTestCluster.logger)
                var answers: [Int: HTTPResult] = [:]
                for try await (index, answer) in tasks { answers[index] = answer }
                #expect(answers[-1]?.status == .ok)
                return group.indices.map { answers[$0]! }
            }
        }
    }

    /// Polls `condition` (a hang guard of a minute, not a timing assertion).
    static func waitUntil(_ condition: @Sendable () async -> Bool) async throws {
        for _ in 0..<6_000 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PostgresTestCluster.Failure.timedOut("a push to join the group commit queue")
    }

    /// The log as an auditor pulls it, checked end to end (chains, counters,
    /// signatures, the server chain).
    static func checkedLog(of server: TestServer) async throws -> [CareModel.Operation] {
        let auditor = try await server.enrol("auditor-\(UUID().uuidString.prefix(8))", roles: [.auditor])
        let log = try await server.pullAll(auditor)
        let report = try await AuditVerification.verify(StorageAuditSource(storage: server.storage))
        #expect(report.isIntact, "\(report.findings)")
        #expect(report.operations == log.operations.count)
        return log.operations
    }

    @Test("one group: a replica pushed twice, a duplicate, and access granted earlier in the group, in sequence order")
    func batchesOfOneGroupSeeTheOnesBefore() async throws {
        try await TestServer.run(.postgres) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var carer = try await server.enrol("care-1", roles: [.careWorker], teams: ["north"])
            var stranger = try await server.enrol("care-2", roles: [.careWorker], teams: ["north"])

            let lead = try office.createVisit(team: "north", assigned: []).operation
            let (visit, create) = try office.createVisit(team: "north", assigned: ["care-1"])
            let officeNote = try office.note(on: visit).operation
            let carerNote = try carer.note(on: visit).operation
            let strangerNote = try stranger.note(on: visit).operation
            let answers = try await Self.pushAsOneGroup(
                on: server, first: (office, office.pushRequest([lead])),
                group: [
                    (office, office.pushRequest([create])),  // assigns care-1
                    (office, office.pushRequest([officeNote])),  // the same replica again, next counter
                    (office, office.pushRequest([create])),  // the first batch again
                    (carer, carer.pushRequest([carerNote])),  // assigned by the first batch of the group
                    (stranger, stranger.pushRequest([strangerNote])),  // never assigned
                ])
            let responses = try answers.map { try $0.decode(PushResponse.self) }
            #expect(responses.map { $0.results.map(\.status) } == [[.stored], [.stored], [.duplicate], [.stored], [.rejected]])
            #expect(responses.map { $0.results.map(\.sequence) } == [[2], [3], [2], [4], [nil]])
            #expect(responses[4].results[0].error?.code == "access_denied")

            let log = try await Self.checkedLog(of: server)
            #expect(log.map(\.id) == [lead, create, officeNote, carerNote].map(\.operation.id))
            // The carer was granted the visit in the group, and syncs it and the
            // office's note (a pull leaves out the device's own operations).
            let synced = try await server.pullAll(carer)
            #expect(Set(synced.operations.map(\.id)) == Set([create, officeNote].map(\.operation.id)))
        }
    }

    @Test("a batch that fails inside a group fails alone; the others are stored once, in sequence order")
    func failingBatchFailsAlone() async throws {
        try await TestServer.run(.postgres) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var planner = try await server.enrol("coord-2", roles: [.coordinator], teams: ["north"])
            // PostgreSQL itself refuses the planner's operations: a failure of the
            // write statement, not a rejection by the planner.
            let cluster = try PostgresTestCluster.fromEnvironment()
            let database = String(server.configuration.databasePath.split(separator: "/").last!)
            try await cluster.withConnection(database: database) { connection in
                try await connection.query(
                    """
                    CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$
                    """, logger: PostgresTestCluster.logger)
                try await connection.query(
                    """
                    CREATE TRIGGER refuse_for_test BEFORE INSERT ON operations FOR EACH ROW
                    WHEN (NEW.replica = '\(unescaped: planner.enrolment.replica.description)') EXECUTE FUNCTION refuse_for_test()
                    """, logger: PostgresTestCluster.logger)
            }

            let lead = try office.createVisit(team: "north", assigned: []).operation
            let before = try office.createVisit(team: "north", assigned: []).operation
            let refused = try planner.createVisit(team: "north", assigned: []).operation
            let after = try office.createVisit(team: "north", assigned: []).operation
            let answers = try await Self.pushAsOneGroup(
                on: server, first: (office, office.pushRequest([lead])),
                group: [
                    (office, office.pushRequest([before])), (planner, planner.pushRequest([refused])),
                    (office, office.pushRequest([after])),
                ])
            #expect(answers.map(\.status) == [.ok, .internalServerError, .ok])
            #expect(try answers[0].decode(PushResponse.self).results.map(\.sequence) == [2])
            #expect(try answers[2].decode(PushResponse.self).results.map(\.sequence) == [3])
            #expect(try await Self.checkedLog(of: server).map(\.id) == [lead, before, after].map(\.operation.id))

            // Nothing of the failed batch was kept: pushed again, it is stored next.
            try await cluster.withConnection(database: database) { connection in
                try await connection.query("DROP TRIGGER refuse_for_test ON operations", logger: PostgresTestCluster.logger)
            }
            let again = try await server.push(planner, planner.pushRequest([refused]))
            #expect(again.results.map(\.status) == [.stored])
            #expect(again.results.map(\.sequence) == [4])
        }
    }
}
