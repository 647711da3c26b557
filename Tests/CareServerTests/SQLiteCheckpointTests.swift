@testable import CareServer
import Testing

/// The SQLite backend checkpoints its WAL after ingest, off the writer's path.
@Suite("SQLite checkpoints")
struct SQLiteCheckpointTests {
    @Test("after pushes, the checkpointer has copied every frame of the WAL into the database file")
    func checkpointsAfterIngest() async throws {
        try await TestServer.run(.sqlite) { server in
            let storage = try #require(server.storage as? SQLiteSyncStorage)
            let checkpointer = try #require(storage.checkpointer)
            #expect(await checkpointer.lastRun == nil, "nothing stored, nothing checkpointed")
            var device = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            for _ in 0..<3 {
                let batch = try (0..<20).map { _ in try device.createVisit(team: "north", assigned: ["worker-a"]).operation }
                #expect(try await server.push(device, batch).statuses == Array(repeating: .stored, count: 20))
            }
            // The writer's own threshold (10,000 pages) is far off: what is
            // checkpointed, the checkpointer did. It runs after each commit.
            var waited = 0
            while waited < 10_000 {
                if let run = await checkpointer.lastRun, run.walFrames > 0, run.checkpointed == run.walFrames { break }
                try await Task.sleep(for: .milliseconds(10))
                waited += 10
            }
            let run = try #require(await checkpointer.lastRun)
            #expect(run.walFrames > 0)
            #expect(run.checkpointed == run.walFrames)
            #expect(try await server.counts().operations == 60)
        }
    }
}
