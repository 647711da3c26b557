import CareAudit
import CareModel
import CareServer
import Foundation
import GRDB
import Testing

/// A small care day on a real server, pushed over HTTP in six signed batches,
/// for the audit tests. The log it leaves:
///
/// | seq | writer | op |
/// |---|---|---|
/// | 1, 2 | office (counters 1, 2) | create visit 1, visit 2 |
/// | 3, 4 | worker-a (1, 2) | check in on visit 1, note on visit 1 |
/// | — | | midpoint: the clock moves a minute |
/// | 5 | office2 (1) | reassign visit 1 to worker-b |
/// | 6, 7 | office (3, 4) | reassign visit 1 to worker-a (concurrent with 5), create visit 3 |
/// | 8, 9 | worker-b (1, 2) | check in on visit 1, note on visit 1 |
/// | 10 | worker-a (3) | check in on visit 2 |
struct AuditScenario: Sendable {
    var office: TestDevice
    var office2: TestDevice
    var workerA: TestDevice
    var workerB: TestDevice
    var auditorToken: String
    var visit1: RecordID
    /// The log position and server time of the midpoint, and the state the server served then.
    var midpointSequence: UInt64
    var midpointMillis: Int64
    var midpointState: [UInt8]

    static let midpointSequence: UInt64 = 4

    /// Runs the scenario on `server`.
    static func run(on server: TestServer) async throws -> AuditScenario {
        var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
        var office2 = try await server.enrol("coord-2", roles: [.coordinator], teams: ["north"])
        var workerA = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
        var workerB = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])
        let auditor = try await server.enrol("auditor-1", roles: [.auditor])

        let (visit1, plan1) = try office.createVisit(team: "north", assigned: ["worker-a", "worker-b"])
        let (visit2, plan2) = try office.createVisit(team: "north", assigned: ["worker-a"])
        try await expectStored(server.push(office, [plan1, plan2]))
        try await expectStored(server.push(workerA, [try workerA.checkIn(visit1), try workerA.note(on: visit1).operation]))

        let midpointState = try await Self.state(on: server, token: auditor.token)
        let midpointMillis = server.clock.nowMillis()
        server.clock.advance(seconds: 60)

        try await expectStored(server.push(office2, [try office2.assign(visit1, to: ["worker-b"])]))
        try await expectStored(
            server.push(
                office,
                [try office.assign(visit1, to: ["worker-a"]), try office.createVisit(team: "north", assigned: []).operation]))
        try await expectStored(server.push(workerB, [try workerB.checkIn(visit1), try workerB.note(on: visit1).operation]))
        try await expectStored(server.push(workerA, [try workerA.checkIn(visit2)]))
        return AuditScenario(
            office: office, office2: office2, workerA: workerA, workerB: workerB, auditorToken: auditor.token,
            visit1: visit1, midpointSequence: midpointSequence, midpointMillis: midpointMillis,
            midpointState: midpointState)
    }

    /// `GET /v1/audit/state` as the auditor.
    static func state(on server: TestServer, token: String, through: UInt64? = nil) async throws -> [UInt8] {
        let query = through.map { "?through=\($0)" } ?? ""
        let result = try await server.request(.get, "/v1/audit/state\(query)", token: token)
        guard result.status == .ok else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        return result.body
    }

    private static func expectStored(_ response: PushResponse) {
        #expect(response.results.allSatisfy { $0.status == .stored })
    }
}

/// Copies of the scenario's database to tamper with, made with `VACUUM INTO`
/// (a consistent copy of a live WAL database).
struct DatabaseCopies {
    let source: String
    let directory: URL

    init(of server: TestServer) throws {
        source = server.configuration.databasePath
        directory = URL(fileURLWithPath: source).deletingLastPathComponent()
    }

    /// A fresh copy, changed by `tamper` (SQL run on it).
    func copy(_ name: String, tamper: (Database) throws -> Void = { _ in }) throws -> String {
        let path = directory.appendingPathComponent("\(name).sqlite").path
        try? FileManager.default.removeItem(atPath: path)
        let queue = try DatabaseQueue(path: source)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        try queue.close()
        let copy = try DatabaseQueue(path: path)
        try copy.write(tamper)
        try copy.close()
        return path
    }

    /// The replica of the operation at `sequence`, read from the database.
    func replica(at sequence: Int) throws -> String {
        let queue = try DatabaseQueue(path: source)
        defer { try? queue.close() }
        return try queue.read { db in
            try String.fetchOne(db, sql: "SELECT replica FROM operations WHERE sequence = ?", arguments: [sequence])!
        }
    }
}

extension AuditScenario {
    /// Verifies the database file at `path` as the CLI would.
    static func verify(databaseAt path: String) async throws -> VerificationReport {
        let source = try StorageAuditSource(databasePath: path)
        let report = try await AuditVerification.verify(source)
        try await source.storage.close()
        return report
    }

    /// `source` exported in memory.
    static func export(_ source: some AuditLogSource, filter: ExportFilter = ExportFilter(), format: AuditExport.Format = .ndjson)
        async throws -> [UInt8]
    {
        var bytes: [UInt8] = []
        try await AuditExport.write(source, filter: filter, format: format) { bytes += $0 }
        return bytes
    }
}
