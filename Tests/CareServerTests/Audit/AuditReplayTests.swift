import CareAudit
import CareModel
import CareServer
import Foundation
import Testing

/// Replay: the whole log gives the server's state byte for byte; a prefix gives
/// the state the server had then.
@Suite("Audit replay and history")
struct AuditReplayTests {
    @Test("full replay, from the database and from an export, equals the server's state bytes", arguments: TestBackend.all)
    func fullReplay(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let scenario = try await AuditScenario.run(on: server)
            let served = try await AuditScenario.state(on: server, token: scenario.auditorToken)
            #expect(served == (try await server.storage.state()).canonicalBytes())

            let database = StorageAuditSource(storage: server.storage)
            let replayed = try await AuditReplay.replay(database)
            #expect(replayed.operations == 10)
            #expect(replayed.lastSequence == 10)
            #expect(replayed.state.canonicalBytes() == served)

            let export = try ExportFileSource(bytes: try await AuditScenario.export(database))
            #expect(try await AuditReplay.replay(export).state.canonicalBytes() == served)
        }
    }

    @Test("replay at the midpoint, by sequence or by server time, equals the state the server had then", arguments: TestBackend.all)
    func midpointReplay(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let scenario = try await AuditScenario.run(on: server)
            let database = StorageAuditSource(storage: server.storage)
            let bySequence = try await AuditReplay.replay(database, at: .sequence(scenario.midpointSequence))
            #expect(bySequence.operations == 4)
            #expect(bySequence.state.canonicalBytes() == scenario.midpointState)
            let byTime = try await AuditReplay.replay(database, at: .time(scenario.midpointMillis))
            #expect(byTime.state.canonicalBytes() == scenario.midpointState)
            let served = try await AuditScenario.state(
                on: server, token: scenario.auditorToken, through: scenario.midpointSequence)
            #expect(served == scenario.midpointState)
            #expect(scenario.midpointState != (try await server.storage.state()).canonicalBytes())
        }
    }

    @Test("the server's state is for auditors only", arguments: TestBackend.all)
    func stateNeedsAuditor(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let result = try await server.request(.get, "/v1/audit/state", token: office.token)
            #expect(result.status == .forbidden)
            #expect(result.errorCode == "auditor_only")
            #expect(try await server.request(.get, "/v1/audit/state").status == .unauthorized)
        }
    }

    @Test("history names who wrote each operation, where and when, and how concurrent writes merged", arguments: TestBackend.all)
    func history(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let scenario = try await AuditScenario.run(on: server)
            let history = try await RecordHistory.read(scenario.visit1, from: StorageAuditSource(storage: server.storage))
            #expect(history.kind == .visit)
            #expect(history.entries.map(\.sequence) == [1, 3, 5, 6, 8])
            let reassignByOffice2 = try #require(history.entries.first { $0.sequence == 5 })
            #expect(reassignByOffice2.author == scenario.office2.worker)
            #expect(reassignByOffice2.device == scenario.office2.enrolment.device)
            #expect(reassignByOffice2.receivedAt == scenario.midpointMillis + 60_000)
            #expect(reassignByOffice2.concurrentWith.contains(6))
            let assignment = try #require(history.resolutions.first { $0.field == Visit.Field.assignedWorkers })
            #expect(assignment.rule == "multi_value_with_history")
            #expect(assignment.writes.contains(5) && assignment.writes.contains(6))
            #expect(assignment.conflicted)
            #expect(assignment.outcome.contains("sequence 5") && assignment.outcome.contains("sequence 6"))
            let checkIns = try #require(history.resolutions.first { $0.field == Visit.Field.checkIns })
            #expect(checkIns.rule == "append_only")
        }
    }

    @Test("a filtered export keeps what the filter names and verifies on its own; CSV has a row per operation", arguments: TestBackend.all)
    func filteredExport(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let scenario = try await AuditScenario.run(on: server)
            let database = StorageAuditSource(storage: server.storage)
            let byWorker = try ExportFileSource(
                bytes: try await AuditScenario.export(database, filter: ExportFilter(worker: scenario.workerB.worker)))
            #expect(!byWorker.isWholeLog)
            #expect(try await byWorker.entries(after: 0, limit: 100).map(\.log.sequence) == [8, 9])
            let report = try await AuditVerification.verify(byWorker)
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.signaturesVerified == 1)

            let notes = try ExportFileSource(
                bytes: try await AuditScenario.export(database, filter: ExportFilter(kinds: [.visitNote])))
            #expect(try await notes.entries(after: 0, limit: 100).map(\.log.sequence) == [4, 9])
            let afterMidpoint = try ExportFileSource(
                bytes: try await AuditScenario.export(database, filter: ExportFilter(from: scenario.midpointMillis + 1)))
            #expect(try await afterMidpoint.entries(after: 0, limit: 100).map(\.log.sequence) == Array(5...10))
            let resident = try ExportFileSource(
                bytes: try await AuditScenario.export(database, filter: ExportFilter(resident: "resident-1")))
            #expect(try await resident.entries(after: 0, limit: 100).count == 10)
            // The resident's visits and notes were created before the midpoint:
            // their later operations are still the resident's.
            let residentAfterMidpoint = try ExportFileSource(
                bytes: try await AuditScenario.export(
                    database, filter: ExportFilter(from: scenario.midpointMillis + 1, resident: "resident-1")))
            #expect(try await residentAfterMidpoint.entries(after: 0, limit: 100).map(\.log.sequence) == Array(5...10))
            let nobody = try ExportFileSource(
                bytes: try await AuditScenario.export(database, filter: ExportFilter(resident: "resident-2")))
            #expect(try await nobody.entries(after: 0, limit: 100).isEmpty)

            let csv = String(decoding: try await AuditScenario.export(database, format: .csv), as: UTF8.self)
            let rows = csv.split(separator: "\n")
            #expect(rows.count == 11)
            #expect(rows.first?.hasPrefix("sequence,received_at,device_time,replica,counter,device,author") == true)
            #expect(rows[1].hasPrefix("1,2026-01-01T00:00:00"))
        }
    }
}
