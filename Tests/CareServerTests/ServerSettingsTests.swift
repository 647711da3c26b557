import Foundation
import Testing

/// Settings `caresync-server` refuses before it touches the database.
@Suite("Server settings")
struct ServerSettingsTests {
    @Test("a push gate that admits no push is refused, saying why, and no database is made")
    func refusesAGateOfNone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("server.sqlite").path
        let server = try ServerProcess(arguments: ["--port", "0", "--database", database, "--max-concurrent-pushes", "0"])
        #expect(try await server.exitStatus() != 0)
        #expect(server.standardError.contains("at least one push must be let in at a time"), "\(server.standardError)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
