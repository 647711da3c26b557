import CareAudit
import CareModel
@testable import CareServer
import Testing

/// A large push is sealed after its replica's stored head, read before the
/// ingest lock (`SyncEndpoints.push`); the planner checks that guess.
@Suite("Pushes sealed after the stored head")
struct PushSealingTests {
    @Test("large pushes that follow stored ones are stored with the device's hashes, and the log verifies", arguments: TestBackend.all)
    func largePushesFollowingStoredOnes(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var device = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var hashes: [OperationHash] = []
            for _ in 0..<3 {
                let batch = try (0..<SyncEndpoints.batchSizeWorthReadingHead).map { _ in
                    try device.createVisit(team: "north", assigned: []).operation
                }
                hashes += batch.map(\.hash)
                let response = try await server.push(device, batch)
                #expect(response.statuses == Array(repeating: .stored, count: batch.count))
            }
            // The log holds each operation with the hash the device computed.
            let logged = try await server.storage.logEntries(after: 0, limit: hashes.count + 1)
            #expect(logged.map(\.hash) == hashes)
            let report = try await AuditVerification.verify(StorageAuditSource(storage: server.storage))
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.operations == hashes.count)
        }
    }
}
