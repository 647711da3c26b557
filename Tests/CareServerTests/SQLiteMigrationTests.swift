import CareServer
import Foundation
import GRDB
import Testing

/// Opening the server's SQLite database, as several server processes on one
/// file do.
@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    @Test("two servers opening one new file at the same moment both start, and each migration is applied once")
    func concurrentOpensOfANewFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The race is a narrow window: open many new files, two at a time.
        for round in 0..<20 {
            let path = directory.appendingPathComponent("server-\(round).sqlite").path
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        let storage = try SQLiteSyncStorage(path: path)
                        try await storage.close()
                    }
                }
                try await group.waitForAll()
            }
            let database = try DatabaseQueue(path: path)
            let applied = try await database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            try database.close()
            #expect(applied.count == Set(applied).count && !applied.isEmpty, "round \(round): \(applied)")
        }
    }
}
