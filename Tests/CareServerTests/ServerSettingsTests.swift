import Foundation
import Testing

/// Settings `caresync-server` refuses before it touches the database.
@Suite("Server settings")
struct ServerSettingsTests {
    @Test(
        "a setting out of range is refused, saying why, and no database is made",
        arguments: [
            (["--max-concurrent-pushes", "0"], "at least one push must be let in at a time"),
            (["--job-wake-operations=-1"], "CARESYNC_JOB_WAKE_OPERATIONS must be 0 or more"),
        ])
    func refusesOutOfRange(setting: [String], reason: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("server.sqlite").path
        let server = try ServerProcess(arguments: ["--port", "0", "--database", database] + setting)
        #expect(try await server.exitStatus() != 0)
        #expect(server.standardError.contains(reason), "\(server.standardError)")
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
